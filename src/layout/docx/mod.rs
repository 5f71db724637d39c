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
//!
//! The reader is in parts: `package` opens the zip and inflates the parts
//! it reads, within their caps; `document` parses `word/document.xml` into
//! blocks (paragraphs and tables); `numbering` rebuilds the list numbers Word
//! draws itself; `out` turns blocks into lines, tables on their grid. The
//! .doc reader ([`super::doc`]) makes the same blocks and reuses the last two.
//! This file holds the entry point, the limits, the XML helpers the parts
//! share and the blocks themselves; it knows nothing of the format's
//! details, which are the parts'.

mod document;
mod numbering;
mod out;
mod package;
#[cfg(test)]
mod tests;

pub(super) use numbering::{LEVELS, Level, Numbering, StyleNum};
pub(super) use out::Out;

use super::Line;
use crate::error::{RejectKind, Rejection};
use document::parse;
use package::open_package;
use quick_xml::XmlVersion;
use quick_xml::events::BytesStart;

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
