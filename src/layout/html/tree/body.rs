//! The "in body" insertion mode, the end tags it closes, and the rules for
//! foreign (SVG and MathML) content, with the breakout of an HTML tag from
//! it.
//!
//! It owns what a token does in the body and in foreign content; it knows
//! nothing of the table modes ([`super::modes`]) or of how the stack keeps
//! its counts ([`super::stack`]).

use super::names::*;
use super::{Mode, Stop, Tk, Tree, skip_ws};
use crate::layout::html::tokenizer::State;

impl<'a> Tree<'a> {
    pub(super) fn in_body(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
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
    pub(super) fn foreign(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
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
