//! Properties: the sprms (property modifiers) of characters, paragraphs and
//! table rows, and what the reader keeps of them: [`CharFlags`] (deleted,
//! hidden, special), [`ParaProps`] (table depth, row and cell ends, list,
//! style) and a row's definition ([`Tap`]: cell edges, merge flags); and
//! [`Runs`], properties over runs of file positions.
//!
//! It owns the sprms' encoding; it knows nothing of where the properties are
//! stored in the file (the FKP pages, [`super::paragraphs`]) or of what a
//! table's rows become ([`super::tables`]).

use super::{MAX_SPAN, i16_at, slice_at, u8_at, u16_at, u32_at};

/// What the reader needs of a run of characters' properties.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct CharFlags {
    pub(super) deleted: bool,
    pub(super) hidden: bool,
    pub(super) special: bool,
}

impl CharFlags {
    pub(super) fn or(self, o: CharFlags) -> CharFlags {
        CharFlags {
            deleted: self.deleted || o.deleted,
            hidden: self.hidden || o.hidden,
            special: self.special || o.special,
        }
    }
}

/// Properties over runs of file positions (fc), sorted.
pub(super) struct Runs<T> {
    runs: Vec<(u32, u32, T)>,
}

impl<T: Copy> Runs<T> {
    pub(super) fn new(mut runs: Vec<(u32, u32, T)>) -> Runs<T> {
        runs.sort_by_key(|r| (r.0, r.1));
        Runs { runs }
    }

    /// The run that holds `fc`, searched from the run that held the last one
    /// (text is read in file order, piece by piece).
    pub(super) fn find(&self, fc: u32, hint: &mut usize) -> Option<(u32, u32, T)> {
        if let Some(&r) = self.runs.get(*hint)
            && r.0 <= fc
            && fc < r.1
        {
            return Some(r);
        }
        if let Some(&r) = self.runs.get(*hint + 1)
            && r.0 <= fc
            && fc < r.1
        {
            *hint += 1;
            return Some(r);
        }
        let i = self.runs.partition_point(|r| r.1 <= fc);
        let r = *self.runs.get(i)?;
        *hint = i;
        (r.0 <= fc).then_some(r)
    }

    /// Does a run end exactly at `fc`?
    pub(super) fn ends_at(&self, fc: u32) -> bool {
        let i = self.runs.partition_point(|r| r.1 < fc);
        self.runs.get(i).is_some_and(|r| r.1 == fc)
    }
}

/// Where a paragraph's properties are: a PapxFkp page and the BX offset.
#[derive(Debug, Clone, Copy)]
pub(super) struct PapRef {
    pub(super) page: u32,
    pub(super) offset: u8,
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

pub(super) fn char_flags(grpprl: &[u8]) -> CharFlags {
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
pub(super) struct Tap {
    /// Cell edges, left to right: one more than the cells.
    pub(super) edges: Vec<i32>,
    /// Per cell: the TC flags (fFirstMerged 0x1, fMerged 0x2, fVertMerge
    /// 0x20, fVertRestart 0x40).
    pub(super) flags: Vec<u16>,
    /// Per cell: its TC is all zeros (no flags, no borders).
    pub(super) bare: Vec<bool>,
}

pub(super) const TC_FIRST_MERGED: u16 = 0x0001;
pub(super) const TC_MERGED: u16 = 0x0002;
pub(super) const TC_VERT_MERGE: u16 = 0x0020;
pub(super) const TC_VERT_RESTART: u16 = 0x0040;

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
                let bare = (0..n)
                    .map(|i| slice_at(operand, tc + 20 * i, 20).is_none_or(|b| b.iter().all(|&x| x == 0)))
                    .collect();
                *self = Tap { edges, flags, bare };
            }
            // sprmTVertMerge: one cell's vertical merge.
            0xD62B => {
                if let (Some(i), Some(v)) = (u8_at(operand, 0), u8_at(operand, 1))
                    && let Some(f) = self.flags.get_mut(usize::from(i))
                {
                    *f &= !(TC_VERT_MERGE | TC_VERT_RESTART);
                    if v & 1 != 0 {
                        *f |= TC_VERT_MERGE;
                    }
                    if v & 2 != 0 {
                        *f |= TC_VERT_RESTART;
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
pub(super) struct ParaProps {
    pub(super) istd: u16,
    in_table: bool,
    /// Ends a row of a table at depth 1 (sprmPFTtp).
    pub(super) ttp: bool,
    /// Table depth (sprmPItap).
    itap: i32,
    pub(super) inner_cell: bool,
    pub(super) inner_ttp: bool,
    pub(super) ilfo: Option<u16>,
    pub(super) ilvl: Option<u8>,
    pub(super) tap: Option<Tap>,
}

impl ParaProps {
    pub(super) fn apply(&mut self, grpprl: &[u8], data: &[u8], huge: bool) {
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
                    if let Some(at) = u32_at(operand, 0).map(|v| v as usize)
                        && let Some(cb) = u16_at(data, at)
                        && let Some(g) = slice_at(data, at + 2, cb as usize)
                    {
                        self.apply(g, data, true);
                    }
                }
                0xD608 | 0xD62B | 0x5624 | 0x5625 => self.tap.get_or_insert_with(Tap::default).apply(op, operand),
                _ => {}
            }
        }
    }

    /// How deep in tables the paragraph is (0: the body).
    pub(super) fn depth(&self) -> usize {
        (self.itap.max(0) as usize).max(usize::from(self.in_table))
    }
}
