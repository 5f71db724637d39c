//! Plain-text layouts: tab-separated rows copied from a web page, one cell per
//! line, runs of spaces (`pdftotext -layout`), single spaces (`pdftotext -raw`)
//! and Markdown pipe tables. All are read the same way: a line is split into
//! cells at tabs or pipes; the words inside a cell are told apart later, so a
//! run of spaces and a single space both separate numbers.

use super::Line;
use crate::text::{ends_unspaced, starts_unspaced, trim, trim_end};

/// Split text into lines of cells. Form feeds and CR line ends count as line
/// breaks; Markdown separator rows (`|---|---|`) are dropped.
pub fn read(text: &str) -> Vec<Line<'_>> {
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
fn read_line<'a>(raw: &'a str, number: usize, seps: Seps, lines: &mut Vec<Line<'a>>) {
    if seps.pipe {
        let trimmed = trim(raw);
        if trimmed.starts_with('|') {
            if is_markdown_rule(trimmed) {
                return;
            }
            let inner = trimmed.trim_start_matches('|');
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            lines.push(Line::cells(cells(inner, b'|'), number));
            return;
        }
    }
    if seps.tab && memchr::memchr(b'\t', raw.as_bytes()).is_some() {
        lines.push(Line::cells(cells(raw, b'\t'), number));
        return;
    }
    // Leading spaces kept: in pdftotext -layout output, where a word
    // starts tells which column it is in.
    let kept = trim_end(raw);
    if !kept.is_empty() {
        lines.push(Line::text(kept, number));
    }
}

/// The trimmed cells of a row split at `sep`, in a `Vec` of its final size
/// (a table row has a dozen cells: growing it would copy it three times).
fn cells(row: &str, sep: u8) -> Vec<&str> {
    // Cells are a few bytes: the separators are found eight bytes at a
    // time (a search started afresh for each cell costs more than a cell).
    let b = row.as_bytes();
    let mut cells = Vec::with_capacity(count_byte(b, sep) + 1);
    let mut start = 0;
    for_each_byte(b, sep, |i| {
        // `sep` is ASCII: both ends are char boundaries.
        cells.push(trim_cell(&row[start..i]));
        start = i + 1;
    });
    cells.push(trim_cell(&row[start..]));
    cells
}

/// [`trim`] for a cell of a few bytes (` 0 `, ` 规章 `): the spaces around it
/// passed a byte at a time, and the characters then at its ends settle it
/// unless they may be other whitespace.
#[inline]
fn trim_cell(cell: &str) -> &str {
    let b = cell.as_bytes();
    let (mut i, mut j) = (0, b.len());
    while i < j && b[i] == b' ' {
        i += 1;
    }
    while j > i && b[j - 1] == b' ' {
        j -= 1;
    }
    let t = &cell[i..j]; // ASCII spaces cut: boundaries
    let b = t.as_bytes();
    if t.is_empty() || (starts_unspaced(b) && ends_unspaced(b)) { t } else { trim(t) }
}

/// The bytes of `chunk` (eight, little-endian) equal to `sep`: the high bit
/// of each such byte. Exact: `((x & 0x7F..) + 0x7F..) | x` has the high bit
/// of every non-zero byte of `x`, with no carry between bytes.
#[inline]
fn byte_mask(chunk: u64, sep: u8) -> u64 {
    const LOW7: u64 = u64::from_ne_bytes([0x7F; 8]);
    let x = chunk ^ u64::from_ne_bytes([sep; 8]);
    !(((x & LOW7).wrapping_add(LOW7)) | x) & !LOW7
}

/// How many bytes of `b` are `sep`.
fn count_byte(b: &[u8], sep: u8) -> usize {
    let mut chunks = b.chunks_exact(8);
    let n: u32 =
        chunks.by_ref().map(|c| byte_mask(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])), sep).count_ones()).sum();
    n as usize + chunks.remainder().iter().filter(|&&x| x == sep).count()
}

/// Call `f` with the index of every byte of `b` equal to `sep`, in order.
fn for_each_byte(b: &[u8], sep: u8, mut f: impl FnMut(usize)) {
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for c in chunks.by_ref() {
        let mut m = byte_mask(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])), sep);
        while m != 0 {
            f(at + (m.trailing_zeros() / 8) as usize);
            m &= m - 1;
        }
        at += 8;
    }
    for (i, &x) in chunks.remainder().iter().enumerate() {
        if x == sep {
            f(at + i);
        }
    }
}

/// A Markdown rule row: every cell three or more dashes (`|---|:--:|`). A
/// row of single dashes (`| - | - |`) is a row of blank cells.
fn is_markdown_rule(line: &str) -> bool {
    let inner = line.trim_matches('|');
    // A rule's first cell starts with a dash or a colon: a row whose first
    // cell starts otherwise (a label, a number, a blank) is settled here.
    let first = inner.split('|').next().unwrap_or("").trim_start();
    if !first.starts_with(['-', ':']) {
        return false;
    }
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
        let cells: Vec<Vec<&str>> =
            l.iter().map(|l| l.cells.iter().map(|c| c.text.as_ref()).collect::<Vec<&str>>()).collect();
        assert_eq!(cells, [vec!["  规章  3"], vec!["a", "1"], vec!["", ""], vec!["x", "1"], vec![" 行政许可"]]);
        // Each line read alone gives the same cells.
        let alone: Vec<Vec<String>> = text
            .split('\n')
            .flat_map(read)
            .map(|l| l.cells.iter().map(|c| c.text.to_string()).collect::<Vec<String>>())
            .collect();
        assert_eq!(alone, cells);
    }

    #[test]
    fn separators_found_eight_bytes_at_a_time_are_every_separator() {
        // Every byte value beside the separator, at every offset in a chunk.
        let mut b: Vec<u8> = (0..=255u8).collect();
        b.extend((0..=255u8).rev().step_by(3));
        for sep in [b'|', b'\t', 0x00, 0x7F, 0x80, 0xFF] {
            for start in 0..9 {
                let b = &b[start..];
                let want: Vec<usize> = (0..b.len()).filter(|&i| b[i] == sep).collect();
                let mut got = Vec::new();
                for_each_byte(b, sep, |i| got.push(i));
                assert_eq!(got, want, "sep {sep:#x}, from {start}");
                assert_eq!(count_byte(b, sep), want.len());
            }
        }
        let runs = [b"||||||||||||||||||".as_slice(), b"|a||b|", b"", b"|"];
        for r in runs {
            let mut got = Vec::new();
            for_each_byte(r, b'|', |i| got.push(i));
            assert_eq!(got, (0..r.len()).filter(|&i| r[i] == b'|').collect::<Vec<_>>());
        }
    }

    #[test]
    fn cells_trimmed_as_trim_trims() {
        for c in crate::text::random_strings(" \t\u{3000}\u{a0}a1规\u{2003}~é𝄞", 30_000, 6, 8) {
            assert_eq!(trim_cell(&c), c.trim(), "{c:?}");
        }
    }

    #[test]
    fn markdown_rule_first_cell_check_changes_no_answer() {
        // The plain rule, without the first-cell shortcut.
        let plain = |line: &str| {
            let inner = line.trim_matches('|');
            !inner.is_empty()
                && inner.split('|').all(|c| {
                    let c = c.trim().trim_matches(':');
                    c.len() >= 3 && c.bytes().all(|b| b == b'-')
                })
        };
        // Lines of rule pieces: each letter stands for one.
        let piece = |c: char| match c {
            'a' => "|",
            'b' => "---",
            'c' => ":",
            'd' => " ",
            'e' => "-",
            'f' => "x",
            'g' => "\u{3000}",
            _ => "|---|",
        };
        let mut rules = 0;
        for l in crate::text::random_strings("abcdefgh", 20_000, 10, 9) {
            let l: String = l.chars().map(piece).collect();
            assert_eq!(is_markdown_rule(&l), plain(&l), "{l:?}");
            rules += usize::from(plain(&l));
        }
        assert!(rules > 500, "only {rules} rules");
        assert!(is_markdown_rule("|---|:---:|") && is_markdown_rule("| \u{3000}--- |---|"));
        assert!(!is_markdown_rule("| - | - |") && !is_markdown_rule("| 规章 | 3 |"));
    }

    #[test]
    fn form_feed_and_cr_break_lines() {
        let l = read("a\u{c}b\rc\r\nd");
        let texts: Vec<&str> = l.iter().map(|l| l.cells[0].text.as_ref()).collect();
        assert_eq!(texts, ["a", "b", "c", "d"]);
        // Line numbers count every line, blank ones and pieces included.
        let l = read("a\n\nb\u{c}c\r\n\r\nd");
        let numbers: Vec<(&str, usize)> = l.iter().map(|l| (l.cells[0].text.as_ref(), l.number)).collect();
        assert_eq!(numbers, [("a", 1), ("b", 3), ("c", 4), ("d", 6)]);
    }
}
