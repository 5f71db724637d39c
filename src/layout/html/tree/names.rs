//! The element names the rules tell apart, each a small integer id known at
//! compile time (`TABLE`, `TD`, …), and the sets each belongs to (special,
//! the scopes, the implied-end sets, …), from html5ever's `tag_sets.rs`.
//!
//! It owns the names and their sets; it knows nothing of the rules that use
//! them, nor of the stack.

use crate::layout::html::Tag;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// The element names the rules tell apart; any other name is interned.
pub(super) const NAMES: &[&str] = &[
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

pub(super) const fn id(s: &str) -> u32 {
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
    ($($c:ident = $s:literal),* $(,)?) => { $(pub(super) const $c: u32 = id($s);)* };
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
pub(super) struct Known {
    pub(super) ids: FxHashMap<&'static [u8], u32>,
    pub(super) tags: Vec<Tag>,
    /// The sets each name is in, as an HTML element.
    pub(super) sets: Vec<u32>,
}

pub(super) fn known() -> &'static Known {
    static K: OnceLock<Known> = OnceLock::new();
    K.get_or_init(|| Known {
        ids: NAMES.iter().enumerate().map(|(k, n)| (n.as_bytes(), k as u32)).collect(),
        tags: NAMES.iter().map(|n| Tag::of(n)).collect(),
        sets: (0..NAMES.len() as u32).map(|k| sets(Ns::Html, k)).collect(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    Html,
    Svg,
    Math,
}

// Sets an element belongs to (bits of `Entry::set`), from html5ever's
// tag_sets.rs.
pub(super) const SPECIAL: u32 = 1;
pub(super) const SCOPE: u32 = 1 << 1;
pub(super) const LIST_SCOPE: u32 = 1 << 2;
pub(super) const BUTTON_SCOPE: u32 = 1 << 3;
pub(super) const TABLE_SCOPE: u32 = 1 << 4;
pub(super) const FOSTER: u32 = 1 << 5;
pub(super) const CURSORY: u32 = 1 << 6;
pub(super) const THOROUGH: u32 = 1 << 7;
pub(super) const HEADING: u32 = 1 << 8;
pub(super) const TBODY_CTX: u32 = 1 << 9;
pub(super) const TR_CTX: u32 = 1 << 10;
pub(super) const TD_TH: u32 = 1 << 11;
/// `address`, `div`, `p` (special elements an `<li>` looks past).
pub(super) const ADP: u32 = 1 << 12;
pub(super) const MATH_TEXT: u32 = 1 << 13;
pub(super) const SVG_HTML: u32 = 1 << 14;

pub(super) fn sets(ns: Ns, n: u32) -> u32 {
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
