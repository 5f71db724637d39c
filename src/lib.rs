//! county-rollup: sum a county's 政府信息公开工作年度报告 table by table.
//!
//! The pipeline flows one way: [`discover`] the files → [`decode`] bytes to
//! text → a [`layout`] turns text into lines of cells → [`report`] maps cells
//! to the report model using the one definition of the form in [`schema`] →
//! [`checks`] → [`aggregate`] → [`output`]. [`run`] drives it: files are read
//! in parallel in chunks, and each chunk's results are written in path order
//! before the next chunk starts, so memory holds one chunk of reports plus the
//! sums, whatever the number of files.
#![deny(missing_docs)]

pub mod aggregate;
pub mod checks;
pub mod decode;
pub mod discover;
pub mod error;
pub mod generate;
pub mod layout;
pub mod merge;
pub mod output;
pub mod report;
pub mod schema;
pub mod text;
pub mod yoy;

use crate::aggregate::Totals;
use crate::checks::{ChainInfo, Finding, Severity};
use crate::discover::{Action, DocKind, Entry};
use crate::error::{RejectKind, Rejection};
use crate::output::csv::{headers, AtomicCsv};
use crate::output::xlsx::UnitRow;
use crate::report::Report;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// A validated run configuration (built from the command line by `main`).
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder of reports.
    pub input: PathBuf,
    /// Where the CSV files go (created if missing).
    pub output: PathBuf,
    /// County for reports whose title and folders name none.
    pub county: Option<String>,
    /// Worker threads (None: one per core).
    pub threads: Option<usize>,
    /// Write a UTF-8 BOM at the start of each CSV (for Excel).
    pub bom: bool,
    /// Show a progress bar.
    pub progress: bool,
    /// Also write the workbook county_rollup.xlsx.
    pub xlsx: bool,
}

/// What a run did, for the end summary and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files found.
    pub files: u64,
    /// Reports read and summed (or found to be duplicates).
    pub parsed: u64,
    /// Files rejected.
    pub rejected: u64,
    /// Files skipped as not reports.
    pub skipped: u64,
    /// Error-severity check findings.
    pub check_errors: u64,
    /// Warning-severity check findings.
    pub check_warnings: u64,
    /// County-years summed.
    pub county_years: u64,
    /// The first few rejections, as `file: reason`, for the terminal.
    pub first_rejections: Vec<String>,
}

/// The result of reading one file.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Read completely.
    Parsed(Box<Parsed>),
    /// Not summed, with the reason.
    Rejected(Rejection),
    /// Not a report.
    Skipped(String),
}

/// A report read completely, with what the run needs of its file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The report.
    pub report: Report,
    /// The county it is summed under.
    pub county: String,
    /// Findings of the per-report checks.
    pub findings: Vec<Finding>,
    /// Hash and length of the file's bytes, to tell copies from conflicts.
    pub fingerprint: (u64, u64),
}

/// Read one file into lines of cells, whatever its layout.
pub fn read_lines(bytes: &[u8], kind: DocKind) -> Result<Vec<layout::Line>, Rejection> {
    match kind {
        DocKind::Text => Ok(layout::text::read(&decode::decode(bytes)?.0)),
        DocKind::Html => layout::html::read(&decode::decode(bytes)?.0),
        DocKind::Docx => layout::docx::read(bytes),
    }
}

/// Read every table of a file on its own (see [`report::Parts`]): for tests and
/// diagnostics of documents whose tables are not all readable.
pub fn read_parts(bytes: &[u8], kind: DocKind) -> Result<report::Parts, Rejection> {
    Ok(report::read_parts(&read_lines(bytes, kind)?))
}

/// Read and check one report from its bytes: the whole per-file path, pure and
/// free of I/O (this is what the fuzz target calls).
pub fn read_bytes(bytes: &[u8], kind: DocKind, fallback_county: Option<&str>) -> Result<Parsed, Rejection> {
    let lines = read_lines(bytes, kind)?;
    let report = report::read_report(&lines)?;
    let county = report.county.clone().or_else(|| fallback_county.map(str::to_string)).ok_or_else(|| {
        Rejection::doc(
            RejectKind::NoCounty,
            format!(
                "the title \"{}\" names no county and no folder is named …县/…市/…区/…旗: put the file in a county folder or pass --county",
                report.title
            ),
        )
    })?;
    let findings = checks::check_report(&report);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    Ok(Parsed { report, county, findings, fingerprint: (h.finish(), bytes.len() as u64) })
}

/// Read one entry from disk.
pub fn read_entry(entry: &Entry, config: &Config) -> Outcome {
    match &entry.action {
        Action::Skip(why) => Outcome::Skipped(why.clone()),
        Action::Reject(r) => Outcome::Rejected(r.clone()),
        Action::Read(kind) => {
            let limit = if *kind == DocKind::Docx { MAX_DOCX_BYTES } else { MAX_TEXT_BYTES };
            match std::fs::metadata(&entry.path) {
                Ok(m) if m.len() > limit => {
                    return Outcome::Rejected(Rejection::doc(
                        RejectKind::Unsupported,
                        format!(
                            "{} MB is far larger than any annual report (limit {} MB): not read",
                            m.len() >> 20,
                            limit >> 20
                        ),
                    ));
                }
                Ok(_) => {}
                Err(e) => return Outcome::Rejected(Rejection::doc(RejectKind::Io, format!("cannot read: {e}"))),
            }
            let bytes = match std::fs::read(&entry.path) {
                Ok(b) => b,
                Err(e) => return Outcome::Rejected(Rejection::doc(RejectKind::Io, format!("cannot read: {e}"))),
            };
            let fallback = entry.folder_county.as_deref().or(config.county.as_deref());
            match read_bytes(&bytes, *kind, fallback) {
                Ok(p) => Outcome::Parsed(Box::new(p)),
                Err(r) => Outcome::Rejected(r),
            }
        }
    }
}

/// The largest text or web page read: real reports are well under 1 MB, and
/// a bound keeps one odd file from taking the memory of the whole run.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// The largest .docx read (Word files carry pictures; only the text is read).
pub const MAX_DOCX_BYTES: u64 = 128 << 20;

/// Files read in parallel at a time; their results are written before the
/// next chunk is read. Bounds memory to one chunk of reports.
const CHUNK: usize = 512;

/// Identity of a unit's report: (county, unit, year).
type UnitKey = (String, String, u16);

/// A check finding tied to its file, for checks.csv.
#[derive(Debug, Clone)]
struct CheckRow {
    county: String,
    year: u16,
    unit: String,
    file: String,
    finding: Finding,
}

/// Run the rollup: read every file under `config.input`, write the CSV files
/// (and with `config.xlsx` the workbook) into `config.output`, and return
/// what happened.
pub fn run(config: &Config) -> Result<Summary> {
    if !config.input.is_dir() {
        anyhow::bail!("{} is not a folder (give the folder that holds the reports)", config.input.display());
    }
    std::fs::create_dir_all(&config.output)
        .with_context(|| format!("cannot create the output folder {}", config.output.display()))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    pool.install(|| run_in_pool(config))
}

fn run_in_pool(config: &Config) -> Result<Summary> {
    let entries = discover::discover(&config.input, Some(&config.output));
    let out = &config.output;
    let mut files = AtomicCsv::create(out, "files.csv", headers::FILES, config.bom)?;
    let mut by_unit = AtomicCsv::create(out, "requests_by_unit.csv", headers::REQUESTS_BY_UNIT, config.bom)?;
    let mut checks_rows: Vec<CheckRow> = Vec::new();
    let mut totals = Totals::default();
    let mut summary = Summary { files: entries.len() as u64, ..Summary::default() };
    let mut identities: HashMap<UnitKey, Vec<(usize, (u64, u64))>> = HashMap::new();
    let mut chains: HashMap<UnitKey, (usize, ChainInfo)> = HashMap::new();
    // For the workbook: a few numbers and strings per file, not the reports.
    let mut unit_rows: Vec<UnitRow> = Vec::new();
    let mut file_rows: Vec<Vec<String>> = Vec::new();
    let bar = progress_bar(config, entries.len() as u64);

    for (chunk_no, chunk) in entries.chunks(CHUNK).enumerate() {
        let outcomes: Vec<Outcome> = chunk.par_iter().map(|e| read_entry(e, config)).collect();
        let partial = outcomes
            .par_iter()
            .try_fold(Totals::default, |mut t, o| {
                if let Outcome::Parsed(p) = o {
                    t.add(&p.county, &p.report)?;
                }
                Ok::<_, aggregate::Overflow>(t)
            })
            .try_reduce(Totals::default, |a, b| a.merge(b))?;
        totals = totals.merge(partial)?;
        for (k, (entry, outcome)) in chunk.iter().zip(&outcomes).enumerate() {
            let idx = chunk_no * CHUNK + k;
            let file_rec = write_outcome(entry, outcome, &mut files, &mut by_unit, &mut summary)?;
            if config.xlsx {
                file_rows.push(file_rec);
            }
            if let Outcome::Parsed(p) = outcome {
                let r = &p.report;
                if config.xlsx {
                    unit_rows.push(UnitRow {
                        county: p.county.clone(),
                        year: r.year,
                        unit: r.unit.clone(),
                        file: entry.rel.clone(),
                        totals: UnitRow::totals_of(&r.table3),
                        errors: 0,
                        warnings: 0,
                    });
                }
                let key = (p.county.clone(), r.unit.clone(), r.year);
                for f in &p.findings {
                    checks_rows.push(CheckRow {
                        county: p.county.clone(),
                        year: r.year,
                        unit: r.unit.clone(),
                        file: entry.rel.clone(),
                        finding: f.clone(),
                    });
                }
                identities.entry(key.clone()).or_default().push((idx, p.fingerprint));
                chains.entry(key).or_insert((idx, ChainInfo::of(r)));
            }
        }
        if let Some(b) = &bar {
            b.inc(chunk.len() as u64);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    resolve_duplicates(&entries, config, &identities, &mut totals, &mut checks_rows, &mut chains)?;
    chain_checks(&entries, &chains, &mut checks_rows);

    // checks.csv: by file path, then the order the checks were found in.
    checks_rows.sort_by(|a, b| a.file.cmp(&b.file));
    let mut checks = AtomicCsv::create(out, "checks.csv", headers::CHECKS, config.bom)?;
    for c in &checks_rows {
        match c.finding.severity {
            Severity::Error => summary.check_errors += 1,
            Severity::Warning => summary.check_warnings += 1,
        }
        checks.row([
            c.county.as_str(),
            &c.year.to_string(),
            &c.unit,
            &c.file,
            c.finding.check,
            c.finding.severity.as_str(),
            &c.finding.detail,
        ])?;
    }
    summary.county_years = totals.by_county_year.len() as u64;
    write_summaries(out, &totals, config.bom)?;
    let yoy_rows = yoy::year_over_year(&yoy::row_totals(&totals));
    yoy::write_csv(out, &yoy_rows, config.bom)?;
    files.finish()?;
    by_unit.finish()?;
    checks.finish()?;
    if config.xlsx {
        let mut counts: HashMap<&str, (u64, u64)> = HashMap::new();
        for c in &checks_rows {
            let n = counts.entry(c.file.as_str()).or_default();
            match c.finding.severity {
                Severity::Error => n.0 += 1,
                Severity::Warning => n.1 += 1,
            }
        }
        for u in &mut unit_rows {
            (u.errors, u.warnings) = counts.get(u.file.as_str()).copied().unwrap_or_default();
        }
        let contents =
            output::xlsx::Contents { totals: &totals, yoy: &yoy_rows, units: &unit_rows, files: &file_rows };
        output::xlsx::write(out, &contents)?;
    }
    Ok(summary)
}

fn progress_bar(config: &Config, n: u64) -> Option<indicatif::ProgressBar> {
    if !config.progress || n < 2 * CHUNK as u64 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(n);
    let style = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {per_sec} ETA {eta}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// Write one file's lines of files.csv and requests_by_unit.csv; return its
/// files.csv record (the workbook lists it too).
fn write_outcome(
    entry: &Entry,
    outcome: &Outcome,
    files: &mut AtomicCsv,
    by_unit: &mut AtomicCsv,
    summary: &mut Summary,
) -> Result<Vec<String>> {
    let record = |fields: [&str; 7]| fields.map(str::to_string).to_vec();
    let file_rec = match outcome {
        Outcome::Skipped(why) => {
            summary.skipped += 1;
            record([entry.rel.as_str(), "skipped", "", "", "", "", why])
        }
        Outcome::Rejected(r) => {
            summary.rejected += 1;
            let reason = r.to_string();
            if summary.first_rejections.len() < 10 {
                summary.first_rejections.push(format!("{}: {}", entry.rel, reason));
            }
            record([entry.rel.as_str(), "rejected", "", "", "", "", &reason])
        }
        Outcome::Parsed(p) => {
            summary.parsed += 1;
            let r = &p.report;
            let year = r.year.to_string();
            for (i, row) in r.table3.rows.iter().enumerate() {
                let Some(v) = row else { continue };
                let def = &schema::TABLE3_ROWS[i];
                let mut rec: Vec<String> =
                    vec![p.county.clone(), year.clone(), r.unit.clone(), entry.rel.clone(), def.key.into(), def.label.into()];
                rec.extend(v.iter().map(u64::to_string));
                by_unit.row(&rec)?;
            }
            record([&entry.rel, "parsed", &p.county, &year, &r.unit, r.format.as_str(), ""])
        }
    };
    files.row(&file_rec)?;
    Ok(file_rec)
}

/// Duplicates (FORMAT.md section 2): two different files for one county, unit
/// and year are both flagged and neither is summed; byte-identical copies are
/// summed once, with a warning. The reports were summed as they streamed by,
/// so the extra ones are read again and taken out of the totals.
fn resolve_duplicates(
    entries: &[Entry],
    config: &Config,
    identities: &HashMap<UnitKey, Vec<(usize, (u64, u64))>>,
    totals: &mut Totals,
    checks_rows: &mut Vec<CheckRow>,
    chains: &mut HashMap<UnitKey, (usize, ChainInfo)>,
) -> Result<()> {
    let mut keys: Vec<&UnitKey> = identities.keys().filter(|k| identities[*k].len() > 1).collect();
    keys.sort();
    for key in keys {
        let files = &identities[key];
        let (county, unit, year) = key;
        let first = &entries[files[0].0];
        let first_bytes = std::fs::read(&first.path).ok();
        let identical = files[1..].iter().all(|(i, fp)| {
            *fp == files[0].1 && first_bytes.is_some() && std::fs::read(&entries[*i].path).ok() == first_bytes
        });
        let remove: Vec<usize> =
            if identical { files[1..].iter().map(|f| f.0).collect() } else { files.iter().map(|f| f.0).collect() };
        for &i in &remove {
            match read_entry(&entries[i], config) {
                Outcome::Parsed(p) => totals.sub(&p.county, &p.report)?,
                _ => anyhow::bail!("{} changed while it was being read", entries[i].rel),
            }
        }
        let others = |me: usize| -> String {
            files.iter().filter(|f| f.0 != me).map(|f| entries[f.0].rel.as_str()).collect::<Vec<_>>().join(", ")
        };
        for (i, _) in files {
            let (severity, detail) = if identical {
                if *i == files[0].0 {
                    continue;
                }
                (Severity::Warning, format!("byte-identical copy of {}; summed once", first.rel))
            } else {
                (
                    Severity::Error,
                    format!(
                        "{county} {unit} {year} is also reported by {}; neither is summed until one is removed",
                        others(*i)
                    ),
                )
            };
            checks_rows.push(CheckRow {
                county: county.clone(),
                year: *year,
                unit: unit.clone(),
                file: entries[*i].rel.clone(),
                finding: Finding { check: "duplicate", severity, detail },
            });
        }
        if !identical {
            chains.remove(key);
        }
    }
    Ok(())
}

/// carry_chain and in_force_chain for every unit present in consecutive years.
fn chain_checks(entries: &[Entry], chains: &HashMap<UnitKey, (usize, ChainInfo)>, checks_rows: &mut Vec<CheckRow>) {
    let sorted: BTreeMap<&UnitKey, &(usize, ChainInfo)> = chains.iter().collect();
    for ((county, unit, year), (idx, cur)) in &sorted {
        let prev_key = (county.clone(), unit.clone(), year - 1);
        let Some((_, prev)) = chains.get(&prev_key) else { continue };
        for finding in checks::check_chain(prev, cur, year - 1) {
            checks_rows.push(CheckRow {
                county: county.clone(),
                year: *year,
                unit: unit.clone(),
                file: entries[*idx].rel.clone(),
                finding,
            });
        }
    }
}

fn write_summaries(out: &Path, totals: &Totals, bom: bool) -> Result<()> {
    let mut requests = AtomicCsv::create(out, "requests.csv", headers::REQUESTS, bom)?;
    let mut proactive = AtomicCsv::create(out, "proactive.csv", headers::PROACTIVE, bom)?;
    let mut review = AtomicCsv::create(out, "review_litigation.csv", headers::REVIEW, bom)?;
    for ((county, year), cy) in &totals.by_county_year {
        let year = year.to_string();
        for (i, row) in cy.requests.iter().enumerate() {
            let Some((v, n)) = row else { continue };
            let def = &schema::TABLE3_ROWS[i];
            let mut rec: Vec<String> = vec![county.clone(), year.clone(), n.to_string(), def.key.into(), def.label.into()];
            rec.extend(v.iter().map(u64::to_string));
            requests.row(&rec)?;
        }
        for ((format, ii, mi), (v, n)) in &cy.proactive {
            let item = &schema::table2_items(*format)[*ii];
            let m = &item.measures[*mi];
            let label = format!("{} / {}", item.label, m.label);
            proactive.row([county.as_str(), &year, &n.to_string(), item.key, m.key, &label, &v.to_string()])?;
        }
        for (p, vals) in schema::TABLE4_PROCEEDINGS.iter().zip(&cy.review) {
            let mut rec: Vec<String> = vec![county.clone(), year.clone(), cy.units.to_string(), p.key.into()];
            rec.extend(vals.iter().map(u64::to_string));
            review.row(&rec)?;
        }
    }
    requests.finish()?;
    proactive.finish()?;
    review.finish()
}
