//! The command line: flags → [`Config`] → [`run`] → exit code.

use clap::{Parser, Subcommand};
use county_rollup::merge::{MergeConfig, merge};
use county_rollup::{Config, run};
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
///   requests_yoy.csv       table 3 总计 of each year beside the year before
///   county_rollup.xlsx     with --xlsx: the same as a workbook for the office
///
/// `county-rollup merge OUT_DIR... --out CITY_DIR` combines the outputs of
/// several county runs into one set for the city or province.
///
/// Exit status: 0 every report was read; 1 at least one file was rejected (or,
/// with --strict, a check failed); 2 the run could not happen.
#[derive(Parser, Debug)]
#[command(
    name = "county-rollup",
    version,
    verbatim_doc_comment,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    /// Folder of reports, e.g. data/ (subfolders such as 民权县/2024/ are read too;
    /// a folder named …县/…市/…区/…旗 names the county of the reports inside).
    #[arg(value_name = "DATA_DIR", required = true)]
    data_dir: Option<PathBuf>,

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

    /// Also write county_rollup.xlsx: table 3 of each county and year laid out
    /// like the official form, tables 2 and 4, the year-over-year comparison,
    /// every report with its key numbers (failed checks in red) and every file.
    #[arg(long)]
    xlsx: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Combine the outputs of several county runs into one set for a city or province.
    ///
    /// Writes the same files as a county run, the counties side by side (sums stay
    /// per county and year). Refused, with exit status 2 and nothing written, when
    /// two folders hold the same county, a file is missing or its columns are not
    /// this version's. File paths are prefixed with each folder's name.
    ///
    /// Example: county-rollup merge out/民权县 out/睢县 --out out/商丘市
    Merge {
        /// Output folders of county-rollup runs (one per county, or earlier merges).
        #[arg(value_name = "OUT_DIR", required = true)]
        inputs: Vec<PathBuf>,

        /// Folder to write the merged files into (created if missing).
        #[arg(long, short, value_name = "CITY_DIR")]
        out: PathBuf,

        /// No summary on stderr.
        #[arg(long, short)]
        quiet: bool,

        /// Leave out the UTF-8 byte-order mark.
        #[arg(long)]
        no_bom: bool,
    },
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
    if let Some(Command::Merge { inputs, out, quiet, no_bom }) = args.command {
        return run_merge(MergeConfig { inputs, output: out, bom: !no_bom }, quiet);
    }
    let Some(data_dir) = args.data_dir else {
        eprintln!("county-rollup: error: give the folder of reports (see --help)");
        return ExitCode::from(2);
    };
    let config = Config {
        input: data_dir,
        output: args.out,
        county: args.county,
        threads: args.threads.map(usize::from),
        bom: !args.no_bom,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        xlsx: args.xlsx,
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

fn run_merge(config: MergeConfig, quiet: bool) -> ExitCode {
    match merge(&config) {
        Ok(s) => {
            if !quiet {
                eprintln!(
                    "county-rollup merge: {} folders: {} counties, {} county-years, {} files listed",
                    s.inputs, s.counties, s.county_years, s.files
                );
                eprintln!("outputs in {}", config.output.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("county-rollup merge: refused: {e:#}");
            ExitCode::from(2)
        }
    }
}
