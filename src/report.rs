//! Lines of cells → a [`Report`] (title, unit, year, tables) or a [`Rejection`].
//!
//! The reader is driven by [`crate::schema`]: a row is recognised by the
//! distinctive fragments of its label, wherever the layout put them (before,
//! beside or around the numbers), and takes the next complete run of values.
//! Rows whose label a converter lost are placed by the form's fixed order, but
//! only into a slot that is still empty; a row left empty at the end, a row
//! filled twice, or a run of the wrong length rejects the whole file. So a
//! report is either read completely and exactly, or not summed at all.

use crate::error::{RejectKind, Rejection};
use crate::layout::Line;
use crate::schema::{self, Format, Group, Head, Item, NCOLS, NROWS3, TABLE3_ROWS};
use crate::text::{self, Decimal, Num, NumError};
use bumpalo::Bump;

/// Table 3 as read: a value for every row the document has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table3 {
    /// Values by row index of [`TABLE3_ROWS`]; `None` for a row this document
    /// does not have (the (六) variant it does not use).
    pub rows: [Option<[u64; NCOLS]>; NROWS3],
}

impl Table3 {
    /// The row with this key, if the document has it.
    pub fn get(&self, key: &str) -> Option<&[u64; NCOLS]> {
        schema::row3_index(key).and_then(|i| self.rows[i].as_ref())
    }

    /// Does the document use the single (六) 其他处理 row?
    pub fn single_other(&self) -> bool {
        self.rows[schema::OTHER_PROCESSING].is_some()
    }

    /// A row's value in column `c`; 0 for a row the document does not have.
    pub fn cell(&self, key: &str, c: usize) -> u64 {
        self.get(key).map_or(0, |v| v[c])
    }

    /// The sum of the outcome rows (一)…(六) in column `c`: what (七) 总计
    /// must equal. Cannot overflow: counts are at most text::MAX_COUNT and
    /// there are fewer than 26 terms.
    pub fn outcomes(&self, c: usize) -> u64 {
        TABLE3_ROWS
            .iter()
            .zip(&self.rows)
            .filter(|(d, _)| d.group.is_outcome())
            .filter_map(|(_, v)| v.map(|v| v[c]))
            .sum()
    }
}

/// A subtotal (小计) some units add to table 3, kept only to be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subtotal {
    /// A 小计 row under a group: its seven values.
    Row {
        /// The group it sums.
        group: Group,
        /// Its values.
        values: [u64; NCOLS],
    },
    /// The eighth column (sum of the five 法人或其他组织 columns) of one row.
    Column {
        /// Row index in [`TABLE3_ROWS`].
        row: usize,
        /// The subtotal stated.
        value: u64,
    },
}

/// Everything the tool takes from one annual report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The title as found (normalised spacing), for messages.
    pub title: String,
    /// The county, as written in the title (None: the title does not say).
    pub county: Option<String>,
    /// The unit (township or department), as written in the title.
    pub unit: String,
    /// The year the report covers.
    pub year: u16,
    /// Which form the document uses (from table 2's header, else the year).
    pub format: Format,
    /// Table 2: one value per measure of [`schema::table2_items`]`(format)`,
    /// item by item in the form's order.
    pub table2: Vec<Decimal>,
    /// Table 3.
    pub table3: Table3,
    /// Subtotals found in table 3 (not summed; checked).
    pub subtotals: Vec<Subtotal>,
    /// Table 4: five values for each proceeding.
    pub table4: [[u64; 5]; 3],
    /// The number of requests received that the prose states, if it does.
    pub narrative_requests: Option<u64>,
}

/// A value cell or word of a line, classified. The word is borrowed from the
/// line (kept for messages), so reading a line allocates nothing per word.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// A number, its word, and (in a space-aligned text line) the display
    /// column of its centre, in half columns, for placing a short row.
    Val(Num, &'a str, Option<u32>),
    Bad(NumError, &'a str),
    Empty,
}

/// A line seen by the table reader: its label text and its run of values.
/// Its parts live in the document's arena (see [`read_parts`]): a document
/// has a hundred such lines, and one allocation each for the label, the
/// values and the head fragments was a fifth of the time spent reading it.
#[derive(Debug, Default, Clone, Copy)]
struct View<'a> {
    /// Normalised text of the label part (everything up to the last word).
    text: &'a str,
    /// The run of values after the label (edge padding removed).
    values: &'a [Tok<'a>],
    /// Text found between values: the word that should have been a number.
    stray: Option<&'a str>,
    number: usize,
    /// A line of space-aligned text (one cell, not a grid row).
    positioned: bool,
    /// Head fragments found in `text`, by number (see [`find_heads`]).
    heads: &'a [(FragId, usize)],
    /// Their bits (see [`head_mask`]).
    head_mask: u128,
    /// A grid row of only empty cells: how many.
    empty_row: usize,
    /// Not read yet: a line that cannot be a section heading, left until
    /// the sections are known (see [`may_be_heading`]). Its text is empty.
    deferred: bool,
}

/// Buffers [`view`] builds a line's parts in before they are copied into the
/// arena at their final size; kept from line to line.
#[derive(Default)]
struct Scratch<'a> {
    text: String,
    stray: String,
    vals: Vec<Tok<'a>>,
}

/// The display column of a word's centre, in half columns (see `Tok::Val`),
/// from the column where it starts.
fn centre(col: u32, word: &str) -> u32 {
    2 * col + word.chars().map(width).sum::<u32>()
}

/// Display width of a character in a monospaced rendering (CJK is two wide).
fn width(c: char) -> u32 {
    if (c as u32) >= 0x1100 { 2 } else { 1 }
}

/// Words of a cell with the display column where each starts. Walks the
/// bytes: ASCII (spaces, digits, punctuation) is settled a byte at a time,
/// and only other characters are decoded (whitespace as `char::is_whitespace`
/// has it; a tab counts one column, as any ASCII character).
fn words(cell: &str) -> impl Iterator<Item = (u32, &str)> {
    let b = cell.as_bytes();
    let mut i = 0usize;
    let mut col = 0u32;
    // The character at `i`: whether it is whitespace, its columns, its length.
    let at = move |i: usize| -> (bool, u32, usize) {
        let x = b[i];
        if x < 0x80 {
            (text::is_ascii_space(x), 1, 1)
        } else if x >= 0xE4 {
            // U+4000 and up (CJK, full-width forms): two columns, never
            // whitespace; three bytes, or four from F0.
            (false, 2, if x >= 0xF0 { 4 } else { 3 })
        } else {
            let c = cell[i..].chars().next().unwrap_or(' '); // i is on a char boundary
            // No character above U+3000 is whitespace: CJK text skips the
            // Unicode table lookup.
            ((c as u32) <= 0x3000 && c.is_whitespace(), width(c), c.len_utf8())
        }
    };
    std::iter::from_fn(move || {
        // Skip spaces, counting their columns: runs of ASCII spaces (a
        // space-aligned line is mostly spaces) first, in a tight loop.
        let j = text::skip_spaces(b, i);
        col += (j - i) as u32;
        i = j;
        loop {
            if i >= b.len() {
                return None;
            }
            let (space, w, len) = at(i);
            if !space {
                break;
            }
            col += w;
            i += len;
        }
        let (start, start_col) = (i, col);
        while i < b.len() {
            let (space, w, len) = at(i);
            if space {
                break;
            }
            col += w;
            i += len;
        }
        Some((start_col, &cell[start..i]))
    })
}

/// `cell.trim().is_empty()`: [`text::trim_start`] passes the leading ASCII
/// spaces (dozens, in a space-aligned line) as bytes, and the first other
/// character settles it without trimming the cell's other end.
fn is_blank(cell: &str) -> bool {
    // Most cells (a value, a label word) are settled by their first byte.
    cell.is_empty() || (!text::starts_unspaced(cell.as_bytes()) && text::trim_start(cell).is_empty())
}

/// Lines with more than this many bytes (spaces aside) are prose: kept as one
/// text token without per-word work (no heading or table row is this long).
const PROSE_BYTES: usize = 300;

/// The kind of the last word seen while viewing a line (see [`view`]).
#[derive(Clone, Copy, PartialEq)]
enum Last {
    Nothing,
    Text,
    Val,
    Other,
}

/// Read a line into its label (all text words, normalised and joined) and
/// the run of values after the last text word, in one pass over its words.
/// Values met before a later text word belong to the label: a blank marker
/// there is a word of it ("4. 无 正当理由…"), any other value marks the text
/// after it as stray (a word where a number should be).
fn view<'a>(line: &'a Line<'_>, arena: &'a Bump, sc: &mut Scratch<'a>) -> View<'a> {
    if let ([cell], false) = (&line.cells[..], line.cells.iter().any(|c| c.copied)) {
        if let Some(v) = view_value(cell.as_ref(), line, arena) {
            return v;
        }
    }
    view_words(line, arena, sc)
}

/// [`view`] of a line that is one number and nothing else (after leading
/// spaces), as a one-cell-per-line report writes every value: what the word
/// loop of [`view_words`] makes of it, without the loop. `None` for any
/// other line. A word [`text::parse_number`] reads as a count holds no
/// whitespace of any kind, so the word found here is the loop's only word.
fn view_value<'a>(cell: &'a str, line: &Line<'_>, arena: &'a Bump) -> Option<View<'a>> {
    let b = cell.as_bytes();
    let start = text::skip_spaces(b, 0);
    let word = &cell[start..]; // after ASCII spaces: a boundary
    if word.len() > PROSE_BYTES {
        return None;
    }
    // A line of a value and more words is no count as a whole (see above).
    let Some(Ok(n)) = text::parse_number(word) else { return None };
    let positioned = !line.is_grid();
    // Each leading space is one column.
    let tok = Tok::Val(n, word, positioned.then(|| centre(start as u32, word)));
    Some(View { number: line.number, positioned, values: arena.alloc_slice_copy(&[tok]), ..View::default() })
}

/// [`view`], word by word.
fn view_words<'a>(line: &'a Line<'_>, arena: &'a Bump, sc: &mut Scratch<'a>) -> View<'a> {
    let mut v = View { number: line.number, positioned: line.cells.len() == 1 && !line.is_grid(), ..View::default() };
    if let [cell] = &line.cells[..] {
        let cell = cell.as_ref();
        if cell.len() > PROSE_BYTES && cell.bytes().filter(|&b| b != b' ').count() > PROSE_BYTES {
            v.text = text::trim(cell);
            return v;
        }
    }
    // Positions mean something only in a line laid out with spaces.
    let positioned = v.positioned;
    let Scratch { text: label, stray, vals } = sc;
    label.clear();
    stray.clear();
    vals.clear();
    let mut has_stray = false;
    let mut last = Last::Nothing;
    let mut seen_text = false;
    let mut seen_value_after_text = false;
    // The stray text run is still growing (its next text word joins it).
    let mut stray_open = false;
    for cell in &line.cells {
        let copied = cell.copied;
        let cell = cell.as_ref();
        if copied && cell.split_whitespace().all(|w| text::parse_number(w).is_some()) {
            continue; // a span's copy of a number or blank: not a value of its own
        }
        if is_blank(cell) {
            vals.push(Tok::Empty);
            last = Last::Other;
            continue;
        }
        for (col, word) in words(cell) {
            match text::parse_number(word) {
                Some(Ok(n)) => {
                    vals.push(Tok::Val(n, word, positioned.then(|| centre(col, word))));
                    last = Last::Val;
                }
                Some(Err(e)) => {
                    vals.push(Tok::Bad(e, word));
                    last = Last::Other;
                }
                None if last == Last::Val && matches!(word, "件" | "条" | "个" | "项") => {
                    // "12 件": the unit of the number before it
                }
                None if last == Last::Text => {
                    text::normalize_word_into(label, word);
                    if stray_open {
                        text::normalize_into(stray, word);
                    }
                }
                None => {
                    // The values so far were inside the label.
                    for t in vals.drain(..) {
                        match t {
                            Tok::Val(n, raw, _) if n.blank => text::normalize_word_into(label, raw),
                            Tok::Val(..) | Tok::Bad(..) => seen_value_after_text |= seen_text,
                            Tok::Empty => {}
                        }
                    }
                    stray_open = seen_value_after_text && !has_stray;
                    if stray_open {
                        has_stray = true;
                        text::normalize_into(stray, word);
                    }
                    seen_text = true;
                    text::normalize_word_into(label, word);
                    last = Last::Text;
                }
            }
        }
    }
    let mut run = &vals[..];
    if !line.is_grid() {
        while let [rest @ .., Tok::Empty] = run {
            run = rest;
        }
        while let [Tok::Empty, rest @ ..] = run {
            run = rest;
        }
    } else if !seen_text && run.iter().all(|t| matches!(t, Tok::Empty)) {
        // A grid row of nothing but empty cells: a spacer row, or (in table 4)
        // a row of blanks; only table 4 takes it as values (see read_table4).
        v.empty_row = run.len();
        run = &[];
    }
    // Prose such as "（其中修订 16 件）" has no values to doubt.
    if has_stray && !run.is_empty() {
        v.stray = Some(arena.alloc_str(stray));
    }
    v.values = arena.alloc_slice_copy(run);
    v.text = arena.alloc_str(label);
    // Heads are looked for only in the table sections (see read_parts).
    v
}

/// Could this line's label pass [`is_heading`]? Settled by its first
/// character, so that the lines that cannot (prose, most table rows) are
/// read only if they turn out to lie in a table's section: prose is about
/// half of a report's text, and reading it word by word was a third of the
/// time spent on a report. A heading's label starts with its numeral (二 of
/// 二、) or with 表; the label of a line whose first word is text starts
/// with that word, folded (normalising maps characters one to one and only
/// drops whitespace and U+FEFF). Anything less plain (a first word that may
/// be a number, whose label then starts later; `#`, `*`, U+FEFF, which the
/// heading test or the normaliser skip; a grid row) may be a heading.
fn may_be_heading(line: &Line<'_>) -> bool {
    static STARTS: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let starts = STARTS.get_or_init(|| {
        let numerals = [schema::SECTION_TABLE2, schema::SECTION_TABLE3, schema::SECTION_TABLE4]
            .into_iter()
            .chain(schema::SECTION_AFTER4)
            .filter_map(|(numeral, _)| numeral.chars().next());
        numerals.chain(['表']).collect()
    });
    let [cell] = &line.cells[..] else { return true };
    let cell = cell.as_ref();
    let Some(c) = cell[text::skip_spaces(cell.as_bytes(), 0)..].chars().next() else { return true };
    if c.is_whitespace() || matches!(c, '#' | '*' | '＃' | '＊' | '\u{FEFF}') {
        return true;
    }
    let f = text::fold_char(c);
    text::may_start_number(f) || starts.contains(&f)
}

/// What the section headings look like: numeral first, a short line.
fn is_heading(text: &str, (numeral, words): (&str, &str)) -> bool {
    let t = text.trim_start_matches(['#', '*', ' ']);
    if t.len() > 40 * 4 {
        return false;
    }
    // 三、 or 三. or 表三
    let digit = numeral.trim_end_matches('、');
    let t2 = t.strip_prefix('表').unwrap_or(t);
    let starts = t.starts_with(numeral)
        || t2.strip_prefix(digit).is_some_and(|rest| t2.len() < t.len() || rest.starts_with('.'));
    starts && t.contains(words) && t.chars().count() <= 40
}

/// Where each table starts and ends, as ranges of line indexes.
struct Sections {
    prose: std::ops::Range<usize>,
    t2: Option<std::ops::Range<usize>>,
    t3: Option<std::ops::Range<usize>>,
    t4: Option<std::ops::Range<usize>>,
}

/// Where each section heading is, among the views of a document's lines.
fn find_sections(views: &[View]) -> Sections {
    // A heading has no values; a line left unread cannot be one.
    let find = |from: usize, h: (&str, &str)| {
        (from..views.len()).find(|&i| {
            let v = &views[i];
            !v.deferred && v.values.is_empty() && !v.text.is_empty() && is_heading(v.text, h)
        })
    };
    let h2 = find(0, schema::SECTION_TABLE2);
    let h3 = find(h2.map_or(0, |i| i + 1), schema::SECTION_TABLE3);
    let h4 = find(h3.or(h2).map_or(0, |i| i + 1), schema::SECTION_TABLE4);
    let after4 = h4.and_then(|h| schema::SECTION_AFTER4.iter().filter_map(|s| find(h + 1, *s)).min());
    let end = views.len();
    let next_after = |start: Option<usize>, cands: &[Option<usize>]| {
        start.map(|s| {
            let e = cands.iter().flatten().copied().filter(|&c| c > s).min().unwrap_or(end);
            s + 1..e
        })
    };
    Sections {
        prose: 0..h2.or(h3).unwrap_or(end),
        t2: next_after(h2, &[h3, h4, after4]),
        t3: next_after(h3, &[h4, after4]),
        t4: next_after(h4, &[after4]),
    }
}

/// A row the generic reader looks for: its label fragments and width.
#[derive(Clone, Copy)]
struct RowDef {
    /// Output key and form label, for messages ([`RowDef::name`]).
    key: &'static str,
    label: &'static str,
    /// The label's heads, fragments by number (see [`head_keys`]).
    keys: &'static [Key],
    width: usize,
    /// [`head_mask`] of its heads: which lines can hold this row's label.
    mask: u128,
    ends: bool,
}

impl RowDef {
    fn new(key: &'static str, label: &'static str, heads: &'static [Head], width: usize) -> RowDef {
        let keys = head_keys(heads);
        let (mask, ends) = head_mask(keys);
        RowDef { key, label, keys, width, mask, ends }
    }

    /// How messages name the row: `key (label)`. Built only for a message.
    fn name(&self) -> String {
        key_label(self.key, self.label)
    }
}

/// Table 3's row numbers and row definitions (width left 0), for the form
/// with one (六) row and for the one with three; built once, since a row's
/// head mask is looked up fragment by fragment.
fn table3_defs(single_other: bool) -> &'static (Vec<usize>, Vec<RowDef>) {
    static D: std::sync::OnceLock<[(Vec<usize>, Vec<RowDef>); 2]> = std::sync::OnceLock::new();
    let both = D.get_or_init(|| {
        [false, true].map(|single| {
            let indexes: Vec<usize> = schema::table3_rows(single).collect();
            let defs = indexes
                .iter()
                .map(|&i| RowDef::new(TABLE3_ROWS[i].key, TABLE3_ROWS[i].label, TABLE3_ROWS[i].heads, 0))
                .collect();
            (indexes, defs)
        })
    });
    &both[usize::from(single_other)]
}

/// Table 2's row definitions for a form, built once (see [`table3_defs`]).
fn table2_defs(format: Format) -> &'static [RowDef] {
    static D: std::sync::OnceLock<[Vec<RowDef>; 2]> = std::sync::OnceLock::new();
    let both = D.get_or_init(|| {
        [Format::F2019, Format::F2021].map(|f| {
            schema::table2_items(f)
                .iter()
                .map(|it| RowDef::new(it.key, it.label, it.heads, it.measures.len()))
                .collect()
        })
    });
    &both[usize::from(format == Format::F2021)]
}

/// Every head fragment of the form, in one automaton: a line's text is
/// scanned once for all of them (not once per row and fragment).
struct HeadMatcher {
    ac: aho_corasick::AhoCorasick,
    /// Fragment → its pattern number, for [`head_mask`].
    ids: std::collections::HashMap<&'static str, usize>,
    /// Whether any row has an `EndsWith` head: if none does, a line with no
    /// fragment matches no row ([`match_row`] settles it at once).
    any_ends: bool,
}

fn head_matcher() -> &'static HeadMatcher {
    use std::sync::OnceLock;
    static M: OnceLock<HeadMatcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut frags: Vec<&'static str> = Vec::new();
        let all = TABLE3_ROWS
            .iter()
            .flat_map(|r| r.heads)
            .chain(schema::TABLE2_2021.iter().flat_map(|i| i.heads))
            .chain(schema::TABLE2_2019.iter().flat_map(|i| i.heads));
        let mut any_ends = false;
        for h in all {
            any_ends |= matches!(h, Head::EndsWith(_));
            let (Head::Contains(f) | Head::EndsWith(f)) = h;
            if !frags.contains(f) {
                frags.push(f);
            }
        }
        // The patterns are the schema's literal strings: always a valid automaton.
        let ac = aho_corasick::AhoCorasick::new(&frags).expect("head fragments build an automaton"); // ok: literals
        let ids = frags.iter().enumerate().map(|(i, f)| (*f, i)).collect();
        HeadMatcher { ac, ids, any_ends }
    })
}

/// The bit of fragment number `id` in a head mask: fragments beyond 128 (the
/// form has far fewer) share the top bit, which only makes the filter in
/// [`match_row`] let more rows through, never fewer.
fn head_bit(id: usize) -> u128 {
    1 << id.min(127)
}

/// A row's `Contains` fragments as a mask, and whether it has an `EndsWith`
/// head: a line whose found fragments share no bit with the mask can only
/// match the row through an `EndsWith` head.
fn head_mask(keys: &[Key]) -> (u128, bool) {
    let mut mask = 0;
    let mut ends = false;
    for k in keys {
        match *k {
            // (A fragment the automaton lacks lets every line through.)
            Key::Contains(id) if id == FragId::MAX => mask = u128::MAX,
            Key::Contains(id) => mask |= head_bit(usize::from(id)),
            Key::EndsWith(_) => ends = true,
        }
    }
    (mask, ends)
}

/// A head fragment's number: its pattern number in [`head_matcher`].
type FragId = u16;

/// A [`Head`] with its fragment by number, as [`head_pos`] compares them
/// (a number, not a string, for each of a row's heads on each line).
#[derive(Debug, Clone, Copy)]
enum Key {
    Contains(FragId),
    EndsWith(&'static str),
}

/// The keys of a row's heads. Built once per row for the whole run (the row
/// definitions are built once, see [`table3_defs`]): kept for the run.
fn head_keys(heads: &[Head]) -> &'static [Key] {
    let ids = &head_matcher().ids;
    let keys: Vec<Key> = heads
        .iter()
        .map(|h| match h {
            // Every Contains fragment is a pattern of the automaton.
            Head::Contains(f) => Key::Contains(ids.get(f).map_or(FragId::MAX, |&i| i as FragId)),
            Head::EndsWith(f) => Key::EndsWith(f),
        })
        .collect();
    Box::leak(keys.into_boxed_slice())
}

/// Where each head fragment occurs last in a line's text (fragment number,
/// start), and the mask of the fragments found.
fn find_heads(text: &str, hits: &mut Vec<(FragId, usize)>) -> u128 {
    hits.clear();
    let mut mask = 0u128;
    if text.is_empty() {
        return mask;
    }
    let m = head_matcher();
    for found in m.ac.find_overlapping_iter(text) {
        let id = found.pattern().as_usize();
        // A fragment seen before in this line: only its position moves.
        let seen = mask & head_bit(id) != 0;
        match hits.iter_mut().find(|(g, _)| seen && usize::from(*g) == id) {
            Some(h) => h.1 = h.1.max(found.start()),
            None => hits.push((id as FragId, found.start())),
        }
        mask |= head_bit(id);
    }
    mask
}

/// Labels longer than this are not kept in the head cache (see [`heads_of`]).
const HEAD_CACHE_TEXT: usize = 256;
/// How many labels a worker's head cache holds: the form has a few dozen;
/// the bound keeps odd documents from growing it.
const HEAD_CACHE_LABELS: usize = 4096;

/// A label's head fragments and their mask (see [`find_heads`]).
type Heads = (Box<[(FragId, usize)]>, u128);

thread_local! {
    /// [`find_heads`]' answers for label texts this worker has seen. Every
    /// report repeats the form's labels, and looking one up costs a fraction
    /// of running the automaton over it (which was 7 % of a run).
    static HEAD_CACHE: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Heads>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// [`find_heads`], through the worker's cache.
fn heads_of(text: &str, hits: &mut Vec<(FragId, usize)>) -> u128 {
    if text.is_empty() || text.len() > HEAD_CACHE_TEXT {
        return find_heads(text, hits);
    }
    HEAD_CACHE.with_borrow_mut(|cache| {
        if let Some((h, mask)) = cache.get(text) {
            hits.clear();
            hits.extend_from_slice(h);
            return *mask;
        }
        let mask = find_heads(text, hits);
        if cache.len() < HEAD_CACHE_LABELS {
            cache.insert(text.into(), (hits.as_slice().into(), mask));
        }
        mask
    })
}

/// Where a row's label occurs in a line: the last position of any of its
/// heads (an `EndsWith` head only counts at the very end of the text).
fn head_pos(v: &View, keys: &[Key]) -> Option<usize> {
    keys.iter()
        .filter_map(|k| match *k {
            Key::Contains(id) => v.heads.iter().find(|(g, _)| *g == id).map(|(_, p)| *p),
            Key::EndsWith(f) => v.text.ends_with(f).then(|| v.text.len() - f.len()),
        })
        .max()
}

/// The row whose label occurs last in the line (labels of group rows such as
/// (六) 其他处理 come before the sub-row's own label on a shared line).
fn match_row(v: &View, rows: &[RowDef]) -> Option<usize> {
    if v.head_mask == 0 && !head_matcher().any_ends {
        return None;
    }
    rows.iter()
        .enumerate()
        .filter(|(_, r)| r.mask & v.head_mask != 0 || r.ends)
        .filter_map(|(i, r)| head_pos(v, r.keys).map(|p| (p, i)))
        .max()
        .map(|(_, i)| i)
}

/// Which rows of a list can hold a line's label, by head-fragment bit: the
/// rows a line's head mask lets through, found from its few set bits rather
/// than by testing every row of the form on every line (see [`match_row`]).
struct RowIndex {
    /// For each bit of a head mask, the rows whose mask has it.
    by_bit: [u64; 128],
    /// The rows with an `EndsWith` head (any line may hold their label).
    ends: u64,
}

impl RowIndex {
    /// The index of `rows`, if they are few enough for a bit each.
    fn new(rows: &[RowDef]) -> Option<RowIndex> {
        if rows.len() > 64 {
            return None;
        }
        let mut idx = RowIndex { by_bit: [0; 128], ends: 0 };
        for (i, r) in rows.iter().enumerate() {
            let mut bits = r.mask;
            while bits != 0 {
                idx.by_bit[bits.trailing_zeros() as usize] |= 1 << i;
                bits &= bits - 1;
            }
            if r.ends {
                idx.ends |= 1 << i;
            }
        }
        Some(idx)
    }

    /// [`match_row`] through the index: the same row, tried only among the
    /// rows the line's head mask lets through.
    fn match_row(&self, v: &View, rows: &[RowDef]) -> Option<usize> {
        let mut cand = self.ends;
        let mut bits = v.head_mask;
        while bits != 0 {
            cand |= self.by_bit[bits.trailing_zeros() as usize];
            bits &= bits - 1;
        }
        let mut best: Option<(usize, usize)> = None;
        while cand != 0 {
            let i = cand.trailing_zeros() as usize;
            cand &= cand - 1;
            if let Some(p) = head_pos(v, rows[i].keys) {
                // Rows in order: a later row wins a tie, as max() has it.
                if best.is_none_or(|b| (p, i) > b) {
                    best = Some((p, i));
                }
            }
        }
        best.map(|(_, i)| i)
    }
}

enum Pending {
    None,
    Row(usize),
    Subtotal(String),
}

/// What the generic reader found: a value run per row, plus subtotal rows.
struct Read<'a> {
    rows: Vec<Option<(&'a [Tok<'a>], usize)>>,
    /// Rows read by position: placed by the form's order because no label
    /// claimed their values, or completed by column (blank cells).
    positional: Vec<usize>,
    /// Rows whose label stood on a space-aligned line and was followed by
    /// the next row's label with no values between: all cells blank, if the
    /// table's columns turn out to be aligned (see [`place_by_columns`]).
    blank: Vec<(usize, usize)>,
    subtotal_rows: Vec<(String, &'a [Tok<'a>], usize)>,
}

/// State of the generic table reader while it walks the lines.
struct Reader<'a, 'v> {
    rows: &'a [RowDef],
    /// Accept a short run whose words carry display columns, to be placed
    /// by [`place_by_columns`] (space-aligned text loses blank cells).
    align: bool,
    table: u8,
    allow_unlabeled: bool,
    out: Read<'v>,
    next: usize,
    pending: Pending,
    /// Line of the pending row's label, and whether that line is space-aligned.
    pending_at: (usize, bool),
    /// Some row has its values (kept, not looked for in `out` line by line).
    any_row: bool,
}

impl<'v> Reader<'_, 'v> {
    /// The pending row's label is being left with no values: remember it as
    /// possibly all blank (only meaningful in a space-aligned table).
    fn note_blank(&mut self) {
        if let (Pending::Row(p), (line, true)) = (&self.pending, self.pending_at) {
            if self.out.rows[*p].is_none() {
                self.out.blank.push((*p, line));
            }
        }
    }

    /// A complete run of values: give it to the pending row, else (where the
    /// table allows) to the next row of the form that is still empty.
    fn emit(&mut self, vals: &'v [Tok<'v>], line: usize) -> Result<(), Rejection> {
        // Blank cells no label claims (a header row's empty cell, a spacer)
        // carry no number: nothing to place.
        if !matches!(self.pending, Pending::Row(_)) && vals.iter().all(|t| matches!(t, Tok::Empty)) {
            return Ok(());
        }
        let mut positional = false;
        let target = match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::Subtotal(text) => {
                self.out.subtotal_rows.push((text, vals, line));
                return Ok(());
            }
            Pending::Row(i) => i,
            Pending::None => {
                let free = (self.next..self.rows.len()).find(|&i| self.out.rows[i].is_none());
                match free {
                    Some(i) if self.allow_unlabeled => {
                        positional = true;
                        i
                    }
                    _ => {
                        return Err(Rejection::table(
                            RejectKind::Unlabeled,
                            self.table,
                            format!("{} with no row label the form has", values(vals.len())),
                        )
                        .line(line));
                    }
                }
            }
        };
        let def = &self.rows[target];
        if let Some((_, first)) = &self.out.rows[target] {
            return Err(Rejection::table(
                RejectKind::DuplicateRow,
                self.table,
                format!("the row appears twice (lines {first} and {line})"),
            )
            .row(def.name())
            .line(line));
        }
        let placeable =
            self.align && vals.len() < def.width && vals.iter().all(|t| matches!(t, Tok::Val(_, _, Some(_))));
        if vals.len() != def.width && !placeable {
            return Err(Rejection::table(
                RejectKind::WrongCount,
                self.table,
                format!("{} where {} are expected", values(vals.len()), def.width),
            )
            .row(def.name())
            .line(line));
        }
        self.out.rows[target] = Some((vals, line));
        self.any_row = true;
        if positional {
            self.out.positional.push(target);
        }
        self.next = target + 1;
        Ok(())
    }
}

/// The generic table reader (see the module doc).
fn read_rows<'v>(
    views: &[View<'v>],
    rows: &[RowDef],
    table: u8,
    allow_unlabeled: bool,
    subtotals: bool,
    arena: &'v Bump,
) -> Result<Read<'v>, Rejection> {
    let mut rd = Reader {
        rows,
        align: table == 3,
        table,
        allow_unlabeled,
        out: Read {
            rows: vec![None; rows.len()],
            positional: Vec::new(),
            blank: Vec::new(),
            subtotal_rows: Vec::new(),
        },
        next: 0,
        pending: Pending::None,
        pending_at: (0, false),
        any_row: false,
    };
    let index = RowIndex::new(rows);
    // Values gathered from one-value lines, copied into the arena when complete.
    let mut acc: Vec<Tok> = Vec::new();
    let mut acc_line = 0usize;
    for v in views {
        if !v.text.is_empty() {
            if !acc.is_empty() {
                rd.emit(arena.alloc_slice_copy(&acc), acc_line)?;
                acc.clear();
            }
            let matched = match &index {
                Some(idx) => idx.match_row(v, rows),
                None => match_row(v, rows),
            };
            if let Some(i) = matched {
                rd.note_blank();
                rd.pending = Pending::Row(i);
                rd.pending_at = (v.number, v.positioned);
            } else if subtotals && rd.any_row && v.text.contains(schema::SUBTOTAL) {
                rd.pending = Pending::Subtotal(v.text.to_string());
            }
        }
        if let Some(word) = &v.stray {
            let mut r =
                Rejection::table(RejectKind::NotANumber, table, format!("text \"{word}\" where a number should be"))
                    .line(v.number);
            if let Pending::Row(i) = rd.pending {
                r = r.row(rows[i].name());
            }
            return Err(r);
        }
        if v.values.is_empty() {
            continue;
        }
        if v.text.is_empty() && v.values.len() == 1 {
            // One cell per line: gather the row's values until the next label.
            if acc.is_empty() {
                acc_line = v.number;
            }
            acc.extend_from_slice(v.values);
        } else {
            if !acc.is_empty() {
                rd.emit(arena.alloc_slice_copy(&acc), acc_line)?;
                acc.clear();
            }
            // The line's values are in the arena already: no copy.
            rd.emit(v.values, v.number)?;
        }
    }
    if !acc.is_empty() {
        rd.emit(arena.alloc_slice_copy(&acc), acc_line)?;
    }
    rd.note_blank();
    Ok(rd.out)
}

fn values(n: usize) -> String {
    if n == 1 { "1 value".into() } else { format!("{n} values") }
}

/// Place the values of short rows (space-aligned text, where a blank cell
/// leaves no trace) by their display columns: the columns are learnt from the
/// complete rows of the same table, each value must sit clearly under one
/// column (within a third of the narrowest gap), in order, and the columns
/// left without a value are blanks (0). A label-only row of such a table is
/// a row of blanks. A row that cannot be placed that surely is rejected.
fn place_by_columns<'v>(read: &mut Read<'v>, defs: &[RowDef], width: usize, arena: &'v Bump) -> Result<(), Rejection> {
    let centre = |t: &Tok| match t {
        Tok::Val(_, _, Some(c)) => Some(*c),
        _ => None,
    };
    let short: Vec<usize> =
        (0..read.rows.len()).filter(|&k| read.rows[k].as_ref().is_some_and(|(v, _)| v.len() < width)).collect();
    let blank: Vec<(usize, usize)> = read.blank.iter().copied().filter(|(k, _)| read.rows[*k].is_none()).collect();
    if short.is_empty() && blank.is_empty() {
        return Ok(());
    }
    let mut columns: Vec<Vec<u32>> = vec![Vec::new(); width];
    for (vals, _) in read.rows.iter().flatten().filter(|(v, _)| v.len() == width) {
        if let Some(cs) = vals.iter().map(centre).collect::<Option<Vec<u32>>>() {
            for (j, c) in cs.into_iter().enumerate() {
                columns[j].push(c);
            }
        }
    }
    let refs: Vec<u32> = columns
        .iter_mut()
        .map(|c| {
            c.sort_unstable();
            c.get(c.len() / 2).copied().unwrap_or(0)
        })
        .collect();
    let gap = refs.windows(2).map(|w| w[1].saturating_sub(w[0])).min().unwrap_or(0);
    // Columns are real only if the complete rows agree on them (a table of
    // single-spaced rows, like pdftotext -raw, has no columns at all).
    let spread = columns.iter().map(|c| c.last().zip(c.first()).map_or(u32::MAX, |(a, b)| a - b)).max();
    let aligned = columns[0].len() >= 3 && gap >= 8 && spread.is_some_and(|s| 3 * s <= gap);
    if aligned {
        for (k, line) in blank {
            read.rows[k] = Some((arena.alloc_slice_fill_copy(width, Tok::Empty), line));
            read.positional.push(k);
        }
    }
    for k in short {
        let Some((vals, line)) = read.rows[k].take() else { continue };
        let fail = |why: &str| {
            Rejection::table(
                RejectKind::WrongCount,
                3,
                format!("{} where {width} are expected, and {why}", values(vals.len())),
            )
            .row(defs[k].name())
            .line(line)
        };
        if !aligned {
            return Err(fail("the table's columns are not aligned well enough to tell which value is in which"));
        }
        let placed: &mut [Tok] = arena.alloc_slice_fill_copy(width, Tok::Empty);
        let mut last: Option<usize> = None;
        for t in vals {
            let c = centre(t).unwrap_or(0);
            let (j, d) =
                refs.iter().enumerate().map(|(j, r)| (j, r.abs_diff(c))).min_by_key(|x| x.1).unwrap_or((0, u32::MAX));
            if 3 * d > gap || last.is_some_and(|l| j <= l) {
                return Err(fail("its values do not line up with the table's columns"));
            }
            placed[j] = *t;
            last = Some(j);
        }
        read.rows[k] = Some((placed, line));
        read.positional.push(k);
    }
    Ok(())
}

/// Convert a value token to a count (a whole number, not negative, not too large).
fn count(tok: &Tok) -> Result<u64, String> {
    match tok {
        Tok::Empty => Ok(0),
        Tok::Val(n, raw, _) => match n.value.as_int() {
            Some(v) if v >= 0 => Ok(v as u64),
            Some(_) => Err(format!("\"{raw}\" is negative; a count cannot be")),
            None => Err(format!("\"{raw}\" is not a whole number")),
        },
        Tok::Bad(_, raw) => Err(format!("\"{raw}\" is too large to be a count")),
    }
}

fn count_err(tok: &Tok, table: u8, name: &str, line: usize, msg: String) -> Rejection {
    let kind = if matches!(tok, Tok::Bad(..)) { RejectKind::Overflow } else { RejectKind::NotANumber };
    Rejection::table(kind, table, msg).row(name).line(line)
}

/// How messages name a row or proceeding: `key (label)`.
fn key_label(key: &str, label: &str) -> String {
    format!("{key} ({label})")
}

fn read_table3<'v>(views: &[View<'v>], arena: &'v Bump) -> Result<(Table3, Vec<Subtotal>), Rejection> {
    // Which (六) variant and whether an eighth (subtotal) column is present are
    // properties of the whole table: decide them before reading rows.
    let sub_rows = schema::OTHER_PROCESSING + 1..schema::OTHER_PROCESSING + 4;
    // The three sub-rows' definitions, from the form that has them; a line
    // whose head mask shares no fragment with a row is passed over at once.
    static SUBS: std::sync::OnceLock<Vec<RowDef>> = std::sync::OnceLock::new();
    let subs = SUBS.get_or_init(|| {
        let (indexes, defs) = table3_defs(false);
        indexes.iter().zip(defs).filter(|(i, _)| sub_rows.contains(i)).map(|(_, d)| *d).collect()
    });
    let single_other = !views
        .iter()
        .any(|v| subs.iter().any(|d| (d.ends || v.head_mask & d.mask != 0) && head_pos(v, d.keys).is_some()));
    let (indexes, all_defs) = table3_defs(single_other);
    let first_row = views.iter().position(|v| match_row(v, all_defs).is_some());
    let header = &views[..first_row.unwrap_or(0)];
    let subtotal_col = header.iter().any(|v| v.text.contains(schema::SUBTOTAL));
    let width = if subtotal_col { NCOLS + 1 } else { NCOLS };
    let defs: Vec<RowDef> = all_defs.iter().map(|d| RowDef { width, ..*d }).collect();

    let mut read = read_rows(views, &defs, 3, true, true, arena)?;
    place_by_columns(&mut read, &defs, width, arena)?;
    if read.rows.iter().all(Option::is_none) {
        return Err(Rejection::table(RejectKind::MissingTable, 3, "table 3 has no rows of the form"));
    }
    let mut rows = [None; NROWS3];
    let mut subtotals = Vec::new();
    // The row's name is built only for a message.
    // A row's counts on the stack (a Vec per row was most of the allocation
    // left in reading a report).
    type Counts = smallvec::SmallVec<[u64; NCOLS + 1]>;
    let to_counts = |vals: &[Tok], name: &dyn Fn() -> String, line: usize| -> Result<Counts, Rejection> {
        vals.iter().map(|t| count(t).map_err(|m| count_err(t, 3, &name(), line, m))).collect()
    };
    let split = |mut c: Counts| -> ([u64; NCOLS], Option<u64>) {
        let sub = subtotal_col.then(|| c.remove(NCOLS - 1));
        let mut a = [0; NCOLS];
        a.copy_from_slice(&c);
        (a, sub)
    };
    for (k, &i) in indexes.iter().enumerate() {
        let Some((vals, line)) = &read.rows[k] else {
            return Err(
                Rejection::table(RejectKind::MissingRow, 3, "the row is missing or has no values").row(defs[k].name())
            );
        };
        let (a, sub) = split(to_counts(vals, &|| defs[k].name(), *line)?);
        rows[i] = Some(a);
        if let Some(value) = sub {
            subtotals.push(Subtotal::Column { row: i, value });
        }
    }
    for (text, vals, line) in &read.subtotal_rows {
        let group = subtotal_group(text, &read, indexes, *line);
        let name = format!("小计 of {}", group.subtotal_label());
        if vals.len() != width {
            return Err(Rejection::table(
                RejectKind::WrongCount,
                3,
                format!("{} where {} are expected", values(vals.len()), width),
            )
            .row(name)
            .line(*line));
        }
        let (values, _) = split(to_counts(vals, &|| name.clone(), *line)?);
        subtotals.push(Subtotal::Row { group, values });
    }
    let table = Table3 { rows };
    positional_rows_add_up(&table, &read.positional, indexes)?;
    Ok((table, subtotals))
}

/// Rows read by position (a converter lost their labels, or blank cells of
/// space-aligned text were placed by column) are trusted only when the
/// table's own arithmetic confirms the placement: their row totals, and the
/// outcome and balance rules of every column. A value dropped from such a row
/// looks exactly like a blank cell; the arithmetic is what tells them apart.
/// If it does not confirm, the file is rejected rather than summed.
fn positional_rows_add_up(t: &Table3, positional: &[usize], indexes: &[usize]) -> Result<(), Rejection> {
    let Some(&first) = positional.first() else { return Ok(()) };
    let names: Vec<&str> = positional.iter().map(|&k| TABLE3_ROWS[indexes[k]].key).collect();
    let reject = |why: String| {
        Rejection::table(
            RejectKind::Unlabeled,
            3,
            format!(
                "row(s) {} were read by position (no label, or blank cells placed by column), but {why}: which value belongs where is not certain",
                names.join(", ")
            ),
        )
        .row(key_label(TABLE3_ROWS[indexes[first]].key, TABLE3_ROWS[indexes[first]].label))
    };
    for &k in positional {
        let v = t.rows[indexes[k]].unwrap_or([0; NCOLS]);
        let sum: u64 = v[..schema::TOTAL_COL].iter().sum();
        if sum != v[schema::TOTAL_COL] {
            return Err(reject(format!("{}'s total does not add up", TABLE3_ROWS[indexes[k]].key)));
        }
    }
    let col = |key: &str, c: usize| t.cell(key, c);
    for c in 0..NCOLS {
        let outcomes = t.outcomes(c);
        if outcomes != col("total_processed", c) {
            return Err(reject("the outcome rows do not add up to (七) 总计".into()));
        }
        if col("new_requests", c) + col("carried_over", c) != col("total_processed", c) + col("carried_forward", c) {
            return Err(reject("一 + 二 does not equal (七) + 四".into()));
        }
    }
    Ok(())
}

/// Which group a 小计 row sums: the one its label names, else the group of the
/// row just above it, else the group of the row below it.
fn subtotal_group(text: &str, read: &Read, indexes: &[usize], line: usize) -> Group {
    for (word, g) in [
        ("不予公开", Group::Denied),
        ("无法提供", Group::Unable),
        ("不予处理", Group::NotProcessed),
        ("其他处理", Group::Other),
    ] {
        if text.contains(word) {
            return g;
        }
    }
    let line_of = |k: usize| read.rows[k].as_ref().map(|(_, l)| *l);
    let above = (0..indexes.len()).filter(|&k| line_of(k).is_some_and(|l| l < line)).max_by_key(|&k| line_of(k));
    if let Some(k) = above {
        let g = TABLE3_ROWS[indexes[k]].group;
        if g.has_subtotal() {
            return g;
        }
    }
    let below = (0..indexes.len()).filter(|&k| line_of(k).is_some_and(|l| l > line)).min_by_key(|&k| line_of(k));
    below.map_or(Group::Other, |k| TABLE3_ROWS[indexes[k]].group)
}

fn read_table2<'v>(views: &[View<'v>], format: Format, arena: &'v Bump) -> Result<Vec<Decimal>, Rejection> {
    let items: &[Item] = schema::table2_items(format);
    let defs = table2_defs(format);
    let read = read_rows(views, defs, 2, false, false, arena)?;
    if read.rows.iter().all(Option::is_none) {
        return Err(Rejection::table(RejectKind::MissingTable, 2, "table 2 has no rows of the form"));
    }
    let mut out = Vec::with_capacity(items.iter().map(|it| it.measures.len()).sum());
    for (k, it) in items.iter().enumerate() {
        let Some((vals, line)) = &read.rows[k] else {
            return Err(
                Rejection::table(RejectKind::MissingRow, 2, "the row is missing or has no values").row(defs[k].name())
            );
        };
        for (tok, m) in vals.iter().zip(it.measures) {
            let err = |msg: String| count_err(tok, 2, &defs[k].name(), *line, format!("{}: {msg}", m.key));
            let v = match tok {
                Tok::Empty => Decimal(0),
                Tok::Val(n, raw, _) => {
                    if n.value.0 < 0 && !m.signed {
                        return Err(err(format!("\"{raw}\" is negative")));
                    }
                    if n.value.as_int().is_none() && !m.decimal {
                        return Err(err(format!("\"{raw}\" is not a whole number")));
                    }
                    n.value
                }
                other => return Err(err(count(other).err().unwrap_or_default())),
            };
            out.push(v);
        }
    }
    Ok(out)
}

fn read_table4(views: &[View]) -> Result<[[u64; 5]; 3], Rejection> {
    let mut vals: Vec<(Tok, usize)> = Vec::with_capacity(16);
    for v in views {
        if let Some(word) = &v.stray {
            return Err(Rejection::table(
                RejectKind::NotANumber,
                4,
                format!("text \"{word}\" where a number should be"),
            )
            .line(v.number));
        }
        if !v.text.is_empty() && vals.len() >= 15 {
            break; // prose after the table (some reports drop section 五's heading)
        }
        if !v.text.is_empty() && v.values.iter().all(|t| matches!(t, Tok::Empty)) {
            continue; // a header row with an empty cell
        }
        vals.extend(v.values.iter().cloned().map(|t| (t, v.number)));
    }
    if vals.is_empty() {
        // A grid whose value row is all blank cells: fifteen zeros.
        match views.iter().find(|v| v.empty_row == 15) {
            Some(v) => vals.extend((0..15).map(|_| (Tok::Empty, v.number))),
            None => return Err(Rejection::table(RejectKind::MissingTable, 4, "table 4 has no values")),
        }
    }
    if vals.len() != 15 {
        return Err(Rejection::table(
            RejectKind::WrongCount,
            4,
            format!("{} where 15 are expected (5 for each of 3 proceedings)", values(vals.len())),
        )
        .line(vals[0].1));
    }
    let mut out = [[0u64; 5]; 3];
    for (i, (tok, line)) in vals.iter().enumerate() {
        let p = &schema::TABLE4_PROCEEDINGS[i / 5];
        out[i / 5][i % 5] = count(tok).map_err(|m| count_err(tok, 4, &key_label(p.key, p.label), *line, m))?;
    }
    Ok(out)
}

/// The organ named by a title, split into county and unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// The title line(s), joined.
    pub text: String,
    /// The year.
    pub year: Option<u16>,
    /// County, if the title names one.
    pub county: Option<String>,
    /// The unit.
    pub unit: String,
}

const ORGAN_MARKS: [&str; 14] =
    ["政府", "局", "委", "办", "镇", "乡", "街道", "县", "区", "市", "厅", "中心", "院", "会"];

/// Read the title: a line that holds 年度报告 and a year (joined with the
/// short lines just above it when it names no organ by itself, since
/// converters break long titles), its year, and the organ split into county
/// and unit. A web page may list other reports (a menu's 政府信息公开年度报告,
/// a sidebar's links to earlier years) before the real title: the title is the
/// last such line before the report's body (一、总体情况), else the first.
pub fn read_title(lines: &[&str]) -> Option<Title> {
    let lines = &lines[..lines.len().min(400)];
    let body = lines.iter().position(|l| {
        // Most lines are settled without normalising them: the normalised
        // text starts with the first character that does not fold to
        // whitespace or U+FEFF (and only 一 folds to 一).
        let first = l.chars().map(text::fold_char).find(|c| !c.is_whitespace() && *c != '\u{FEFF}');
        if first != Some('一') {
            return false;
        }
        let n = text::normalize(l);
        n.starts_with("一、") && (n.contains("总体情况") || n.contains("概述"))
    });
    let candidates: Vec<Title> = lines
        .iter()
        .enumerate()
        .filter(|(at, _)| body.is_none_or(|b| *at < b))
        .filter(|(_, l)| (l.contains('报') || l.contains('報')) && text::normalize(l).contains("年度报告"))
        .map(|(at, _)| title_at(lines, at))
        .collect();
    let with_year = |t: &&Title| t.year.is_some();
    let chosen = if body.is_some() {
        candidates.iter().rposition(|t| with_year(&t))
    } else {
        candidates.iter().position(|t| with_year(&t))
    };
    // Taken out of the list, not copied.
    let mut candidates = candidates;
    (!candidates.is_empty()).then(|| candidates.swap_remove(chosen.unwrap_or(0)))
}

fn title_at(lines: &[&str], at: usize) -> Title {
    let words = |l: &str| -> String { l.split_whitespace().collect() };
    let alone = parse_title(words(lines[at]));
    if alone.year.is_some() && !alone.unit.is_empty() {
        return alone;
    }
    // Join the short lines just above, nearest first, only as far as needed
    // to name the organ (a breadcrumb further up must not be glued on).
    let mut raw = words(lines[at]);
    let mut best = alone;
    for l in lines[at.saturating_sub(2)..at].iter().rev() {
        let s = words(l);
        if s.is_empty() || s.chars().count() > 30 || s.ends_with('。') || text::is_page_marker(l) {
            break;
        }
        raw = format!("{s}{raw}");
        best = parse_title(raw.clone());
        if !best.unit.is_empty() {
            break;
        }
    }
    best
}

/// A string's characters folded ([`text::fold_char`], one character for
/// one), each with its byte offset in the string: positions found among the
/// folded characters slice the string as written. On the stack for any
/// title or organ name of up to 64 characters.
type Folded = smallvec::SmallVec<[(usize, char); 64]>;

fn folded(s: &str) -> Folded {
    s.char_indices().map(|(i, c)| (i, text::fold_char(c))).collect()
}

/// The byte offset in the string of folded character `k` (its end for `k`
/// past the last).
fn offset(f: &Folded, s: &str, k: usize) -> usize {
    f.get(k).map_or(s.len(), |&(i, _)| i)
}

/// The first folded character at which `pat` starts, if it occurs.
fn find_folded(f: &Folded, pat: &str) -> Option<usize> {
    let n = pat.chars().count();
    (0..(f.len() + 1).saturating_sub(n)).find(|&k| f[k..k + n].iter().map(|&(_, c)| c).eq(pat.chars()))
}

/// Split a title into year, county and unit.
fn parse_title(raw: String) -> Title {
    let norm = folded(&raw);
    let at = |k: usize| offset(&norm, &raw, k);
    let ch = |k: usize| norm.get(k).map(|&(_, c)| c);
    let digit = |k: usize| ch(k).is_some_and(|c| c.is_ascii_digit());

    // The year: four digits followed by 年.
    let mut year = None;
    let mut year_span = None;
    for i in 0..norm.len().saturating_sub(4) {
        if (i..i + 4).all(digit) && ch(i + 4) == Some('年') && (i == 0 || !digit(i - 1)) {
            // Four ASCII digits (folded): always a u16.
            year = Some((i..i + 4).fold(0u16, |y, k| y * 10 + ch(k).and_then(|c| c.to_digit(10)).unwrap_or(0) as u16));
            year_span = Some((i, i + 5 + usize::from(ch(i + 5) == Some('度'))));
            break;
        }
    }
    let report_at = find_folded(&norm, "政府信息公开").or_else(|| find_folded(&norm, "年度报告")).unwrap_or(norm.len());
    let (before, after) = match year_span {
        Some((a, b)) => (&raw[..at(a)], if b <= report_at { &raw[at(b)..at(report_at)] } else { "" }),
        None => (&raw[..at(report_at)], ""),
    };
    let is_organ = |s: &str| {
        let n = text::normalize(s);
        ORGAN_MARKS.iter().any(|m| n.contains(m))
    };
    let mut organ = if is_organ(after) { after } else { before };
    for junk in ["正文", "关于"] {
        if let Some(rest) = organ.strip_prefix(junk) {
            organ = rest;
        }
    }
    let organ = organ.trim_matches(|c: char| c.is_whitespace() || "《》<>\"“”".contains(c));
    let (county, unit) = split_organ(organ);
    Title { text: raw, year, county, unit }
}

/// Split an organ name into county and unit: `民权县人和镇人民政府` →
/// (`民权县`, `人和镇`). The county is the name ending at the first 县, 区 or
/// 旗 (else 市), without the province or city before it.
pub fn split_organ(organ: &str) -> (Option<String>, String) {
    let norm = folded(organ);
    let at = |k: usize| offset(&norm, organ, k);
    let find = |set: &[char]| (1..norm.len()).find(|&i| set.contains(&norm[i].1));
    let Some(end) = find(&['县', '区', '旗']).or_else(|| find(&['市'])) else {
        return (None, strip_government(organ));
    };
    // Drop a province or prefecture before the county: 河南省商丘市民权县 → 民权县.
    let start =
        (0..end).rev().find(|&i| matches!(norm[i].1, '省' | '市' | '州' | '盟') && i + 1 < end).map_or(0, |i| i + 1);
    let county = &organ[at(start)..at(end + 1)];
    let rest = &organ[at(end + 1)..];
    let unit = if matches!(text::normalize(rest).as_str(), "" | "人民政府" | "政府") {
        // The county government itself: 洪泽区人民政府.
        organ[at(start)..].to_string()
    } else {
        strip_government(rest)
    };
    (Some(county.to_string()), unit)
}

/// The name without a closing 人民政府 (its last four characters as
/// written), unless that is all of it.
fn strip_government(s: &str) -> String {
    let n = text::normalize(s);
    if n.ends_with("人民政府") && n.chars().count() > 4 {
        let k = s.chars().count() - 4;
        s[..s.char_indices().nth(k).map_or(s.len(), |(i, _)| i)].to_string()
    } else {
        s.to_string()
    }
}

/// The number of requests received that the prose states (section 一), e.g.
/// 共接到政府信息公开申请 1 件.
fn read_narrative(lines: &[&str]) -> Option<u64> {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?:接到|收到|受理|新收)(?:各类|了)?(?:政府)?信息公开申请(?:共|合计)?(\d+)件").unwrap() // ok: literal pattern
    });
    // Prose is wrapped at any character by converters: read the lines around
    // each 申 (of 申请) as one string; a gap between such runs stays a gap.
    // A run without 件 cannot hold the sentence (normalising neither makes
    // nor drops a 件): it is left out unread, as is most of a report's prose.
    let mut prose = String::new();
    let mut add = |(start, end): (usize, usize)| {
        let run = &lines[start..end];
        if run.iter().any(|l| l.contains('件')) {
            if !prose.is_empty() {
                prose.push('|');
            }
            run.iter().for_each(|l| text::normalize_into(&mut prose, l));
        }
    };
    // The run being gathered, as a range of line indexes.
    let mut run: Option<(usize, usize)> = None;
    for (i, _) in lines.iter().enumerate().filter(|(_, l)| l.contains('申')) {
        let (start, end) = (i.saturating_sub(1), (i + 2).min(lines.len()));
        run = match run {
            // Touching or overlapping the run: the same run goes on.
            Some((s, e)) if start <= e => Some((s, end.max(e))),
            Some(r) => {
                add(r);
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    run.map(&mut add);
    if prose.is_empty() {
        return None;
    }
    re.captures(&prose).and_then(|c| c[1].parse().ok())
}

/// Each table of a document read on its own, before they are combined: a
/// report is summed only when every part is `Ok` ([`Parts::into_report`]), but
/// tests and diagnostics can look at one table of a document whose other
/// tables are broken.
#[derive(Debug, Clone)]
pub struct Parts {
    /// The title, if found.
    pub title: Option<Title>,
    /// The form, from table 2's header (else the title's year).
    pub format: Option<Format>,
    /// Table 2.
    pub table2: Result<Vec<Decimal>, Rejection>,
    /// Table 3 and its subtotals.
    pub table3: Result<(Table3, Vec<Subtotal>), Rejection>,
    /// Table 4.
    pub table4: Result<[[u64; 5]; 3], Rejection>,
    /// The requests received that the prose states.
    pub narrative_requests: Option<u64>,
}

/// Read every part of a document (already split into lines).
pub fn read_parts(lines: &[Line<'_>]) -> Parts {
    thread_local! {
        /// The worker's arena, reset for each document: its memory stays
        /// in the cache from one report to the next.
        static ARENA: std::cell::RefCell<Bump> = std::cell::RefCell::new(Bump::with_capacity(ARENA_BYTES));
    }
    ARENA.with(|cell| match cell.try_borrow_mut() {
        Ok(mut arena) => {
            arena.reset();
            let parts = read_parts_in(lines, &arena);
            // An outsized document does not keep its memory for the run.
            if arena.allocated_bytes() > 64 * ARENA_BYTES {
                *arena = Bump::with_capacity(ARENA_BYTES);
            }
            parts
        }
        // Not reached (nothing in here reads a document); an arena of its own.
        Err(_) => read_parts_in(lines, &Bump::with_capacity(ARENA_BYTES)),
    })
}

/// The arena a typical report needs (its views' labels, values and heads).
const ARENA_BYTES: usize = 16 << 10;

/// [`read_parts`] with the arena the document's views live in.
fn read_parts_in(lines: &[Line<'_>], arena: &Bump) -> Parts {
    // Page headers and footers a converter left between rows carry no cell.
    let mut kept: Vec<&Line<'_>> = Vec::with_capacity(lines.len());
    kept.extend(lines.iter().filter(|l| !(l.cells.len() == 1 && text::is_page_marker(l.cells[0].as_ref()))));
    // The views' labels, values and heads, for the whole document, are in
    // `arena`: one allocation for all, instead of one (and a free) for each
    // part of each line.
    let mut sc = Scratch { text: String::with_capacity(256), stray: String::new(), vals: Vec::with_capacity(32) };
    let mut views: Vec<View> = Vec::with_capacity(kept.len());
    views.extend(kept.iter().map(|l| {
        if may_be_heading(l) {
            view(l, arena, &mut sc)
        } else {
            View { number: l.number, deferred: true, ..View::default() }
        }
    }));
    let secs = find_sections(&views);
    let (t2, t3, t4) = (secs.t2, secs.t3, secs.t4);
    // The tables' lines that were left unread (no other line's view is used).
    for r in [&t2, &t3, &t4].into_iter().flatten() {
        for i in r.clone() {
            if views[i].deferred {
                views[i] = view(kept[i], arena, &mut sc);
            }
        }
    }
    for r in [&t2, &t3].into_iter().flatten() {
        let mut hits = Vec::with_capacity(16);
        for v in &mut views[r.clone()] {
            v.head_mask = heads_of(v.text, &mut hits);
            v.heads = arena.alloc_slice_copy(&hits);
        }
    }
    // Title and narrative are read from the prose before table 2 only.
    let prose_end = kept
        .get(secs.prose.end)
        .map_or(lines.len(), |k| lines.iter().position(|l| l.number == k.number).unwrap_or(lines.len()));
    // A line of one cell is read as it is; cells of a row are joined.
    let plain: Vec<std::borrow::Cow<str>> = lines[..prose_end]
        .iter()
        .map(|l| match &l.cells[..] {
            [one] => std::borrow::Cow::Borrowed(one.as_ref()),
            cells => std::borrow::Cow::Owned(cells.iter().map(AsRef::as_ref).collect::<Vec<&str>>().join(" ")),
        })
        .collect();
    let plain_refs: Vec<&str> = plain.iter().map(AsRef::as_ref).collect();
    let title = read_title(&plain_refs[..prose_end.max(1).min(plain_refs.len())]);
    let missing = |t: u8, heading: &str| {
        Rejection::table(RejectKind::MissingTable, t, format!("table {t} ({heading}) not found"))
    };
    let table3 = match t3 {
        Some(r) => read_table3(&views[r], arena),
        None => Err(missing(3, "三、收到和处理政府信息公开申请情况")),
    };
    let year = title.as_ref().and_then(|t| t.year);
    let (format, table2) = match t2 {
        Some(r) => {
            let mut t2_text = String::with_capacity(views[r.clone()].iter().map(|v| v.text.len()).sum());
            t2_text.extend(views[r.clone()].iter().map(|v| v.text));
            let format = if t2_text.contains(schema::TABLE2_HEADER_2021) {
                Some(Format::F2021)
            } else if t2_text.contains(schema::TABLE2_HEADER_2019) {
                Some(Format::F2019)
            } else {
                year.map(Format::for_year)
            };
            let table2 = match format {
                Some(f) => read_table2(&views[r], f, arena),
                None => Err(Rejection::table(
                    RejectKind::MissingTable,
                    2,
                    "table 2's header names no form version and the title no year",
                )),
            };
            (format, table2)
        }
        None => (year.map(Format::for_year), Err(missing(2, "二、主动公开政府信息情况"))),
    };
    let table4 = match t4 {
        Some(r) => read_table4(&views[r]),
        None => Err(missing(4, "四、政府信息公开行政复议、行政诉讼情况")),
    };
    let narrative_requests = read_narrative(&plain_refs[..prose_end.min(plain_refs.len())]);
    Parts { title, format, table2, table3, table4, narrative_requests }
}

impl Parts {
    /// Combine the parts into a report, or the first reason it cannot be one.
    pub fn into_report(self) -> Result<Report, Rejection> {
        let Parts { title, format, table2, table3, table4, narrative_requests } = self;
        let Some(title) = title else {
            return Err(match table3 {
                Err(e) if e.kind == RejectKind::MissingTable => Rejection::doc(
                    RejectKind::NotAReport,
                    "not an annual report: no report title (…年度报告) and no table 3",
                ),
                _ => Rejection::doc(RejectKind::NotAReport, "no report title (…年度报告) before the tables"),
            });
        };
        let (table3, subtotals) = table3?;
        let year = title
            .year
            .ok_or_else(|| Rejection::doc(RejectKind::NoYear, format!("the title \"{}\" names no year", title.text)))?;
        if !(2000..=2100).contains(&year) {
            return Err(Rejection::doc(RejectKind::NoYear, format!("the title's year {year} is not a report year")));
        }
        let table2 = table2?;
        let table4 = table4?;
        Ok(Report {
            title: title.text,
            county: title.county,
            unit: title.unit,
            year,
            format: format.unwrap_or(Format::for_year(year)),
            table2,
            table3,
            subtotals,
            table4,
            narrative_requests,
        })
    }
}

/// Read a whole document (already split into lines) into a report.
pub fn read_report(lines: &[Line<'_>]) -> Result<Report, Rejection> {
    read_parts(lines).into_report()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char-by-char version `words` replaced, kept to compare against.
    fn words_by_char(cell: &str) -> Vec<(u32, &str)> {
        let mut out = Vec::new();
        let mut col = 0u32;
        let mut chars = cell.char_indices().peekable();
        loop {
            while let Some(&(_, c)) = chars.peek() {
                if !c.is_whitespace() {
                    break;
                }
                col += if c == '\t' { 1 } else { width(c) };
                chars.next();
            }
            let Some(&(start, _)) = chars.peek() else { return out };
            let start_col = col;
            let mut end = cell.len();
            while let Some(&(i, c)) = chars.peek() {
                if c.is_whitespace() {
                    end = i;
                    break;
                }
                col += width(c);
                chars.next();
            }
            out.push((start_col, &cell[start..end]));
        }
    }

    #[test]
    fn cached_heads_are_the_automaton_s() {
        let texts = ["三、本年度办理结果(一)予以公开", "2.其他法律行政法规禁止公开", "", "总计", "规章", "(七)总计"];
        for _ in 0..2 {
            for t in texts {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                assert_eq!(heads_of(t, &mut a), find_heads(t, &mut b), "{t}");
                assert_eq!(a, b, "{t}");
            }
        }
        assert!(!HEAD_CACHE.with_borrow(|c| c.is_empty()), "the labels were cached");
    }

    #[test]
    fn is_blank_is_trim_is_empty() {
        for c in [
            "",
            " ",
            "   ",
            "\t",
            " \u{3000} ",
            "  x",
            "  规章",
            " \u{a0}",
            "\u{3000}a",
            "  \u{b}",
            " 0 ",
            " \u{2003}",
            "\u{3001}",
        ] {
            assert_eq!(is_blank(c), c.trim().is_empty(), "{c:?}");
        }
    }

    #[test]
    fn words_by_bytes_agree_with_words_by_char() {
        for s in crate::text::random_strings("1 a\t规\u{3000}章\u{a0}\u{85}\u{2003}—（\u{1100}é𝟙", 3000, 14, 99)
        {
            assert_eq!(words(&s).collect::<Vec<_>>(), words_by_char(&s), "{s:?}");
        }
    }

    #[test]
    fn a_line_left_unread_is_never_a_heading() {
        let pool = "二三四五六表一、.主动公开申请情况行政复议问题其他 #*＃＊\u{feff}\u{3000}1２-—/无無(（三)）";
        let headings: Vec<(&str, &str)> = [schema::SECTION_TABLE2, schema::SECTION_TABLE3, schema::SECTION_TABLE4]
            .into_iter()
            .chain(schema::SECTION_AFTER4)
            .collect();
        // Random text, and random text put together like a heading: a prefix
        // (indent, markup, a stray mark), a numeral, a middle, the words.
        let mut lines: Vec<String> = crate::text::random_strings(pool, 10000, 12, 5);
        let prefixes = ["", "  ", "#", "## ", "*", "表", "\u{feff}", "１", "2 ", "-", "\u{3000}", "無", "一、"];
        let numerals = ["二、", "三、", "四、", "五、", "六、", "二", "三.", "表四", "四．", "（五）"];
        let words = ["主动公开", "申请情况", "行政复议", "问题", "其他", " 0 0", ""];
        for (i, mid) in crate::text::random_strings(pool, 10000, 4, 6).iter().enumerate() {
            let (p, n, w) =
                (prefixes[i % prefixes.len()], numerals[i / 13 % numerals.len()], words[i / 3 % words.len()]);
            lines.push(format!("{p}{n}{mid}{w}"));
        }
        let (mut left, mut read) = (0, 0);
        for s in &lines {
            let line = Line::text(s.as_str(), 1);
            let arena = Bump::new();
            let mut sc = Scratch::default();
            let v = view(&line, &arena, &mut sc);
            let heading = headings.iter().any(|h| is_heading(v.text, *h));
            if !may_be_heading(&line) {
                assert!(!heading, "{s:?} was left unread but is a heading");
                left += 1;
            } else if heading {
                read += 1;
            }
        }
        // Both kinds occur: the test tells something.
        assert!(left > 1000 && read > 300, "left {left}, headings {read}");
    }

    #[test]
    fn indexed_rows_match_as_every_row_tried() {
        // Lines made of one to three of the form's fragments, with junk between.
        let mut frags: Vec<(&str, usize)> = head_matcher().ids.iter().map(|(f, i)| (*f, *i)).collect();
        frags.sort_by_key(|&(_, i)| i);
        let frags: Vec<&str> = frags.into_iter().map(|(f, _)| f).collect();
        let junk = crate::text::random_strings("三二(六)1.、x", 3000, 4, 21);
        let texts: Vec<String> = junk
            .iter()
            .enumerate()
            .map(|(k, j)| {
                let f = |n: usize| frags[(k * 7 + n * 13) % frags.len()];
                match k % 3 {
                    0 => format!("{j}{}", f(0)),
                    1 => format!("{}{j}{}", f(0), f(1)),
                    _ => format!("{}{}{j}{}", f(2), f(0), f(1)),
                }
            })
            .collect();
        let lists: Vec<&[RowDef]> =
            vec![&table3_defs(false).1, &table3_defs(true).1, table2_defs(Format::F2019), table2_defs(Format::F2021)];
        let mut matched = 0;
        for list in lists {
            let idx = RowIndex::new(list).unwrap();
            for t in &texts {
                let mut hits = Vec::new();
                let head_mask = find_heads(t, &mut hits);
                let v = View { text: t, heads: &hits, head_mask, ..View::default() };
                let want = match_row(&v, list);
                assert_eq!(idx.match_row(&v, list), want, "{t:?}");
                matched += usize::from(want.is_some());
            }
        }
        assert!(matched > 300, "only {matched} lines matched a row");
    }

    // The title reader as first written, on vectors of characters: the
    // reference the one on byte offsets is held to.
    /// Split a title into year, county and unit.
    fn parse_title_plain(raw: String) -> Title {
        // Positions in `norm` are char positions in `raw` (fold_char is 1:1).
        let raw_chars: Vec<char> = raw.chars().collect();
        let norm: Vec<char> = raw_chars.iter().map(|&c| text::fold_char(c)).collect();
        let norm_s: String = norm.iter().collect();
        let slice = |a: usize, b: usize| -> String { raw_chars[a..b].iter().collect() };

        // The year: four digits followed by 年.
        let mut year = None;
        let mut year_span = None;
        for i in 0..norm.len().saturating_sub(4) {
            if norm[i..i + 4].iter().all(|c| c.is_ascii_digit())
                && norm.get(i + 4) == Some(&'年')
                && (i == 0 || !norm[i - 1].is_ascii_digit())
            {
                year = norm[i..i + 4].iter().collect::<String>().parse::<u16>().ok();
                year_span = Some((i, i + 5 + usize::from(norm.get(i + 5) == Some(&'度'))));
                break;
            }
        }
        let end_of = |s: &str| norm_s.find(s).map(|b| norm_s[..b].chars().count());
        let report_at = end_of("政府信息公开").or_else(|| end_of("年度报告")).unwrap_or(norm.len());
        let (before, after) = match year_span {
            Some((a, b)) => (slice(0, a), if b <= report_at { slice(b, report_at) } else { String::new() }),
            None => (slice(0, report_at), String::new()),
        };
        let is_organ = |s: &str| {
            let n = text::normalize(s);
            ORGAN_MARKS.iter().any(|m| n.contains(m))
        };
        let mut organ = if is_organ(&after) { after } else { before };
        for junk in ["正文", "关于"] {
            if let Some(rest) = organ.strip_prefix(junk) {
                organ = rest.to_string();
            }
        }
        let organ = organ.trim_matches(|c: char| c.is_whitespace() || "《》<>\"“”".contains(c)).to_string();
        let (county, unit) = split_organ_plain(&organ);
        Title { text: raw, year, county, unit }
    }

    /// Split an organ name into county and unit: `民权县人和镇人民政府` →
    /// (`民权县`, `人和镇`). The county is the name ending at the first 县, 区 or
    /// 旗 (else 市), without the province or city before it.
    fn split_organ_plain(organ: &str) -> (Option<String>, String) {
        let chars: Vec<char> = organ.chars().collect();
        let norm: Vec<char> = chars.iter().map(|&c| text::fold_char(c)).collect();
        let find = |set: &[char]| (1..norm.len()).find(|&i| set.contains(&norm[i]));
        let Some(end) = find(&['县', '区', '旗']).or_else(|| find(&['市'])) else {
            return (None, strip_government_plain(&chars));
        };
        // Drop a province or prefecture before the county: 河南省商丘市民权县 → 民权县.
        let start =
            (0..end).rev().find(|&i| matches!(norm[i], '省' | '市' | '州' | '盟') && i + 1 < end).map_or(0, |i| i + 1);
        let county: String = chars[start..=end].iter().collect();
        let rest = &chars[end + 1..];
        let unit = if matches!(text::normalize(&rest.iter().collect::<String>()).as_str(), "" | "人民政府" | "政府")
        {
            // The county government itself: 洪泽区人民政府.
            chars[start..].iter().collect()
        } else {
            strip_government_plain(rest)
        };
        (Some(county), unit)
    }

    fn strip_government_plain(chars: &[char]) -> String {
        let s: String = chars.iter().collect();
        let n = text::normalize(&s);
        if n.ends_with("人民政府") && n.chars().count() > 4 { chars[..chars.len() - 4].iter().collect() } else { s }
    }

    #[test]
    fn titles_read_on_byte_offsets_as_on_characters() {
        let pieces = [
            "民权县",
            "河南省",
            "商丘市",
            "人和镇",
            "人民政府",
            "政府",
            "2024",
            "２０２３",
            "年",
            "年度",
            "度",
            "政府信息公开",
            "工作",
            "年度报告",
            "正文",
            "关于",
            "《",
            "》",
            " ",
            "\u{3000}",
            "興國縣",
            "鎮",
            "区",
            "旗",
            "州",
            "盟",
            "局",
            "办公厅",
            "街道",
            "\"",
            "19",
            "a",
            "—",
        ];
        let mut next = text::random_below(99);
        let mut with_county = 0;
        for _ in 0..30_000 {
            // Pieces, then (mostly) a year, then pieces, then (mostly) the
            // report's name, as a title is built.
            let mut raw: String = (0..next(5)).map(|_| pieces[next(pieces.len())]).collect();
            raw += ["", "2024年", "２０２３年度", "19年"][next(4)];
            raw.extend((0..next(4)).map(|_| pieces[next(pieces.len())]));
            raw += ["", "政府信息公开工作年度报告", "年度报告"][next(3)];
            let want = parse_title_plain(raw.clone());
            assert_eq!(parse_title(raw.clone()), want, "{raw:?}");
            assert_eq!(split_organ(&raw), split_organ_plain(&raw), "{raw:?}");
            with_county += usize::from(want.county.is_some() && want.year.is_some());
        }
        assert!(with_county > 3000, "only {with_county} titles with a county and a year");
    }

    #[test]
    fn organ_split() {
        let s = |o: &str| split_organ(o);
        assert_eq!(s("民权县人和镇人民政府"), (Some("民权县".into()), "人和镇".into()));
        assert_eq!(s("淮安市洪泽区人民政府"), (Some("洪泽区".into()), "洪泽区人民政府".into()));
        assert_eq!(s("落水镇人民政府"), (None, "落水镇".into()));
        assert_eq!(s("河南省商丘市民权县人力资源和社会保障局"), (Some("民权县".into()), "人力资源和社会保障局".into()));
        assert_eq!(s("興國縣良村鎮人民政府"), (Some("興國縣".into()), "良村鎮".into()));
        assert_eq!(s("上海市人民政府办公厅"), (Some("上海市".into()), "人民政府办公厅".into()));
    }

    #[test]
    fn titles() {
        let t = read_title(&["", "民权县人和镇人民政府 2024 年政府信息公开工作年度报告"]).unwrap();
        assert_eq!((t.year, t.county.as_deref(), t.unit.as_str()), (Some(2024), Some("民权县"), "人和镇"));
        let t = read_title(&["- 1 -", "淮安市洪泽区人民政府", "2024 年政府信息公开工作年度报告"]).unwrap();
        assert_eq!((t.year, t.county.as_deref()), (Some(2024), Some("洪泽区")));
        let t = read_title(&["正文", "2025 年上海市人民政府办公厅政府信息公开", "工作年度报告"]).unwrap();
        assert_eq!((t.year, t.unit.as_str()), (Some(2025), "人民政府办公厅"));
        let t = read_title(&["落水镇人民政府2024年度政府信息公开工作年度报告"]).unwrap();
        assert_eq!((t.year, t.county, t.unit.as_str()), (Some(2024), None, "落水镇"));
    }

    #[test]
    fn a_line_that_is_one_value_is_viewed_as_the_word_loop_views_it() {
        let arena = Bump::new();
        let mut sc = Scratch::default();
        let mut fast = 0;
        let texts = text::random_strings(" 1０２3件-—无a\u{3000}\t", 20_000, 8, 21);
        let lines: Vec<Line> = texts
            .iter()
            .enumerate()
            .map(|(k, s)| Line {
                kind: if k % 3 == 0 { crate::layout::Kind::Grid } else { crate::layout::Kind::Text },
                ..Line::text(s.as_str(), k)
            })
            .collect();
        for line in &lines {
            let want = format!("{:?}", view_words(line, &arena, &mut sc));
            assert_eq!(format!("{:?}", view(line, &arena, &mut sc)), want, "{:?}", line.cells[0]);
            fast += usize::from(view_value(&line.cells[0].text, line, &arena).is_some());
        }
        assert!(fast > 1000, "only {fast} lines took the short way");
    }

    #[test]
    fn blank_cells_are_those_trim_empties() {
        for c in text::random_strings(" \t\u{3000}\u{a0}a1一\u{2003}~!", 20_000, 5, 5) {
            assert_eq!(is_blank(&c), c.trim().is_empty(), "{c:?}");
        }
    }

    #[test]
    fn only_yi_folds_to_yi() {
        // read_title's body test relies on it.
        for u in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            assert_eq!(text::fold_char(c) == '一', c == '一', "U+{u:04X}");
        }
        // The body's heading behind U+FEFF and spaces is found: the title is
        // the last before it (without it, the first would be taken).
        let lines = [
            "东店镇人民政府2023年政府信息公开工作年度报告",
            "人和镇人民政府2024年政府信息公开工作年度报告",
            "\u{FEFF} 一 、总体情况",
            "西店镇人民政府2024年政府信息公开工作年度报告",
        ];
        assert_eq!(read_title(&lines).map(|t| t.unit).as_deref(), Some("人和镇"));
    }

    #[test]
    fn narrative() {
        assert_eq!(read_narrative(&["2024 年人和镇共接到政府信息公开申请 1 件，已按照"]), Some(1));
        assert_eq!(read_narrative(&["市政府共受理政府信息公开申请 1295 件，办结"]), Some(1295));
        assert_eq!(read_narrative(&["没有数字"]), None);
        // Wrapped by a converter over three lines.
        assert_eq!(read_narrative(&["区政府办代表区政府受理政府", "信息公开申", "请 17 件，均已"]), Some(17));
        // Lines far apart are not joined into a sentence.
        assert_eq!(read_narrative(&["受理政府信息公开申请", "a", "b", "c", "12件"]), None);
    }

    /// The narrative as first written: every run around a 申 normalised,
    /// with or without a 件.
    fn read_narrative_plain(lines: &[&str]) -> Option<u64> {
        let re =
            regex::Regex::new(r"(?:接到|收到|受理|新收)(?:各类|了)?(?:政府)?信息公开申请(?:共|合计)?(\d+)件").unwrap();
        let mut prose = String::new();
        let mut last: Option<usize> = None;
        for (i, _) in lines.iter().enumerate().filter(|(_, l)| l.contains('申')) {
            for j in i.saturating_sub(1)..(i + 2).min(lines.len()) {
                if last.is_some_and(|l| j <= l) {
                    continue;
                }
                if last.is_some_and(|l| j > l + 1) {
                    prose.push('|');
                }
                text::normalize_into(&mut prose, lines[j]);
                last = Some(j);
            }
        }
        re.captures(&prose).and_then(|c| c[1].parse().ok())
    }

    #[test]
    fn narrative_runs_without_jian_left_out_change_nothing() {
        // Documents of sentences cut into lines at random characters, among
        // noise lines: the answer is the plain rule's.
        let sentences = [
            "共收到政府信息公开申请 17 件，",
            "受理信息公开申请合计３件",
            "新收了政府信息公开申请共 2 件",
            "依申请公开情况",
            "申请人 4 人",
            "办理 5 件",
        ];
        let noise = text::random_strings("申件请 1a，受理", 400, 6, 7);
        let mut next = text::random_below(12345);
        let mut found = 0;
        for _ in 0..2000 {
            let mut doc: Vec<String> = Vec::new();
            for _ in 0..next(8) {
                if next(2) == 0 {
                    doc.push(noise[next(noise.len())].clone());
                    continue;
                }
                let chars: Vec<char> = sentences[next(sentences.len())].chars().collect();
                let (a, b) = (next(chars.len() + 1), next(chars.len() + 1));
                let (a, b) = (a.min(b), a.max(b));
                doc.extend([&chars[..a], &chars[a..b], &chars[b..]].map(|p| p.iter().collect::<String>()));
            }
            let refs: Vec<&str> = doc.iter().map(String::as_str).collect();
            let want = read_narrative_plain(&refs);
            assert_eq!(read_narrative(&refs), want, "{refs:?}");
            found += usize::from(want.is_some());
        }
        assert!(found > 200, "only {found} documents state a number");
    }
}
