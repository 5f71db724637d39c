//! HTML pages as saved from government websites: the report's prose and
//! headings as one-cell lines, its tables as exact grid rows.
//!
//! The page is read in one pass, without building its tree: a tokenizer
//! ([`tokenizer`]) and the browser's tree-construction rules run on a stack
//! of open elements ([`tree`]) decide where each element and piece of text
//! belongs, so unclosed `<p>`, `<td>` without `</td>`, `<tr>` without
//! `</tr>`, tables without `<tbody>`, stray end tags and Word's "save as web
//! page" markup end up where a browser would put them; only what this reader
//! uses is kept. What a reader does not see is left out: `<head>`, scripts,
//! styles, `<noscript>`, form controls and elements hidden with `hidden` or
//! `display:none`.
//!
//! Text outside tables becomes one line per block (`<p>`, `<div>`, `<h1>`,
//! `<li>`, … and `<br>`), in document order, as soon as the block ends. A
//! table becomes one exact line per `<tr>`, after its colspans and rowspans
//! are expanded into a true grid: a spanned cell's text is copied into every
//! grid position it covers, so every row of a table has its cells in the
//! same columns, and a label spanning three columns leaves no empty cells
//! before the numbers. A cell's text is joined without separators
//! (`<span>1</span><span>2</span>` is `12`; a `<br>` or `<p>` inside a label
//! joins too), trimmed, and `&nbsp;` is a space (so a cell holding only
//! `&nbsp;` is empty, a blank value).
//!
//! A table that holds another table, or a cell with a page of text in it, is a
//! page-layout table, not a data table: its cells are read as blocks, so the
//! report inside comes out as lines and its own tables as grid rows. That is
//! known only at the table's end, so a table is kept (as a list of the
//! events below, not as a tree) until it ends, then read.
//!
//! Every page has a budget ([`Limit`]): elements, nesting, tree-building
//! work (linear in the page's size), text, lines and grid cells; a page past
//! one is rejected with the limit named, whatever it holds.

mod entities;
mod tokenizer;
mod tree;

#[cfg(test)]
mod dom;
#[cfg(test)]
mod equivalence;

use super::{Line, grid};
use crate::error::{RejectKind, Rejection};

/// A cell with more text than this is a page-layout cell (the report's prose),
/// never a cell of the form: the form's longest label is under 50 characters.
const LAYOUT_CELL_CHARS: usize = 1000;

/// The largest colspan honoured (the HTML standard's own limit).
const MAX_COLSPAN: usize = 1000;

/// Grid cells a whole Word document may expand to. Real reports have a few
/// thousand; spans in a hostile document could otherwise ask for billions.
const MAX_GRID_CELLS: usize = 2_000_000;

/// Bytes of cell text a whole Word document may expand to (spans copy text).
const MAX_GRID_BYTES: usize = 64 << 20;

/// Grid cells a page's data tables may expand to: a report has under a
/// thousand, a page around one a few thousand. Each costs about 200 bytes
/// while its table is expanded, so this holds a page to some 20 MB.
const MAX_HTML_GRID_CELLS: usize = 100_000;

/// Bytes of cell text a page's data tables may expand to.
const MAX_HTML_GRID_BYTES: usize = 16 << 20;

/// Elements a page may open (a report's page has a few thousand; Word's
/// "save as web page" of a long report some tens of thousands).
const MAX_ELEMENTS: usize = 300_000;

/// Elements open at once (a real page nests a few dozen).
const MAX_DEPTH: usize = 3000;

/// Steps of tree-building work (looking down the stack of open elements)
/// allowed: this many, plus [`MAX_WORK_PER_BYTE`] per byte of the page. A
/// real page takes about one step per byte.
const MAX_WORK_BASE: usize = 4_000_000;
const MAX_WORK_PER_BYTE: usize = 16;

/// Bytes of text a page may hold (in lines and in tables waiting to end).
const MAX_TEXT_BYTES: usize = 16 << 20;

/// Lines a page may give.
const MAX_LINES: usize = 200_000;

/// A budget a page went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Limit {
    Elements,
    Depth,
    Work,
    Text,
    Lines,
    Cells,
    CellBytes,
}

impl Limit {
    fn rejection(self) -> Rejection {
        let detail = match self {
            Limit::Elements => format!(
                "more than {MAX_ELEMENTS} HTML elements (a report's page has a few thousand): element limit, not read"
            ),
            Limit::Depth => format!(
                "HTML elements nested more than {MAX_DEPTH} deep (a real page nests a few dozen): nesting limit, not read"
            ),
            Limit::Work => "its tags nest and misnest beyond any real page (tree-building work limit): not read".into(),
            Limit::Text => {
                format!("more than {} MB of text (text limit): far beyond any annual report, not read", MAX_TEXT_BYTES >> 20)
            }
            Limit::Lines => format!("more than {MAX_LINES} lines of text (line limit): far beyond any annual report, not read"),
            Limit::Cells => format!(
                "its tables expand to more than {MAX_HTML_GRID_CELLS} cells (row and column spans; cell limit): far beyond any annual report, not read"
            ),
            Limit::CellBytes => format!(
                "its table cells expand to more than {} MB of text (row and column spans; cell text limit): far beyond any annual report, not read",
                MAX_HTML_GRID_BYTES >> 20
            ),
        };
        Rejection::doc(RejectKind::NotAReport, detail)
    }
}

/// Read an HTML page into lines of cells.
pub fn read(html: &str) -> Result<Vec<Line<'static>>, Rejection> {
    let mut t = tree::Tree::new(html, Sink::new());
    t.run().map_err(Limit::rejection)?;
    if t.hidden_late {
        // A second `<html>` or `<body>` tag hid the whole page.
        return Ok(Vec::new());
    }
    let mut b = std::mem::take(&mut t.sink.b);
    b.flush().map_err(Limit::rejection)?;
    Ok(b.lines)
}

/// Limits on what spans may expand to, shared by the HTML and Word layouts.
#[derive(Debug)]
pub(crate) struct Budget {
    cells: usize,
    bytes: usize,
    max_cells: usize,
    max_bytes: usize,
}

impl Default for Budget {
    /// A Word document's budget.
    fn default() -> Budget {
        Budget { cells: 0, bytes: 0, max_cells: MAX_GRID_CELLS, max_bytes: MAX_GRID_BYTES }
    }
}

impl Budget {
    /// A page's budget.
    fn html() -> Budget {
        Budget { cells: 0, bytes: 0, max_cells: MAX_HTML_GRID_CELLS, max_bytes: MAX_HTML_GRID_BYTES }
    }

    /// Count grid positions about to be filled.
    pub(crate) fn cells(&mut self, n: usize) -> Result<(), Rejection> {
        self.cells = self.cells.saturating_add(n);
        if self.cells > self.max_cells {
            return Err(self.too_many_cells());
        }
        Ok(())
    }

    /// Grid positions the document may still fill.
    pub(crate) fn cells_left(&self) -> usize {
        self.max_cells.saturating_sub(self.cells)
    }

    /// Bytes of cell text the document may still fill.
    fn bytes_left(&self) -> usize {
        self.max_bytes.saturating_sub(self.bytes)
    }

    /// The rejection for a document whose tables expand past the budget.
    pub(crate) fn too_many_cells(&self) -> Rejection {
        Rejection::doc(
            RejectKind::NotAReport,
            format!(
                "its tables expand to more than {} cells (row and column spans): far beyond any annual report, not read",
                self.max_cells
            ),
        )
    }

    /// Count the text of a cell about to be emitted.
    pub(crate) fn bytes(&mut self, n: usize) -> Result<(), Rejection> {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > self.max_bytes {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!(
                    "its table cells expand to more than {} MB of text (row and column spans): far beyond any annual report, not read",
                    self.max_bytes >> 20
                ),
            ));
        }
        Ok(())
    }
}

/// Characters that take no room and only break words apart: dropped.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Do an element's attributes hide it (`hidden`, or a style with
/// `display:none`)?
fn attrs_hide(a: &tokenizer::Attrs<'_>) -> bool {
    a.hidden || a.style.is_some_and(|s| style_hides(&s.get()))
}

/// A `style` attribute that says `display:none`: compared ignoring ASCII case
/// and all (Unicode) whitespace, even inside the words, as if the whitespace
/// were removed and the text lowercased before searching. Done in place,
/// without building that copy: pages saved from Word carry long `style`
/// attributes on most elements, and copying them was a fifth of the page's
/// cost. The pattern holds one `:`, so a match is a `:` with `none` after it
/// and `display` before it, skipping whitespace.
fn style_hides(style: &str) -> bool {
    /// Whether the non-whitespace chars of `chars` begin with `word`
    /// (lowercase ASCII), ignoring ASCII case.
    fn begins(chars: impl Iterator<Item = char>, mut word: impl Iterator<Item = u8>) -> bool {
        let mut chars = chars.filter(|c| !c.is_whitespace());
        word.all(|w| chars.next().is_some_and(|c| c.to_ascii_lowercase() == char::from(w)))
    }
    memchr::memchr_iter(b':', style.as_bytes()).any(|i| {
        // `:` is ASCII, so `i` and `i + 1` are char boundaries.
        begins(style[i + 1..].chars(), b"none".iter().copied())
            && begins(style[..i].chars().rev(), b"display".iter().rev().copied())
    })
}

/// What the reader does with an element, decided once per element name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    /// Its content is not seen as text (`<head>`, `<script>`, …).
    Hidden,
    Table,
    /// `<td>` or `<th>`.
    Cell,
    Tr,
    Caption,
    Pre,
    /// Any other block element (see [`Tag::is_block`]).
    Block,
    Br,
    /// Inline or unknown.
    Other,
}

impl Tag {
    /// Sort an element by its local name.
    fn of(name: &str) -> Tag {
        match name {
            "head" | "title" | "script" | "style" | "noscript" | "template" | "select" | "textarea" | "iframe"
            | "object" | "embed" | "svg" | "canvas" => Tag::Hidden,
            "table" => Tag::Table,
            "td" | "th" => Tag::Cell,
            "tr" => Tag::Tr,
            "caption" => Tag::Caption,
            "pre" => Tag::Pre,
            "br" => Tag::Br,
            "address" | "article" | "aside" | "blockquote" | "body" | "center" | "dd" | "details" | "dialog"
            | "dir" | "div" | "dl" | "dt" | "fieldset" | "figcaption" | "figure" | "footer" | "form" | "h1" | "h2"
            | "h3" | "h4" | "h5" | "h6" | "header" | "hgroup" | "hr" | "html" | "legend" | "li" | "main" | "menu"
            | "nav" | "ol" | "p" | "section" | "summary" | "tbody" | "tfoot" | "thead" | "ul" => Tag::Block,
            _ => Tag::Other,
        }
    }

    /// Elements that start and end a line of text (outside data tables).
    fn is_block(self) -> bool {
        matches!(self, Tag::Table | Tag::Cell | Tag::Tr | Tag::Caption | Tag::Pre | Tag::Block)
    }
}

/// What the tree sends the reader, for a table kept until it ends: 12 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ev {
    /// An element opens (any [`Tag`] but `Cell`, `Table`, `Hidden`, `Other`).
    Open(Tag),
    /// A cell opens, with its colspan and rowspan.
    Cell { cols: u32, rows: u32 },
    Close(Tag),
    /// Text, in the sink's arena.
    Text { start: u32, len: u32 },
    /// A table: the events of its content (list `body`), after those of
    /// what was foster-parented out of it, placed before it (list `foster`).
    Table { body: u32, foster: u32 },
}

/// An HTML span attribute as browsers read it: leading digits, else `default`.
fn span(v: Option<tokenizer::Value<'_>>, default: usize) -> usize {
    let Some(v) = v else {
        return default;
    };
    let v = v.get();
    let digits: String = v.trim().chars().take_while(char::is_ascii_digit).take(6).collect();
    digits.parse().unwrap_or(default)
}

/// Where the tree's events go: straight to the [`Builder`] outside tables
/// (sink 0), into lists while a table is open.
struct Sink {
    lists: Vec<Vec<Ev>>,
    /// The text of listed events.
    arena: String,
    elements: usize,
    text_bytes: usize,
    b: Builder,
}

impl Sink {
    fn new() -> Sink {
        Sink {
            lists: vec![Vec::new()],
            arena: String::new(),
            elements: 0,
            text_bytes: 0,
            b: Builder { budget: Budget::html(), ..Builder::default() },
        }
    }

    /// Count an element.
    fn element(&mut self) -> Result<(), Limit> {
        self.elements += 1;
        if self.elements > MAX_ELEMENTS { Err(Limit::Elements) } else { Ok(()) }
    }

    /// A table opens in `up`: lists for its content and its foster children.
    fn open_table(&mut self, up: u32) -> (u32, u32) {
        let body = self.lists.len() as u32;
        self.lists.push(Vec::new());
        self.lists.push(Vec::new());
        if up != 0 {
            self.lists[up as usize].push(Ev::Table { body, foster: body + 1 });
        }
        (body, body + 1)
    }

    fn open(
        &mut self,
        sink: u32,
        tag: Tag,
        spans: (Option<tokenizer::Value<'_>>, Option<tokenizer::Value<'_>>),
    ) -> Result<(), Limit> {
        let ev = if tag == Tag::Cell {
            let cols = span(spans.0, 1).clamp(1, MAX_COLSPAN) as u32;
            let rows = span(spans.1, 1) as u32;
            Ev::Cell { cols, rows }
        } else {
            Ev::Open(tag)
        };
        if sink == 0 {
            self.b.event(ev, "")
        } else {
            self.lists[sink as usize].push(ev);
            Ok(())
        }
    }

    fn close(&mut self, sink: u32, tag: Tag) {
        if tag == Tag::Br {
            return;
        }
        if sink == 0 {
            // A close never fails (only text and table ends spend budgets).
            let _ = self.b.event(Ev::Close(tag), "");
        } else {
            self.lists[sink as usize].push(Ev::Close(tag));
        }
    }

    fn text(&mut self, sink: u32, s: &str) -> Result<(), Limit> {
        self.text_bytes += s.len();
        if self.text_bytes > MAX_TEXT_BYTES {
            return Err(Limit::Text);
        }
        if sink == 0 {
            return self.b.text(s);
        }
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        let list = &mut self.lists[sink as usize];
        // Text after text (split by a comment, an ignored tag) is one event.
        if let Some(Ev::Text { start: s0, len }) = list.last_mut()
            && *s0 + *len == start
        {
            *len += s.len() as u32;
            return Ok(());
        }
        list.push(Ev::Text { start, len: s.len() as u32 });
        Ok(())
    }

    /// A table outside any other ended: read it (and what was foster-parented
    /// out of it), first for which tables are layout, then into lines.
    fn table_done(&mut self, body: u32, foster: u32) -> Result<(), Limit> {
        let mut scan = Scan::default();
        walk(&self.lists, &self.arena, body, foster, &mut |ev, t| {
            scan.event(ev, t);
            Ok(())
        })?;
        self.b.layout = scan.layout;
        self.b.next_table = 0;
        let b = &mut self.b;
        let r = walk(&self.lists, &self.arena, body, foster, &mut |ev, t| b.event(ev, t));
        self.lists.truncate(1);
        self.arena.clear();
        r
    }
}

/// Visit a kept table's events in document order: its foster children,
/// then the table with its content.
fn walk(
    lists: &[Vec<Ev>],
    arena: &str,
    body: u32,
    foster: u32,
    f: &mut impl FnMut(Ev, &str) -> Result<(), Limit>,
) -> Result<(), Limit> {
    enum Frame {
        List(u32, usize),
        Open,
        Close,
    }
    fn table(frames: &mut Vec<Frame>, body: u32, foster: u32) {
        frames.push(Frame::Close);
        frames.push(Frame::List(body, 0));
        frames.push(Frame::Open);
        frames.push(Frame::List(foster, 0));
    }
    let mut frames = Vec::new();
    table(&mut frames, body, foster);
    'frames: while let Some(fr) = frames.pop() {
        match fr {
            Frame::Open => f(Ev::Open(Tag::Table), "")?,
            Frame::Close => f(Ev::Close(Tag::Table), "")?,
            Frame::List(l, mut i) => {
                let list = &lists[l as usize];
                while let Some(&ev) = list.get(i) {
                    i += 1;
                    match ev {
                        Ev::Table { body, foster } => {
                            frames.push(Frame::List(l, i));
                            table(&mut frames, body, foster);
                            continue 'frames;
                        }
                        Ev::Text { start, len } => {
                            f(ev, &arena[start as usize..(start + len) as usize])?;
                        }
                        _ => f(ev, "")?,
                    }
                }
            }
        }
    }
    Ok(())
}

/// First pass over a kept table: which of its tables are page layout (they
/// hold a table, or a cell with a page of text), numbered in document order.
#[derive(Default)]
struct Scan {
    layout: Vec<bool>,
    open_tables: Vec<usize>,
    /// Open cells: the table each belongs to, and its text length so far.
    cells: Vec<(Option<usize>, usize)>,
}

impl Scan {
    fn event(&mut self, ev: Ev, t: &str) {
        match ev {
            Ev::Open(Tag::Table) => {
                if let Some(&outer) = self.open_tables.last() {
                    self.layout[outer] = true;
                }
                self.open_tables.push(self.layout.len());
                self.layout.push(false);
            }
            Ev::Cell { .. } => self.cells.push((self.open_tables.last().copied(), 0)),
            Ev::Text { .. } => {
                // Once the table is known to be layout, counting more changes
                // nothing: skip it (a layout cell holds the whole report).
                if let Some((Some(table), len)) = self.cells.last_mut()
                    && !self.layout[*table]
                {
                    *len += t.chars().filter(|c| !c.is_whitespace()).count();
                    if *len > LAYOUT_CELL_CHARS {
                        self.layout[*table] = true;
                    }
                }
            }
            Ev::Close(Tag::Table) => {
                self.open_tables.pop();
            }
            Ev::Close(Tag::Cell) => {
                self.cells.pop();
            }
            _ => {}
        }
    }
}

/// Text being gathered, with HTML's whitespace rules: runs of whitespace
/// (and `&nbsp;`) become one space, none at the start or end.
#[derive(Debug, Default)]
struct Acc {
    text: String,
    space: bool,
}

impl Acc {
    fn push(&mut self, s: &str) {
        // Copy runs of ordinary characters in one go rather than char by
        // char; a run ends at whitespace or an invisible character (all of
        // which are outside ASCII but for the ASCII whitespace).
        let b = s.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c < 0x80 {
                if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0C) {
                    self.push_run(&s[run..i]);
                    run = i + 1;
                    self.space = !self.text.is_empty();
                }
                i += 1;
                continue;
            }
            // U+00A0 (C2 A0), U+00AD (C2 AD), U+200B-D (E2 80 8B-8D),
            // U+2060 (E2 81 A0), U+FEFF (EF BB BF).
            let (len, space, invisible) = match c {
                0xC2 => (2, b.get(i + 1) == Some(&0xA0), b.get(i + 1) == Some(&0xAD)),
                0xE2 => (
                    3,
                    false,
                    matches!((b.get(i + 1), b.get(i + 2)), (Some(0x80), Some(0x8B..=0x8D)) | (Some(0x81), Some(0xA0))),
                ),
                0xEF => (3, false, b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF)),
                0xC0..=0xDF => (2, false, false),
                0xE0..=0xEF => (3, false, false),
                _ => (if c >= 0xF0 { 4 } else { 1 }, false, false),
            };
            if space || invisible {
                self.push_run(&s[run..i]);
                run = i + len;
                if space {
                    self.space = !self.text.is_empty();
                }
            }
            i += len;
        }
        self.push_run(&s[run..]);
    }

    /// Ordinary characters (no whitespace, nothing invisible), after the one
    /// space a preceding run of whitespace stands for.
    fn push_run(&mut self, run: &str) {
        if run.is_empty() {
            return;
        }
        if self.space {
            self.text.push(' ');
            self.space = false;
        }
        self.text.push_str(run);
    }

    /// A block edge or `<br>` inside a cell: pieces on either side join
    /// without a separator (a label broken over two lines, a number split
    /// over two paragraphs).
    fn join(&mut self) {
        self.space = false;
    }

    fn take(&mut self) -> String {
        self.space = false;
        let t = std::mem::take(&mut self.text);
        let trimmed = t.trim();
        if trimmed.len() == t.len() { t } else { trimmed.to_string() }
    }
}

/// A cell as written, before spans are expanded.
#[derive(Debug)]
struct RawCell {
    text: String,
    colspan: usize,
    /// Rows covered; 0 means "to the end of the table" (HTML's rowspan=0).
    rowspan: usize,
}

/// A data table being gathered.
#[derive(Debug, Default)]
struct Grid {
    rows: Vec<Vec<RawCell>>,
    /// The cell being read: its text and spans.
    cell: Option<(Acc, usize, usize)>,
    caption: Option<Acc>,
}

#[derive(Debug)]
enum Mode {
    /// A page-layout table: its cells are blocks of text.
    Layout,
    Grid(Grid),
}

/// Lines in document order, from the tree's events.
#[derive(Default)]
struct Builder {
    layout: Vec<bool>,
    next_table: usize,
    tables: Vec<Mode>,
    flow: Acc,
    pre: usize,
    lines: Vec<Line<'static>>,
    number: usize,
    budget: Budget,
}

impl Builder {
    /// Add a line, numbered in document order.
    fn push(&mut self, make: impl FnOnce(usize) -> Line<'static>) -> Result<(), Limit> {
        if self.lines.len() >= MAX_LINES {
            return Err(Limit::Lines);
        }
        self.number += 1;
        self.lines.push(make(self.number));
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Limit> {
        let t = self.flow.take();
        if !t.is_empty() {
            self.push(|n| Line::text(t, n))?;
        }
        Ok(())
    }

    fn grid(&mut self) -> Option<&mut Grid> {
        match self.tables.last_mut() {
            Some(Mode::Grid(g)) => Some(g),
            _ => None,
        }
    }

    /// Expand a data table's spans into a true grid ([`super::grid`]) and
    /// emit one grid line per row.
    fn emit_grid(&mut self, rows: Vec<Vec<RawCell>>) -> Result<(), Limit> {
        let raw = rows
            .into_iter()
            .map(|cells| grid::RawRow {
                before: 0,
                cells: cells
                    .into_iter()
                    .map(|c| grid::RawCell { text: c.text, cols: c.colspan, down: grid::Down::Rows(c.rowspan) })
                    .collect(),
            })
            .collect();
        let rows = grid::expand_within(raw, self.budget.cells_left(), self.budget.bytes_left()).map_err(|e| match e {
            grid::Exceeded::Cells => Limit::Cells,
            grid::Exceeded::Bytes => Limit::CellBytes,
        })?;
        for row in rows {
            if row.is_empty() {
                continue;
            }
            self.budget.cells(row.len()).map_err(|_| Limit::Cells)?;
            for (s, _) in &row {
                self.budget.bytes(s.len()).map_err(|_| Limit::CellBytes)?;
            }
            self.push(|n| Line::grid(row, n))?;
        }
        Ok(())
    }

    fn text(&mut self, t: &str) -> Result<(), Limit> {
        if let Some(g) = self.grid() {
            if let Some((acc, _, _)) = &mut g.cell {
                acc.push(t);
            } else if let Some(acc) = &mut g.caption {
                acc.push(t);
            }
        } else if self.pre > 0 {
            // Lines end at LF, CR or CR LF (a browser reads all three as LF).
            let mut parts = t.split(['\n', '\r']);
            if let Some(first) = parts.next() {
                self.flow.push(first);
            }
            for part in parts {
                self.flush()?;
                self.flow.push(part);
            }
        } else {
            self.flow.push(t);
        }
        Ok(())
    }

    fn event(&mut self, ev: Ev, t: &str) -> Result<(), Limit> {
        let (tag, spans) = match ev {
            Ev::Text { .. } => return self.text(t),
            Ev::Close(tag) => return self.close(tag),
            Ev::Open(tag) => (tag, (1, 1)),
            Ev::Cell { cols, rows } => (Tag::Cell, (cols as usize, rows as usize)),
            Ev::Table { .. } => unreachable!("tables are walked, not sent"),
        };
        if tag == Tag::Table {
            let is_layout = self.layout.get(self.next_table).copied().unwrap_or(true);
            self.next_table += 1;
            if let Some(g) = self.grid() {
                // Cannot happen (a table holding a table is layout); read the
                // inner table's text into the cell rather than lose it.
                if let Some((acc, _, _)) = &mut g.cell {
                    acc.join();
                }
                self.tables.push(Mode::Layout);
                return Ok(());
            }
            self.flush()?;
            self.tables.push(if is_layout { Mode::Layout } else { Mode::Grid(Grid::default()) });
            return Ok(());
        }
        if let Some(g) = self.grid() {
            match tag {
                Tag::Tr => g.rows.push(Vec::new()),
                Tag::Cell => g.cell = Some((Acc::default(), spans.0, spans.1)),
                Tag::Caption => g.caption = Some(Acc::default()),
                _ => {
                    if let Some((acc, _, _)) = &mut g.cell
                        && (tag == Tag::Br || tag.is_block())
                    {
                        acc.join();
                    }
                }
            }
            return Ok(());
        }
        if tag == Tag::Br || tag.is_block() {
            self.flush()?;
        }
        if tag == Tag::Pre {
            self.pre += 1;
        }
        Ok(())
    }

    fn close(&mut self, tag: Tag) -> Result<(), Limit> {
        if tag == Tag::Table {
            return match self.tables.pop() {
                Some(Mode::Grid(g)) => self.emit_grid(g.rows),
                _ => self.flush(),
            };
        }
        if let Some(g) = self.grid() {
            match tag {
                Tag::Cell => {
                    if let Some((mut acc, colspan, rowspan)) = g.cell.take() {
                        if g.rows.is_empty() {
                            g.rows.push(Vec::new());
                        }
                        let text = acc.take();
                        if let Some(row) = g.rows.last_mut() {
                            row.push(RawCell { text, colspan, rowspan });
                        }
                    }
                }
                Tag::Caption => {
                    if let Some(mut acc) = g.caption.take() {
                        let t = acc.take();
                        if !t.is_empty() {
                            self.push(|n| Line::text(t, n))?;
                        }
                    }
                }
                _ => {
                    if let Some((acc, _, _)) = &mut g.cell
                        && tag.is_block()
                    {
                        acc.join();
                    }
                }
            }
            return Ok(());
        }
        if tag.is_block() {
            self.flush()?;
        }
        if tag == Tag::Pre {
            self.pre = self.pre.saturating_sub(1);
        }
        Ok(())
    }
}
