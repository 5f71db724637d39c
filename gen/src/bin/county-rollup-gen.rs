//! county-rollup-gen: write folders of generated annual reports, and the sums
//! they should give, for the sample data, tests and benchmarks.
//!
//! The reports come from `county_rollup::generate`: consistent numbers (a
//! unit's consecutive years chained), rendered in the text layouts found in
//! the wild, and on request as web pages (`html`) and Word files (`docx`).
//! The same flags always write the same bytes.
//!
//! The sample county in `data/` was made with the command recorded in
//! `data/.generated-by` (a hidden file, so the tool does not read it).

use clap::Parser;
use county_rollup::report::Report;
use county_rollup_gen::{self as generate, CountyPlan, Layout};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Write generated 政府信息公开工作年度报告 as DIR/{county}/{year}/{unit}.txt
/// (Markdown ones as .md, pages as .html, Word files as .docx), K units per
/// county and year, spread over the chosen layouts; optionally the CSV files
/// county-rollup should produce from them (run it with --no-bom to compare
/// byte for byte).
#[derive(Parser, Debug)]
#[command(name = "county-rollup-gen", version, verbatim_doc_comment)]
struct Args {
    /// Seed of the random numbers: the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Folder to write the reports into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// Units (townships) per county and year.
    #[arg(long, value_name = "K", default_value_t = 10)]
    count: usize,

    /// Years to write, comma-separated; 2019 and 2020 use the 2019 form.
    #[arg(long, value_delimiter = ',', default_value = "2024")]
    years: Vec<u16>,

    /// Layouts to spread the units over: tab, onecell, spaces, raw,
    /// markdown, html (a whole web page, UTF-8 or GBK), docx (a Word file).
    /// The default is the five text layouts, so that the command recorded in
    /// data/.generated-by still writes the sample data byte for byte; add
    /// html,docx (or pass `all`) for pages and Word files.
    #[arg(long, value_delimiter = ',', default_value = "tab,onecell,spaces,raw,markdown")]
    layouts: Vec<String>,

    /// Counties, comma-separated (each gets its own folder).
    #[arg(long, value_delimiter = ',', default_value = "民权县")]
    counties: Vec<String>,

    /// Unit names to use first, comma-separated (default: the townships of
    /// 民权县, then made-up township names).
    #[arg(long, value_delimiter = ',')]
    units: Vec<String>,

    /// Years in which only the first N units report, as YEAR=N, comma-separated
    /// (e.g. 2023=4: an earlier year with fewer reports collected).
    #[arg(long = "count-for", value_delimiter = ',', value_name = "YEAR=N")]
    count_for: Vec<String>,

    /// Units whose report of the last year has a row total off by one, so
    /// that checks.csv has something to show.
    #[arg(long, value_delimiter = ',', value_name = "UNIT")]
    broken: Vec<String>,

    /// Also write requests.csv, proactive.csv and review_litigation.csv as
    /// county-rollup --no-bom should write them for these reports.
    #[arg(long, value_name = "DIR")]
    truth: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match generate_all(&args) {
        Ok(n) => {
            eprintln!("county-rollup-gen: wrote {n} reports under {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("county-rollup-gen: {e}");
            ExitCode::from(2)
        }
    }
}

fn generate_all(args: &Args) -> Result<usize, String> {
    let mut layouts = Vec::new();
    for l in &args.layouts {
        if l.eq_ignore_ascii_case("all") {
            layouts.extend(Layout::EVERY);
            continue;
        }
        layouts.push(
            Layout::from_name(l).ok_or_else(|| {
                format!("unknown layout {l:?} (tab, onecell, spaces, raw, markdown, html, docx, all)")
            })?,
        );
    }
    let mut count_for = BTreeMap::new();
    for c in &args.count_for {
        let parsed = c.split_once('=').and_then(|(y, n)| Some((y.trim().parse::<u16>().ok()?, n.trim().parse().ok()?)));
        let (y, n) = parsed.ok_or_else(|| format!("--count-for {c:?}: expected YEAR=N, e.g. 2023=4"))?;
        count_for.insert(y, n);
    }
    if let Some(bad) = args.years.iter().find(|y| !(2019..=2100).contains(*y)) {
        return Err(format!("--years: {bad} is not a report year (2019 or later)"));
    }
    let mut units: Vec<String> = args.units.iter().take(args.count).cloned().collect();
    for name in generate::unit_names(args.count + units.len()) {
        if units.len() >= args.count {
            break;
        }
        if !units.contains(&name) {
            units.push(name);
        }
    }
    let mut written: Vec<(String, Report)> = Vec::new();
    for county in &args.counties {
        let plan = CountyPlan {
            county: county.clone(),
            years: args.years.clone(),
            units: units.clone(),
            count_for: count_for.clone(),
            layouts: layouts.clone(),
            broken: args.broken.clone(),
        };
        let files = generate::write_county(&args.out, &plan, args.seed)
            .map_err(|e| format!("cannot write under {}: {e}", args.out.display()))?;
        written.extend(files.into_iter().map(|g| (g.county, g.report)));
    }
    if let Some(dir) = &args.truth {
        generate::write_truth(dir, &written).map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    }
    Ok(written.len())
}
