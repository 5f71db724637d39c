//! The HTML tokenizer, over the decoded page (`&str`), borrowing what it can:
//! text runs, tag names and attribute values are slices of the page, and
//! character references are decoded only where a `&` was seen.
//!
//! It follows the WHATWG tokenizer's states where they decide what is text,
//! where a tag ends or what a comment swallows: quoted attribute values (a
//! `>` inside one does not end the tag), `<` that starts no tag, comments
//! (`<!-->`, `--!>`), bogus comments (`<?…>`, `</ …>`), DOCTYPE (its quirks,
//! which decide whether a `<table>` closes an open `<p>`), CDATA sections in
//! SVG/MathML, the raw text of `<title>`/`<textarea>` (references decoded),
//! `<style>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<noscript>`
//! (scripting on, as html5ever's default) and `<script>` (with its escape
//! states: `<!-- document.write("<script></script>") -->` does not end it),
//! and `<plaintext>`. The tree builder switches the raw states, as a
//! browser's does ([`Tokenizer::raw`]).
//!
//! Of attributes it keeps only what the reader uses: the first `hidden`,
//! `style`, `colspan` and `rowspan`, and whether a `<font>` has
//! `color`, `face` or `size` (which ends SVG/MathML content). A later
//! duplicate is dropped, as html5ever drops it. Every step moves forward:
//! the work is linear in the page.

use super::entities::ENTITIES;
use std::borrow::Cow;

/// What the tokenizer reads next, as the tree builder sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Data,
    /// `<title>`, `<textarea>`: text up to the end tag, references decoded.
    Rcdata(&'static str),
    /// `<style>`, `<xmp>`, …: text up to the end tag, as is.
    Rawtext(&'static str),
    /// `<script>`.
    Script,
    /// `<plaintext>`: the rest of the page is text.
    Plaintext,
}

/// A token. Text is a slice of the page, to be decoded when `refs` says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token<'a> {
    Text {
        raw: &'a str,
        refs: bool,
    },
    /// A start tag; its attributes are in [`Tokenizer::attrs`] until the
    /// next call.
    Start {
        name: &'a str,
        self_closing: bool,
    },
    End {
        name: &'a str,
    },
    Comment,
    Doctype {
        quirks: bool,
    },
    Eof,
}

/// An attribute value as written, decoded on demand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Value<'a> {
    pub raw: &'a str,
    pub refs: bool,
}

impl<'a> Value<'a> {
    pub fn get(self) -> Cow<'a, str> {
        if self.refs {
            let mut s = String::new();
            decode_into(&mut s, self.raw, true);
            Cow::Owned(s)
        } else {
            Cow::Borrowed(self.raw)
        }
    }
}

/// The attributes of the last start tag that the reader looks at.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Attrs<'a> {
    pub hidden: bool,
    pub style: Option<Value<'a>>,
    pub colspan: Option<Value<'a>>,
    pub rowspan: Option<Value<'a>>,
    /// `color`, `face` or `size` (a `<font>` with one leaves SVG/MathML).
    pub font_look: bool,
}

pub(super) struct Tokenizer<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    pub state: State,
    /// The adjusted current node is SVG or MathML: `<![CDATA[` opens a
    /// CDATA section rather than a bogus comment.
    pub cdata: bool,
    pub attrs: Attrs<'a>,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

impl<'a> Tokenizer<'a> {
    pub fn new(s: &'a str) -> Tokenizer<'a> {
        Tokenizer { s, b: s.as_bytes(), pos: 0, state: State::Data, cdata: false, attrs: Attrs::default() }
    }

    /// Switch to a raw text state after a start tag (the tree builder's call).
    pub fn raw(&mut self, state: State) {
        self.state = state;
    }

    pub fn next(&mut self) -> Token<'a> {
        match self.state {
            State::Data => self.data(),
            State::Plaintext => {
                let start = self.pos;
                self.pos = self.b.len();
                if start == self.pos { Token::Eof } else { Token::Text { raw: &self.s[start..], refs: false } }
            }
            State::Rcdata(name) | State::Rawtext(name) => {
                let refs = matches!(self.state, State::Rcdata(_));
                let start = self.pos;
                let end = raw_end(self.b, start, name.as_bytes());
                self.state = State::Data;
                self.pos = end;
                if end == start {
                    return self.data();
                }
                let raw = &self.s[start..end];
                Token::Text { raw, refs: refs && memchr::memchr(b'&', raw.as_bytes()).is_some() }
            }
            State::Script => {
                let start = self.pos;
                let end = script_end(self.b, start);
                self.state = State::Data;
                self.pos = end;
                if end == start {
                    return self.data();
                }
                Token::Text { raw: &self.s[start..end], refs: false }
            }
        }
    }

    fn data(&mut self) -> Token<'a> {
        let b = self.b;
        let start = self.pos;
        if start >= b.len() {
            return Token::Eof;
        }
        // Text up to the next `<` that opens something.
        let mut i = start;
        let mut refs = false;
        loop {
            let Some(off) = memchr::memchr2(b'<', b'&', &b[i..]) else {
                i = b.len();
                break;
            };
            i += off;
            if b[i] == b'&' {
                refs = true;
                i += 1;
                continue;
            }
            match b.get(i + 1) {
                Some(c) if c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?') => break,
                _ => i += 1,
            }
        }
        if i > start {
            self.pos = i;
            return Token::Text { raw: &self.s[start..i], refs };
        }
        // At `<` followed by a letter, `/`, `!` or `?`.
        match b[i + 1] {
            b'/' => {
                match b.get(i + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.pos = i + 2;
                        match self.tag() {
                            Some((name, _)) => Token::End { name },
                            None => {
                                self.pos = b.len();
                                Token::Eof
                            }
                        }
                    }
                    Some(b'>') => {
                        // `</>`: nothing.
                        self.pos = i + 3;
                        self.data()
                    }
                    // `</` at the end: text.
                    None => {
                        self.pos = b.len();
                        Token::Text { raw: &self.s[i..], refs: false }
                    }
                    Some(_) => {
                        self.bogus_comment(i + 2);
                        Token::Comment
                    }
                }
            }
            b'!' => {
                let rest = &b[i + 2..];
                if rest.starts_with(b"--") {
                    self.comment(i + 4);
                    Token::Comment
                } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"DOCTYPE") {
                    Token::Doctype { quirks: self.doctype(i + 9) }
                } else if self.cdata && rest.starts_with(b"[CDATA[") {
                    let from = i + 9;
                    let end = memchr::memmem::find(&b[from..], b"]]>").map_or(b.len(), |e| from + e);
                    self.pos = (end + 3).min(b.len());
                    if end == from {
                        return self.data();
                    }
                    Token::Text { raw: &self.s[from..end], refs: false }
                } else {
                    self.bogus_comment(i + 2);
                    Token::Comment
                }
            }
            b'?' => {
                self.bogus_comment(i + 1);
                Token::Comment
            }
            _ => {
                self.pos = i + 1;
                match self.tag() {
                    Some((name, self_closing)) => Token::Start { name, self_closing },
                    None => {
                        self.pos = b.len();
                        Token::Eof
                    }
                }
            }
        }
    }

    /// Skip to after the next `>` (a bogus comment), from `from`.
    fn bogus_comment(&mut self, from: usize) {
        self.pos = memchr::memchr(b'>', &self.b[from..]).map_or(self.b.len(), |e| from + e + 1);
    }

    /// A comment whose text starts at `from` (after `<!--`).
    fn comment(&mut self, from: usize) {
        let b = self.b;
        let rest = &b[from..];
        if rest.starts_with(b">") {
            self.pos = from + 1;
            return;
        }
        if rest.starts_with(b"->") {
            self.pos = from + 2;
            return;
        }
        let mut i = from;
        loop {
            let Some(off) = memchr::memmem::find(&b[i..], b"--") else {
                self.pos = b.len();
                return;
            };
            let mut j = i + off + 2;
            // Any further dashes stay in the "comment end" state.
            while b.get(j) == Some(&b'-') {
                j += 1;
            }
            match b.get(j) {
                Some(b'>') => {
                    self.pos = j + 1;
                    return;
                }
                Some(b'!') if b.get(j + 1) == Some(&b'>') => {
                    self.pos = j + 2;
                    return;
                }
                None => {
                    self.pos = b.len();
                    return;
                }
                // `--!-` goes back to "comment end dash".
                Some(b'!') if b.get(j + 1) == Some(&b'-') => i = j + 1,
                _ => i = j,
            }
        }
    }

    /// A DOCTYPE whose content starts at `from` (after `<!DOCTYPE`): read to
    /// its end and tell whether it puts the page in quirks mode.
    fn doctype(&mut self, from: usize) -> bool {
        let b = self.b;
        let end = memchr::memchr(b'>', &b[from..]).map(|e| from + e);
        self.pos = end.map_or(b.len(), |e| e + 1);
        let body = &b[from..end.unwrap_or(b.len())];
        let eof = end.is_none();
        let mut i = 0;
        let skip = |i: &mut usize| {
            while *i < body.len() && is_ws(body[*i]) {
                *i += 1;
            }
        };
        skip(&mut i);
        if i == body.len() {
            return true;
        }
        let n0 = i;
        while i < body.len() && !is_ws(body[i]) {
            i += 1;
        }
        let name = &body[n0..i];
        let mut force = eof;
        let (mut public, mut system): (Option<&[u8]>, Option<&[u8]>) = (None, None);
        skip(&mut i);
        // An identifier in quotes; `>` (the end of `body`) inside one is an
        // abrupt end: quirks.
        let quoted = |i: &mut usize, force: &mut bool| -> Option<&[u8]> {
            let q = *body.get(*i)?;
            if q != b'"' && q != b'\'' {
                return None;
            }
            let s = *i + 1;
            match memchr::memchr(q, &body[s..]) {
                Some(e) => {
                    *i = s + e + 1;
                    Some(&body[s..s + e])
                }
                None => {
                    *force = true;
                    *i = body.len();
                    Some(&body[s..])
                }
            }
        };
        if i < body.len() {
            let kw = &body[i..(i + 6).min(body.len())];
            if kw.eq_ignore_ascii_case(b"public") {
                i += 6;
                skip(&mut i);
                match quoted(&mut i, &mut force) {
                    Some(p) => {
                        public = Some(p);
                        skip(&mut i);
                        if i < body.len() {
                            match quoted(&mut i, &mut force) {
                                Some(s) => system = Some(s),
                                None => force = true,
                            }
                        }
                    }
                    None => force = true,
                }
            } else if kw.eq_ignore_ascii_case(b"system") {
                i += 6;
                skip(&mut i);
                match quoted(&mut i, &mut force) {
                    Some(s) => system = Some(s),
                    None => force = true,
                }
            } else {
                force = true;
            }
        }
        quirky(name, public, system, force)
    }

    /// A tag whose name starts at `self.pos`; returns its (raw) name and
    /// whether it ends in `/>`, or `None` at the end of the page inside it.
    /// The attributes it keeps go to `self.attrs`.
    fn tag(&mut self) -> Option<(&'a str, bool)> {
        let b = self.b;
        let s = self.s;
        let n0 = self.pos;
        let mut i = n0;
        while i < b.len() && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = &s[n0..i];
        self.attrs = Attrs::default();
        let mut self_closing = false;
        loop {
            // Before an attribute name.
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            let &c = b.get(i)?;
            match c {
                b'>' => {
                    self.pos = i + 1;
                    return Some((name, self_closing));
                }
                b'/' => {
                    i += 1;
                    if b.get(i) == Some(&b'>') {
                        self.pos = i + 1;
                        return Some((name, true));
                    }
                    continue;
                }
                _ => {}
            }
            self_closing = false;
            // An attribute name (a leading `=` belongs to it).
            let a0 = i;
            i += 1;
            while i < b.len() && !is_ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let aname = &b[a0..i];
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            let mut value = Value::default();
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && is_ws(b[i]) {
                    i += 1;
                }
                let &q = b.get(i)?;
                if q == b'"' || q == b'\'' {
                    let v0 = i + 1;
                    let e = v0 + memchr::memchr(q, &b[v0..])?;
                    value = Value { raw: &s[v0..e], refs: memchr::memchr(b'&', &b[v0..e]).is_some() };
                    i = e + 1;
                } else if q != b'>' {
                    let v0 = i;
                    while i < b.len() && !is_ws(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    value = Value { raw: &s[v0..i], refs: memchr::memchr(b'&', &b[v0..i]).is_some() };
                }
            }
            self.keep(aname, value);
        }
    }

    /// Keep an attribute the reader uses, unless one of its name came first.
    fn keep(&mut self, name: &[u8], value: Value<'a>) {
        let a = &mut self.attrs;
        let is = |w: &[u8]| name.eq_ignore_ascii_case(w);
        match name.len() {
            4 if is(b"face") || is(b"size") => a.font_look = true,
            5 if is(b"style") && a.style.is_none() => {
                a.style = Some(value);
            }
            5 if is(b"color") => a.font_look = true,
            6 if is(b"hidden") => a.hidden = true,
            7 if is(b"colspan") && a.colspan.is_none() => {
                a.colspan = Some(value);
            }
            7 if is(b"rowspan") && a.rowspan.is_none() => {
                a.rowspan = Some(value);
            }
            _ => {}
        }
    }
}

/// Where the raw text of an element named `name` ends: the `<` of the first
/// `</name` followed by whitespace, `/` or `>` (ASCII case ignored), or the
/// end of the page.
fn raw_end(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(off) = memchr::memmem::find(&b[i..], b"</") {
        let at = i + off;
        if is_end_tag(b, at, name) {
            return at;
        }
        i = at + 2;
    }
    b.len()
}

/// Is there an end tag `</name` + whitespace, `/` or `>` at `at`?
fn is_end_tag(b: &[u8], at: usize, name: &[u8]) -> bool {
    let n = at + 2;
    b.len() > n + name.len()
        && b[n..n + name.len()].eq_ignore_ascii_case(name)
        && (is_ws(b[n + name.len()]) || matches!(b[n + name.len()], b'/' | b'>'))
}

/// Where a script's text ends (the `<` of its `</script>`), through the
/// script data escape states: inside `<!--`, a `<script>` starts a "double
/// escaped" part in which `</script>` does not end the script; `-->` ends
/// the escape.
fn script_end(b: &[u8], from: usize) -> usize {
    #[derive(PartialEq)]
    enum S {
        Plain,
        Escaped,
        Double,
    }
    let mut st = S::Plain;
    let mut i = from;
    // Dashes just before `i` (for `-->`), counted within an escape.
    let mut dashes = 0usize;
    while i < b.len() {
        let c = b[i];
        match c {
            b'<' => {
                dashes = 0;
                if st == S::Plain && b[i + 1..].starts_with(b"!--") {
                    // "<!--": the escape's dash-dash state (so "<!-->" ends it).
                    st = S::Escaped;
                    i += 4;
                    dashes = 2;
                    continue;
                }
                if b.get(i + 1) == Some(&b'/') {
                    if st != S::Double && is_end_tag(b, i, b"script") {
                        return i;
                    }
                    if st == S::Double && is_end_tag(b, i, b"script") {
                        st = S::Escaped;
                        i += 8;
                        continue;
                    }
                    i += 2;
                    continue;
                }
                if st == S::Escaped && b.len() > i + 7 && b[i + 1..i + 7].eq_ignore_ascii_case(b"script") {
                    let d = b[i + 7];
                    if is_ws(d) || d == b'/' || d == b'>' {
                        st = S::Double;
                        i += 7;
                        continue;
                    }
                }
                i += 1;
            }
            b'-' => {
                dashes += 1;
                i += 1;
            }
            b'>' => {
                if st != S::Plain && dashes >= 2 {
                    st = S::Plain;
                }
                dashes = 0;
                i += 1;
            }
            _ => {
                dashes = 0;
                i += 1;
            }
        }
    }
    b.len()
}

/// Does this DOCTYPE put the page in quirks mode (html5ever's rules; limited
/// quirks is not quirks here)?
fn quirky(name: &[u8], public: Option<&[u8]>, system: Option<&[u8]>, force: bool) -> bool {
    const PUBLIC_PREFIXES: &[&str] = &[
        "-//advasoft ltd//dtd html 3.0 aswedit + extensions//",
        "-//as//dtd html 3.0 aswedit + extensions//",
        "-//ietf//dtd html 2.0 level 1//",
        "-//ietf//dtd html 2.0 level 2//",
        "-//ietf//dtd html 2.0 strict level 1//",
        "-//ietf//dtd html 2.0 strict level 2//",
        "-//ietf//dtd html 2.0 strict//",
        "-//ietf//dtd html 2.0//",
        "-//ietf//dtd html 2.1e//",
        "-//ietf//dtd html 3.0//",
        "-//ietf//dtd html 3.2 final//",
        "-//ietf//dtd html 3.2//",
        "-//ietf//dtd html 3//",
        "-//ietf//dtd html level 0//",
        "-//ietf//dtd html level 1//",
        "-//ietf//dtd html level 2//",
        "-//ietf//dtd html level 3//",
        "-//ietf//dtd html strict level 0//",
        "-//ietf//dtd html strict level 1//",
        "-//ietf//dtd html strict level 2//",
        "-//ietf//dtd html strict level 3//",
        "-//ietf//dtd html strict//",
        "-//ietf//dtd html//",
        "-//metrius//dtd metrius presentational//",
        "-//microsoft//dtd internet explorer 2.0 html strict//",
        "-//microsoft//dtd internet explorer 2.0 html//",
        "-//microsoft//dtd internet explorer 2.0 tables//",
        "-//microsoft//dtd internet explorer 3.0 html strict//",
        "-//microsoft//dtd internet explorer 3.0 html//",
        "-//microsoft//dtd internet explorer 3.0 tables//",
        "-//netscape comm. corp.//dtd html//",
        "-//netscape comm. corp.//dtd strict html//",
        "-//o'reilly and associates//dtd html 2.0//",
        "-//o'reilly and associates//dtd html extended 1.0//",
        "-//o'reilly and associates//dtd html extended relaxed 1.0//",
        "-//softquad software//dtd hotmetal pro 6.0::19990601::extensions to html 4.0//",
        "-//softquad//dtd hotmetal pro 4.0::19971010::extensions to html 4.0//",
        "-//spyglass//dtd html 2.0 extended//",
        "-//sq//dtd html 2.0 hotmetal + extensions//",
        "-//sun microsystems corp.//dtd hotjava html//",
        "-//sun microsystems corp.//dtd hotjava strict html//",
        "-//w3c//dtd html 3 1995-03-24//",
        "-//w3c//dtd html 3.2 draft//",
        "-//w3c//dtd html 3.2 final//",
        "-//w3c//dtd html 3.2//",
        "-//w3c//dtd html 3.2s draft//",
        "-//w3c//dtd html 4.0 frameset//",
        "-//w3c//dtd html 4.0 transitional//",
        "-//w3c//dtd html experimental 19960712//",
        "-//w3c//dtd html experimental 970421//",
        "-//w3c//dtd w3 html//",
        "-//w3o//dtd w3 html 3.0//",
        "-//webtechs//dtd mozilla html 2.0//",
        "-//webtechs//dtd mozilla html//",
    ];
    const PUBLIC_MATCHES: &[&str] =
        &["-//w3o//dtd w3 html strict 3.0//en//", "-/w3c/dtd html 4.0 transitional/en", "html"];
    const HTML4_PREFIXES: &[&str] = &["-//w3c//dtd html 4.01 frameset//", "-//w3c//dtd html 4.01 transitional//"];
    if force || !name.eq_ignore_ascii_case(b"html") {
        return true;
    }
    let public = public.map(|p| String::from_utf8_lossy(p).to_ascii_lowercase());
    let system = system.map(|s| String::from_utf8_lossy(s).to_ascii_lowercase());
    if let Some(p) = &public {
        if PUBLIC_MATCHES.contains(&p.as_str()) || PUBLIC_PREFIXES.iter().any(|x| p.starts_with(x)) {
            return true;
        }
        if system.is_none() && HTML4_PREFIXES.iter().any(|x| p.starts_with(x)) {
            return true;
        }
    }
    system.as_deref() == Some("http://www.ibm.com/data/dtd/v11/ibmxhtml1-transitional.dtd")
}

/// Windows-1252 for the C1 range of numeric references (`&#150;` is `–`).
const C1: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D,
    0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,
    0x017E, 0x0178,
];

/// Append `raw` to `out` with its character references decoded, as the
/// WHATWG tokenizer decodes them in text (`attr` false) or in an attribute
/// value (`attr`: a legacy name without `;` followed by `=` or a letter or
/// digit stays as written).
pub(super) fn decode_into(out: &mut String, raw: &str, attr: bool) {
    let b = raw.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'&', &b[i..]) {
        let amp = i + off;
        out.push_str(&raw[i..amp]);
        i = amp + 1;
        match b.get(i) {
            Some(b'#') => {
                let hex = matches!(b.get(i + 1), Some(b'x' | b'X'));
                let d0 = i + 1 + usize::from(hex);
                let mut j = d0;
                let mut v: u32 = 0;
                while j < b.len() && (if hex { b[j].is_ascii_hexdigit() } else { b[j].is_ascii_digit() }) {
                    let d = (b[j] as char).to_digit(16).unwrap_or(0);
                    v = v.saturating_mul(if hex { 16 } else { 10 }).saturating_add(d);
                    j += 1;
                }
                if j == d0 {
                    // No digits: the `&` is text.
                    out.push('&');
                    continue;
                }
                if b.get(j) == Some(&b';') {
                    j += 1;
                }
                let c = match v {
                    0 | 0xD800..=0xDFFF => '\u{FFFD}',
                    0x80..=0x9F => char::from_u32(C1[(v - 0x80) as usize]).unwrap_or('\u{FFFD}'),
                    _ => char::from_u32(v).unwrap_or('\u{FFFD}'),
                };
                out.push(c);
                i = j;
            }
            Some(c) if c.is_ascii_alphanumeric() => {
                let mut run = i;
                while run < b.len() && b[run].is_ascii_alphanumeric() && run - i < 40 {
                    run += 1;
                }
                let semi = b.get(run) == Some(&b';');
                let found = (semi.then_some(run + 1).into_iter().chain((i + 1..=run).rev()))
                    .find_map(|e| lookup(&raw[i..e]).map(|v| (e, v)));
                match found {
                    Some((e, v)) => {
                        let legacy = b[e - 1] != b';';
                        if attr && legacy && b.get(e).is_some_and(|&n| n == b'=' || n.is_ascii_alphanumeric()) {
                            out.push('&');
                            continue;
                        }
                        out.push_str(v);
                        i = e;
                    }
                    None => out.push('&'),
                }
            }
            _ => out.push('&'),
        }
    }
    out.push_str(&raw[i..]);
}

fn lookup(name: &str) -> Option<&'static str> {
    ENTITIES.binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes())).ok().map(|k| ENTITIES[k].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(s: &str, attr: bool) -> String {
        let mut o = String::new();
        decode_into(&mut o, s, attr);
        o
    }

    #[test]
    fn references_decode_as_html5ever_decodes_them() {
        assert_eq!(decoded("a&nbsp;b&amp;c&lt;&gt;&quot;", false), "a\u{A0}b&c<>\"");
        assert_eq!(decoded("&#49;&#x32;&#X33&#0;&#150;&#x110000;&#xD800;", false), "123\u{FFFD}–\u{FFFD}\u{FFFD}");
        assert_eq!(decoded("&notit; &notin; &noti &amp &ampx &zz; & &# &#x;", false), "¬it; ∉ ¬i & &x &zz; & &# &#x;");
        assert_eq!(decoded("&amp=1&ampx&amp;x", true), "&amp=1&ampx&x");
        assert_eq!(decoded("&nbsp中&copy2024", false), "\u{A0}中©2024");
    }

    #[test]
    fn the_entity_table_is_html5evers() {
        let theirs = &html5ever::data::NAMED_ENTITIES;
        let mut full = 0;
        for (name, &(a, b)) in theirs.entries() {
            if a == 0 {
                continue;
            }
            full += 1;
            let want: String = [a, b].into_iter().filter(|&c| c != 0).map(|c| char::from_u32(c).unwrap()).collect();
            assert_eq!(lookup(name), Some(want.as_str()), "{name}");
        }
        assert_eq!(full, ENTITIES.len());
        assert!(ENTITIES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    fn tokens(s: &str) -> Vec<String> {
        let mut t = Tokenizer::new(s);
        let mut out = Vec::new();
        loop {
            let tok = t.next();
            out.push(match tok {
                Token::Eof => break,
                Token::Text { raw, .. } => format!("'{raw}'"),
                Token::Start { name, self_closing } => {
                    if name.eq_ignore_ascii_case("script") {
                        t.raw(State::Script);
                    }
                    format!(
                        "<{name}{}{}>",
                        if t.attrs.hidden { " hidden" } else { "" },
                        if self_closing { "/" } else { "" }
                    )
                }
                Token::End { name } => format!("</{name}>"),
                Token::Comment => "#".into(),
                Token::Doctype { quirks } => format!("!{quirks}"),
            });
        }
        out
    }

    #[test]
    fn tags_comments_and_scripts_end_where_the_standard_ends_them() {
        assert_eq!(tokens("a<b c='>' hidden>x</b >"), ["'a'", "<b hidden>", "'x'", "</b>"]);
        assert_eq!(
            tokens("a < b <3 </ x> <!-->y<!--->z<!-- --!> w -->v"),
            ["'a < b <3 '", "#", "' '", "#", "'y'", "#", "'z'", "#", "' w -->v'"]
        );
        assert_eq!(tokens("<br/><p/ ><a href=x/>"), ["<br/>", "<p>", "<a>"]);
        assert_eq!(
            tokens("<script><!--\ndocument.write('<script>x</script>');\n//--></script>t"),
            ["<script>", "'<!--\ndocument.write('<script>x</script>');\n//-->'", "</script>", "'t'"]
        );
        assert_eq!(tokens("<script>a</scripts></script >b"), ["<script>", "'a</scripts>'", "</script>", "'b'"]);
        assert_eq!(
            tokens("<!DOCTYPE html><!doctype html public \"-//W3C//DTD HTML 4.01 Transitional//EN\">"),
            ["!false", "!true"]
        );
        assert_eq!(tokens("<?xml x?>a<x"), ["#", "'a'"]);
        assert_eq!(tokens("</>a</"), ["'a'", "'</'"]);
    }
}
