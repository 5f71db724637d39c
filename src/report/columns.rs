//! Value columns anchored on positions, for text laid out by position
//! (`pdftotext -layout` text, words placed on a PDF page).
//!
//! Such text loses blank cells: a row with an empty cell shows six numbers
//! where the form has seven, and nothing says which one is missing. The
//! rows that do show every number say where the columns are: their numbers'
//! centres, column by column, agree. When enough of them agree closely,
//! those centres become the table's anchors, and every line is read against
//! them: a number under an anchor is that column's value, a column with no
//! number is blank, a word left of the first column is label text (even
//! `无` in `4、 无正当理由…`), and anything else — a number between two
//! anchors, two numbers under one, text among the numbers — is a problem to
//! report, never a guess. This file owns only that geometry.

use super::tokens::{Split, Tok, View};

/// The value columns of a table: their centres, left to right, and how far
/// from a centre a value may sit.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchors {
    /// Column centres, in the lines' own unit.
    pub centres: Vec<f32>,
    /// The largest distance from a centre that still counts as under it
    /// (a third of the narrowest gap between two columns).
    pub tolerance: f32,
    /// The table column each centre is (`None`: the centres are the
    /// table's columns in order). A page whose numbers fill only some of
    /// the columns has centres for those only ([`by_titles`], `Page::Open`).
    pub columns: Option<Vec<usize>>,
    /// How many columns the table has.
    pub width: usize,
}

/// Rows that must show every value, and agree, before columns are trusted.
const MIN_ROWS: usize = 3;

/// Learn the value columns of a table of `width` columns from the lines
/// whose default reading ([`View::split`]) shows exactly `width` numbers.
/// `None` when too few lines do, or their columns do not agree well enough
/// to tell one column from the next (text with single spaces between
/// numbers, such as `pdftotext -raw`, has no columns at all).
pub fn learn(views: &[View], width: usize) -> Option<Anchors> {
    if width < 2 {
        return None;
    }
    let mut columns: Vec<Vec<f32>> = vec![Vec::new(); width];
    for v in views {
        if !matches!(v.kind, Some(crate::layout::Kind::Text | crate::layout::Kind::Placed)) {
            continue;
        }
        let s = v.split();
        if s.run.len() != width || s.stray.is_some() {
            continue;
        }
        let words: Vec<_> = s.run.iter().map(|&i| v.words[i]).collect();
        if words.iter().any(|w| !matches!(w.tok, Tok::Num(_))) || words.windows(2).any(|p| p[0].pos >= p[1].pos) {
            continue;
        }
        for (c, w) in words.iter().enumerate() {
            columns[c].push(w.pos);
        }
    }
    if columns[0].len() < MIN_ROWS {
        return by_clusters(views, width);
    }
    let centres: Vec<f32> = columns
        .iter_mut()
        .map(|c| {
            c.sort_by(f32::total_cmp);
            c[c.len() / 2]
        })
        .collect();
    let gap = narrowest_gap(&centres);
    let spread = columns.iter().map(|c| c[c.len() - 1] - c[0]).fold(0.0, f32::max);
    (gap > 0.0 && 3.0 * spread <= gap).then(|| Anchors::new(centres))
}

/// The lines of each page, the first page from line 0 (its header above
/// line `from`, the table's first row, goes with it).
fn pages(views: &[View], from: usize) -> Vec<std::ops::Range<usize>> {
    let breaks = (from.max(1)..views.len()).filter(|&i| views[i].page != views[i - 1].page);
    let starts: Vec<usize> = std::iter::once(0).chain(breaks).collect();
    let ends = starts.iter().skip(1).copied().chain(std::iter::once(views.len()));
    starts.iter().copied().zip(ends).map(|(s, e)| s..e).collect()
}

/// Value columns page by page, for text whose pages each place their
/// columns differently (`pdftotext -layout` measures each page's columns
/// from its own left margin, so page two's numbers may sit a few columns
/// right of page one's, and no anchors hold for the whole table). Lines
/// `from..` are the table's rows; the lines before them go with the first
/// page. `Some` only when the table spans pages and every page that holds
/// numbers has columns of its own ([`learn`]); a page without numbers reads
/// with the columns of the page before it.
pub fn by_page(views: &[View], from: usize, width: usize) -> Option<Vec<(std::ops::Range<usize>, Anchors)>> {
    let pages = pages(views, from);
    if pages.len() < 2 {
        return None;
    }
    let mut out: Vec<(std::ops::Range<usize>, Anchors)> = Vec::new();
    for std::ops::Range { start, end } in pages {
        let rows = &views[start.max(from)..end];
        let numbers = rows.iter().any(|v| v.words.iter().any(|w| matches!(w.tok, Tok::Num(_))));
        match (learn(rows, width), out.last_mut()) {
            (Some(a), _) => out.push((start..end, a)),
            (None, Some(last)) if !numbers => last.0.end = end,
            (None, _) => return None,
        }
    }
    Some(out)
}

/// How the value columns of one page are known.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    /// From its rows ([`learn`]) or its header's titles ([`super::header`]).
    Known(Anchors),
    /// Only where its numbers cluster: every way of giving those clusters
    /// to the table's columns, for the table's arithmetic
    /// to choose from.
    Open(Vec<Anchors>),
}

impl Page {
    /// The readings this page allows.
    pub fn choices(&self) -> &[Anchors] {
        match self {
            Page::Known(a) => std::slice::from_ref(a),
            Page::Open(c) => c,
        }
    }
}

/// One page of a table and its columns ([`by_titles`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PageColumns {
    /// The page's lines among the table's.
    pub lines: std::ops::Range<usize>,
    /// Its header's lines, when its columns come from the header's titles:
    /// no row's label.
    pub header: std::ops::Range<usize>,
    /// Its columns.
    pub page: Page,
}

/// Value columns page by page for `pdftotext -layout` text whose rows
/// leave most cells blank (no row shows every column, [`by_page`] fails):
/// a page's columns come from its rows when they can, else from the titles
/// of a header printed on it, else they are [`Page::Open`]. pdftotext
/// squeezes blank space out of each page on its own, so one page's columns
/// say nothing about the next. Lines `from..` are the table's rows; the
/// lines before go with the first page, whose header they hold. A page
/// without numbers goes with the page before it (or, first, the one after).
/// `None` when a page of numbers fits none of these.
pub fn by_titles(views: &[View], from: usize, width: usize) -> Option<Vec<PageColumns>> {
    let has_numbers = |v: &View| !v.split().run.is_empty();
    let mut out: Vec<PageColumns> = Vec::new();
    let mut pending: Option<usize> = None;
    for std::ops::Range { start, end } in pages(views, from) {
        let rows_from = start.max(from);
        let rows = &views[rows_from..end];
        let Some(first) = rows.iter().position(has_numbers) else {
            match out.last_mut() {
                Some(last) => last.lines.end = end,
                None => pending = Some(pending.unwrap_or(start)),
            }
            continue;
        };
        let start = pending.take().unwrap_or(start);
        let header = &views[start..rows_from + first];
        let (page, header) = match (learn(rows, width), super::header::columns(header, width)) {
            (Some(a), _) => (Page::Known(a), start..start),
            (None, Some(h)) if agrees(&h.anchors, rows) => (Page::Known(h.anchors), start..start + h.end),
            (None, Some(_)) => return None,
            (None, None) => (Page::Open(candidates(rows, width)?), start..start),
        };
        out.push(PageColumns { lines: start..end, header, page });
    }
    (!out.is_empty()).then_some(out)
}

/// Whether a page's numbers sit under its header's titles: each within
/// the tolerance of one, the rightmost under the last (总计: a row of
/// counts has a total). pdftotext places a header's line and a row's line
/// each on its own, so a header can sit columns away from the numbers below
/// it; such a header says nothing.
fn agrees(anchors: &Anchors, rows: &[View]) -> bool {
    let points: Vec<f32> = rows.iter().flat_map(real_numbers).collect();
    let last = anchors.centres.len() - 1;
    let under = |p: f32| anchors.column(p);
    !points.is_empty()
        && points.iter().all(|&p| under(p).is_some())
        && points.iter().copied().reduce(f32::max).and_then(under) == Some(last)
}

/// The positions of a line's real numbers (not blank markers: one may be a
/// label's character, `(四) 无` / `法提供`), in its default reading.
fn real_numbers<'a>(v: &'a View) -> impl Iterator<Item = f32> + 'a {
    let s = v.split();
    let text = v.kind == Some(crate::layout::Kind::Text);
    s.run
        .into_iter()
        .map(|i| &v.words[i])
        .filter(move |w| text && matches!(w.tok, Tok::Num(n) if !n.blank))
        .map(|w| w.pos)
}

/// Numbers of one column on pdftotext's grid sit within this of each other
/// (half columns): a column's numbers are centred or aligned one way, so
/// their centres differ by their digits at most.
const CLUSTER_GAP: f32 = 4.0;

/// Every reading of a page whose numbers fall into a few clear columns of
/// the `width` the table has, and nothing else says which: the clusters
/// left to right, the last under 总计 (a row of counts has a total), the
/// others under any columns in order. Empty when the numbers do not fall
/// into clusters clearly apart and tight inside (as in [`learn`]).
fn candidates(rows: &[View], width: usize) -> Option<Vec<Anchors>> {
    // Real numbers only; a blank marker in a value cell is placed all the same.
    let mut points: Vec<f32> = rows.iter().flat_map(real_numbers).collect();
    points.sort_by(f32::total_cmp);
    let mut clusters: Vec<Vec<f32>> = Vec::new();
    for p in points {
        match clusters.last_mut() {
            Some(c) if p - c[c.len() - 1] <= CLUSTER_GAP => c.push(p),
            _ => clusters.push(vec![p]),
        }
    }
    let k = clusters.len();
    if k < 2 || k > width {
        return None;
    }
    let centres: Vec<f32> = clusters.iter().map(|c| c[c.len() / 2]).collect();
    let gap = narrowest_gap(&centres);
    let spread = clusters.iter().map(|c| c[c.len() - 1] - c[0]).fold(0.0, f32::max);
    if 3.0 * spread > gap {
        return None;
    }
    let mut out = Vec::new();
    for chosen in combinations(width - 1, k - 1) {
        let columns = chosen.into_iter().chain(std::iter::once(width - 1)).collect();
        out.push(Anchors { centres: centres.clone(), tolerance: gap / 3.0, columns: Some(columns), width });
    }
    Some(out)
}

/// The `k`-element subsets of `0..n`, each in increasing order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for last in k - 1..n {
        for mut c in combinations(last, k - 1) {
            c.push(last);
            out.push(c);
        }
    }
    out
}

/// The value columns when too few rows show every number (a table of many
/// blank cells): the numbers of every row, taken together, fall into
/// `width` clusters, one per column, far apart from each other and tight
/// inside. Cut at the `width - 1` widest gaps between the numbers' centres;
/// a lone number far from the rest (a stray word) is set aside and the cut
/// made again. `None` unless the clusters are clearly apart (as in
/// [`learn`]) and each holds numbers of at least two rows.
fn by_clusters(views: &[View], width: usize) -> Option<Anchors> {
    let mut points: Vec<(f32, usize)> = Vec::new();
    for (k, v) in views.iter().enumerate() {
        if !matches!(v.kind, Some(crate::layout::Kind::Text | crate::layout::Kind::Placed)) {
            continue;
        }
        let s = v.split();
        if s.run.len() < 2 || s.run.len() > width || s.stray.is_some() {
            continue;
        }
        points.extend(s.run.iter().map(|&i| (v.words[i].pos, k)));
    }
    let rows = |c: &[(f32, usize)]| {
        let mut r: Vec<usize> = c.iter().map(|p| p.1).collect();
        r.sort_unstable();
        r.dedup();
        r.len()
    };
    for _ in 0..3 {
        if points.len() < width * 2 {
            return None;
        }
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut gaps: Vec<(f32, usize)> =
            points.windows(2).enumerate().map(|(i, w)| (w[1].0 - w[0].0, i + 1)).collect();
        gaps.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut cuts: Vec<usize> = gaps.iter().take(width - 1).map(|g| g.1).collect();
        cuts.sort_unstable();
        let bounds: Vec<usize> =
            std::iter::once(0).chain(cuts.iter().copied()).chain(std::iter::once(points.len())).collect();
        let clusters: Vec<&[(f32, usize)]> = bounds.windows(2).map(|b| &points[b[0]..b[1]]).collect();
        let lone: Vec<usize> = (0..clusters.len()).filter(|&c| rows(clusters[c]) < 2).collect();
        if !lone.is_empty() {
            let drop: Vec<(f32, usize)> = lone.iter().flat_map(|&c| clusters[c].iter().copied()).collect();
            points.retain(|p| !drop.contains(p));
            continue;
        }
        let centres: Vec<f32> = clusters.iter().map(|c| c[c.len() / 2].0).collect();
        let gap = narrowest_gap(&centres);
        let spread = clusters.iter().map(|c| c[c.len() - 1].0 - c[0].0).fold(0.0, f32::max);
        let contributing = rows(&points);
        return (gap > 0.0 && 3.0 * spread <= gap && contributing >= MIN_ROWS).then(|| Anchors::new(centres));
    }
    None
}

/// A line read against the anchors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Indexes of the label words (left of the first column).
    pub label: Vec<usize>,
    /// Per column, the index of its value word (None: blank).
    pub slots: Vec<Option<usize>>,
}

/// Why a line cannot be read against the anchors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misplaced {
    /// A value sits between two columns (word index).
    Between(usize),
    /// Two values sit under one column (the column and the second word).
    Twice(usize, usize),
    /// Text among the values (word index).
    Text(usize),
}

impl Anchors {
    /// One column per centre, each value within a third of the narrowest
    /// gap between two centres.
    pub fn new(centres: Vec<f32>) -> Anchors {
        let width = centres.len();
        Anchors { tolerance: narrowest_gap(&centres) / 3.0, centres, columns: None, width }
    }

    /// The table column of centre `j`.
    fn table_column(&self, j: usize) -> usize {
        self.columns.as_ref().map_or(j, |c| c[j])
    }

    /// The column a position is under, if it is within the tolerance.
    fn column(&self, pos: f32) -> Option<usize> {
        let (j, d) =
            self.centres.iter().enumerate().map(|(j, c)| (j, (c - pos).abs())).min_by(|a, b| a.1.total_cmp(&b.1))?;
        (d <= self.tolerance).then_some(j)
    }

    /// Where the value area starts: words whose centre is left of this are label.
    fn value_area(&self) -> f32 {
        self.centres[0] - self.tolerance
    }

    /// Read a line against the columns. A line with no value word at all
    /// is all label (a header or a label's continuation).
    pub fn place(&self, v: &View) -> Result<Placed, Misplaced> {
        let mut out = Placed { label: Vec::new(), slots: vec![None; self.width] };
        // A line with no number in the value area is all label, wherever its
        // words sit (a header repeated on a new page, a label's continuation).
        let numbers =
            v.words.iter().any(|w| matches!(w.tok, Tok::Num(_) | Tok::TooLarge) && w.pos >= self.value_area());
        if !numbers {
            out.label = (0..v.words.len()).filter(|&i| v.words[i].tok != Tok::Unit).collect();
            return Ok(out);
        }
        for (i, w) in v.words.iter().enumerate() {
            let in_label = w.pos < self.value_area();
            match w.tok {
                Tok::Unit => {}
                _ if in_label => out.label.push(i),
                Tok::Num(_) | Tok::TooLarge => match self.column(w.pos).map(|j| self.table_column(j)) {
                    Some(j) if out.slots[j].is_some() => return Err(Misplaced::Twice(j, i)),
                    Some(j) => out.slots[j] = Some(i),
                    None => return Err(Misplaced::Between(i)),
                },
                Tok::Text | Tok::Empty => {
                    if out.slots.iter().any(Option::is_some) || self.column(w.pos).is_none() {
                        return Err(Misplaced::Text(i));
                    }
                    // Text under a column before any value: a header word
                    // or a label that reaches into the numbers.
                    out.label.push(i);
                }
            }
        }
        Ok(out)
    }
}

/// The narrowest gap between two neighbouring centres (infinite for one).
fn narrowest_gap(centres: &[f32]) -> f32 {
    centres.windows(2).map(|w| w[1] - w[0]).fold(f32::INFINITY, f32::min)
}

/// A line's [`Split`] when no anchors apply, as [`Placed`] would give it:
/// for callers that handle both the same way.
pub fn unplaced(v: &View) -> (Split, Vec<usize>) {
    let s = v.split();
    let label = (0..s.label_end).collect();
    (s, label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Line;

    fn views(lines: &[&'static str]) -> Vec<Line<'static>> {
        lines.iter().enumerate().map(|(i, l)| Line::text(*l, i + 1)).collect()
    }

    #[test]
    fn blank_cells_of_aligned_text_stay_blank_in_their_column() {
        let lines = views(&[
            "一、本年新收          1     0     2",
            "二、上年结转          3     0     4",
            "(一) 予以公开         5     6     7",
            "(二) 部分公开               9     1",
            "4、 无 正当理由       无    0     0",
        ]);
        let vs: Vec<View> = lines.iter().map(View::new).collect();
        let a = learn(&vs, 3).expect("columns agree");
        let p = a.place(&vs[3]).unwrap();
        assert_eq!(p.slots, vec![None, Some(2), Some(3)]);
        // 无 right after the label's number is label text, not a value.
        let p = a.place(&vs[4]).unwrap();
        assert_eq!(p.label, vec![0, 1, 2]);
        assert_eq!(p.slots, vec![Some(3), Some(4), Some(5)]);
    }

    #[test]
    fn a_number_between_columns_or_two_under_one_is_reported() {
        let lines = views(&[
            "一、本年新收          1     0     2",
            "二、上年结转          3     0     4",
            "(一) 予以公开         5     6     7",
            "(二) 部分公开            8        1",
            "(三) 不予公开         5 6   0     1",
        ]);
        let vs: Vec<View> = lines.iter().map(View::new).collect();
        let a = learn(&vs, 3).unwrap();
        assert!(matches!(a.place(&vs[3]), Err(Misplaced::Between(_))), "{:?}", a.place(&vs[3]));
        assert!(matches!(a.place(&vs[4]), Err(Misplaced::Twice(0, _)) | Err(Misplaced::Between(_))));
    }

    #[test]
    fn columns_from_rows_that_each_miss_some_numbers() {
        let lines = views(&[
            "一、本年新收          1           2",
            "二、上年结转          3     0      ",
            "(一) 予以公开               6     7",
            "(二) 部分公开         9           1",
        ]);
        let vs: Vec<View> = lines.iter().map(View::new).collect();
        let a = learn(&vs, 3).expect("columns from the clusters");
        assert_eq!(a.place(&vs[0]).unwrap().slots, vec![Some(1), None, Some(2)]);
        assert_eq!(a.place(&vs[2]).unwrap().slots, vec![None, Some(2), Some(3)]);
    }

    #[test]
    fn each_page_gets_its_own_columns_and_a_page_without_them_fails() {
        // Page 2's numbers sit four columns right of page 1's.
        let mut lines = views(&[
            "一、本年新收          1     0     2",
            "二、上年结转          3     0     4",
            "(一) 予以公开         5     6     7",
            "(二) 部分公开             9     1",
            "    (三) 不予公开         5     6     7",
            "    (四) 无法提供         1     2     3",
            "    (五) 不予处理         4     5     6",
            "    (六) 其他处理               8     9",
        ]);
        for l in &mut lines[4..] {
            l.page = 1;
        }
        let vs: Vec<View> = lines.iter().map(View::new).collect();
        assert_eq!(learn(&vs, 3), None, "no columns for both pages together");
        let pages = by_page(&vs, 0, 3).expect("columns per page");
        assert_eq!(pages.iter().map(|p| p.0.clone()).collect::<Vec<_>>(), [0..4, 4..8]);
        assert_eq!(pages[1].1.place(&vs[7]).unwrap().slots, vec![None, Some(2), Some(3)]);
        // A page of numbers whose columns cannot be learnt: no columns at all.
        let short: Vec<View> = vs[..6].to_vec();
        assert_eq!(by_page(&short, 0, 3), None);
    }

    #[test]
    fn pdftotext_places_a_cjk_character_in_one_column() {
        // On pdftotext's grid the label's CJK characters are one column
        // each: by display width the 1s would be three columns apart.
        let lines = views(&["认或重  1", "     1"]);
        let vs: Vec<View> = lines.iter().map(View::new).collect();
        assert_ne!(vs[0].words[1].pos, vs[1].words[0].pos);
        let grid: Vec<View> = vs.iter().map(View::on_char_grid).collect();
        assert_eq!(grid[0].words[1].pos, grid[1].words[0].pos);
    }

    #[test]
    fn single_spaced_text_has_no_columns() {
        let lines =
            views(&["一、本年新收 1 0 2", "二、上年结转政府信息 3 0 4", "(一) 予以公开 5 6 7", "(七) 总计 5 6 7"]);
        let vs: Vec<View> = lines.iter().map(View::new).collect();
        assert_eq!(learn(&vs, 3), None);
    }
}
