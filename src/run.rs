//! The run, top to bottom: walk → read (in parallel, in chunks) → write the
//! per-file outputs in path order → checks across files → sums → outputs.
//!
//! The walk runs on its own thread, a chunk ahead; each chunk's files are
//! read in parallel by workers that each keep their own [`Reader`]; the
//! chunk's results are written in walk order while the next chunk is read,
//! so the outputs are the same whatever the number of threads, and memory
//! holds two chunks of results plus the sums and a few dozen bytes per
//! report ([`Seen`]) for the checks across files.

use crate::aggregate::Totals;
use crate::checks::{Finding, Severity};
use crate::config::Config;
use crate::discover::{self, Entry};
use crate::error::Rejection;
use crate::output::csv::{CsvFile, Encoder, Prefix, headers};
use crate::output::{OutputSet, text_field};
use crate::read::{Outcome, ReadReport, Reader};
use crate::schema::Row;
use crate::seen::{Seen, SeenReport, Status};
use anyhow::{Context, Result};
use rayon::prelude::*;

/// What a run did, for the end summary and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files found.
    pub files: u64,
    /// Reports read completely and summed.
    pub parsed: u64,
    /// Reports summed in table 3 with table 2 or 4 left out.
    pub partial: u64,
    /// Reports read but not summed: another file reports the same unit and year.
    pub duplicate: u64,
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
    /// The first few rejections, as (file, reason), for the terminal.
    pub first_rejections: Vec<(String, String)>,
    /// Units of the roster with no report, as (county, year, unit).
    pub missing: Vec<(String, u16, String)>,
}

impl Summary {
    /// Reports summed in table 3 (complete or partial).
    pub fn summed(&self) -> u64 {
        self.parsed + self.partial
    }
}

/// Files read in parallel at a time; their results are written while the
/// next chunk is read. Bounds memory to two chunks of results.
const CHUNK: usize = 512;

/// One file as the writer needs it: built by a worker (CSV rows encoded, the
/// report summed into the worker's partial totals and then dropped), so the
/// thread writing the outputs in file order only copies bytes.
struct Done {
    status: Status,
    /// The files.csv record, encoded.
    files_csv: Vec<u8>,
    /// Its requests_by_unit.csv rows, encoded.
    by_unit_csv: Vec<u8>,
    /// The rejection reason, for the end summary.
    reason: Option<String>,
    /// What the checks across files need of a report read.
    seen: Option<SeenReport>,
    /// Its own findings.
    findings: Vec<Finding>,
}

/// Run the whole pipeline (on `config.threads` workers, if given).
pub fn run(config: &Config) -> Result<Summary> {
    match config.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .context("cannot start the workers")?
            .install(|| run_in(config)),
        None => run_in(config),
    }
}

fn run_in(config: &Config) -> Result<Summary> {
    if !config.input.is_dir() {
        anyhow::bail!("{} is not a folder", config.input.display());
    }
    let set = OutputSet::create(&config.output)?;
    let roster = match &config.roster {
        Some(p) => Some(crate::roster::Roster::read(p)?),
        None => None,
    };
    let mut summary = Summary::default();
    let mut totals = Totals::default();
    let mut seen = Seen::default();
    let mut files = CsvFile::create(set.path("files.csv"), headers::FILES, config.bom)?;
    let mut by_unit = CsvFile::create(set.path("requests_by_unit.csv"), &headers::requests_by_unit(), config.bom)?;
    let mut findings: Vec<(u32, Finding)> = Vec::new();
    let mut rejected: Vec<crate::roster::RejectedFile> = Vec::new();
    let bar = progress_bar(config);

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
        let mut write = |(chunk, dones, partial): (Vec<Entry>, Vec<Done>, Totals)| -> Result<()> {
            totals = std::mem::take(&mut totals).merge(partial);
            for (entry, done) in chunk.into_iter().zip(dones) {
                let idx = u32::try_from(summary.files).context("more than 4 billion files")?;
                summary.files += 1;
                let (files_at, by_unit_at) = (files.offset(), by_unit.offset());
                files.raw(&done.files_csv)?;
                by_unit.raw(&done.by_unit_csv)?;
                match done.status {
                    Status::Parsed => summary.parsed += 1,
                    Status::Partial => summary.partial += 1,
                    Status::Skipped => summary.skipped += 1,
                    Status::Rejected => summary.rejected += 1,
                    Status::Duplicate => summary.duplicate += 1,
                }
                if done.status == Status::Rejected {
                    // Its county: its folders', or --county's.
                    let county = entry.folder_county.as_deref().or(config.county.as_deref());
                    rejected.push(crate::roster::guess(&entry.rel, county));
                }
                if let (Some(reason), true) = (done.reason, summary.first_rejections.len() < 10) {
                    summary.first_rejections.push((entry.rel.clone(), reason));
                }
                findings.extend(done.findings.into_iter().map(|f| (idx, f)));
                if let Some(mut s) = done.seen {
                    s.files_at = (files_at, done.files_csv.len() as u32);
                    s.by_unit_at = (by_unit_at, done.by_unit_csv.len() as u32);
                    seen.add(idx, entry, s);
                }
            }
            if let Some(b) = &bar {
                b.inc(CHUNK as u64);
            }
            Ok(())
        };
        let mut pending = None;
        for chunk in rx {
            let (parsed, written) =
                rayon::join(|| read_chunk(&chunk, config), || pending.take().map_or(Ok(()), &mut write));
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
    files.finish()?;
    by_unit.finish()?;

    // Duplicates are taken out of the sums and their rows out of the per-file
    // outputs; then the checks across years and across units.
    let cross = seen.cross_file(config, &mut totals)?;
    cross.patch(&set, config.bom)?;
    summary.duplicate = cross.duplicates();
    summary.parsed -= cross.duplicates_of(Status::Parsed);
    summary.partial -= cross.duplicates_of(Status::Partial);
    findings.extend(cross.findings.iter().cloned());
    findings.sort_by_key(|(idx, _)| *idx);

    let names = cross.names();
    let mut checks = CsvFile::create(set.path("checks.csv"), headers::CHECKS, config.bom)?;
    for (idx, f) in &findings {
        match f.severity {
            Severity::Error => summary.check_errors += 1,
            Severity::Warning => summary.check_warnings += 1,
        }
        let (county, year, unit, file) = names.get(idx);
        checks.row([
            text_field(county).as_ref(),
            &year.to_string(),
            &text_field(unit),
            &text_field(file),
            f.check,
            f.severity.as_str(),
            &text_field(&f.detail(config.lang)),
        ])?;
    }
    checks.finish()?;
    summary.county_years = totals.by_county_year.len() as u64;
    crate::summaries::write(&set, &totals, config.bom)?;
    let yoy_rows = crate::yoy::year_over_year(&crate::yoy::row_totals(&totals));
    crate::yoy::write_csv(&set.path("requests_yoy.csv"), &yoy_rows, config.bom)?;
    let roster_rows = match &roster {
        Some(r) => {
            let rows = r.statuses(&cross, &rejected);
            summary.missing = rows
                .iter()
                .filter(|s| s.status == "missing")
                .map(|s| (s.county.clone(), s.year, s.unit.clone()))
                .collect();
            r.write_csv(&set.path("roster.csv"), &rows, config.bom)?;
            Some(rows)
        }
        None => None,
    };
    if config.xlsx {
        let categories = match &roster {
            Some(r) if r.has_categories() => Some(r.category_sums(&set.path("requests_by_unit.csv"))?),
            _ => None,
        };
        let mut contents = crate::output::xlsx::Contents::of_run(
            &totals,
            &yoy_rows,
            &findings,
            &cross,
            roster_rows.as_deref(),
            config.lang,
        );
        contents.categories = categories.as_ref();
        crate::output::xlsx::write(&set, &contents)?;
    }
    set.commit()?;
    Ok(summary)
}

/// Read the files of a chunk in parallel: what is written of each, in
/// order, and the sum of their reports.
fn read_chunk(chunk: &[Entry], config: &Config) -> Result<(Vec<Done>, Totals)> {
    let dones: Vec<(Done, Option<(String, crate::report::Report)>)> =
        chunk.par_iter().map_init(Reader::default, |reader, e| process(reader, e, config)).collect::<Result<_>>()?;
    let mut totals = Totals::default();
    let mut out = Vec::with_capacity(dones.len());
    for (done, report) in dones {
        if let Some((county, r)) = report {
            totals.add(&county, &r);
        }
        out.push(done);
    }
    Ok((out, totals))
}

/// The fields of a files.csv record.
pub(crate) fn files_record<'a>(
    file: &'a str,
    status: &'a str,
    r: Option<&'a ReadReport>,
    reason: &'a str,
) -> [std::borrow::Cow<'a, str>; 7] {
    let (county, year, unit, format) = match r {
        Some(r) => (r.county.as_str(), r.report.year.to_string(), r.report.unit.as_str(), r.report.format.as_str()),
        None => ("", String::new(), "", ""),
    };
    [
        text_field(file),
        status.into(),
        text_field(county),
        year.into(),
        text_field(unit),
        format.into(),
        text_field(reason),
    ]
}

/// Read one entry and prepare everything written about it; the report is
/// handed back only to be summed.
fn process(
    reader: &mut Reader,
    entry: &Entry,
    config: &Config,
) -> Result<(Done, Option<(String, crate::report::Report)>)> {
    let outcome = reader.read(entry, config.county.as_deref());
    let mut files = Encoder::with_capacity(256);
    let lang = config.lang;
    let reason_of = |r: &Rejection| r.message(lang);
    Ok(match outcome {
        Outcome::Skipped(why) => {
            let why = lang.pick(&why.zh, &why.en);
            files.row(files_record(&entry.rel, "skipped", None, why).iter().map(|f| f.as_bytes()))?;
            (
                Done {
                    status: Status::Skipped,
                    files_csv: files.take(),
                    by_unit_csv: Vec::new(),
                    reason: None,
                    seen: None,
                    findings: Vec::new(),
                },
                None,
            )
        }
        Outcome::Rejected(r) => {
            let reason = reason_of(&r);
            files.row(files_record(&entry.rel, "rejected", None, &reason).iter().map(|f| f.as_bytes()))?;
            let done = Done {
                status: Status::Rejected,
                files_csv: files.take(),
                by_unit_csv: Vec::new(),
                reason: Some(reason),
                seen: None,
                findings: Vec::new(),
            };
            (done, None)
        }
        Outcome::Read(p) => {
            let partial = !p.report.left_out.is_empty();
            let reason: Vec<String> = p.report.left_out.iter().map(reason_of).collect();
            let reason = reason.join("; ");
            let status = if partial { Status::Partial } else { Status::Parsed };
            files.row(files_record(&entry.rel, status.as_str(), Some(&p), &reason).iter().map(|f| f.as_bytes()))?;
            let mut by_unit = Encoder::with_capacity(4096);
            let year = p.report.year.to_string();
            let (county, unit, file) = (text_field(&p.county), text_field(&p.report.unit), text_field(&entry.rel));
            let prefix = Prefix::new([county.as_ref(), &year, &unit, &file]);
            for row in Row::ALL {
                let Some(v) = p.report.table3.get(row) else { continue };
                by_unit.row_after_counts(&[&prefix, &Prefix::new([row.key(), row.label()])], v)?;
            }
            let seen = SeenReport::of(&p, status);
            let ReadReport { report, county, findings, .. } = *p;
            let done = Done {
                status,
                files_csv: files.take(),
                by_unit_csv: by_unit.take(),
                reason: None,
                seen: Some(seen),
                findings,
            };
            (done, Some((county, report)))
        }
    })
}

/// A progress bar on long runs; the files are counted first (a walk
/// without reading any file) only when a bar may be shown.
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
    let template = match config.lang {
        crate::lang::Lang::Zh => "{bar:40} {pos}/{len} 个文件 {per_sec} 剩余 {eta}",
        crate::lang::Lang::En => "{bar:40} {pos}/{len} files {per_sec} ETA {eta}",
    };
    let style =
        indicatif::ProgressStyle::with_template(template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}
