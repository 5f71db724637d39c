//! The main text as paragraphs: the piece table (CLX → PlcPcd) maps
//! characters to their bytes, the FKP pages give each run of characters its
//! properties and each paragraph mark its paragraph's, and the text is read
//! character by character (fields' codes left out, deleted, hidden and
//! special characters dropped) into [`Para`]s ended by a paragraph or cell
//! mark.
//!
//! It owns the order and the decoding of the text; it knows nothing of how
//! paragraphs become tables ([`super::tables`]) or of what a sprm means
//! ([`super::props`]).

use super::fib::{FC_CLX, FC_PLCF_BTE_CHPX, FC_PLCF_BTE_PAPX, FC_PLF_LFO, FC_PLF_LST, FC_STSHF, Fib};
use super::lists::{read_lfos, read_lists, read_styles};
use super::props::{CharFlags, PapRef, ParaProps, Runs, char_flags};
use super::{MAX_FIELD_DEPTH, MAX_RUNS, damaged, i16_at, slice_at, u8_at, u16_at, u32_at};
use crate::error::{RejectKind, Rejection};
use crate::layout::docx::Numbering;

/// The streams of the document.
pub(super) struct Doc {
    pub(super) word: Vec<u8>,
    pub(super) table: Vec<u8>,
    pub(super) data: Vec<u8>,
    pub(super) fib: Fib,
}

/// One piece of the text: characters `cp..cp_end` at byte `fc` of
/// `WordDocument`, one byte each (CP1252) or two (UTF-16LE).
#[derive(Debug, Clone, Copy)]
pub(super) struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
    /// Character properties the piece's Prm gives all its text.
    flags: CharFlags,
}

/// What ended a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    /// U+000D, or a section's end (U+000C), or the end of the text.
    Para,
    /// U+0007: a cell's end (or a row's, by the paragraph's properties).
    Cell,
}

#[derive(Debug)]
pub(super) struct Para {
    pub(super) text: String,
    pub(super) mark: Mark,
    pub(super) props: ParaProps,
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
    pub(super) fn pieces(&self) -> Result<Vec<Piece>, Rejection> {
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

    /// The 512-byte FKP pages a PlcBte names, each with where it starts.
    fn fkp_pages(&self, index: usize) -> Vec<(u32, &[u8])> {
        let (_, pns) = plc(self.table_part(index), 4);
        let mut pns: Vec<u32> = pns.iter().filter_map(|p| u32_at(p, 0)).map(|p| p & 0x003F_FFFF).collect();
        pns.sort_unstable();
        pns.dedup();
        pns.iter().filter_map(|&pn| Some((pn * 512, slice_at(&self.word, pn as usize * 512, 512)?))).collect()
    }

    fn too_many_runs() -> Rejection {
        Rejection::doc(
            RejectKind::NotAReport,
            "its formatting runs number in the millions: not an annual report, not read",
            "格式段数以百万计：不是年度报告，不读取",
        )
    }

    /// Character properties, by file position.
    pub(super) fn char_runs(&self) -> Result<Runs<CharFlags>, Rejection> {
        let mut runs = Vec::new();
        for (_, page) in self.fkp_pages(FC_PLCF_BTE_CHPX) {
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
    pub(super) fn para_runs(&self) -> Result<Runs<PapRef>, Rejection> {
        let mut runs = Vec::new();
        for (page_at, page) in self.fkp_pages(FC_PLCF_BTE_PAPX) {
            let cpara = usize::from(page[511]);
            if cpara == 0 || 4 * (cpara + 1) + 13 * cpara > 511 {
                continue;
            }
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
    pub(super) fn paragraphs(
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
        // The next CP to read: pieces that overlap (a damaged table) give
        // each character once, so the text stays within ccpText.
        let mut next_cp = 0u32;
        for piece in pieces {
            let from = piece.cp.max(next_cp);
            let to = piece.cp_end.min(end_text);
            if from >= to {
                continue;
            }
            next_cp = to;
            let width = if piece.compressed { 1 } else { 2 };
            let first = piece.fc as usize + (from - piece.cp) as usize * width;
            let n = (to - from) as usize;
            let bytes = slice_at(&self.word, first, n * width)
                .ok_or_else(|| damaged("its text lies outside the WordDocument stream"))?;
            for i in 0..n {
                let fc = (first + i * width) as u32;
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
                        if let Some(top) = fields.last_mut()
                            && *top
                        {
                            *top = false;
                            in_code -= 1;
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
                            // A symbol font's character (Wingdings ✓): the
                            // .docx reader drops `w:sym`, which writers turn
                            // into these when they save a .doc.
                            0xF000..=0xF0FF if !piece.compressed => None,
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
    pub(super) fn numbering(&self) -> Numbering {
        let mut n = Numbering::default();
        let lists = read_lists(self.table_from(FC_PLF_LST));
        read_lfos(self.table_part(FC_PLF_LFO), &lists, &mut n);
        read_styles(self.table_part(FC_STSHF), &self.data, &mut n);
        n
    }
}
