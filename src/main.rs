//! The command line: flags → [`Config`] → [`run`] → exit code.

use clap::Parser;
use county_rollup::{run, Config};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Sum a county's 政府信息公开工作年度报告 (government information disclosure
/// annual reports) table by table.
///
/// Reads every report under DATA_DIR (text, Markdown; UTF-8, UTF-16 or GBK),
/// sums tables 2, 3 and 4 per county and year, checks each report's arithmetic
/// and writes CSV files for Excel into the output folder:
///
///   requests.csv           table 3 summed per county and year
///   requests_by_unit.csv   table 3 of every report
///   proactive.csv          table 2 summed
///   review_litigation.csv  table 4 summed
///   checks.csv             every broken rule, with both numbers
///   files.csv              every file found: parsed, rejected (and why) or skipped
///
/// Exit status: 0 every report was read; 1 at least one file was rejected (or,
/// with --strict, a check failed); 2 the run could not happen.
#[derive(Parser, Debug)]
#[command(name = "county-rollup", version, verbatim_doc_comment)]
struct Args {
    /// Folder of reports, e.g. data/ (subfolders such as 民权县/2024/ are read too;
    /// a folder named …县/…市/…区/…旗 names the county of the reports inside).
    #[arg(value_name = "DATA_DIR")]
    data_dir: PathBuf,

    /// Folder to write the CSV files into (created if missing).
    #[arg(long, short, value_name = "OUT_DIR", default_value = "out")]
    out: PathBuf,

    /// County for reports whose title and folders name none (e.g. 民权县).
    #[arg(long, value_name = "NAME")]
    county: Option<String>,

    /// Worker threads (default: one per CPU core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,

    /// No progress bar and no summary on stderr.
    #[arg(long, short)]
    quiet: bool,

    /// Leave out the UTF-8 byte-order mark (Excel needs it to read Chinese text;
    /// scripts may not want it).
    #[arg(long)]
    no_bom: bool,

    /// Also exit with status 1 when an error-severity check fails.
    #[arg(long)]
    strict: bool,
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
    let config = Config {
        input: args.data_dir,
        output: args.out,
        county: args.county,
        threads: args.threads.map(usize::from),
        bom: !args.no_bom,
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    match run(&config) {
        Ok(s) => {
            if !args.quiet {
                eprintln!(
                    "county-rollup: {} files: {} parsed, {} rejected, {} skipped; {} county-years summed; checks: {} errors, {} warnings",
                    s.files, s.parsed, s.rejected, s.skipped, s.county_years, s.check_errors, s.check_warnings
                );
                for r in &s.first_rejections {
                    eprintln!("  rejected {r}");
                }
                if s.rejected as usize > s.first_rejections.len() {
                    eprintln!("  … and {} more (see files.csv)", s.rejected as usize - s.first_rejections.len());
                }
                eprintln!("outputs in {}", config.output.display());
            }
            let failed = s.rejected > 0 || (args.strict && s.check_errors > 0);
            ExitCode::from(u8::from(failed))
        }
        Err(e) => {
            eprintln!("county-rollup: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
