//! Where the tree's events go: straight to the [`Builder`] outside tables,
//! into lists of events ([`Ev`], in an arena of text) while a table is open,
//! so that a table is read only when it ends, when it is known whether it is
//! a data table or page layout; and the walk over a kept table's events in
//! document order (what was foster-parented out of it first).
//!
//! It owns the element and text budgets counted as the tree sends; it knows
//! nothing of the tree's rules, nor of what the events become.

use super::builder::{Builder, Scan};
use super::{Budget, Limit, MAX_COLSPAN, MAX_ELEMENTS, MAX_TEXT_BYTES, Tag, tokenizer};

/// What the tree sends the reader, for a table kept until it ends: 12 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ev {
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
pub(super) fn span(v: Option<tokenizer::Value<'_>>, default: usize) -> usize {
    let Some(v) = v else {
        return default;
    };
    let v = v.get();
    let digits: String = v.trim().chars().take_while(char::is_ascii_digit).take(6).collect();
    digits.parse().unwrap_or(default)
}

/// Where the tree's events go: straight to the [`Builder`] outside tables
/// (sink 0), into lists while a table is open.
pub(super) struct Sink {
    lists: Vec<Vec<Ev>>,
    /// The text of listed events.
    arena: String,
    elements: usize,
    text_bytes: usize,
    pub(super) b: Builder,
}

impl Sink {
    pub(super) fn new() -> Sink {
        Sink {
            lists: vec![Vec::new()],
            arena: String::new(),
            elements: 0,
            text_bytes: 0,
            b: Builder { budget: Budget::html(), ..Builder::default() },
        }
    }

    /// Count an element.
    pub(super) fn element(&mut self) -> Result<(), Limit> {
        self.elements += 1;
        if self.elements > MAX_ELEMENTS { Err(Limit::Elements) } else { Ok(()) }
    }

    /// A table opens in `up`: lists for its content and its foster children.
    pub(super) fn open_table(&mut self, up: u32) -> (u32, u32) {
        let body = self.lists.len() as u32;
        self.lists.push(Vec::new());
        self.lists.push(Vec::new());
        if up != 0 {
            self.lists[up as usize].push(Ev::Table { body, foster: body + 1 });
        }
        (body, body + 1)
    }

    pub(super) fn open(
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

    pub(super) fn close(&mut self, sink: u32, tag: Tag) {
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

    pub(super) fn text(&mut self, sink: u32, s: &str) -> Result<(), Limit> {
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
    pub(super) fn table_done(&mut self, body: u32, foster: u32) -> Result<(), Limit> {
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
pub(super) fn walk(
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
