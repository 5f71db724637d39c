//! The old HTML reader, kept for tests only: html5ever (through `scraper`)
//! builds the page's whole tree, and two passes over it read the lines. The
//! streaming reader in [`super`] must read every page as this one does (see
//! the equivalence tests); it is not shipped (`scraper` is a
//! dev-dependency).
//!
//! Its own documentation: HTML pages as saved from government websites: the report's prose and
//! headings as one-cell lines, its tables as exact grid rows.
//!
//! The page is parsed by html5ever (through `scraper`) into the tree a browser
//! builds, so unclosed `<p>`, `<td>` without `</td>`, stray tags and Word's
//! "save as web page" markup end up where a browser would put them. What a
//! reader does not see is left out: `<head>`, scripts, styles, `<noscript>`,
//! form controls and elements hidden with `hidden` or `display:none`.
//!
//! Text outside tables becomes one line per block (`<p>`, `<div>`, `<h1>`,
//! `<li>`, … and `<br>`), in document order. A table becomes one exact line per
//! `<tr>`, after its colspans and rowspans are expanded into a true grid: a
//! spanned cell's text is copied into every grid position it covers, so every
//! row of a table has its cells in the same columns, and a label spanning three
//! columns leaves no empty cells before the numbers. A cell's text is joined
//! without separators (`<span>1</span><span>2</span>` is `12`; a `<br>` or
//! `<p>` inside a label joins too), trimmed, and `&nbsp;` is a space (so a cell
//! holding only `&nbsp;` is empty, a blank value).
//!
//! A table that holds another table, or a cell with a page of text in it, is a
//! page-layout table, not a data table: its cells are read as blocks, so the
//! report inside comes out as lines and its own tables as grid rows.

use super::{Budget, is_invisible, style_hides};
use crate::error::{RejectKind, Rejection};
use crate::layout::{Line, grid};
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

/// A cell with more text than this is a page-layout cell (the report's prose),
/// never a cell of the form: the form's longest label is under 50 characters.
const LAYOUT_CELL_CHARS: usize = 1000;

/// The largest colspan honoured (the HTML standard's own limit).
const MAX_COLSPAN: usize = 1000;

/// Elements nested deeper than this are refused before parsing: a real page
/// nests a few dozen, and html5ever's work grows with the square of the depth
/// (a 16 MB page of nested `<div>`s would take hours).
const MAX_DEPTH: usize = 3000;

/// Read an HTML page into lines of cells.
pub fn read(html: &str) -> Result<Vec<Line<'static>>, Rejection> {
    if nesting_depth(html) > MAX_DEPTH {
        return Err(Rejection::doc(
            RejectKind::NotAReport,
            format!("HTML elements nested more than {MAX_DEPTH} deep (a real page nests a few dozen): not read"),
            format!("网页元素嵌套超过 {MAX_DEPTH} 层：不读取"),
        ));
    }
    let doc = Html::parse_document(html);
    let root = doc.root_element();
    let mut scan = Scan::default();
    walk(root, &mut scan);
    let mut b = Builder { layout: scan.layout, ..Builder::default() };
    walk(root, &mut b);
    b.finish()
}

/// An estimate of how deep the page nests elements, from its tags alone:
/// start tags minus end tags, leaving out void elements, the ones a parser
/// closes by itself (`<p>`, `<li>`, `<td>`, …), comments, and the content of
/// scripts and styles.
fn nesting_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = memchr::memmem::find(&b[i..], b"-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        let close = b.get(i) == Some(&b'/');
        let start = i + usize::from(close);
        let end = start + b[start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if end == start || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = b[start..end].to_ascii_lowercase();
        if !close && matches!(name.as_slice(), b"script" | b"style" | b"textarea" | b"title" | b"xmp") {
            let mut endtag = b"</".to_vec();
            endtag.extend_from_slice(&name);
            let rest = b[end..].to_ascii_lowercase();
            i = memchr::memmem::find(&rest, &endtag).map_or(b.len(), |e| end + e);
            continue;
        }
        let counted = !matches!(
            name.as_slice(),
            b"area"
                | b"base"
                | b"basefont"
                | b"bgsound"
                | b"br"
                | b"col"
                | b"embed"
                | b"frame"
                | b"hr"
                | b"img"
                | b"input"
                | b"keygen"
                | b"link"
                | b"meta"
                | b"param"
                | b"source"
                | b"track"
                | b"wbr"
                | b"p"
                | b"li"
                | b"dt"
                | b"dd"
                | b"option"
                | b"optgroup"
                | b"tr"
                | b"td"
                | b"th"
                | b"tbody"
                | b"thead"
                | b"tfoot"
                | b"colgroup"
                | b"caption"
                | b"rb"
                | b"rt"
                | b"rp"
                | b"rtc"
                | b"html"
                | b"head"
                | b"body"
        );
        if counted {
            if close {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                max = max.max(depth);
            }
        }
    }
    max
}

/// A visitor of the document tree, called in document order.
trait Visit {
    /// Entering a node; `false` skips its subtree (and its `close`).
    fn open(&mut self, node: &Node) -> bool;
    /// Leaving a node that was entered.
    fn close(&mut self, node: &Node);
}

/// Walk the tree under `root` without recursion (pages nest elements
/// thousands deep, on purpose or not).
fn walk(root: ElementRef<'_>, v: &mut impl Visit) {
    let root = *root;
    let mut cur = root;
    'outer: loop {
        if v.open(cur.value()) {
            if let Some(child) = cur.first_child() {
                cur = child;
                continue;
            }
            v.close(cur.value());
        }
        loop {
            if cur == root {
                break 'outer;
            }
            if let Some(next) = cur.next_sibling() {
                cur = next;
                continue 'outer;
            }
            match cur.parent() {
                Some(p) => {
                    cur = p;
                    v.close(cur.value());
                }
                None => break 'outer,
            }
        }
    }
}

/// What the readers do with an element, decided once per element from its
/// (local) name, so that each visit compares the name once rather than
/// against several lists in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
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

/// An attribute of an HTML element, by name (no namespace, no prefix: what
/// `Element::attr` looks up), found by a plain scan of the element's few
/// attributes. `Element::attr` first turns the name into an interned atom
/// (a hash and a lookup) on every call, which showed up in profiles.
fn attr<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.attrs.iter().find(|(n, _)| n.prefix.is_none() && n.ns.is_empty() && &*n.local == name).map(|(_, v)| &**v)
}

/// Elements whose content a reader of the page does not see as text (with
/// `tag`, the element's [`Tag`]).
fn is_hidden(e: &Element, tag: Tag) -> bool {
    tag == Tag::Hidden || attr(e, "hidden").is_some() || attr(e, "style").is_some_and(style_hides)
}

/// First pass: which tables are page layout (they hold a table, or a cell
/// with a page of text), numbered in document order.
#[derive(Default)]
struct Scan {
    layout: Vec<bool>,
    open_tables: Vec<usize>,
    /// Open cells: the table each belongs to, and its text length so far.
    cells: Vec<(Option<usize>, usize)>,
}

impl Visit for Scan {
    fn open(&mut self, node: &Node) -> bool {
        let tag = match node {
            Node::Element(e) => Tag::of(e.name()),
            _ => Tag::Other,
        };
        match node {
            Node::Element(e) if is_hidden(e, tag) => false,
            Node::Element(_) if tag == Tag::Table => {
                if let Some(&outer) = self.open_tables.last() {
                    self.layout[outer] = true;
                }
                self.open_tables.push(self.layout.len());
                self.layout.push(false);
                true
            }
            Node::Element(_) if tag == Tag::Cell => {
                self.cells.push((self.open_tables.last().copied(), 0));
                true
            }
            Node::Text(t) => {
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
                true
            }
            _ => true,
        }
    }

    fn close(&mut self, node: &Node) {
        if let Node::Element(e) = node {
            match Tag::of(e.name()) {
                Tag::Table => {
                    self.open_tables.pop();
                }
                Tag::Cell => {
                    self.cells.pop();
                }
                _ => {}
            }
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
        // char; a run ends at whitespace or an invisible character.
        let mut run = 0;
        for (i, c) in s.char_indices() {
            let space = matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{C}' | '\u{A0}');
            if !space && !is_invisible(c) {
                continue;
            }
            self.push_run(&s[run..i]);
            run = i + c.len_utf8();
            if space {
                self.space = !self.text.is_empty();
            }
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

/// Second pass: lines in document order.
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
    error: Option<Rejection>,
}

/// An HTML span attribute as browsers read it: leading digits, else `default`.
fn span(e: &Element, name: &str, default: usize) -> usize {
    let Some(v) = attr(e, name) else {
        return default;
    };
    let digits: String = v.trim().chars().take_while(char::is_ascii_digit).take(6).collect();
    digits.parse().unwrap_or(default)
}

impl Builder {
    /// Add a line, numbered in document order.
    fn push(&mut self, make: impl FnOnce(usize) -> Line<'static>) {
        self.number += 1;
        self.lines.push(make(self.number));
    }

    fn flush(&mut self) {
        let t = self.flow.take();
        if !t.is_empty() {
            self.push(|n| Line::text(t, n));
        }
    }

    fn grid(&mut self) -> Option<&mut Grid> {
        match self.tables.last_mut() {
            Some(Mode::Grid(g)) => Some(g),
            _ => None,
        }
    }

    fn finish(mut self) -> Result<Vec<Line<'static>>, Rejection> {
        self.flush();
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.lines),
        }
    }

    /// Expand a data table's spans into a true grid ([`super::grid`]) and
    /// emit one grid line per row.
    fn emit_grid(&mut self, rows: Vec<Vec<RawCell>>) -> Result<(), Rejection> {
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
        let left = self.budget.cells_left();
        let rows = grid::expand(raw, left).map_err(|_| self.budget.too_many_cells())?;
        for row in rows {
            if row.is_empty() {
                continue;
            }
            self.budget.cells(row.len())?;
            for (s, _) in &row {
                self.budget.bytes(s.len())?;
            }
            self.push(|n| Line::grid(row, n));
        }
        Ok(())
    }
}

impl Visit for Builder {
    fn open(&mut self, node: &Node) -> bool {
        if self.error.is_some() {
            return false;
        }
        let e = match node {
            Node::Text(t) => {
                if let Some(g) = self.grid() {
                    if let Some((acc, _, _)) = &mut g.cell {
                        acc.push(t);
                    } else if let Some(acc) = &mut g.caption {
                        acc.push(t);
                    }
                } else if self.pre > 0 {
                    let mut parts = t.split('\n');
                    if let Some(first) = parts.next() {
                        self.flow.push(first);
                    }
                    for part in parts {
                        self.flush();
                        self.flow.push(part);
                    }
                } else {
                    self.flow.push(t);
                }
                return true;
            }
            Node::Element(e) => e,
            _ => return true,
        };
        let tag = Tag::of(e.name());
        if is_hidden(e, tag) {
            return false;
        }
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
                return true;
            }
            self.flush();
            self.tables.push(if is_layout { Mode::Layout } else { Mode::Grid(Grid::default()) });
            return true;
        }
        if let Some(g) = self.grid() {
            match tag {
                Tag::Tr => g.rows.push(Vec::new()),
                Tag::Cell => {
                    let colspan = span(e, "colspan", 1).clamp(1, MAX_COLSPAN);
                    let rowspan = span(e, "rowspan", 1);
                    g.cell = Some((Acc::default(), colspan, rowspan));
                }
                Tag::Caption => g.caption = Some(Acc::default()),
                _ => {
                    if let Some((acc, _, _)) = &mut g.cell
                        && (tag == Tag::Br || tag.is_block())
                    {
                        acc.join();
                    }
                }
            }
            return true;
        }
        if tag == Tag::Br || tag.is_block() {
            self.flush();
        }
        if tag == Tag::Pre {
            self.pre += 1;
        }
        true
    }

    fn close(&mut self, node: &Node) {
        let Node::Element(e) = node else { return };
        if self.error.is_some() {
            return;
        }
        let tag = Tag::of(e.name());
        if tag == Tag::Table {
            match self.tables.pop() {
                Some(Mode::Grid(g)) => {
                    if let Err(r) = self.emit_grid(g.rows) {
                        self.error = Some(r);
                    }
                }
                _ => self.flush(),
            }
            return;
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
                            self.push(|n| Line::text(t, n));
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
            return;
        }
        if tag.is_block() {
            self.flush();
        }
        if tag == Tag::Pre {
            self.pre = self.pre.saturating_sub(1);
        }
    }
}
