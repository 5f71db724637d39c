//! Page markers: the page headers and footers (`- 4 -`, `第 3 页`, `3/7`) a
//! converter leaves inside a table, recognised so that they carry no cell;
//! most lines settled by their first byte or their length.
//!
//! It owns what a page marker looks like; it knows nothing of tables.

use super::{fold_char, is_ascii_space, normalize, skip_spaces, trim};

/// Does the text hold one of - / － ／ — – − ― 页 (the characters
/// [`fold_char`] turns into a dash, a slash or 页)? Compared as UTF-8 bytes.
pub(super) fn has_marker_char(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'-' | b'/' => return true,
            0xE2 | 0xE9 | 0xEF if i + 2 < b.len() => {
                if matches!(
                    (b[i], b[i + 1], b[i + 2]),
                    (0xE2, 0x80, 0x93..=0x95) | (0xE2, 0x88, 0x92) | (0xE9, 0xA1, 0xB5) | (0xEF, 0xBC, 0x8D | 0x8F)
                ) {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Is the word a sub-row's list marker (`4.`, `4、`, `４．`): one or two
/// digits and a point or an enumeration comma, nothing else?
pub fn is_list_marker(word: &str) -> bool {
    let n = normalize(word);
    let digits = n.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits) && matches!(&n[digits..], "." | "、")
}

/// Is the line a page header or footer a converter left inside a table
/// (`- 4 -`, `— 5 —`, `第 3 页`, `3/7`)? Such lines carry no cell.
pub fn is_page_marker(line: &str) -> bool {
    // A page marker is a few short words, wherever the converter indented
    // it, with a dash, a slash or 页 (one of - / － ／ — – − ― 页: what
    // fold_char turns into them), and it starts with a dash, a digit, 第, 共
    // or 页 (or a U+FEFF the normaliser drops). Most lines (labels, prose)
    // are settled by their first character, a short line without a marker
    // character (a value) by one pass over its bytes, a long one by its length.
    let b = line.as_bytes();
    let start = skip_spaces(b, 0);
    let lead = match b.get(start) {
        None => return false,
        Some(&x) if x < 0x80 => x == b'-' || x.is_ascii_digit() || is_ascii_space(x),
        Some(_) => line[start..].chars().next().is_some_and(|c| c.is_whitespace() || may_start_marker(fold_char(c))),
    };
    if !lead || (b.len() - start <= 40 && !has_marker_char(&b[start..])) {
        return false;
    }
    let line = trim(line);
    if !line.chars().next().map(fold_char).is_some_and(may_start_marker) {
        return false;
    }
    if line.len() > 40 || !has_marker_char(line.as_bytes()) || line.split_whitespace().count() > 4 {
        return false;
    }
    // The line normalised (at most 40 characters), as characters on the
    // stack: only the few lines a report has that look like markers get here.
    let n: smallvec::SmallVec<[char; 64]> = normalize(line).chars().collect();
    let num = |s: &[char]| !s.is_empty() && s.iter().all(char::is_ascii_digit);
    // "- 4 -", "— 5 —": dashes on both sides (a lone "-2" is a value).
    if let (Some('-'), Some('-')) = (n.first(), n.last()) {
        let a = n.iter().position(|&c| c != '-').unwrap_or(n.len());
        let b = n.iter().rposition(|&c| c != '-').map_or(a, |k| k + 1);
        if num(&n[a..b.max(a)]) {
            return true;
        }
    }
    // "3/7" as one word (a row "1 1 1 1 1 / 5" is values).
    if !line.contains(char::is_whitespace)
        && let Some(k) = n.iter().position(|&c| c == '/')
    {
        return num(&n[..k]) && num(&n[k + 1..]);
    }
    // "第3页", "第3页共7页", "共7页第3页"
    let pages: smallvec::SmallVec<[char; 64]> =
        n.iter().copied().filter(|c| !matches!(c, '共' | '第' | '页')).collect();
    n.contains(&'页') && num(&pages)
}

/// Can a page marker start with this (folded) character?
fn may_start_marker(c: char) -> bool {
    c == '-' || c.is_ascii_digit() || matches!(c, '第' | '共' | '页' | '\u{FEFF}')
}
