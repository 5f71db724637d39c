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
//! Markdown may hold raw HTML: pandoc's GitHub Markdown writes a table with
//! merged cells (table 4's header) as an HTML `<table>`. Such a block, from
//! a line starting `<table` to the line holding `</table>`, is read by the
//! HTML layout as the grid it is, its lines numbered by the line of its
//! `<table` tag.

use super::{Kind, Line, pandoc};
use std::borrow::Cow;

/// Split text into lines of cells.
pub fn read(text: &str) -> Vec<Line<'_>> {
    let mut lines: Vec<Line<'_>> = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let mut number = 0;
    let source: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut i = 0;
    while let Some(&line) = source.get(i) {
        i += 1;
        if pandoc::columns(line).is_some()
            && let Some((rows, end)) = pandoc::table(&source, i - 1)
        {
            let rule = number + 1;
            for row in rows {
                let cells = row.cells.into_iter().map(|c| super::Cell::new(unescape_owned(c)));
                lines.push(Line { cells: cells.collect(), kind: Kind::Cells, number: rule + row.first - (i - 1) });
            }
            number += end - (i - 1);
            i = end;
            continue;
        }
        if starts_table(line) {
            number += 1;
            let start = number;
            let mut block = String::from(line);
            let mut closed = line.contains("</table>");
            while !closed && let Some(&next) = source.get(i) {
                i += 1;
                number += 1;
                block.push('\n');
                block.push_str(next);
                closed = next.contains("</table>");
            }
            match super::html::read(&block) {
                Ok(table) => lines.extend(table.into_iter().map(|l| renumbered(l, start))),
                // Past the HTML budgets: the block is left as text, which
                // reads as no table at all (and is rejected as such).
                Err(_) => lines.extend(block.split('\n').map(|l| Line::text(l.to_string(), start))),
            }
            continue;
        }
        // Old Mac line ends: each piece is a line of its own.
        for piece in line.split('\r') {
            number += 1;
            for page in piece.split('\u{c}') {
                read_line(page, number, &mut lines);
            }
        }
    }
    lines
}

/// An owned line of the HTML layout as a line of this text, numbered
/// `number`. (The cells are moved one by one: a `SmallVec` of cells does not
/// shorten its lifetime by itself.)
fn renumbered<'a>(l: Line<'static>, number: usize) -> Line<'a> {
    let shorter = |c: super::Cell<'static>| -> super::Cell<'a> { c };
    let cells = l.cells.into_iter().map(shorter).collect();
    Line { cells, kind: l.kind, number }
}

/// Does a line open a raw HTML table (Markdown's embedded HTML)?
fn starts_table(line: &str) -> bool {
    let t = line.trim_start().as_bytes();
    t.len() >= 6 && t[..6].eq_ignore_ascii_case(b"<table") && t.get(6).is_none_or(|b| matches!(b, b'>' | b' ' | b'\t'))
}

/// One line of text into cells (none for a blank line or a table rule).
fn read_line<'a>(raw: &'a str, number: usize, lines: &mut Vec<Line<'a>>) {
    let trimmed = raw.trim();
    if trimmed.is_empty() || is_rule(trimmed) {
        return;
    }
    if trimmed.starts_with('|') {
        let inner = trimmed.trim_start_matches('|');
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        lines.push(cells(inner, '|', number));
    } else if raw.contains('\t') {
        lines.push(cells(raw, '\t', number));
    } else {
        // Leading spaces kept: in space-aligned text, where a word starts
        // tells which column it is in.
        lines.push(Line::text(unescape(raw.trim_end()), number));
    }
}

/// A row split at `sep`, each cell trimmed and unescaped.
fn cells(row: &str, sep: char, number: usize) -> Line<'_> {
    let cells = row.split(sep).map(|c| super::Cell::new(unescape(c.trim())));
    Line { cells: cells.collect(), kind: Kind::Cells, number }
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

    fn texts<'a>(l: &'a [Line<'_>]) -> Vec<Vec<&'a str>> {
        l.iter().map(|l| l.cells.iter().map(|c| c.text.as_ref()).collect()).collect()
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
}
