//! county-rollup: sum a county's 政府信息公开工作年度报告 table by table.
//!
//! The pipeline flows one way: [`discover`] the files → [`decode`] bytes to
//! text → a [`layout`] turns text into lines of cells → [`report`] maps cells
//! to the report model using the one definition of the form in [`schema`] →
//! [`checks`] → [`aggregate`] → [`output`]. [`run`] drives it: files are read
//! in parallel in chunks, and each chunk's results are written in path order
//! while the next chunk is read, so memory holds two chunks of results (one
//! being written, one being read) plus the sums, whatever the number of files.
#![deny(missing_docs)]

pub mod aggregate;
pub mod checks;
pub mod decode;
pub mod discover;
pub mod error;

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
use crate::output::csv::{AtomicCsv, headers};
use crate::output::xlsx::UnitRow;
use crate::report::Report;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::HashMap;
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
}

/// Read one file into lines of cells, whatever its layout (cells of their
/// own: for tests and diagnostics; the run itself borrows, see
/// [`read_bytes`]).
pub fn read_lines(bytes: &[u8], kind: DocKind) -> Result<Vec<layout::Line<'static>>, Rejection> {
    match kind {
        DocKind::Text => {
            Ok(layout::text::read(&decode::decode(bytes)?.0).into_iter().map(layout::Line::into_owned).collect())
        }
        DocKind::Html => layout::html::read(&decode::decode(bytes)?.0),
        DocKind::Docx => layout::docx::read(bytes),
        DocKind::Pdf => layout::pdf::read(bytes),
    }
}

/// Read every table of a file on its own (see [`report::Parts`]): the
/// run's path (through [`read_bytes`]) and, for tests and diagnostics, a way
/// to look at documents whose tables are not all readable. Text reports
/// borrow their cells from the decoded text.
pub fn read_parts(bytes: &[u8], kind: DocKind) -> Result<report::Parts, Rejection> {
    match kind {
        DocKind::Text => Ok(report::read_parts(&layout::text::read(&decode::decode(bytes)?.0))),
        _ => Ok(report::read_parts(&read_lines(bytes, kind)?)),
    }
}

/// Read and check one report from its bytes: the whole per-file path, pure and
/// free of I/O (this is what the fuzz target calls).
pub fn read_bytes(bytes: &[u8], kind: DocKind, fallback_county: Option<&str>) -> Result<Parsed, Rejection> {
    let report = read_parts(bytes, kind)?.into_report()?;
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
    Ok(Parsed { report, county, findings })
}

/// Read one entry from disk.
pub fn read_entry(entry: &Entry, config: &Config) -> Outcome {
    match &entry.action {
        Action::Skip(why) => Outcome::Skipped(why.clone()),
        Action::Reject(r) => Outcome::Rejected(r.clone()),
        Action::Read(kind) => {
            let limit = match kind {
                DocKind::Docx => MAX_DOCX_BYTES,
                DocKind::Pdf => MAX_PDF_BYTES,
                DocKind::Text | DocKind::Html => MAX_TEXT_BYTES,
            };
            // Open once and size the file from the open handle (one path
            // lookup per file, not two).
            let cannot =
                |e: std::io::Error| Outcome::Rejected(Rejection::doc(RejectKind::Io, format!("cannot read: {e}")));
            let mut file = match std::fs::File::open(&entry.path) {
                Ok(f) => f,
                Err(e) => return cannot(e),
            };
            let len = match file.metadata() {
                Ok(m) => m.len(),
                Err(e) => return cannot(e),
            };
            if len > limit {
                return Outcome::Rejected(Rejection::doc(
                    RejectKind::Unsupported,
                    format!(
                        "{} MB is far larger than any annual report (limit {} MB): not read",
                        len >> 20,
                        limit >> 20
                    ),
                ));
            }
            thread_local! {
                /// The worker's file buffer, kept from file to file (a report
                /// is a few KB; a fresh buffer each time was a malloc and a
                /// cold cache line per KB).
                static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
            }
            BYTES.with_borrow_mut(|bytes| {
                bytes.clear();
                bytes.reserve(len as usize + 1);
                // At most limit + 1 bytes, should the file grow while it is read.
                if let Err(e) = std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, limit + 1), bytes) {
                    return cannot(e);
                }
                if bytes.len() as u64 > limit {
                    return Outcome::Rejected(Rejection::doc(
                        RejectKind::Io,
                        "the file grew past the size limit while it was read",
                    ));
                }
                let fallback = entry.folder_county.as_deref().or(config.county.as_deref());
                let outcome = match read_bytes(bytes, *kind, fallback) {
                    Ok(p) => Outcome::Parsed(Box::new(p)),
                    Err(r) => Outcome::Rejected(r),
                };
                // A large file (a Word file, an odd page) does not keep its
                // memory for the rest of the run.
                if bytes.capacity() > 1 << 20 {
                    *bytes = Vec::new();
                }
                outcome
            })
        }
    }
}

/// The largest text or web page read: real reports are well under 1 MB, and
/// a bound keeps one odd file from taking the memory of the whole run.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// The largest .docx read (Word files carry pictures; only the text is read).
pub const MAX_DOCX_BYTES: u64 = 128 << 20;

/// The largest PDF read (a published report is under a few MB; scans with
/// pictures of every page are larger, and are rejected as scans).
pub const MAX_PDF_BYTES: u64 = 128 << 20;

/// Files read in parallel at a time; their results are written while the
/// next chunk is read. Bounds memory to two chunks of results.
const CHUNK: usize = 512;

/// A check finding tied to its file, for checks.csv.
#[derive(Debug, Clone)]
struct CheckRow {
    /// Position of the file in the walk: checks.csv is in file order.
    idx: u32,
    county: String,
    year: u16,
    unit: String,
    file: String,
    finding: Finding,
}

/// One file as the writer needs it. A worker builds it (CSV rows encoded,
/// the report summed into the worker's partial totals and then dropped), so
/// that the thread writing the outputs in file order only copies bytes and
/// notes a few numbers while the workers go on.
struct Done {
    status: Status,
    /// The file's line of files.csv, encoded.
    files_csv: Vec<u8>,
    /// Its lines of requests_by_unit.csv, encoded.
    by_unit_csv: Vec<u8>,
    /// The rejection reason, for the end summary.
    reason: Option<String>,
    /// What the cross-file checks need of a report read.
    seen: Option<SeenReport>,
    /// The files.csv record and the workbook line (only with --xlsx).
    xlsx: Option<(Vec<String>, Option<UnitRow>)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Parsed,
    Rejected,
    Skipped,
}

/// What the duplicate and chain checks need of one report.
struct SeenReport {
    county: String,
    unit: String,
    year: u16,
    chain: ChainInfo,
    findings: Vec<Finding>,
}

/// Each table-3 row's key and label, encoded once for requests_by_unit.csv.
fn table3_row_prefixes() -> &'static [output::csv::Prefix] {
    static P: std::sync::OnceLock<Vec<output::csv::Prefix>> = std::sync::OnceLock::new();
    P.get_or_init(|| schema::TABLE3_ROWS.iter().map(|d| output::csv::Prefix::new([d.key, d.label])).collect())
}

/// Read the files of a chunk in parallel: their outcomes in order, and the
/// sum of their reports.
fn parse_chunk(chunk: &[Entry], config: &Config) -> Result<(Vec<Done>, Totals)> {
    let empty = || (Vec::with_capacity(chunk.len()), Totals::default());
    chunk
        .par_iter()
        .map(|e| process(e, config))
        .try_fold(empty, |(mut v, mut t), r| {
            let (done, report) = r?;
            if let Some((county, report)) = &report {
                t.add(county, report)?;
            }
            v.push(done);
            Ok::<_, anyhow::Error>((v, t))
        })
        .try_reduce(empty, |(mut a, ta), (b, tb)| {
            a.extend(b);
            Ok((a, ta.merge(tb)?))
        })
}

/// Read one entry and prepare everything written about it; the report is
/// handed back only to be summed.
fn process(entry: &Entry, config: &Config) -> Result<(Done, Option<(String, Report)>)> {
    let outcome = read_entry(entry, config);
    // Room for a files.csv line and a report's 26 requests_by_unit.csv lines.
    let mut files = output::csv::Encoder::with_capacity(256);
    let mut by_unit = output::csv::Encoder::with_capacity(4096);
    // The files.csv record is encoded from borrowed fields; strings of its
    // own only for the workbook.
    let mut xlsx_rec = |rec: [&str; 7]| -> Result<Option<Vec<String>>> {
        files.row(rec)?;
        Ok(config.xlsx.then(|| rec.map(str::to_string).to_vec()))
    };
    let (status, reason, rec, seen, report) = match outcome {
        Outcome::Skipped(why) => {
            let rec = xlsx_rec([entry.rel.as_str(), "skipped", "", "", "", "", &why])?;
            (Status::Skipped, None, rec, None, None)
        }
        Outcome::Rejected(r) => {
            let reason = r.to_string();
            let rec = xlsx_rec([entry.rel.as_str(), "rejected", "", "", "", "", &reason])?;
            (Status::Rejected, Some(reason), rec, None, None)
        }
        Outcome::Parsed(p) => {
            let Parsed { report: mut r, county, findings, .. } = *p;
            let year = r.year.to_string();
            let file = output::csv::Prefix::new([&county, &year, &r.unit, &entry.rel]);
            for (i, row) in r.table3.rows.iter().enumerate() {
                let Some(v) = row else { continue };
                by_unit.row_after_counts(&[&file, &table3_row_prefixes()[i]], v)?;
            }
            let rec = xlsx_rec([&entry.rel, "parsed", &county, &year, &r.unit, r.format.as_str(), ""])?;
            let seen = SeenReport {
                county: county.clone(),
                // The summing needs no unit: the report's own moves here.
                unit: std::mem::take(&mut r.unit),
                year: r.year,
                chain: ChainInfo::of(&r),
                findings,
            };
            (Status::Parsed, None, rec, Some(seen), Some((county, r)))
        }
    };
    let xlsx = rec.map(|rec| {
        let unit_row = seen.as_ref().zip(report.as_ref()).map(|(s, (_, r))| UnitRow {
            county: s.county.clone(),
            year: s.year,
            unit: s.unit.clone(),
            file: entry.rel.clone(),
            totals: UnitRow::totals_of(&r.table3),
            errors: 0,
            warnings: 0,
        });
        (rec, unit_row)
    });
    let done = Done { status, files_csv: files.take(), by_unit_csv: by_unit.take(), reason, seen, xlsx };
    Ok((done, report))
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
    let out = &config.output;
    let mut files = AtomicCsv::create(out, "files.csv", headers::FILES, config.bom)?;
    let mut by_unit = AtomicCsv::create(out, "requests_by_unit.csv", headers::REQUESTS_BY_UNIT, config.bom)?;
    let mut checks_rows: Vec<CheckRow> = Vec::new();
    let mut totals = Totals::default();
    let mut summary = Summary::default();
    let mut seen = Seen::default();
    // For the workbook: a few numbers and strings per file, not the reports.
    let mut unit_rows: Vec<UnitRow> = Vec::new();
    let mut file_rows: Vec<Vec<String>> = Vec::new();
    let bar = progress_bar(config);

    // The walk runs on its own thread, a chunk ahead of the parsing.
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Entry>>(2);
        let (input, output) = (&config.input, &config.output);
        scope.spawn(move || {
            let mut walk = discover::Walk::new(input, Some(output));
            loop {
                let chunk: Vec<Entry> = walk.by_ref().take(CHUNK).collect();
                if chunk.is_empty() || tx.send(chunk).is_err() {
                    break;
                }
            }
        });
        // A chunk is parsed while the one before it is written: the writer
        // is a job of its own, which an idle worker takes (rayon::join), so
        // no worker waits for the writing between chunks.
        let mut write = |(chunk, dones, partial): (Vec<Entry>, Vec<Done>, Totals)| -> Result<()> {
            totals = std::mem::take(&mut totals).merge(partial)?;
            for (entry, done) in chunk.iter().zip(dones) {
                let idx = u32::try_from(summary.files).context("more than 4 billion files")?;
                summary.files += 1;
                files.raw(&done.files_csv)?;
                by_unit.raw(&done.by_unit_csv)?;
                match done.status {
                    Status::Parsed => summary.parsed += 1,
                    Status::Skipped => summary.skipped += 1,
                    Status::Rejected => summary.rejected += 1,
                }
                if let (Some(reason), true) = (done.reason, summary.first_rejections.len() < 10) {
                    summary.first_rejections.push(format!("{}: {}", entry.rel, reason));
                }
                if let Some((rec, unit_row)) = done.xlsx {
                    file_rows.push(rec);
                    unit_rows.extend(unit_row);
                }
                if let Some(s) = done.seen {
                    for finding in s.findings.iter().cloned() {
                        checks_rows.push(CheckRow {
                            idx,
                            county: s.county.clone(),
                            year: s.year,
                            unit: s.unit.clone(),
                            file: entry.rel.clone(),
                            finding,
                        });
                    }
                    seen.add(&s, idx);
                }
            }
            if let Some(b) = &bar {
                b.inc(chunk.len() as u64);
            }
            Ok(())
        };
        let mut pending = None;
        for chunk in rx {
            let (parsed, written) =
                rayon::join(|| parse_chunk(&chunk, config), || pending.take().map_or(Ok(()), &mut write));
            written?;
            let (dones, partial) = parsed?;
            pending = Some((chunk, dones, partial));
        }
        if let Some(last) = pending {
            write(last)?;
        }
        Ok(())
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    seen.cross_file_checks(config, &mut totals, &mut checks_rows)?;

    // checks.csv: in file order, then the order the checks were found in.
    checks_rows.sort_by_key(|c| c.idx);
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
        let contents = output::xlsx::Contents { totals: &totals, yoy: &yoy_rows, units: &unit_rows, files: &file_rows };
        output::xlsx::write(out, &contents)?;
    }
    Ok(summary)
}

/// A progress bar on long runs; the files are counted first (a walk without
/// reading any file) only when a bar may be shown.
fn progress_bar(config: &Config) -> Option<indicatif::ProgressBar> {
    if !config.progress {
        return None;
    }
    let n =
        walkdir::WalkDir::new(&config.input).into_iter().flatten().filter(|e| !e.file_type().is_dir()).count() as u64;
    if n < 2 * CHUNK as u64 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(n);
    let style = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {per_sec} ETA {eta}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// The reports seen so far, kept small for the checks across files
/// (duplicates, carry and in_force chains): a run over a million reports
/// keeps about 40 bytes per report here, not the reports or their paths.
/// County and unit names are interned; the chain figures are varint-encoded
/// in one buffer; file paths are looked up again, by a second walk, only
/// for the few files a cross-file check has something to say about.
#[derive(Default)]
struct Seen {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    reports: Vec<SeenKey>,
    chains: Vec<u8>,
}

/// One report in [`Seen`]: its identity, its file and its chain figures.
#[derive(Clone, Copy)]
struct SeenKey {
    county: u32,
    unit: u32,
    idx: u32,
    chain: u32,
    year: u16,
}

impl Seen {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    fn add(&mut self, s: &SeenReport, idx: u32) {
        let (county, unit) = (self.intern(&s.county), self.intern(&s.unit));
        let chain = self.chains.len() as u32;
        s.chain.encode(&mut self.chains);
        self.reports.push(SeenKey { county, unit, idx, chain, year: s.year });
    }

    /// Duplicates (FORMAT.md section 2): two different files for one county,
    /// unit and year are both flagged and neither is summed; byte-identical
    /// copies are summed once, with a warning. The reports were summed as they
    /// streamed by, so the extra ones are read again and taken out of the
    /// totals. Then carry_chain and in_force_chain for every unit present in
    /// consecutive years.
    fn cross_file_checks(mut self, config: &Config, totals: &mut Totals, rows: &mut Vec<CheckRow>) -> Result<()> {
        let mut reports = std::mem::take(&mut self.reports);
        let name = |id: u32| -> &str { &self.names[id as usize] };
        // Keys are unique (idx is), so an unstable sort is deterministic and
        // needs no buffer.
        reports.sort_unstable_by(|a, b| {
            (name(a.county), name(a.unit), a.year, a.idx).cmp(&(name(b.county), name(b.unit), b.year, b.idx))
        });
        let same = |a: &SeenKey, b: &SeenKey| (a.county, a.unit, a.year) == (b.county, b.unit, b.year);
        // Groups of one (county, unit, year), in order; duplicates are rare.
        let dup_files: Vec<u32> =
            reports.chunk_by(same).filter(|g| g.len() > 1).flat_map(|g| g.iter().map(|k| k.idx)).collect();
        let mut paths = FilePaths::default();
        if !dup_files.is_empty() {
            paths = FilePaths::find(config, dup_files.iter().copied())?;
        }
        // The first file of each group whose files conflict (no chain checks).
        let mut conflicting: Vec<u32> = Vec::new();
        for files in reports.chunk_by(same).filter(|g| g.len() > 1) {
            let first = paths.get(files[0].idx)?;
            let first_bytes = std::fs::read(&first.path).ok();
            let mut identical = first_bytes.is_some();
            for k in &files[1..] {
                identical = identical && std::fs::read(&paths.get(k.idx)?.path).ok() == first_bytes;
            }
            if !identical {
                conflicting.push(files[0].idx);
            }
            let remove = if identical { &files[1..] } else { files };
            for k in remove {
                let entry = paths.get(k.idx)?;
                match read_entry(entry, config) {
                    Outcome::Parsed(p)
                        if p.report.year == k.year && p.report.unit == name(k.unit) && p.county == name(k.county) =>
                    {
                        totals.sub(&p.county, &p.report)?
                    }
                    _ => anyhow::bail!("{} changed while it was being read", entry.rel),
                }
            }
            for k in files.iter() {
                let detail = if identical {
                    if k.idx == files[0].idx {
                        continue;
                    }
                    (Severity::Warning, format!("byte-identical copy of {}; summed once", first.rel))
                } else {
                    let others: Vec<&str> = files.iter().filter(|o| o.idx != k.idx).map(|o| paths.rel(o.idx)).collect();
                    (
                        Severity::Error,
                        format!(
                            "{} {} {} is also reported by {}; neither is summed until one is removed",
                            name(k.county),
                            name(k.unit),
                            k.year,
                            others.join(", ")
                        ),
                    )
                };
                rows.push(CheckRow {
                    idx: k.idx,
                    county: name(k.county).to_string(),
                    year: k.year,
                    unit: name(k.unit).to_string(),
                    file: paths.rel(k.idx).to_string(),
                    finding: Finding { check: "duplicate", severity: detail.0, detail: detail.1 },
                });
            }
        }
        conflicting.sort_unstable();
        // A unit's year N and N-1 are neighbouring groups in this order.
        let mut chain_found: Vec<(u32, SeenKey, Vec<Finding>)> = Vec::new();
        let firsts = reports.chunk_by(same).map(|g| g[0]);
        for (prev, cur) in firsts.clone().zip(firsts.skip(1)) {
            if (prev.county, prev.unit) != (cur.county, cur.unit) || prev.year.checked_add(1) != Some(cur.year) {
                continue;
            }
            if conflicting.binary_search(&prev.idx).is_ok() || conflicting.binary_search(&cur.idx).is_ok() {
                continue;
            }
            let p = ChainInfo::decode(&self.chains[prev.chain as usize..]);
            let c = ChainInfo::decode(&self.chains[cur.chain as usize..]);
            let found = checks::check_chain(&p, &c, prev.year);
            if !found.is_empty() {
                chain_found.push((cur.idx, cur, found));
            }
        }
        if !chain_found.is_empty() {
            let more = FilePaths::find(config, chain_found.iter().map(|c| c.0))?;
            paths.0.extend(more.0);
        }
        for (idx, k, found) in chain_found {
            for finding in found {
                rows.push(CheckRow {
                    idx,
                    county: name(k.county).to_string(),
                    year: k.year,
                    unit: name(k.unit).to_string(),
                    file: paths.rel(idx).to_string(),
                    finding,
                });
            }
        }
        Ok(())
    }
}

/// The entries of a few files, by their position in the walk (found by
/// walking again: the walk's order is stable).
#[derive(Default)]
struct FilePaths(HashMap<u32, Entry>);

impl FilePaths {
    fn find(config: &Config, wanted: impl Iterator<Item = u32>) -> Result<FilePaths> {
        let mut wanted: Vec<u32> = wanted.collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut found = HashMap::new();
        let mut next = wanted.iter().peekable();
        for (i, entry) in discover::Walk::new(&config.input, Some(&config.output)).enumerate() {
            let Some(&&w) = next.peek() else { break };
            if i as u64 == u64::from(w) {
                found.insert(w, entry);
                next.next();
            }
        }
        if next.peek().is_some() {
            anyhow::bail!("files under {} changed during the run: run it again", config.input.display());
        }
        Ok(FilePaths(found))
    }

    fn get(&self, idx: u32) -> Result<&Entry> {
        self.0.get(&idx).context("a file's path was not found again (the folder changed during the run)")
    }

    fn rel(&self, idx: u32) -> &str {
        self.0.get(&idx).map_or("?", |e| e.rel.as_str())
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
            let mut rec: Vec<String> =
                vec![county.clone(), year.clone(), n.to_string(), def.key.into(), def.label.into()];
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
