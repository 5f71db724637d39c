//! List numbers: the lists (PlfLst), their instances with their overrides
//! (PlfLfo) and the paragraph styles' numbering (STSH), as the .docx reader's
//! [`Numbering`], so the two readers number lists (一、 （一）) alike.
//!
//! It owns the binary list and style structures; it knows nothing of the
//! text or of tables, and draws no number itself (the .docx reader's
//! [`Numbering::label`] does).

use super::props::ParaProps;
use super::{MAX_LISTS, MAX_STYLES, i16_at, slice_at, u16_at, u32_at};
use crate::layout::docx::{LEVELS, Level, Numbering, StyleNum};

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
pub(super) fn read_lists(b: &[u8]) -> Vec<(i32, Vec<Level>)> {
    let Some(count) = i16_at(b, 0) else { return Vec::new() };
    let count = (count.max(0) as usize).min(MAX_LISTS);
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
pub(super) fn read_lfos(b: &[u8], lists: &[(i32, Vec<Level>)], n: &mut Numbering) {
    let Some(count) = u32_at(b, 0) else { return };
    let count = (count as usize).min(b.len() / 16).min(MAX_LISTS);
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
pub(super) fn read_styles(b: &[u8], data: &[u8], n: &mut Numbering) {
    let Some(cb_stshi) = u16_at(b, 0).map(usize::from) else { return };
    let (Some(count), Some(base_len)) = (u16_at(b, 2), u16_at(b, 4)) else { return };
    let base_len = usize::from(base_len);
    let mut at = 2 + cb_stshi;
    for istd in 0..usize::from(count).min(MAX_STYLES) {
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
        if let Some(len) = u16_at(std, upx).map(usize::from)
            && let Some(g) = slice_at(std, upx + 2, len)
        {
            props.apply(g.get(2..).unwrap_or(&[]), data, false);
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
pub(super) fn lfo_id(ilfo: u16) -> u32 {
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
