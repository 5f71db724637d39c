//! One file → what it says: open it safely, take its bytes (from disk or a
//! zip), decode, lay out, read the report, run its own checks.
//!
//! Pure of the run's state: each worker calls [`Reader::read`] with its own
//! buffer, so a file's outcome depends on its bytes alone (and the county its
//! folder names). A file is opened without blocking and must be a regular
//! file (a FIFO swapped in after the walk cannot hang the run), and its
//! bytes are bounded before they are read. What a file may cost is reserved
//! from the run's [`memory`] budget before its bytes are read, so eight
//! workers on eight files at their bounds wait for each other instead of
//! taking eight times the memory. This file owns those rules; it knows
//! nothing of sums or outputs.

use crate::checks::{self, Finding, Severity, What};
use crate::discover::{Action, DocKind, Entry, Source};
use crate::error::{RejectKind, Rejection, Why};
use crate::layout::{self, Line};
use crate::report::{self, Report};
use crate::{decode, memory, names};
use std::io::Read;
use std::path::Path;

/// The largest text or web page read: real reports are well under 1 MB, and
/// a bound keeps one odd file from taking the memory of the whole run.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// The largest Word file read (Word files carry pictures; only the text is read).
pub const MAX_DOCX_BYTES: u64 = 128 << 20;

/// The largest PDF read (a published report is under a few MB; scans with
/// pictures of every page are larger, and are rejected as scans).
pub const MAX_PDF_BYTES: u64 = 128 << 20;

/// What reading a file of `len` bytes may cost at most, its bytes included:
/// the decoded text and the lines (text, web pages: the layouts' budgets
/// hold a page of `len` bytes to about 3 × `len` more), the streams of a
/// .doc or PDF. A Word file reserves what its parts inflate to once it knows
/// (see [`layout::docx`]).
pub fn cost(kind: DocKind, len: u64) -> usize {
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    match kind {
        DocKind::Docx => len,
        DocKind::Text | DocKind::Html | DocKind::Doc | DocKind::Pdf => len.saturating_mul(4),
    }
}

/// The size limit of a kind of file.
fn limit(kind: DocKind) -> u64 {
    match kind {
        DocKind::Text | DocKind::Html => MAX_TEXT_BYTES,
        DocKind::Docx | DocKind::Doc => MAX_DOCX_BYTES,
        DocKind::Pdf => MAX_PDF_BYTES,
    }
}

/// A report read and checked, with what the run needs of its file.
#[derive(Debug, Clone)]
pub struct ReadReport {
    /// The report.
    pub report: Report,
    /// The county it is summed under (canonical).
    pub county: String,
    /// Findings of the per-report checks (and a county mismatch).
    pub findings: Vec<Finding>,
    /// How the file was read.
    pub kind: DocKind,
    /// A hash of the file's bytes, to tell byte-identical copies.
    pub hash: u64,
}

/// What reading one file gave.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A report, read (completely, or with table 2 or 4 left out).
    Read(Box<ReadReport>),
    /// Not summed, with the reason.
    Rejected(Rejection),
    /// Not a report.
    Skipped(Why),
}

/// Open a file for reading without blocking (a FIFO or device opened by
/// name would wait forever for a writer), and make sure it is a regular file.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file (a pipe, device or socket)"));
    }
    Ok(file)
}

/// Read one file into lines of cells, whatever its layout.
pub fn read_lines(bytes: &[u8], kind: DocKind) -> Result<Vec<Line<'static>>, Rejection> {
    match kind {
        DocKind::Text => Ok(layout::text::read(&decode::decode(bytes)?.0)?.into_iter().map(Line::into_owned).collect()),
        DocKind::Html => layout::html::read(&decode::decode(bytes)?.0),
        DocKind::Docx => layout::docx::read(bytes),
        DocKind::Doc => layout::doc::read(bytes),
        DocKind::Pdf => layout::pdf::read(bytes),
    }
}

/// Read every table of a file on its own (see [`report::Parts`]).
pub fn read_parts(bytes: &[u8], kind: DocKind) -> Result<report::Parts, Rejection> {
    match kind {
        // Text borrows its cells from the decoded text.
        DocKind::Text => {
            let text = decode::decode(bytes)?.0;
            let mut parts = report::read_parts(&layout::text::read(&text)?);
            // A table written one cell per line with nothing between cells
            // (LibreOffice's text export) gives a blank cell as an empty
            // line, which the first reading took for a gap. Only text of
            // one cell per line is read again that way (in text laid out
            // by spaces an empty line is only space); a table of blank-line
            // gaps then has too many cells and stays unread, and a table 3
            // and 4 so read must also add up, so no gap is taken for a value.
            if parts.any_unread() && layout::text::one_cell_per_line(&text) {
                let cells = report::read_parts(&layout::text::read_as(&text, layout::text::Blank::Cell)?);
                let adds_up3 = |t: &report::Table3| checks::table3_arithmetic(t).is_empty();
                parts.fill_from(cells, adds_up3, |t| checks::table4_arithmetic(t).is_empty());
            }
            Ok(parts)
        }
        DocKind::Pdf => {
            let (lines, cut) = layout::pdf::read_noting_cuts(bytes)?;
            let mut parts = report::read_parts(&lines);
            if cut {
                parts.for_each_rejection(say_cut);
            }
            Ok(parts)
        }
        _ => Ok(report::read_parts(&read_lines(bytes, kind)?)),
    }
}

/// Add to a table's rejection that the PDF's text runs past the page's
/// edge: the likely cause, and what to do about it.
fn say_cut(r: &mut Rejection) {
    r.detail.push_str(
        "; the PDF has text past the page's edge (a table wider than the page): what was cut off may not be in the file; use the Word file, or narrow the table and make the PDF again",
    );
    r.detail_zh.push_str("；此 PDF 有文字超出页面边缘（表格比页面宽），被截去的部分可能不在文件里：请改用原 Word 文件，或把表格改窄后重新导出 PDF");
}

/// Read and check one report from its bytes: the whole per-file path, pure
/// and free of I/O (what the fuzz target calls). `folder_county` is the
/// county the file's folders name, `fallback` the one the user gave.
pub fn read_bytes(
    bytes: &[u8],
    kind: DocKind,
    folder_county: Option<&str>,
    fallback: Option<&str>,
) -> Result<ReadReport, Rejection> {
    let report = read_parts(bytes, kind)?.into_report()?;
    let folder = folder_county.map(names::county);
    let mut findings = checks::check_report(&report);
    let county = match (&report.county, &folder) {
        (Some(title), Some(folder)) if title != folder => {
            findings.push(Finding {
                check: "county_mismatch",
                severity: Severity::Warning,
                what: What::CountyMismatch { title: title.clone(), folder: folder.clone() },
            });
            title.clone()
        }
        (Some(title), _) => title.clone(),
        (None, Some(folder)) => folder.clone(),
        (None, None) => match fallback {
            Some(c) => names::county(c),
            None => {
                return Err(Rejection::doc(
                    RejectKind::NoCounty,
                    format!(
                        "the title \"{}\" names no county and no folder is named …县/…市/…区/…旗: put the file in a county folder or pass --county",
                        report.title
                    ),
                    format!(
                        "标题“{}”没有写明县名，所在文件夹也不是以县、市、区、旗命名：请把文件放进以县命名的文件夹，或使用 --county 指定",
                        report.title
                    ),
                ));
            }
        },
    };
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        h.finish()
    };
    Ok(ReadReport { report, county, findings, kind, hash })
}

/// A worker's reading state: its file buffer, kept from file to file (a
/// report is a few KB; a fresh buffer each time was a malloc and a cold
/// cache line per KB).
#[derive(Default)]
pub struct Reader {
    bytes: Vec<u8>,
}

impl Reader {
    /// Read one entry.
    pub fn read(&mut self, entry: &Entry, fallback_county: Option<&str>) -> Outcome {
        let kind = match &entry.action {
            Action::Skip(why) => return Outcome::Skipped(why.clone()),
            Action::Reject(r) => return Outcome::Rejected(r.clone()),
            Action::Read(kind) => *kind,
        };
        let _reserved = match fill(&mut self.bytes, &entry.source, kind) {
            Ok(r) => r,
            Err(r) => return Outcome::Rejected(r),
        };
        let outcome = match read_bytes(&self.bytes, kind, entry.folder_county.as_deref(), fallback_county) {
            Ok(p) => Outcome::Read(Box::new(p)),
            Err(r) => Outcome::Rejected(r),
        };
        // A large file (a Word file, an odd page) does not keep its memory
        // for the rest of the run.
        if self.bytes.capacity() > 1 << 20 {
            self.bytes = Vec::new();
        }
        outcome
    }
}

/// Read a file's bytes into `buf`, at most its kind's size limit of them,
/// once what reading it may cost is reserved (given back when the
/// reservation returned is dropped).
pub fn fill(buf: &mut Vec<u8>, source: &Source, kind: DocKind) -> Result<memory::Reservation, Rejection> {
    let reserved = fill_within(buf, source, limit(kind), |len| memory::reserve(cost(kind, len)))?;
    // A zip entry that lied about its size is within the limit: its true
    // size is what it may cost.
    let true_cost = cost(kind, buf.len() as u64);
    if reserved.bytes() >= true_cost.min(memory::RUN_BYTES) {
        return Ok(reserved);
    }
    drop(reserved);
    Ok(memory::reserve(true_cost))
}

/// Read a file's bytes into `buf`, at most `limit` of them; `reserve` is
/// called with the size the file states before its bytes are read.
pub fn fill_within<R>(
    buf: &mut Vec<u8>,
    source: &Source,
    limit: u64,
    reserve: impl FnOnce(u64) -> R,
) -> Result<R, Rejection> {
    buf.clear();
    let cannot =
        |e: std::io::Error| Rejection::doc(RejectKind::Io, format!("cannot read: {e}"), format!("无法读取：{e}"));
    let too_large = |len: u64| {
        Rejection::doc(
            RejectKind::Unsupported,
            format!("{} MB is far larger than any annual report (limit {} MB): not read", len >> 20, limit >> 20),
            format!("文件有 {} MB，远超任何年度报告（上限 {} MB）：不读取", len >> 20, limit >> 20),
        )
    };
    let reserved = match source {
        Source::File(path) => {
            let mut file = open_regular(path).map_err(cannot)?;
            let len = file.metadata().map_err(cannot)?.len();
            if len > limit {
                return Err(too_large(len));
            }
            let reserved = reserve(len);
            buf.reserve(usize::try_from(len).unwrap_or(0).saturating_add(1));
            file.by_ref().take(limit.saturating_add(1)).read_to_end(buf).map_err(cannot)?;
            reserved
        }
        Source::Zipped(path, index) => {
            let file = open_regular(path).map_err(cannot)?;
            let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
                Rejection::doc(RejectKind::Io, format!("damaged zip archive: {e}"), format!("zip 压缩包已损坏：{e}"))
            })?;
            let mut f = zip.by_index(*index).map_err(|e| {
                Rejection::doc(
                    RejectKind::Io,
                    format!("cannot unpack from the zip archive: {e}"),
                    format!("无法从 zip 压缩包中解压：{e}"),
                )
            })?;
            if f.size() > limit {
                return Err(too_large(f.size()));
            }
            let reserved = reserve(f.size());
            // The size a zip states may lie (a zip bomb): the read is bounded.
            f.by_ref().take(limit.saturating_add(1)).read_to_end(buf).map_err(cannot)?;
            reserved
        }
    };
    if buf.len() as u64 > limit {
        return Err(Rejection::doc(
            RejectKind::Io,
            "the file is larger than its size limit (it grew while it was read, or its zip entry lied about its size)",
            "文件超过大小上限（读取时仍在变大，或压缩包中标明的大小有误）",
        ));
    }
    Ok(reserved)
}
