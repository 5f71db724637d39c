//! The insertion modes other than "in body": before and in `<head>`, the
//! table modes (in table, caption, column group, table body, row, cell, with
//! foster parenting of what a table may not hold), template, after body,
//! frameset, and the text mode of raw-text elements.
//!
//! It owns what each of these modes does with each token; it hands "in body"
//! tokens to [`super::body`] and knows nothing of how the stack keeps its
//! counts ([`super::stack`]).

use super::names::*;
use super::{Mode, Stop, Tk, Tree, skip_ws};
use crate::layout::html::tokenizer::{State, decode_into};
use crate::layout::html::{Tag, style_hides};

impl<'a> Tree<'a> {
    pub(super) fn rules(&mut self, mode: Mode, tk: Tk<'a>) -> Result<(), Stop> {
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

    pub(super) fn in_head(&mut self, tk: Tk<'a>) -> Result<(), Stop> {
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
    pub(super) fn merge_hides(&mut self, had: (bool, bool)) -> (bool, bool) {
        let a = self.tok.attrs;
        let hides = (!had.0 && a.hidden) || (!had.1 && a.style.is_some_and(|s| style_hides(&s.get())));
        if hides {
            self.hidden_late = true;
        }
        (had.0 || a.hidden, had.1 || a.style.is_some())
    }
}
