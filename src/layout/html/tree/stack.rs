//! The stack of open elements: scope checks (counted against the work
//! budget), pushing and popping with the events they send the sink, implied
//! end tags, where an element is inserted (foster parenting out of a table),
//! text, raw-text elements, table text waiting to be flushed, resetting the
//! insertion mode, and the dispatch between HTML and foreign rules.
//!
//! It owns the stack's invariants (the count of open elements per name, the
//! detached elements, what is hidden); it knows nothing of which token does
//! what in which mode ([`super::modes`], [`super::body`]).

use super::names::*;
use super::{Entry, Mode, Stop, Tk, Tree};
use crate::layout::html::tokenizer::{Attrs, State, decode_into};
use crate::layout::html::{Limit, MAX_DEPTH, Tag, attrs_hide};

impl<'a> Tree<'a> {
    pub(super) fn cur(&self) -> &Entry {
        self.stack.last().expect("an open element")
    }

    pub(super) fn cur_is(&self, name: u32) -> bool {
        self.stack.last().is_some_and(|e| e.is(name))
    }

    pub(super) fn cur_in(&self, set: u32) -> bool {
        self.stack.last().is_some_and(|e| e.ns == Ns::Html && e.set & set != 0)
    }

    // ------------------------------------------------------------ scopes

    /// Is an HTML element matching `pred` in the scope bounded by `bound`
    /// (bits of [`sets`])?
    pub(super) fn in_scope_by(&mut self, bound: u32, pred: impl Fn(&Entry) -> bool) -> Result<bool, Stop> {
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

    pub(super) fn in_scope(&mut self, name: u32) -> Result<bool, Stop> {
        if !self.any_open(name) {
            return Ok(false);
        }
        self.in_scope_by(SCOPE, |e| e.name == name)
    }

    pub(super) fn in_button_scope(&mut self, name: u32) -> Result<bool, Stop> {
        if !self.any_open(name) {
            return Ok(false);
        }
        self.in_scope_by(SCOPE | BUTTON_SCOPE, |e| e.name == name)
    }

    pub(super) fn in_table_scope(&mut self, name: u32) -> Result<bool, Stop> {
        if !self.any_open(name) {
            return Ok(false);
        }
        self.in_scope_by(TABLE_SCOPE, |e| e.name == name)
    }

    pub(super) fn has_open(&mut self, name: u32) -> Result<bool, Stop> {
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

    pub(super) fn push(&mut self, e: Entry) {
        if e.ns == Ns::Html
            && let Some(n) = self.open.get_mut(e.name as usize)
        {
            *n += 1;
        }
        self.stack.push(e);
    }

    /// Take the entry at `k` off the stack (counted), without its closing.
    pub(super) fn take(&mut self, k: usize) -> Entry {
        let e = self.stack.remove(k);
        if e.ns == Ns::Html
            && let Some(n) = self.open.get_mut(e.name as usize)
        {
            *n -= 1;
        }
        e
    }

    /// Is an HTML element of this (known) name open at all?
    pub(super) fn any_open(&self, name: u32) -> bool {
        self.open.get(name as usize).is_none_or(|&n| n > 0)
    }

    pub(super) fn pop(&mut self) -> Result<(), Stop> {
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

    pub(super) fn closed(&mut self, e: Entry) -> Result<(), Stop> {
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

    pub(super) fn pop_until(&mut self, pred: impl Fn(&Entry) -> bool) -> Result<(), Stop> {
        while let Some(e) = self.stack.last() {
            let hit = e.ns == Ns::Html && pred(e);
            self.pop()?;
            if hit {
                break;
            }
        }
        Ok(())
    }

    pub(super) fn pop_until_named(&mut self, name: u32) -> Result<(), Stop> {
        self.pop_until(|e| e.name == name)
    }

    /// Pop until the current node is in `set` (or the stack is down to the root).
    pub(super) fn pop_until_current(&mut self, set: u32) -> Result<(), Stop> {
        while self.stack.len() > 1 && !self.cur_in(set) {
            self.pop()?;
        }
        Ok(())
    }

    pub(super) fn implied_end(&mut self, set: u32, except: Option<u32>) -> Result<(), Stop> {
        while let Some(e) = self.stack.last() {
            if e.ns != Ns::Html || e.set & set == 0 || Some(e.name) == except {
                break;
            }
            self.pop()?;
        }
        Ok(())
    }

    pub(super) fn close_p(&mut self) -> Result<(), Stop> {
        self.implied_end(CURSORY, Some(P))?;
        self.pop_until_named(P)
    }

    pub(super) fn close_p_in_button_scope(&mut self) -> Result<(), Stop> {
        if self.in_button_scope(P)? {
            self.close_p()?;
        }
        Ok(())
    }

    /// Take the element at `k` off the stack (`</form>`): in the tree it
    /// still holds the elements open above it, so its end comes with theirs.
    pub(super) fn remove_at(&mut self, k: usize) -> Result<(), Stop> {
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

    pub(super) fn insert(&mut self, name: u32, ns: Ns, attrs: Option<Attrs<'a>>, push: bool) -> Result<u32, Stop> {
        if self.stack.len() >= MAX_DEPTH && push {
            return Err(Limit::Depth);
        }
        let (sink, parent_hidden) = if self.stack.is_empty() { (0, false) } else { self.place() };
        self.sink.element()?;
        let tag = self.tag_of(name);
        let own_hidden = tag == Tag::Hidden || attrs.is_some_and(|a| attrs_hide(&a));
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

    pub(super) fn insert_html(&mut self, name: u32, push: bool) -> Result<u32, Stop> {
        let attrs = self.tok.attrs;
        self.insert(name, Ns::Html, Some(attrs), push)
    }

    pub(super) fn insert_phantom(&mut self, name: u32) -> Result<(), Stop> {
        self.insert(name, Ns::Html, None, true).map(|_| ())
    }

    pub(super) fn text(&mut self, raw: &'a str, refs: bool) -> Result<(), Stop> {
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
    pub(super) fn raw_element(&mut self, name: u32, state: State) -> Result<(), Stop> {
        self.insert_html(name, true)?;
        self.tok.raw(state);
        self.orig_mode = self.mode;
        self.mode = Mode::Text;
        Ok(())
    }

    pub(super) fn flush_pending(&mut self) -> Result<(), Stop> {
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

    pub(super) fn reset_mode(&mut self) -> Result<(), Stop> {
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

    pub(super) fn dispatch(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
        self.tok.cdata = false;
        let r = if self.is_foreign(tk) { self.foreign(tk) } else { self.rules(self.mode, tk) };
        self.tok.cdata = self.stack.last().is_some_and(|e| e.ns != Ns::Html);
        r
    }
}
