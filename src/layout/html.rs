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
//!
//! The parts: `tokenizer` and `tree` (the WHATWG rules), `sink` (where the
//! tree's events go, a table's kept until it ends), `builder` (events into
//! lines, spans expanded); this file holds the limits, the budget shared
//! with the Word layouts, and what an element is to the reader (`Tag`,
//! what hides it).

mod builder;
mod entities;
mod sink;
mod tokenizer;
mod tree;

#[cfg(test)]
mod dom;
#[cfg(test)]
mod equivalence;
#[cfg(test)]
mod tests;

use super::Line;
use crate::error::{RejectKind, Rejection};
use sink::Sink;

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
