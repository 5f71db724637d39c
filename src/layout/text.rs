//! Plain-text layouts: tab-separated rows copied from a web page, one cell
//! per line, runs of spaces (`pdftotext -layout`, pandoc's multiline
//! tables), single spaces (`pdftotext -raw`) and Markdown pipe tables.
//!
//! A line split at tabs or pipes is a row of cells ([`Kind::Cells`]); any
//! other line is one cell ([`Kind::Text`]) with its leading spaces kept, for
//! the words' columns. Markdown and pandoc table rules (`|---|---|`,
//! `-------- ------`) are not lines of the document, and Markdown's
//! backslash escapes (`1\.`, `\"`, `\-`) are undone. A form feed starts a new
//! line but not a new line number: an editor shows it as a character, and
//! messages name the line an editor shows.
//!
//! Every file has a budget of text, lines and cells (issue 16): a line costs
//! some 70 bytes and a cell some 50 whatever their text, so a 14 MB line of
//! 7 million tabs would cost half a gigabyte. A file past one is rejected
//! with the limit named, before the cells are built.
//!
//! Markdown may hold raw HTML: pandoc's GitHub Markdown writes a table with
//! merged cells (table 4's header) as an HTML `<table>`. Such a block, from
//! a line starting `<table` to the line holding `</table>`, is read by the
//! HTML layout as the grid it is, its lines numbered by the line of its
//! `<table` tag.
//!
//! pandoc's multiline and simple tables (`---- ---` column rules) are cut
//! into cells at their columns by [`super::pandoc`].

use super::{Kind, Line, pandoc};
use crate::error::{RejectKind, Rejection};
use std::borrow::Cow;

/// Bytes of decoded text a file may hold: the file itself is at most
/// [`crate::read::MAX_TEXT_BYTES`], and UTF-16 or GBK text grows by half
/// as UTF-8.
pub const MAX_TEXT_BYTES: usize = 32 << 20;

/// Lines a file may give (a report has a few hundred; a long one with its
/// tables one cell per line a few thousand).
pub const MAX_LINES: usize = 200_000;

/// Cells a file may give, all lines together (a report's tables have under
/// a thousand): some 25 MB of cells at most.
pub const MAX_CELLS: usize = 500_000;

/// Lines kept above a pandoc column rule, for the table's header.
const RECENT: usize = 32;

/// Lines a pandoc table may run below its rule (a report's table 3, one
/// row of a few lines each, has a few hundred).
const MAX_TABLE_LINES: usize = 5000;

/// What a file has spent of its budget.
#[derive(Default)]
struct Budget {
    lines: usize,
    cells: usize,
}

impl Budget {
    /// Count a line of `n` cells about to be built.
    fn line(&mut self, n: usize, number: usize) -> Result<(), Rejection> {
        self.lines += 1;
        self.cells = self.cells.saturating_add(n);
        if self.lines > MAX_LINES {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!("more than {MAX_LINES} lines of text (line limit): far beyond any annual report, not read"),
                format!("文字超过 {MAX_LINES} 行，远超任何年度报告：不读取"),
            ));
        }
        if self.cells > MAX_CELLS {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!(
                    "more than {MAX_CELLS} table cells (tabs or |; cell limit): far beyond any annual report, not read"
                ),
                format!("表格单元格超过 {MAX_CELLS} 个，远超任何年度报告：不读取"),
            )
            .line(number));
        }
        Ok(())
    }
}

/// What an empty line of the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// Space between lines (paragraphs, and the cells of a table written
    /// one cell per line with a blank line between): not a line.
    Gap,
    /// An empty cell of a table written one cell per line with nothing
    /// between cells, as LibreOffice's "Text (encoded)" export writes a
    /// Word table: a line of one empty cell ([`Kind::Cells`]).
    Cell,
}

/// Split text into lines of cells, within the file's budget, its empty
/// lines gaps ([`Blank::Gap`]).
pub fn read(text: &str) -> Result<Vec<Line<'_>>, Rejection> {
    read_as(text, Blank::Gap)
}

/// Could the text's empty lines be blank cells ([`Blank::Cell`])? Only in a
/// text of one cell per line with nothing between cells: an empty line
/// between lines of text, more lines of text right after a line of text
/// than after an empty line (one cell per line *with* a blank line between
/// cells is the other way round), and no line that holds cells (tabs,
/// pipes) or two numbers side by side (a row of a table laid out by spaces,
/// where an empty line is only space: `pdftotext -layout` leaves empty
/// lines around a row whose blank cells left no mark).
pub fn one_cell_per_line(text: &str) -> bool {
    let number = |w: &str| w.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || c == ',' || c == '.');
    // Lines of text after a line of text, and after an empty line.
    let (mut adjacent, mut after_gap) = (0usize, 0usize);
    let (mut text_before, mut last_empty) = (false, false);
    for line in text.split('\n') {
        let t = line.trim();
        let mut words = t.split_whitespace().map(number);
        let mut prev = words.next().unwrap_or(false);
        let two_numbers = words.any(|n| std::mem::replace(&mut prev, n) && n);
        if t.contains('\t') || t.starts_with('|') || two_numbers {
            return false;
        }
        let empty = t.is_empty();
        if !empty && text_before {
            if last_empty {
                after_gap += 1;
            } else {
                adjacent += 1;
            }
        }
        text_before |= !empty;
        last_empty = empty;
    }
    after_gap > 0 && adjacent > after_gap
}

/// [`read`], with empty lines read as `blank` says.
pub fn read_as(text: &str, blank: Blank) -> Result<Vec<Line<'_>>, Rejection> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Rejection::doc(
            RejectKind::Unsupported,
            format!(
                "more than {} MB of text (text limit): far beyond any annual report, not read",
                MAX_TEXT_BYTES >> 20
            ),
            format!("文字超过 {} MB，远超任何年度报告：不读取", MAX_TEXT_BYTES >> 20),
        ));
    }
    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let mut lines = Vec::with_capacity(breaks.min(MAX_LINES));
    let mut budget = Budget::default();
    let mut number = 0;
    // Form feeds so far: the page of the lines read now.
    let mut pages = 0u32;
    let mut source = text.split('\n');
    // The lines just read, for a pandoc table's header above its rule.
    let mut recent: std::collections::VecDeque<&str> = std::collections::VecDeque::with_capacity(RECENT);
    while let Some(line) = source.next() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if recent.len() == RECENT {
            recent.pop_front();
        }
        recent.push_back(line);
        if pandoc::columns(line).is_some() {
            // The table is looked at through a window: the lines above and
            // at most MAX_TABLE_LINES below, so no file makes a copy of
            // every line of its own.
            let mut window: Vec<&str> = recent.iter().copied().collect();
            let rule = window.len() - 1;
            window.extend(source.clone().take(MAX_TABLE_LINES).map(|l| l.strip_suffix('\r').unwrap_or(l)));
            if let Some((rows, end)) = pandoc::table(&window, rule) {
                let at = number + 1;
                for row in rows {
                    budget.line(row.cells.len(), at + row.first - rule)?;
                    let cells = row.cells.into_iter().map(|c| super::Cell::new(unescape_owned(c)));
                    lines.push(Line {
                        cells: cells.collect(),
                        kind: Kind::Cells,
                        number: at + row.first - rule,
                        page: 0,
                    });
                }
                number += end - rule;
                for _ in rule + 1..end {
                    source.next();
                }
                recent.clear();
                continue;
            }
        }
        if starts_table(line) {
            number += 1;
            let start = number;
            let mut block = String::from(line);
            let mut closed = line.contains("</table>");
            while !closed && let Some(next) = source.next() {
                number += 1;
                block.push('\n');
                block.push_str(next);
                closed = next.contains("</table>");
            }
            match super::html::read(&block) {
                Ok(table) => {
                    for l in table {
                        budget.line(l.cells.len(), start)?;
                        lines.push(renumbered(l, start));
                    }
                }
                // Past the HTML budgets: the block is left as text, which
                // reads as no table at all (and is rejected as such).
                Err(_) => {
                    for l in block.split('\n') {
                        budget.line(1, start)?;
                        lines.push(Line::text(l.to_string(), start));
                    }
                }
            }
            continue;
        }
        // Old Mac line ends: each piece is a line of its own.
        for piece in line.split('\r') {
            number += 1;
            // Only a line empty from end to end is a blank cell; the empty
            // ends of a line a form feed cut are not,
            // nor is the end of a file's last line.
            let blank = match blank {
                Blank::Cell if piece.contains('\u{c}') || (piece.is_empty() && source.clone().next().is_none()) => {
                    Blank::Gap
                }
                b => b,
            };
            for (k, text) in piece.split('\u{c}').enumerate() {
                pages += u32::from(k > 0);
                let from = lines.len();
                read_line(text, number, blank, &mut lines, &mut budget)?;
                for l in &mut lines[from..] {
                    l.page = pages;
                }
            }
        }
    }
    Ok(lines)
}

/// An owned line of the HTML layout as a line of this text, numbered
/// `number`. (The cells are moved one by one: a `SmallVec` of cells does not
/// shorten its lifetime by itself.)
fn renumbered<'a>(l: Line<'static>, number: usize) -> Line<'a> {
    let shorter = |c: super::Cell<'static>| -> super::Cell<'a> { c };
    let cells = l.cells.into_iter().map(shorter).collect();
    Line { cells, kind: l.kind, number, page: 0 }
}

/// Does a line open a raw HTML table (Markdown's embedded HTML)?
fn starts_table(line: &str) -> bool {
    let t = line.trim_start().as_bytes();
    t.len() >= 6 && t[..6].eq_ignore_ascii_case(b"<table") && t.get(6).is_none_or(|b| matches!(b, b'>' | b' ' | b'\t'))
}

/// One line of text into cells (none for a table rule, nor for a blank
/// line unless `blank` makes it a cell).
fn read_line<'a>(
    raw: &'a str,
    number: usize,
    blank: Blank,
    lines: &mut Vec<Line<'a>>,
    budget: &mut Budget,
) -> Result<(), Rejection> {
    let trimmed = raw.trim();
    if trimmed.is_empty() && blank == Blank::Cell {
        budget.line(1, number)?;
        lines.push(Line { cells: [super::Cell::new("")].into_iter().collect(), kind: Kind::Cells, number, page: 0 });
        return Ok(());
    }
    if trimmed.is_empty() || is_rule(trimmed) {
        return Ok(());
    }
    // Cells are counted before they are built.
    let count = |row: &str, sep: u8| memchr::memchr_iter(sep, row.as_bytes()).count() + 1;
    if trimmed.starts_with('|') {
        let inner = trimmed.trim_start_matches('|');
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        budget.line(count(inner, b'|'), number)?;
        lines.push(cells(inner, '|', number));
    } else if raw.contains('\t') {
        budget.line(count(raw, b'\t'), number)?;
        lines.push(cells(raw, '\t', number));
    } else {
        // Leading spaces kept: in space-aligned text, where a word starts
        // tells which column it is in.
        budget.line(1, number)?;
        lines.push(Line::text(unescape(raw.trim_end()), number));
    }
    Ok(())
}

/// A row split at `sep`, each cell trimmed and unescaped.
fn cells(row: &str, sep: char, number: usize) -> Line<'_> {
    let cells = row.split(sep).map(|c| super::Cell::new(unescape(c.trim())));
    Line { cells: cells.collect(), kind: Kind::Cells, number, page: 0 }
}

/// A table rule, not a line of text: a Markdown pipe rule (`|---|:--:|`,
/// every cell three dashes or more), a pandoc multiline or grid table rule
/// (`-------- ------`, `+----+----+`, `====`). A row of single dashes
/// (`| - | - |`) is a row of blank cells, and a lone `-` or `—` a blank value.
fn is_rule(line: &str) -> bool {
    if let Some(inner) = line.strip_prefix('|') {
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        return !inner.is_empty()
            && inner.split('|').all(|c| {
                let c = c.trim().trim_matches(':');
                c.len() >= 3 && c.bytes().all(|b| b == b'-')
            });
    }
    // A run of four dashes or more: `- - - -` is a row of blank markers.
    let long_run = line.as_bytes().windows(4).any(|w| w.iter().all(|&b| b == b'-') || w.iter().all(|&b| b == b'='));
    long_run && line.bytes().all(|b| matches!(b, b'-' | b'=' | b'+' | b':' | b' '))
}

/// [`unescape`] of an owned cell's text.
fn unescape_owned(s: String) -> String {
    match unescape(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    }
}

/// Markdown's backslash escapes undone (`1\.` → `1.`, `\"` → `"`): a
/// backslash before ASCII punctuation stands for that character alone.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Line<'_>> {
        super::read(text).unwrap()
    }

    fn texts<'a>(l: &'a [Line<'_>]) -> Vec<Vec<&'a str>> {
        l.iter().map(|l| l.cells.iter().map(|c| c.text.as_ref()).collect()).collect()
    }

    #[test]
    fn empty_lines_are_cells_only_when_asked() {
        let text = "规章\n\n0\n \n4\n\u{c}\n";
        assert_eq!(texts(&read(text)), [vec!["规章"], vec!["0"], vec!["4"]]);
        let cells = read_as(text, Blank::Cell).unwrap();
        // The form feed's empty ends and the end of the last line are no
        // cells; the lines empty from end to end are, numbered where an
        // editor shows them.
        assert_eq!(texts(&cells), [vec!["规章"], vec![""], vec!["0"], vec![""], vec!["4"]]);
        assert_eq!(cells.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        assert_eq!(cells[1].kind, Kind::Cells);
    }

    #[test]
    fn blank_lines_may_be_cells_only_in_text_of_one_cell_per_line() {
        assert!(one_cell_per_line("规章\n\n0\n0\n4"));
        assert!(one_cell_per_line("规章\r\n \r\n0\r\n4\r\n2024年 共 3 件，办结 2 件"));
        // One cell per line with a blank line between cells: there an
        // empty line is a gap.
        assert!(!one_cell_per_line("规章\n\n0\n\n0\n\n4\n行政许可\n\n9"));
        assert!(!one_cell_per_line("\n\n规章\n0\n\n"), "no empty line between lines");
        // A row laid out by spaces, or cells split at tabs or pipes.
        assert!(!one_cell_per_line("规章\n\n1    0    0"));
        assert!(!one_cell_per_line("规章\n\n1 0"));
        assert!(!one_cell_per_line("规章\t0\n\n0"));
        assert!(!one_cell_per_line("| 规章 | 0 |\n\n0"));
    }

    #[test]
    fn an_html_table_in_markdown_is_read_as_its_grid() {
        // pandoc -t gfm writes table 4 (merged header cells) as raw HTML.
        let md = "四、行政复议\n\n<table>\n<tr>\n<th colspan=\"2\">行政复议</th>\n</tr>\n<tr>\n<td>结果<br />\n维持</td>\n<td>-</td>\n</tr>\n</table>\n\n五、问题";
        let l = read(md);
        assert_eq!(
            texts(&l),
            [vec!["四、行政复议"], vec!["行政复议", "行政复议"], vec!["结果 维持", "-"], vec!["五、问题"]]
        );
        assert_eq!(l[1].kind, Kind::Grid);
        assert!(l[1].cells[1].copied, "the span's copy is marked");
        assert_eq!(l.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 3, 3, 14]);
        // A line that only mentions the tag is text.
        assert_eq!(texts(&read("<tablet> 3")), [vec!["<tablet> 3"]]);
    }

    #[test]
    fn tab_rows_keep_empty_cells() {
        let l = read("一、本年新收\t\t1\t0\t");
        assert_eq!(texts(&l), [vec!["一、本年新收", "", "1", "0", ""]]);
        assert_eq!(l[0].kind, Kind::Cells);
    }

    #[test]
    fn markdown_rows_split_on_pipes_and_rules_vanish() {
        let l = read("| 规章 | 3 | 0 |\n|---|---|---|\n| a |  |\n| - | - | - |");
        assert_eq!(texts(&l), [vec!["规章", "3", "0"], vec!["a", ""], vec!["-", "-", "-"]]);
    }

    #[test]
    fn pandoc_rules_vanish_and_escapes_are_undone() {
        let l = read(
            "  ------ ------\n  1\\. 属于国家秘密   0\n  危及\\\"三安全一稳定\\\"  \\-\n  ======\n  -\n  —\n  - 4 -",
        );
        assert_eq!(
            texts(&l),
            [
                vec!["  1. 属于国家秘密   0"],
                vec!["  危及\"三安全一稳定\"  -"],
                vec!["  -"],
                vec!["  —"],
                vec!["  - 4 -"]
            ]
        );
        assert!(is_rule("+-----+-----+") && is_rule("----") && !is_rule("---") && !is_rule("- - - - - - -"));
    }

    #[test]
    fn a_pipe_or_tab_elsewhere_in_the_file_changes_no_other_line() {
        let text = "  规章  3\n| a | 1 |\n\t\n  x\t1\n\u{3000}\n 行政许可 　";
        let l = read(text);
        assert_eq!(texts(&l), [vec!["  规章  3"], vec!["a", "1"], vec!["x", "1"], vec![" 行政许可"]]);
        let alone: Vec<Vec<String>> = text
            .split('\n')
            .flat_map(read)
            .map(|l| l.cells.iter().map(|c| c.text.to_string()).collect::<Vec<String>>())
            .collect();
        let want: Vec<Vec<String>> = texts(&l).iter().map(|v| v.iter().map(|s| s.to_string()).collect()).collect();
        assert_eq!(alone, want);
    }

    #[test]
    fn form_feed_and_cr_break_lines_but_a_form_feed_keeps_the_line_number() {
        let l = read("a\u{c}b\rc\r\nd");
        let numbers: Vec<(&str, usize)> = l.iter().map(|l| (l.cells[0].text.as_ref(), l.number)).collect();
        assert_eq!(numbers, [("a", 1), ("b", 1), ("c", 2), ("d", 3)]);
        let l = read("a\n\nb\u{c}c\r\n\r\nd");
        let numbers: Vec<(&str, usize)> = l.iter().map(|l| (l.cells[0].text.as_ref(), l.number)).collect();
        assert_eq!(numbers, [("a", 1), ("b", 3), ("c", 3), ("d", 5)]);
    }

    #[test]
    fn a_file_past_its_budget_is_rejected_before_its_cells_are_built() {
        // One line of 7 million tabs: 14 MB, which would cost 400 MB of cells.
        let wide = "1\t".repeat(7_000_000);
        let r = super::read(&wide).unwrap_err();
        assert!(r.detail.contains("cell limit"), "{r:?}");
        let many = "a\n".repeat(MAX_LINES + 1);
        assert!(super::read(&many).unwrap_err().detail.contains("line limit"));
        assert_eq!(super::read(&"a\n".repeat(MAX_LINES)).unwrap().len(), MAX_LINES);
        let pipes = "|a|b|c|d|e|\n".repeat(MAX_CELLS / 5 + 1);
        assert!(super::read(&pipes).unwrap_err().detail.contains("cell limit"));
    }
}
