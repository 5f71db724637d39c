//! Plain-text layouts: tab-separated rows copied from a web page, one cell per
//! line, runs of spaces (`pdftotext -layout`), single spaces (`pdftotext -raw`)
//! and Markdown pipe tables. All are read the same way: a line is split into
//! cells at tabs or pipes; the words inside a cell are told apart later, so a
//! run of spaces and a single space both separate numbers.

use super::Line;
use crate::text::{trim, trim_end};

/// Split text into lines of cells. Form feeds and CR line ends count as line
/// breaks; Markdown separator rows (`|---|---|`) are dropped.
pub fn read(text: &str) -> Vec<Line<&str>> {
    let b = text.as_bytes();
    // Sized to the line count (a vectorised count): a guess from the byte
    // count was three times too large for space-aligned text, a fresh
    // 30-40 KB for every file.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', b).count() + 1);
    let mut number = 0;
    // Which separators the file has at all, found a vector at a time: most
    // files have no CR, form feed, tab or pipe, and their lines then need no
    // search of their own (see `Seps`).
    let seps = Seps {
        breaks: memchr::memchr2(b'\r', 0x0C, b).is_some(),
        tab: memchr::memchr(b'\t', b).is_some(),
        pipe: memchr::memchr(b'|', b).is_some(),
    };
    // Lines split with memchr (vectorised), not str::split's byte search.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', b).chain(std::iter::once(b.len()));
    for end in ends {
        // `\n` is ASCII: both ends are char boundaries.
        let line = &text[start..end];
        start = end + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if seps.breaks && memchr::memchr2(b'\r', 0x0C, line.as_bytes()).is_some() {
            // Old Mac line ends or form feeds inside (rare): each piece is a line.
            for piece in line.split(['\r', '\u{c}']) {
                number += 1;
                read_line(piece, number, seps, &mut lines);
            }
        } else {
            number += 1;
            read_line(line, number, seps, &mut lines);
        }
    }
    lines
}

/// Whether the file holds a line-breaking CR or form feed, a tab, a pipe.
#[derive(Clone, Copy)]
struct Seps {
    breaks: bool,
    tab: bool,
    pipe: bool,
}

/// One line of text into cells (none for a blank line or a Markdown rule).
fn read_line<'a>(raw: &'a str, number: usize, seps: Seps, lines: &mut Vec<Line<&'a str>>) {
    if seps.pipe {
        let trimmed = trim(raw);
        if trimmed.starts_with('|') {
            if is_markdown_rule(trimmed) {
                return;
            }
            let inner = trimmed.trim_start_matches('|');
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            lines.push(Line::text(cells(inner, b'|'), number));
            return;
        }
    }
    if seps.tab && memchr::memchr(b'\t', raw.as_bytes()).is_some() {
        lines.push(Line::text(cells(raw, b'\t'), number));
        return;
    }
    // Leading spaces kept: in pdftotext -layout output, where a word
    // starts tells which column it is in.
    let kept = trim_end(raw);
    if !kept.is_empty() {
        lines.push(Line::text(smallvec::smallvec![kept], number));
    }
}

/// The trimmed cells of a row split at `sep`, in a `Vec` of its final size
/// (a table row has a dozen cells: growing it would copy it three times).
fn cells(row: &str, sep: u8) -> Vec<&str> {
    // Cells are a few bytes: a plain loop finds the separators faster than
    // a search started afresh for each.
    let b = row.as_bytes();
    let mut cells = Vec::with_capacity(b.iter().filter(|&&x| x == sep).count() + 1);
    let mut start = 0;
    for (i, &x) in b.iter().enumerate() {
        if x == sep {
            // `sep` is ASCII: both ends are char boundaries.
            cells.push(trim(&row[start..i]));
            start = i + 1;
        }
    }
    cells.push(trim(&row[start..]));
    cells
}

/// A Markdown rule row: every cell three or more dashes (`|---|:--:|`). A
/// row of single dashes (`| - | - |`) is a row of blank cells.
fn is_markdown_rule(line: &str) -> bool {
    // Every cell of a rule is a run of three or more dashes: a row without
    // one is settled without splitting it.
    if memchr::memmem::find(line.as_bytes(), b"---").is_none() {
        return false;
    }
    let inner = line.trim_matches('|');
    !inner.is_empty()
        && inner.split('|').all(|c| {
            let c = c.trim().trim_matches(':');
            c.len() >= 3 && c.bytes().all(|b| b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_rows_keep_empty_cells() {
        let l = read("一、本年新收\t\t1\t0\t");
        assert_eq!(&l[0].cells[..], ["一、本年新收", "", "1", "0", ""]);
    }

    #[test]
    fn markdown_rows_split_on_pipes_and_rules_vanish() {
        let l = read("| 规章 | 3 | 0 |\n|---|---|---|\n| a |  |\n| - | - | - |");
        assert_eq!(l.len(), 3);
        assert_eq!(&l[0].cells[..], ["规章", "3", "0"]);
        assert_eq!(&l[1].cells[..], ["a", ""]);
        // Single dashes are blank cells, not a rule.
        assert_eq!(&l[2].cells[..], ["-", "-", "-"]);
    }

    #[test]
    fn a_pipe_or_tab_elsewhere_in_the_file_changes_no_other_line() {
        let text = "  规章  3\n| a | 1 |\n\t\n  x\t1\n\u{3000}\n 行政许可 　";
        let l = read(text);
        let cells: Vec<Vec<&str>> = l.iter().map(|l| l.cells.to_vec()).collect();
        assert_eq!(cells, [vec!["  规章  3"], vec!["a", "1"], vec!["", ""], vec!["x", "1"], vec![" 行政许可"]]);
        // Each line read alone gives the same cells.
        let alone: Vec<Vec<&str>> = text.split('\n').flat_map(read).map(|l| l.cells.to_vec()).collect();
        assert_eq!(alone, cells);
    }

    #[test]
    fn form_feed_and_cr_break_lines() {
        let l = read("a\u{c}b\rc\r\nd");
        let texts: Vec<_> = l.iter().map(|l| l.cells[0]).collect();
        assert_eq!(texts, ["a", "b", "c", "d"]);
        // Line numbers count every line, blank ones and pieces included.
        let l = read("a\n\nb\u{c}c\r\n\r\nd");
        let numbers: Vec<_> = l.iter().map(|l| (l.cells[0], l.number)).collect();
        assert_eq!(numbers, [("a", 1), ("b", 3), ("c", 4), ("d", 6)]);
    }
}
