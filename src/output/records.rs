//! The records of files.csv and checks.csv as serde types, for the parts of
//! the tool that read its own outputs back (the workbook's 文件 sheet, merge).
//!
//! Fields are read by column name, not position, so a column added to a
//! CSV cannot shift what is read. The column names themselves are owned by
//! [`super::csv::headers`]; a test keeps the two in step. This file knows the
//! shape of two records, nothing of how they are written or shown.

use std::path::Path;

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// One line of files.csv: a file and what became of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The path below the input folder, `/`-separated.
    pub file: String,
    /// parsed, partial, duplicate, rejected or skipped.
    pub status: String,
    /// The county, canonical (blank when not known).
    pub county: String,
    /// The report's year (blank when not known).
    pub year: String,
    /// The unit, canonical.
    pub unit: String,
    /// The form: 2019 or 2021.
    pub format: String,
    /// Why the file or a table was left out.
    pub reason: String,
}

impl FileRecord {
    /// The fields in the order of the CSV columns.
    pub fn fields(&self) -> [&str; 7] {
        [&self.file, &self.status, &self.county, &self.year, &self.unit, &self.format, &self.reason]
    }
}

/// One line of checks.csv: a check that failed in one report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRecord {
    /// The county, canonical.
    pub county: String,
    /// The report's year.
    pub year: String,
    /// The unit, canonical.
    pub unit: String,
    /// The file the report was read from.
    pub file: String,
    /// The check's id (FORMAT.md section 2).
    pub check: String,
    /// error or warning.
    pub severity: String,
    /// What is wrong, in words.
    pub detail: String,
}

/// Every record of a CSV the tool wrote (a byte-order mark is skipped).
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&bytes);
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text)
        .deserialize()
        .enumerate()
        .map(|(k, r)| r.with_context(|| format!("{}: record {} cannot be read", path.display(), k + 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::csv::headers;

    /// The header serde writes for a record, as a list of names.
    fn header_of<T: Serialize + Default>() -> Vec<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(T::default()).unwrap();
        let bytes = w.into_inner().unwrap();
        String::from_utf8(bytes).unwrap().lines().next().unwrap().split(',').map(str::to_string).collect()
    }

    #[test]
    fn records_have_the_columns_the_csvs_are_written_with() {
        assert_eq!(header_of::<FileRecord>(), headers::FILES);
        assert_eq!(header_of::<CheckRecord>(), headers::CHECKS);
    }

    #[test]
    fn a_record_is_read_by_column_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("files.csv");
        std::fs::write(
            &path,
            "\u{FEFF}file,status,county,year,unit,format,reason\r\na.txt,parsed,兴国县,2024,城关镇,2021,\r\n",
        )
        .unwrap();
        let recs: Vec<FileRecord> = read(&path).unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(
            (recs[0].county.as_str(), recs[0].unit.as_str(), recs[0].year.as_str()),
            ("兴国县", "城关镇", "2024")
        );
        std::fs::write(&path, "file,status\r\na.txt,parsed\r\n").unwrap();
        assert!(read::<FileRecord>(&path).is_err(), "a files.csv without its columns is an error, not blanks");
    }
}
