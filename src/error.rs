//! Why a file was not summed: typed, with the place it happened.
//!
//! A rejection is data, not a crash (tokei's and ripgrep's way): the run goes
//! on, the reason lands in files.csv, and the exit code says something was
//! rejected. The message names the table, the row and the line, so a clerk can
//! open the file and see the problem without reading code.

use crate::lang::Lang;
use std::fmt;

/// What kind of problem made a file unreadable with certainty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectKind {
    /// The file could not be opened or read.
    Io,
    /// The bytes are not text in any encoding the tool reads.
    Encoding,
    /// The file type is one the tool cannot read (RTF, Word 6/95, encrypted files, …), or the
    /// file is far larger than any report.
    Unsupported,
    /// The file is not what its name says (a web page named .pdf) or is
    /// damaged beyond reading.
    Damaged,
    /// The file is encrypted and cannot be opened without a password.
    Encrypted,
    /// A scanned document: pictures of pages, no text to read (no OCR).
    Scanned,
    /// No report title and no table 3: not an annual report.
    NotAReport,
    /// The title names no year, or an impossible one.
    NoYear,
    /// Neither title, folder nor `--county` names the county.
    NoCounty,
    /// A table is missing.
    MissingTable,
    /// A row of a table is missing.
    MissingRow,
    /// The same row appears twice.
    DuplicateRow,
    /// A row has more or fewer values than the form has columns.
    WrongCount,
    /// Text (or a negative or fractional number) where a count belongs.
    NotANumber,
    /// A number too large to be a count.
    Overflow,
    /// Values that no row label claims.
    Unlabeled,
}

impl RejectKind {
    /// A short machine-friendly name, used in tests and summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectKind::Io => "io",
            RejectKind::Encoding => "encoding",
            RejectKind::Unsupported => "unsupported",
            RejectKind::Damaged => "damaged",
            RejectKind::Encrypted => "encrypted",
            RejectKind::Scanned => "scanned",
            RejectKind::NotAReport => "not_a_report",
            RejectKind::NoYear => "no_year",
            RejectKind::NoCounty => "no_county",
            RejectKind::MissingTable => "missing_table",
            RejectKind::MissingRow => "missing_row",
            RejectKind::DuplicateRow => "duplicate_row",
            RejectKind::WrongCount => "wrong_count",
            RejectKind::NotANumber => "not_a_number",
            RejectKind::Overflow => "overflow",
            RejectKind::Unlabeled => "unlabeled_values",
        }
    }
}

/// A reason in English and in Chinese, for the parts that build a reason
/// before they know where it belongs (a value's problem, before its row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    /// In English.
    pub en: String,
    /// In Chinese.
    pub zh: String,
}

/// A reason in both languages.
pub fn why(en: impl Into<String>, zh: impl Into<String>) -> Why {
    Why { en: en.into(), zh: zh.into() }
}

/// A file that was not summed, and where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The kind of problem.
    pub kind: RejectKind,
    /// The table (2, 3 or 4), when the problem is inside one.
    pub table: Option<u8>,
    /// The row, as `key (label)`, when the problem is in one row.
    pub row: Option<String>,
    /// The 1-based line (or table row) of the source, when known.
    pub line: Option<usize>,
    /// What is wrong, in plain words, with the numbers involved (English).
    pub detail: String,
    /// The same in Chinese, for the clerk: what is wrong and what to do.
    pub detail_zh: String,
}

impl Rejection {
    /// A rejection about the whole document, with its reason in English
    /// and in Chinese (both are required: files.csv is read by a clerk).
    pub fn doc(kind: RejectKind, en: impl Into<String>, zh: impl Into<String>) -> Rejection {
        Rejection { kind, table: None, row: None, line: None, detail: en.into(), detail_zh: zh.into() }
    }

    /// A rejection inside a table, with its reason in both languages.
    pub fn table(kind: RejectKind, table: u8, en: impl Into<String>, zh: impl Into<String>) -> Rejection {
        Rejection { kind, table: Some(table), row: None, line: None, detail: en.into(), detail_zh: zh.into() }
    }

    /// A rejection inside a table from a reason in both languages.
    pub fn table_why(kind: RejectKind, table: u8, why: Why) -> Rejection {
        Rejection::table(kind, table, why.en, why.zh)
    }

    /// Name the row.
    pub fn row(mut self, row: impl Into<String>) -> Rejection {
        self.row = Some(row.into());
        self
    }

    /// Name the line.
    pub fn line(mut self, line: usize) -> Rejection {
        self.line = Some(line);
        self
    }
}

impl Rejection {
    /// Where the problem is, in words (`table 3, row …, line 12` or
    /// `表三，…行，第 12 行`).
    fn place(&self, lang: Lang) -> Vec<String> {
        let mut place = Vec::new();
        let zh = lang == Lang::Zh;
        if let Some(t) = self.table {
            place.push(if zh {
                format!("表{}", ["", "一", "二", "三", "四"].get(usize::from(t)).unwrap_or(&"?"))
            } else {
                format!("table {t}")
            });
        }
        if let Some(r) = &self.row {
            // Rows are named `key (label)`; a clerk reads the form's label.
            let label = r.split_once(" (").and_then(|(_, l)| l.strip_suffix(')')).filter(|_| zh).unwrap_or(r);
            place.push(if zh { format!("“{label}”行") } else { format!("row {r}") });
        }
        if let Some(l) = self.line {
            place.push(if zh { format!("第 {l} 行") } else { format!("line {l}") });
        }
        place
    }

    /// The reason in a language, with the place it names.
    pub fn message(&self, lang: Lang) -> String {
        let place = self.place(lang);
        let sep = lang.pick("，", ", ");
        let colon = lang.pick("：", ": ");
        let detail = lang.pick(&self.detail_zh, &self.detail);
        if place.is_empty() { detail.to_string() } else { format!("{}{colon}{detail}", place.join(sep)) }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Rejection {}
