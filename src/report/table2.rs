//! Table 2 (主动公开政府信息情况): lines of its section → one value per
//! measure of the form's items, or the reason it cannot be read.
//!
//! The same passes as table 3 (words, label stream and heads, runs given to
//! rows in the form's order), with rows of different widths (规章 has three
//! measures, 行政许可 one) and decimal amounts. An amount may carry its unit
//! (`251000元`, `3.5万元`): it is converted exactly to the column's unit
//! (万元), or, when it cannot be, table 2 is left out with the reason. A
//! table 2 that cannot be read never stops table 3 from being summed.

use super::heads::{self, Stream, Target};
use super::rows::{self, RowAt, RunAt};
use super::table3::{BLANK_CELLS_HINT, fit, read_lines, runs, values_word};
use super::tokens::{Tok, View, Word};
use crate::error::{RejectKind, Rejection, Why, why};
use crate::layout::Kind;
use crate::schema::{self, Format, Item};
use crate::text::{self, Decimal};

/// Which form a table 2 uses, from its header words.
pub(super) fn format_of(views: &[View]) -> Option<Format> {
    let text: String = views.iter().map(View::text).collect();
    if text.contains(schema::TABLE2_HEADER_2021) {
        Some(Format::F2021)
    } else if text.contains(schema::TABLE2_HEADER_2019) {
        Some(Format::F2019)
    } else {
        None
    }
}

/// Read table 2 of `format` from the lines of its section.
pub(super) fn read(views: &[View], format: Format) -> Result<Vec<Decimal>, Rejection> {
    let items: &[Item] = schema::table2_items(format);
    // Amounts whose column is stated in 元 rather than 万元.
    let whole_text: String = views.iter().map(View::text).collect();
    let column_in_yuan = whole_text.contains("单位:元") || whole_text.contains("(元)");
    // Amounts written with their unit become numbers in 万元.
    let mut views = views.to_vec();
    for v in &mut views {
        for w in &mut v.words {
            if w.tok != Tok::Text {
                continue;
            }
            match amount_with_unit(w.raw) {
                Some(Ok(value)) => w.tok = Tok::Num(text::Num { value, blank: false }),
                Some(Err(msg)) => return Err(Rejection::table_why(RejectKind::NotANumber, 2, msg).line(v.number)),
                None => {}
            }
        }
    }
    let views = &views[..];
    let reads = read_lines(views, None);
    let mut stream = Stream::default();
    for r in &reads {
        stream.push(r.as_ref().map_or("", |r| r.label.as_str()));
    }
    let mut row_hits: Vec<Vec<(usize, usize)>> = vec![Vec::new(); items.len()];
    for h in heads::find(&stream) {
        if let Target::Item2(f, i) = h.target
            && f == format
        {
            row_hits[i].push((h.first, h.last));
        }
    }
    if row_hits.iter().all(Vec::is_empty) {
        return Err(Rejection::table(
            RejectKind::MissingTable,
            2,
            "table 2 has no rows of the form",
            "表二中没有表格规定的行",
        ));
    }
    let start = row_hits.iter().flatten().map(|h| h.0).min().unwrap_or(0);
    let reads: Vec<_> = reads.into_iter().map(Result::unwrap_or_default).collect();
    // A run gathers at most as many one-per-line values as the widest item.
    let widest = items.iter().map(|it| it.measures.len()).max().unwrap_or(1);
    let mut runs = runs(&reads, views, start, widest);
    let headers = header_cells(views);
    // Text laid out by position leaves no trace of a blank cell.
    let positioned = views.iter().all(|v| matches!(v.kind, Some(Kind::Text | Kind::Placed)));
    for run in &mut runs {
        let holder = |l: usize| (0..items.len()).find(|&i| row_hits[i].iter().any(|&(a, b)| a <= l && l <= b));
        // One cell per line: the values start on the line after the label
        // (a run under its label: the line before it is that label's).
        let held = holder(run.line);
        let below = held.is_none() && run.under_label;
        let own = held.or_else(|| below.then(|| holder(run.line - 1)).flatten());
        if let Some(i) = own {
            let width = items[i].measures.len();
            if run.stacked && run.all_empty() {
                // Blank cells one per line, and the blank line after the
                // sub-table: zeros, whichever of them are the item's.
                run.values.truncate(width);
            }
            let zero = |w: &Option<Word>| w.is_some_and(|w| w.tok.is_zero());
            match by_header_cells(&views[run.line], headers[run.line], width) {
                Some(values) => run.values = values,
                None if positioned && run.values.len() < width => {
                    if let Some(values) = by_titles(views, run.line, items[i].measures) {
                        run.values = values;
                    } else if run.values.iter().all(zero) {
                        // Nothing but zeros: all zeros, wherever they sit.
                        run.values.resize(width, None);
                    }
                }
                None => {
                    let grid = run.cells_are_values(views);
                    fit(&mut run.values, width, grid);
                }
            }
            // Values on the lines just below an item's label are that
            // item's: short of its width (blank cells that left no line),
            // they are not another item's of that width further down.
            if below && run.values.len() != width {
                let (en, zh) = (
                    format!("{} where {width} are expected", values_word(run.values.len())),
                    format!("有 {} 个数，应为 {width} 个", run.values.len()),
                );
                let (en, zh) = if run.values.len() < width && views[run.line].kind != Some(Kind::Grid) {
                    (en + BLANK_CELLS_HINT.0, zh + BLANK_CELLS_HINT.1)
                } else {
                    (en, zh)
                };
                return Err(Rejection::table(RejectKind::WrongCount, 2, en, zh)
                    .row(format!("{} ({})", items[i].key, items[i].label))
                    .line(run.number));
            }
        }
    }
    let rows_at: Vec<RowAt> =
        items.iter().zip(&row_hits).map(|(it, h)| RowAt { width: it.measures.len(), hits: h.clone() }).collect();
    super::table3::drop_unclaimed_blanks(&mut runs, &rows_at);
    super::table3::drop_continued_blanks(&mut runs, &rows_at);
    let runs_at: Vec<RunAt> = runs.iter().map(|r| RunAt { line: r.line, len: r.values.len() }).collect();
    // There, a row of blank cells shows no number at all: it is blank
    // where its label is found and the order leaves it no run.
    let assignment = rows::assign(&rows_at, &runs_at, positioned).map_err(|_| explain(items, &rows_at, &runs))?;
    let mut out = Vec::with_capacity(items.iter().map(|it| it.measures.len()).sum());
    for (k, it) in items.iter().enumerate() {
        let name = format!("{} ({})", it.key, it.label);
        let Some(i) = assignment.runs[k] else {
            if positioned && !rows_at[k].hits.is_empty() {
                out.extend(it.measures.iter().map(|_| Decimal(0)));
                continue;
            }
            return Err(Rejection::table(
                RejectKind::MissingRow,
                2,
                "the row is missing or has no values",
                "缺少该行，或该行没有数字",
            )
            .row(name));
        };
        let run = &runs[i];
        if let Some(word) = run.stray {
            return Err(Rejection::table(
                RejectKind::NotANumber,
                2,
                format!("text \"{word}\" where a number should be"),
                format!("应填数字处写的是“{word}”"),
            )
            .row(name)
            .line(run.number));
        }
        if rows_at[k].hits.is_empty() {
            return Err(Rejection::table(
                RejectKind::Unlabeled,
                2,
                "the row's label is missing: its numbers cannot be placed with certainty",
                "该行缺少行名：无法确定这些数字属于哪一行",
            )
            .row(name)
            .line(run.number));
        }
        for (w, m) in run.values.iter().zip(it.measures) {
            let err = |kind, msg: Why| {
                Rejection::table(kind, 2, format!("{}: {}", m.key, msg.en), format!("{}：{}", m.label, msg.zh))
                    .row(&name)
                    .line(run.number)
            };
            let v = match w {
                None => Decimal(0),
                Some(w) => value(w, m, column_in_yuan).map_err(|(kind, msg)| err(kind, msg))?,
            };
            out.push(v);
        }
    }
    Ok(out)
}

/// A row of cells with as many cells as its sub-table's header row
/// (`信息内容 | 本年制发件数 | …`), read cell by cell: the label in the first
/// cell, the item's values in the next `width`, empty padding after them (a
/// converter that joins the sub-tables into one pads the narrow ones). A
/// blank first value then stays in its column instead of being trimmed. A
/// row with a cell more or less than its header, or a word out of place, is
/// `None` and is read as words.
fn by_header_cells<'v>(v: &View<'v>, header: Option<usize>, width: usize) -> Option<Vec<Option<Word<'v>>>> {
    if !matches!(v.kind, Some(Kind::Cells | Kind::Grid)) {
        return None;
    }
    let n = cells(v);
    if header? != n || n < width + 1 {
        return None;
    }
    let mut values: Vec<Option<Word>> = vec![None; width];
    for w in &v.words {
        let c = w.cell as usize;
        let value = matches!(w.tok, Tok::Num(_) | Tok::TooLarge | Tok::Empty);
        match c {
            0 if w.tok == Tok::Text || w.tok == Tok::Empty => {}
            c if (1..=width).contains(&c) && value && values[c - 1].is_none() => values[c - 1] = Some(*w),
            c if c > width && w.tok == Tok::Empty => {}
            _ => return None,
        }
    }
    values.iter().all(Option::is_some).then_some(values)
}

/// A row of text laid out by position whose values are fewer than its
/// item's measures, placed under the titles of the measures (`本年制发件数
/// 本年废止件数 现行有效件数`) on the nearest line above, on the same page,
/// that prints them all, apart: on pdftotext's character grid for its text, by x for words
/// placed on a PDF page. `None` when no such line is near, or a value does
/// not sit clearly under one title.
fn by_titles<'v>(views: &[View<'v>], line: usize, measures: &[schema::Measure]) -> Option<Vec<Option<Word<'v>>>> {
    const NEAR: usize = 8;
    let grid = views[line].kind == Some(Kind::Text);
    let on = |v: &View<'v>| if grid { v.on_char_grid() } else { v.clone() };
    let titles: Vec<String> = measures.iter().map(|m| text::normalize(m.label)).collect();
    // On the row's own page: pdftotext places each page's columns its own
    // way, so a header on the page before says nothing of this one.
    let page = views[line].page;
    let header =
        views[line.saturating_sub(NEAR)..line].iter().rev().filter(|v| v.page == page).map(on).find_map(|v| {
            let at: Vec<&Word> =
                titles.iter().map(|t| v.words.iter().find(|w| text::normalize(w.raw) == *t)).collect::<Option<_>>()?;
            // Laid out, not run together: two characters or more between titles
            // on the grid (single spaces, as `pdftotext -raw` writes, say
            // nothing of where a column is).
            let extent = |w: &Word| w.raw.chars().count() as f32;
            let apart = !grid || at.windows(2).all(|p| (p[1].pos - extent(p[1])) - (p[0].pos + extent(p[0])) >= 4.0);
            apart.then(|| at.iter().map(|w| w.pos).collect::<Vec<f32>>())
        })?;
    let anchors = super::columns::Anchors::new(header);
    let row = on(&views[line]);
    let placed = anchors.place(&row).ok()?;
    Some(placed.slots.iter().map(|s| s.map(|k| row.words[k])).collect())
}

/// The number of cells of a row of cells (its last word's cell, plus one).
fn cells(v: &View) -> usize {
    v.words.last().map_or(0, |w| w.cell as usize + 1)
}

/// For each line, the number of cells of the nearest sub-table header row
/// (`信息内容 | …`) before it, found in one pass over the section.
fn header_cells(views: &[View]) -> Vec<Option<usize>> {
    let mut last = None;
    views
        .iter()
        .map(|h| {
            let here = last;
            if h.words.first().is_some_and(|w| w.cell == 0 && text::normalize(w.raw) == schema::TABLE2_ITEM_HEADER) {
                last = Some(cells(h));
            }
            here
        })
        .collect()
}

/// One value of table 2, exactly, in the measure's unit.
fn value(w: &Word, m: &schema::Measure, column_in_yuan: bool) -> Result<Decimal, (RejectKind, Why)> {
    let raw = w.raw;
    let n = match w.tok {
        Tok::Empty => return Ok(Decimal(0)),
        Tok::Num(n) if n.blank => return Ok(Decimal(0)),
        Tok::Num(n) => n.value,
        Tok::TooLarge => {
            return Err((RejectKind::Overflow, why(format!("\"{raw}\" is too large"), format!("“{raw}”过大"))));
        }
        Tok::Text | Tok::Unit => {
            return Err((
                RejectKind::NotANumber,
                why(format!("\"{raw}\" is not a number"), format!("“{raw}”不是数字")),
            ));
        }
    };
    let has_unit = text::normalize(raw).ends_with(['元', '万']);
    let n = if m.decimal && column_in_yuan && !has_unit { yuan_to_wan(n, raw)? } else { n };
    if n.0 < 0 && !m.signed {
        return Err((RejectKind::NotANumber, why(format!("\"{raw}\" is negative"), format!("“{raw}”是负数"))));
    }
    if n.as_int().is_none() && !m.decimal {
        return Err((
            RejectKind::NotANumber,
            why(format!("\"{raw}\" is not a whole number"), format!("“{raw}”不是整数")),
        ));
    }
    Ok(n)
}

/// An amount in 元 as 万元, when four decimal places hold it exactly.
fn yuan_to_wan(n: Decimal, raw: &str) -> Result<Decimal, (RejectKind, Why)> {
    // n is in units of 1/SCALE 元; in 万元 that is n / 10000, exact only
    // when it has no more than four places.
    if n.0 % 10_000 != 0 {
        return Err((
            RejectKind::NotANumber,
            why(
                format!("\"{raw}\" 元 cannot be written exactly in 万元 with four decimal places"),
                format!("“{raw}”元换算为万元后超过四位小数，无法精确表示"),
            ),
        ));
    }
    Ok(Decimal(n.0 / 10_000))
}

/// An amount word with its unit (`251000元`, `3.5万元`, `3.5万`), as a
/// number in 万元; `None` for any other word. Applied to table 2's words
/// before the rows are read.
pub(super) fn amount_with_unit(word: &str) -> Option<Result<Decimal, Why>> {
    let n = text::normalize(word);
    let (digits, scale) = if let Some(d) = n.strip_suffix("万元").or_else(|| n.strip_suffix('万')) {
        (d, 1)
    } else if let Some(d) = n.strip_suffix('元') {
        (d, 10_000)
    } else {
        return None;
    };
    let Some(Ok(num)) = text::parse_number(digits) else { return None };
    if num.blank {
        return Some(Ok(Decimal(0)));
    }
    if scale == 1 {
        return Some(Ok(num.value));
    }
    Some(if num.value.0 % scale == 0 {
        Ok(Decimal(num.value.0 / scale))
    } else {
        Err(why(
            format!("\"{word}\" cannot be written exactly in 万元 with four decimal places"),
            format!("“{word}”换算为万元后超过四位小数，无法精确表示"),
        ))
    })
}

fn explain(items: &[Item], rows: &[RowAt], runs: &[super::table3::Run]) -> Rejection {
    let holds = |k: usize, line: usize| rows[k].holds(line);
    for run in runs {
        if let Some(k) = (0..items.len()).find(|&k| holds(k, run.line))
            && run.values.len() != rows[k].width
        {
            return Rejection::table(
                RejectKind::WrongCount,
                2,
                format!("{} where {} are expected", values_word(run.values.len()), rows[k].width),
                format!("有 {} 个数，应为 {} 个", run.values.len(), rows[k].width),
            )
            .row(format!("{} ({})", items[k].key, items[k].label))
            .line(run.number);
        }
    }
    if let Some(k) = (0..items.len()).find(|&k| rows[k].hits.is_empty()) {
        return Rejection::table(RejectKind::MissingRow, 2, "the row is missing", "缺少该行")
            .row(format!("{} ({})", items[k].key, items[k].label));
    }
    Rejection::table(
        RejectKind::Unlabeled,
        2,
        format!(
            "{} rows of values for {} items: which numbers belong to which item is not certain",
            runs.len(),
            items.len()
        ),
        format!("读到 {} 行数字，表格规定 {} 项：无法确定各数属于哪一项", runs.len(), items.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_with_their_unit_are_converted_exactly() {
        assert_eq!(amount_with_unit("251000元"), Some(Ok(Decimal(25_1000))));
        assert_eq!(amount_with_unit("3.5万元"), Some(Ok(Decimal(3_5000))));
        assert_eq!(amount_with_unit("0元"), Some(Ok(Decimal(0))));
        assert!(matches!(amount_with_unit("12.345元"), Some(Err(_))));
        assert_eq!(amount_with_unit("规章"), None);
    }
}
