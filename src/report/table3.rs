//! Table 3: lines of its section → the 23 or 25 rows of the form, or a
//! rejection that names the row and the line.
//!
//! The reading goes in passes, each in its own module: words ([`super::tokens`]),
//! value columns where the text is laid out by position ([`super::columns`]),
//! the label stream and its head fragments ([`super::heads`]), runs of values
//! given to rows ([`super::rows`]). This file strings them together for
//! table 3 and turns the runs into counts. Rows whose label a converter lost
//! are placed by the form's order only when the table's own arithmetic
//! ([`crate::checks`]) confirms the placement.

use super::bands;
use super::columns::{self, Anchors, Misplaced};
use super::heads::{self, Hit, Stream, Target};
use super::rows::{self, RowAt, RunAt, Unassigned};
use super::tokens::{Tok, View, Word};
use super::{Subtotal, Table3, count_of};
use crate::checks::What;
use crate::error::{RejectKind, Rejection, why};
use crate::layout::Kind;
use crate::schema::{self, Group, NCOLS, Row};

/// One line of the section, read: its label and its values.
#[derive(Debug, Clone, Default)]
pub(super) struct Read<'v> {
    /// The normalised label.
    pub label: String,
    /// The value words (None: a blank cell placed by column).
    pub values: Vec<Option<Word<'v>>>,
    /// Text where a number should be.
    pub stray: Option<&'v str>,
    /// Read against anchored columns (its values are already in place).
    pub placed: bool,
}

/// Read every line of a table against its anchors (if any): label, values,
/// stray text. Lines that cannot be read against the anchors are errors
/// only once they turn out to hold a row's values (a header word under a
/// column is harmless).
pub(super) fn read_lines<'v>(views: &[View<'v>], anchors: Option<&Anchors>) -> Vec<Result<Read<'v>, Misplaced>> {
    views
        .iter()
        .map(|v| match anchors {
            Some(a) => a.place(v).map(|p| Read {
                label: label_of(v, &p.label),
                values: if p.slots.iter().any(Option::is_some) {
                    p.slots.iter().map(|s| s.map(|i| v.words[i])).collect()
                } else {
                    Vec::new()
                },
                stray: None,
                placed: true,
            }),
            None => {
                let s = v.split();
                Ok(Read {
                    label: v.label_before(s.label_end),
                    values: s.run.iter().map(|&i| Some(v.words[i])).collect(),
                    stray: s.stray.map(|i| v.words[i].raw),
                    placed: false,
                })
            }
        })
        .collect()
}

fn label_of(v: &View, idx: &[usize]) -> String {
    let mut s = String::new();
    for &i in idx {
        crate::text::normalize_into(&mut s, v.words[i].raw);
    }
    s
}

/// A run of values with where it came from.
#[derive(Debug, Clone)]
pub(super) struct Run<'v> {
    /// Index of its first line among the table's lines.
    pub line: usize,
    /// Source line number, for messages.
    pub number: usize,
    /// The values.
    pub values: Vec<Option<Word<'v>>>,
    /// Its own line's label (or, when that is empty, the label lines just
    /// before it).
    pub label: String,
    /// Text where a number should be.
    pub stray: Option<&'v str>,
    /// Its values are already in their columns (anchored positions, or the
    /// columns of a regular table of cells): no edge is padding.
    pub placed: bool,
    /// Gathered from lines of one value each (one cell per line): every
    /// empty cell was a line of its own, a value, not a copy's padding.
    pub stacked: bool,
    /// Its own line has no label: it takes the label of the lines just
    /// before it (one cell per line), the line before is its row's.
    pub under_label: bool,
}

impl Run<'_> {
    /// May an empty cell at its edges be padding (see [`fit`])? Not in a
    /// grid nor in a run stacked one cell per line.
    pub fn cells_are_values(&self, views: &[View]) -> bool {
        self.stacked || views[self.line].kind == Some(Kind::Grid)
    }

    /// Nothing but empty cells: no number, no blank marker.
    pub(super) fn all_empty(&self) -> bool {
        self.values.iter().all(|w| w.is_some_and(|w| w.tok == Tok::Empty))
    }
}

/// Gather the runs of a table: a line's values; consecutive lines of a
/// single value and no label (one cell per line) join until the run is
/// `width` long.
pub(super) fn runs<'v>(reads: &[Read<'v>], views: &[View], from: usize, width: usize) -> Vec<Run<'v>> {
    let mut out: Vec<Run> = Vec::new();
    let mut open = false;
    // The label lines since the last run, for a run whose own line has none
    // (one cell per line: the label comes first).
    let mut before = String::new();
    for (i, r) in reads.iter().enumerate().skip(from) {
        if r.values.is_empty() {
            open = false;
            before.push_str(&r.label);
            continue;
        }
        let lone = !r.placed && r.label.is_empty() && r.stray.is_none();
        if let (true, true, Some(last)) = (open, lone, out.last_mut())
            && last.values.len() < width
        {
            last.values.extend(r.values.iter().copied());
            last.stacked = true;
            continue;
        }
        let under_label = r.label.is_empty() && !before.is_empty();
        out.push(Run {
            line: i,
            number: views[i].number,
            values: r.values.clone(),
            label: if r.label.is_empty() { std::mem::take(&mut before) } else { r.label.clone() },
            under_label,
            stray: r.stray,
            placed: r.placed,
            stacked: false,
        });
        before.clear();
        open = lone;
    }
    out
}

/// Runs of nothing but empty cells on lines no row's label holds (a header
/// row's empty cells, a spacer row) carry no number: they are not runs. A
/// whole row of empty cells stacked one per line under its label (a text
/// export of a table that leaves zeros blank) is a row of blanks.
pub(super) fn drop_unclaimed_blanks(runs: &mut Vec<Run>, rows: &[RowAt]) {
    runs.retain(|r| {
        !r.all_empty()
            || rows.iter().any(|row| row.holds(r.line))
            || (r.under_label && rows.iter().any(|row| row.holds(r.line - 1) && row.width == r.values.len()))
    });
}

/// A row of a ruled table that a page break cut in two (a PDF of a Word
/// table: the label's last words, and empty cells, at the top of the next
/// page) reads as two runs one after the other, held by the same row, one
/// of them nothing but empty cells: that one is the other's continuation,
/// not a second set of values (both empty: the row is blank, once). Two
/// runs of that row with values stay, and are reported as the row given
/// twice.
pub(super) fn drop_continued_blanks(runs: &mut Vec<Run>, rows: &[RowAt]) {
    let mut drop = vec![false; runs.len()];
    for i in 1..runs.len() {
        let (a, b) = (&runs[i - 1], &runs[i]);
        if (a.all_empty() || b.all_empty()) && rows.iter().any(|row| row.holds(a.line) && row.holds(b.line)) {
            drop[if b.all_empty() { i } else { i - 1 }] = true;
        }
    }
    let mut k = 0;
    runs.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// Trim a run to `width` values where the empty cells at its edges may be
/// padding rather than blank values. In a grid (spans expanded) a blank cell
/// is a value, and only a whole run of empty cells at one edge can be
/// padding (a filler cell LibreOffice adds at the end, a label column left
/// empty): the trim is made when exactly one choice of whole edge runs gives
/// `width` values. In a row split at tabs or pipes that is not part of a
/// regular table (see [`cell_columns`]), empty edge cells are a copy's
/// padding, not values: they are all trimmed.
pub(super) fn fit(values: &mut Vec<Option<Word>>, width: usize, grid: bool) {
    let empty = |w: &Option<Word>| w.is_some_and(|w| w.tok == Tok::Empty);
    let lead = values.iter().take_while(|w| empty(w)).count();
    if lead == values.len() {
        return;
    }
    let trail = values.iter().rev().take_while(|w| empty(w)).count();
    if !grid {
        values.truncate(values.len() - trail);
        values.drain(..lead);
        return;
    }
    if values.len() == width {
        return;
    }
    let mut options: Vec<(usize, usize)> =
        [(lead, trail), (lead, 0), (0, trail)].into_iter().filter(|(a, b)| values.len() - a - b == width).collect();
    // With no empties at one edge two of the ways are one way.
    options.dedup();
    if let [(a, b)] = options[..] {
        values.truncate(values.len() - b);
        values.drain(..a);
    }
}

/// The value columns of a regular table of cells: a grid, or a Markdown
/// table whose rows all have the same number of cells. Returns the number
/// of cells of its rows and the index of its first value column, when the
/// numbers of every such row fall in the same `width` columns after its
/// label; then each row is read by column, exactly (a blank cell at an edge
/// is a blank value, a row with a cell too few is a problem). `None` for a
/// table whose rows are cut differently (a copy of a web table, where a
/// row loses the cells a span above covers).
pub(super) fn cell_columns(views: &[View], width: usize) -> Option<(usize, usize)> {
    use crate::layout::Kind;
    let rows: Vec<&View> = views
        .iter()
        .filter(|v| matches!(v.kind, Some(Kind::Cells | Kind::Grid)))
        .filter(|v| v.words.iter().any(|w| matches!(w.tok, Tok::Num(_) | Tok::TooLarge) && !w.copied))
        .collect();
    let cells = |v: &View| v.words.last().map_or(0, |w| w.cell as usize + 1);
    let mut counts: std::collections::BTreeMap<usize, usize> = Default::default();
    for v in &rows {
        *counts.entry(cells(v)).or_default() += 1;
    }
    let (&ncols, &n) = counts.iter().max_by_key(|(c, n)| (**n, **c))?;
    if n < 3 || n * 5 < rows.len() * 4 || ncols < width {
        return None;
    }
    let (mut lo, mut hi) = (0usize, ncols - width);
    for v in rows.iter().filter(|v| cells(v) == ncols) {
        let last_text = v.words.iter().filter(|w| w.tok == Tok::Text).map(|w| w.cell as usize + 1).max().unwrap_or(0);
        let nums: Vec<usize> = v
            .words
            .iter()
            .filter(|w| matches!(w.tok, Tok::Num(_) | Tok::TooLarge) && !w.copied)
            .map(|w| w.cell as usize)
            .collect();
        let (first, last) = (nums.iter().min()?, nums.iter().max()?);
        lo = lo.max(last_text).max((last + 1).saturating_sub(width));
        hi = hi.min(*first);
    }
    (lo == hi).then_some((ncols, lo))
}

/// A row of a regular table of cells read by its columns (see
/// [`cell_columns`]): its values, or the word that is out of place.
fn by_cell_columns<'v>(
    v: &View<'v>,
    (ncols, k): (usize, usize),
    width: usize,
) -> Option<Result<Vec<Option<Word<'v>>>, usize>> {
    let cells = v.words.last().map_or(0, |w| w.cell as usize + 1);
    if cells != ncols {
        return None;
    }
    if !v.words.iter().any(|w| matches!(w.tok, Tok::Num(_) | Tok::TooLarge) && !w.copied) {
        // A row of the table whose every value cell is empty (a report that
        // leaves zeros blank) is a row of blanks, exactly; a header row, with
        // words in those cells, is not a row of values.
        let labelled = v.words.iter().any(|w| (w.cell as usize) < k && w.tok == Tok::Text);
        let blank = v.words.iter().filter(|w| w.cell as usize >= k).all(|w| w.tok == Tok::Empty);
        if !(labelled && blank) {
            return None;
        }
    }
    let mut values: Vec<Option<Word>> = vec![None; width];
    for (i, w) in v.words.iter().enumerate() {
        let c = w.cell as usize;
        let value = matches!(w.tok, Tok::Num(_) | Tok::TooLarge | Tok::Empty);
        if c < k {
            // The label columns: text, or a number inside a label (4. 无 …).
            if matches!(w.tok, Tok::Num(n) if !n.blank) && !w.copied {
                return Some(Err(i));
            }
        } else if c < k + width {
            if w.tok == Tok::Unit {
                continue;
            }
            if !value || values[c - k].is_some() {
                return Some(Err(i));
            }
            values[c - k] = Some(*w);
        } else if w.tok != Tok::Empty {
            return Some(Err(i));
        }
    }
    Some(Ok(values))
}

/// Which (六) variant and whether a 小计 column: properties of the whole
/// table, decided before any row is read.
fn single_other(hits: &[Hit]) -> bool {
    !hits.iter().any(|h| {
        matches!(h.target, Target::Row3(i) if [Row::OtherNoCorrection, Row::OtherUnpaidFee, Row::OtherOther]
            .iter()
            .any(|r| r.index() == i))
    })
}

/// The marker that starts a row's own label (`5.` of `5. 要求行政机关确认…`,
/// `(二)` of `(二) 部分公开…`, `一、` of `一、本年新收…`), normalised.
fn marker(row: Row) -> Option<&'static str> {
    // Built once for the form, not for every report.
    static MARKERS: std::sync::OnceLock<Vec<Option<String>>> = std::sync::OnceLock::new();
    let all = MARKERS.get_or_init(|| {
        (0..schema::NROWS3)
            .map(|i| {
                let n = crate::text::normalize(schema::table3_own_label(i));
                let end = n
                    .find('.')
                    .map(|i| i + 1)
                    .or_else(|| n.find(')').map(|i| i + 1))
                    .or_else(|| n.find('、').map(|i| i + '、'.len_utf8()))?;
                (end <= 12).then(|| n[..end].to_string())
            })
            .collect()
    });
    all[row.index()].as_deref()
}

/// Extend each row's head occurrences to the line its label starts on: the
/// line of its marker, just before the head in the stream. A label wrapped
/// over several lines then covers the line its numbers share with its
/// marker, though its distinctive words come later.
fn with_markers(stream: &Stream, row: Row, hits: &mut Vec<(usize, usize)>) {
    let Some(m) = marker(row) else { return };
    let mut extra = Vec::new();
    for &(first, last) in hits.iter() {
        let head_start = stream.spans.get(first).map_or(0, |s| s.0);
        // The marker is at most a dozen characters before the line the head starts on.
        let from = stream.spans.get(first.saturating_sub(3)).map_or(0, |s| s.0);
        let window = &stream.text[from..stream.spans.get(last).map_or(head_start, |s| s.1)];
        if let Some(k) = window.rfind(m) {
            let at = from + k;
            let line = stream.spans.partition_point(|&(_, e)| e <= at);
            if line < first && first - line <= 3 {
                extra.push((line, first));
            }
        }
    }
    hits.extend(extra);
}

/// A line of text whose only "values" are a few `无` after its label (`（四） 无`
/// / `法提供`, `4． 无` / `正当理由…`): 无 is a word of those labels, not a
/// row of blank cells, when there are fewer of them than the row has columns.
fn relabel_wu(reads: &mut [Result<Read, Misplaced>], views: &[View], width: usize) {
    for (r, v) in reads.iter_mut().zip(views) {
        let Ok(r) = r else { continue };
        let text_line = matches!(v.kind, Some(crate::layout::Kind::Text | crate::layout::Kind::Placed));
        let all_wu = r.values.iter().all(|w| {
            w.is_some_and(|w| matches!(w.tok, Tok::Num(n) if n.blank) && crate::text::normalize(w.raw) == "无")
        });
        if text_line && !r.label.is_empty() && !r.values.is_empty() && r.values.len() < width && all_wu {
            for w in r.values.drain(..).flatten() {
                crate::text::normalize_into(&mut r.label, w.raw);
            }
        }
    }
}

/// Lines in a block that repeats the table's header on a later page (the
/// header rows a converter repeats at the top of each page: `申请人情况`,
/// `自然人`, … `小计`) are no row's label: read into one, they hide its head,
/// or make it a 小计 row. A block is at least [`HEADER_BLOCK`] lines without
/// values, each as one of the header's lines (`from..` are the rows).
fn drop_repeated_header(reads: &mut [Result<Read, Misplaced>], views: &[View], from: usize) {
    let header: std::collections::HashSet<String> =
        views[..from.min(views.len())].iter().map(View::text).filter(|t| !t.is_empty()).collect();
    let n = views.len().min(reads.len());
    let is_header: Vec<bool> = (0..n)
        .map(|i| i >= from && reads[i].as_ref().is_ok_and(|r| r.values.is_empty()) && header.contains(&views[i].text()))
        .collect();
    let mut i = from;
    while i < n {
        let end = (i..n).find(|&j| !is_header[j]).unwrap_or(n);
        if end - i >= HEADER_BLOCK {
            for r in &mut reads[i..end] {
                *r = Ok(Read::default());
            }
        }
        i = end.max(i + 1);
    }
}

/// Lines that make a repeated header ([`drop_repeated_header`]).
const HEADER_BLOCK: usize = 3;

/// Read table 3 from the lines of its section.
pub(super) fn read(views: &[View]) -> Result<(Table3, Vec<Subtotal>), Rejection> {
    // A first reading without anchors, for the header and the heads.
    let mut plain = read_lines(views, None);
    relabel_wu(&mut plain, views, NCOLS);
    let mut stream = Stream::default();
    for r in &plain {
        stream.push(r.as_ref().map_or("", |r| r.label.as_str()));
    }
    let hits: Vec<Hit> = heads::find(&stream).into_iter().filter(|h| matches!(h.target, Target::Row3(_))).collect();
    let Some(first_row_line) = hits.iter().map(|h| h.first).min() else {
        return Err(Rejection::table(
            RejectKind::MissingTable,
            3,
            "table 3 has no rows of the form",
            "表三中没有表格规定的行",
        ));
    };
    let header: String = plain[..first_row_line].iter().flatten().map(|r| r.label.as_str()).collect();
    let width = if header.contains(schema::SUBTOTAL) { NCOLS + 1 } else { NCOLS };
    let mut anchors = columns::learn(&views[first_row_line..], width);
    let mut paged = if anchors.is_none() { columns::by_page(views, first_row_line, width) } else { None };
    // `pdftotext -layout` text puts each character in one column of its
    // grid: when no columns agree by display width, they may on that grid
    // (lines whose labels hold CJK characters then line up with the rest).
    let grid_views: Vec<View>;
    let views = if anchors.is_none() && paged.is_none() && views.iter().any(|v| v.kind == Some(Kind::Text)) {
        grid_views = views.iter().map(View::on_char_grid).collect();
        anchors = columns::learn(&grid_views[first_row_line..], width);
        paged = if anchors.is_none() { columns::by_page(&grid_views, first_row_line, width) } else { None };
        if anchors.is_none() && paged.is_none() {
            // Read as words first; when that fails, the table may be one
            // of mostly blank cells: its columns page by page, from the
            // header's titles or the table's arithmetic.
            let how = Reading { anchored: false, width, first_row_line, strict: false };
            return finish(views, plain, how).or_else(|e| {
                match columns::by_titles(&grid_views, first_row_line, width) {
                    Some(pages) => by_choices(&grid_views, &pages, first_row_line, width).map_err(|why| {
                        if std::env::var_os("COUNTY_ROLLUP_DEBUG").is_some() {
                            eprintln!("by titles: {pages:?}: {why}");
                        }
                        e
                    }),
                    None => Err(e),
                }
            });
        }
        &grid_views[..]
    } else {
        views
    };
    let reads: Vec<Result<Read, Misplaced>> = match (&anchors, &paged) {
        (Some(a), _) => read_lines(views, Some(a)),
        (None, Some(pages)) => pages.iter().flat_map(|(r, a)| read_lines(&views[r.clone()], Some(a))).collect(),
        (None, None) => plain,
    };
    let anchored = anchors.is_some() || paged.is_some();
    if std::env::var_os("COUNTY_ROLLUP_DEBUG").is_some() {
        eprintln!("anchors {anchors:?}, by page {paged:?}");
    }
    finish(views, reads, Reading { anchored, width, first_row_line, strict: false })
}

/// How [`finish`] reads a table's lines.
#[derive(Debug, Clone, Copy)]
struct Reading {
    /// The values were placed by column positions.
    anchored: bool,
    /// Values per row (7, or 8 with a 小计 column).
    width: usize,
    /// The line of the first row head.
    first_row_line: usize,
    /// Every check of the table's arithmetic must hold (a reading chosen
    /// among several by it).
    strict: bool,
}

/// Most readings [`by_choices`] tries before it gives up: each is a whole
/// reading of the table (a fraction of a millisecond), and a file must not
/// hold up the run (three headerless pages of a table with a 小计 column,
/// two columns used on each, are 343).
const MAX_CHOICES: usize = 1024;

/// Words (and lines) [`by_choices`] reads in all, its readings together: a
/// table of a few hundred lines gets every reading, a file padded to
/// millions of words no more than a few (it is rejected, not read for
/// minutes).
const MAX_WORD_READS: usize = 1 << 21;

/// A table whose pages' columns [`columns::by_titles`] could not all pin:
/// every combination of the pages' readings is read, and the table stands
/// only if all those that add up ([`Reading::strict`]) give the same numbers.
fn by_choices(
    views: &[View],
    pages: &[columns::PageColumns],
    first_row_line: usize,
    width: usize,
) -> Result<(Table3, Vec<Subtotal>), Rejection> {
    let sizes: Vec<usize> = pages.iter().map(|p| p.page.choices().len()).collect();
    // Each reading reads every word again: a table of many words gets fewer.
    let words: usize = views.iter().map(|v| v.words.len() + 1).sum();
    let most = MAX_CHOICES.min(MAX_WORD_READS / words);
    let total = sizes.iter().try_fold(1usize, |n, &s| n.checked_mul(s)).filter(|&n| n <= most);
    let open: Vec<String> =
        pages.iter().filter(|p| p.page.choices().len() > 1).map(|p| views[p.lines.start].page.to_string()).collect();
    let uncertain = |en: &str, zh: &str| {
        Rejection::table(
            RejectKind::Unlabeled,
            3,
            format!(
                "the numbers on page(s) {} show no column headings and leave cells blank (text from pdftotext -layout): {en}",
                open.join(", ")
            ),
            format!("第 {} 页的数字没有列标题，且有空格被省略（pdftotext -layout 文本）：{zh}", open.join("、")),
        )
    };
    let Some(total) = total else {
        return Err(uncertain(
            "too many ways to place them in columns",
            "可能的列位置过多，无法确定各数属于哪一列，请用原 PDF 或 Word 文件",
        ));
    };
    let strict = total > 1;
    let mut found: Option<(Table3, Vec<Subtotal>)> = None;
    let mut first_err = None;
    for n in 0..total {
        let mut k = n;
        let mut reads = Vec::with_capacity(views.len());
        for (p, &size) in pages.iter().zip(&sizes) {
            reads.extend(read_lines(&views[p.lines.clone()], Some(&p.page.choices()[k % size])));
            k /= size;
            // A header repeated on a later page is no row's label.
            for r in &mut reads[p.header.start.max(first_row_line)..p.header.end.max(first_row_line)] {
                *r = Ok(Read::default());
            }
        }
        match finish(views, reads, Reading { anchored: true, width, first_row_line, strict }) {
            Ok(t) => match &found {
                Some((f, _)) if f.rows != t.0.rows => {
                    return Err(uncertain(
                        "they can be placed in more than one set of columns that add up: which is which is not certain",
                        "这些数可以放入不止一组列且都能平衡，无法确定各数属于哪一列，请用原 PDF 或 Word 文件",
                    ));
                }
                Some(_) => {}
                None => found = Some(t),
            },
            Err(e) => {
                if std::env::var_os("COUNTY_ROLLUP_DEBUG").is_some() {
                    eprintln!("choice {n}: {e}");
                }
                first_err.get_or_insert(e);
            }
        }
    }
    match (found, first_err) {
        (Some(t), _) => Ok(t),
        (None, Some(e)) if !strict => Err(e),
        (None, _) => Err(uncertain(
            "no placement of them in columns makes the table add up",
            "无论放入哪几列，表格数字都不平，请核对原表",
        )),
    }
}

/// Read the lines of the table, placed or not, into its rows.
fn finish(
    views: &[View],
    mut reads: Vec<Result<Read, Misplaced>>,
    how: Reading,
) -> Result<(Table3, Vec<Subtotal>), Rejection> {
    let Reading { anchored, width, first_row_line, strict } = how;
    relabel_wu(&mut reads, views, width);
    drop_repeated_header(&mut reads, views, first_row_line);
    let mut stream = Stream::default();
    for r in &reads {
        stream.push(r.as_ref().map_or("", |r| r.label.as_str()));
    }
    let mut hits: Vec<Hit> = heads::find(&stream).into_iter().filter(|h| matches!(h.target, Target::Row3(_))).collect();
    // Heads hidden by a group's label beside them are whole in the
    // sub-rows' own column.
    for band in bands::streams(views, first_row_line) {
        hits.extend(heads::find(&band).into_iter().filter(|h| matches!(h.target, Target::Row3(_))));
    }
    let single = single_other(&hits);
    let form: Vec<Row> = Row::of_form(single).collect();
    let mut row_hits: Vec<Vec<(usize, usize)>> = vec![Vec::new(); form.len()];
    for h in &hits {
        if let Target::Row3(i) = h.target
            && let Some(k) = form.iter().position(|r| r.index() == i)
        {
            row_hits[k].push((h.first, h.last));
        }
    }
    for (k, row) in form.iter().enumerate() {
        with_markers(&stream, *row, &mut row_hits[k]);
    }
    let header_end = row_hits.iter().flatten().map(|h| h.0).min().unwrap_or(first_row_line);

    // A line that cannot be read against the anchors is a problem once it
    // holds values of the table.
    let mut ok_reads: Vec<Read> = Vec::with_capacity(reads.len());
    for (i, r) in reads.into_iter().enumerate() {
        match r {
            Ok(r) => ok_reads.push(r),
            Err(m) if i < header_end => {
                let _ = m;
                ok_reads.push(Read::default());
            }
            Err(m) => return Err(misplaced(&views[i], m, &form, &row_hits, i)),
        }
    }
    // A regular table of cells is read by its columns.
    if !anchored && let Some(model) = cell_columns(&views[header_end..], width) {
        for (i, v) in views.iter().enumerate().skip(header_end) {
            match by_cell_columns(v, model, width) {
                Some(Ok(values)) => {
                    let r = &mut ok_reads[i];
                    r.values = values;
                    r.stray = None;
                    r.placed = true;
                }
                Some(Err(w)) => {
                    let row = (0..form.len()).find(|&k| row_hits[k].iter().any(|&(a, b)| a <= i && i <= b));
                    let r = Rejection::table(
                        RejectKind::WrongCount,
                        3,
                        format!(
                            "\"{}\" is outside the table's value columns, or a second value in one cell",
                            v.words[w].raw
                        ),
                        format!("“{}”在表格的数值列之外，或一个单元格里有两个数", v.words[w].raw),
                    )
                    .line(v.number);
                    return Err(match row {
                        Some(k) => r.row(name(form[k])),
                        None => r,
                    });
                }
                None => {}
            }
        }
    }
    let mut runs = runs(&ok_reads, views, header_end, width);
    for run in runs.iter_mut().filter(|r| !r.placed) {
        let grid = run.cells_are_values(views);
        fit(&mut run.values, width, grid);
    }
    // 小计 rows some units add: read and checked, not rows of the form.
    let (subtotal_runs, runs): (Vec<Run>, Vec<Run>) =
        runs.into_iter().partition(|r| r.label.contains(schema::SUBTOTAL));

    let rows_at: Vec<RowAt> = row_hits.iter().map(|h| RowAt { width, hits: h.clone() }).collect();
    let mut runs = runs;
    drop_unclaimed_blanks(&mut runs, &rows_at);
    drop_continued_blanks(&mut runs, &rows_at);
    let runs_at: Vec<RunAt> = runs.iter().map(|r| RunAt { line: r.line, len: r.values.len() }).collect();
    if std::env::var_os("COUNTY_ROLLUP_DEBUG").is_some() {
        eprintln!("anchored {anchored}, strict {strict}");
        for (k, r) in form.iter().enumerate() {
            eprintln!("row {} hits {:?}", r.key(), rows_at[k].hits);
        }
        for r in &runs {
            eprintln!(
                "run line {} (#{}) {:?} label {:?}",
                r.line,
                r.number,
                r.values.iter().map(|w| w.map(|w| w.raw)).collect::<Vec<_>>(),
                r.label
            );
        }
    }
    let (assignment, by_order) = match rows::assign(&rows_at, &runs_at, anchored) {
        Ok(a) => (a, false),
        Err(why) => match by_form_order(&rows_at, &runs_at) {
            Some(a) => (a, true),
            None => return Err(explain(why, &form, &rows_at, &runs, width, views)),
        },
    };

    let mut table = Table3 { rows: [None; schema::NROWS3] };
    let mut subtotals = Vec::new();
    // Rows placed by position (no head of theirs anywhere, or the whole
    // table by the form's order) need the arithmetic to confirm them.
    let mut positional: Vec<Row> = Vec::new();
    for (k, row) in form.iter().enumerate() {
        let values = match assignment.runs[k] {
            Some(i) => {
                let run = &runs[i];
                if let Some(word) = run.stray {
                    return Err(Rejection::table(
                        RejectKind::NotANumber,
                        3,
                        format!("text \"{word}\" where a number should be"),
                        format!("应填数字处写的是“{word}”"),
                    )
                    .row(name(*row))
                    .line(run.number));
                }
                // A blank placed by column looks just like a value a
                // converter dropped: the arithmetic must confirm it.
                if by_order || rows_at[k].hits.is_empty() || run.values.iter().any(Option::is_none) {
                    positional.push(*row);
                }
                counts(&run.values, *row, run.number)?
            }
            None => {
                positional.push(*row);
                vec![0; width]
            }
        };
        let (main, sub) = split_subtotal(&values, width);
        table.rows[row.index()] = Some(main);
        if let Some(value) = sub {
            subtotals.push(Subtotal::Column { row: row.index(), value });
        }
    }
    for run in &subtotal_runs {
        let group = subtotal_group(&run.label, run.line, &form, &assignment.runs, &runs);
        let what = format!("subtotal (小计：{})", group.subtotal_label());
        if run.values.len() != width {
            return Err(Rejection::table(
                RejectKind::WrongCount,
                3,
                format!("{} where {width} are expected", values_word(run.values.len())),
                format!("有 {} 个数，应为 {width} 个", run.values.len()),
            )
            .row(what)
            .line(run.number));
        }
        let mut vals = Vec::with_capacity(width);
        for w in &run.values {
            vals.push(
                count_of(w.as_ref())
                    .map_err(|(kind, m)| Rejection::table_why(kind, 3, m).row(what.clone()).line(run.number))?,
            );
        }
        let (values, _) = split_subtotal(&vals, width);
        subtotals.push(Subtotal::Row { group, values });
    }
    if strict {
        positional = form.clone();
    }
    confirm(&table, &positional)?;
    Ok((table, subtotals))
}

/// The whole table by the form's order, when there are exactly as many
/// runs as rows, each as long as a row and none on a line holding another
/// row's head (a converter's Markdown that shreds the table and displaces
/// labels): to be confirmed by the arithmetic.
fn by_form_order(rows: &[RowAt], runs: &[RunAt]) -> Option<rows::Assignment> {
    if rows.len() != runs.len() {
        return None;
    }
    for (k, run) in runs.iter().enumerate() {
        let others = rows.iter().enumerate().any(|(j, r)| j != k && r.holds(run.line));
        let mine = rows[k].holds(run.line);
        if run.len != rows[k].width || (others && !mine) {
            return None;
        }
    }
    Some(rows::Assignment { runs: (0..runs.len()).map(Some).collect() })
}

/// Rows read by position are trusted only when the table's own arithmetic
/// confirms them: their row totals, and the outcome and balance rules of
/// every column (the checks of [`crate::checks`], called, not copied). A
/// value dropped from such a row looks like a blank cell; the arithmetic is
/// what tells them apart.
fn confirm(table: &Table3, positional: &[Row]) -> Result<(), Rejection> {
    let Some(&first) = positional.first() else { return Ok(()) };
    let failed = crate::checks::table3_arithmetic(table)
        .into_iter()
        .find(|f| !matches!(f.what, What::RowTotal { row, .. } if !positional.contains(&row)));
    match failed {
        None => Ok(()),
        Some(f) => {
            let names: Vec<&str> = positional.iter().map(|r| r.key()).collect();
            let labels = rows_zh(positional);
            Err(Rejection::table(
                RejectKind::Unlabeled,
                3,
                format!(
                    "row(s) {} were read by position (their labels are missing or out of place), but the table does not add up ({}: {}): which value belongs where is not certain",
                    names.join(", "),
                    f.check,
                    f.detail(crate::lang::Lang::En)
                ),
                format!(
                    "{labels}按位置读取（行名缺失或错位），但表格数字不平（{}：{}）：无法确定各数属于哪一行，请核对原表",
                    crate::checks::check_name(f.check, crate::lang::Lang::Zh),
                    f.detail(crate::lang::Lang::Zh)
                ),
            )
            .row(name(first)))
        }
    }
}

/// A row's values as counts, or the rejection naming the cell.
fn counts(values: &[Option<Word>], row: Row, line: usize) -> Result<Vec<u64>, Rejection> {
    values
        .iter()
        .map(|w| count_of(w.as_ref()).map_err(|(kind, m)| Rejection::table_why(kind, 3, m).row(name(row)).line(line)))
        .collect()
}

/// Take the 小计 column (the eighth, before 总计) out of a row's values.
fn split_subtotal(values: &[u64], width: usize) -> ([u64; NCOLS], Option<u64>) {
    let mut main = [0; NCOLS];
    if width == NCOLS + 1 {
        main[..NCOLS - 1].copy_from_slice(&values[..NCOLS - 1]);
        main[NCOLS - 1] = values[NCOLS];
        (main, Some(values[NCOLS - 1]))
    } else {
        main.copy_from_slice(&values[..NCOLS]);
        (main, None)
    }
}

/// Which group a 小计 row sums: the one its label names, else the group of
/// the row just above it, else the group of the row below.
fn subtotal_group(label: &str, line: usize, form: &[Row], assigned: &[Option<usize>], runs: &[Run]) -> Group {
    for (word, g) in [
        ("不予公开", Group::Denied),
        ("无法提供", Group::Unable),
        ("不予处理", Group::NotProcessed),
        ("其他处理", Group::Other),
    ] {
        if label.contains(word) {
            return g;
        }
    }
    let line_of = |k: usize| assigned[k].map(|i| runs[i].line);
    let above = (0..form.len()).filter(|&k| line_of(k).is_some_and(|l| l < line)).max_by_key(|&k| line_of(k));
    if let Some(k) = above
        && form[k].group().has_subtotal()
    {
        return form[k].group();
    }
    let below = (0..form.len()).filter(|&k| line_of(k).is_some_and(|l| l > line)).min_by_key(|&k| line_of(k));
    below.map_or(Group::Other, |k| form[k].group())
}

/// How a Chinese message names rows read by position: by the labels a
/// clerk sees on the form, the first three and then how many more (a list
/// of twenty output keys says nothing to the person who must fix the file).
fn rows_zh(rows: &[Row]) -> String {
    let shown: Vec<String> = rows.iter().take(3).map(|r| format!("“{}”", r.label())).collect();
    match rows.len() {
        0..=3 => format!("{}行", shown.join("、")),
        n => format!("{}等 {n} 行", shown.join("、")),
    }
}

/// How messages name a row: `key (label)`.
pub(super) fn name(row: Row) -> String {
    format!("{} ({})", row.key(), row.label())
}

pub(super) fn values_word(n: usize) -> String {
    if n == 1 { "1 value".into() } else { format!("{n} values") }
}

/// The rejection for a line that cannot be read against the columns.
fn misplaced(v: &View, m: Misplaced, form: &[Row], hits: &[Vec<(usize, usize)>], line: usize) -> Rejection {
    let row = (0..form.len()).find(|&k| hits[k].iter().any(|&(a, b)| a <= line && line <= b));
    let detail = match m {
        Misplaced::Between(i) => why(
            format!(
                "\"{}\" sits between two columns of the table: which column it belongs to is not certain",
                v.words[i].raw
            ),
            format!("“{}”位于两列之间：无法确定属于哪一列", v.words[i].raw),
        ),
        Misplaced::Twice(c, i) => why(
            format!("\"{}\" is a second value under column {} ({})", v.words[i].raw, c + 1, column_name(c)),
            format!("“{}”是第 {} 列（{}）下的第二个数", v.words[i].raw, c + 1, column_name(c)),
        ),
        Misplaced::Text(i) => why(
            format!("text \"{}\" among the numbers, where a number should be", v.words[i].raw),
            format!("数字中间有文字“{}”，此处应为数字", v.words[i].raw),
        ),
    };
    let kind = if matches!(m, Misplaced::Text(_)) { RejectKind::NotANumber } else { RejectKind::WrongCount };
    let r = Rejection::table_why(kind, 3, detail).line(v.number);
    match row {
        Some(k) => r.row(name(form[k])),
        None => r,
    }
}

fn column_name(c: usize) -> &'static str {
    schema::TABLE3_COLUMNS.get(c).map_or("小计", |c| c.label)
}

/// What a clerk can do about a row short of values in plain text, where a
/// blank cell leaves no mark (English, Chinese), appended to the reason.
pub(super) const BLANK_CELLS_HINT: (&str, &str) = (
    "; if the table has blank cells, this text does not keep where they are: use the original PDF or Word file, or write 0 in them",
    "；若原表有空白单元格，这种文本不保留空格的位置：请改用原 PDF 或 Word 文件，或在空格处填 0",
);

/// Why the runs do not fit the form, in words a clerk can act on: the
/// first run of the wrong length, a row given twice, a row missing.
fn explain(why: Unassigned, form: &[Row], rows: &[RowAt], runs: &[Run], width: usize, views: &[View]) -> Rejection {
    let holds = |k: usize, line: usize| rows[k].holds(line);
    let row_of_run = |i: usize| (0..form.len()).find(|&k| holds(k, runs[i].line));
    for (i, run) in runs.iter().enumerate() {
        if run.values.len() != width {
            let mut detail = format!("{} where {width} are expected", values_word(run.values.len()));
            let mut zh = format!("有 {} 个数，应为 {width} 个", run.values.len());
            if let Some(word) = run.stray {
                detail.push_str(&format!("; \"{word}\" stands where a number should be"));
                zh.push_str(&format!("；应填数字处写的是“{word}”"));
            } else if run.values.len() < width && views[run.line].kind != Some(crate::layout::Kind::Grid) {
                // Plain text keeps no cells: a blank cell leaves no mark, so
                // the clerk is told how to hand in a file that keeps them.
                detail.push_str(BLANK_CELLS_HINT.0);
                zh.push_str(BLANK_CELLS_HINT.1);
            }
            let r = Rejection::table(RejectKind::WrongCount, 3, detail, zh).line(run.number);
            return match row_of_run(i) {
                Some(k) => r.row(name(form[k])),
                None => r,
            };
        }
    }
    for (k, &row) in form.iter().enumerate() {
        let with_values = (0..runs.len()).filter(|&i| holds(k, runs[i].line)).count();
        if with_values > 1 {
            let second = (0..runs.len()).filter(|&i| holds(k, runs[i].line)).nth(1).map_or(0, |i| runs[i].number);
            return Rejection::table(RejectKind::DuplicateRow, 3, "the row appears twice", "该行出现了两次")
                .row(name(row))
                .line(second);
        }
    }
    if let Some(k) = (0..form.len()).find(|&k| rows[k].hits.is_empty())
        && runs.len() < form.len()
    {
        return Rejection::table(
            RejectKind::MissingRow,
            3,
            "the row is missing or has no values",
            "缺少该行，或该行没有数字",
        )
        .row(name(form[k]));
    }
    if runs.len() < form.len() {
        let k = (0..form.len()).find(|&k| !runs.iter().any(|r| holds(k, r.line))).unwrap_or(0);
        return Rejection::table(
            RejectKind::MissingRow,
            3,
            format!("{} rows of values for the form's {} rows; this one has none", runs.len(), form.len()),
            format!("表格规定 {} 行，只读到 {} 行数字；该行没有数字", form.len(), runs.len()),
        )
        .row(name(form[k]));
    }
    let zh = match why {
        Unassigned::Ambiguous => format!(
            "读到 {} 行数字，表格规定 {} 行，与行名有不止一种对应方式：无法确定各数属于哪一行",
            runs.len(),
            form.len()
        ),
        Unassigned::NoFit => format!(
            "读到 {} 行数字，表格规定 {} 行，周围的行名与表格顺序不符：无法确定各数属于哪一行",
            runs.len(),
            form.len()
        ),
    };
    let detail = match why {
        Unassigned::Ambiguous => format!(
            "{} rows of values for {} rows of the form, and more than one way to match them to the labels: which numbers belong to which row is not certain",
            runs.len(),
            form.len()
        ),
        Unassigned::NoFit => format!(
            "{} rows of values for {} rows of the form, and the labels around them do not follow the form's order: which numbers belong to which row is not certain",
            runs.len(),
            form.len()
        ),
    };
    let kind = if runs.len() > form.len() { RejectKind::Unlabeled } else { RejectKind::MissingRow };
    Rejection::table(kind, 3, detail, zh)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(raw: &'static str) -> Option<Word<'static>> {
        let tok = match crate::text::parse_number(raw) {
            Some(Ok(n)) => Tok::Num(n),
            _ => Tok::Empty,
        };
        Some(Word { raw, tok, pos: 0.0, grid_pos: 0.0, cell: 0, copied: false })
    }

    fn raws(values: &[Option<Word<'static>>]) -> Vec<&'static str> {
        values.iter().map(|w| w.map_or("?", |w| w.raw)).collect()
    }

    /// A grid row of one value padded with empty cells at one edge (a
    /// one-column item in a table four cells wide): the ways of trimming
    /// "both edges" and "that edge" are one way, not two.
    #[test]
    fn a_grid_row_padded_at_one_edge_is_trimmed_to_its_width() {
        let mut v = vec![word("19"), word(""), word("")];
        fit(&mut v, 1, true);
        assert_eq!(raws(&v), ["19"]);
        let mut v = vec![word(""), word(""), word("5")];
        fit(&mut v, 1, true);
        assert_eq!(raws(&v), ["5"]);
        // Empties at both edges where either could be the blank value: left
        // as it is (the reader then says the count is wrong).
        let mut v = vec![word(""), word("5"), word("")];
        fit(&mut v, 2, true);
        assert_eq!(raws(&v), ["", "5", ""]);
    }
}
