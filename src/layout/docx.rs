//! Word `.docx` files: the report's paragraphs as lines, its tables as exact
//! grid rows.
//!
//! A .docx is a zip archive; the text is in `word/document.xml` (WordprocessingML).
//! A paragraph (`w:p`) is the text of its runs (`w:r` / `w:t`) joined as they
//! are, because Word splits one word or number into several runs whenever the
//! formatting or the spell checker's state changes (`1` + `2` is `12`). A
//! `w:br` starts a new line; a `w:tab` separates cells, as in tab-separated
//! text. A table (`w:tbl`) becomes one exact line per row (`w:tr`), spans
//! expanded into a true grid as in the HTML layout: a cell merged across
//! columns (`w:gridSpan`) is repeated in every column it covers, and a cell
//! merged down (`w:vMerge` continuation) takes the text of the cell above.
//! A cell's paragraphs join without a separator, like a label Word wrapped.
//!
//! What a reader of the document does not see is left out: deleted and
//! moved-away text of tracked changes, field codes, and the fallback copy of
//! text boxes that Word writes for older readers.
//!
//! A table that holds another table, or a cell with a page of text, is page
//! layout: its cells are read as paragraphs and tables in order.

use super::html::{Budget, is_invisible};
use super::{Line, grid};
use crate::error::{RejectKind, Rejection};
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{NamespaceError, NamespaceResolver, ResolveResult};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The most `word/document.xml` may inflate to. A long report with its
/// formatting is a few MB; the cap stops a zip bomb from taking the memory.
pub const MAX_DOCUMENT_XML: u64 = 32 << 20;

/// The most `numbering.xml` or `styles.xml` may inflate to: a few KB in
/// real files (a few hundred KB in a template with every style).
pub const MAX_LISTS_XML: u64 = 4 << 20;

/// The most a file's parts may inflate to, all together. An optional part
/// (numbering, styles) past what is left is not read: it costs the list
/// numbers, not the document.
pub const MAX_INFLATED: u64 = 36 << 20;

/// What reading a part costs per byte inflated: the bytes, the text, the
/// paragraphs and the lines built from them (see [`crate::memory`]).
const COST_PER_BYTE: usize = 4;

/// Tables nested deeper than this are not a report's (Word itself stops at 63).
const MAX_TABLE_DEPTH: usize = 32;

/// Paragraphs and tables a document may hold (a report has a few hundred; a
/// long one with every blank line a few thousand): each costs some 30 bytes
/// even when empty, so 30 MB of `<w:p/>` would cost 160 MB.
const MAX_BLOCKS: usize = 200_000;

/// Elements open at once (Word nests a few dozen; the XML reader's scopes
/// cost memory per level).
const MAX_DEPTH: usize = 1000;

/// Widest span honoured (Word's tables have at most 63 columns).
const MAX_SPAN: usize = 64;

/// See the HTML layout: a cell this long is page layout, not a form cell.
const LAYOUT_CELL_CHARS: usize = 1000;

const W_NS: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Read a .docx file's bytes into lines of cells.
pub fn read(bytes: &[u8]) -> Result<Vec<Line<'static>>, Rejection> {
    let package = open_package(bytes)?;
    // Held until the lines are built.
    let _reserved = package.reserved;
    let text = xml_text(&package.document)?;
    // Numbering and styles only add list numbers (一、 (一) 1.) that Word
    // draws itself; a damaged one costs the numbers, not the document.
    let mut numbering = Numbering::default();
    if let Some(t) = package.numbering.as_deref().and_then(|b| xml_text(b).ok()) {
        numbering.read_numbering(&t);
    }
    if let Some(t) = package.styles.as_deref().and_then(|b| xml_text(b).ok()) {
        numbering.read_styles(&t);
    }
    let body = parse(&text, &mut numbering)?;
    let mut out = Out::default();
    out.blocks(body)?;
    Ok(out.lines)
}

fn encoding(en: impl Into<String>, zh: impl Into<String>) -> Rejection {
    Rejection::doc(RejectKind::Encoding, en, zh)
}

/// What to do with a damaged Word file, after what is wrong.
const RESAVE: &str = "：请用 Word 或 WPS 打开，另存为 .docx";

/// The parts of a .docx that are read, and the memory they may cost.
struct Package {
    document: Vec<u8>,
    numbering: Option<Vec<u8>>,
    styles: Option<Vec<u8>>,
    reserved: crate::memory::Reservation,
}

/// What a file's parts may inflate to (see [`MAX_INFLATED`]).
#[derive(Debug, Clone, Copy)]
struct Caps {
    document: u64,
    lists: u64,
    total: u64,
}

const CAPS: Caps = Caps { document: MAX_DOCUMENT_XML, lists: MAX_LISTS_XML, total: MAX_INFLATED };

/// The size a part says it inflates to, if it is there.
fn part_size(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<u64> {
    zip.by_name(name).ok().map(|f| f.size())
}

/// A part's bytes, inflated: at most the size its zip entry states (a part
/// that inflates to more is damaged or a zip bomb: what was reserved for it
/// is what it may take).
fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, size: u64) -> Result<Vec<u8>, Rejection> {
    let file = zip.by_name(name).map_err(|e| {
        encoding(
            format!("cannot open {name} inside the .docx: {e}"),
            format!("无法打开 .docx 中的 {name}（{e}）{RESAVE}"),
        )
    })?;
    let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(size + 1).read_to_end(&mut buf).map_err(|e| {
        encoding(
            format!("{name} inside the .docx cannot be decompressed (damaged file?): {e}"),
            format!(".docx 中的 {name} 无法解压（文件损坏？）{RESAVE}"),
        )
    })?;
    if buf.len() as u64 > size {
        return Err(Rejection::doc(
            RejectKind::Damaged,
            format!("{name} inflates to more than the {size} bytes its zip entry states (a zip bomb?): not read"),
            format!("{name} 解压后超过压缩包中标明的 {size} 字节（文件损坏？）：不读取{RESAVE}"),
        ));
    }
    Ok(buf)
}

/// A part too large to read.
fn too_large(name: &str, size: u64, cap: u64) -> Rejection {
    Rejection::doc(
        RejectKind::NotAReport,
        format!(
            "{name} inflates to {} MB, more than the {} MB any annual report's text needs (a zip bomb?): not read",
            size >> 20,
            cap >> 20
        ),
        format!("{name} 解压后有 {} MB，超过任何年度报告所需的 {} MB：不读取", size >> 20, cap >> 20),
    )
}

/// The main document part, and the numbering and styles beside it.
fn open_package(bytes: &[u8]) -> Result<Package, Rejection> {
    open_package_capped(bytes, CAPS)
}

fn open_package_capped(bytes: &[u8], caps: Caps) -> Result<Package, Rejection> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(encoding(
            "not a .docx but an old Word .doc (or a password-protected .docx) with a .docx name: open it in Word and save it as .docx without a password",
            "这不是 .docx，而是扩展名为 .docx 的旧版 .doc（或设有密码的 .docx）：请用 Word 打开，取消密码后另存为 .docx",
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        encoding(
            format!("not a Word .docx file: the bytes are not a zip archive ({e})"),
            format!("不是 Word .docx 文件（不是 zip 格式）{RESAVE}"),
        )
    })?;
    let name = if zip.index_for_name("word/document.xml").is_some() {
        "word/document.xml".to_string()
    } else {
        // Word names its main part word/document.xml; a few writers choose
        // another name, which the package's relationships then give.
        match main_part_name(&mut zip) {
            Some(n) if zip.index_for_name(&n).is_some() => n,
            _ => {
                return Err(Rejection::doc(
                    RejectKind::NotAReport,
                    "a zip archive but not a Word document: it has no word/document.xml",
                    "这是 zip 压缩包，不是 Word 文档（没有 word/document.xml）",
                ));
            }
        }
    };
    // Every part's size is checked, and what they cost reserved, before any
    // is inflated.
    let size = part_size(&mut zip, &name).unwrap_or(0);
    if size > caps.document.min(caps.total) {
        return Err(too_large(&name, size, caps.document.min(caps.total)));
    }
    let dir = name.rfind('/').map_or("", |i| &name[..=i]).to_string();
    let mut left = caps.total - size;
    let mut fits = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, part: &str| {
        let n = format!("{dir}{part}");
        let s = part_size(zip, &n).filter(|&s| s <= caps.lists && s <= left)?;
        left -= s;
        Some((n, s))
    };
    let (numbering, styles) = (fits(&mut zip, "numbering.xml"), fits(&mut zip, "styles.xml"));
    let inflated = caps.total - left;
    let reserved =
        crate::memory::reserve(usize::try_from(inflated).unwrap_or(usize::MAX).saturating_mul(COST_PER_BYTE));
    let document = read_part(&mut zip, &name, size)?;
    let mut optional = |part: Option<(String, u64)>| part.and_then(|(n, s)| read_part(&mut zip, &n, s).ok());
    let (numbering, styles) = (optional(numbering), optional(styles));
    Ok(Package { document, numbering, styles, reserved })
}

/// The main part named by `_rels/.rels` (relationship type …/officeDocument).
fn main_part_name(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let mut rels = String::new();
    zip.by_name("_rels/.rels").ok()?.take(1 << 20).read_to_string(&mut rels).ok()?;
    let mut reader = quick_xml::Reader::from_str(&rels);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let ty = attr(&e, "Type").unwrap_or_default();
                if ty.ends_with("/officeDocument") {
                    let target = attr(&e, "Target")?;
                    return Some(target.trim_start_matches('/').to_string());
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// An attribute's value by local name (`w:val` → `val`).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| {
        a.normalized_value(XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_else(|_| a.value.to_string())
    })
}

/// document.xml as text: UTF-8 (Word's choice), or UTF-16 with a BOM.
fn xml_text(xml: &[u8]) -> Result<String, Rejection> {
    if let Some(rest) = xml.strip_prefix(b"\xEF\xBB\xBF") {
        return xml_text(rest);
    }
    if xml.starts_with(b"\xFF\xFE") || xml.starts_with(b"\xFE\xFF") {
        let enc = if xml[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (t, bad) = enc.decode_without_bom_handling(&xml[2..]);
        if bad {
            return Err(encoding(
                "word/document.xml is damaged: invalid UTF-16",
                format!("Word 文件已损坏（UTF-16 编码有误）{RESAVE}"),
            ));
        }
        return Ok(t.into_owned());
    }
    String::from_utf8(xml.to_vec()).map_err(|e| {
        encoding(
            format!("word/document.xml is damaged: not UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            format!("Word 文件已损坏（编码有误）{RESAVE}"),
        )
    })
}

/// A paragraph or a table, in document order.
#[derive(Debug)]
pub(super) enum Block {
    /// A paragraph's text: `\n` where a `w:br` broke it, `\t` for tabs.
    Para(String),
    Table(Vec<Row>),
}

#[derive(Debug, Default)]
pub(super) struct Row {
    /// Grid columns left empty before the first cell (`w:gridBefore`).
    pub(super) before: usize,
    pub(super) cells: Vec<Cell>,
}

#[derive(Debug)]
pub(super) struct Cell {
    pub(super) span: usize,
    /// A continuation of the cell above (`w:vMerge` without `restart`).
    pub(super) merged_up: bool,
    /// A continuation of the cell to the left (the old `w:hMerge`).
    pub(super) merged_left: bool,
    pub(super) blocks: Vec<Block>,
}

/// What an open element was, to undo it at its end tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Other,
    Table,
    Row,
    Cell,
    Para,
    Run,
    Text,
    /// Content nobody reads (deleted text, fallback copies): skipped whole.
    Skip,
}

/// An open container: the body, a table, a row or a cell.
#[derive(Debug)]
enum Container {
    Blocks(Vec<Block>),
    Table(Vec<Row>),
    Row(Row),
    Cell(Cell),
}

/// A paragraph being read: its text and what decides its list number.
#[derive(Debug, Default)]
struct ParaBuild {
    text: String,
    style: Option<String>,
    num_id: Option<u32>,
    level: Option<usize>,
}

#[derive(Debug)]
struct Parse<'a> {
    numbering: &'a mut Numbering,
    containers: Vec<Container>,
    paras: Vec<ParaBuild>,
    open: Vec<Open>,
    runs: usize,
    texts: usize,
    skip: usize,
    tables: usize,
    /// Blocks added so far (see [`MAX_BLOCKS`]).
    blocks: usize,
}

fn bad_xml(e: impl std::fmt::Display, at: u64) -> Rejection {
    encoding(
        format!("word/document.xml is damaged: not well-formed XML near byte {at} ({e})"),
        format!("Word 文件已损坏（第 {at} 字节附近的 XML 有误）{RESAVE}"),
    )
}

/// Parse WordprocessingML into blocks.
fn parse(xml: &str, numbering: &mut Numbering) -> Result<Vec<Block>, Rejection> {
    // A plain reader with the namespace scopes kept here, as `NsReader`
    // keeps them (same bindings, same errors), so that a start tag declaring
    // no namespace skips the attribute scan `NsReader` does on every one.
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut scopes = NamespaceResolver::default();
    let mut p = Parse {
        numbering,
        containers: vec![Container::Blocks(Vec::new())],
        paras: Vec::new(),
        open: Vec::new(),
        runs: 0,
        texts: 0,
        skip: 0,
        tables: 0,
        blocks: 0,
    };
    loop {
        if p.blocks > MAX_BLOCKS || p.open.len() > MAX_DEPTH {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!(
                    "more than {MAX_BLOCKS} paragraphs or elements nested more than {MAX_DEPTH} deep (paragraph and nesting limits): far beyond any annual report, not read"
                ),
                format!("段落超过 {MAX_BLOCKS} 个或元素嵌套超过 {MAX_DEPTH} 层：远超任何年度报告，不读取"),
            ));
        }
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| bad_xml(e, at))?;
        match &event {
            Event::Start(e) => enter_scope(&mut scopes, e).map_err(|e| bad_xml(quick_xml::Error::from(e), at))?,
            Event::End(_) => scopes.pop(),
            _ => {}
        }
        match event {
            Event::Start(e) => {
                if p.skip > 0 {
                    p.skip += 1;
                    continue;
                }
                // Only start tags read here are resolved, not end tags, text
                // or skipped content (resolving scans every binding in scope,
                // and Word declares a few dozen on the root).
                let (ns, _) = scopes.resolve_element(e.name());
                let (w, mc) = match &ns {
                    ResolveResult::Bound(n) => (W_NS.contains(&n.0), n.0 == MC_NS),
                    _ => {
                        let prefix = e.name().prefix().map(|x| x.as_ref().to_string());
                        (prefix.as_deref() == Some("w"), prefix.as_deref() == Some("mc"))
                    }
                };
                let local = e.local_name();
                let open = if w {
                    p.start(local.as_ref(), &e)?
                } else if mc && local.as_ref() == "Fallback" {
                    Open::Skip
                } else {
                    Open::Other
                };
                if open == Open::Skip {
                    p.skip = 1;
                }
                p.open.push(open);
            }
            Event::End(_) => {
                if p.skip > 0 {
                    p.skip -= 1;
                    if p.skip > 0 {
                        continue;
                    }
                }
                let open = p.open.pop().unwrap_or(Open::Other);
                p.end(open);
            }
            Event::Text(t) if p.texts > 0 && p.skip == 0 => p.text(&t.xml10_content()),
            Event::CData(t) if p.texts > 0 && p.skip == 0 => p.text(&t.xml10_content()),
            Event::GeneralRef(r) if p.texts > 0 && p.skip == 0 => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match r.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                    Err(e) => return Err(bad_xml(e, reader.buffer_position())),
                };
                if let Some(c) = c {
                    p.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Close whatever a truncated document left open, innermost first.
    while let Some(open) = p.open.pop() {
        p.end(open);
    }
    while p.containers.len() > 1 {
        p.end_container();
    }
    match p.containers.pop() {
        Some(Container::Blocks(b)) => Ok(b),
        _ => Ok(Vec::new()),
    }
}

/// Enter an element's namespace scope exactly as `NsReader` does with
/// `NamespaceResolver::push`, but without parsing the attributes of a tag
/// that cannot declare a namespace (no `xmlns` in it at all, as almost every
/// tag of a document): then the scope only goes one level deeper, with the
/// same depth limit and error as `push`.
fn enter_scope(scopes: &mut NamespaceResolver, e: &BytesStart<'_>) -> Result<(), NamespaceError> {
    if memchr::memmem::find(e.attributes_raw().as_bytes(), b"xmlns").is_some() {
        return scopes.push(e);
    }
    let level = scopes.level().checked_add(1).ok_or(NamespaceError::TooDeeplyNested(u16::MAX as usize))?;
    scopes.set_level(level);
    Ok(())
}

fn number_attr(e: &BytesStart<'_>, default: usize) -> usize {
    attr(e, "val").and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

impl Parse<'_> {
    fn start(&mut self, local: &str, e: &BytesStart<'_>) -> Result<Open, Rejection> {
        let top = self.containers.last_mut();
        Ok(match (local, top) {
            ("tbl", _) => {
                self.tables += 1;
                if self.tables > MAX_TABLE_DEPTH {
                    return Err(Rejection::doc(
                        RejectKind::NotAReport,
                        format!("tables nested more than {MAX_TABLE_DEPTH} deep: not an annual report"),
                        format!("表格嵌套超过 {MAX_TABLE_DEPTH} 层：不是年度报告"),
                    ));
                }
                self.containers.push(Container::Table(Vec::new()));
                Open::Table
            }
            ("tr", Some(Container::Table(_))) => {
                self.containers.push(Container::Row(Row::default()));
                Open::Row
            }
            ("tc", Some(Container::Row(_))) => {
                self.containers.push(Container::Cell(Cell {
                    span: 1,
                    merged_up: false,
                    merged_left: false,
                    blocks: Vec::new(),
                }));
                Open::Cell
            }
            ("gridBefore", Some(Container::Row(r))) => {
                r.before = number_attr(e, 0).min(MAX_SPAN);
                Open::Other
            }
            ("gridSpan", Some(Container::Cell(c))) => {
                c.span = number_attr(e, 1).clamp(1, MAX_SPAN);
                Open::Other
            }
            ("vMerge", Some(Container::Cell(c))) => {
                c.merged_up = attr(e, "val").is_none_or(|v| v != "restart");
                Open::Other
            }
            ("hMerge", Some(Container::Cell(c))) => {
                c.merged_left = attr(e, "val").is_none_or(|v| v != "restart");
                Open::Other
            }
            ("p", _) => {
                self.paras.push(ParaBuild::default());
                Open::Para
            }
            ("pStyle", _) if self.runs == 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(e, "val");
                }
                Open::Other
            }
            ("numId", _) if self.runs == 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.num_id = attr(e, "val").and_then(|v| v.trim().parse().ok());
                }
                Open::Other
            }
            ("ilvl", _) if self.runs == 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.level = attr(e, "val").and_then(|v| v.trim().parse().ok());
                }
                Open::Other
            }
            ("r", _) => {
                self.runs += 1;
                Open::Run
            }
            ("t", _) if self.runs > 0 => {
                self.texts += 1;
                Open::Text
            }
            ("tab", _) if self.runs > 0 => {
                self.text("\t");
                Open::Other
            }
            ("br" | "cr", _) if self.runs > 0 => {
                self.text("\n");
                Open::Other
            }
            ("noBreakHyphen", _) if self.runs > 0 => {
                self.text("-");
                Open::Other
            }
            // Deleted text, field codes, and the old properties that tracked
            // formatting changes keep (an old gridSpan must not count).
            (
                "del" | "moveFrom" | "instrText" | "delText" | "pPrChange" | "rPrChange" | "tcPrChange" | "trPrChange"
                | "tblPrChange" | "tblGridChange" | "sectPrChange" | "numberingChange",
                _,
            ) => Open::Skip,
            _ => Open::Other,
        })
    }

    fn text(&mut self, t: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(t);
        }
    }

    fn add_block(&mut self, b: Block) {
        self.blocks += 1;
        match self.containers.last_mut() {
            Some(Container::Blocks(v)) => v.push(b),
            Some(Container::Cell(c)) => c.blocks.push(b),
            // Text in a table outside any cell (not valid Word): keep it in
            // the enclosing body or cell rather than lose it.
            _ => {
                if let Some(v) = self.containers.iter_mut().rev().find_map(|c| match c {
                    Container::Blocks(v) => Some(v),
                    Container::Cell(c) => Some(&mut c.blocks),
                    _ => None,
                }) {
                    v.push(b);
                }
            }
        }
    }

    fn end(&mut self, open: Open) {
        match open {
            Open::Table | Open::Row | Open::Cell => self.end_container(),
            Open::Para => {
                if let Some(p) = self.paras.pop() {
                    let text = match self.numbering.label(p.num_id, p.level, p.style.as_deref()) {
                        Some(label) => label + &p.text,
                        None => p.text,
                    };
                    self.add_block(Block::Para(text));
                }
            }
            Open::Run => self.runs = self.runs.saturating_sub(1),
            Open::Text => self.texts = self.texts.saturating_sub(1),
            Open::Other | Open::Skip => {}
        }
    }

    fn end_container(&mut self) {
        let Some(c) = self.containers.pop() else {
            return;
        };
        match c {
            Container::Table(rows) => {
                self.tables = self.tables.saturating_sub(1);
                self.add_block(Block::Table(rows));
            }
            Container::Row(row) => {
                if let Some(Container::Table(rows)) = self.containers.last_mut() {
                    rows.push(row);
                }
            }
            Container::Cell(cell) => {
                if let Some(Container::Row(row)) = self.containers.last_mut() {
                    row.cells.push(cell);
                }
            }
            Container::Blocks(b) => self.containers.push(Container::Blocks(b)),
        }
    }
}

/// Levels of a list (Word allows nine).
pub(super) const LEVELS: usize = 9;

/// One level of a list's numbering definition.
#[derive(Debug, Clone, Default)]
pub(super) struct Level {
    pub(super) start: u32,
    pub(super) format: String,
    /// The label with `%1`…`%9` for the counters, e.g. `%1、` or `（%2）`.
    pub(super) text: String,
    /// What follows the label: `tab` (the default), `space` or `nothing`.
    pub(super) suffix: String,
    /// Show every counter in decimal (`w:isLgl`).
    pub(super) legal: bool,
}

/// A `w:lvlOverride` of a list instance: a new start, or a whole new level.
#[derive(Debug, Default)]
struct Override {
    level: usize,
    start: Option<u32>,
    replace: Option<Level>,
}

/// A list instance (`w:num`) being read.
#[derive(Debug, Default)]
struct ListBuild {
    id: u32,
    abstract_id: Option<String>,
    overrides: Vec<Override>,
}

/// A paragraph style's numbering, and the style it is based on.
#[derive(Debug, Default)]
pub(super) struct StyleNum {
    pub(super) based_on: Option<String>,
    pub(super) num_id: Option<u32>,
    pub(super) level: Option<usize>,
}

/// List numbers: Word draws the 一、 (一) 1. of a numbered list itself, from
/// word/numbering.xml (and the numbering a paragraph style carries, in
/// word/styles.xml), so they are not in the paragraph's text. They are
/// rebuilt here, counted in document order, because the reader needs them
/// (a section heading is recognised by its 二、).
#[derive(Debug, Default)]
pub(super) struct Numbering {
    /// List instance (`w:num`) → its nine levels, overrides applied.
    pub(super) lists: HashMap<u32, Vec<Level>>,
    pub(super) styles: HashMap<String, StyleNum>,
    counters: HashMap<u32, [Option<u32>; LEVELS]>,
}

/// Attributes by local name, for the small parts read without namespaces.
fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

impl Numbering {
    fn read_numbering(&mut self, xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().expand_empty_elements = true;
        let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
        // The abstract definition being read, with its levels.
        let mut cur_abstract: Option<(String, Vec<Level>)> = None;
        let mut cur_list: Option<ListBuild> = None;
        // Word 2010 writes a custom format in mc:Choice and a plain one in
        // mc:Fallback after it: read in order, the plain one is kept.
        let mut level: Option<(usize, Level)> = None;
        loop {
            let Ok(event) = reader.read_event() else {
                return;
            };
            match event {
                Event::Start(e) => {
                    let local = e.local_name();
                    let name = local.as_ref();
                    match name {
                        "abstractNum" => {
                            cur_abstract =
                                Some((attr(&e, "abstractNumId").unwrap_or_default(), vec![Level::default(); LEVELS]));
                        }
                        "num" => {
                            let id = attr(&e, "numId").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
                            cur_list = Some(ListBuild { id, ..ListBuild::default() });
                        }
                        "abstractNumId" => {
                            if let Some(l) = &mut cur_list {
                                l.abstract_id = val(&e);
                            }
                        }
                        "lvlOverride" => {
                            if let Some(l) = &mut cur_list {
                                let level = attr(&e, "ilvl").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
                                l.overrides.push(Override { level, ..Override::default() });
                            }
                        }
                        "startOverride" => {
                            if let Some(last) = cur_list.as_mut().and_then(|l| l.overrides.last_mut()) {
                                last.start = val(&e).and_then(|v| v.trim().parse().ok());
                            }
                        }
                        "lvl" => {
                            let i = attr(&e, "ilvl").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
                            level = Some((i, Level { suffix: "tab".into(), ..Level::default() }));
                        }
                        "start" | "numFmt" | "lvlText" | "suff" | "isLgl" => {
                            if let Some((_, l)) = &mut level {
                                let v = val(&e);
                                match name {
                                    "start" => l.start = v.and_then(|v| v.trim().parse().ok()).unwrap_or(0),
                                    "numFmt" => l.format = v.unwrap_or_default(),
                                    "lvlText" => l.text = v.unwrap_or_default(),
                                    "suff" => l.suffix = v.unwrap_or_default(),
                                    _ => l.legal = !matches!(v.as_deref(), Some("0" | "false" | "off")),
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => {
                    let local = e.local_name();
                    match local.as_ref() {
                        "lvl" => {
                            if let Some((i, l)) = level.take() {
                                if let Some((_, levels)) = &mut cur_abstract {
                                    if i < LEVELS {
                                        levels[i] = l;
                                    }
                                } else if let Some(last) = cur_list.as_mut().and_then(|l| l.overrides.last_mut()) {
                                    last.replace = Some(l);
                                }
                            }
                        }
                        "abstractNum" => {
                            if let Some((id, levels)) = cur_abstract.take() {
                                abstracts.insert(id, levels);
                            }
                        }
                        "num" => {
                            let Some(list) = cur_list.take() else {
                                continue;
                            };
                            let Some(mut levels) = list.abstract_id.and_then(|a| abstracts.get(&a).cloned()) else {
                                continue;
                            };
                            for o in list.overrides.into_iter().filter(|o| o.level < LEVELS) {
                                if let Some(l) = o.replace {
                                    levels[o.level] = l;
                                }
                                if let Some(s) = o.start {
                                    levels[o.level].start = s;
                                }
                            }
                            self.lists.insert(list.id, levels);
                        }
                        _ => {}
                    }
                }
                Event::Eof => return,
                _ => {}
            }
        }
    }

    fn read_styles(&mut self, xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().expand_empty_elements = true;
        let mut cur: Option<(String, StyleNum)> = None;
        loop {
            let Ok(event) = reader.read_event() else {
                return;
            };
            match event {
                Event::Start(e) => match (e.local_name().as_ref(), &mut cur) {
                    ("style", _) => cur = Some((attr(&e, "styleId").unwrap_or_default(), StyleNum::default())),
                    ("basedOn", Some((_, s))) => s.based_on = val(&e),
                    ("numId", Some((_, s))) => s.num_id = val(&e).and_then(|v| v.trim().parse().ok()),
                    ("ilvl", Some((_, s))) => s.level = val(&e).and_then(|v| v.trim().parse().ok()),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "style" => {
                    if let Some((id, s)) = cur.take() {
                        self.styles.insert(id, s);
                    }
                }
                Event::Eof => return,
                _ => {}
            }
        }
    }

    /// The list number of a paragraph with these properties, counted.
    pub(super) fn label(&mut self, num_id: Option<u32>, level: Option<usize>, style: Option<&str>) -> Option<String> {
        let (id, level) = match num_id {
            Some(0) => return None,
            Some(id) => (id, level.unwrap_or(0)),
            None => {
                let mut name = style?.to_string();
                let mut found = None;
                for _ in 0..16 {
                    let s = self.styles.get(&name)?;
                    if let Some(id) = s.num_id {
                        found = Some((id, level.or(s.level).unwrap_or(0)));
                        break;
                    }
                    name = s.based_on.clone()?;
                }
                let (id, level) = found?;
                if id == 0 {
                    return None;
                }
                (id, level)
            }
        };
        let levels = self.lists.get(&id)?;
        let this = levels.get(level)?;
        let counters = self.counters.entry(id).or_insert([None; LEVELS]);
        counters[level] = Some(counters[level].map_or(this.start, |c| c.saturating_add(1)));
        for c in counters.iter_mut().skip(level + 1) {
            *c = None;
        }
        if this.format == "bullet" {
            return None;
        }
        let mut out = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            let k = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=9).contains(d));
            match (c, k) {
                ('%', Some(k)) => {
                    chars.next();
                    let i = k as usize - 1;
                    let n = counters[i].unwrap_or(levels[i].start);
                    let format = if this.legal { "decimal" } else { levels[i].format.as_str() };
                    out.push_str(&format_number(n, format));
                }
                _ => out.push(c),
            }
        }
        if out.trim().is_empty() {
            return None;
        }
        if this.suffix != "nothing" {
            out.push(' ');
        }
        Some(out)
    }
}

/// A counter in one of Word's number formats.
fn format_number(n: u32, format: &str) -> String {
    const SIMPLE: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const LEGAL_TRAD: [char; 10] = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
    let enclosed = |first: u32, max: u32| {
        if (1..=max).contains(&n) { char::from_u32(first + n - 1).map(String::from) } else { None }
    };
    let cycle = |set: &[char]| set[(n.max(1) as usize - 1) % set.len()].to_string();
    match format {
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => {
            n.to_string().chars().filter_map(|c| char::from_u32(c as u32 + 0xFEE0)).collect()
        }
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting" => chinese(n, SIMPLE, ['十', '百', '千'], true),
        "chineseLegalSimplified" => chinese(n, LEGAL, ['拾', '佰', '仟'], false),
        "ideographLegalTraditional" => chinese(n, LEGAL_TRAD, ['拾', '佰', '仟'], false),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| if c == '0' { '〇' } else { SIMPLE[c.to_digit(10).unwrap_or(0) as usize] })
            .collect(),
        "ideographTraditional" => cycle(&['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸']),
        "ideographZodiac" => cycle(&['子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥']),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
            enclosed(0x2460, 20).unwrap_or_else(|| n.to_string())
        }
        "decimalEnclosedParen" => enclosed(0x2474, 20).unwrap_or_else(|| n.to_string()),
        "decimalEnclosedFullstop" => enclosed(0x2488, 20).unwrap_or_else(|| n.to_string()),
        "ideographEnclosedCircle" => enclosed(0x3280, 10).unwrap_or_else(|| n.to_string()),
        "lowerLetter" | "upperLetter" => {
            let base = if format == "lowerLetter" { b'a' } else { b'A' };
            let n = n.max(1) - 1;
            let c = char::from(base + (n % 26) as u8);
            std::iter::repeat_n(c, (n / 26) as usize % 8 + 1).collect()
        }
        "lowerRoman" | "upperRoman" => {
            let r = roman(n);
            if format == "lowerRoman" { r.to_lowercase() } else { r }
        }
        "none" => String::new(),
        _ => n.to_string(),
    }
}

/// A number in Chinese counting: 十, 十一, 二十, 一百零一 (under 10000).
fn chinese(n: u32, digits: [char; 10], units: [char; 3], short_ten: bool) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let parts =
        [(n / 1000, Some(units[2])), (n / 100 % 10, Some(units[1])), (n / 10 % 10, Some(units[0])), (n % 10, None)];
    let mut out = String::new();
    let mut zero = false;
    for (d, unit) in parts {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push(digits[0]);
            zero = false;
        }
        let ten_alone = short_ten && d == 1 && out.is_empty() && unit == Some(units[0]);
        if !ten_alone {
            out.push(digits[d as usize]);
        }
        if let Some(u) = unit {
            out.push(u);
        }
    }
    out
}

fn roman(n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n.min(3999);
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The text of a cell: its paragraphs joined without separators, tabs and
/// `&nbsp;` as spaces, trimmed.
fn cell_text(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        if let Block::Para(t) = b {
            for c in t.chars() {
                match c {
                    '\n' => {}
                    '\t' | '\u{A0}' => s.push(' '),
                    c if is_invisible(c) => {}
                    c => s.push(c),
                }
            }
        }
    }
    let t = s.trim();
    if t.len() == s.len() { s } else { t.to_string() }
}

fn is_layout(rows: &[Row]) -> bool {
    rows.iter().flat_map(|r| &r.cells).any(|c| {
        c.blocks.iter().any(|b| matches!(b, Block::Table(_)))
            || cell_text(&c.blocks).chars().count() > LAYOUT_CELL_CHARS
    })
}

#[derive(Default)]
pub(super) struct Out {
    pub(super) lines: Vec<Line<'static>>,
    number: usize,
    budget: Budget,
}

impl Out {
    /// Add a line, numbered in document order.
    fn push(&mut self, make: impl FnOnce(usize) -> Line<'static>) {
        self.number += 1;
        self.lines.push(make(self.number));
    }

    pub(super) fn blocks(&mut self, blocks: Vec<Block>) -> Result<(), Rejection> {
        for b in blocks {
            match b {
                Block::Para(t) => self.para(&t),
                Block::Table(rows) if is_layout(&rows) => {
                    for cell in rows.into_iter().flat_map(|r| r.cells) {
                        self.blocks(cell.blocks)?;
                    }
                }
                Block::Table(rows) => self.grid(rows)?,
            }
        }
        Ok(())
    }

    /// A body paragraph: a line per `w:br`, a cell per `w:tab`.
    fn para(&mut self, text: &str) {
        for line in text.split('\n') {
            let cells: Vec<String> = line
                .split('\t')
                .map(|c| {
                    c.chars()
                        .filter(|&c| !is_invisible(c))
                        .map(|c| if c == '\u{A0}' { ' ' } else { c })
                        .collect::<String>()
                })
                .map(|c| c.trim().to_string())
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                self.push(|n| match <[String; 1]>::try_from(cells) {
                    Ok([one]) => Line::text(one, n),
                    Err(cells) => Line {
                        cells: cells.into_iter().map(super::Cell::new).collect(),
                        kind: super::Kind::Cells,
                        number: n,
                    },
                });
            }
        }
    }

    /// A data table: one grid line per row, spans expanded ([`super::grid`]).
    fn grid(&mut self, rows: Vec<Row>) -> Result<(), Rejection> {
        let mut raw = Vec::with_capacity(rows.len());
        for row in rows {
            let mut cells: Vec<grid::RawCell> = Vec::with_capacity(row.cells.len());
            for cell in row.cells {
                if cell.merged_left && !cell.merged_up {
                    // Old Word's w:hMerge: the cell widens the one to its left.
                    if let Some(prev) = cells.last_mut() {
                        prev.cols += cell.span;
                        continue;
                    }
                }
                let down = if cell.merged_up { grid::Down::MergeContinue } else { grid::Down::Alone };
                let text = if cell.merged_up { String::new() } else { cell_text(&cell.blocks) };
                cells.push(grid::RawCell { text, cols: cell.span, down });
            }
            raw.push(grid::RawRow { before: row.before, cells });
        }
        let rows = grid::expand(raw, self.budget.cells_left()).map_err(|_| self.budget.too_many_cells())?;
        for row in rows {
            if row.is_empty() {
                continue;
            }
            self.budget.cells(row.len())?;
            for (c, _) in &row {
                self.budget.bytes(c.len())?;
            }
            self.push(|n| Line::grid(row, n));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>"#;
    const TAIL: &str = "</w:body></w:document>";

    fn doc(body: &str) -> Vec<Line<'static>> {
        let xml = format!("{HEAD}{body}{TAIL}");
        let body = parse(&xml, &mut Numbering::default()).unwrap();
        let mut out = Out::default();
        out.blocks(body).unwrap();
        out.lines
    }

    fn cells<'a>(lines: &'a [Line<'static>]) -> Vec<Vec<&'a str>> {
        lines.iter().map(|l| l.cells.iter().map(|c| c.text.as_ref()).collect()).collect()
    }

    fn p(t: &str) -> String {
        format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>")
    }

    fn tc(props: &str, body: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
    }

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in files {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn paragraphs_join_runs_and_break_at_br() {
        let l = doc("<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>\
             <w:r><w:t>民权县人和镇人民政府</w:t></w:r><w:r><w:br/></w:r>\
             <w:r><w:t xml:space=\"preserve\">20</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>24 年</w:t></w:r>\
             <w:r><w:t>政府信息公开工作年度报告</w:t></w:r></w:p><w:p/>\
             <w:p><w:r><w:t>规章</w:t><w:tab/><w:t>1</w:t><w:tab/><w:t>0</w:t></w:r></w:p>\
             <w:p><w:r><w:t>A &amp; B &#x4E00;</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del>\
             <w:r><w:instrText>PAGE</w:instrText></w:r></w:p>");
        assert_eq!(
            cells(&l),
            vec![
                vec!["民权县人和镇人民政府"],
                vec!["2024 年政府信息公开工作年度报告"],
                vec!["规章", "1", "0"],
                vec!["A & B 一"],
            ]
        );
        assert!(l.iter().all(|l| !l.is_grid()));
        assert_eq!(l.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[test]
    fn grid_span_repeats_and_vmerge_copies_the_cell_above() {
        let rows = [
            format!(
                "<w:tr>{}{}{}</w:tr>",
                tc("<w:vMerge w:val=\"restart\"/>", &p("三、本年度办理结果")),
                tc("<w:gridSpan w:val=\"2\"/>", &p("(一) 予以公开")),
                tc("", "<w:p><w:r><w:t>1</w:t></w:r><w:r><w:t>2</w:t></w:r></w:p>")
            ),
            format!(
                "<w:tr>{}{}{}{}</w:tr>",
                tc("<w:vMerge/>", "<w:p/>"),
                tc("<w:vMerge w:val=\"restart\"/>", &p("(三) 不予公开")),
                tc("", &p("1. 属于国家秘密")),
                tc("", &p("0"))
            ),
            format!(
                "<w:tr>{}{}{}{}</w:tr>",
                tc("<w:vMerge w:val=\"continue\"/>", "<w:p/>"),
                tc("<w:vMerge/>", ""),
                tc("", &format!("{}{}", p("2. 其他法律"), p("行政法规禁止公开"))),
                tc("", "<w:p><w:r><w:t>\u{A0}</w:t></w:r></w:p>")
            ),
            format!(
                "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}{}</w:tr>",
                tc("<w:gridSpan w:val=\"2\"/>", &p("x")),
                tc("", &p("5"))
            ),
        ];
        let l = doc(&format!("<w:tbl><w:tblGrid/>{}</w:tbl>", rows.concat()));
        assert_eq!(
            cells(&l),
            vec![
                vec!["三、本年度办理结果", "(一) 予以公开", "(一) 予以公开", "12"],
                vec!["三、本年度办理结果", "(三) 不予公开", "1. 属于国家秘密", "0"],
                vec!["三、本年度办理结果", "(三) 不予公开", "2. 其他法律行政法规禁止公开", ""],
                vec!["", "x", "x", "5"],
            ]
        );
        assert!(l.iter().all(|l| l.is_grid()));
    }

    #[test]
    fn nested_table_makes_the_outer_one_layout() {
        let inner = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", tc("", &p("规章")), tc("", &p("3")));
        let l = doc(&format!(
            "<w:tbl><w:tr>{}</w:tr><w:tr>{}</w:tr></w:tbl>",
            tc("", &p("标题")),
            tc("", &format!("{}{inner}{}", p("二、主动公开"), p("三、")))
        ));
        assert_eq!(cells(&l), vec![vec!["标题"], vec!["二、主动公开"], vec!["规章", "3"], vec!["三、"]]);
        assert_eq!(l.iter().map(|l| l.is_grid()).collect::<Vec<_>>(), [false, false, true, false]);
    }

    #[test]
    fn text_box_fallback_is_not_read_twice() {
        let l = doc("<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>\
             <w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>\
             </mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>");
        assert_eq!(cells(&l), vec![vec!["框"], vec!["正文"]]);
    }

    #[test]
    fn a_whole_docx_is_read_from_its_zip() {
        let xml = format!("{HEAD}{}{TAIL}", p("你好"));
        let bytes = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", xml.as_bytes())]);
        assert_eq!(cells(&read(&bytes).unwrap()), vec![vec!["你好"]]);
    }

    #[test]
    fn main_part_under_another_name_is_found_by_its_relationship() {
        let xml = format!("{HEAD}{}{TAIL}", p("你好"));
        let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
        let bytes = zip_of(&[("_rels/.rels", rels), ("word/document2.xml", xml.as_bytes())]);
        assert_eq!(cells(&read(&bytes).unwrap()), vec![vec!["你好"]]);
    }

    #[test]
    fn not_a_zip_is_rejected_with_a_reason() {
        let r = read("民权县人和镇 2024 年报告".as_bytes()).unwrap_err();
        assert_eq!(r.kind, RejectKind::Encoding);
        assert!(r.detail.contains("not a zip archive"), "{r}");
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        let r = read(&ole).unwrap_err();
        assert!(r.detail.contains("old Word .doc"), "{r}");
    }

    #[test]
    fn zip_without_document_xml_is_rejected() {
        let bytes = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
        let r = read(&bytes).unwrap_err();
        assert_eq!(r.kind, RejectKind::NotAReport);
        assert!(r.detail.contains("no word/document.xml"), "{r}");
    }

    #[test]
    fn bad_xml_is_rejected() {
        let bytes = zip_of(&[("word/document.xml", b"<w:document><w:body><w:p></w:body>")]);
        let r = read(&bytes).unwrap_err();
        assert_eq!(r.kind, RejectKind::Encoding);
        assert!(r.detail.contains("not well-formed XML"), "{r}");
        let bytes = zip_of(&[("word/document.xml", b"\xff\xfe<\x00d")]);
        assert_eq!(read(&bytes).unwrap_err().kind, RejectKind::Encoding);
    }

    #[test]
    fn list_parts_past_their_cap_or_the_total_are_left_out() {
        let document = format!("{HEAD}{}{TAIL}", p("人和镇"));
        let big = vec![b' '; 3 << 20];
        let bytes = zip_of(&[
            ("word/document.xml", document.as_bytes()),
            ("word/numbering.xml", &big),
            ("word/styles.xml", b"<w:styles/>"),
        ]);
        let caps = Caps { document: 4 << 20, lists: 2 << 20, total: 8 << 20 };
        let p = open_package_capped(&bytes, caps).unwrap();
        assert!(p.numbering.is_none() && p.styles.is_some(), "numbering is past its cap");
        let p = open_package_capped(&bytes, Caps { lists: 4 << 20, ..caps }).unwrap();
        assert!(p.numbering.is_some());
        // What is left of the total after the document decides.
        let p = open_package_capped(&bytes, Caps { lists: 4 << 20, total: 2 << 20, ..caps }).unwrap();
        assert!(p.numbering.is_none() && p.styles.is_some());
        // The reservation covers what the parts inflate to.
        let p = open_package_capped(&bytes, Caps { lists: 4 << 20, ..caps }).unwrap();
        assert!(p.reserved.bytes() >= (3 << 20) * COST_PER_BYTE);
    }

    #[test]
    fn a_zip_bomb_is_capped() {
        // 3 MB of spaces deflate to a few KB; with a 2 MB cap it is refused
        // before it is inflated (the real cap is 32 MB).
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file("word/document.xml", opts).unwrap();
        w.write_all(&vec![b' '; 3 << 20]).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(bytes.len() < 64 << 10);
        let r = open_package_capped(&bytes, Caps { document: 2 << 20, ..CAPS }).err().unwrap();
        assert_eq!(r.kind, RejectKind::NotAReport);
        assert!(r.detail.contains("zip bomb"), "{r}");
        assert!(open_package_capped(&bytes, Caps { document: 4 << 20, ..CAPS }).is_ok());
        let r = open_package_capped(&bytes, Caps { total: 2 << 20, ..CAPS }).err().unwrap();
        assert!(r.detail.contains("zip bomb"), "{r}");
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
        <w:abstractNum w:abstractNumId="3">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
          <w:lvl w:ilvl="2"><w:start w:val="1"/>
            <mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="01, 02, 03, ..."/></mc:Choice>
            <mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>
            <w:lvlText w:val="%3."/></w:lvl>
        </w:abstractNum>
        <w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF06C;"/></w:lvl></w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="3"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
        <w:num w:numId="7"><w:abstractNumId w:val="4"/></w:num>
        </w:numbering>"#;

    const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
        <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Mine"><w:basedOn w:val="1"/></w:style>
        </w:styles>"#;

    fn numbered(num: Option<(u32, u32)>, style: Option<&str>, text: &str) -> String {
        let np = num.map_or(String::new(), |(id, l)| {
            format!("<w:numPr><w:ilvl w:val=\"{l}\"/><w:numId w:val=\"{id}\"/></w:numPr>")
        });
        let st = style.map_or(String::new(), |s| format!("<w:pStyle w:val=\"{s}\"/>"));
        format!("<w:p><w:pPr>{st}{np}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn list_numbers_word_draws_are_put_back() {
        let body = [
            numbered(Some((1, 0)), None, "总体情况"),
            numbered(Some((1, 1)), None, "主动公开情况"),
            numbered(Some((1, 1)), None, "依申请公开情况"),
            numbered(Some((1, 2)), None, "属于国家秘密"),
            numbered(None, Some("1"), "主动公开政府信息情况"),
            numbered(Some((1, 1)), None, "重新从一"),
            numbered(None, Some("Mine"), "收到和处理政府信息公开申请情况"),
            numbered(Some((0, 0)), Some("1"), "不编号"),
            numbered(Some((7, 0)), None, "圆点"),
            numbered(Some((2, 0)), None, "从五开始"),
        ]
        .concat();
        let xml = format!("{HEAD}{body}{TAIL}");
        let bytes = zip_of(&[
            ("word/document.xml", xml.as_bytes()),
            ("word/numbering.xml", NUMBERING.as_bytes()),
            ("word/styles.xml", STYLES.as_bytes()),
        ]);
        let l = read(&bytes).unwrap();
        let texts: Vec<&str> = l.iter().map(|l| l.cells[0].text.as_ref()).collect();
        assert_eq!(
            texts,
            [
                "一、总体情况",
                "（一） 主动公开情况",
                "（二） 依申请公开情况",
                "1. 属于国家秘密",
                "二、主动公开政府信息情况",
                "（一） 重新从一",
                "三、收到和处理政府信息公开申请情况",
                "不编号",
                "圆点",
                "五、从五开始",
            ]
        );
    }

    #[test]
    fn number_formats() {
        let f = format_number;
        assert_eq!(
            [f(1, "chineseCounting"), f(10, "chineseCounting"), f(11, "chineseCountingThousand")],
            ["一", "十", "十一"]
        );
        assert_eq!(
            [f(20, "chineseCounting"), f(101, "chineseCounting"), f(1010, "chineseCounting")],
            ["二十", "一百零一", "一千零一十"]
        );
        assert_eq!(
            [f(10, "chineseLegalSimplified"), f(3, "decimalEnclosedCircle"), f(12, "ideographDigital")],
            ["壹拾", "③", "一二"]
        );
        assert_eq!([f(2, "ideographTraditional"), f(28, "lowerLetter"), f(14, "upperRoman")], ["乙", "bb", "XIV"]);
        assert_eq!([f(7, "decimalFullWidth"), f(7, "none"), f(7, "whatever")], ["７", "", "7"]);
    }

    #[test]
    fn tables_nested_too_deep_are_rejected() {
        let body = format!("{}{}", "<w:tbl><w:tr><w:tc>".repeat(40), "</w:tc></w:tr></w:tbl>".repeat(40));
        let r = parse(&format!("{HEAD}{body}{TAIL}"), &mut Numbering::default()).unwrap_err();
        assert_eq!(r.kind, RejectKind::NotAReport);
    }

    #[test]
    fn enter_scope_keeps_the_scopes_namespace_push_keeps() {
        // The same tags through `push` (what NsReader does) and
        // `enter_scope`: same depth and same resolution after each.
        let xml = "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main' \
                   xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'>\
                   <w:body a='xmlns'><x:p xmlns:x='http://purl.oclc.org/ooxml/wordprocessingml/main'>\
                   <w:r xmlns='urn:d'><t/><w:t xmlns:w='urn:other'/></w:r></x:p><mc:Fallback/>\
                   <p xmlns=''/></w:body></w:document>";
        let mut reader = Reader::from_str(xml);
        reader.config_mut().expand_empty_elements = true;
        let (mut pushed, mut entered) = (NamespaceResolver::default(), NamespaceResolver::default());
        let mut starts = 0;
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) => {
                    pushed.push(&e).unwrap();
                    enter_scope(&mut entered, &e).unwrap();
                    starts += 1;
                    assert_eq!(pushed.level(), entered.level());
                    for name in ["w:p", "x:p", "mc:Fallback", "p", "y:p"] {
                        let q = quick_xml::name::QName(name);
                        assert_eq!(
                            format!("{:?}", pushed.resolve_element(q)),
                            format!("{:?}", entered.resolve_element(q)),
                            "{name}"
                        );
                    }
                }
                Event::End(_) => {
                    pushed.pop();
                    entered.pop();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(starts, 8);
        assert_eq!(entered.level(), 0);
        // A prefix other than `w:` bound to Word's namespace is still read.
        let l = doc("<x:p xmlns:x='http://purl.oclc.org/ooxml/wordprocessingml/main'>\
                     <x:r><x:t>甲</x:t></x:r></x:p><w:p><w:r><w:t>乙</w:t></w:r></w:p>");
        assert_eq!(cells(&l), vec![vec!["甲"], vec!["乙"]]);
    }
}
