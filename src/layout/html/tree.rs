//! Tree construction without the tree: the WHATWG rules that decide where
//! each element and piece of text goes (implied end tags, scopes, the table
//! insertion modes, foster parenting, raw text, SVG/MathML content), run on
//! a stack of open elements, and sending the reader only what it reads
//! ([`super::Sink`]): the opening and closing of block, table, row, cell,
//! caption, `<pre>` and `<br>` elements and the text, in document order, with
//! hidden elements and everything inside them left out.
//!
//! Transcribed from html5ever 0.40 (`tree_builder/rules.rs`), the parser the
//! old reader used, so that both read the same page the same way. Left out,
//! each a documented simplification that only matters on broken markup:
//! - the list of active formatting elements: `<b>`, `<font>`, `<a>`, … close
//!   like any inline element, and one that a block's end closed is not
//!   re-opened in the text after it (a browser re-opens it, "reconstructs"
//!   it); nor does the adoption agency move blocks out of one. Inline
//!   elements are invisible to the reader, so this only changes what a
//!   *hidden* formatting element hides.
//! - `<template>` contents are hidden, as before, and parsed with the body's
//!   rules rather than the template's own.
//!
//! Every loop over the stack is counted against a budget that grows with the
//! page, so the work stays linear whatever the markup.

use super::tokenizer::{Attrs, State, Token, Tokenizer, decode_into};
use super::{Limit, Sink, Tag};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// The element names the rules tell apart; any other name is interned.
const NAMES: &[&str] = &[
    "a",
    "address",
    "annotation-xml",
    "applet",
    "area",
    "article",
    "aside",
    "b",
    "base",
    "basefont",
    "bgsound",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "code",
    "col",
    "colgroup",
    "dd",
    "desc",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "foreignobject",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "isindex",
    "keygen",
    "legend",
    "li",
    "link",
    "listing",
    "main",
    "malignmark",
    "marquee",
    "math",
    "menu",
    "meta",
    "mglyph",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "nav",
    "nobr",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "plaintext",
    "pre",
    "rb",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "script",
    "search",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
    "xmp",
];

const fn id(s: &str) -> u32 {
    let mut k = 0;
    while k < NAMES.len() {
        let n = NAMES[k].as_bytes();
        let b = s.as_bytes();
        if n.len() == b.len() {
            let mut j = 0;
            while j < n.len() && n[j] == b[j] {
                j += 1;
            }
            if j == n.len() {
                return k as u32;
            }
        }
        k += 1;
    }
    panic!("not a known name")
}

macro_rules! names {
    ($($c:ident = $s:literal),* $(,)?) => { $(const $c: u32 = id($s);)* };
}
names! {
    ADDRESS = "address", ANNOTATION_XML = "annotation-xml", APPLET = "applet", AREA = "area",
    ARTICLE = "article", ASIDE = "aside", B = "b", BASE = "base", BASEFONT = "basefont", BGSOUND = "bgsound",
    BIG = "big", BLOCKQUOTE = "blockquote", BODY = "body", BR = "br", BUTTON = "button", CAPTION = "caption",
    CENTER = "center", CODE = "code", COL = "col", COLGROUP = "colgroup", DD = "dd", DESC = "desc",
    DETAILS = "details", DIALOG = "dialog", DIR = "dir", DIV = "div", DL = "dl", DT = "dt", EM = "em",
    EMBED = "embed", FIELDSET = "fieldset", FIGCAPTION = "figcaption", FIGURE = "figure", FONT = "font",
    FOOTER = "footer", FOREIGNOBJECT = "foreignobject", FORM = "form", FRAME = "frame", FRAMESET = "frameset",
    H1 = "h1", H2 = "h2", H3 = "h3", H4 = "h4", H5 = "h5", H6 = "h6", HEAD = "head", HEADER = "header",
    HGROUP = "hgroup", HR = "hr", HTML = "html", I = "i", IFRAME = "iframe", IMAGE = "image", IMG = "img",
    INPUT = "input", ISINDEX = "isindex", KEYGEN = "keygen", LI = "li", LINK = "link", LISTING = "listing",
    MAIN = "main", MALIGNMARK = "malignmark", MARQUEE = "marquee", MATH = "math", MENU = "menu", META = "meta",
    MGLYPH = "mglyph", MI = "mi", MN = "mn", MO = "mo", MS = "ms", MTEXT = "mtext", NAV = "nav", NOBR = "nobr",
    NOEMBED = "noembed", NOFRAMES = "noframes", NOSCRIPT = "noscript", OBJECT = "object", OL = "ol",
    OPTGROUP = "optgroup", OPTION = "option", P = "p", PARAM = "param", PLAINTEXT = "plaintext", PRE = "pre",
    RB = "rb", RP = "rp", RT = "rt", RTC = "rtc", RUBY = "ruby", S = "s", SCRIPT = "script", SEARCH = "search",
    SECTION = "section", SELECT = "select", SMALL = "small", SOURCE = "source", SPAN = "span", STRIKE = "strike",
    STRONG = "strong", STYLE = "style", SUB = "sub", SUMMARY = "summary", SUP = "sup", SVG = "svg",
    TABLE = "table", TBODY = "tbody", TD = "td", TEMPLATE = "template", TEXTAREA = "textarea", TFOOT = "tfoot",
    TH = "th", THEAD = "thead", TITLE = "title", TR = "tr", TRACK = "track", TT = "tt", U = "u", UL = "ul",
    VAR = "var", WBR = "wbr", XMP = "xmp",
}

/// The known names' ids and what the reader makes of each ([`Tag::of`]).
struct Known {
    ids: FxHashMap<&'static [u8], u32>,
    tags: Vec<Tag>,
    /// The sets each name is in, as an HTML element.
    sets: Vec<u32>,
}

fn known() -> &'static Known {
    static K: OnceLock<Known> = OnceLock::new();
    K.get_or_init(|| Known {
        ids: NAMES.iter().enumerate().map(|(k, n)| (n.as_bytes(), k as u32)).collect(),
        tags: NAMES.iter().map(|n| Tag::of(n)).collect(),
        sets: (0..NAMES.len() as u32).map(|k| sets(Ns::Html, k)).collect(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    Math,
}

// Sets an element belongs to (bits of `Entry::set`), from html5ever's
// tag_sets.rs.
const SPECIAL: u32 = 1;
const SCOPE: u32 = 1 << 1;
const LIST_SCOPE: u32 = 1 << 2;
const BUTTON_SCOPE: u32 = 1 << 3;
const TABLE_SCOPE: u32 = 1 << 4;
const FOSTER: u32 = 1 << 5;
const CURSORY: u32 = 1 << 6;
const THOROUGH: u32 = 1 << 7;
const HEADING: u32 = 1 << 8;
const TBODY_CTX: u32 = 1 << 9;
const TR_CTX: u32 = 1 << 10;
const TD_TH: u32 = 1 << 11;
/// `address`, `div`, `p` (special elements an `<li>` looks past).
const ADP: u32 = 1 << 12;
const MATH_TEXT: u32 = 1 << 13;
const SVG_HTML: u32 = 1 << 14;

fn sets(ns: Ns, n: u32) -> u32 {
    match ns {
        Ns::Math => {
            if matches!(n, MI | MO | MN | MS | MTEXT) {
                MATH_TEXT | SCOPE
            } else {
                0
            }
        }
        Ns::Svg => {
            if matches!(n, FOREIGNOBJECT | DESC | TITLE) {
                SVG_HTML | SCOPE
            } else {
                0
            }
        }
        Ns::Html => {
            let mut s = 0;
            if matches!(
                n,
                ADDRESS
                    | APPLET
                    | AREA
                    | ARTICLE
                    | ASIDE
                    | BASE
                    | BASEFONT
                    | BGSOUND
                    | BLOCKQUOTE
                    | BODY
                    | BR
                    | BUTTON
                    | CAPTION
                    | CENTER
                    | COL
                    | COLGROUP
                    | DD
                    | DETAILS
                    | DIR
                    | DIV
                    | DL
                    | DT
                    | EMBED
                    | FIELDSET
                    | FIGCAPTION
                    | FIGURE
                    | FOOTER
                    | FORM
                    | FRAME
                    | FRAMESET
                    | H1
                    | H2
                    | H3
                    | H4
                    | H5
                    | H6
                    | HEAD
                    | HEADER
                    | HGROUP
                    | HR
                    | HTML
                    | IFRAME
                    | IMG
                    | INPUT
                    | ISINDEX
                    | LI
                    | LINK
                    | LISTING
                    | MAIN
                    | MARQUEE
                    | MENU
                    | META
                    | NAV
                    | NOEMBED
                    | NOFRAMES
                    | NOSCRIPT
                    | OBJECT
                    | OL
                    | P
                    | PARAM
                    | PLAINTEXT
                    | PRE
                    | SCRIPT
                    | SECTION
                    | SELECT
                    | SOURCE
                    | STYLE
                    | SUMMARY
                    | TABLE
                    | TBODY
                    | TD
                    | TEMPLATE
                    | TEXTAREA
                    | TFOOT
                    | TH
                    | THEAD
                    | TITLE
                    | TR
                    | TRACK
                    | UL
                    | WBR
                    | XMP
            ) {
                s |= SPECIAL;
            }
            if matches!(n, APPLET | CAPTION | HTML | TABLE | TD | TH | MARQUEE | OBJECT | SELECT | TEMPLATE) {
                s |= SCOPE;
            }
            if matches!(n, OL | UL) {
                s |= LIST_SCOPE;
            }
            if n == BUTTON {
                s |= BUTTON_SCOPE;
            }
            if matches!(n, HTML | TABLE | TEMPLATE) {
                s |= TABLE_SCOPE;
            }
            if matches!(n, TABLE | TBODY | TFOOT | THEAD | TR) {
                s |= FOSTER;
            }
            if matches!(n, DD | DT | LI | OPTION | OPTGROUP | P | RB | RP | RT | RTC) {
                s |= CURSORY | THOROUGH;
            }
            if matches!(n, CAPTION | COLGROUP | TBODY | TD | TFOOT | TH | THEAD | TR) {
                s |= THOROUGH;
            }
            if matches!(n, H1 | H2 | H3 | H4 | H5 | H6) {
                s |= HEADING;
            }
            if matches!(n, TBODY | TFOOT | THEAD | TEMPLATE | HTML) {
                s |= TBODY_CTX;
            }
            if matches!(n, TR | TEMPLATE | HTML) {
                s |= TR_CTX;
            }
            if matches!(n, TD | TH) {
                s |= TD_TH;
            }
            if matches!(n, ADDRESS | DIV | P) {
                s |= ADP;
            }
            s
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Initial,
    BeforeHtml,
    BeforeHead,
    InHead,
    AfterHead,
    InBody,
    Text,
    InTable,
    InCaption,
    InColumnGroup,
    InTableBody,
    InRow,
    InCell,
    InTemplate,
    AfterBody,
    InFrameset,
    AfterFrameset,
    AfterAfterBody,
    AfterAfterFrameset,
}

/// An open element.
#[derive(Debug, Clone, Copy)]
struct Entry {
    name: u32,
    ns: Ns,
    set: u32,
    /// It, or an element it is inside, hides its content.
    hidden: bool,
    /// Its parent's `hidden` (a table's foster children take it).
    parent_hidden: bool,
    /// Its opening was sent to the sink (so its closing is).
    emits: bool,
    tag: Tag,
    /// Where its children's events go.
    sink: u32,
    /// Where its own opening went.
    up: u32,
    /// A table's: where content foster-parented out of it goes.
    foster: u32,
    /// Serial number (the form element pointer is one).
    serial: u32,
}

impl Entry {
    fn is(&self, name: u32) -> bool {
        self.name == name && self.ns == Ns::Html
    }
}

/// Is a token a start tag named `n` (after lowercasing)?
#[derive(Debug, Clone, Copy)]
enum Tk<'a> {
    Text(&'a str, bool),
    Start(u32, bool),
    End(u32),
    Comment,
    Doctype(bool),
    Eof,
}

pub(super) struct Tree<'a> {
    tok: Tokenizer<'a>,
    stack: Vec<Entry>,
    /// Elements off the stack whose end waits for the stack to shrink to
    /// the given length.
    detached: Vec<(usize, Entry)>,
    /// Open HTML elements of each known name: a scope check for a name
    /// none is open of (a `<p>` at every block) takes no walk.
    open: Vec<u32>,
    mode: Mode,
    orig_mode: Mode,
    template_modes: Vec<Mode>,
    quirks: bool,
    head_seen: bool,
    form: Option<u32>,
    frameset_ok: bool,
    ignore_lf: bool,
    foster_parenting: bool,
    /// Table text waiting for the next token that is not text.
    pending: String,
    pending_active: bool,
    interned: FxHashMap<Box<[u8]>, u32>,
    serial: u32,
    work: usize,
    work_limit: usize,
    /// A later `<html>` or `<body>` tag added an attribute that hides it.
    pub hidden_late: bool,
    /// Whether the root `<html>` and the `<body>` had `hidden`/`style`.
    html_attrs: (bool, bool),
    body_attrs: (bool, bool),
    scratch: String,
    pub sink: Sink,
}

/// What stops the tree: a budget exceeded.
pub(super) type Stop = Limit;

impl<'a> Tree<'a> {
    pub fn new(html: &'a str, sink: Sink) -> Tree<'a> {
        Tree {
            tok: Tokenizer::new(html),
            stack: Vec::new(),
            detached: Vec::new(),
            open: vec![0; NAMES.len()],
            mode: Mode::Initial,
            orig_mode: Mode::InBody,
            template_modes: Vec::new(),
            quirks: false,
            head_seen: false,
            form: None,
            frameset_ok: true,
            ignore_lf: false,
            foster_parenting: false,
            pending: String::new(),
            pending_active: false,
            interned: FxHashMap::default(),
            serial: 0,
            work: 0,
            work_limit: super::MAX_WORK_BASE.saturating_add(html.len().saturating_mul(super::MAX_WORK_PER_BYTE)),
            hidden_late: false,
            html_attrs: (false, false),
            body_attrs: (false, false),
            scratch: String::new(),
            sink,
        }
    }

    /// Read the whole page.
    pub fn run(&mut self) -> Result<(), Stop> {
        loop {
            let t = self.tok.next();
            let tk = match t {
                Token::Text { raw, refs } => Tk::Text(raw, refs),
                Token::Start { name, self_closing } => Tk::Start(self.intern(name), self_closing),
                Token::End { name } => Tk::End(self.intern(name)),
                Token::Comment => Tk::Comment,
                Token::Doctype { quirks } => Tk::Doctype(quirks),
                Token::Eof => Tk::Eof,
            };
            let mut tk = tk;
            if std::mem::take(&mut self.ignore_lf)
                && let Tk::Text(raw, refs) = tk
            {
                let cut = if raw.starts_with("\r\n") { 2 } else { usize::from(raw.starts_with(['\n', '\r'])) };
                if cut == raw.len() {
                    continue;
                }
                tk = Tk::Text(&raw[cut..], refs);
            }
            if self.pending_active && !matches!(tk, Tk::Text(..)) {
                self.flush_pending()?;
            }
            self.dispatch(tk)?;
            if matches!(tk, Tk::Eof) {
                break;
            }
        }
        while !self.stack.is_empty() {
            self.pop()?;
        }
        Ok(())
    }

    /// Steps of tree-building work done so far.
    #[cfg(test)]
    pub fn work(&self) -> usize {
        self.work
    }

    fn intern(&mut self, raw: &str) -> u32 {
        let b = raw.as_bytes();
        let mut buf = [0u8; 16];
        if b.len() <= 16 {
            for (d, s) in buf.iter_mut().zip(b) {
                *d = s.to_ascii_lowercase();
            }
            if let Some(&k) = known().ids.get(&buf[..b.len()]) {
                return k;
            }
        }
        let lower: Box<[u8]> = b.to_ascii_lowercase().into();
        let next = NAMES.len() as u32 + self.interned.len() as u32;
        *self.interned.entry(lower).or_insert(next)
    }

    fn tag_of(&self, name: u32) -> Tag {
        known().tags.get(name as usize).copied().unwrap_or(Tag::Other)
    }

    fn step(&mut self) -> Result<(), Stop> {
        self.work += 1;
        if self.work > self.work_limit { Err(Limit::Work) } else { Ok(()) }
    }

    fn cur(&self) -> &Entry {
        self.stack.last().expect("an open element")
    }

    fn cur_is(&self, name: u32) -> bool {
        self.stack.last().is_some_and(|e| e.is(name))
    }

    fn cur_in(&self, set: u32) -> bool {
        self.stack.last().is_some_and(|e| e.ns == Ns::Html && e.set & set != 0)
    }

    // ------------------------------------------------------------ scopes

    /// Is an HTML element matching `pred` in the scope bounded by `bound`
    /// (bits of [`sets`])?
    fn in_scope_by(&mut self, bound: u32, pred: impl Fn(&Entry) -> bool) -> Result<bool, Stop> {
        for k in (0..self.stack.len()).rev() {
            self.step()?;
            let e = &self.stack[k];
            if e.ns == Ns::Html && pred(e) {
                return Ok(true);
            }
            if e.set & bound != 0 {
                return Ok(false);
            }
        }
        Ok(false)
    }

    fn in_scope(&mut self, name: u32) -> Result<bool, Stop> {
        if !self.any_open(name) {
            return Ok(false);
        }
        self.in_scope_by(SCOPE, |e| e.name == name)
    }

    fn in_button_scope(&mut self, name: u32) -> Result<bool, Stop> {
        if !self.any_open(name) {
            return Ok(false);
        }
        self.in_scope_by(SCOPE | BUTTON_SCOPE, |e| e.name == name)
    }

    fn in_table_scope(&mut self, name: u32) -> Result<bool, Stop> {
        if !self.any_open(name) {
            return Ok(false);
        }
        self.in_scope_by(TABLE_SCOPE, |e| e.name == name)
    }

    fn has_open(&mut self, name: u32) -> Result<bool, Stop> {
        if !self.any_open(name) {
            return Ok(false);
        }
        for k in (0..self.stack.len()).rev() {
            self.step()?;
            if self.stack[k].is(name) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    // ------------------------------------------------------------ stack

    fn push(&mut self, e: Entry) {
        if e.ns == Ns::Html
            && let Some(n) = self.open.get_mut(e.name as usize)
        {
            *n += 1;
        }
        self.stack.push(e);
    }

    /// Take the entry at `k` off the stack (counted), without its closing.
    fn take(&mut self, k: usize) -> Entry {
        let e = self.stack.remove(k);
        if e.ns == Ns::Html
            && let Some(n) = self.open.get_mut(e.name as usize)
        {
            *n -= 1;
        }
        e
    }

    /// Is an HTML element of this (known) name open at all?
    fn any_open(&self, name: u32) -> bool {
        self.open.get(name as usize).is_none_or(|&n| n > 0)
    }

    fn pop(&mut self) -> Result<(), Stop> {
        let e = self.take(self.stack.len() - 1);
        self.closed(e)?;
        // An element taken off the stack earlier (`</form>` with elements
        // still open inside it) ends when the last of those does.
        while let Some(&(at, d)) = self.detached.last() {
            if self.stack.len() > at {
                break;
            }
            self.detached.pop();
            self.closed(d)?;
        }
        Ok(())
    }

    fn closed(&mut self, e: Entry) -> Result<(), Stop> {
        if e.emits {
            if e.tag == Tag::Table {
                if e.up == 0 {
                    self.sink.table_done(e.sink, e.foster)?;
                }
            } else {
                self.sink.close(e.sink, e.tag);
            }
        }
        Ok(())
    }

    fn pop_until(&mut self, pred: impl Fn(&Entry) -> bool) -> Result<(), Stop> {
        while let Some(e) = self.stack.last() {
            let hit = e.ns == Ns::Html && pred(e);
            self.pop()?;
            if hit {
                break;
            }
        }
        Ok(())
    }

    fn pop_until_named(&mut self, name: u32) -> Result<(), Stop> {
        self.pop_until(|e| e.name == name)
    }

    /// Pop until the current node is in `set` (or the stack is down to the root).
    fn pop_until_current(&mut self, set: u32) -> Result<(), Stop> {
        while self.stack.len() > 1 && !self.cur_in(set) {
            self.pop()?;
        }
        Ok(())
    }

    fn implied_end(&mut self, set: u32, except: Option<u32>) -> Result<(), Stop> {
        while let Some(e) = self.stack.last() {
            if e.ns != Ns::Html || e.set & set == 0 || Some(e.name) == except {
                break;
            }
            self.pop()?;
        }
        Ok(())
    }

    fn close_p(&mut self) -> Result<(), Stop> {
        self.implied_end(CURSORY, Some(P))?;
        self.pop_until_named(P)
    }

    fn close_p_in_button_scope(&mut self) -> Result<(), Stop> {
        if self.in_button_scope(P)? {
            self.close_p()?;
        }
        Ok(())
    }

    /// Take the element at `k` off the stack (`</form>`): in the tree it
    /// still holds the elements open above it, so its end comes with theirs.
    fn remove_at(&mut self, k: usize) -> Result<(), Stop> {
        if k + 1 == self.stack.len() {
            return self.pop();
        }
        let e = self.take(k);
        self.detached.push((k, e));
        Ok(())
    }

    // ------------------------------------------------------------ inserting

    /// Where a node goes now: the sink and whether that parent hides it.
    fn place(&self) -> (u32, bool) {
        let cur = self.cur();
        if self.foster_parenting && cur.ns == Ns::Html && cur.set & FOSTER != 0 {
            for e in self.stack.iter().rev() {
                if e.is(TEMPLATE) {
                    return (e.sink, true);
                }
                if e.is(TABLE) {
                    return (e.foster, e.parent_hidden);
                }
            }
            let root = &self.stack[0];
            return (root.sink, root.hidden);
        }
        (cur.sink, cur.hidden)
    }

    fn insert(&mut self, name: u32, ns: Ns, attrs: Option<Attrs<'a>>, push: bool) -> Result<u32, Stop> {
        if self.stack.len() >= super::MAX_DEPTH && push {
            return Err(Limit::Depth);
        }
        let (sink, parent_hidden) = if self.stack.is_empty() { (0, false) } else { self.place() };
        self.sink.element()?;
        let tag = self.tag_of(name);
        let own_hidden = tag == Tag::Hidden || attrs.is_some_and(|a| super::attrs_hide(&a));
        let hidden = parent_hidden || own_hidden;
        let emits = !hidden && tag != Tag::Other && tag != Tag::Hidden;
        self.serial += 1;
        let mut e = Entry {
            name,
            ns,
            set: match ns {
                Ns::Html => known().sets.get(name as usize).copied().unwrap_or(0),
                _ => sets(ns, name),
            },
            hidden,
            parent_hidden,
            emits,
            tag,
            sink,
            up: sink,
            foster: sink,
            serial: self.serial,
        };
        if emits {
            if tag == Tag::Table {
                let (body, foster) = self.sink.open_table(sink);
                e.sink = body;
                e.foster = foster;
            } else {
                let spans = if tag == Tag::Cell { attrs.map(|a| (a.colspan, a.rowspan)) } else { None };
                self.sink.open(sink, tag, spans.unwrap_or((None, None)))?;
            }
        }
        if push {
            self.push(e);
        } else if emits {
            if tag == Tag::Table {
                if e.up == 0 {
                    self.sink.table_done(e.sink, e.foster)?;
                }
            } else {
                self.sink.close(sink, tag);
            }
        }
        Ok(self.serial)
    }

    fn insert_html(&mut self, name: u32, push: bool) -> Result<u32, Stop> {
        let attrs = self.tok.attrs;
        self.insert(name, Ns::Html, Some(attrs), push)
    }

    fn insert_phantom(&mut self, name: u32) -> Result<(), Stop> {
        self.insert(name, Ns::Html, None, true).map(|_| ())
    }

    fn text(&mut self, raw: &'a str, refs: bool) -> Result<(), Stop> {
        let (sink, hidden) = self.place();
        if hidden || raw.is_empty() {
            return Ok(());
        }
        if refs {
            let mut s = std::mem::take(&mut self.scratch);
            s.clear();
            decode_into(&mut s, raw, false);
            let r = self.sink.text(sink, &s);
            self.scratch = s;
            r
        } else {
            self.sink.text(sink, raw)
        }
    }

    /// An element whose content the tokenizer reads as raw text.
    fn raw_element(&mut self, name: u32, state: State) -> Result<(), Stop> {
        self.insert_html(name, true)?;
        self.tok.raw(state);
        self.orig_mode = self.mode;
        self.mode = Mode::Text;
        Ok(())
    }

    fn flush_pending(&mut self) -> Result<(), Stop> {
        self.pending_active = false;
        let text = std::mem::take(&mut self.pending);
        if text.bytes().any(|c| !c.is_ascii_whitespace()) {
            self.frameset_ok = false;
            self.foster_parenting = true;
            let (sink, hidden) = self.place();
            self.foster_parenting = false;
            if !hidden {
                self.sink.text(sink, &text)?;
            }
        }
        // Whitespace alone stays in the table, where the reader ignores it.
        let mut text = text;
        text.clear();
        self.pending = text;
        Ok(())
    }

    fn reset_mode(&mut self) -> Result<(), Stop> {
        for k in (0..self.stack.len()).rev() {
            self.step()?;
            let e = self.stack[k];
            let last = k == 0;
            if e.ns != Ns::Html {
                continue;
            }
            let m = match e.name {
                TD | TH if !last => Mode::InCell,
                TR => Mode::InRow,
                TBODY | THEAD | TFOOT => Mode::InTableBody,
                CAPTION => Mode::InCaption,
                COLGROUP => Mode::InColumnGroup,
                TABLE => Mode::InTable,
                TEMPLATE => *self.template_modes.last().unwrap_or(&Mode::InBody),
                HEAD if !last => Mode::InHead,
                BODY => Mode::InBody,
                FRAMESET => Mode::InFrameset,
                HTML => {
                    if self.head_seen {
                        Mode::AfterHead
                    } else {
                        Mode::BeforeHead
                    }
                }
                _ => continue,
            };
            self.mode = m;
            return Ok(());
        }
        self.mode = Mode::InBody;
        Ok(())
    }

    // ------------------------------------------------------------ dispatch

    fn is_foreign(&self, tk: Tk) -> bool {
        let Some(cur) = self.stack.last() else { return false };
        if cur.ns == Ns::Html || matches!(tk, Tk::Eof) {
            return false;
        }
        if cur.set & MATH_TEXT != 0 {
            match tk {
                Tk::Text(..) => return false,
                Tk::Start(n, _) if n != MGLYPH && n != MALIGNMARK => return false,
                _ => {}
            }
        }
        if cur.set & SVG_HTML != 0 && matches!(tk, Tk::Text(..) | Tk::Start(..)) {
            return false;
        }
        if cur.ns == Ns::Math && cur.name == ANNOTATION_XML && matches!(tk, Tk::Start(SVG, _)) {
            return false;
        }
        true
    }

    fn dispatch(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        self.tok.cdata = false;
        let r = if self.is_foreign(tk) { self.foreign(tk) } else { self.rules(self.mode, tk) };
        self.tok.cdata = self.stack.last().is_some_and(|e| e.ns != Ns::Html);
        r
    }

    fn rules(&mut self, mode: Mode, tk: Tk<'a>) -> Result<(), Stop> {
        self.step()?;
        match mode {
            Mode::Initial => match tk {
                Tk::Text(raw, refs) => match skip_ws(raw) {
                    "" => Ok(()),
                    rest => {
                        self.quirks = true;
                        self.mode = Mode::BeforeHtml;
                        self.rules(Mode::BeforeHtml, Tk::Text(rest, refs))
                    }
                },
                Tk::Comment => Ok(()),
                Tk::Doctype(q) => {
                    self.quirks = q;
                    self.mode = Mode::BeforeHtml;
                    Ok(())
                }
                _ => {
                    self.quirks = true;
                    self.mode = Mode::BeforeHtml;
                    self.rules(Mode::BeforeHtml, tk)
                }
            },
            Mode::BeforeHtml => match tk {
                Tk::Doctype(_) | Tk::Comment => Ok(()),
                Tk::Text(raw, refs) => match skip_ws(raw) {
                    "" => Ok(()),
                    rest => self.before_html_else(Tk::Text(rest, refs)),
                },
                Tk::Start(HTML, _) => {
                    let a = self.tok.attrs;
                    self.html_attrs = (a.hidden, a.style.is_some());
                    self.insert(HTML, Ns::Html, Some(a), true)?;
                    self.mode = Mode::BeforeHead;
                    Ok(())
                }
                Tk::End(HEAD | BODY | HTML | BR) => self.before_html_else(tk),
                Tk::End(_) => Ok(()),
                _ => self.before_html_else(tk),
            },
            Mode::BeforeHead => match tk {
                Tk::Text(raw, refs) => match skip_ws(raw) {
                    "" => Ok(()),
                    rest => self.before_head_else(Tk::Text(rest, refs)),
                },
                Tk::Comment | Tk::Doctype(_) => Ok(()),
                Tk::Start(HTML, _) => self.rules(Mode::InBody, tk),
                Tk::Start(HEAD, _) => {
                    self.insert_html(HEAD, true)?;
                    self.head_seen = true;
                    self.mode = Mode::InHead;
                    Ok(())
                }
                Tk::End(HEAD | BODY | HTML | BR) => self.before_head_else(tk),
                Tk::End(_) => Ok(()),
                _ => self.before_head_else(tk),
            },
            Mode::InHead => self.in_head(tk),
            Mode::AfterHead => match tk {
                Tk::Text(raw, refs) => match skip_ws(raw) {
                    "" => Ok(()),
                    rest => self.after_head_else(Tk::Text(rest, refs)),
                },
                Tk::Comment | Tk::Doctype(_) => Ok(()),
                Tk::Start(HTML, _) => self.rules(Mode::InBody, tk),
                Tk::Start(BODY, _) => {
                    let a = self.tok.attrs;
                    self.body_attrs = (a.hidden, a.style.is_some());
                    self.insert_html(BODY, true)?;
                    self.frameset_ok = false;
                    self.mode = Mode::InBody;
                    Ok(())
                }
                Tk::Start(FRAMESET, _) => {
                    self.insert_html(FRAMESET, true)?;
                    self.mode = Mode::InFrameset;
                    Ok(())
                }
                Tk::Start(
                    BASE | BASEFONT | BGSOUND | LINK | META | NOFRAMES | SCRIPT | STYLE | TEMPLATE | TITLE,
                    _,
                ) => {
                    // Into the head, which is hidden.
                    let mut head = self.stack[0];
                    head.name = HEAD;
                    head.set = sets(Ns::Html, HEAD);
                    head.hidden = true;
                    head.emits = false;
                    head.tag = Tag::Hidden;
                    self.push(head);
                    let at = self.stack.len() - 1;
                    self.in_head(tk)?;
                    // The head leaves the stack; what it opened stays.
                    if self.stack.len() > at && self.stack[at].name == HEAD {
                        self.take(at);
                    }
                    Ok(())
                }
                Tk::End(TEMPLATE) => self.in_head(tk),
                Tk::End(BODY | HTML | BR) => self.after_head_else(tk),
                Tk::Start(HEAD, _) | Tk::End(_) => Ok(()),
                _ => self.after_head_else(tk),
            },
            Mode::InBody => self.in_body(tk),
            Mode::Text => match tk {
                Tk::Text(raw, refs) => self.text(raw, refs),
                Tk::Eof => {
                    self.pop()?;
                    self.mode = self.orig_mode;
                    self.rules(self.mode, tk)
                }
                Tk::End(_) => {
                    self.pop()?;
                    self.mode = self.orig_mode;
                    Ok(())
                }
                _ => Ok(()),
            },
            Mode::InTable => self.in_table(tk),
            Mode::InCaption => match tk {
                Tk::Start(CAPTION | COL | COLGROUP | TBODY | TD | TFOOT | TH | THEAD | TR, _)
                | Tk::End(TABLE | CAPTION) => {
                    if self.in_table_scope(CAPTION)? {
                        self.implied_end(CURSORY, None)?;
                        self.pop_until_named(CAPTION)?;
                        self.mode = Mode::InTable;
                        if matches!(tk, Tk::End(CAPTION)) { Ok(()) } else { self.rules(Mode::InTable, tk) }
                    } else {
                        Ok(())
                    }
                }
                Tk::End(BODY | COL | COLGROUP | HTML | TBODY | TD | TFOOT | TH | THEAD | TR) => Ok(()),
                _ => self.in_body(tk),
            },
            Mode::InColumnGroup => match tk {
                Tk::Text(raw, refs) => match skip_ws(raw) {
                    "" => Ok(()),
                    rest => self.colgroup_else(Tk::Text(rest, refs)),
                },
                Tk::Comment | Tk::Doctype(_) => Ok(()),
                Tk::Start(HTML, _) => self.in_body(tk),
                Tk::Start(COL, _) => self.insert_html(COL, false).map(|_| ()),
                Tk::End(COLGROUP) => {
                    if self.cur_is(COLGROUP) {
                        self.pop()?;
                        self.mode = Mode::InTable;
                    }
                    Ok(())
                }
                Tk::End(COL) => Ok(()),
                Tk::Start(TEMPLATE, _) | Tk::End(TEMPLATE) => self.in_head(tk),
                Tk::Eof => self.in_body(tk),
                _ => self.colgroup_else(tk),
            },
            Mode::InTableBody => match tk {
                Tk::Start(TR, _) => {
                    self.pop_until_current(TBODY_CTX)?;
                    self.insert_html(TR, true)?;
                    self.mode = Mode::InRow;
                    Ok(())
                }
                Tk::Start(TH | TD, _) => {
                    self.pop_until_current(TBODY_CTX)?;
                    self.insert_phantom(TR)?;
                    self.mode = Mode::InRow;
                    self.rules(Mode::InRow, tk)
                }
                Tk::End(n @ (TBODY | TFOOT | THEAD)) => {
                    if self.in_table_scope(n)? {
                        self.pop_until_current(TBODY_CTX)?;
                        self.pop()?;
                        self.mode = Mode::InTable;
                    }
                    Ok(())
                }
                Tk::Start(CAPTION | COL | COLGROUP | TBODY | TFOOT | THEAD, _) | Tk::End(TABLE) => {
                    if self.in_scope_by(TABLE_SCOPE, |e| matches!(e.name, TABLE | TBODY | TFOOT))? {
                        self.pop_until_current(TBODY_CTX)?;
                        self.pop()?;
                        self.mode = Mode::InTable;
                        self.rules(Mode::InTable, tk)
                    } else {
                        Ok(())
                    }
                }
                Tk::End(BODY | CAPTION | COL | COLGROUP | HTML | TD | TH | TR) => Ok(()),
                _ => self.in_table(tk),
            },
            Mode::InRow => match tk {
                Tk::Start(n @ (TH | TD), _) => {
                    self.pop_until_current(TR_CTX)?;
                    self.insert_html(n, true)?;
                    self.mode = Mode::InCell;
                    Ok(())
                }
                Tk::End(TR) => {
                    if self.in_table_scope(TR)? {
                        self.pop_until_current(TR_CTX)?;
                        self.pop()?;
                        self.mode = Mode::InTableBody;
                    }
                    Ok(())
                }
                Tk::Start(CAPTION | COL | COLGROUP | TBODY | TFOOT | THEAD | TR, _) | Tk::End(TABLE) => {
                    if self.in_table_scope(TR)? {
                        self.pop_until_current(TR_CTX)?;
                        self.pop()?;
                        self.mode = Mode::InTableBody;
                        self.rules(Mode::InTableBody, tk)
                    } else {
                        Ok(())
                    }
                }
                Tk::End(n @ (TBODY | TFOOT | THEAD)) => {
                    if self.in_table_scope(n)? && self.in_table_scope(TR)? {
                        self.pop_until_current(TR_CTX)?;
                        self.pop()?;
                        self.mode = Mode::InTableBody;
                        self.rules(Mode::InTableBody, tk)
                    } else {
                        Ok(())
                    }
                }
                Tk::End(BODY | CAPTION | COL | COLGROUP | HTML | TD | TH) => Ok(()),
                _ => self.in_table(tk),
            },
            Mode::InCell => match tk {
                Tk::End(n @ (TD | TH)) => {
                    if self.in_table_scope(n)? {
                        self.implied_end(CURSORY, None)?;
                        self.pop_until_named(n)?;
                        self.mode = Mode::InRow;
                    }
                    Ok(())
                }
                Tk::Start(CAPTION | COL | COLGROUP | TBODY | TD | TFOOT | TH | THEAD | TR, _) => {
                    if self.in_scope_by(TABLE_SCOPE, |e| e.set & TD_TH != 0)? {
                        self.close_cell()?;
                        self.rules(Mode::InRow, tk)
                    } else {
                        Ok(())
                    }
                }
                Tk::End(BODY | CAPTION | COL | COLGROUP | HTML) => Ok(()),
                Tk::End(n @ (TABLE | TBODY | TFOOT | THEAD | TR)) => {
                    if self.in_table_scope(n)? {
                        self.close_cell()?;
                        self.rules(Mode::InRow, tk)
                    } else {
                        Ok(())
                    }
                }
                _ => self.in_body(tk),
            },
            Mode::InTemplate => match tk {
                Tk::Text(..) | Tk::Comment | Tk::Doctype(_) => self.in_body(tk),
                Tk::Start(
                    BASE | BASEFONT | BGSOUND | LINK | META | NOFRAMES | SCRIPT | STYLE | TEMPLATE | TITLE,
                    _,
                )
                | Tk::End(TEMPLATE) => self.in_head(tk),
                Tk::Start(CAPTION | COLGROUP | TBODY | TFOOT | THEAD, _) => self.template_switch(Mode::InTable, tk),
                Tk::Start(COL, _) => self.template_switch(Mode::InColumnGroup, tk),
                Tk::Start(TR, _) => self.template_switch(Mode::InTableBody, tk),
                Tk::Start(TD | TH, _) => self.template_switch(Mode::InRow, tk),
                Tk::Eof => {
                    if !self.has_open(TEMPLATE)? {
                        return Ok(());
                    }
                    self.pop_until_named(TEMPLATE)?;
                    self.template_modes.pop();
                    self.reset_mode()?;
                    self.rules(self.mode, tk)
                }
                Tk::Start(..) => self.template_switch(Mode::InBody, tk),
                Tk::End(_) => Ok(()),
            },
            Mode::AfterBody => match tk {
                Tk::Comment | Tk::Doctype(_) => Ok(()),
                Tk::Start(HTML, _) => self.in_body(tk),
                Tk::End(HTML) => {
                    self.mode = Mode::AfterAfterBody;
                    Ok(())
                }
                Tk::Eof => Ok(()),
                Tk::Text(raw, _) if skip_ws(raw).is_empty() => self.in_body(tk),
                _ => {
                    self.mode = Mode::InBody;
                    self.in_body(tk)
                }
            },
            Mode::InFrameset => match tk {
                Tk::Start(HTML, _) => self.in_body(tk),
                Tk::Start(FRAMESET, _) => self.insert_html(FRAMESET, true).map(|_| ()),
                Tk::End(FRAMESET) => {
                    if self.stack.len() > 1 {
                        self.pop()?;
                        if !self.cur_is(FRAMESET) {
                            self.mode = Mode::AfterFrameset;
                        }
                    }
                    Ok(())
                }
                Tk::Start(FRAME, _) => self.insert_html(FRAME, false).map(|_| ()),
                Tk::Start(NOFRAMES, _) => self.in_head(tk),
                _ => Ok(()),
            },
            Mode::AfterFrameset => match tk {
                Tk::Start(HTML, _) => self.in_body(tk),
                Tk::End(HTML) => {
                    self.mode = Mode::AfterAfterFrameset;
                    Ok(())
                }
                Tk::Start(NOFRAMES, _) => self.in_head(tk),
                _ => Ok(()),
            },
            Mode::AfterAfterBody => match tk {
                Tk::Comment | Tk::Doctype(_) | Tk::Eof => Ok(()),
                Tk::Start(HTML, _) => self.in_body(tk),
                Tk::Text(raw, _) if skip_ws(raw).is_empty() => self.in_body(tk),
                _ => {
                    self.mode = Mode::InBody;
                    self.in_body(tk)
                }
            },
            Mode::AfterAfterFrameset => match tk {
                Tk::Start(HTML, _) => self.in_body(tk),
                Tk::Start(NOFRAMES, _) => self.in_head(tk),
                _ => Ok(()),
            },
        }
    }

    fn template_switch(&mut self, mode: Mode, tk: Tk<'a>) -> Result<(), Stop> {
        self.template_modes.pop();
        self.template_modes.push(mode);
        self.mode = mode;
        self.rules(mode, tk)
    }

    fn before_html_else(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        self.insert(HTML, Ns::Html, None, true)?;
        self.mode = Mode::BeforeHead;
        self.rules(Mode::BeforeHead, tk)
    }

    fn before_head_else(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        self.insert_phantom(HEAD)?;
        self.head_seen = true;
        self.mode = Mode::InHead;
        self.rules(Mode::InHead, tk)
    }

    fn after_head_else(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        self.insert_phantom(BODY)?;
        self.mode = Mode::InBody;
        self.rules(Mode::InBody, tk)
    }

    fn colgroup_else(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        if self.cur_is(COLGROUP) {
            self.pop()?;
            self.mode = Mode::InTable;
            self.rules(Mode::InTable, tk)
        } else {
            Ok(())
        }
    }

    fn in_head(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        match tk {
            Tk::Text(raw, refs) => match skip_ws(raw) {
                "" => Ok(()),
                rest => {
                    self.pop()?;
                    self.mode = Mode::AfterHead;
                    self.rules(Mode::AfterHead, Tk::Text(rest, refs))
                }
            },
            Tk::Comment | Tk::Doctype(_) => Ok(()),
            Tk::Start(HTML, _) => self.in_body(tk),
            Tk::Start(n @ (BASE | BASEFONT | BGSOUND | LINK | META), _) => self.insert_html(n, false).map(|_| ()),
            Tk::Start(TITLE, _) => self.raw_element(TITLE, State::Rcdata("title")),
            Tk::Start(NOFRAMES, _) => self.raw_element(NOFRAMES, State::Rawtext("noframes")),
            Tk::Start(STYLE, _) => self.raw_element(STYLE, State::Rawtext("style")),
            Tk::Start(NOSCRIPT, _) => self.raw_element(NOSCRIPT, State::Rawtext("noscript")),
            Tk::Start(SCRIPT, _) => self.raw_element(SCRIPT, State::Script),
            Tk::End(HEAD) => {
                self.pop()?;
                self.mode = Mode::AfterHead;
                Ok(())
            }
            Tk::End(BODY | HTML | BR) => {
                self.pop()?;
                self.mode = Mode::AfterHead;
                self.rules(Mode::AfterHead, tk)
            }
            Tk::Start(TEMPLATE, _) => {
                self.insert_html(TEMPLATE, true)?;
                self.frameset_ok = false;
                self.mode = Mode::InTemplate;
                self.template_modes.push(Mode::InTemplate);
                Ok(())
            }
            Tk::End(TEMPLATE) => {
                if self.has_open(TEMPLATE)? {
                    self.implied_end(THOROUGH, None)?;
                    self.pop_until_named(TEMPLATE)?;
                    self.template_modes.pop();
                    self.reset_mode()?;
                }
                Ok(())
            }
            Tk::Start(HEAD, _) | Tk::End(_) => Ok(()),
            _ => {
                self.pop()?;
                self.mode = Mode::AfterHead;
                self.rules(Mode::AfterHead, tk)
            }
        }
    }

    fn in_table(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        match tk {
            Tk::Text(raw, refs) => {
                if self.cur_in(FOSTER) {
                    self.pending_active = true;
                    if refs {
                        decode_into(&mut self.pending, raw, false);
                    } else {
                        self.pending.push_str(raw);
                    }
                    Ok(())
                } else {
                    self.foster_in_body(tk)
                }
            }
            Tk::Comment | Tk::Doctype(_) => Ok(()),
            Tk::Start(CAPTION, _) => {
                self.pop_until_current(TABLE_SCOPE)?;
                self.insert_html(CAPTION, true)?;
                self.mode = Mode::InCaption;
                Ok(())
            }
            Tk::Start(COLGROUP, _) => {
                self.pop_until_current(TABLE_SCOPE)?;
                self.insert_html(COLGROUP, true)?;
                self.mode = Mode::InColumnGroup;
                Ok(())
            }
            Tk::Start(COL, _) => {
                self.pop_until_current(TABLE_SCOPE)?;
                self.insert_phantom(COLGROUP)?;
                self.mode = Mode::InColumnGroup;
                self.rules(Mode::InColumnGroup, tk)
            }
            Tk::Start(n @ (TBODY | TFOOT | THEAD), _) => {
                self.pop_until_current(TABLE_SCOPE)?;
                self.insert_html(n, true)?;
                self.mode = Mode::InTableBody;
                Ok(())
            }
            Tk::Start(TD | TH | TR, _) => {
                self.pop_until_current(TABLE_SCOPE)?;
                self.insert_phantom(TBODY)?;
                self.mode = Mode::InTableBody;
                self.rules(Mode::InTableBody, tk)
            }
            Tk::Start(TABLE, _) => {
                if self.in_table_scope(TABLE)? {
                    self.pop_until_named(TABLE)?;
                    self.reset_mode()?;
                    self.rules(self.mode, tk)
                } else {
                    Ok(())
                }
            }
            Tk::End(TABLE) => {
                if self.in_table_scope(TABLE)? {
                    self.pop_until_named(TABLE)?;
                    self.reset_mode()?;
                }
                Ok(())
            }
            Tk::End(BODY | CAPTION | COL | COLGROUP | HTML | TBODY | TD | TFOOT | TH | THEAD | TR) => Ok(()),
            Tk::Start(STYLE | SCRIPT | TEMPLATE, _) | Tk::End(TEMPLATE) => self.in_head(tk),
            // Hidden or not, an input shows no text.
            Tk::Start(INPUT, _) => Ok(()),
            Tk::Start(FORM, _) => {
                if self.form.is_none() && !self.has_open(TEMPLATE)? {
                    self.form = Some(self.insert_html(FORM, false)?);
                }
                Ok(())
            }
            Tk::Eof => self.in_body(tk),
            _ => self.foster_in_body(tk),
        }
    }

    fn foster_in_body(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        self.foster_parenting = true;
        let r = self.in_body(tk);
        self.foster_parenting = false;
        r
    }

    fn close_cell(&mut self) -> Result<(), Stop> {
        self.implied_end(CURSORY, None)?;
        self.pop_until(|e| e.set & TD_TH != 0)?;
        self.mode = Mode::InRow;
        Ok(())
    }

    /// Attributes of a later `<html>`/`<body>` tag are added where missing;
    /// if that hides the element, the page shows nothing.
    fn merge_hides(&mut self, had: (bool, bool)) -> (bool, bool) {
        let a = self.tok.attrs;
        let hides = (!had.0 && a.hidden) || (!had.1 && a.style.is_some_and(|s| super::style_hides(&s.get())));
        if hides {
            self.hidden_late = true;
        }
        (had.0 || a.hidden, had.1 || a.style.is_some())
    }

    fn in_body(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        match tk {
            Tk::Text(raw, refs) => {
                if self.frameset_ok && !skip_ws(raw).is_empty() {
                    self.frameset_ok = false;
                }
                self.text(raw, refs)
            }
            Tk::Comment | Tk::Doctype(_) => Ok(()),
            Tk::Start(HTML, _) => {
                if !self.has_open(TEMPLATE)? {
                    self.html_attrs = self.merge_hides(self.html_attrs);
                }
                Ok(())
            }
            Tk::Start(BASE | BASEFONT | BGSOUND | LINK | META | NOFRAMES | SCRIPT | STYLE | TEMPLATE | TITLE, _)
            | Tk::End(TEMPLATE) => self.in_head(tk),
            Tk::Start(BODY, _) => {
                if self.stack.len() > 1 && self.stack[1].is(BODY) && !self.has_open(TEMPLATE)? {
                    self.frameset_ok = false;
                    self.body_attrs = self.merge_hides(self.body_attrs);
                }
                Ok(())
            }
            Tk::Start(FRAMESET, _) => {
                if !self.frameset_ok || self.stack.len() < 2 || !self.stack[1].is(BODY) {
                    return Ok(());
                }
                while self.stack.len() > 1 {
                    self.pop()?;
                }
                self.insert_html(FRAMESET, true)?;
                self.mode = Mode::InFrameset;
                Ok(())
            }
            Tk::Eof => {
                if !self.template_modes.is_empty() {
                    return self.rules(Mode::InTemplate, tk);
                }
                Ok(())
            }
            Tk::End(BODY) => {
                if self.in_scope(BODY)? {
                    self.mode = Mode::AfterBody;
                }
                Ok(())
            }
            Tk::End(HTML) => {
                if self.in_scope(BODY)? {
                    self.mode = Mode::AfterBody;
                    return self.rules(Mode::AfterBody, tk);
                }
                Ok(())
            }
            Tk::Start(
                n @ (ADDRESS | ARTICLE | ASIDE | BLOCKQUOTE | CENTER | DETAILS | DIALOG | DIR | DIV | DL | FIELDSET
                | FIGCAPTION | FIGURE | FOOTER | HEADER | HGROUP | MAIN | NAV | OL | P | SEARCH | SECTION
                | SUMMARY | UL | MENU),
                _,
            ) => {
                self.close_p_in_button_scope()?;
                self.insert_html(n, true).map(|_| ())
            }
            Tk::Start(n @ (H1 | H2 | H3 | H4 | H5 | H6), _) => {
                self.close_p_in_button_scope()?;
                if self.cur_in(HEADING) {
                    self.pop()?;
                }
                self.insert_html(n, true).map(|_| ())
            }
            Tk::Start(n @ (PRE | LISTING), _) => {
                self.close_p_in_button_scope()?;
                self.insert_html(n, true)?;
                self.ignore_lf = true;
                self.frameset_ok = false;
                Ok(())
            }
            Tk::Start(FORM, _) => {
                let in_template = self.has_open(TEMPLATE)?;
                if self.form.is_some() && !in_template {
                    return Ok(());
                }
                self.close_p_in_button_scope()?;
                let serial = self.insert_html(FORM, true)?;
                if !in_template {
                    self.form = Some(serial);
                }
                Ok(())
            }
            Tk::Start(n @ (LI | DD | DT), _) => {
                self.frameset_ok = false;
                let mut close = None;
                let any = if n == LI { self.any_open(LI) } else { self.any_open(DD) || self.any_open(DT) };
                for k in (0..if any { self.stack.len() } else { 0 }).rev() {
                    self.step()?;
                    let e = &self.stack[k];
                    if e.ns == Ns::Html {
                        let hit = if n == LI { e.name == LI } else { matches!(e.name, DD | DT) };
                        if hit {
                            close = Some(e.name);
                            break;
                        }
                        if e.set & SPECIAL != 0 && e.set & ADP == 0 {
                            break;
                        }
                    }
                }
                if let Some(c) = close {
                    self.implied_end(CURSORY, Some(c))?;
                    self.pop_until_named(c)?;
                }
                self.close_p_in_button_scope()?;
                self.insert_html(n, true).map(|_| ())
            }
            Tk::Start(PLAINTEXT, _) => {
                self.close_p_in_button_scope()?;
                self.insert_html(PLAINTEXT, true)?;
                self.tok.raw(State::Plaintext);
                Ok(())
            }
            Tk::Start(BUTTON, _) => {
                if self.in_scope(BUTTON)? {
                    self.implied_end(CURSORY, None)?;
                    self.pop_until_named(BUTTON)?;
                }
                self.insert_html(BUTTON, true)?;
                self.frameset_ok = false;
                Ok(())
            }
            Tk::End(
                n @ (ADDRESS | ARTICLE | ASIDE | BLOCKQUOTE | BUTTON | CENTER | DETAILS | DIALOG | DIR | DIV | DL
                | FIELDSET | FIGCAPTION | FIGURE | FOOTER | HEADER | HGROUP | LISTING | MAIN | MENU | NAV | OL
                | PRE | SEARCH | SECTION | SELECT | SUMMARY | UL),
            ) => {
                if self.in_scope(n)? {
                    self.implied_end(CURSORY, None)?;
                    self.pop_until_named(n)?;
                }
                Ok(())
            }
            Tk::End(FORM) => {
                if !self.has_open(TEMPLATE)? {
                    let Some(serial) = self.form.take() else { return Ok(()) };
                    let mut at = None;
                    for k in (0..self.stack.len()).rev() {
                        self.step()?;
                        let e = &self.stack[k];
                        if e.serial == serial {
                            at = Some(k);
                            break;
                        }
                        if e.set & SCOPE != 0 {
                            break;
                        }
                    }
                    let Some(k) = at else { return Ok(()) };
                    self.implied_end(CURSORY, None)?;
                    let k = k.min(self.stack.len() - 1);
                    if self.stack[k].serial == serial {
                        self.remove_at(k)?;
                    }
                } else if self.in_scope(FORM)? {
                    self.implied_end(CURSORY, None)?;
                    self.pop_until_named(FORM)?;
                }
                Ok(())
            }
            Tk::End(P) => {
                if !self.in_button_scope(P)? {
                    self.insert_phantom(P)?;
                }
                self.close_p()
            }
            Tk::End(n @ LI) => {
                if self.in_scope_by(SCOPE | LIST_SCOPE, |e| e.name == n)? {
                    self.implied_end(CURSORY, Some(n))?;
                    self.pop_until_named(n)?;
                }
                Ok(())
            }
            Tk::End(n @ (DD | DT)) => {
                if self.in_scope(n)? {
                    self.implied_end(CURSORY, Some(n))?;
                    self.pop_until_named(n)?;
                }
                Ok(())
            }
            Tk::End(H1 | H2 | H3 | H4 | H5 | H6) => {
                if self.in_scope_by(SCOPE, |e| e.set & HEADING != 0)? {
                    self.implied_end(CURSORY, None)?;
                    self.pop_until(|e| e.set & HEADING != 0)?;
                }
                Ok(())
            }
            Tk::Start(n @ (APPLET | MARQUEE | OBJECT), _) => {
                self.insert_html(n, true)?;
                self.frameset_ok = false;
                Ok(())
            }
            Tk::End(n @ (APPLET | MARQUEE | OBJECT)) => {
                if self.in_scope(n)? {
                    self.implied_end(CURSORY, None)?;
                    self.pop_until_named(n)?;
                }
                Ok(())
            }
            Tk::Start(TABLE, _) => {
                if !self.quirks {
                    self.close_p_in_button_scope()?;
                }
                self.insert_html(TABLE, true)?;
                self.frameset_ok = false;
                self.mode = Mode::InTable;
                Ok(())
            }
            Tk::End(BR) => {
                self.insert(BR, Ns::Html, None, false)?;
                self.frameset_ok = false;
                Ok(())
            }
            Tk::Start(n @ (AREA | BR | EMBED | IMG | KEYGEN | WBR), _) => {
                self.insert_html(n, false)?;
                self.frameset_ok = false;
                Ok(())
            }
            Tk::Start(INPUT, _) => {
                if self.in_scope(SELECT)? {
                    self.pop_until_named(SELECT)?;
                }
                self.insert_html(INPUT, false)?;
                self.frameset_ok = false;
                Ok(())
            }
            Tk::Start(n @ (PARAM | SOURCE | TRACK), _) => self.insert_html(n, false).map(|_| ()),
            Tk::Start(HR, _) => {
                self.close_p_in_button_scope()?;
                if self.in_scope(SELECT)? {
                    self.implied_end(CURSORY, None)?;
                }
                self.insert_html(HR, false)?;
                self.frameset_ok = false;
                Ok(())
            }
            Tk::Start(IMAGE, sc) => self.in_body(Tk::Start(IMG, sc)),
            Tk::Start(TEXTAREA, _) => {
                self.ignore_lf = true;
                self.frameset_ok = false;
                self.raw_element(TEXTAREA, State::Rcdata("textarea"))
            }
            Tk::Start(XMP, _) => {
                self.close_p_in_button_scope()?;
                self.frameset_ok = false;
                self.raw_element(XMP, State::Rawtext("xmp"))
            }
            Tk::Start(IFRAME, _) => {
                self.frameset_ok = false;
                self.raw_element(IFRAME, State::Rawtext("iframe"))
            }
            Tk::Start(NOEMBED, _) => self.raw_element(NOEMBED, State::Rawtext("noembed")),
            Tk::Start(NOSCRIPT, _) => self.raw_element(NOSCRIPT, State::Rawtext("noscript")),
            Tk::Start(SELECT, _) => {
                if self.in_scope(SELECT)? {
                    self.pop_until_named(SELECT)?;
                } else {
                    self.insert_html(SELECT, true)?;
                    self.frameset_ok = false;
                }
                Ok(())
            }
            Tk::Start(OPTION, _) => {
                if self.in_scope(SELECT)? {
                    self.implied_end(CURSORY, Some(OPTGROUP))?;
                } else if self.cur_is(OPTION) {
                    self.pop()?;
                }
                self.insert_html(OPTION, true).map(|_| ())
            }
            Tk::Start(OPTGROUP, _) => {
                if self.in_scope(SELECT)? {
                    self.implied_end(CURSORY, None)?;
                } else if self.cur_is(OPTION) {
                    self.pop()?;
                }
                self.insert_html(OPTGROUP, true).map(|_| ())
            }
            Tk::Start(n @ (RB | RTC), _) => {
                if self.in_scope(RUBY)? {
                    self.implied_end(CURSORY, None)?;
                }
                self.insert_html(n, true).map(|_| ())
            }
            Tk::Start(n @ (RP | RT), _) => {
                if self.in_scope(RUBY)? {
                    self.implied_end(CURSORY, Some(RTC))?;
                }
                self.insert_html(n, true).map(|_| ())
            }
            Tk::Start(MATH, sc) => self.insert_foreign(MATH, Ns::Math, sc),
            Tk::Start(SVG, sc) => self.insert_foreign(SVG, Ns::Svg, sc),
            Tk::Start(CAPTION | COL | COLGROUP | FRAME | HEAD | TBODY | TD | TFOOT | TH | THEAD | TR, _) => Ok(()),
            Tk::Start(n, _) => self.insert_html(n, true).map(|_| ()),
            Tk::End(n) => self.end_tag_in_body(n),
        }
    }

    /// "Any other end tag": close the nearest open element of that name,
    /// unless a special element (a block, a table part, …) comes first.
    fn end_tag_in_body(&mut self, name: u32) -> Result<(), Stop> {
        let mut at = None;
        for k in (0..self.stack.len()).rev() {
            self.step()?;
            let e = &self.stack[k];
            if e.is(name) {
                at = Some(k);
                break;
            }
            if e.ns == Ns::Html && e.set & SPECIAL != 0 {
                return Ok(());
            }
        }
        let Some(k) = at else { return Ok(()) };
        self.implied_end(CURSORY, Some(name))?;
        while self.stack.len() > k {
            self.pop()?;
        }
        Ok(())
    }

    fn insert_foreign(&mut self, name: u32, ns: Ns, self_closing: bool) -> Result<(), Stop> {
        let attrs = self.tok.attrs;
        self.insert(name, ns, Some(attrs), !self_closing).map(|_| ())
    }

    /// The rules for SVG and MathML content.
    fn foreign(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        self.step()?;
        match tk {
            Tk::Text(raw, refs) => {
                if !skip_ws(raw).is_empty() {
                    self.frameset_ok = false;
                }
                self.text(raw, refs)
            }
            Tk::Comment | Tk::Doctype(_) | Tk::Eof => Ok(()),
            Tk::Start(
                B | BIG | BLOCKQUOTE | BODY | BR | CENTER | CODE | DD | DIV | DL | DT | EM | EMBED | H1 | H2 | H3 | H4
                | H5 | H6 | HEAD | HR | I | IMG | LI | LISTING | MENU | META | NOBR | OL | P | PRE | RUBY | S | SMALL
                | SPAN | STRONG | STRIKE | SUB | SUP | TABLE | TT | U | UL | VAR,
                _,
            )
            | Tk::End(BR | P) => self.break_out(tk),
            Tk::Start(FONT, _) if self.tok.attrs.font_look => self.break_out(tk),
            Tk::Start(n, sc) => {
                let ns = self.cur().ns;
                self.insert_foreign(n, ns, sc)
            }
            Tk::End(end) => {
                let mut k = self.stack.len() - 1;
                let mut first = true;
                loop {
                    self.step()?;
                    if k == 0 {
                        return Ok(());
                    }
                    let e = self.stack[k];
                    if !first && e.ns == Ns::Html {
                        return self.rules(self.mode, tk);
                    }
                    if e.name == end {
                        while self.stack.len() > k {
                            self.pop()?;
                        }
                        return Ok(());
                    }
                    first = false;
                    k -= 1;
                }
            }
        }
    }

    fn break_out(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        while let Some(e) = self.stack.last() {
            if e.ns == Ns::Html || e.set & (MATH_TEXT | SVG_HTML) != 0 {
                break;
            }
            self.pop()?;
        }
        self.rules(self.mode, tk)
    }
}

/// The text after its leading ASCII whitespace.
fn skip_ws(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_ascii_whitespace())
}
