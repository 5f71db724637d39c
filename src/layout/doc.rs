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
//! Not read: text boxes, headers, footers, footnotes and comments (they are
//! separate stories of the file, as they are separate parts of a .docx that
//! the .docx reader does not read either); numbering of Word 6 style (ANLD);
//! properties that fast-saved files keep in the piece table (Prm).

use super::Line;
use super::docx::{Block, Cell, LEVELS, Level, Numbering, Out, Row, StyleNum};
use crate::error::{RejectKind, Rejection};
use std::io::{Cursor, Read};

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
    let word = read_stream(&mut file, "WordDocument")?;
    let fib = Fib::parse(&word)?;
    let table_name = if fib.which_table { "1Table" } else { "0Table" };
    if !file.is_stream(table_name) {
        return Err(damaged(format!("the FIB names a table stream {table_name} that the file does not have")));
    }
    let table = read_stream(&mut file, table_name)?;
    let data = if file.is_stream("Data") { read_stream(&mut file, "Data").ok() } else { None };
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
    )
}

fn unsupported(detail: impl Into<String>) -> Rejection {
    Rejection::doc(RejectKind::Unsupported, detail)
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
        ));
    }
    let lower = start.to_ascii_lowercase();
    if lower.starts_with(b"mime-version") {
        return Err(unsupported(
            "a Word web archive (.mht) with a .doc name: open it in Word or WPS and save it as .docx",
        ));
    }
    if lower.starts_with(b"<html") || lower.starts_with(b"<!doctype html") || lower.starts_with(b"<?xml") {
        return Err(unsupported(
            "a web page (HTML or Word XML) with a .doc name: rename it to .html, or open it in Word or WPS and save it as .docx",
        ));
    }
    Err(unsupported(
        "not a Word 97-2003 file (no OLE compound-file header): an older WPS or DOS file, or damaged: open it in WPS or Word and save it as .docx",
    ))
}

/// A compound file without a WordDocument stream: say what it is instead.
fn not_word<F: Read + std::io::Seek>(file: &cfb::CompoundFile<F>) -> Rejection {
    let names: Vec<String> = file.read_root_storage().map(|e| e.name().to_string()).collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("EncryptedPackage") || has("EncryptionInfo") {
        return unsupported(
            "a password-protected (encrypted) Word file: open it in Word or WPS, remove the password and save it again",
        );
    }
    if has("CONTENTS") || has("MatOST") || has("SPELLING") {
        return unsupported(
            "a Microsoft Works .wps file, not a WPS 文字 file: open it in Works, Word or LibreOffice and save it as .docx",
        );
    }
    if has("Workbook") || has("Book") {
        return Rejection::doc(RejectKind::NotAReport, "an Excel spreadsheet with a Word name, not a report");
    }
    if has("PowerPoint Document") {
        return Rejection::doc(RejectKind::NotAReport, "a PowerPoint presentation with a Word name, not a report");
    }
    let mut list = names.join(", ");
    if list.chars().count() > 120 {
        list = list.chars().take(120).collect::<String>() + "…";
    }
    unsupported(format!(
        "an OLE compound file but not a Word document (it has no WordDocument stream; it holds: {list}): open it in the program that made it and save it as .docx"
    ))
}

fn read_stream<F: Read + std::io::Seek>(file: &mut cfb::CompoundFile<F>, name: &str) -> Result<Vec<u8>, Rejection> {
    let stream = file.open_stream(name).map_err(|e| damaged(format!("its {name} stream cannot be opened ({e})")))?;
    if stream.len() > MAX_STREAM_BYTES {
        return Err(damaged(format!("its {name} stream claims {} MB", stream.len() >> 20)));
    }
    let mut buf = Vec::with_capacity(stream.len() as usize);
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

/// What the FIB says.
#[derive(Debug)]
struct Fib {
    which_table: bool,
    ccp_text: u32,
    /// The fc/lcb pairs (FibRgFcLcb), by index.
    fc_lcb: Vec<(u32, u32)>,
}

/// Indexes into FibRgFcLcb97.
const FC_STSHF: usize = 1;
const FC_PLCF_BTE_CHPX: usize = 12;
const FC_PLCF_BTE_PAPX: usize = 13;
const FC_CLX: usize = 33;
const FC_PLF_LST: usize = 73;
const FC_PLF_LFO: usize = 74;

impl Fib {
    fn parse(w: &[u8]) -> Result<Fib, Rejection> {
        let short = || damaged("the WordDocument stream is too short for its FIB");
        let ident = u16_at(w, 0).ok_or_else(short)?;
        let n_fib = u16_at(w, 2).ok_or_else(short)?;
        let flags = u16_at(w, 0x0A).ok_or_else(short)?;
        if flags & 0x0100 != 0 {
            return Err(unsupported(
                "an encrypted (password-protected) Word file: open it in Word or WPS, remove the password and save it again",
            ));
        }
        if !matches!(ident, 0xA5EC | 0xA5DC | 0xA5DB | 0xA59B) {
            return Err(damaged(format!("its FIB does not start like Word's (0x{ident:04X})")));
        }
        if n_fib < NFIB_WORD97 || ident != 0xA5EC {
            return Err(unsupported(format!(
                "a Word 6/95 (or older) file (nFib {n_fib}): this old format is not read: open it in Word or WPS and save it as .docx"
            )));
        }
        let csw = u16_at(w, 0x20).ok_or_else(short)? as usize;
        let lw = 0x22 + csw * 2;
        let cslw = u16_at(w, lw).ok_or_else(short)? as usize;
        let rg_lw = lw + 2;
        let ccp_text = if cslw > 3 { u32_at(w, rg_lw + 12).ok_or_else(short)? } else { 0 };
        if ccp_text > i32::MAX as u32 {
            return Err(damaged("its FIB gives a negative text length"));
        }
        if ccp_text > MAX_TEXT_CHARS {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!("its text is {ccp_text} characters long, far beyond any annual report: not read"),
            ));
        }
        let blob = rg_lw + cslw * 4;
        let count = u16_at(w, blob).ok_or_else(short)? as usize;
        let fc_lcb = (0..count)
            .map_while(|i| Some((u32_at(w, blob + 2 + 8 * i)?, u32_at(w, blob + 6 + 8 * i)?)))
            .collect::<Vec<_>>();
        if fc_lcb.len() <= FC_CLX {
            return Err(damaged("its FIB is cut short (no piece table entry)"));
        }
        Ok(Fib { which_table: flags & 0x0200 != 0, ccp_text, fc_lcb })
    }
}

/// The streams of the document.
struct Doc {
    word: Vec<u8>,
    table: Vec<u8>,
    data: Vec<u8>,
    fib: Fib,
}

/// One piece of the text: characters `cp..cp_end` at byte `fc` of
/// `WordDocument`, one byte each (CP1252) or two (UTF-16LE).
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
    /// Character properties the piece's Prm gives all its text.
    flags: CharFlags,
}

/// What the reader needs of a run of characters' properties.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct CharFlags {
    deleted: bool,
    hidden: bool,
    special: bool,
}

impl CharFlags {
    fn or(self, o: CharFlags) -> CharFlags {
        CharFlags {
            deleted: self.deleted || o.deleted,
            hidden: self.hidden || o.hidden,
            special: self.special || o.special,
        }
    }
}

/// Properties over runs of file positions (fc), sorted.
struct Runs<T> {
    runs: Vec<(u32, u32, T)>,
}

impl<T: Copy> Runs<T> {
    fn new(mut runs: Vec<(u32, u32, T)>) -> Runs<T> {
        runs.sort_by_key(|r| (r.0, r.1));
        Runs { runs }
    }

    /// The run that holds `fc`, searched from the run that held the last one
    /// (text is read in file order, piece by piece).
    fn find(&self, fc: u32, hint: &mut usize) -> Option<(u32, u32, T)> {
        if let Some(&r) = self.runs.get(*hint) {
            if r.0 <= fc && fc < r.1 {
                return Some(r);
            }
        }
        if let Some(&r) = self.runs.get(*hint + 1) {
            if r.0 <= fc && fc < r.1 {
                *hint += 1;
                return Some(r);
            }
        }
        let i = self.runs.partition_point(|r| r.1 <= fc);
        let r = *self.runs.get(i)?;
        *hint = i;
        (r.0 <= fc).then_some(r)
    }

    /// Does a run end exactly at `fc`?
    fn ends_at(&self, fc: u32) -> bool {
        let i = self.runs.partition_point(|r| r.1 < fc);
        self.runs.get(i).is_some_and(|r| r.1 == fc)
    }
}

/// Where a paragraph's properties are: a PapxFkp page and the BX offset.
#[derive(Debug, Clone, Copy)]
struct PapRef {
    page: u32,
    offset: u8,
}

/// A sprm (property modifier) and its operand.
fn sprms(g: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let op = u16_at(g, pos)?;
        let at = pos + 2;
        let (start, len) = match op >> 13 {
            0 | 1 => (at, 1),
            2 | 4 | 5 => (at, 2),
            3 => (at, 4),
            7 => (at, 3),
            _ => match op {
                // sprmTDefTable and sprmTDefTable10: a two-byte length, one
                // more than the bytes that follow it.
                0xD608 | 0xD606 => (at + 2, (u16_at(g, at)? as usize).checked_sub(1)?),
                // sprmPChgTabs: 255 means the length is in the operand.
                0xC615 if u8_at(g, at)? == 255 => {
                    let del = u8_at(g, at + 1)? as usize;
                    let add = u8_at(g, at + 2 + del * 4)? as usize;
                    (at + 1, 1 + del * 4 + 1 + add * 3)
                }
                _ => (at + 1, u8_at(g, at)? as usize),
            },
        };
        let operand = slice_at(g, start, len)?;
        pos = start + len;
        Some((op, operand))
    })
}

/// A character property toggle: 1 on, 0 off, 0x80 as the style (taken as
/// off), 0x81 the opposite of the style (taken as on).
fn toggle(operand: &[u8]) -> bool {
    matches!(operand.first(), Some(1 | 0x81))
}

fn char_flags(grpprl: &[u8]) -> CharFlags {
    let mut f = CharFlags::default();
    for (op, operand) in sprms(grpprl) {
        match op {
            0x0800 => f.deleted = toggle(operand), // sprmCFRMarkDel
            0x083C => f.hidden = toggle(operand),  // sprmCFVanish
            0x0855 => f.special = toggle(operand), // sprmCFSpec
            _ => {}
        }
    }
    f
}

/// A row's cells as its definition gives them.
#[derive(Debug, Clone, Default)]
struct Tap {
    /// Cell edges, left to right: one more than the cells.
    edges: Vec<i32>,
    /// Per cell: the TC flags (fFirstMerged 0x1, fMerged 0x2, fVertMerge
    /// 0x20, fVertRestart 0x40).
    flags: Vec<u16>,
}

const TC_FIRST_MERGED: u16 = 0x0001;
const TC_MERGED: u16 = 0x0002;
const TC_VERT_MERGE: u16 = 0x0020;
const TC_VERT_RESTART: u16 = 0x0040;

impl Tap {
    fn apply(&mut self, op: u16, operand: &[u8]) {
        match op {
            // sprmTDefTable: itcMac, itcMac + 1 edges, then a TC80 per cell.
            0xD608 => {
                let Some(n) = u8_at(operand, 0).map(usize::from) else { return };
                let n = n.min(MAX_SPAN);
                let edges: Vec<i32> = (0..=n).map_while(|i| i16_at(operand, 1 + 2 * i).map(i32::from)).collect();
                if edges.len() != n + 1 {
                    return;
                }
                let tc = 1 + 2 * (n + 1);
                let flags = (0..n).map(|i| u16_at(operand, tc + 20 * i).unwrap_or(0)).collect();
                *self = Tap { edges, flags };
            }
            // sprmTVertMerge: one cell's vertical merge.
            0xD62B => {
                if let (Some(i), Some(v)) = (u8_at(operand, 0), u8_at(operand, 1)) {
                    if let Some(f) = self.flags.get_mut(usize::from(i)) {
                        *f &= !(TC_VERT_MERGE | TC_VERT_RESTART);
                        if v & 1 != 0 {
                            *f |= TC_VERT_MERGE;
                        }
                        if v & 2 != 0 {
                            *f |= TC_VERT_RESTART;
                        }
                    }
                }
            }
            // sprmTMerge / sprmTSplit: cells itcFirst..itcLim merged or split.
            0x5624 | 0x5625 => {
                if let (Some(a), Some(b)) = (u8_at(operand, 0), u8_at(operand, 1)) {
                    let (a, b) = (usize::from(a), usize::from(b).min(self.flags.len()));
                    for i in a..b {
                        let f = &mut self.flags[i];
                        *f &= !(TC_FIRST_MERGED | TC_MERGED);
                        if op == 0x5624 {
                            *f |= if i == a { TC_FIRST_MERGED } else { TC_MERGED };
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// What the reader needs of a paragraph's properties.
#[derive(Debug, Clone, Default)]
struct ParaProps {
    istd: u16,
    in_table: bool,
    /// Ends a row of a table at depth 1 (sprmPFTtp).
    ttp: bool,
    /// Table depth (sprmPItap).
    itap: i32,
    inner_cell: bool,
    inner_ttp: bool,
    ilfo: Option<u16>,
    ilvl: Option<u8>,
    tap: Option<Tap>,
}

impl ParaProps {
    fn apply(&mut self, grpprl: &[u8], data: &[u8], huge: bool) {
        for (op, operand) in sprms(grpprl) {
            let byte = || operand.first().copied().unwrap_or(0);
            match op {
                0x2416 => self.in_table = byte() != 0,
                0x2417 => self.ttp = byte() != 0,
                0x6649 => self.itap = u32_at(operand, 0).unwrap_or(0) as i32,
                0x244B => self.inner_cell = byte() != 0,
                0x244C => self.inner_ttp = byte() != 0,
                0x460B => self.ilfo = u16_at(operand, 0),
                0x260A => self.ilvl = Some(byte()),
                0x4600 => self.istd = u16_at(operand, 0).unwrap_or(self.istd),
                // sprmPHugePapx: the properties are in the Data stream.
                0x6646 if !huge => {
                    if let Some(at) = u32_at(operand, 0).map(|v| v as usize) {
                        if let Some(cb) = u16_at(data, at) {
                            if let Some(g) = slice_at(data, at + 2, cb as usize) {
                                self.apply(g, data, true);
                            }
                        }
                    }
                }
                0xD608 | 0xD62B | 0x5624 | 0x5625 => self.tap.get_or_insert_with(Tap::default).apply(op, operand),
                _ => {}
            }
        }
    }

    /// How deep in tables the paragraph is (0: the body).
    fn depth(&self) -> usize {
        (self.itap.max(0) as usize).max(usize::from(self.in_table))
    }
}

/// What ended a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// U+000D, or a section's end (U+000C), or the end of the text.
    Para,
    /// U+0007: a cell's end (or a row's, by the paragraph's properties).
    Cell,
}

#[derive(Debug)]
struct Para {
    text: String,
    mark: Mark,
    props: ParaProps,
}

/// CP1252 for the bytes 0x80–0x9F of compressed text (the rest is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’',
    '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// A PLC: `n + 1` positions and `n` data elements of `size` bytes.
fn plc(b: &[u8], size: usize) -> (Vec<u32>, Vec<&[u8]>) {
    let n = b.len().saturating_sub(4) / (4 + size);
    let pos = (0..=n).filter_map(|i| u32_at(b, 4 * i)).collect();
    let data = (0..n).filter_map(|i| slice_at(b, 4 * (n + 1) + size * i, size)).collect();
    (pos, data)
}

impl Doc {
    /// A structure of the table stream and all that follows it (the list
    /// levels follow the PlfLst, outside its stated length).
    fn table_from(&self, index: usize) -> &[u8] {
        let Some(&(fc, lcb)) = self.fib.fc_lcb.get(index) else { return &[] };
        if lcb == 0 {
            return &[];
        }
        self.table.get(fc as usize..).unwrap_or(&[])
    }

    /// A structure of the table stream, by its FIB index; empty if absent.
    fn table_part(&self, index: usize) -> &[u8] {
        let Some(&(fc, lcb)) = self.fib.fc_lcb.get(index) else { return &[] };
        slice_at(&self.table, fc as usize, lcb as usize).unwrap_or(&[])
    }

    /// The piece table, in CP order.
    fn pieces(&self) -> Result<Vec<Piece>, Rejection> {
        let clx = self.table_part(FC_CLX);
        if clx.is_empty() {
            return Err(damaged("it has no piece table (CLX) where its FIB points"));
        }
        // RgPrc (property lists the pieces' Prm refer to), then the Pcdt.
        let mut prcs: Vec<&[u8]> = Vec::new();
        let mut pos = 0usize;
        let plc_pcd = loop {
            match clx.get(pos) {
                Some(1) => {
                    let cb = i16_at(clx, pos + 1).ok_or_else(|| damaged("its piece table is cut short"))?;
                    let g = slice_at(clx, pos + 3, cb.max(0) as usize)
                        .ok_or_else(|| damaged("its piece table is cut short"))?;
                    prcs.push(g);
                    pos += 3 + g.len();
                }
                Some(2) => {
                    let lcb = u32_at(clx, pos + 1).ok_or_else(|| damaged("its piece table is cut short"))?;
                    break slice_at(clx, pos + 5, lcb as usize)
                        .or_else(|| clx.get(pos + 5..))
                        .ok_or_else(|| damaged("its piece table is cut short"))?;
                }
                _ => return Err(damaged("its piece table (CLX) is not one")),
            }
        };
        let (cps, pcds) = plc(plc_pcd, 8);
        let mut pieces = Vec::with_capacity(pcds.len());
        for (i, pcd) in pcds.iter().enumerate() {
            let (Some(&cp), Some(&cp_end)) = (cps.get(i), cps.get(i + 1)) else { break };
            let raw = u32_at(pcd, 2).unwrap_or(0);
            let prm = u16_at(pcd, 6).unwrap_or(0);
            let compressed = raw & 0x4000_0000 != 0;
            let fc = raw & 0x3FFF_FFFF;
            let fc = if compressed { fc / 2 } else { fc };
            // Prm1: an index into RgPrc; Prm0 (a single sprm by a short
            // index) is not read.
            let flags = if prm & 1 != 0 {
                prcs.get(usize::from(prm >> 1)).map_or(CharFlags::default(), |g| char_flags(g))
            } else {
                CharFlags::default()
            };
            if cp_end > cp {
                pieces.push(Piece { cp, cp_end, fc, compressed, flags });
            }
        }
        pieces.sort_by_key(|p| p.cp);
        Ok(pieces)
    }

    /// The 512-byte FKP pages a PlcBte names.
    fn fkp_pages(&self, index: usize) -> Vec<&[u8]> {
        let (_, pns) = plc(self.table_part(index), 4);
        let mut pns: Vec<u32> = pns.iter().filter_map(|p| u32_at(p, 0)).map(|p| p & 0x003F_FFFF).collect();
        pns.sort_unstable();
        pns.dedup();
        pns.iter().filter_map(|&pn| slice_at(&self.word, pn as usize * 512, 512)).collect()
    }

    fn too_many_runs() -> Rejection {
        Rejection::doc(
            RejectKind::NotAReport,
            "its formatting runs number in the millions: not an annual report, not read",
        )
    }

    /// Character properties, by file position.
    fn char_runs(&self) -> Result<Runs<CharFlags>, Rejection> {
        let mut runs = Vec::new();
        for page in self.fkp_pages(FC_PLCF_BTE_CHPX) {
            let crun = usize::from(page[511]);
            if crun == 0 || 4 * (crun + 1) + crun > 511 {
                continue;
            }
            for i in 0..crun {
                let (Some(start), Some(end)) = (u32_at(page, 4 * i), u32_at(page, 4 * i + 4)) else { break };
                let b = usize::from(page[4 * (crun + 1) + i]) * 2;
                let flags = if b == 0 || b >= 511 {
                    CharFlags::default()
                } else {
                    let cb = usize::from(page[b]);
                    char_flags(&page[b + 1..(b + 1 + cb).min(511)])
                };
                if end > start && flags != CharFlags::default() {
                    runs.push((start, end, flags));
                }
            }
            if runs.len() > MAX_RUNS {
                return Err(Self::too_many_runs());
            }
        }
        Ok(Runs::new(runs))
    }

    /// Where each paragraph's properties are, by file position.
    fn para_runs(&self) -> Result<Runs<PapRef>, Rejection> {
        let mut runs = Vec::new();
        for page in self.fkp_pages(FC_PLCF_BTE_PAPX) {
            let cpara = usize::from(page[511]);
            if cpara == 0 || 4 * (cpara + 1) + 13 * cpara > 511 {
                continue;
            }
            let page_at = (page.as_ptr() as usize - self.word.as_ptr() as usize) as u32;
            for i in 0..cpara {
                let (Some(start), Some(end)) = (u32_at(page, 4 * i), u32_at(page, 4 * i + 4)) else { break };
                let offset = page[4 * (cpara + 1) + 13 * i];
                if end > start {
                    runs.push((start, end, PapRef { page: page_at, offset }));
                }
            }
            if runs.len() > MAX_RUNS {
                return Err(Self::too_many_runs());
            }
        }
        Ok(Runs::new(runs))
    }

    /// The properties of the paragraph whose mark is at `fc`.
    fn para_props(&self, runs: &Runs<PapRef>, fc: u32, hint: &mut usize) -> ParaProps {
        let mut props = ParaProps::default();
        let Some((_, _, r)) = runs.find(fc, hint) else { return props };
        let Some(page) = slice_at(&self.word, r.page as usize, 512) else { return props };
        let at = usize::from(r.offset) * 2;
        if at == 0 {
            return props;
        }
        let (start, len) = match u8_at(page, at) {
            Some(0) => (at + 2, usize::from(u8_at(page, at + 1).unwrap_or(0)) * 2),
            Some(cb) => (at + 1, usize::from(cb) * 2 - 1),
            None => return props,
        };
        let Some(papx) = page.get(start..(start + len).min(511)) else { return props };
        props.istd = u16_at(papx, 0).unwrap_or(0);
        props.apply(papx.get(2..).unwrap_or(&[]), &self.data, false);
        props
    }

    /// The main text as paragraphs, each with its properties.
    fn paragraphs(
        &self,
        pieces: &[Piece],
        chars: &Runs<CharFlags>,
        paps: &Runs<PapRef>,
    ) -> Result<Vec<Para>, Rejection> {
        let mut out = Vec::new();
        let mut text = String::new();
        // Open fields: whether each is still in its code (before U+0014).
        let mut fields: Vec<bool> = Vec::new();
        let mut in_code = 0usize;
        let mut deep = 0usize;
        let mut high: Option<u16> = None;
        let (mut chint, mut phint) = (0, 0);
        let end_text = self.fib.ccp_text;
        for piece in pieces {
            if piece.cp >= end_text {
                break;
            }
            let n = (piece.cp_end.min(end_text) - piece.cp) as usize;
            let width = if piece.compressed { 1 } else { 2 };
            let bytes = slice_at(&self.word, piece.fc as usize, n * width)
                .ok_or_else(|| damaged("its text lies outside the WordDocument stream"))?;
            for i in 0..n {
                let fc = piece.fc + (i * width) as u32;
                let unit = if piece.compressed {
                    u16::from(bytes[i])
                } else {
                    u16::from_le_bytes([bytes[2 * i], bytes[2 * i + 1]])
                };
                let flags = chars.find(fc, &mut chint).map_or(piece.flags, |r| r.2.or(piece.flags));
                let mut end = |mark: Mark, text: &mut String, out: &mut Vec<Para>| {
                    let props = self.para_props(paps, fc, &mut phint);
                    out.push(Para { text: std::mem::take(text), mark, props });
                };
                match unit {
                    0x0D => end(Mark::Para, &mut text, &mut out),
                    0x07 => end(Mark::Cell, &mut text, &mut out),
                    0x0C if paps.ends_at(fc + width as u32) => end(Mark::Para, &mut text, &mut out),
                    0x13 => {
                        if fields.len() < MAX_FIELD_DEPTH {
                            fields.push(true);
                            in_code += 1;
                        } else {
                            deep += 1;
                        }
                    }
                    0x14 if deep == 0 => {
                        if let Some(top) = fields.last_mut() {
                            if *top {
                                *top = false;
                                in_code -= 1;
                            }
                        }
                    }
                    0x15 => {
                        if deep > 0 {
                            deep -= 1;
                        } else if fields.pop() == Some(true) {
                            in_code -= 1;
                        }
                    }
                    _ if in_code > 0 || deep > 0 || flags.deleted || flags.hidden || flags.special => {}
                    _ => {
                        let c = match unit {
                            0x09 => Some('\t'),
                            0x0B | 0x0C | 0x0E => Some('\n'),
                            0x1E => Some('-'),
                            0x00..=0x1F => None,
                            0x80..=0x9F if piece.compressed => Some(CP1252_HIGH[usize::from(unit - 0x80)]),
                            0xD800..=0xDBFF => {
                                high = Some(unit);
                                continue;
                            }
                            0xDC00..=0xDFFF => {
                                high.take().and_then(|h| char::decode_utf16([h, unit]).next().and_then(Result::ok))
                            }
                            u => char::from_u32(u32::from(u)),
                        };
                        high = None;
                        if let Some(c) = c {
                            text.push(c);
                        }
                    }
                }
            }
        }
        if !text.is_empty() {
            out.push(Para { text, mark: Mark::Para, props: ParaProps::default() });
        }
        Ok(out)
    }

    /// The list numbers: lists (PlfLst) and their instances (PlfLfo), as the
    /// .docx reader's [`Numbering`], instance `ilfo` as numId; the styles'
    /// numbering from the style sheet. A damaged list costs the numbers only.
    fn numbering(&self) -> Numbering {
        let mut n = Numbering::default();
        let lists = read_lists(self.table_from(FC_PLF_LST));
        read_lfos(self.table_part(FC_PLF_LFO), &lists, &mut n);
        read_styles(self.table_part(FC_STSHF), &self.data, &mut n);
        n
    }
}

/// An LVL (a list level) at `b[at..]`, as the .docx reader's [`Level`], and
/// where the next one starts.
fn read_level(b: &[u8], at: usize) -> Option<(Level, usize)> {
    let lvlf = slice_at(b, at, 28)?;
    let start = u32_at(lvlf, 0)? as i32;
    let nfc = lvlf[4];
    let flags = lvlf[5];
    let follow = lvlf[15];
    let cb_chpx = usize::from(lvlf[24]);
    let cb_papx = usize::from(lvlf[25]);
    let xst = at + 28 + cb_papx + cb_chpx;
    let cch = usize::from(u16_at(b, xst)?);
    let units = slice_at(b, xst + 2, cch * 2)?;
    let mut text = String::new();
    let us = units.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]));
    for c in char::decode_utf16(us) {
        match c {
            Ok(c) if (c as u32) < 9 => text.push_str(&format!("%{}", c as u32 + 1)),
            Ok(c) => text.push(c),
            Err(_) => text.push('\u{FFFD}'),
        }
    }
    let level = Level {
        start: start.max(0) as u32,
        format: nfc_name(nfc).to_string(),
        text,
        suffix: match follow {
            1 => "space",
            2 => "nothing",
            _ => "tab",
        }
        .to_string(),
        legal: flags & 0x04 != 0,
    };
    Some((level, xst + 2 + cch * 2))
}

/// The lists of PlfLst: each one's lsid and its nine levels.
fn read_lists(b: &[u8]) -> Vec<(i32, Vec<Level>)> {
    let Some(count) = i16_at(b, 0) else { return Vec::new() };
    let count = count.max(0) as usize;
    let mut lists = Vec::new();
    let mut at = 2 + 28 * count;
    for i in 0..count {
        let Some(lstf) = slice_at(b, 2 + 28 * i, 28) else { break };
        let lsid = u32_at(lstf, 0).unwrap_or(0) as i32;
        let simple = lstf[26] & 0x01 != 0;
        let mut levels = vec![Level::default(); LEVELS];
        for level in levels.iter_mut().take(if simple { 1 } else { LEVELS }) {
            let Some((l, next)) = read_level(b, at) else { return lists };
            *level = l;
            at = next;
        }
        lists.push((lsid, levels));
    }
    lists
}

/// The list instances of PlfLfo (1-based: a paragraph's ilfo), each with its
/// list's levels and its overrides (a new start, a new level).
fn read_lfos(b: &[u8], lists: &[(i32, Vec<Level>)], n: &mut Numbering) {
    let Some(count) = u32_at(b, 0) else { return };
    let count = (count as usize).min(b.len() / 16);
    let mut instances = Vec::with_capacity(count);
    for i in 0..count {
        let Some(lfo) = slice_at(b, 4 + 16 * i, 16) else { break };
        let lsid = u32_at(lfo, 0).unwrap_or(0) as i32;
        let overrides = usize::from(lfo[12]);
        let levels = lists.iter().find(|l| l.0 == lsid).map(|l| l.1.clone());
        instances.push((levels, overrides));
    }
    // LFOData after the LFOs: a cp, then each override (LFOLVL) and, when it
    // changes the formatting, a whole LVL.
    let mut at = 4 + 16 * count;
    let mut data_ok = true;
    for (i, (levels, overrides)) in instances.into_iter().enumerate() {
        let Some(mut levels) = levels else {
            data_ok = false;
            continue;
        };
        if data_ok && overrides > 0 {
            at += 4;
            for _ in 0..overrides {
                let (Some(start), Some(bits)) = (u32_at(b, at), u32_at(b, at + 4)) else {
                    data_ok = false;
                    break;
                };
                at += 8;
                let level = (bits & 0x0F) as usize;
                if bits & 0x20 != 0 {
                    match read_level(b, at) {
                        Some((l, next)) => {
                            if level < LEVELS {
                                levels[level] = l;
                            }
                            at = next;
                        }
                        None => {
                            data_ok = false;
                            break;
                        }
                    }
                }
                if bits & 0x10 != 0 && level < LEVELS {
                    levels[level].start = (start as i32).max(0) as u32;
                }
            }
        } else if data_ok {
            // An instance without overrides still has its cp in LFOData.
            at += 4;
        }
        n.lists.insert(i as u32 + 1, levels);
    }
}

/// The paragraph styles' numbering (and what each style is based on), from
/// the style sheet (STSH), keyed by the style's index as the .docx reader
/// keys styles by their id.
fn read_styles(b: &[u8], data: &[u8], n: &mut Numbering) {
    let Some(cb_stshi) = u16_at(b, 0).map(usize::from) else { return };
    let (Some(count), Some(base_len)) = (u16_at(b, 2), u16_at(b, 4)) else { return };
    let base_len = usize::from(base_len);
    let mut at = 2 + cb_stshi;
    for istd in 0..usize::from(count) {
        let Some(cb) = u16_at(b, at).map(usize::from) else { return };
        let std = slice_at(b, at + 2, cb);
        at += 2 + cb;
        let Some(std) = std else { return };
        if cb < 10 {
            continue;
        }
        let Some(word2) = u16_at(std, 2) else { continue };
        let (stk, base) = (word2 & 0x0F, word2 >> 4);
        if stk != 1 {
            continue;
        }
        let Some(cch) = u16_at(std, base_len).map(usize::from) else { continue };
        let mut upx = base_len + 2 + cch * 2 + 2;
        upx += upx % 2;
        let mut props = ParaProps::default();
        if let Some(len) = u16_at(std, upx).map(usize::from) {
            if let Some(g) = slice_at(std, upx + 2, len) {
                props.apply(g.get(2..).unwrap_or(&[]), data, false);
            }
        }
        n.styles.insert(
            istd.to_string(),
            StyleNum {
                based_on: (base != 0x0FFF).then(|| base.to_string()),
                num_id: props.ilfo.map(lfo_id),
                level: props.ilvl.map(usize::from),
            },
        );
    }
}

/// A paragraph's ilfo as a list instance id: 0xF801 (and 0) mean "no list".
fn lfo_id(ilfo: u16) -> u32 {
    if ilfo == 0xF801 { 0 } else { u32::from(ilfo) }
}

/// Word's number formats (MSONFC) by the names .docx uses for them.
fn nfc_name(nfc: u8) -> &'static str {
    const NAMES: [&str; 48] = [
        "decimal",
        "upperRoman",
        "lowerRoman",
        "upperLetter",
        "lowerLetter",
        "ordinal",
        "cardinalText",
        "ordinalText",
        "hex",
        "chicago",
        "ideographDigital",
        "japaneseCounting",
        "aiueo",
        "iroha",
        "decimalFullWidth",
        "decimalHalfWidth",
        "japaneseLegal",
        "japaneseDigitalTenThousand",
        "decimalEnclosedCircle",
        "decimalFullWidth2",
        "aiueoFullWidth",
        "irohaFullWidth",
        "decimalZero",
        "bullet",
        "ganada",
        "chosung",
        "decimalEnclosedFullstop",
        "decimalEnclosedParen",
        "decimalEnclosedCircleChinese",
        "ideographEnclosedCircle",
        "ideographTraditional",
        "ideographZodiac",
        "ideographZodiacTraditional",
        "taiwaneseCounting",
        "ideographLegalTraditional",
        "taiwaneseCountingThousand",
        "taiwaneseDigital",
        "chineseCounting",
        "chineseLegalSimplified",
        "chineseCountingThousand",
        "koreanDigital",
        "koreanCounting",
        "koreanLegal",
        "koreanDigital2",
        "vietnameseCounting",
        "russianLower",
        "russianUpper",
        "none",
    ];
    NAMES.get(usize::from(nfc)).copied().unwrap_or(if nfc == 0xFF { "none" } else { "decimal" })
}

/// A table being read: its rows, the cells of the row being read, and the
/// blocks of the cell being read.
#[derive(Default)]
struct TableBuild {
    rows: Vec<(Vec<Vec<Block>>, Option<Tap>)>,
    cells: Vec<Vec<Block>>,
    cell: Vec<Block>,
}

/// Paragraphs → the .docx reader's blocks: tables from the cell and row
/// marks and the paragraphs' table depths, list numbers put back.
fn build(paras: Vec<Para>, numbering: &mut Numbering) -> Result<Vec<Block>, Rejection> {
    let mut body = Vec::new();
    let mut stack: Vec<TableBuild> = Vec::new();
    for p in paras {
        let depth = p.props.depth();
        if depth > MAX_TABLE_DEPTH {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!("tables nested more than {MAX_TABLE_DEPTH} deep: not an annual report"),
            ));
        }
        while stack.len() > depth {
            close_table(&mut stack, &mut body);
        }
        while stack.len() < depth {
            stack.push(TableBuild::default());
        }
        let row_end = match depth {
            0 => false,
            1 => p.mark == Mark::Cell && p.props.ttp,
            _ => p.props.inner_ttp,
        };
        if row_end {
            let Some(t) = stack.last_mut() else { continue };
            let mut cells = std::mem::take(&mut t.cells);
            if !t.cell.is_empty() {
                cells.push(std::mem::take(&mut t.cell));
            }
            t.rows.push((cells, p.props.tap));
            continue;
        }
        let num_id = p.props.ilfo.map(lfo_id);
        let level = p.props.ilvl.map(usize::from);
        let text = match numbering.label(num_id, level, Some(&p.props.istd.to_string())) {
            Some(label) => label + &p.text,
            None => p.text,
        };
        let cell_end = match depth {
            0 => false,
            1 => p.mark == Mark::Cell,
            _ => p.props.inner_cell || p.mark == Mark::Cell,
        };
        match stack.last_mut() {
            None => body.push(Block::Para(text)),
            Some(t) => {
                t.cell.push(Block::Para(text));
                if cell_end {
                    let cell = std::mem::take(&mut t.cell);
                    t.cells.push(cell);
                }
            }
        }
    }
    while !stack.is_empty() {
        close_table(&mut stack, &mut body);
    }
    Ok(body)
}

/// End the innermost open table: its rows on the table's grid, as a block of
/// the cell around it (or of the body).
fn close_table(stack: &mut Vec<TableBuild>, body: &mut Vec<Block>) {
    let Some(mut t) = stack.pop() else { return };
    if !t.cell.is_empty() {
        t.cells.push(std::mem::take(&mut t.cell));
    }
    if !t.cells.is_empty() {
        t.rows.push((std::mem::take(&mut t.cells), None));
    }
    let block = Block::Table(grid_rows(t.rows));
    match stack.last_mut() {
        Some(outer) => outer.cell.push(block),
        None => body.push(block),
    }
}

/// Rows of cells and their definitions → rows on the table's grid: the grid
/// lines are every edge any row has, so a cell's span is the grid columns
/// between its edges, and a row whose first edge lies right of the table's
/// leftmost one starts late (`w:gridBefore`).
fn grid_rows(rows: Vec<(Vec<Vec<Block>>, Option<Tap>)>) -> Vec<Row> {
    let mut edges: Vec<i32> = rows.iter().filter_map(|r| r.1.as_ref()).flat_map(|t| t.edges.iter().copied()).collect();
    edges.sort_unstable();
    let mut grid: Vec<i32> = Vec::with_capacity(edges.len());
    for e in edges {
        if grid.last().is_none_or(|&last| e - last > EDGE_TOLERANCE) {
            grid.push(e);
        }
    }
    // The grid line nearest an edge.
    let line = |x: i32| -> usize {
        let i = grid.partition_point(|&g| g < x);
        match (i.checked_sub(1).map(|j| (j, grid[j])), grid.get(i)) {
            (Some((j, a)), Some(&b)) if x - a <= b - x => j,
            (Some((j, _)), None) => j,
            _ => i,
        }
    };
    rows.into_iter()
        .map(|(cells, tap)| {
            let tap = tap.filter(|t| t.edges.len() >= 2);
            let before = tap.as_ref().map_or(0, |t| line(t.edges[0])).min(MAX_SPAN);
            let cells = cells
                .into_iter()
                .enumerate()
                .map(|(i, blocks)| {
                    let (span, flags) = match &tap {
                        Some(t) if i + 1 < t.edges.len() => {
                            let span = line(t.edges[i + 1]).saturating_sub(line(t.edges[i]));
                            (span.clamp(1, MAX_SPAN), t.flags.get(i).copied().unwrap_or(0))
                        }
                        _ => (1, 0),
                    };
                    Cell {
                        span,
                        merged_up: flags & TC_VERT_MERGE != 0 && flags & TC_VERT_RESTART == 0,
                        merged_left: flags & TC_MERGED != 0 && flags & TC_FIRST_MERGED == 0,
                        blocks,
                    }
                })
                .collect();
            Row { before, cells }
        })
        .collect()
}
