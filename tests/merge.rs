//! `county-rollup merge`: county runs merged equal one run over all their
//! folders; overlapping counties and folders that are not this version's
//! output are refused with exit status 2 and nothing written.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use crate::util::report_in as report;

const OUTPUTS: [&str; 7] = [
    "requests.csv",
    "requests_by_unit.csv",
    "proactive.csv",
    "review_litigation.csv",
    "checks.csv",
    "files.csv",
    "requests_yoy.csv",
];

struct Work {
    dir: TempDir,
}

impl Work {
    /// Two counties, each a folder of reports: several years, a report whose
    /// numbers do not add up, a carry-chain break, a rejected and a skipped file.
    fn new() -> Work {
        let w = Work { dir: tempfile::tempdir().unwrap() };
        let off = report("民权县", "北关镇", 2024, 2).replace(
            "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2",
            "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t3",
        );
        let carry = report("睢县", "城关镇", 2023, 2)
            .replace("四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0", "四、结转下年度继续办理\t\t1\t0\t0\t0\t0\t0\t1");
        w.put("民权县/2024/人和镇.txt", report("民权县", "人和镇", 2024, 1))
            .put("民权县/2024/龙塘镇.txt", report("民权县", "龙塘镇", 2024, 4))
            .put("民权县/2024/北关镇.txt", off)
            .put("民权县/2023/人和镇.txt", report("民权县", "人和镇", 2023, 2))
            .put("民权县/2024/photo.png", [0x89, b'P', b'N', b'G'])
            .put("民权县/2024/坏文件.txt", "会议纪要\n\n今天开会。")
            .put("睢县/2023/城关镇.txt", carry)
            .put("睢县/2024/城关镇.txt", report("睢县", "城关镇", 2024, 3))
            .put("睢县/2024/河堤乡.txt", report("睢县", "河堤乡", 2024, 5))
            .put("睢县/2022/河堤乡.txt", report("睢县", "河堤乡", 2022, 7));
        w
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    fn put(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Work {
        let p = self.path("data").join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
        self
    }
    /// `county-rollup data/REL --out OUT` (exit 1 where a file is rejected).
    fn run(&self, rel: &str, out: &str) {
        let mut c = Command::cargo_bin("county-rollup").unwrap();
        let status = c.arg(self.path("data").join(rel)).arg("--out").arg(self.path(out)).output().unwrap().status;
        assert!(matches!(status.code(), Some(0 | 1)), "{rel}: {status}");
    }
    fn merge(&self, inputs: &[&str], out: &str) -> Command {
        let mut c = Command::cargo_bin("county-rollup").unwrap();
        c.arg("merge");
        for i in inputs {
            c.arg(self.path(i));
        }
        c.arg("--out").arg(self.path(out));
        c
    }
}

fn read(dir: &Path, name: &str) -> String {
    String::from_utf8(fs::read(dir.join(name)).unwrap()).unwrap()
}

#[test]
fn merged_county_runs_equal_one_run_over_both() {
    let w = Work::new();
    w.run("", "all");
    w.run("民权县", "runs/民权县");
    w.run("睢县", "runs/睢县");
    let ok = w.merge(&["runs/睢县", "runs/民权县"], "city").assert().code(0);
    let stderr = String::from_utf8(ok.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("2 个县"), "{stderr}");
    for name in OUTPUTS {
        assert_eq!(read(&w.path("city"), name), read(&w.path("all"), name), "{name} differs");
    }
    // The comparison is worth something: the files hold both counties, the
    // checks, the rejection, and a year-over-year pair of each county.
    let all = |name| read(&w.path("all"), name);
    assert!(all("requests.csv").contains("\r\n民权县,2024,3,new_requests,"));
    assert!(all("requests.csv").contains("\r\n睢县,2024,2,new_requests,"));
    assert!(all("checks.csv").contains("民权县/2024/北关镇.txt,row_total,error"));
    assert!(all("checks.csv").contains("睢县/2024/城关镇.txt,carry_chain,warning"));
    assert!(all("files.csv").contains("民权县/2024/坏文件.txt,rejected"));
    assert!(all("requests_yoy.csv").contains("\r\n民权县,2024,new_requests,"));
    assert!(all("requests_yoy.csv").contains("\r\n睢县,2023,new_requests,"));

    // A merge of merges: the city with a third county makes the province.
    w.put("兰考县/2024/城关乡.txt", report("兰考县", "城关乡", 2024, 6));
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(w.path("data/兰考县")).arg("--out").arg(w.path("runs/兰考县")).assert().code(0);
    w.merge(&["city", "runs/兰考县"], "province").assert().code(0);
    let req = read(&w.path("province"), "requests.csv");
    let counties: Vec<&str> = req.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    let mut sorted = counties.clone();
    sorted.sort();
    assert_eq!(counties, sorted, "sorted by county");
    assert!(counties.contains(&"兰考县") && counties.contains(&"睢县"));
    let files = read(&w.path("province"), "files.csv");
    assert!(files.contains("\r\ncity/民权县/2024/人和镇.txt,parsed"), "paths prefixed again");
    assert!(files.contains("\r\n兰考县/2024/城关乡.txt,parsed"));
}

#[test]
fn units_and_sums_pass_through_unchanged() {
    let w = Work::new();
    w.run("民权县", "runs/民权县");
    w.run("睢县", "runs/睢县");
    w.merge(&["runs/民权县", "runs/睢县"], "city").assert().code(0);
    let rows: Vec<Vec<String>> = read(&w.path("city"), "review_litigation.csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let units: Vec<(&str, &str, &str)> =
        rows.iter().filter(|r| r[3] == "review").map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(
        units,
        [
            ("民权县", "2023", "1"),
            ("民权县", "2024", "3"),
            ("睢县", "2022", "1"),
            ("睢县", "2023", "1"),
            ("睢县", "2024", "2")
        ]
    );
}

#[test]
fn overlapping_counties_are_refused() {
    let w = Work::new();
    w.run("民权县", "runs/a/民权县");
    w.run("民权县", "runs/b/民权县2");
    let out = w.merge(&["runs/a/民权县", "runs/b/民权县2"], "city").assert().code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("民权县 is in both"), "{err}");
    assert!(err.contains("runs/a/民权县") && err.contains("runs/b/民权县2"), "names both inputs: {err}");
    assert!(!w.path("city").exists(), "nothing written");
}

#[test]
fn bad_inputs_are_refused() {
    let w = Work::new();
    w.run("民权县", "runs/民权县");
    w.run("睢县", "runs/睢县");
    let refused = |inputs: &[&str], needle: &str| {
        let out = w.merge(inputs, "city").assert().code(2);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains(needle), "expected \"{needle}\" in: {err}");
        assert!(!w.path("city").exists(), "nothing written");
    };
    // Not a folder at all, and a folder of reports rather than outputs.
    refused(&["runs/民权县", "runs/nowhere"], "is not a folder");
    refused(&["runs/民权县", "data/睢县"], "has no requests.csv");
    // A file missing.
    fs::rename(w.path("runs/睢县/checks.csv"), w.path("checks.bak")).unwrap();
    refused(&["runs/民权县", "runs/睢县"], "has no checks.csv");
    fs::rename(w.path("checks.bak"), w.path("runs/睢县/checks.csv")).unwrap();
    // Another version's columns.
    let req = w.path("runs/睢县/requests.csv");
    let good = fs::read_to_string(&req).unwrap();
    fs::write(&req, good.replacen("units,row", "reports,row", 1)).unwrap();
    refused(&["runs/民权县", "runs/睢县"], "has the columns");
    // A row cut short, and text where a count belongs.
    let lines: Vec<&str> = good.split("\r\n").collect();
    let cut = lines[1].rsplit_once(',').unwrap().0;
    fs::write(&req, good.replacen(lines[1], cut, 1)).unwrap();
    refused(&["runs/民权县", "runs/睢县"], "fields, expected 12");
    fs::write(&req, good.replacen(",new_requests,", ",no_such_row,", 1)).unwrap();
    refused(&["runs/民权县", "runs/睢县"], "not a row of table 3");
    fs::write(&req, &good).unwrap();
    // Two inputs of the same name would give the same file paths.
    fs::create_dir_all(w.path("again")).unwrap();
    fs::rename(w.path("runs/睢县"), w.path("again/民权县")).unwrap();
    refused(&["runs/民权县", "again/民权县"], "both named 民权县");
    // The output may not be an input; no inputs at all is a usage error.
    w.merge(&["runs/民权县"], "runs/民权县").assert().code(2);
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.args(["merge", "--out"]).arg(w.path("city")).assert().code(2);
}

#[test]
fn inputs_without_bom_are_read_and_the_output_follows_its_own_flag() {
    let w = Work::new();
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(w.path("data/民权县")).arg("--out").arg(w.path("runs/民权县")).arg("--no-bom").assert().code(1);
    w.run("睢县", "runs/睢县");
    w.merge(&["runs/民权县", "runs/睢县"], "city").assert().code(0);
    let req = fs::read(w.path("city/requests.csv")).unwrap();
    assert!(req.starts_with("\u{FEFF}county,year,units".as_bytes()));
    w.merge(&["runs/民权县", "runs/睢县"], "city2").arg("--no-bom").assert().code(0);
    assert!(fs::read(w.path("city2/files.csv")).unwrap().starts_with(b"file,status"));
}

#[test]
fn merge_help() {
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    let out = c.args(["merge", "--help"]).assert().code(0).get_output().stdout.clone();
    let help = String::from_utf8(out).unwrap();
    assert!(help.contains("--out") && help.contains("OUT_DIR"), "{help}");
}

#[test]
fn merge_writes_the_workbook_and_says_what_was_rejected() {
    let w = Work::new();
    w.put("民权县/2024/龙塘镇（修改稿）.txt", report("民权县", "龙塘镇", 2024, 5));
    for county in ["民权县", "睢县"] {
        let mut c = Command::cargo_bin("county-rollup").unwrap();
        c.arg(w.path("data").join(county)).arg("--out").arg(w.path("runs").join(county)).arg("--xlsx");
        assert!(matches!(c.output().unwrap().status.code(), Some(0 | 1)));
    }
    // A county run with duplicates (and a rejected file) merges.
    let ok = w.merge(&["runs/民权县", "runs/睢县"], "city").arg("--xlsx").assert().code(0);
    let stderr = String::from_utf8(ok.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("1 个文件未能读取"), "{stderr}");
    let files = read(&w.path("city"), "files.csv");
    assert!(files.contains(",duplicate,"), "{files}");

    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(w.path("city/county_rollup.xlsx")).unwrap();
    use calamine::Reader;
    let names = wb.sheet_names();
    for sheet in ["民权县2024表三", "睢县2024表三", "表二 主动公开", "核查问题", "同比", "各单位", "文件"]
    {
        assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
    }
    let checks = read(&w.path("city"), "checks.csv");
    let issues = wb.worksheet_range("核查问题").unwrap();
    assert_eq!(issues.height(), checks.lines().count(), "a line per finding, and the header");
    let t3 = wb.worksheet_range("民权县2024表三").unwrap();
    let requests = read(&w.path("city"), "requests.csv");
    let new = requests.lines().find(|l| l.starts_with("民权县,2024,") && l.contains(",new_requests,")).unwrap();
    let total: f64 = new.rsplit(',').next().unwrap().parse().unwrap();
    assert_eq!(t3.get_value((4, 9)), Some(&calamine::Data::Float(total)));
    let units = wb.worksheet_range("各单位").unwrap();
    assert_eq!(
        units.height() - 1,
        files.lines().filter(|l| l.contains(",parsed,") || l.contains(",duplicate,")).count()
    );

    // The county runs' send-back notices are copied beside it.
    let mut notices: Vec<String> = fs::read_dir(w.path("city/退回修改"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    notices.sort();
    assert_eq!(notices, ["民权县2024北关镇.xlsx", "民权县2024龙塘镇.xlsx", "睢县2023城关镇.xlsx"]);
    // Without the flag, neither.
    w.merge(&["runs/民权县", "runs/睢县"], "city").assert().code(0);
    assert!(!w.path("city/county_rollup.xlsx").exists() && !w.path("city/退回修改").exists());
}
