//! Bytes → text, once, at the edge (ripgrep's BOM sniffing, tokei's
//! parse-from-slice): everything after this works on `&str`.
//!
//! Order of trust: a byte-order mark is certain; strict UTF-8 is nearly so
//! (GBK text is almost never valid UTF-8); otherwise GB18030, the superset of
//! GBK that Windows in China writes. Bytes that decode to nothing sensible in
//! any of them (binary, a truncated UTF-16 file) are rejected, never guessed.

use crate::error::{RejectKind, Rejection};
use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};
use std::borrow::Cow;

/// The encoding a text was read in, for messages and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a BOM.
    Utf8,
    /// UTF-16 little-endian with BOM.
    Utf16Le,
    /// UTF-16 big-endian with BOM.
    Utf16Be,
    /// GB18030 / GBK.
    Gb18030,
}

/// Decode a file's bytes to text: borrowed when the bytes are UTF-8 already
/// (most files), so the common case copies nothing.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), Rejection> {
    let (text, enc) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (utf8(rest)?, Encoding::Utf8)
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (enc, name) = if bytes[0] == 0xFF { (UTF_16LE, Encoding::Utf16Le) } else { (UTF_16BE, Encoding::Utf16Be) };
        if !bytes.len().is_multiple_of(2) {
            return Err(Rejection::doc(
                RejectKind::Encoding,
                "UTF-16 file with an odd number of bytes (truncated?)",
                "UTF-16 文件的字节数为奇数（文件不完整？）：请向报送单位索取完整文件",
            ));
        }
        let (t, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            return Err(Rejection::doc(
                RejectKind::Encoding,
                "invalid UTF-16 (unpaired surrogate)",
                "UTF-16 编码有误（代理字符不成对）：请另存为 UTF-8 文本",
            ));
        }
        (Cow::Owned(t.into_owned()), name)
    } else if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        // SIMD validation: the same answer as std's, several times faster on
        // Chinese text, where std's ASCII fast path never applies.
        (Cow::Borrowed(s), Encoding::Utf8)
    } else {
        let (t, had_errors) = GB18030.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(Rejection::doc(
                RejectKind::Encoding,
                "the bytes are not text in UTF-8, UTF-16 or GB18030/GBK",
                "不是 UTF-8、UTF-16 或 GB18030/GBK 编码的文本：请另存为 UTF-8 文本或 .docx",
            ));
        }
        (Cow::Owned(t.into_owned()), Encoding::Gb18030)
    };
    // Binary data shows as NULs or as many control characters; a stray one
    // (Word leaves U+000B in pasted pages) is only a space. Counted on bytes:
    // C0 controls are single bytes, C1 controls are C2 80..C2 9F in UTF-8.
    let b = text.as_bytes();
    let is_c0 = |x: u8| (x < 0x20 && !matches!(x, b'\n' | b'\r' | b'\t' | 0x0C)) || x == 0x7F;
    // One quick pass settles nearly every file: no C0 control and no C2 lead
    // byte at all. Only otherwise are the controls counted.
    // (Branch-free, with no early exit, so that the loop vectorises.)
    let suspect =
        |x: u8| ((x < 0x20) & (x != b'\n') & (x != b'\r') & (x != b'\t') & (x != 0x0C)) | (x == 0x7F) | (x == 0xC2);
    let any_suspect = b.iter().fold(0u8, |acc, &x| acc | u8::from(suspect(x)));
    let controls = if any_suspect != 0 {
        b.iter().filter(|&&x| is_c0(x)).count()
            + b.windows(2).filter(|w| w[0] == 0xC2 && (0x80..0xA0).contains(&w[1])).count()
    } else {
        0
    };
    if controls > 0 {
        let is_ctrl = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}');
        if let Some(pos) = text.find(|c: char| c == '\0' || (controls > 8 && controls * 200 > text.len() && is_ctrl(c)))
        {
            let line = text[..pos].matches('\n').count() + 1;
            return Err(Rejection::doc(
                RejectKind::Encoding,
                format!(
                    "binary data (control character U+{:04X}) on line {line}: not a text file",
                    text[pos..].chars().next().map_or(0, |c| c as u32)
                ),
                format!("第 {line} 行有二进制数据：不是文本文件（扩展名是否有误？）"),
            ));
        }
        let text: String = text.chars().map(|c| if is_ctrl(c) { ' ' } else { c }).collect();
        return Ok((Cow::Owned(text), enc));
    }
    Ok((text, enc))
}

fn utf8(b: &[u8]) -> Result<Cow<'_, str>, Rejection> {
    if let Ok(s) = simdutf8::basic::from_utf8(b) {
        return Ok(Cow::Borrowed(s));
    }
    // Invalid: std's error says where.
    std::str::from_utf8(b).map(Cow::Borrowed).map_err(|e| {
        Rejection::doc(
            RejectKind::Encoding,
            format!("invalid UTF-8 after a UTF-8 BOM at byte {}", e.valid_up_to() + 3),
            format!("文件标明为 UTF-8，但第 {} 个字节起编码有误：请另存为 UTF-8 文本", e.valid_up_to() + 3),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_encoding() {
        let s = "民权县人和镇";
        assert_eq!(decode(s.as_bytes()).unwrap(), (s.into(), Encoding::Utf8));
        let bom = [b"\xEF\xBB\xBF".as_slice(), s.as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap().0, s);
        let (gbk, _, _) = GB18030.encode(s);
        assert_eq!(decode(&gbk).unwrap(), (s.into(), Encoding::Gb18030));
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le).unwrap(), (s.into(), Encoding::Utf16Le));
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be).unwrap(), (s.into(), Encoding::Utf16Be));
    }

    #[test]
    fn a_stray_control_character_is_a_space() {
        assert_eq!(decode("规章\u{b}3".as_bytes()).unwrap().0, "规章 3");
    }

    #[test]
    fn simd_validation_agrees_with_std() {
        let mut cases: Vec<Vec<u8>> = vec![
            "民权县人和镇 2024 年".repeat(9).into_bytes(),
            b"\xE6\xB0".to_vec(),
            [&"规章".repeat(20).into_bytes()[..], b"\xED\xA0\x80"].concat(), // a surrogate
            [&"a".repeat(70).into_bytes()[..], b"\xF4\x90\x80\x80"].concat(), // above U+10FFFF
            b"\xC0\xAF".to_vec(),                                            // overlong
        ];
        let text = "行政复议".repeat(30);
        let (gbk, _, _) = GB18030.encode(&text);
        cases.push(gbk.into_owned());
        for c in &cases {
            assert_eq!(simdutf8::basic::from_utf8(c).is_ok(), std::str::from_utf8(c).is_ok(), "{c:?}");
        }
    }

    #[test]
    fn binary_is_rejected() {
        assert_eq!(decode(&[0x00, 0x01, 0x02, 0xFF]).unwrap_err().kind, RejectKind::Encoding);
        assert_eq!(decode(b"\xFF\xFEa").unwrap_err().kind, RejectKind::Encoding);
    }
}
