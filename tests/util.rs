//! Helpers shared by the integration tests: a temp folder of reports with
//! the command line pointed at it, CSV readers, the seed report reshaped.

#![allow(dead_code)]

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The real published report (人和镇, 民权县, 2024) as extracted from the web.
pub const SEED: &str = include_str!("fixtures/real/seed-renhe-2024.txt");

/// The seed report for another county, unit and year, with its one request
/// moved to `n` requests of natural persons (all rows stay consistent).
pub fn report_in(county: &str, unit: &str, year: u16, n: u64) -> String {
    let mut s = SEED.replace("人和镇", unit).replace("民权县", county).replace("2024", &year.to_string());
    let one = |label: &str| format!("{label}\t1\t0\t0\t0\t0\t0\t1");
    let many = |label: &str| format!("{label}\t{n}\t0\t0\t0\t0\t0\t{n}");
    for label in ["一、本年新收政府信息公开申请数量\t", "三、本年度办理结果\t(一) 予以公开"]
    {
        s = s.replace(&one(label), &many(label));
    }
    s = s.replace("(七) 总计\t1\t0\t0\t0\t0\t0\t1", &format!("(七) 总计\t{n}\t0\t0\t0\t0\t0\t{n}"));
    s.replace("共接到政府信息公开申请 1 件", &format!("共接到政府信息公开申请 {n} 件"))
}

/// [`report_in`] for 民权县.
pub fn report(unit: &str, year: u16, n: u64) -> String {
    report_in("民权县", unit, year, n)
}

/// A temp folder with `data/` (the reports) and `out/` (the outputs).
pub struct Folder {
    pub dir: TempDir,
}

impl Folder {
    pub fn new() -> Folder {
        Folder { dir: tempfile::tempdir().unwrap() }
    }
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
    pub fn put(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Folder {
        let p = self.data().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
        self
    }
    /// The command line over `data/` into `out/`, in English (the tests
    /// assert English reasons; [`Folder::cmd_zh`] for the default).
    pub fn cmd(&self) -> Command {
        let mut c = self.cmd_zh();
        c.arg("--lang").arg("en");
        c
    }
    /// The command line over `data/` into `out/`, with the default language.
    pub fn cmd_zh(&self) -> Command {
        let mut c = Command::cargo_bin("county-rollup").unwrap();
        c.arg(self.data()).arg("--out").arg(self.out());
        c
    }
    /// An output CSV's records, header first.
    pub fn csv(&self, name: &str) -> Vec<Vec<String>> {
        read_csv(&self.out().join(name))
    }
    /// A file's status and reason in files.csv.
    pub fn status(&self, file: &str) -> (String, String) {
        let rows = self.csv("files.csv");
        let r = rows.iter().find(|r| r[0] == file).unwrap_or_else(|| panic!("{file} not in files.csv: {rows:?}"));
        (r[1].clone(), r[6].clone())
    }
}

/// A CSV written with its BOM, records header first.
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
}

/// The one row whose columns hold these values.
pub fn row<'a>(rows: &'a [Vec<String>], pred: &[(usize, &str)]) -> &'a Vec<String> {
    let hits: Vec<_> = rows.iter().filter(|r| pred.iter().all(|(i, v)| r[*i] == *v)).collect();
    assert_eq!(hits.len(), 1, "exactly one row matching {pred:?} in {rows:?}");
    hits[0]
}

/// A workbook cell as text, as it prints (empty for an empty cell).
pub fn any(range: &calamine::Range<calamine::Data>, pos: (u32, u32)) -> String {
    match range.get_value(pos) {
        Some(calamine::Data::Empty) | None => String::new(),
        Some(d) => d.to_string(),
    }
}

/// A workbook cell that must be a number.
pub fn number(range: &calamine::Range<calamine::Data>, pos: (u32, u32)) -> f64 {
    match range.get_value(pos) {
        Some(calamine::Data::Float(v)) => *v,
        Some(calamine::Data::Int(v)) => *v as f64,
        other => panic!("{pos:?}: expected a number, found {other:?}"),
    }
}

/// The last row of a sheet (0-based).
pub fn last_row(range: &calamine::Range<calamine::Data>) -> u32 {
    range.end().map_or(0, |e| e.0)
}
