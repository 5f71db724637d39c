//! Table 4 (行政复议、行政诉讼情况): fifteen numbers, five for each of three
//! proceedings, usually one row of fifteen cells under a two-level header.
//!
//! The values are read in order, whatever lines they are on. Text laid out by
//! position that shows fewer than fifteen numbers (blank cells leave no
//! trace) is read against the columns of its header row, when one header
//! line names all fifteen columns; otherwise the table is left out with the
//! reason. A table 4 that cannot be read never stops table 3 from being summed.

use super::columns::Anchors;
use super::table3::values_word;
use super::tokens::{Tok, View, Word};
use super::{Table4, count_of};
use crate::error::{RejectKind, Rejection};
use crate::layout::Kind;
use crate::schema;

/// The values of table 4.
const VALUES: usize = 15;

/// Read table 4 from the lines of its section; `closed`: a later section's
/// heading ends it (the file is not cut off inside it).
pub(super) fn read(views: &[View], closed: bool) -> Result<Table4, Rejection> {
    let mut vals: Vec<(Option<Word>, usize)> = Vec::with_capacity(VALUES + 1);
    let mut first_value_line = None;
    for (i, v) in views.iter().enumerate() {
        let s = v.split();
        if s.stray.is_some()
            && vals.is_empty()
            && let Some(placed) = overflowed_titles(&views[..i], v)
        {
            return values(&placed);
        }
        if let Some(k) = s.stray {
            return Err(Rejection::table(
                RejectKind::NotANumber,
                4,
                format!("text \"{}\" where a number should be", v.words[k].raw),
                format!("应填数字处写的是“{}”", v.words[k].raw),
            )
            .line(v.number));
        }
        let has_text = s.label_end > 0;
        if has_text && vals.len() >= VALUES {
            break; // prose after the table (some reports drop section 五's heading)
        }
        if has_text && vals.iter().all(|w| w.0.is_some_and(|w| w.tok == Tok::Empty)) {
            // Empty cells before a header word are the header's own (the
            // cells under a merged title, one per line in a text export),
            // not values.
            vals.clear();
            first_value_line = None;
        }
        let run: Vec<Word> = s.run.iter().map(|&k| v.words[k]).collect();
        if has_text && run.iter().all(|w| w.tok == Tok::Empty) {
            continue; // a header row with an empty cell
        }
        if !run.is_empty() && first_value_line.is_none() {
            first_value_line = Some(i);
        }
        vals.extend(run.into_iter().map(|w| (Some(w), v.number)));
    }
    // Text laid out by position leaves no trace of a blank cell: a whole
    // table there whose cells are all blank, or show nothing but zeros, is
    // all zeros, wherever its zeros sit.
    let positioned = closed && views.iter().all(|v| matches!(v.kind, Some(Kind::Text | Kind::Placed)));
    let zero = |w: &(Option<Word>, usize)| w.0.is_some_and(|w| w.tok.is_zero());
    if positioned && vals.len() < VALUES && vals.iter().all(zero) {
        let text: String = views.iter().map(View::text).collect();
        let header =
            schema::TABLE4_PROCEEDINGS.iter().all(|p| text.contains(p.label.split(" / ").next().unwrap_or(p.label)));
        if header {
            return Ok([[0; 5]; 3]);
        }
    }
    if vals.is_empty() {
        return Err(Rejection::table(RejectKind::MissingTable, 4, "table 4 has no values", "表四中没有数字"));
    }
    merge_cut_row(&mut vals);
    if vals.len() < VALUES
        && let Some(placed) = first_value_line.and_then(|i| by_header_columns(&views[..i], &views[i..]))
    {
        vals = placed;
    }
    if vals.len() != VALUES
        && let Some(placed) = first_value_line.and_then(|i| overflowed_titles(&views[..i], &views[i]))
    {
        vals = placed;
    }
    if vals.len() != VALUES {
        return Err(Rejection::table(
            RejectKind::WrongCount,
            4,
            format!("{} where 15 are expected (5 for each of 3 proceedings)", values_word(vals.len())),
            format!("有 {} 个数，应为 15 个（行政复议、未经复议直接起诉、复议后起诉各 5 个）", vals.len()),
        )
        .line(vals[0].1));
    }
    values(&vals)
}

/// Fifteen values, in the form's order, as counts.
fn values(vals: &[(Option<Word>, usize)]) -> Result<Table4, Rejection> {
    let mut out = [[0u64; 5]; 3];
    for (i, (w, line)) in vals.iter().enumerate() {
        let p = &schema::TABLE4_PROCEEDINGS[i / 5];
        out[i / 5][i % 5] = count_of(w.as_ref()).map_err(|(kind, m)| {
            Rejection::table_why(kind, 4, m).row(format!("{} ({})", p.key, p.label)).line(*line)
        })?;
    }
    Ok(out)
}

/// A ruled table's value row of fifteen cells, some holding text before
/// their number (`持 0`): the last characters of the column's title, which
/// LibreOffice lets run over into the cell below when a page break cuts
/// the header row (`结果` / page break / `维` / `持 0`). Read cell by cell
/// when each such text, after the column's header text above, completes
/// one of the form's column titles (结果维持, …); `None` otherwise.
fn overflowed_titles<'v>(header: &[View<'v>], row: &View<'v>) -> Option<Vec<(Option<Word<'v>>, usize)>> {
    if row.kind != Some(Kind::Grid) || row.words.last().map(|w| w.cell as usize + 1) != Some(VALUES) {
        return None;
    }
    let mut out = Vec::with_capacity(VALUES);
    for c in 0..VALUES as u32 {
        let words: Vec<&Word> = row.words.iter().filter(|w| w.cell == c && !w.copied).collect();
        let (value, before) = words.split_last()?;
        if !value.tok.is_value() || before.iter().any(|w| w.tok != Tok::Text) {
            return None;
        }
        if !before.is_empty() {
            let tail: String = before.iter().map(|w| crate::text::normalize(w.raw)).collect();
            let above: String = header
                .iter()
                .filter(|v| v.kind == Some(Kind::Grid))
                .flat_map(|v| v.words.iter().filter(|w| w.cell == c && w.tok == Tok::Text))
                .map(|w| crate::text::normalize(w.raw))
                .collect();
            let completes = |t: &str| schema::TABLE4_COLUMNS.iter().any(|col| t.ends_with(col.label));
            if completes(&above) || !completes(&format!("{above}{tail}")) {
                return None;
            }
        }
        out.push((Some(**value), row.number));
    }
    Some(out)
}

/// Two rows of fifteen cells where one is expected, each cell blank in at
/// least one of them: one row that a page break cut in two (a PDF of a
/// Word table whose value row breaks across pages: the cells' last lines
/// on the next page, the rest of the row empty there). Merged into one,
/// each value where it stands; two values in one column stay thirty values,
/// and are reported.
fn merge_cut_row(vals: &mut Vec<(Option<Word>, usize)>) {
    if vals.len() != 2 * VALUES || vals[0].1 == vals[VALUES].1 {
        return;
    }
    let one_line = |r: &[(Option<Word>, usize)]| r.iter().all(|v| v.1 == r[0].1);
    let empty = |v: &(Option<Word>, usize)| v.0.is_none_or(|w| w.tok == Tok::Empty);
    let (a, b) = vals.split_at(VALUES);
    if !one_line(a) || !one_line(b) || a.iter().zip(b).any(|(x, y)| !empty(x) && !empty(y)) {
        return;
    }
    let merged: Vec<(Option<Word>, usize)> = a.iter().zip(b).map(|(x, y)| if empty(x) { *y } else { *x }).collect();
    *vals = merged;
}

/// Text laid out by position: a header line of fifteen column words gives
/// the columns; the value line's numbers are placed under them and the
/// columns left without one are blank. `None` when no header line names
/// fifteen columns, or the numbers do not sit clearly under them.
fn by_header_columns<'v>(header: &[View<'v>], rest: &[View<'v>]) -> Option<Vec<(Option<Word<'v>>, usize)>> {
    let positioned = |v: &View| matches!(v.kind, Some(Kind::Text | Kind::Placed));
    let columns = header.iter().rev().find(|v| {
        positioned(v)
            && v.words.len() == VALUES
            && v.words.iter().all(|w| w.tok == Tok::Text)
            && v.words.windows(2).all(|p| p[0].pos < p[1].pos)
    })?;
    let anchors = Anchors::new(columns.words.iter().map(|w| w.pos).collect());
    let line = rest.iter().find(|v| v.words.iter().any(|w| w.tok.is_value()))?;
    if !positioned(line) {
        return None;
    }
    let placed = anchors.place(line).ok()?;
    if !placed.label.is_empty() {
        return None;
    }
    Some(placed.slots.iter().map(|s| (s.map(|k| line.words[k]), line.number)).collect())
}
