//! pandoc's multiline and simple tables (`pandoc -t markdown`): rows of cells
//! cut at the columns of the table's dash rule.
//!
//! pandoc writes a table it cannot write as pipes (cells that wrap) as
//!
//! ```text
//!   ----------------------------------------------   (top: one run of dashes)
//!   header            申请人情况
//!   ------------------ ---------- ----------------   (the column rule)
//!   一、本年新收…        10
//!                                                      (a blank line ends a row)
//!   二、上年结转…
//!   ----------------------------------------------   (bottom)
//! ```
//!
//! pandoc pads every line of a multiline table with spaces to the table's
//! width, so an empty line ends a row and a line of spaces alone is a row of
//! blank cells. The column rule says exactly where each column is, so a blank cell is
//! known to be blank rather than guessed from the words' positions. A row of
//! a multiline table is the lines up to the next blank line, a cell's text
//! joined over them; a row of a simple table (no top rule) is one line, and
//! the table ends at a blank line. A word that lies outside every column, or
//! across two, makes the table not one of pandoc's: `None`, and the lines are
//! read as plain text.
//!
//! This file knows the shape of these tables in text, nothing of reports.

use crate::text::display_width as width;

/// The columns of a column rule (`---- ------ --`): each run of dashes as a
/// half-open range of display columns; `None` unless the line is dashes and
/// spaces with at least two runs.
pub fn columns(line: &str) -> Option<Vec<(usize, usize)>> {
    if !line.trim().bytes().all(|b| b == b'-' || b == b' ') {
        return None;
    }
    let mut out = Vec::new();
    let mut start = None;
    for (i, b) in line.bytes().chain(std::iter::once(b' ')).enumerate() {
        match (b, start) {
            (b'-', None) => start = Some(i),
            (b' ', Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    (out.len() >= 2 && out.iter().all(|(a, b)| b - a >= 2)).then_some(out)
}

/// A line of one run of dashes (a multiline table's top or bottom).
fn is_border(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.bytes().all(|b| b == b'-')
}

/// One row of a table: the 0-based index of its first line and its cells.
#[derive(Debug, PartialEq)]
pub struct Row {
    /// Index of the row's first line among the lines given.
    pub first: usize,
    /// One text per column, empty for a blank cell.
    pub cells: Vec<String>,
}

/// The table whose column rule is `lines[rule]`: its rows after the rule and
/// the index of the first line after the table; `None` when the lines are
/// not such a table.
pub fn table(lines: &[&str], rule: usize) -> Option<(Vec<Row>, usize)> {
    let cols = columns(lines[rule])?;
    let header_start =
        (0..rule).rev().take_while(|&i| !lines[i].trim().is_empty() && !is_border(lines[i])).last().unwrap_or(rule);
    let multiline = header_start > 0 && is_border(lines[header_start - 1])
        || header_start == rule && rule > 0 && is_border(lines[rule - 1]);
    let mut rows = Vec::new();
    let mut i = rule + 1;
    let mut current: Option<Row> = None;
    loop {
        let Some(&line) = lines.get(i) else {
            // A multiline table has its bottom rule; text that ends first is
            // not one.
            if multiline {
                return None;
            }
            break;
        };
        // A multiline table ends at its bottom border; inside it, a line of
        // dash runs is a row of blank markers (`---` in every cell). A simple
        // table may end with a rule.
        if is_border(line) || (!multiline && columns(line).is_some()) {
            i += 1;
            break;
        }
        // pandoc pads every line of a multiline table to its width: an empty
        // line ends a row, a line of spaces is a row whose cells are all blank
        // (table 4 with no case).
        let blank_row = multiline && !line.is_empty() && line.trim().is_empty();
        if line.trim().is_empty() && !blank_row {
            rows.extend(current.take());
            if !multiline {
                break;
            }
            i += 1;
            continue;
        }
        let row = current.get_or_insert_with(|| Row { first: i, cells: vec![String::new(); cols.len()] });
        place(line, &cols, &mut row.cells)?;
        if !multiline {
            rows.extend(current.take());
        }
        i += 1;
    }
    rows.extend(current);
    (!rows.is_empty()).then_some((rows, i))
}

/// Put each word of `line` into the cell of the column it lies in.
fn place(line: &str, cols: &[(usize, usize)], cells: &mut [String]) -> Option<()> {
    let mut col = 0;
    let mut word: Option<(usize, String)> = None;
    let mut flush = |start: usize, end: usize, text: String| -> Option<()> {
        let k = cols.iter().position(|&(a, b)| a <= start && end <= b)?;
        let cell = &mut cells[k];
        let joins_tight = |c: Option<char>| c.is_some_and(|c| width(c) == 2);
        if !(cell.is_empty() || joins_tight(cell.chars().last()) || joins_tight(text.chars().next())) {
            cell.push(' ');
        }
        cell.push_str(&text);
        Some(())
    };
    for c in line.chars() {
        let w = width(c);
        if c.is_whitespace() {
            if let Some((start, text)) = word.take() {
                flush(start, col, text)?;
            }
        } else {
            word.get_or_insert_with(|| (col, String::new())).1.push(c);
        }
        col += w;
    }
    if let Some((start, text)) = word.take() {
        flush(start, col, text)?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_rule_gives_its_columns() {
        assert_eq!(columns("  ---- --  ---"), Some(vec![(2, 6), (7, 9), (11, 14)]));
        assert_eq!(columns("  ------"), None, "one run is a border, not columns");
        assert_eq!(columns("  -- a --"), None);
    }

    #[test]
    fn a_multiline_table_gives_rows_with_blank_cells_in_their_columns() {
        let text = [
            "  ----------------------",
            "  项目        自然人  总计",
            "  -------------- ------ ----",
            "  一、本年新收   10     10",
            "",
            "  二、上年结转",
            "",
            "  三、结果（一)  2      2",
            "  予以公开",
            "",
            "                         ",
            "",
            "  ---            ---    ---",
            "  ----------------------",
            "after",
        ];
        let (rows, end) = table(&text, 2).unwrap();
        let cells: Vec<Vec<&str>> = rows.iter().map(|r| r.cells.iter().map(String::as_str).collect()).collect();
        assert_eq!(
            cells,
            [
                vec!["一、本年新收", "10", "10"],
                vec!["二、上年结转", "", ""],
                vec!["三、结果（一)予以公开", "2", "2"],
                vec!["", "", ""],
                vec!["---", "---", "---"]
            ]
        );
        assert_eq!(rows.iter().map(|r| r.first).collect::<Vec<_>>(), [3, 5, 7, 10, 12]);
        assert_eq!(end, 14);
    }

    #[test]
    fn a_simple_table_ends_at_a_blank_line() {
        let text = ["  规章   3  0", "  ------ -- --", "  规章   3", "  文件      5", "", "  prose 1"];
        let (rows, end) = table(&text, 1).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cells, ["文件", "", "5"]);
        assert_eq!(end, 4);
    }

    #[test]
    fn a_word_outside_the_columns_is_not_a_pandoc_table() {
        let text = ["  ------ -- --", "  规章  3 0 1"];
        assert_eq!(table(&text, 0), None, "3 sits in the gap between two columns");
        let unclosed = ["  ----------", "  a  b", "  ---- ----", "  x    1"];
        assert_eq!(table(&unclosed, 2), None, "a multiline table without its bottom rule");
    }
}
