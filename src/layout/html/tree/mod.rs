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
//!
//! The rules are split by what they do: [`names`] the element names and the
//! sets they belong to, [`stack`] the stack of open elements (scopes,
//! insertion, implied end tags, foster parenting), [`modes`] the insertion
//! modes other than "in body", [`body`] "in body" and foreign content.

mod body;
mod modes;
mod names;
mod stack;

use super::tokenizer::{Token, Tokenizer};
use super::{Limit, Sink, Tag};
use names::{NAMES, Ns, known};
use rustc_hash::FxHashMap;

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
}

/// The text after its leading ASCII whitespace.
fn skip_ws(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_ascii_whitespace())
}
