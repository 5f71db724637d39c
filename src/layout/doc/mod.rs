//! Word 97-2003 `.doc` files, and WPS 文字's `.wps` (the same binary format):
//! the report's paragraphs as lines, its tables as exact grid rows, the same
//! lines the [`super::docx`] reader gives for the same document.
//!
//! A .doc is an OLE compound file ([`cfb`]). Its `WordDocument` stream starts
//! with the FIB, which says where everything else is; most of it lies in the
//! table stream (`0Table` or `1Table`, as the FIB's fWhichTblStm says):
//!
//! - the piece table (CLX → PlcPcd) maps the document's characters (CPs) to
//!   where their bytes are in `WordDocument`: 8-bit CP1252 ("compressed") or
//!   UTF-16LE. The main text is the first ccpText characters.
//! - character properties (PlcBteChpx → ChpxFkp pages): deleted text of
//!   tracked changes (sprmCFRMarkDel), hidden text (sprmCFVanish), and the
//!   special characters (sprmCFSpec: pictures, footnote marks, symbols).
//! - paragraph properties (PlcBtePapx → PapxFkp pages, and sprmPHugePapx in
//!   the `Data` stream): a paragraph's table depth (sprmPFInTable,
//!   sprmPItap), whether it ends a row (sprmPFTtp, sprmPFInnerTtp) and, for
//!   a row's end, the row's cells (sprmTDefTable: cell edges and merge
//!   flags); its list (sprmPIlfo, sprmPIlvl) and style.
//! - the list tables (PlfLst, PlfLfo) and the style sheet (STSH), for the
//!   list numbers (一、 （一）) Word draws itself.
//!
//! The text: U+000D ends a paragraph, U+0007 a table cell (and, in a paragraph
//! marked as a row's end, the row); U+000B is a line break and U+000C a page
//! break (or, at the end of a paragraph's properties, a section's end);
//! U+0013 … U+0014 … U+0015 is a field, whose code (before U+0014) is left
//! out and whose result is kept.
//!
//! Tables come out as the .docx reader makes them: a cell's column span is
//! counted on the table's grid, the union of every row's cell edges (Word's
//! own grid); a cell merged down (fVertMerge without fVertRestart) takes the
//! text of the cell above; the old horizontal merge (fMerged) widens the
//! cell to its left. A table inside a table, or a cell with a page of text,
//! is page layout: read as paragraphs, like .docx.
//!
//! Where the two readers differ: hidden text is left out here (the .docx
//! reader keeps `w:vanish` text); text boxes are not read here (a .doc keeps
//! them in a story of their own, a .docx inline, where the .docx reader
//! reads them); a symbol-font character (U+F000–U+F0FF, what LibreOffice
//! writes for a `w:sym`) is left out, as the .docx reader leaves out `w:sym`.
//!
//! Not read: headers, footers, footnotes and comments (separate stories, as
//! they are separate parts of a .docx that the .docx reader does not read
//! either); numbering of Word 6 style (ANLD); properties a fast-saved file
//! keeps in a piece's single-sprm Prm0 (a Prm1's list of sprms is read); the
//! table sprms that edit a row's definition cell by cell (sprmTInsert,
//! sprmTDelete, sprmTDxaCol; sprmTMerge, sprmTSplit and sprmTVertMerge are
//! read); character styles (a style that hides text).
//!
//! The reader is in parts: `fib` (the FIB: where everything is), `paragraphs`
//! (the piece table, the property pages, the main text as paragraphs),
//! `props` (the sprms and what the reader keeps of them), `lists` (list
//! numbers and the styles' numbering), `tables` (paragraphs into the .docx
//! reader's blocks, rows on the table's grid). This file owns the compound
//! file (its streams, and what a file that is not a Word document is), the
//! limits and the byte readers; the lines come out of the .docx reader's
//! output stage, so this reader knows nothing of how blocks become lines.

mod fib;
mod lists;
mod paragraphs;
mod props;
mod tables;
#[cfg(test)]
mod tests;

use super::Line;
use super::docx::Out;
use crate::error::{RejectKind, Rejection};
use fib::Fib;
use paragraphs::Doc;
use std::io::{Cursor, Read};
use tables::build;

/// The most characters of main text read: a long annual report is well under
/// 100 000; a FIB that claims more is damaged or not a report.
pub const MAX_TEXT_CHARS: u32 = 4 << 20;

/// The largest stream read from the compound file (the file itself is at
/// most [`crate::MAX_DOCX_BYTES`]).
const MAX_STREAM_BYTES: u64 = 128 << 20;

/// Property runs read at most (each FKP page holds about a hundred).
const MAX_RUNS: usize = 1 << 22;

/// Tables nested deeper than this are not a report's (Word stops at 63).
const MAX_TABLE_DEPTH: usize = 32;

/// Widest span honoured, and most cells a row's definition may list.
const MAX_SPAN: usize = 64;

/// Lists and list instances read at most (Word allows 2047 instances).
const MAX_LISTS: usize = 4096;

/// Styles read at most (Word allows about 4000).
const MAX_STYLES: usize = 4096;

/// Fields nested deeper than this are counted, not remembered.
const MAX_FIELD_DEPTH: usize = 64;

/// Two cell edges closer than this (in twips, 1/1440 inch) are one grid line:
/// a writer that rounds widths row by row lands a few twips apart.
const EDGE_TOLERANCE: i32 = 10;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The FIB's nFib of Word 97; Word 6 and 95 wrote 101 to 105.
const NFIB_WORD97: u16 = 0x00C1;

/// Read a .doc (or WPS .wps) file's bytes into lines of cells.
pub fn read(bytes: &[u8]) -> Result<Vec<Line<'static>>, Rejection> {
    if !bytes.starts_with(&OLE_MAGIC) {
        return not_ole(bytes);
    }
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| damaged(format!("its compound-file structure cannot be read ({e})")))?;
    if !file.is_stream("WordDocument") {
        return Err(not_word(&file));
    }
    let word = read_stream(&mut file, "WordDocument", bytes.len())?;
    let fib = Fib::parse(&word)?;
    let table_name = if fib.which_table { "1Table" } else { "0Table" };
    if !file.is_stream(table_name) {
        return Err(damaged(format!("the FIB names a table stream {table_name} that the file does not have")));
    }
    let table = read_stream(&mut file, table_name, bytes.len())?;
    let data = if file.is_stream("Data") { read_stream(&mut file, "Data", bytes.len()).ok() } else { None };
    let doc = Doc { word, table, data: data.unwrap_or_default(), fib };
    let pieces = doc.pieces()?;
    let chars = doc.char_runs()?;
    let paras = doc.para_runs()?;
    let mut numbering = doc.numbering();
    let paras = doc.paragraphs(&pieces, &chars, &paras)?;
    let body = build(paras, &mut numbering)?;
    let mut out = Out::default();
    out.blocks(body)?;
    Ok(out.lines)
}

fn damaged(what: impl std::fmt::Display) -> Rejection {
    Rejection::doc(
        RejectKind::Encoding,
        format!("the Word .doc file is damaged: {what}: open it in Word or WPS and save it again (as .docx)"),
        format!("Word .doc 文件已损坏（{what}）：请用 Word 或 WPS 打开，另存为 .docx"),
    )
}

fn unsupported(en: impl Into<String>, zh: impl Into<String>) -> Rejection {
    Rejection::doc(RejectKind::Unsupported, en, zh)
}

/// Bytes with a .doc name that are not a compound file: a .docx renamed
/// (read as one), or a web page, RTF or an old WPS file (rejected with what
/// to do).
fn not_ole(bytes: &[u8]) -> Result<Vec<Line<'static>>, Rejection> {
    if bytes.starts_with(b"PK\x03\x04") {
        return super::docx::read(bytes);
    }
    let head = &bytes[..bytes.len().min(512)];
    let start = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = &start[start.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(start.len())..];
    if start.starts_with(b"{\\rtf") {
        return Err(unsupported(
            "an RTF file with a Word name: RTF is not read: open it in Word or WPS and save it as .docx",
            "这是扩展名为 .doc 的 RTF 文件，不读取 RTF：请用 Word 或 WPS 打开，另存为 .docx",
        ));
    }
    let lower = start.to_ascii_lowercase();
    if lower.starts_with(b"mime-version") {
        return Err(unsupported(
            "a Word web archive (.mht) with a .doc name: open it in Word or WPS and save it as .docx",
            "这是扩展名为 .doc 的网页存档（.mht）：请用 Word 或 WPS 打开，另存为 .docx",
        ));
    }
    if lower.starts_with(b"<html") || lower.starts_with(b"<!doctype html") || lower.starts_with(b"<?xml") {
        return Err(unsupported(
            "a web page (HTML or Word XML) with a .doc name: rename it to .html, or open it in Word or WPS and save it as .docx",
            "这是扩展名为 .doc 的网页（HTML 或 Word XML）：请改扩展名为 .html，或用 Word 或 WPS 另存为 .docx",
        ));
    }
    Err(unsupported(
        "not a Word 97-2003 file (no OLE compound-file header): an older WPS or DOS file, or damaged: open it in WPS or Word and save it as .docx",
        "不是 Word 97-2003 文件：可能是旧版 WPS 或 DOS 文件，或已损坏：请用 WPS 或 Word 打开，另存为 .docx",
    ))
}

/// A compound file without a WordDocument stream: say what it is instead.
fn not_word<F: Read + std::io::Seek>(file: &cfb::CompoundFile<F>) -> Rejection {
    let names: Vec<String> = file.read_root_storage().map(|e| e.name().to_string()).collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("EncryptedPackage") || has("EncryptionInfo") {
        return unsupported(
            "a password-protected (encrypted) Word file: open it in Word or WPS, remove the password and save it again",
            "Word 文件设有密码（已加密）：请用 Word 或 WPS 打开，取消密码后重新保存",
        );
    }
    if has("CONTENTS") || has("MatOST") || has("SPELLING") {
        return unsupported(
            "a Microsoft Works .wps file, not a WPS 文字 file: open it in Works, Word or LibreOffice and save it as .docx",
            "这是 Microsoft Works 的 .wps 文件，不是 WPS 文字文件：请用 Works、Word 或 LibreOffice 打开，另存为 .docx",
        );
    }
    if has("Workbook") || has("Book") {
        return Rejection::doc(
            RejectKind::NotAReport,
            "an Excel spreadsheet with a Word name, not a report",
            "这是扩展名为 Word 的 Excel 表格，不是报告",
        );
    }
    if has("PowerPoint Document") {
        return Rejection::doc(
            RejectKind::NotAReport,
            "a PowerPoint presentation with a Word name, not a report",
            "这是扩展名为 Word 的 PowerPoint 演示文稿，不是报告",
        );
    }
    let mut list = names.join(", ");
    if list.chars().count() > 120 {
        list = list.chars().take(120).collect::<String>() + "…";
    }
    unsupported(
        format!(
            "an OLE compound file but not a Word document (it has no WordDocument stream; it holds: {list}): open it in the program that made it and save it as .docx"
        ),
        format!("这是 OLE 复合文件，但不是 Word 文档（其中有：{list}）：请用生成它的软件打开，另存为 .docx"),
    )
}

/// A stream's bytes; `file_len` bounds what is reserved for them (a damaged
/// directory may claim any length; the read stops where the stream does).
fn read_stream<F: Read + std::io::Seek>(
    file: &mut cfb::CompoundFile<F>,
    name: &str,
    file_len: usize,
) -> Result<Vec<u8>, Rejection> {
    let stream = file.open_stream(name).map_err(|e| damaged(format!("its {name} stream cannot be opened ({e})")))?;
    if stream.len() > MAX_STREAM_BYTES {
        return Err(damaged(format!("its {name} stream claims {} MB", stream.len() >> 20)));
    }
    let mut buf = Vec::with_capacity((stream.len() as usize).min(file_len));
    stream
        .take(MAX_STREAM_BYTES)
        .read_to_end(&mut buf)
        .map_err(|e| damaged(format!("its {name} stream cannot be read ({e})")))?;
    Ok(buf)
}

fn u8_at(b: &[u8], at: usize) -> Option<u8> {
    b.get(at).copied()
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn i16_at(b: &[u8], at: usize) -> Option<i16> {
    u16_at(b, at).map(|v| v as i16)
}

/// `len` bytes at `at`, if the slice holds them.
fn slice_at(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}
