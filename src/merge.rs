//! `county-rollup merge`: combine the outputs of several county runs into the
//! same contract one level up (a city, a province).
//!
//! The sums stay per county and year, so merging unions counties: the summary
//! files (requests, proactive, review_litigation) keep every county-year row as
//! its county run wrote it, `units` included, sorted by county, year and the
//! form's order; requests_yoy.csv is computed again from the merged
//! requests.csv. The per-file outputs (requests_by_unit, checks, files) are
//! concatenated, each `file` path prefixed with the input folder's name so
//! paths stay unique, and sorted by path as before.
//!
//! With `xlsx`, the merge writes the workbook of the merged files too (the
//! sums read back from the summaries, the checks and reports from the
//! per-file outputs) and copies the inputs' send-back notices beside it.
//!
//! A merge is refused (nothing written) when an input lacks one of the
//! contract's files, when a file's header is not the contract's (another
//! version or another tool wrote it), when a row does not fit its columns, or
//! when two inputs hold the same county: a county's reports must be rolled up
//! in one run, since duplicates and the cross-year checks compare them.

use crate::aggregate::{Totals, parse_decimal_text};
use crate::checks::Severity;
use crate::lang::Lang;
use crate::output::OutputSet;
use crate::output::csv::{CsvFile, headers};
use crate::output::records::{self, CheckRecord, FileRecord};
use crate::output::xlsx;
use crate::schema::{self, Format, NCOLS, NROWS3, TOTAL_COL};
use crate::seen::{ReportLine, Status};
use crate::yoy;
use anyhow::{Context, Result, bail};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// What to merge and where to.
#[derive(Debug, Clone)]
pub struct MergeConfig {
    /// Output folders of earlier runs (county runs or earlier merges).
    pub inputs: Vec<PathBuf>,
    /// Where the merged files go (created if missing; must not be an input).
    pub output: PathBuf,
    /// Write a UTF-8 BOM at the start of each CSV (for Excel).
    pub bom: bool,
    /// Also write the workbook (and copy the inputs' send-back notices).
    pub xlsx: bool,
    /// The language of the workbook.
    pub lang: Lang,
}

/// What a merge did, for the end summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Input folders merged.
    pub inputs: usize,
    /// Counties in the result.
    pub counties: usize,
    /// County-years in the result.
    pub county_years: usize,
    /// Lines of the merged files.csv.
    pub files: usize,
    /// Of those, files the county runs rejected (not summed: see files.csv).
    pub rejected: usize,
    /// Send-back notices copied from the inputs (with `xlsx`).
    pub notices: usize,
}

/// One contract file: its name, its header, the columns that hold the county
/// and the file path (if any), and whether it is a per-county-year summary.
struct Table {
    name: &'static str,
    header: fn() -> Vec<&'static str>,
    county: usize,
    file: Option<usize>,
}

const REQUESTS: Table = Table { name: "requests.csv", header: headers::requests, county: 0, file: None };
const PROACTIVE: Table = Table { name: "proactive.csv", header: || headers::PROACTIVE.to_vec(), county: 0, file: None };
const REVIEW: Table = Table { name: "review_litigation.csv", header: headers::review, county: 0, file: None };
const BY_UNIT: Table =
    Table { name: "requests_by_unit.csv", header: headers::requests_by_unit, county: 0, file: Some(3) };
const CHECKS: Table = Table { name: "checks.csv", header: || headers::CHECKS.to_vec(), county: 0, file: Some(3) };
const FILES: Table = Table { name: "files.csv", header: || headers::FILES.to_vec(), county: 2, file: Some(0) };

/// Summaries first, then the per-file outputs.
const TABLES: [&Table; 6] = [&REQUESTS, &PROACTIVE, &REVIEW, &BY_UNIT, &CHECKS, &FILES];

/// One input folder.
struct Input {
    dir: PathBuf,
    /// The folder's name: the prefix of its file paths.
    name: String,
}

/// Merge the output folders `config.inputs` into `config.output`.
pub fn merge(config: &MergeConfig) -> Result<MergeSummary> {
    if config.inputs.is_empty() {
        bail!("give at least one output folder of county-rollup to merge");
    }
    let inputs = inputs(config)?;

    // Pass 1: every file is there, in the contract's format, and no county is
    // in two inputs. Nothing is written before this holds.
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    for (k, input) in inputs.iter().enumerate() {
        for table in TABLES {
            each_record(input, table, |rec, line| {
                check_record(input, table, &rec, line)?;
                let county = &rec[table.county];
                if county.is_empty() {
                    return Ok(());
                }
                match owner.get(county) {
                    Some(&other) if other != k => bail!(
                        "county {county} is in both {} and {}: a county's reports must be rolled up in one run \
                         (duplicates and the cross-year checks compare them); run county-rollup once over all \
                         of {county}'s reports",
                        inputs[other].dir.display(),
                        input.dir.display()
                    ),
                    Some(_) => Ok(()),
                    None => {
                        owner.insert(county.clone(), k);
                        Ok(())
                    }
                }
            })?;
        }
    }

    let set = OutputSet::create(&config.output)?;
    let mut summary = MergeSummary { inputs: inputs.len(), counties: owner.len(), ..MergeSummary::default() };

    // Summaries: county-years come from one input each; a stable sort by
    // county and year keeps each one's rows in the form's order.
    let mut row_totals = yoy::RowTotals::new();
    for table in [&REQUESTS, &PROACTIVE, &REVIEW] {
        let mut rows: Vec<((String, u16), Vec<String>)> = Vec::new();
        for input in &inputs {
            each_record(input, table, |rec, _| {
                let year: u16 = rec[1].parse()?;
                rows.push(((rec[0].clone(), year), rec));
                Ok(())
            })?;
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        if table.name == REQUESTS.name {
            for ((county, year), rec) in &rows {
                let i = schema::row3_index(&rec[3]).context("row key checked in pass 1")?;
                let slot = row_totals.entry((county.clone(), *year)).or_insert([None; NROWS3]);
                slot[i] = Some(rec[5 + TOTAL_COL].parse()?);
            }
            summary.county_years = row_totals.len();
        }
        let mut w = CsvFile::create(set.path(table.name), &(table.header)(), config.bom)?;
        for (_, rec) in &rows {
            w.row(rec)?;
        }
        w.finish()?;
    }
    let yoy_rows = yoy::year_over_year(&row_totals);
    yoy::write_csv(&set.path("requests_yoy.csv"), &yoy_rows, config.bom)?;

    // Per-file outputs: every path of an input starts with its name and `/`,
    // so taking the inputs in the order of those prefixes, each in its own
    // (sorted) order, sorts the merged file by path.
    let mut order: Vec<&Input> = inputs.iter().collect();
    order.sort_by(|a, b| format!("{}/", a.name).cmp(&format!("{}/", b.name)));
    for table in [&BY_UNIT, &CHECKS, &FILES] {
        let col = table.file.context("per-file table")?;
        let mut w = CsvFile::create(set.path(table.name), &(table.header)(), config.bom)?;
        for input in &order {
            each_record(input, table, |mut rec, _| {
                rec[col] = format!("{}/{}", input.name, rec[col]);
                if table.name == FILES.name {
                    summary.files += 1;
                    summary.rejected += usize::from(rec[1] == Status::Rejected.as_str());
                }
                w.row(&rec)
            })?;
        }
        w.finish()?;
    }
    if config.xlsx {
        write_workbook(&set, &yoy_rows, config.lang)?;
        let dirs: Vec<&std::path::Path> = order.iter().map(|i| i.dir.as_path()).collect();
        summary.notices = xlsx::copy_notices(&set, &dirs)?;
    }
    set.commit()?;
    Ok(summary)
}

/// The records of a merged file (after its header).
fn records(set: &OutputSet, name: &str) -> Result<Vec<Vec<String>>> {
    records::read(&set.path(name))
}

/// The workbook of the merged files: the sums read back from the summaries,
/// the checks and reports from the per-file outputs. (A merge has the
/// checks' words, not their numbers: the 填报数 / 应为 columns stay blank.)
fn write_workbook(set: &OutputSet, yoy_rows: &[yoy::YoyRow], lang: Lang) -> Result<()> {
    let mut totals = Totals::default();
    let year = |s: &str| -> Result<u16> { s.parse().with_context(|| format!("year \"{s}\" is not a year")) };
    let count = |s: &str| -> Result<u128> { s.parse().with_context(|| format!("\"{s}\" is not a count")) };
    for rec in records(set, REQUESTS.name)? {
        let cy = totals.by_county_year.entry((rec[0].clone(), year(&rec[1])?)).or_default();
        cy.units3 = count(&rec[2])? as u64;
        let i = schema::row3_index(&rec[3]).context("row key checked in pass 1")?;
        let mut v = [0u128; NCOLS];
        for (c, slot) in v.iter_mut().enumerate() {
            *slot = count(&rec[5 + c])?;
        }
        cy.requests[i] = Some(v);
    }
    for rec in records(set, PROACTIVE.name)? {
        let cy = totals.by_county_year.entry((rec[0].clone(), year(&rec[1])?)).or_default();
        cy.units2 = count(&rec[2])? as u64;
        let key = schema::table2_lookup(&rec[3], &rec[4], &rec[5])
            .with_context(|| format!("proactive.csv: {} / {} is not a measure of table 2", rec[3], rec[4]))?;
        let v =
            parse_decimal_text(&rec[6]).with_context(|| format!("proactive.csv: \"{}\" is not a number", rec[6]))?;
        cy.proactive.insert(key, v);
    }
    for rec in records(set, REVIEW.name)? {
        let cy = totals.by_county_year.entry((rec[0].clone(), year(&rec[1])?)).or_default();
        cy.units4 = count(&rec[2])? as u64;
        let p =
            schema::TABLE4_PROCEEDINGS.iter().position(|p| p.key == rec[3]).context("proceeding checked in pass 1")?;
        for c in 0..5 {
            cy.review[p][c] = count(&rec[4 + c])?;
        }
    }
    let by_unit = records(set, BY_UNIT.name)?;
    let mut key_totals: HashMap<&str, [Option<u64>; 4]> = HashMap::new();
    for rec in &by_unit {
        // A report has the single (六) row or its three sub-rows.
        if rec[4] == schema::Row::OtherProcessing.key()
            && let Some(cy) = totals.by_county_year.get_mut(&(rec[0].clone(), year(&rec[1])?))
        {
            cy.single_other += 1;
        }
        if let Some(k) = xlsx::UNIT_ROWS.iter().position(|r| r.key() == rec[4]) {
            key_totals.entry(rec[3].as_str()).or_default()[k] = rec[6 + TOTAL_COL].parse().ok();
        }
    }
    let checks: Vec<CheckRecord> = records::read(&set.path(CHECKS.name))?;
    let issues = checks
        .iter()
        .map(|rec| xlsx::Issue {
            county: &rec.county,
            year: rec.year.parse().unwrap_or(0),
            unit: &rec.unit,
            file: &rec.file,
            check: &rec.check,
            severity: if rec.severity == Severity::Error.as_str() { Severity::Error } else { Severity::Warning },
            detail: Cow::Borrowed(rec.detail.as_str()),
            numbers: None,
        })
        .collect();
    let files: Vec<FileRecord> = records::read(&set.path(FILES.name))?;
    let reports = files
        .iter()
        .enumerate()
        .filter_map(|(k, rec)| {
            let status = Status::parse(&rec.status)
                .filter(|s| matches!(s, Status::Parsed | Status::Partial | Status::Duplicate))?;
            Some(ReportLine {
                county: &rec.county,
                year: rec.year.parse().unwrap_or(0),
                unit: &rec.unit,
                file: &rec.file,
                status,
                format: [Format::F2019, Format::F2021]
                    .into_iter()
                    .map(Format::as_str)
                    .find(|f| *f == rec.format)
                    .unwrap_or(""),
                idx: k as u32,
                key_totals: key_totals.get(rec.file.as_str()).copied().unwrap_or_default(),
                kept: None,
                last_year: None,
            })
        })
        .collect();
    let contents = xlsx::Contents {
        totals: &totals,
        yoy: yoy_rows,
        issues,
        reports,
        notices: Vec::new(),
        roster: None,
        categories: None,
        lang,
    };
    xlsx::write(set, &contents)
}

/// Resolve the input folders: each exists, has a name no other input has, and
/// is not the output folder.
fn inputs(config: &MergeConfig) -> Result<Vec<Input>> {
    let out = config.output.canonicalize().ok();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut inputs = Vec::new();
    for dir in &config.inputs {
        let canon = dir
            .canonicalize()
            .ok()
            .filter(|p| p.is_dir())
            .with_context(|| format!("{} is not a folder (give output folders of county-rollup)", dir.display()))?;
        if out.as_ref() == Some(&canon) {
            bail!("the output folder {} is also an input: write the merge somewhere else", dir.display());
        }
        let name = canon
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .with_context(|| format!("{} has no folder name to prefix its files with", dir.display()))?;
        if let Some(other) = seen.insert(name.clone(), dir.clone()) {
            bail!(
                "{} and {} are both named {name}: file paths are prefixed with the input folder's name, \
                 so the names must differ (rename one, e.g. after its county)",
                other.display(),
                dir.display()
            );
        }
        inputs.push(Input { dir: dir.clone(), name });
    }
    Ok(inputs)
}

/// Read `table` of `input` record by record (after the header, which must be
/// the contract's), with the record's line number.
fn each_record(input: &Input, table: &Table, mut f: impl FnMut(Vec<String>, u64) -> Result<()>) -> Result<()> {
    let path = input.dir.join(table.name);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "{} has no {}: not an output folder of county-rollup, or an incomplete one",
            input.dir.display(),
            table.name
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let text = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text);
    let mut records = reader.records();
    let header = match records.next() {
        Some(h) => h.with_context(|| format!("cannot read {}", path.display()))?,
        None => bail!("{} is empty: expected the header {}", path.display(), (table.header)().join(",")),
    };
    if header.iter().ne((table.header)().iter().copied()) {
        bail!(
            "{} has the columns {} but this version of county-rollup writes {}: was it written by another \
             version? Run the same version on every county, or re-run that county",
            path.display(),
            header.iter().collect::<Vec<_>>().join(","),
            (table.header)().join(",")
        );
    }
    for rec in records {
        let rec = rec.with_context(|| format!("cannot read {}", path.display()))?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() != (table.header)().len() {
            bail!("{}, line {line}: {} fields, expected {}", path.display(), rec.len(), (table.header)().len());
        }
        f(rec.iter().map(str::to_string).collect(), line)?;
    }
    Ok(())
}

/// The fields a merge relies on: years, counts and row keys.
fn check_record(input: &Input, table: &Table, rec: &[String], line: u64) -> Result<()> {
    let at = || format!("{}, line {line}", input.dir.join(table.name).display());
    let year_col = match table.name {
        n if n == FILES.name => 3,
        _ => 1,
    };
    let year = &rec[year_col];
    if !(year.is_empty() && table.name == FILES.name) && year.parse::<u16>().is_err() {
        bail!("{}: year \"{year}\" is not a year", at());
    }
    let counts = |cols: std::ops::Range<usize>| -> Result<()> {
        for c in cols {
            if rec[c].parse::<u64>().is_err() {
                bail!("{}: {} \"{}\" is not a count", at(), (table.header)()[c], rec[c]);
            }
        }
        Ok(())
    };
    match table.name {
        n if n == REQUESTS.name || n == BY_UNIT.name => {
            let key = if n == REQUESTS.name { 3 } else { 4 };
            if schema::row3_index(&rec[key]).is_none() {
                bail!("{}: \"{}\" is not a row of table 3", at(), rec[key]);
            }
            if n == REQUESTS.name {
                counts(2..3)?;
            }
            counts(key + 2..key + 2 + NCOLS)
        }
        n if n == PROACTIVE.name => counts(2..3),
        n if n == REVIEW.name => {
            if !schema::TABLE4_PROCEEDINGS.iter().any(|p| p.key == rec[3]) {
                bail!("{}: \"{}\" is not a proceeding of table 4", at(), rec[3]);
            }
            counts(2..3)?;
            counts(4..9)
        }
        n if n == FILES.name => {
            if Status::parse(&rec[1]).is_none() {
                bail!("{}: status \"{}\" is not parsed, partial, duplicate, rejected or skipped", at(), rec[1]);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefixes_sort_like_paths() {
        // "out/x" sorts after "out-2/x" and before "out2/x": the order of the
        // prefixes decides, whatever follows.
        let mut names = vec!["out2", "out", "out-2"];
        names.sort_by(|a, b| format!("{a}/").cmp(&format!("{b}/")));
        assert_eq!(names, ["out-2", "out", "out2"]);
        let mut paths = vec!["out2/a", "out/zz", "out-2/b"];
        paths.sort();
        assert_eq!(paths, ["out-2/b", "out/zz", "out2/a"]);
    }
}
