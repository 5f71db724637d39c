//! The .docx package: the zip archive, the main part found (by name or by
//! `_rels/.rels`), and the parts read (document, numbering, styles), each
//! inflated within its cap and the total, the memory reserved for them.
//!
//! It owns the zip and the caps; it knows nothing of WordprocessingML.

use super::{COST_PER_BYTE, MAX_DOCUMENT_XML, MAX_INFLATED, MAX_LISTS_XML, RESAVE, attr, encoding};
use crate::error::{RejectKind, Rejection};
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// The parts of a .docx that are read, and the memory they may cost.
pub(super) struct Package {
    pub(super) document: Vec<u8>,
    pub(super) numbering: Option<Vec<u8>>,
    pub(super) styles: Option<Vec<u8>>,
    pub(super) reserved: crate::memory::Reservation,
}

/// What a file's parts may inflate to (see [`MAX_INFLATED`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Caps {
    pub(super) document: u64,
    pub(super) lists: u64,
    pub(super) total: u64,
}

pub(super) const CAPS: Caps = Caps { document: MAX_DOCUMENT_XML, lists: MAX_LISTS_XML, total: MAX_INFLATED };

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
pub(super) fn open_package(bytes: &[u8]) -> Result<Package, Rejection> {
    open_package_capped(bytes, CAPS)
}

pub(super) fn open_package_capped(bytes: &[u8], caps: Caps) -> Result<Package, Rejection> {
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
