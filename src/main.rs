//! The command line: flags → [`Config`] → [`run`] → exit code.

use clap::{Parser, Subcommand};
use county_rollup::lang::Lang;
use county_rollup::merge::{MergeConfig, merge};
use county_rollup::{Config, Summary, run};
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Sum a county's 政府信息公开工作年度报告 (government information disclosure
/// annual reports) table by table.
///
/// Reads every report under DATA_DIR — text and Markdown, web pages (.html),
/// Word (.docx), zip archives of them; UTF-8, UTF-16 or GBK — sums tables 2, 3
/// and 4 per county and year, checks each report's arithmetic and writes CSV
/// files for Excel into the output folder:
///
///   requests.csv           table 3 summed per county and year
///   requests_by_unit.csv   table 3 of every report summed
///   proactive.csv          table 2 summed
///   review_litigation.csv  table 4 summed
///   checks.csv             every broken rule, with both numbers
///   files.csv              every file: parsed, partial, duplicate, rejected (and why) or skipped
///   requests_yoy.csv       table 3 总计 of each year beside the year before
///   roster.csv             with --roster: who has reported and who has not
///   county_rollup.xlsx     with --xlsx: the workbook for the office
///   退回修改/              with --xlsx: a send-back notice per unit with an error
///
/// `county-rollup merge OUT_DIR... --out CITY_DIR` combines the outputs of
/// several county runs into one set for the city or province.
///
/// Exit status: 0 every report was read; 1 at least one file was rejected, or
/// no report was found (or, with --strict, a check failed); 2 the run could
/// not happen (no such folder, output not writable, bad flags).
///
/// On Windows, a folder dropped on county-rollup.exe (the program started with
/// that one folder and no flags) is read as if --xlsx --pause were given: the
/// outputs and the workbook go into FOLDER_汇总 beside it and the window stays
/// open until Enter is pressed (a file or several things dropped: --pause, so
/// the error can be read). Started with nothing (a double click), it says how
/// to use it and waits.
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

    /// Folder to write the outputs into (created if missing; default: DATA_DIR_汇总
    /// beside DATA_DIR).
    #[arg(long, short, value_name = "OUT_DIR")]
    out: Option<PathBuf>,

    /// County for reports whose title and folders name none (e.g. 民权县).
    #[arg(long, value_name = "NAME")]
    county: Option<String>,

    /// The office's list of its units (CSV or .xlsx with columns 县 and 单位):
    /// writes roster.csv, who has reported and who has not.
    #[arg(long, value_name = "FILE")]
    roster: Option<PathBuf>,

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

    /// Also write county_rollup.xlsx: tables 2, 3 and 4 of each county and year
    /// laid out like the official form, the broken rules, who has reported, year
    /// over year, every report and file; and a send-back notice (退回修改/) for
    /// each unit whose report has an error.
    #[arg(long)]
    xlsx: bool,

    /// Language of reasons, check details, the workbook and the summary: zh
    /// (default) or en. Column names and row keys stay as they are.
    #[arg(long, value_name = "LANG", default_value = "zh")]
    lang: Lang,

    /// Wait for a key before exiting (for a window opened by dropping a folder
    /// on the program).
    #[arg(long)]
    pause: bool,
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

        /// Also write county_rollup.xlsx of the merged files, and copy the
        /// county runs' send-back notices (退回修改/) beside it.
        #[arg(long)]
        xlsx: bool,

        /// Language of the workbook and the summary: zh (default) or en.
        #[arg(long, value_name = "LANG", default_value = "zh")]
        lang: Lang,
    },
}

fn main() -> ExitCode {
    let _console = console::Utf8::enter();
    let argv: Vec<OsString> = std::env::args_os().collect();
    if cfg!(windows) && argv.len() == 1 {
        return double_clicked();
    }
    let dropped = cfg!(windows) && is_dropped(&argv);
    let argv = with_drop_flags(argv, cfg!(windows));
    let args = match Args::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            if dropped {
                // Several things dropped at once: say so, and let it be read.
                eprintln!("county-rollup：请一次只拖入一个装有报告的文件夹。Drop one folder at a time.");
                pause(Lang::Zh);
            }
            return ExitCode::from(code);
        }
    };
    let _ = ctrlc::set_handler(|| {
        county_rollup::output::remove_pending();
        std::process::exit(130);
    });
    // Checked before anything is written (the workbook is the one that uses it).
    let (xlsx, lang) = match &args.command {
        Some(Command::Merge { xlsx, lang, .. }) => (*xlsx, *lang),
        None => (args.xlsx, args.lang),
    };
    if let (true, Err(e)) = (xlsx, county_rollup::output::xlsx::source_date_epoch(lang)) {
        eprintln!("county-rollup: {}{e}", lang.pick("无法运行：", "error: "));
        if args.pause {
            pause(lang);
        }
        return ExitCode::from(2);
    }
    if let Some(Command::Merge { inputs, out, quiet, no_bom, xlsx, lang }) = args.command {
        return run_merge(MergeConfig { inputs, output: out, bom: !no_bom, xlsx, lang }, quiet);
    }
    let Some(data_dir) = args.data_dir else {
        eprintln!("county-rollup: error: give the folder of reports (see --help)");
        return ExitCode::from(2);
    };
    let output = args.out.clone().unwrap_or_else(|| default_output(&data_dir));
    let config = Config {
        input: data_dir,
        output,
        county: args.county,
        threads: args.threads.map(usize::from),
        bom: !args.no_bom,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        xlsx: args.xlsx,
        strict: args.strict,
        lang: args.lang,
        roster: args.roster,
    };
    let code = match run(&config) {
        Ok(s) => {
            if !args.quiet {
                report(&s, &config);
            }
            let failed = s.rejected > 0 || s.summed() + s.duplicate == 0 || (config.strict && s.check_errors > 0);
            u8::from(failed)
        }
        Err(e) => {
            let zh = config.lang == Lang::Zh;
            eprintln!("county-rollup: {}{e:#}", if zh { "无法运行：" } else { "error: " });
            2
        }
    };
    if args.pause {
        pause(config.lang);
    }
    ExitCode::from(code)
}

/// A folder dropped on the program: exactly one argument, an existing folder,
/// not a flag (nor the `merge` subcommand). With `on` (Windows), such a
/// command line gets `--xlsx --pause`; anything else dropped (a file, several
/// things) gets `--pause`, so the window stays open on the error. Without
/// `on` (elsewhere), the command line is left as it is.
fn with_drop_flags(mut argv: Vec<OsString>, on: bool) -> Vec<OsString> {
    if on && is_dropped(&argv) {
        if let [_, one] = argv.as_slice()
            && Path::new(one).is_dir()
        {
            argv.push("--xlsx".into());
        }
        argv.push("--pause".into());
    }
    argv
}

/// Things dropped on the program: one or more arguments, each an existing
/// file or folder, none a flag, the first not `merge`.
fn is_dropped(argv: &[OsString]) -> bool {
    let [_, first, ..] = argv else { return false };
    first != "merge" && argv[1..].iter().all(|a| !a.to_string_lossy().starts_with('-') && Path::new(a).exists())
}

/// Started with no argument on Windows (a double click on the .exe): say
/// how to use it, and keep the window open to be read.
fn double_clicked() -> ExitCode {
    eprintln!(
        "county-rollup {}：把装有年度报告的文件夹拖到 county-rollup.exe（或 汇总.bat）上，\n\
         汇总结果和工作簿 county_rollup.xlsx 写在它旁边的「文件夹名_汇总」里。\n\
         Drop the folder of reports on county-rollup.exe (or 汇总.bat): the outputs go into\n\
         FOLDER_汇总 beside it. 命令行用法 / command line: county-rollup.exe --help",
        env!("CARGO_PKG_VERSION")
    );
    pause(Lang::Zh);
    ExitCode::from(2)
}

/// `报告/` → `报告_汇总/` beside it.
fn default_output(data_dir: &Path) -> PathBuf {
    let name = data_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "报告".into());
    data_dir.with_file_name(format!("{name}_汇总"))
}

/// The end summary on stderr.
fn report(s: &Summary, config: &Config) {
    let zh = config.lang == Lang::Zh;
    if zh {
        eprintln!(
            "county-rollup：{} 个文件：汇总 {} 份（其中部分表格未汇总 {} 份），重复 {} 份，未能读取 {} 份，跳过 {} 个；{} 个县年度；核查：错误 {} 项，提示 {} 项",
            s.files,
            s.summed(),
            s.partial,
            s.duplicate,
            s.rejected,
            s.skipped,
            s.county_years,
            s.check_errors,
            s.check_warnings
        );
    } else {
        eprintln!(
            "county-rollup: {} files: {} parsed, {} partial, {} duplicate, {} rejected, {} skipped; {} county-years summed; checks: {} errors, {} warnings",
            s.files,
            s.parsed,
            s.partial,
            s.duplicate,
            s.rejected,
            s.skipped,
            s.county_years,
            s.check_errors,
            s.check_warnings
        );
    }
    if s.summed() + s.duplicate == 0 {
        eprintln!(
            "  {}",
            if zh {
                "没有找到任何年度报告：文件夹对吗？"
            } else {
                "no report found: is it the right folder?"
            }
        );
    }
    for (file, reason) in &s.first_rejections {
        eprintln!("  {} {file}：{reason}", if zh { "未能读取" } else { "rejected" });
    }
    if s.rejected as usize > s.first_rejections.len() {
        let more = s.rejected as usize - s.first_rejections.len();
        eprintln!(
            "  {}",
            if zh {
                format!("……另有 {more} 份（见 files.csv）")
            } else {
                format!("… and {more} more (see files.csv)")
            }
        );
    }
    if !s.missing.is_empty() {
        let names: Vec<String> = s.missing.iter().map(|(c, y, u)| format!("{c}{y}年{u}")).collect();
        eprintln!("  {}{}", if zh { "未报送：" } else { "missing: " }, names.join(if zh { "、" } else { ", " }));
    }
    eprintln!("{}{}", if zh { "结果在 " } else { "outputs in " }, config.output.display());
}

/// Wait for Enter, so a window opened for the run does not close at once.
fn pause(lang: Lang) {
    eprintln!("{}", lang.pick("按回车键关闭窗口……", "Press Enter to close."));
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

/// The console window shows UTF-8: on Windows its output code page is set to
/// 65001 at start (Chinese then shows whatever the system's code page, also in
/// what cmd.exe echoes) and put back at exit, so the console of a cmd.exe the
/// program was typed into is left as it was. Nothing elsewhere.
mod console {
    pub struct Utf8 {
        #[cfg(windows)]
        old: u32,
    }

    impl Utf8 {
        #[cfg(windows)]
        pub fn enter() -> Utf8 {
            use windows_sys::Win32::System::Console::{GetConsoleOutputCP, SetConsoleOutputCP};
            const CP_UTF8: u32 = 65001;
            // SAFETY: plain calls without pointers; with no console they fail and return 0.
            let old = unsafe { GetConsoleOutputCP() };
            if old != 0 && old != CP_UTF8 {
                unsafe { SetConsoleOutputCP(CP_UTF8) };
            }
            Utf8 { old }
        }

        #[cfg(not(windows))]
        pub fn enter() -> Utf8 {
            Utf8 {}
        }
    }

    #[cfg(windows)]
    impl Drop for Utf8 {
        fn drop(&mut self) {
            if self.old != 0 && self.old != 65001 {
                // SAFETY: as above.
                unsafe { windows_sys::Win32::System::Console::SetConsoleOutputCP(self.old) };
            }
        }
    }
}

fn run_merge(config: MergeConfig, quiet: bool) -> ExitCode {
    let zh = config.lang == Lang::Zh;
    match merge(&config) {
        Ok(s) => {
            if !quiet {
                if zh {
                    eprintln!(
                        "county-rollup merge：{} 个文件夹：{} 个县，{} 个县年度，列出 {} 个文件",
                        s.inputs, s.counties, s.county_years, s.files
                    );
                } else {
                    eprintln!(
                        "county-rollup merge: {} folders: {} counties, {} county-years, {} files listed",
                        s.inputs, s.counties, s.county_years, s.files
                    );
                }
                if s.rejected > 0 {
                    eprintln!(
                        "  {}",
                        if zh {
                            format!("各县汇总时有 {} 个文件未能读取，未计入汇总（见 files.csv）", s.rejected)
                        } else {
                            format!(
                                "{} files were rejected by the county runs and are not summed (see files.csv)",
                                s.rejected
                            )
                        }
                    );
                }
                if s.notices > 0 {
                    eprintln!(
                        "  {}",
                        if zh {
                            format!("退回修改通知 {} 份（{}/）", s.notices, county_rollup::output::xlsx::SEND_BACK_DIR)
                        } else {
                            format!("{} send-back notices ({}/)", s.notices, county_rollup::output::xlsx::SEND_BACK_DIR)
                        }
                    );
                }
                eprintln!("{}{}", if zh { "结果在 " } else { "outputs in " }, config.output.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("county-rollup merge: {}{e:#}", if zh { "拒绝合并：" } else { "refused: " });
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<OsString> {
        std::iter::once("county-rollup").chain(args.iter().copied()).map(OsString::from).collect()
    }

    #[test]
    fn a_dropped_folder_gets_xlsx_and_pause_on_windows_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("2024 年报");
        std::fs::create_dir(&folder).unwrap();
        let f = folder.to_str().unwrap();
        assert_eq!(with_drop_flags(argv(&[f]), true), argv(&[f, "--xlsx", "--pause"]));
        assert_eq!(with_drop_flags(argv(&[f]), false), argv(&[f]), "not on Linux");
        // Anything else is a command line someone typed: left as it is.
        for args in [vec![f, "--quiet"], vec![f, "--out", f], vec!["--help"], vec!["merge"], vec![]] {
            assert_eq!(with_drop_flags(argv(&args), true), argv(&args), "{args:?}");
        }
        // A file, or several things, dropped: the window waits on the error.
        let file = folder.join("人和镇.txt");
        std::fs::write(&file, "x").unwrap();
        let file = file.to_str().unwrap();
        assert_eq!(with_drop_flags(argv(&[file]), true), argv(&[file, "--pause"]));
        assert_eq!(with_drop_flags(argv(&[f, file]), true), argv(&[f, file, "--pause"]));
        assert_eq!(with_drop_flags(argv(&[file]), false), argv(&[file]));
        // A path that does not exist is typed, not dropped.
        let missing = folder.join("无此文件夹");
        let missing = missing.to_str().unwrap();
        assert_eq!(with_drop_flags(argv(&[missing]), true), argv(&[missing]));
        assert_eq!(with_drop_flags(argv(&[f, missing]), true), argv(&[f, missing]));
    }

    #[test]
    fn the_default_output_is_beside_the_folder() {
        assert_eq!(default_output(Path::new("报告/民权县")), Path::new("报告/民权县_汇总"));
        assert_eq!(default_output(Path::new("data/")), Path::new("data_汇总"));
    }
}
