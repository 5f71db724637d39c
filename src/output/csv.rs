//! CSV files that open cleanly in Excel, written atomically.
//!
//! Each file is written to a hidden temporary file in the output folder and
//! renamed into place only when complete, so an interrupted run leaves the old
//! file or none, never half a file. A UTF-8 BOM is written first by default:
//! without it, Excel on a Chinese Windows reads UTF-8 as GBK and garbles labels.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// The header lines of the contract's files, the value columns taken from
/// the schema (so a column of the form is named in one place).
pub mod headers {
    use crate::schema::{TABLE3_COLUMNS, TABLE4_COLUMNS};

    fn with(first: &[&'static str], cols: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
        first.iter().copied().chain(cols).collect()
    }

    /// requests.csv
    pub fn requests() -> Vec<&'static str> {
        with(&["county", "year", "units", "row", "label"], TABLE3_COLUMNS.iter().map(|c| c.key))
    }
    /// requests_by_unit.csv
    pub fn requests_by_unit() -> Vec<&'static str> {
        with(&["county", "year", "unit", "file", "row", "label"], TABLE3_COLUMNS.iter().map(|c| c.key))
    }
    /// proactive.csv
    pub const PROACTIVE: &[&str] = &["county", "year", "units", "item", "measure", "label", "value"];
    /// review_litigation.csv
    pub fn review() -> Vec<&'static str> {
        with(&["county", "year", "units", "proceeding"], TABLE4_COLUMNS.iter().map(|c| c.key))
    }
    /// checks.csv
    pub const CHECKS: &[&str] = &["county", "year", "unit", "file", "check", "severity", "detail"];
    /// files.csv
    pub const FILES: &[&str] = &["file", "status", "county", "year", "unit", "format", "reason"];
    /// requests_yoy.csv: the 总计 of each table-3 row, year N beside N-1.
    pub const REQUESTS_YOY: &[&str] =
        &["county", "year", "row", "label", "this_year_total", "last_year_total", "change", "change_pct"];
    /// roster.csv
    pub const ROSTER: &[&str] = &["county", "year", "unit", "status", "file"];
}

/// CSV records encoded to bytes, exactly as the `csv` crate writes them with
/// its defaults and CRLF line ends (minimal quoting: a field is quoted only
/// when it holds a comma, a quote or a line break, quotes doubled; a record
/// of one empty field is `""`). Written by hand because a report's 26
/// requests_by_unit.csv rows are encoded by the hundred thousand and the
/// crate's general writer (a state machine per byte) cost more than the rest
/// of writing them; tests check it byte for byte against the crate.
#[derive(Default)]
pub struct Encoder {
    buf: Vec<u8>,
    /// Fields of the first record since the last [`Encoder::take`]: every
    /// record of a file has as many (as the crate enforces).
    width: Option<usize>,
}

impl Encoder {
    /// An encoder with room for `bytes` before it grows.
    pub fn with_capacity(bytes: usize) -> Encoder {
        Encoder { buf: Vec::with_capacity(bytes), width: None }
    }

    /// Encode one record.
    pub fn row<I, T>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.row_after(&[], fields)
    }

    /// Encode one record that starts with the fields of `prefixes` (encoded
    /// once, see [`Prefix`]) and goes on with `fields`: a report's 26
    /// requests_by_unit.csv rows share their county, year, unit and file,
    /// and each row of the form has the same key and label in every report.
    pub fn row_after<I, T>(&mut self, prefixes: &[&Prefix], fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.row_with(prefixes, fields, |buf, f| encode_field(buf, f.as_ref()))
    }

    /// [`Encoder::row_after`] with counts for the fields: digits need no
    /// quotes, so each is written straight into the record (a report has
    /// 26 rows of 7 counts).
    pub fn row_after_counts(&mut self, prefixes: &[&Prefix], counts: &[u64]) -> Result<()> {
        self.row_with(prefixes, counts, |buf, &v| {
            let mut digits = [0u8; 20];
            let n = write_u64(v, &mut digits);
            buf.extend_from_slice(&digits[20 - n..]);
        })
    }

    /// A record: the prefixes, then each field as `write` puts it.
    fn row_with<I: IntoIterator>(
        &mut self,
        prefixes: &[&Prefix],
        fields: I,
        write: impl Fn(&mut Vec<u8>, I::Item),
    ) -> Result<()> {
        let start = self.buf.len();
        let mut n = 0;
        for p in prefixes {
            self.buf.extend_from_slice(&p.bytes);
            n += p.fields;
        }
        // Each prefix ends with its comma; a field needs one only after a field.
        let mut after_field = false;
        for f in fields {
            if after_field {
                self.buf.push(b',');
            }
            after_field = true;
            n += 1;
            write(&mut self.buf, f);
        }
        if !after_field && n > 0 {
            self.buf.pop(); // the last prefix's comma ends the record
        }
        if self.buf.len() == start {
            // No byte at all (one empty field): quoted, or the line would be blank.
            self.buf.extend_from_slice(b"\"\"");
        }
        match self.width {
            Some(w) if w != n => {
                self.buf.truncate(start);
                anyhow::bail!("cannot encode a CSV row: {n} fields where the first row had {w}");
            }
            _ => self.width = Some(n),
        }
        self.buf.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// The bytes encoded since the last call, leaving the encoder empty.
    pub fn take(&mut self) -> Vec<u8> {
        self.width = None;
        std::mem::take(&mut self.buf)
    }
}

/// One field, quoted only if it must be (see [`Encoder`]).
fn encode_field(buf: &mut Vec<u8>, f: &[u8]) {
    if f.iter().any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        buf.push(b'"');
        for part in f.split_inclusive(|&b| b == b'"') {
            buf.extend_from_slice(part);
            if part.last() == Some(&b'"') {
                buf.push(b'"');
            }
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(f);
    }
}

/// The first fields of records, encoded once for many rows (see
/// [`Encoder::row_after`]): each field followed by its comma.
#[derive(Debug, Clone, Default)]
pub struct Prefix {
    bytes: Vec<u8>,
    fields: usize,
}

impl Prefix {
    /// Encode `fields` as the start of records.
    pub fn new<I, T>(fields: I) -> Prefix
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut p = Prefix::default();
        for f in fields {
            encode_field(&mut p.bytes, f.as_ref());
            p.bytes.push(b',');
            p.fields += 1;
        }
        p
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

/// A CSV file being written (inside the run's [`super::OutputSet`]):
/// complete only after [`CsvFile::finish`], which flushes and syncs it and
/// reports any error (a full disk is an error, not a short file).
pub struct CsvFile {
    out: BufWriter<File>,
    encoder: Encoder,
    path: PathBuf,
    /// Bytes written so far (for [`CsvFile::offset`]).
    written: u64,
}

impl CsvFile {
    /// Start a file at `path`, writing the BOM (if asked) and the header line.
    pub fn create(path: PathBuf, header: &[&str], bom: bool) -> Result<CsvFile> {
        let file = File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        let mut csv =
            CsvFile { out: BufWriter::with_capacity(1 << 16, file), encoder: Encoder::default(), path, written: 0 };
        if bom {
            csv.raw("\u{FEFF}".as_bytes())?;
        }
        csv.row(header)?;
        Ok(csv)
    }

    /// Write one record.
    pub fn row<I, T>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.encoder.row(fields)?;
        let bytes = self.encoder.take();
        self.raw(&bytes)
    }

    /// Write records already encoded by an [`Encoder`].
    pub fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.written += bytes.len() as u64;
        self.out.write_all(bytes).with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// Bytes written so far: where the next record starts.
    pub fn offset(&self) -> u64 {
        self.written
    }

    /// Flush and sync the file.
    pub fn finish(self) -> Result<()> {
        let path = self.path;
        let file =
            self.out.into_inner().map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error()))?;
        file.sync_all().with_context(|| format!("cannot write {} to the disk", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_written_as_their_digits() {
        let file = Prefix::new(["县", "2024", "a,b"]);
        let (mut a, mut b) = (Encoder::with_capacity(64), Encoder::with_capacity(64));
        let counts = [0, 7, 10, 999_999_999_999, u64::MAX];
        a.row_after_counts(&[&file], &counts).unwrap();
        b.row_after(&[&file], counts.iter().map(|c| c.to_string())).unwrap();
        assert_eq!(a.take(), b.take());
        assert!(a.row_after_counts(&[&file], &[1]).is_ok());
        assert!(a.row_after_counts(&[&file], &[1, 2]).is_err(), "the width is kept");
    }

    fn by_crate(rows: &[Vec<Vec<u8>>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        for r in rows {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    proptest::proptest! {
        #[test]
        fn encoder_writes_what_the_csv_crate_writes(
            width in 1usize..5,
            cells in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(vec![b'a', b',', b'"', b'\r', b'\n', b' ', b'#', 0xE5, 0x8E, 0xBF]), 0..4),
                0..20,
            ),
        ) {
            let rows: Vec<Vec<Vec<u8>>> = cells.chunks(width).filter(|c| c.len() == width).map(<[_]>::to_vec).collect();
            let mut e = Encoder::default();
            for r in &rows {
                e.row(r).unwrap();
            }
            proptest::prop_assert_eq!(e.take(), by_crate(&rows));
        }
    }

    #[test]
    fn encoder_edge_records() {
        for rows in [vec![vec![b"".to_vec()]], vec![vec![b"".to_vec(), b"".to_vec()]], vec![vec![b"\"".to_vec()]]] {
            let mut e = Encoder::default();
            for r in &rows {
                e.row(r).unwrap();
            }
            assert_eq!(e.take(), by_crate(&rows), "{rows:?}");
        }
        let mut e = Encoder::default();
        e.row(["a", "b"]).unwrap();
        assert!(e.row(["a"]).is_err(), "a row of another width is refused");
        assert_eq!(e.take(), b"a,b\r\n");
    }

    #[test]
    fn rows_after_prefixes_are_the_same_rows() {
        let file = Prefix::new(["民权县", "2024", "a,b", "x\"y.txt"]);
        let row = Prefix::new(["r1", ""]);
        let mut a = Encoder::default();
        a.row_after(&[&file, &row], ["1", "2"]).unwrap();
        a.row_after(&[&file, &row, &Prefix::new(["1"])], ["2"]).unwrap();
        let mut b = Encoder::default();
        b.row(["民权县", "2024", "a,b", "x\"y.txt", "r1", "", "1", "2"]).unwrap();
        b.row(["民权县", "2024", "a,b", "x\"y.txt", "r1", "", "1", "2"]).unwrap();
        assert_eq!(a.take(), b.take());
        // A record of prefixes alone.
        for fields in [vec!["a", ""], vec![""], vec!["x,y"]] {
            let mut a = Encoder::default();
            a.row_after(&[&Prefix::new(&fields)], [""; 0]).unwrap();
            assert_eq!(a.take(), by_crate(&[fields.iter().map(|f| f.as_bytes().to_vec()).collect()]), "{fields:?}");
        }
        assert!(a.row_after(&[&file], ["1"]).is_ok());
        assert!(a.row_after(&[&file], ["1", "2"]).is_err(), "the width counts the prefix's fields");
    }

    #[test]
    fn write_u64_matches_to_string() {
        for v in [0, 7, 10, 99, 100, 12345, crate::text::MAX_COUNT, u64::MAX] {
            let mut buf = [0u8; 20];
            let n = write_u64(v, &mut buf);
            assert_eq!(&buf[20 - n..], v.to_string().as_bytes());
        }
    }
}
