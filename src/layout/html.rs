//! HTML pages as saved from government websites: the report's prose and
//! headings as one-cell lines, its tables as exact grid rows.
//!
//! The page is read in one pass, without building its tree: a tokenizer
//! (`tokenizer`) and the browser's tree-construction rules run on a stack
//! of open elements (`tree`) decide where each element and piece of text
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
//! Every page has a budget (`Limit`): elements, nesting, tree-building
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
/// real page takes well under one step per byte (a test holds the fixtures
/// and generated pages to half a step); a hostile one stops within about a
/// second.
const MAX_WORK_BASE: usize = 2_000_000;
const MAX_WORK_PER_BYTE: usize = 4;

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
                format!(
                    "more than {} MB of text (text limit): far beyond any annual report, not read",
                    MAX_TEXT_BYTES >> 20
                )
            }
            Limit::Lines => {
                format!("more than {MAX_LINES} lines of text (line limit): far beyond any annual report, not read")
            }
            Limit::Cells => format!(
                "its tables expand to more than {MAX_HTML_GRID_CELLS} cells (row and column spans; cell limit): far beyond any annual report, not read"
            ),
            Limit::CellBytes => format!(
                "its table cells expand to more than {} MB of text (row and column spans; cell text limit): far beyond any annual report, not read",
                MAX_HTML_GRID_BYTES >> 20
            ),
        };
        let zh = match self {
            Limit::Elements => format!("网页元素超过 {MAX_ELEMENTS} 个（报告网页一般只有几千个）：不读取"),
            Limit::Depth => format!("网页元素嵌套超过 {MAX_DEPTH} 层（正常网页只有几十层）：不读取"),
            Limit::Work => "网页标签嵌套错乱，远超任何真实网页：不读取".into(),
            Limit::Text => format!("网页文字超过 {} MB，远超任何年度报告：不读取", MAX_TEXT_BYTES >> 20),
            Limit::Lines => format!("网页文字超过 {MAX_LINES} 行，远超任何年度报告：不读取"),
            Limit::Cells => {
                format!("网页表格展开后超过 {MAX_HTML_GRID_CELLS} 个单元格（合并单元格）：远超任何年度报告，不读取")
            }
            Limit::CellBytes => {
                format!(
                    "网页表格展开后文字超过 {} MB（合并单元格）：远超任何年度报告，不读取",
                    MAX_HTML_GRID_BYTES >> 20
                )
            }
        };
        Rejection::doc(RejectKind::NotAReport, detail, zh)
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
            format!("表格展开后超过 {} 个单元格（合并单元格）：远超任何年度报告，不读取", self.max_cells),
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
                format!("表格展开后文字超过 {} MB（合并单元格）：远超任何年度报告，不读取", self.max_bytes >> 20),
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
    Cell {
        cols: u32,
        rows: u32,
    },
    Close(Tag),
    /// Text, in the sink's arena.
    Text {
        start: u32,
        len: u32,
    },
    /// A table: the events of its content (list `body`), after those of
    /// what was foster-parented out of it, placed before it (list `foster`).
    Table {
        body: u32,
        foster: u32,
    },
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
        let rows =
            grid::expand_within(raw, self.budget.cells_left(), self.budget.bytes_left()).map_err(|e| match e {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cells<'a>(lines: &'a [Line<'static>]) -> Vec<Vec<&'a str>> {
        lines.iter().map(|l| l.cells.iter().map(|c| c.text.as_ref()).collect()).collect()
    }

    fn table(body: &str) -> Vec<Line<'static>> {
        read(&format!("<html><body><table>{body}</table></body></html>")).unwrap()
    }

    #[test]
    fn blocks_become_lines_and_hidden_content_is_skipped() {
        let l = read(
            "<html><head><title>人和镇2024年报告_首页</title><style>p{}</style></head><body>\
             <script>var a = '2023年政府信息公开工作年度报告';</script>\
             <noscript>请启用脚本</noscript>\
             <div>首页 <a href=#>政务公开</a></div>\
             <h1>民权县人和镇人民政府<br>2024 年政府信息公开工作年度报告</h1>\
             <div style=\"display: none\">隐藏</div>\
             <p>一、总体情况</p><p>　　2024年，我镇&nbsp;认真学习。</p>\
             <ul><li>甲</li><li>乙</li></ul></body></html>",
        )
        .unwrap();
        assert_eq!(
            cells(&l),
            vec![
                vec!["首页 政务公开"],
                vec!["民权县人和镇人民政府"],
                vec!["2024 年政府信息公开工作年度报告"],
                vec!["一、总体情况"],
                vec!["2024年，我镇 认真学习。"],
                vec!["甲"],
                vec!["乙"],
            ]
        );
        assert!(l.iter().all(|l| !l.is_grid()));
        let numbers: Vec<usize> = l.iter().map(|l| l.number).collect();
        assert_eq!(numbers, (1..=7).collect::<Vec<_>>());
    }

    #[test]
    fn rowspan_and_colspan_copy_text_into_every_covered_cell() {
        let l = table(
            "<tr><td colspan=2 rowspan=2>申请人</td><td colspan=2>法人</td></tr>\
             <tr><td>商业</td><td>科研</td></tr>\
             <tr><td rowspan=3>三、本年度办理结果</td><td>(一) 予以公开</td><td>1</td><td>2</td></tr>\
             <tr><td>(二) 部分公开</td><td>3</td><td>4</td></tr>\
             <tr><td>(七) 总计</td><td>4</td><td>6</td></tr>\
             <tr><td colspan=2>四、结转</td><td>0</td><td>0</td></tr>",
        );
        assert_eq!(
            cells(&l),
            vec![
                vec!["申请人", "申请人", "法人", "法人"],
                vec!["申请人", "申请人", "商业", "科研"],
                vec!["三、本年度办理结果", "(一) 予以公开", "1", "2"],
                vec!["三、本年度办理结果", "(二) 部分公开", "3", "4"],
                vec!["三、本年度办理结果", "(七) 总计", "4", "6"],
                vec!["四、结转", "四、结转", "0", "0"],
            ]
        );
        assert!(l.iter().all(|l| l.is_grid()));
        assert_eq!(l[0].cells.iter().map(|c| c.copied).collect::<Vec<_>>(), [false, true, false, true]);
    }

    #[test]
    fn rowspan_in_the_middle_and_beyond_the_table_and_zero() {
        let l = table(
            "<tr><td>a</td><td rowspan=9>x</td><td>1</td></tr>\
             <tr><td>b</td><td>2</td></tr>\
             <tr><td rowspan=0>c</td><td>3</td></tr>\
             <tr><td>4</td></tr>",
        );
        assert_eq!(cells(&l), vec![vec!["a", "x", "1"], vec!["b", "x", "2"], vec!["c", "x", "3"], vec!["c", "x", "4"]]);
    }

    #[test]
    fn split_numbers_join_and_nbsp_cells_are_empty() {
        let l = table(
            "<tr><td><p>一、本年<br>新收</p></td><td><p><span>1</span><span>2</span></p></td>\
             <td>&nbsp;</td><td><p><span>&nbsp;</span></p></td><td><p>3</p>\n  <p>4</p></td>\
             <td>\u{200B}</td><td> &nbsp; </td></tr>",
        );
        assert_eq!(cells(&l), vec![vec!["一、本年新收", "12", "", "", "34", "", ""]]);
    }

    #[test]
    fn implied_end_tags_close_cells_rows_and_paragraphs() {
        // No </td>, no </tr>, no <tbody>; a <p> closed by a block.
        let l = read("<p>标题<div>正文</div><table><tr><td>规章<td>1<td>2<tr><td>行政许可<td>5</table><p>尾").unwrap();
        assert_eq!(
            cells(&l),
            vec![vec!["标题"], vec!["正文"], vec!["规章", "1", "2"], vec!["行政许可", "5"], vec!["尾"]]
        );
        // Stray end tags change nothing; unclosed <div>s end with the page.
        let l = read("<div>a</x></span>b</td></tr><div><div>c").unwrap();
        assert_eq!(cells(&l), vec![vec!["ab"], vec!["c"]]);
    }

    #[test]
    fn ragged_rows_are_not_padded() {
        let l = table("<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr><tr><td>行政许可</td><td>5</td></tr>");
        assert_eq!(cells(&l), vec![vec!["规章", "1", "2", "3"], vec!["行政许可", "5"]]);
    }

    #[test]
    fn a_layout_table_around_the_report_is_read_as_blocks() {
        let l = read(
            "<table><tr><td>网站首页</td><td>政府信息公开年度报告</td></tr>\
             <tr><td colspan=2><h2>某镇2024年报告</h2><p>一、总体情况</p>\
             <table><tr><td colspan=2>规章</td><td>5</td></tr><tr><td>a</td><td>b</td><td>&nbsp;</td></tr></table>\
             <p>三、收到</p></td></tr></table><p>尾</p>",
        )
        .unwrap();
        assert_eq!(
            cells(&l),
            vec![
                vec!["网站首页"],
                vec!["政府信息公开年度报告"],
                vec!["某镇2024年报告"],
                vec!["一、总体情况"],
                vec!["规章", "规章", "5"],
                vec!["a", "b", ""],
                vec!["三、收到"],
                vec!["尾"],
            ]
        );
        assert_eq!(
            l.iter().map(|l| l.is_grid()).collect::<Vec<_>>(),
            [false, false, false, false, true, true, false, false]
        );
    }

    #[test]
    fn a_cell_holding_the_whole_report_text_is_layout() {
        let prose = "我镇认真学习条例。".repeat(150);
        let l = read(&format!("<table><tr><td><p>标题</p><p>{prose}</p></td></tr></table>")).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(&l[0].cells[..], ["标题"]);
        assert!(!l[1].is_grid());
    }

    #[test]
    fn tables_pasted_as_paragraphs_are_one_cell_lines() {
        let l = read("<p>规章</p><p>0</p><p>&nbsp;</p><p>3</p>").unwrap();
        assert_eq!(cells(&l), vec![vec!["规章"], vec!["0"], vec!["3"]]);
    }

    #[test]
    fn caption_comes_before_the_rows() {
        let l = table("<caption>表一</caption><tr><td>a</td></tr>");
        assert_eq!(cells(&l), vec![vec!["表一"], vec!["a"]]);
        assert!(!l[0].is_grid() && l[1].is_grid());
    }

    #[test]
    fn text_misplaced_in_a_table_comes_before_it_as_a_browser_puts_it() {
        let l = read("<p>前</p><table><tr><td>1</td>多余<td>2</td></tr></table>").unwrap();
        assert_eq!(cells(&l), vec![vec!["前"], vec!["多余"], vec!["1", "2"]]);
        // Without a DOCTYPE (quirks mode) a table stays inside an open <p>,
        // and what is put before it joins the paragraph's text.
        let l = read("<p>前<table><tr><td>1</td>多余<td>2</td></tr></table>").unwrap();
        assert_eq!(cells(&l), vec![vec!["前多余"], vec!["1", "2"]]);
    }

    #[test]
    fn pre_keeps_its_lines() {
        let l = read("<pre>\n规章  1\r\n规范性文件  2\r行政许可  3</pre>").unwrap();
        assert_eq!(cells(&l), vec![vec!["规章 1"], vec!["规范性文件 2"], vec!["行政许可 3"]]);
    }

    #[test]
    fn deep_nesting_is_read_without_recursion_or_refused() {
        let html = format!("{}x{}", "<div><span>".repeat(1_400), "</span></div>".repeat(1_400));
        assert_eq!(cells(&read(&html).unwrap()), vec![vec!["x"]]);
        // Each level is four open elements: table, tbody, tr, td.
        let tables = format!("{}y{}", "<table><tr><td>".repeat(700), "</td></tr></table>".repeat(700));
        assert_eq!(cells(&read(&tables).unwrap()), vec![vec!["y"]]);
        let deep = "<div>".repeat(1_000_000);
        let t = std::time::Instant::now();
        let r = read(&deep).unwrap_err();
        assert!(r.detail.contains("nesting limit"), "{r}");
        assert!(t.elapsed().as_secs() < 10);
    }

    #[test]
    fn tags_sort_names_as_the_block_and_hidden_lists_do() {
        for name in ["head", "title", "script", "style", "noscript", "svg", "canvas"] {
            assert_eq!(Tag::of(name), Tag::Hidden, "{name}");
        }
        for name in ["table", "td", "th", "tr", "caption", "pre", "p", "div", "h3", "li", "tbody", "html"] {
            assert!(Tag::of(name).is_block(), "{name}");
        }
        for name in ["br", "span", "a", "font", "b", "o:p", "TD", ""] {
            assert!(!Tag::of(name).is_block(), "{name}");
        }
        assert_eq!(Tag::of("td"), Tag::Cell);
        assert_eq!(Tag::of("th"), Tag::Cell);
        assert_eq!(Tag::of("br"), Tag::Br);
        assert_eq!(Tag::of("span"), Tag::Other);
    }

    #[test]
    fn style_hides_matches_display_none_ignoring_case_and_whitespace() {
        // The rule it replaces, kept here as the reference.
        let reference = |s: &str| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        };
        let cases = [
            "display:none",
            "display: none",
            "DISPLAY : NoNe;",
            "color:red;display:none",
            "d i s p l a y\u{3000}:\n n o n e",
            "display:\u{A0}none",
            "mso-display:none",
            "display:nonesuch",
            "display:block",
            "display:non e",
            "displayy:none",
            "display::none",
            "display:;none",
            "dis:play:none",
            ":none",
            "display:",
            "display:nonE:none",
            "显示display:none显示",
            "display：none",
            "",
            "::::",
        ];
        for c in cases {
            assert_eq!(style_hides(c), reference(c), "{c:?}");
        }
    }

    #[test]
    fn acc_push_copies_runs_with_html_whitespace_rules() {
        // The char-by-char rule it replaces, kept here as the reference.
        let reference = |parts: &[&str]| {
            let (mut text, mut space) = (String::new(), false);
            for s in parts {
                for c in s.chars() {
                    if is_invisible(c) {
                        continue;
                    }
                    if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{C}' | '\u{A0}') {
                        space = !text.is_empty();
                        continue;
                    }
                    if space {
                        text.push(' ');
                        space = false;
                    }
                    text.push(c);
                }
            }
            (text, space)
        };
        let mut cases: Vec<Vec<String>> = [
            &["  a  b  "][..],
            &["\u{A0}一\u{200B}二 ", " 三"],
            &["\u{200B}", " ", "x"],
            &["x\u{FEFF}y", "\t\r\n", "\u{3000}z\u{C}"],
            &["", "", "a"],
            &["a ", "\u{AD}", "b"],
            &["  ", "  "],
            &["数字12 345\u{A0}\u{A0}6"],
            &["\u{2060}\u{200C}\u{200D}é\u{1F600}\u{20AC}\u{2061}\u{200E}"],
        ]
        .iter()
        .map(|p| p.iter().map(|s| s.to_string()).collect())
        .collect();
        // Random strings over the characters that matter and their neighbours.
        let alphabet = [
            " ",
            "\t",
            "\n",
            "a",
            "中",
            "\u{A0}",
            "\u{A1}",
            "\u{AD}",
            "\u{AC}",
            "\u{200B}",
            "\u{200A}",
            "\u{200E}",
            "\u{2060}",
            "\u{2061}",
            "\u{FEFF}",
            "\u{FEFE}",
            "\u{1F600}",
            "é",
        ];
        let mut x: u64 = 7;
        for _ in 0..500 {
            let mut parts = Vec::new();
            for _ in 0..3 {
                let mut s = String::new();
                for _ in 0..6 {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    s.push_str(alphabet[(x >> 33) as usize % alphabet.len()]);
                }
                parts.push(s);
            }
            cases.push(parts);
        }
        for parts in &cases {
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            let mut acc = Acc::default();
            for p in &parts {
                acc.push(p);
            }
            assert_eq!((acc.text, acc.space), reference(&parts), "{parts:?}");
        }
    }

    #[test]
    fn huge_spans_are_rejected_not_expanded() {
        let rows = "<tr><td colspan=1000 rowspan=0>x</td></tr>".to_string() + &"<tr></tr>".repeat(5000);
        let r = read(&format!("<table>{rows}</table>")).unwrap_err();
        assert_eq!(r.kind, RejectKind::NotAReport);
        assert!(r.detail.contains("cell limit"), "{r}");
    }
}
