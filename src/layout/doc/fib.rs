//! The FIB (File Information Block) at the start of the `WordDocument`
//! stream: which table stream holds the document's structures, how long the
//! main text is, and where each structure lies (the fc/lcb pairs).
//!
//! It owns the FIB's layout and the refusals it alone can decide (an
//! encrypted file, a Word 6/95 file, a text too long for a report); it knows
//! nothing of what the structures it points to hold.

use super::{MAX_TEXT_CHARS, NFIB_WORD97, damaged, u16_at, u32_at, unsupported};
use crate::error::{RejectKind, Rejection};

/// What the FIB says.
#[derive(Debug)]
pub(super) struct Fib {
    pub(super) which_table: bool,
    pub(super) ccp_text: u32,
    /// The fc/lcb pairs (FibRgFcLcb), by index.
    pub(super) fc_lcb: Vec<(u32, u32)>,
}

/// Indexes into FibRgFcLcb97.
pub(super) const FC_STSHF: usize = 1;
pub(super) const FC_PLCF_BTE_CHPX: usize = 12;
pub(super) const FC_PLCF_BTE_PAPX: usize = 13;
pub(super) const FC_CLX: usize = 33;
pub(super) const FC_PLF_LST: usize = 73;
pub(super) const FC_PLF_LFO: usize = 74;

impl Fib {
    pub(super) fn parse(w: &[u8]) -> Result<Fib, Rejection> {
        let short = || damaged("the WordDocument stream is too short for its FIB");
        let ident = u16_at(w, 0).ok_or_else(short)?;
        let n_fib = u16_at(w, 2).ok_or_else(short)?;
        let flags = u16_at(w, 0x0A).ok_or_else(short)?;
        if flags & 0x0100 != 0 {
            return Err(unsupported(
                "an encrypted (password-protected) Word file: open it in Word or WPS, remove the password and save it again",
                "Word 文件设有密码（已加密）：请用 Word 或 WPS 打开，取消密码后重新保存",
            ));
        }
        if !matches!(ident, 0xA5EC | 0xA5DC | 0xA5DB | 0xA59B) {
            return Err(damaged(format!("its FIB does not start like Word's (0x{ident:04X})")));
        }
        if n_fib < NFIB_WORD97 || ident != 0xA5EC {
            return Err(unsupported(
                format!(
                    "a Word 6/95 (or older) file (nFib {n_fib}): this old format is not read: open it in Word or WPS and save it as .docx"
                ),
                "这是 Word 6/95 或更早版本的文件，不读取这种旧格式：请用 Word 或 WPS 打开，另存为 .docx",
            ));
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
                format!("正文有 {ccp_text} 个字符，远超任何年度报告：不读取"),
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
