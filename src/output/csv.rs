//! CSV files that open cleanly in Excel, written atomically.
//!
//! Each file is written to a hidden temporary file in the output folder and
//! renamed into place only when complete, so an interrupted run leaves the old
//! file or none, never half a file. A UTF-8 BOM is written first by default:
//! without it, Excel on a Chinese Windows reads UTF-8 as GBK and garbles labels.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The header lines of the contract's files.
pub mod headers {
    /// requests.csv
    pub const REQUESTS: &[&str] = &[
        "county", "year", "units", "row", "label", "natural_person", "commercial_enterprise",
        "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total",
    ];
    /// requests_by_unit.csv
    pub const REQUESTS_BY_UNIT: &[&str] = &[
        "county", "year", "unit", "file", "row", "label", "natural_person", "commercial_enterprise",
        "research_institution", "social_welfare_org", "legal_service_org", "other_org", "total",
    ];
    /// proactive.csv
    pub const PROACTIVE: &[&str] = &["county", "year", "units", "item", "measure", "label", "value"];
    /// review_litigation.csv
    pub const REVIEW: &[&str] =
        &["county", "year", "units", "proceeding", "upheld", "corrected", "other", "pending", "total"];
    /// checks.csv
    pub const CHECKS: &[&str] = &["county", "year", "unit", "file", "check", "severity", "detail"];
    /// files.csv
    pub const FILES: &[&str] = &["file", "status", "county", "year", "unit", "format", "reason"];
    /// requests_yoy.csv: the 总计 of each table-3 row, year N beside N-1.
    pub const REQUESTS_YOY: &[&str] =
        &["county", "year", "row", "label", "this_year_total", "last_year_total", "change", "change_pct"];
}

/// CSV records encoded to bytes, exactly as [`AtomicCsv`] writes them (CRLF
/// line ends, minimal quoting): workers format a file's rows in parallel and
/// the writer only copies the bytes, in order.
pub struct Encoder {
    writer: csv::Writer<Vec<u8>>,
    /// A record was encoded since the last [`Encoder::take`].
    pending: bool,
}

impl Default for Encoder {
    fn default() -> Self {
        Encoder { writer: new_writer(), pending: false }
    }
}

fn new_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).buffer_capacity(1024).from_writer(Vec::new())
}

impl Encoder {
    /// Encode one record.
    pub fn row<I, T>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.pending = true;
        Ok(self.writer.write_record(fields)?)
    }

    /// The bytes encoded since the last call, leaving the encoder empty.
    pub fn take(&mut self) -> Result<Vec<u8>> {
        self.pending = false;
        let full = std::mem::replace(&mut self.writer, new_writer());
        full.into_inner().map_err(|e| anyhow::anyhow!("cannot encode a CSV row: {}", e.error()))
    }
}

/// Write `v` in decimal at the end of `buf`; returns how many bytes (the
/// digits are `buf[20 - n..]`). Counts go out by the hundred thousand: this
/// spares an allocation for each.
pub fn write_u64(mut v: u64, buf: &mut [u8; 20]) -> usize {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return buf.len() - i;
        }
    }
}

/// A CSV file being written: complete only after [`AtomicCsv::finish`].
pub struct AtomicCsv {
    out: BufWriter<File>,
    encoder: Encoder,
    tmp: PathBuf,
    path: PathBuf,
}

impl AtomicCsv {
    /// Start `dir/name`, writing the BOM (if asked) and the header line.
    pub fn create(dir: &Path, name: &str, header: &[&str], bom: bool) -> Result<AtomicCsv> {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp"));
        let file = File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        if bom {
            out.write_all("\u{FEFF}".as_bytes())?;
        }
        let mut csv = AtomicCsv { out, encoder: Encoder::default(), tmp, path };
        csv.row(header)?;
        Ok(csv)
    }

    /// Write one record (encoded now, written with the next batch).
    pub fn row<I, T>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.encoder.row(fields)?;
        if self.encoder.writer.get_ref().len() >= 1 << 16 {
            self.drain()?;
        }
        Ok(())
    }

    /// Write records already encoded by an [`Encoder`].
    pub fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.drain()?;
        self.out.write_all(bytes).with_context(|| format!("cannot write {}", self.tmp.display()))
    }

    /// Move the records encoded by [`AtomicCsv::row`] into the file.
    fn drain(&mut self) -> Result<()> {
        if self.encoder.pending {
            self.encoder.pending = false;
            let bytes = self.encoder.take()?;
            self.out.write_all(&bytes).with_context(|| format!("cannot write {}", self.tmp.display()))?;
        }
        Ok(())
    }

    /// Flush, sync and move the file into place.
    pub fn finish(mut self) -> Result<()> {
        self.drain()?;
        let file = self.out.into_inner().map_err(|e| anyhow::anyhow!("cannot write {}: {}", self.tmp.display(), e.error()))?;
        file.sync_all().ok();
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("cannot move {} into place", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_u64_matches_to_string() {
        for v in [0, 7, 10, 99, 100, 12345, crate::text::MAX_COUNT, u64::MAX] {
            let mut buf = [0u8; 20];
            let n = write_u64(v, &mut buf);
            assert_eq!(&buf[20 - n..], v.to_string().as_bytes());
        }
    }
}
