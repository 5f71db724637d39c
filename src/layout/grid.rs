//! Table spans → a true grid, for every layout that has tables (HTML, Word
//! .docx and .doc).
//!
//! A document states a table as rows of cells, some of which stretch over
//! several columns (`colspan`, `w:gridSpan`) or rows (`rowspan`, `w:vMerge`),
//! and some rows start late (`w:gridBefore`). The reader needs a grid: each
//! row as many cells as it spans columns, with the cells a span covers marked
//! as copies ([`super::Cell::copied`]), so that `<td colspan=3>128</td>` is one
//! value, not three, while a merged label still names every row beside it.
//! This file owns only that expansion; it knows nothing of what a cell means.

use std::rc::Rc;

/// How a cell reaches down into the rows below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Down {
    /// Only its own row.
    Alone,
    /// HTML `rowspan`: this many rows in all, its own included (0: to the end
    /// of the table, as browsers read `rowspan=0`). The rows below do not list
    /// the cell: their cells move right past it.
    Rows(usize),
    /// Word `w:vMerge w:val="restart"`: the first cell of a vertical merge.
    MergeStart,
    /// Word `w:vMerge` (continue): the rows below list the merged cell again,
    /// empty; it takes the text of the cell above it in the same column.
    MergeContinue,
}

/// One cell as the document states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCell {
    /// Its text (paragraphs joined).
    pub text: String,
    /// How many grid columns it covers (at least 1).
    pub cols: usize,
    /// How it reaches down.
    pub down: Down,
}

impl RawCell {
    /// A cell of one column and one row.
    pub fn new(text: impl Into<String>) -> RawCell {
        RawCell { text: text.into(), cols: 1, down: Down::Alone }
    }
}

/// One row as the document states it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    /// Grid columns left empty before the first cell (Word's `w:gridBefore`).
    pub before: usize,
    /// The cells, left to right.
    pub cells: Vec<RawCell>,
}

/// The table would have more cells than the budget allows (a hostile
/// document spanning a cell over a million columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// Which budget a table would exceed ([`expand_within`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// More grid cells than allowed.
    Cells,
    /// More bytes of cell text than allowed (spans copy a cell's text into
    /// every position they cover).
    Bytes,
}

/// Expand a table into rows of grid cells, each with whether it is a copy.
/// A row is as long as the columns its cells reach; rows may differ in
/// length. Fails when the grid would hold more than `max_cells` cells.
pub fn expand(rows: Vec<RawRow>, max_cells: usize) -> Result<Vec<Vec<(String, bool)>>, TooLarge> {
    expand_within(rows, max_cells, usize::MAX).map_err(|_| TooLarge)
}

/// [`expand`], failing also when the grid's text would pass `max_bytes`:
/// both budgets are spent before a cell's text is copied, so a hostile
/// span fails before it allocates.
pub fn expand_within(
    rows: Vec<RawRow>,
    max_cells: usize,
    max_bytes: usize,
) -> Result<Vec<Vec<(String, bool)>>, Exceeded> {
    let n = rows.len();
    let mut budget = max_cells;
    let mut bytes = max_bytes;
    // `k` grid positions, each a copy of `len` bytes of text.
    let mut spend = |k: usize, len: usize| {
        budget = budget.checked_sub(k).ok_or(Exceeded::Cells)?;
        bytes = k.checked_mul(len).and_then(|b| bytes.checked_sub(b)).ok_or(Exceeded::Bytes)?;
        Ok(())
    };
    // Per column: rows still to fill below by an HTML rowspan, and its text.
    let mut carry: Vec<Option<(usize, Rc<str>)>> = Vec::new();
    // The text each column of the row above shows: where a Word merge
    // continues, the merge's text.
    let mut above: Vec<Rc<str>> = Vec::new();
    let empty: Rc<str> = Rc::from("");
    let mut out = Vec::with_capacity(n);
    for (r, row) in rows.into_iter().enumerate() {
        let mut cells: Vec<Option<(Rc<str>, bool)>> = Vec::new();
        let put = |cells: &mut Vec<Option<(Rc<str>, bool)>>, k: usize, text: &Rc<str>, copy: bool| {
            if cells.len() <= k {
                cells.resize(k + 1, None);
            }
            if cells[k].is_none() {
                cells[k] = Some((Rc::clone(text), copy));
            }
        };
        for (c, slot) in carry.iter_mut().enumerate() {
            if let Some((left, text)) = slot {
                spend(1, text.len())?;
                put(&mut cells, c, text, true);
                *left -= 1;
                if *left == 0 {
                    *slot = None;
                }
            }
        }
        for c in 0..row.before {
            spend(1, 0)?;
            put(&mut cells, c, &empty, true);
        }
        let mut col = row.before;
        for cell in row.cells {
            while cells.get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            let cols = cell.cols.max(1);
            let (text, first_copied): (Rc<str>, bool) = match cell.down {
                Down::MergeContinue => (above.get(col).cloned().unwrap_or_else(|| Rc::clone(&empty)), true),
                _ => (cell.text.into(), false),
            };
            spend(cols, text.len())?;
            let below = n - r - 1;
            let reach = match cell.down {
                Down::Rows(0) => below,
                Down::Rows(k) => (k - 1).min(below),
                _ => 0,
            };
            for k in col..col + cols {
                put(&mut cells, k, &text, first_copied || k > col);
                if reach > 0 {
                    if carry.len() <= k {
                        carry.resize(k + 1, None);
                    }
                    carry[k] = Some((reach, Rc::clone(&text)));
                }
            }
            col += cols;
        }
        above = cells.iter().map(|c| c.as_ref().map_or_else(|| Rc::clone(&empty), |(t, _)| Rc::clone(t))).collect();
        out.push(
            cells
                .into_iter()
                .map(|c| c.map_or_else(|| (String::new(), false), |(t, copy)| (t.to_string(), copy)))
                .collect(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, cols: usize, down: Down) -> RawCell {
        RawCell { text: text.into(), cols, down }
    }

    fn texts(g: &[Vec<(String, bool)>]) -> Vec<Vec<String>> {
        g.iter().map(|r| r.iter().map(|(t, c)| if *c { format!("({t})") } else { t.clone() }).collect()).collect()
    }

    #[test]
    fn html_rowspan_and_colspan_fill_the_grid_with_copies() {
        let rows = vec![
            RawRow {
                before: 0,
                cells: vec![
                    cell("三、结果", 1, Down::Rows(2)),
                    cell("(一)", 2, Down::Alone),
                    cell("12", 1, Down::Alone),
                ],
            },
            RawRow { before: 0, cells: vec![RawCell::new("(二)"), RawCell::new("a"), RawCell::new("3")] },
        ];
        let g = expand(rows, 100).unwrap();
        assert_eq!(texts(&g), vec![vec!["三、结果", "(一)", "((一))", "12"], vec!["(三、结果)", "(二)", "a", "3"]]);
    }

    #[test]
    fn word_vmerge_copies_the_text_above_and_grid_before_pads() {
        let rows = vec![
            RawRow {
                before: 0,
                cells: vec![cell("三、结果", 1, Down::MergeStart), RawCell::new("1"), RawCell::new("2")],
            },
            RawRow { before: 0, cells: vec![cell("", 1, Down::MergeContinue), RawCell::new("3"), RawCell::new("")] },
            RawRow { before: 1, cells: vec![cell("x", 1, Down::Alone), RawCell::new("5")] },
            RawRow { before: 0, cells: vec![cell("", 1, Down::MergeContinue)] },
        ];
        let g = expand(rows, 100).unwrap();
        assert_eq!(
            texts(&g),
            vec![vec!["三、结果", "1", "2"], vec!["(三、结果)", "3", ""], vec!["()", "x", "5"], vec!["()"]]
        );
    }

    #[test]
    fn rowspan_zero_reaches_to_the_end_and_the_budget_is_kept() {
        let rows = vec![
            RawRow { before: 0, cells: vec![cell("a", 1, Down::Rows(0)), RawCell::new("b")] },
            RawRow { before: 0, cells: vec![RawCell::new("c")] },
            RawRow { before: 0, cells: vec![RawCell::new("d")] },
        ];
        assert_eq!(
            texts(&expand(rows.clone(), 100).unwrap()),
            vec![vec!["a", "b"], vec!["(a)", "c"], vec!["(a)", "d"]]
        );
        assert_eq!(expand(rows, 5), Err(TooLarge));
        let wide = vec![RawRow { before: 0, cells: vec![cell("x", 1 << 40, Down::Alone)] }];
        assert_eq!(expand(wide, 1 << 20), Err(TooLarge));
    }

    #[test]
    fn the_byte_budget_counts_every_copy_of_a_span() {
        let rows = vec![
            RawRow { before: 0, cells: vec![cell("abcd", 3, Down::Rows(2))] },
            RawRow { before: 0, cells: vec![RawCell::new("e")] },
        ];
        // 3 + 3 copies of 4 bytes, and 1 byte.
        assert!(expand_within(rows.clone(), 100, 25).is_ok());
        assert_eq!(expand_within(rows.clone(), 100, 24), Err(Exceeded::Bytes));
        assert_eq!(expand_within(rows, 6, 100), Err(Exceeded::Cells));
    }
}
