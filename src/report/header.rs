//! Table 3's value columns from its header: where the column titles
//! (`自然人`, `商业企业`, … `总计`) sit across the page.
//!
//! `pdftotext -layout` keeps no blank cell, and a table whose rows each
//! leave most cells blank has no row that shows where every column is
//! ([`super::columns::learn`]). Its header still does: the titles are
//! printed in their columns, wrapped in narrow cells one or two characters
//! a line (`商业` / `企业`, `社` / `会` / `公` / `益` / `组` / `织`).
//! Fragments that overlap across lines are stacked into one title, top to
//! bottom; a header is used only when every title of the table is found
//! exactly once, in the form's order. This file owns that reading of the
//! header lines and knows nothing of the rows below.

use super::columns::Anchors;
use super::tokens::{Tok, View};
use crate::layout::Kind;
use crate::schema::{self, NCOLS};

/// The column titles of a table of `width` columns, left to right: the
/// form's seven, and 小计 before 总计 in a table that adds one.
fn titles(width: usize) -> Vec<&'static str> {
    let mut out: Vec<&'static str> =
        schema::TABLE3_COLUMNS.iter().map(|c| c.label.rsplit(" / ").next().unwrap_or(c.label)).collect();
    if width == NCOLS + 1 {
        out.insert(NCOLS - 1, schema::SUBTOTAL);
    }
    out
}

/// How far (half columns of pdftotext's grid) a number may sit from the
/// centre of its column's title: pdftotext places the header's lines and
/// the rows' lines each on its own, so a title is a less certain mark than
/// the numbers of complete rows; the numbers of the reports it was measured
/// on sit within one half column of their title, a left-aligned one within
/// two.
const TITLE_TOLERANCE: f32 = 3.0;

/// Stacks of fragments at most: table 4's header has fifteen columns,
/// table 3's eight; the rest is words of titles elsewhere on the lines.
const MAX_STACKS: usize = 64;

/// A title stacked from its fragments: its text, its extent across the
/// line, and the last header line that holds a fragment of it.
struct Fragment {
    text: String,
    span: [f32; 2],
    last: usize,
}

/// A header's columns and where it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The columns the titles name.
    pub anchors: Anchors,
    /// One past the last header line holding a title: the lines before are
    /// header, no row's label (a header repeated on a later page sits
    /// between two lines of one label).
    pub end: usize,
}

/// The columns named by the titles in `header` (the lines above a page's
/// first row), for a table of `width` columns. Positions are the lines'
/// own (on the character grid for `pdftotext -layout` text). `None` unless
/// every title is found once, left to right in the form's order.
pub fn columns(header: &[View], width: usize) -> Option<Header> {
    titled(header, &titles(width))
}

/// The fifteen columns of table 4 named by its header: 结果维持, 结果纠正,
/// 其他结果, 尚未审结, 总计, once for each proceeding, left to right.
pub fn table4_columns(header: &[View]) -> Option<Header> {
    let titles: Vec<&str> =
        (0..schema::TABLE4_PROCEEDINGS.len()).flat_map(|_| schema::TABLE4_COLUMNS.iter().map(|c| c.label)).collect();
    titled(header, &titles)
}

/// The columns of a header whose titles, stacked from their fragments and
/// read left to right, are exactly `titles` (words left of the first
/// title's column are a row's label: a 小计 row at the top of a page).
fn titled(header: &[View], titles: &[&str]) -> Option<Header> {
    let mut stacks: Vec<Fragment> = Vec::new();
    for (line, v) in header.iter().enumerate().filter(|(_, v)| matches!(v.kind, Some(Kind::Text))) {
        for w in &v.words {
            let text = crate::text::normalize(w.raw);
            if w.tok != Tok::Text || text.is_empty() || !titles.iter().any(|t| t.contains(text.as_str())) {
                continue;
            }
            // A word's centre is in half columns on the grid: it covers one
            // half column either side per character.
            let half = text.chars().count() as f32;
            let span = [w.pos - half, w.pos + half];
            let over: Vec<usize> =
                (0..stacks.len()).filter(|&k| stacks[k].span[0] < span[1] && span[0] < stacks[k].span[1]).collect();
            match over[..] {
                // More stacks than any header has columns: not a header.
                [] if stacks.len() >= MAX_STACKS => return None,
                [] => stacks.push(Fragment { text, span, last: line }),
                [k] => {
                    let s = &mut stacks[k];
                    s.text.push_str(&text);
                    s.span = [s.span[0].min(span[0]), s.span[1].max(span[1])];
                    s.last = line;
                }
                // A fragment across two stacks: they are not columns.
                _ => return None,
            }
        }
    }
    stacks.retain(|s| titles.contains(&s.text.as_str()));
    stacks.sort_by(|a, b| a.span[0].total_cmp(&b.span[0]));
    let left = stacks.iter().find(|s| s.text == titles[0])?.span[0];
    stacks.retain(|s| s.span[1] > left);
    if stacks.len() != titles.len() || stacks.iter().zip(titles).any(|(s, t)| s.text != *t) {
        return None;
    }
    let centres: Vec<f32> = stacks.iter().map(|s| (s.span[0] + s.span[1]) / 2.0).collect();
    let end = stacks.iter().map(|s| s.last + 1).max()?;
    if !centres.windows(2).all(|p| p[0] < p[1]) {
        return None;
    }
    let mut anchors = Anchors::new(centres);
    anchors.tolerance = anchors.tolerance.min(TITLE_TOLERANCE);
    Some(Header { anchors, end })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Line;

    fn grid(lines: &[&'static str]) -> Vec<Line<'static>> {
        lines.iter().enumerate().map(|(i, l)| Line::text(*l, i + 1)).collect()
    }

    #[test]
    fn titles_wrapped_one_or_two_characters_a_line_are_stacked() {
        // As pdftotext -layout prints a narrow header (r048): the group
        // titles above are no column's.
        let lines = grid(&[
            "                     法人或其他组织",
            "                        社会 法律           总计",
            "  自然人    商业  科研",
            "                        公益 服务     其他",
            "         企业  机构",
            "                        组织 机构",
        ]);
        let views: Vec<View> = lines.iter().map(|l| View::new(l).on_char_grid()).collect();
        let h = columns(&views, NCOLS).expect("every title found");
        assert_eq!(h.end, 6);
        let a = h.anchors;
        // 自然人 covers characters 2-4: its centre is 3.5 characters, 7 half columns.
        assert_eq!(a.centres, [7.0, 20.0, 28.0, 50.0, 56.0, 70.0, 82.0]);
        // Without the line that finishes 商业企业 and 科研机构, no columns.
        let cut: Vec<View> = [0, 1, 2, 3, 5].iter().map(|&i| views[i].clone()).collect();
        assert!(columns(&cut, NCOLS).is_none());
    }

    #[test]
    fn a_line_of_more_fragments_than_any_header_has_columns_is_no_header() {
        let many = vec!["商"; 100].join("  ");
        let line = Line::text(many.as_str(), 1);
        let views = vec![View::new(&line).on_char_grid()];
        assert!(columns(&views, NCOLS).is_none());
    }

    #[test]
    fn a_title_missing_or_twice_gives_no_columns() {
        let lines = grid(&["  自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他"]);
        let views: Vec<View> = lines.iter().map(|l| View::new(l).on_char_grid()).collect();
        assert!(columns(&views, NCOLS).is_none(), "no 总计");
        let lines = grid(&["  自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他  总计  总计"]);
        let views: Vec<View> = lines.iter().map(|l| View::new(l).on_char_grid()).collect();
        assert!(columns(&views, NCOLS).is_none(), "总计 twice");
        let lines = grid(&["  自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他  小计  总计"]);
        let views: Vec<View> = lines.iter().map(|l| View::new(l).on_char_grid()).collect();
        assert_eq!(columns(&views, NCOLS + 1).map(|h| h.anchors.centres.len()), Some(8));
        // Titles far apart: a number still sits within a character and a half of its title.
        let lines =
            grid(&["自然人      商业企业      科研机构      社会公益组织      法律服务机构      其他      总计"]);
        let views: Vec<View> = lines.iter().map(|l| View::new(l).on_char_grid()).collect();
        assert_eq!(columns(&views, NCOLS).map(|h| h.anchors.tolerance), Some(TITLE_TOLERANCE));
        // A 小计 row's label left of the columns is not a second 小计 column.
        let lines = grid(&["  自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他  小计  总计", "小计"]);
        let views: Vec<View> = lines.iter().map(|l| View::new(l).on_char_grid()).collect();
        assert_eq!(columns(&views, NCOLS + 1).map(|h| h.anchors.centres.len()), Some(8));
    }
}
