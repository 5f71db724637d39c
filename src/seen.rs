//! What the run keeps of each report for the checks across files, and those
//! checks: duplicates (FORMAT.md section 2), the year-to-year chains, and
//! the reviewer's lookalike checks ([`crate::checks::cross`]).
//!
//! A report is kept as a few dozen bytes plus its path: its county, unit and
//! year, a hash of its bytes, its chain figures and a fingerprint of its
//! table 3; for the few reports a check found an error in, also their tables
//! 3 and 4, which the send-back notice shows. Files are found again by their
//! path (never by their place in a second walk: a folder may change while the
//! run goes on), and only the few
//! a check has something to say about. Duplicates were summed as they
//! streamed by, so they are read again and taken out of the sums; their
//! rows are then taken out of the per-file outputs ([`Cross::patch`]).

use crate::aggregate::Totals;
use crate::checks::chain::{ChainInfo, check_chain};
use crate::checks::{Finding, Severity, What, cross};
use crate::config::Config;
use crate::discover::Entry;
use crate::output::OutputSet;
use crate::output::csv::Encoder;
use crate::read::{Outcome, ReadReport, Reader};
use crate::report::{Table3, Table4};
use anyhow::{Context, Result};
use std::collections::HashMap;

/// A file's status in files.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Read completely and summed.
    Parsed,
    /// Table 3 summed; table 2 or 4 left out.
    Partial,
    /// Read, not summed: another file reports the same unit and year.
    Duplicate,
    /// Not summed at all.
    Rejected,
    /// Not a report.
    Skipped,
}

impl Status {
    /// The word files.csv writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Parsed => "parsed",
            Status::Partial => "partial",
            Status::Duplicate => "duplicate",
            Status::Rejected => "rejected",
            Status::Skipped => "skipped",
        }
    }

    /// The status files.csv writes as `word`.
    pub fn parse(word: &str) -> Option<Status> {
        [Status::Parsed, Status::Partial, Status::Duplicate, Status::Rejected, Status::Skipped]
            .into_iter()
            .find(|s| s.as_str() == word)
    }
}

/// What the checks across files need of one report (built by the worker).
#[derive(Debug, Clone)]
pub struct SeenReport {
    county: Box<str>,
    unit: Box<str>,
    year: u16,
    status: Status,
    hash: u64,
    chain: ChainInfo,
    /// A hash of table 3's values, and whether it has too few numbers to
    /// compare (fewer than three other than 0).
    fingerprint: u64,
    table3_zero: bool,
    /// Every table the report has is all zero.
    all_zero: bool,
    format: &'static str,
    /// The 总计 of the rows the workbook lists per report.
    key_totals: [Option<u64>; 4],
    /// Its tables 3 and 4, kept only when a check found an error in it (the
    /// send-back notice shows them): few reports, so memory stays flat.
    kept: Option<Box<Kept>>,
    /// Where its files.csv record and its requests_by_unit.csv rows are.
    pub files_at: (u64, u32),
    /// See `files_at`.
    pub by_unit_at: (u64, u32),
}

impl SeenReport {
    /// Take what the checks across files need from a report read.
    pub fn of(p: &ReadReport, status: Status) -> SeenReport {
        let r = &p.report;
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            r.table3.rows.hash(&mut h);
            h.finish()
        };
        // A table with a number or two is easily the same as another's by
        // chance (a township with one request): only tables with at least
        // three numbers other than 0 count as identical or unchanged.
        let table3_zero = r.table3.rows.iter().flatten().flatten().filter(|&&v| v != 0).count() < 3;
        let all_zero = r.table3.rows.iter().flatten().flatten().all(|&v| v == 0)
            && r.table2.as_ref().is_none_or(|t| t.iter().all(|d| d.0 == 0))
            && r.table4.as_ref().is_none_or(|t| t.iter().flatten().all(|&v| v == 0));
        SeenReport {
            county: p.county.as_str().into(),
            unit: r.unit.as_str().into(),
            year: r.year,
            status,
            hash: p.hash,
            chain: ChainInfo::of(r),
            fingerprint,
            table3_zero,
            all_zero,
            format: r.format.as_str(),
            key_totals: crate::output::xlsx::UNIT_ROWS
                .map(|row| r.table3.get(row).map(|v| v[crate::schema::TOTAL_COL])),
            kept: p.findings.iter().any(|f| f.severity == Severity::Error).then(|| Kept::of(r)),
            files_at: (0, 0),
            by_unit_at: (0, 0),
        }
    }
}

/// The tables of a report with an error, for its send-back notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// Table 3.
    pub table3: Table3,
    /// Table 4, if it was read.
    pub table4: Option<Table4>,
}

impl Kept {
    fn of(r: &crate::report::Report) -> Box<Kept> {
        Box::new(Kept { table3: r.table3.clone(), table4: r.table4 })
    }
}

/// Last year's 结转下年度继续办理 of a unit whose 上年结转 does not match it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastYear {
    /// Last year.
    pub year: u16,
    /// Its carried_forward row.
    pub carried_forward: [u64; crate::schema::NCOLS],
    /// The file of last year's report.
    pub file: String,
}

/// The reports seen so far.
#[derive(Default)]
pub struct Seen {
    reports: Vec<(u32, Entry, SeenReport)>,
}

impl Seen {
    /// Keep a report read (file number `idx` in the walk).
    pub fn add(&mut self, idx: u32, entry: Entry, s: SeenReport) {
        self.reports.push((idx, entry, s));
    }

    /// The checks across files. Duplicates are taken out of `totals`.
    pub fn cross_file(self, config: &Config, totals: &mut Totals) -> Result<Cross> {
        let mut reports = self.reports;
        let mut order: Vec<usize> = (0..reports.len()).collect();
        let key = |i: usize| {
            let s = &reports[i].2;
            (s.county.clone(), s.unit.clone(), s.year, reports[i].0)
        };
        order.sort_by_key(|&i| key(i));
        let same = |a: &usize, b: &usize| {
            let (x, y) = (&reports[*a].2, &reports[*b].2);
            (&x.county, &x.unit, x.year) == (&y.county, &y.unit, y.year)
        };
        let mut findings: Vec<(u32, Finding)> = Vec::new();
        let mut duplicate: HashMap<usize, String> = HashMap::new();
        // The report that stands for each (county, unit, year) in the
        // checks across years, where there is one.
        let mut standing: Vec<usize> = Vec::new();
        let mut reader = Reader::default();
        let mut kept: Vec<(usize, Box<Kept>)> = Vec::new();
        for group in order.chunk_by(same) {
            if group.len() == 1 {
                standing.push(group[0]);
                continue;
            }
            let first = group[0];
            let identical = group[1..].iter().all(|&i| reports[i].2.hash == reports[first].2.hash)
                && same_bytes(&reports[first].1, group[1..].iter().map(|&i| &reports[i].1))?;
            let taken_out: Vec<usize> = if identical { group[1..].to_vec() } else { group.to_vec() };
            for &i in &taken_out {
                let (_, entry, s) = &reports[i];
                match reader.read(entry, config.county.as_deref()) {
                    Outcome::Read(p)
                        if p.county == *s.county && p.report.unit == *s.unit && p.report.year == s.year =>
                    {
                        totals.sub(&p.county, &p.report);
                        // Not summed, to be sent back: its notice shows its tables.
                        if !identical && reports[i].2.kept.is_none() {
                            kept.push((i, Kept::of(&p.report)));
                        }
                    }
                    _ => anyhow::bail!("{} changed while it was being read: run again", entry.rel),
                }
            }
            let s = &reports[first].2;
            for &i in group {
                let idx = reports[i].0;
                if identical {
                    if i == first {
                        continue;
                    }
                    let of = reports[first].1.rel.clone();
                    let f = Finding { check: "duplicate", severity: Severity::Warning, what: What::Identical { of } };
                    duplicate.insert(i, f.detail(config.lang));
                    findings.push((idx, f));
                } else {
                    let others = group.iter().filter(|&&o| o != i).map(|&o| reports[o].1.rel.clone()).collect();
                    let what = What::Duplicate {
                        county: s.county.to_string(),
                        unit: s.unit.to_string(),
                        year: s.year,
                        others,
                    };
                    let f = Finding { check: "duplicate", severity: Severity::Error, what };
                    duplicate.insert(i, f.detail(config.lang));
                    findings.push((idx, f));
                }
            }
            if identical {
                standing.push(first);
            }
        }
        for (i, k) in kept {
            reports[i].2.kept = Some(k);
        }
        // A unit's years N-1 and N are neighbours in this order.
        let mut last_year: HashMap<u32, LastYear> = HashMap::new();
        for pair in standing.windows(2) {
            let (p, c) = (&reports[pair[0]].2, &reports[pair[1]].2);
            if (&p.county, &p.unit) != (&c.county, &c.unit) || p.year.checked_add(1) != Some(c.year) {
                continue;
            }
            let idx = reports[pair[1]].0;
            let prev_file = reports[pair[0]].1.rel.clone();
            let chain = check_chain(&p.chain, &c.chain, p.year);
            if chain.iter().any(|f| f.check == "carry_chain") {
                let carried_forward = p.chain.carried_forward;
                last_year.insert(idx, LastYear { year: p.year, carried_forward, file: prev_file.clone() });
            }
            findings.extend(chain.into_iter().map(|f| (idx, f)));
            findings.extend(
                cross::year_after_year(
                    p.year,
                    &prev_file,
                    (p.fingerprint, p.table3_zero, p.all_zero),
                    (c.fingerprint, c.table3_zero, c.all_zero),
                )
                .into_iter()
                .map(|f| (idx, f)),
            );
        }
        // Two units of one county and year with the same table 3.
        let mut by_table: HashMap<(&str, u16, u64), Vec<usize>> = HashMap::new();
        for &i in &standing {
            let s = &reports[i].2;
            if !s.table3_zero {
                by_table.entry((&s.county, s.year, s.fingerprint)).or_default().push(i);
            }
        }
        // Each report names one other and counts the rest: naming every
        // other one made 1,200 copies of one table 1.4 million findings (a
        // 2.5 GB run whose workbook failed; issue 16).
        for group in by_table.values().filter(|g| g.len() > 1) {
            for &i in group {
                let Some(&o) = group.iter().find(|&&o| o != i) else { continue };
                let (unit, file) = (reports[o].2.unit.to_string(), reports[o].1.rel.clone());
                findings.push((reports[i].0, cross::same_as(unit, file, group.len() - 2)));
            }
        }
        Ok(Cross { reports, duplicate, findings, last_year })
    }
}

/// Are these files byte for byte the same as the first?
fn same_bytes<'a>(first: &Entry, others: impl Iterator<Item = &'a Entry>) -> Result<bool> {
    let mut a = Vec::new();
    crate::read::fill_within(&mut a, &first.source, u64::MAX, |_| ())
        .map_err(|r| anyhow::anyhow!("{}: {r}", first.rel))?;
    let mut b = Vec::new();
    for o in others {
        crate::read::fill_within(&mut b, &o.source, u64::MAX, |_| ()).map_err(|r| anyhow::anyhow!("{}: {r}", o.rel))?;
        if a != b {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The outcome of the checks across files.
pub struct Cross {
    reports: Vec<(u32, Entry, SeenReport)>,
    /// Reports found to be duplicates (index in `reports`), with the reason.
    duplicate: HashMap<usize, String>,
    /// The findings, by file number.
    pub findings: Vec<(u32, Finding)>,
    /// Last year's carried_forward of the reports whose carry chain is broken, by file number.
    last_year: HashMap<u32, LastYear>,
}

/// A report as the roster and the workbook see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine<'a> {
    /// County, canonical.
    pub county: &'a str,
    /// Year.
    pub year: u16,
    /// Unit, canonical.
    pub unit: &'a str,
    /// The file.
    pub file: &'a str,
    /// Its status after the checks across files.
    pub status: Status,
    /// Its form.
    pub format: &'static str,
    /// File number in the walk.
    pub idx: u32,
    /// The 总计 of the rows the workbook lists per report.
    pub key_totals: [Option<u64>; 4],
    /// Its tables, when a check found an error in it.
    pub kept: Option<&'a Kept>,
    /// Last year's carried_forward, when its carry chain is broken.
    pub last_year: Option<&'a LastYear>,
}

impl Cross {
    /// How many reports are duplicates.
    pub fn duplicates(&self) -> u64 {
        self.duplicate.len() as u64
    }

    /// How many duplicates had been counted as `status`.
    pub fn duplicates_of(&self, status: Status) -> u64 {
        self.duplicate.keys().filter(|&&i| self.reports[i].2.status == status).count() as u64
    }

    /// Every report read, in file order, with its final status.
    pub fn lines(&self) -> impl Iterator<Item = ReportLine<'_>> {
        self.reports.iter().enumerate().map(|(i, (idx, e, s))| ReportLine {
            county: &s.county,
            year: s.year,
            unit: &s.unit,
            file: &e.rel,
            status: if self.duplicate.contains_key(&i) { Status::Duplicate } else { s.status },
            format: s.format,
            idx: *idx,
            key_totals: s.key_totals,
            kept: s.kept.as_deref(),
            last_year: self.last_year.get(idx),
        })
    }

    /// The names of each report by file number, for checks.csv.
    pub fn names(&self) -> Names<'_> {
        Names { reports: &self.reports }
    }

    /// Rewrite files.csv and requests_by_unit.csv where duplicates were
    /// found: their status and reason in files.csv, their rows out of
    /// requests_by_unit.csv (which lists the reports summed).
    pub fn patch(&self, set: &OutputSet, bom: bool) -> Result<()> {
        if self.duplicate.is_empty() {
            return Ok(());
        }
        let _ = bom;
        let mut files: Vec<(u64, u32, Vec<u8>)> = Vec::new();
        let mut by_unit: Vec<(u64, u32, Vec<u8>)> = Vec::new();
        for (&i, reason) in &self.duplicate {
            let (_, e, s) = &self.reports[i];
            let mut enc = Encoder::default();
            let year = s.year.to_string();
            let rec = [
                crate::output::text_field(&e.rel),
                "duplicate".into(),
                crate::output::text_field(&s.county),
                year.as_str().into(),
                crate::output::text_field(&s.unit),
                s.format.into(),
                crate::output::text_field(reason),
            ];
            enc.row(rec.iter().map(|f| f.as_bytes()))?;
            files.push((s.files_at.0, s.files_at.1, enc.take()));
            by_unit.push((s.by_unit_at.0, s.by_unit_at.1, Vec::new()));
        }
        splice(&set.path("files.csv"), files)?;
        splice(&set.path("requests_by_unit.csv"), by_unit)
    }
}

/// Replace byte ranges of a file (sorted or not; they do not overlap).
fn splice(path: &std::path::Path, mut edits: Vec<(u64, u32, Vec<u8>)>) -> Result<()> {
    use std::io::{BufWriter, Read, Write};
    edits.sort_by_key(|e| e.0);
    let tmp = path.with_extension("splice");
    {
        let mut src = std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
        );
        let out = std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        let mut dst = BufWriter::new(out);
        let mut at = 0u64;
        for (start, len, with) in &edits {
            std::io::copy(&mut src.by_ref().take(start - at), &mut dst)?;
            std::io::copy(&mut src.by_ref().take(u64::from(*len)), &mut std::io::sink())?;
            dst.write_all(with)?;
            at = start + u64::from(*len);
        }
        std::io::copy(&mut src, &mut dst)?;
        let out = dst.into_inner().map_err(|e| anyhow::anyhow!("cannot write {}: {}", tmp.display(), e.error()))?;
        out.sync_all().with_context(|| format!("cannot write {}", tmp.display()))?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))
}

/// The county, year, unit and file of each report, by file number.
pub struct Names<'a> {
    reports: &'a [(u32, Entry, SeenReport)],
}

impl<'a> Names<'a> {
    /// The names of file number `idx` (empty for a file that is not a report read).
    pub fn get(&self, idx: &u32) -> (&'a str, u16, &'a str, &'a str) {
        match self.reports.binary_search_by_key(idx, |r| r.0) {
            Ok(k) => {
                let (_, e, s) = &self.reports[k];
                (&s.county, s.year, &s.unit, &e.rel)
            }
            Err(_) => ("", 0, "", ""),
        }
    }
}
