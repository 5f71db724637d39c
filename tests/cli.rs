//! The command line end to end: outputs, exit codes, rejections, duplicates,
//! determinism. Each test builds its own folder of reports in a temp dir.

use crate::util::*;
use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn sample() -> Folder {
    let f = Folder::new();
    f.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1))
        .put("民权县/2024/龙塘镇.txt", report("龙塘镇", 2024, 4))
        .put("民权县/2023/人和镇.txt", report("人和镇", 2023, 2))
        .put("民权县/2024/photo.png", [0x89, b'P', b'N', b'G'])
        .put("民权县/2024/表格.xlsx", b"PK");
    f
}

#[test]
fn sums_across_units_and_years() {
    let f = sample();
    f.cmd().assert().code(0);
    let req = f.csv("requests.csv");
    assert_eq!(req[0][..5], ["county", "year", "units", "row", "label"]);
    let r = row(&req, &[(0, "民权县"), (1, "2024"), (3, "new_requests")]);
    assert_eq!(r[2], "2");
    assert_eq!(r[5..], ["5", "0", "0", "0", "0", "0", "5"]);
    let r = row(&req, &[(0, "民权县"), (1, "2023"), (3, "total_processed")]);
    assert_eq!(r[5..], ["2", "0", "0", "0", "0", "0", "2"]);
    // 25 rows per county-year (2021 form, three (六) rows), plus the header.
    assert_eq!(req.len(), 1 + 2 * 25);
    // Summaries are sorted by county, year, then the form's order.
    assert_eq!(req[1][1], "2023");
    assert_eq!(req[1][3], "new_requests");
    assert_eq!(req[25][3], "carried_forward");

    let by_unit = f.csv("requests_by_unit.csv");
    assert_eq!(by_unit.len(), 1 + 3 * 25);
    assert_eq!(by_unit[1][3], "民权县/2023/人和镇.txt");
    let r = row(&by_unit, &[(2, "龙塘镇"), (4, "granted")]);
    assert_eq!(r[6..], ["4", "0", "0", "0", "0", "0", "4"]);

    let pro = f.csv("proactive.csv");
    assert_eq!(pro[0], ["county", "year", "units", "item", "measure", "label", "value"]);
    let r = row(&pro, &[(1, "2024"), (3, "regulations"), (4, "in_force")]);
    assert_eq!((r[2].as_str(), r[6].as_str()), ("2", "0"));
    let rev = f.csv("review_litigation.csv");
    assert_eq!(rev.len(), 1 + 2 * 3);
    assert_eq!(row(&rev, &[(1, "2024"), (3, "review")])[2], "2");
}

#[test]
fn files_csv_lists_every_file_once() {
    let f = sample();
    f.put("民权县/2024/坏文件.txt", [0u8, 1, 2, 3, 255, 254]);
    f.cmd().assert().code(1);
    let files = f.csv("files.csv");
    assert_eq!(files[0], ["file", "status", "county", "year", "unit", "format", "reason"]);
    let names: Vec<&str> = files[1..].iter().map(|r| r[0].as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by path");
    assert_eq!(names.len(), 6);
    assert_eq!(row(&files, &[(0, "民权县/2024/photo.png")])[1], "skipped");
    assert_eq!(row(&files, &[(0, "民权县/2024/表格.xlsx")])[1], "skipped");
    let bad = row(&files, &[(0, "民权县/2024/坏文件.txt")]);
    assert_eq!(bad[1], "rejected");
    assert!(bad[6].contains("not text") || bad[6].contains("binary"), "{}", bad[6]);
    let ok = row(&files, &[(0, "民权县/2024/人和镇.txt")]);
    assert_eq!(ok[1..6], ["parsed", "民权县", "2024", "人和镇", "2021"]);
}

/// Each kind of bad input is rejected with a reason naming the place, and the
/// good reports beside it are still summed.
#[test]
fn bad_inputs_are_rejected_with_reasons_and_the_rest_is_summed() {
    let f = Folder::new();
    f.put("民权县/2024/good.txt", report("人和镇", 2024, 3));
    let good = report("北关镇", 2024, 1);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "wrong_count.txt",
            good.replace(
                "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0",
                "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0",
            ),
            "table 3, row carried_over (二、上年结转政府信息公开申请数量), line",
        ),
        (
            "text_in_number.txt",
            good.replace("(七) 总计\t1\t0\t0\t0\t0\t0\t1", "(七) 总计\t1\t0\t0\t零\t0\t0\t1"),
            "table 3, row total_processed ((七) 总计), line",
        ),
        ("overflow.txt", good.replace("(七) 总计\t1\t0", "(七) 总计\t99999999999999999999\t0"), "too large"),
        ("no_table3.txt", good[..good.find("三、收到和处理").unwrap()].to_string(), "table 3"),
        ("not_a_report.txt", "会议纪要\n\n今天开会，讨论了三件事。".to_string(), "not an annual report"),
        ("missing_row.txt", good.replace("\t\t2. 重复申请\t0\t0\t0\t0\t0\t0\t0\n", ""), "row not_processed_duplicate"),
        ("broken.pdf", "%PDF-1.4".to_string(), "damaged PDF"),
        ("page.pdf", "<html><body>404</body></html>".to_string(), "not a PDF: it is a web page"),
    ];
    for (name, body, _) in &cases {
        f.put(&format!("民权县/2024/{name}"), body);
    }
    f.cmd().assert().code(1);
    let files = f.csv("files.csv");
    for (name, _, reason) in &cases {
        let r = row(&files, &[(0, &format!("民权县/2024/{name}"))]);
        assert_eq!(r[1], "rejected", "{name}");
        assert!(r[6].contains(reason), "{name}: reason \"{}\" should contain \"{reason}\"", r[6]);
    }
    let req = f.csv("requests.csv");
    let r = row(&req, &[(3, "new_requests")]);
    assert_eq!((r[2].as_str(), r[11].as_str()), ("1", "3"), "only the good report is summed");
}

#[test]
fn exit_codes() {
    let f = sample();
    f.cmd().assert().code(0);
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(f.dir.path().join("no-such-folder")).arg("--out").arg(f.out());
    c.assert().code(2).stderr(predicates::str::contains("not a folder"));
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg("--no-such-flag").assert().code(2);
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg("--help").assert().code(0).stdout(predicates::str::contains("--strict"));
    // Output folder that cannot be created (a file is in the way).
    fs::write(f.dir.path().join("blocker"), "x").unwrap();
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(f.data()).arg("--out").arg(f.dir.path().join("blocker/out"));
    c.assert().code(2).stderr(predicates::str::contains("output folder"));
}

#[test]
fn strict_fails_on_error_checks_only() {
    let f = Folder::new();
    let off = report("人和镇", 2024, 2).replace(
        "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2",
        "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t3",
    );
    f.put("民权县/2024/off.txt", off);
    f.cmd().assert().code(0);
    let checks = f.csv("checks.csv");
    let r = row(&checks, &[(4, "row_total")]);
    assert_eq!(r[5], "error");
    assert!(r[6].contains("总计 3") && r[6].contains("add up to 2"), "{}", r[6]);
    assert!(checks.iter().any(|r| r[4] == "balance" && r[6].contains("total: new_requests 3")));
    // The sum is what the report states, not a repaired number.
    assert_eq!(row(&f.csv("requests.csv"), &[(3, "new_requests")])[11], "3");
    f.cmd().arg("--strict").assert().code(1);
    // A warning alone does not fail --strict.
    let g = Folder::new();
    g.put("民权县/2024/a.txt", report("人和镇", 2024, 2).replace("申请 2 件", "申请 5 件"));
    g.cmd().arg("--strict").assert().code(0);
    assert_eq!(row(&g.csv("checks.csv"), &[(4, "narrative")])[5], "warning");
}

#[test]
fn same_bytes_with_one_thread_and_many() {
    let f = sample();
    for i in 0..40 {
        f.put(&format!("民权县/2024/u{i:02}.txt"), report(&format!("第{i}镇"), 2024, i));
    }
    f.put("民权县/2024/broken.txt", "民权县某镇 2024 年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n");
    f.cmd().arg("-j1").assert().code(1);
    let one: Vec<(String, Vec<u8>)> = outputs(&f.out());
    fs::remove_dir_all(f.out()).unwrap();
    f.cmd().arg("-j8").assert().code(1);
    let many = outputs(&f.out());
    assert_eq!(one.len(), 7, "six CSV files and requests_yoy.csv");
    assert_eq!(one, many);
}

fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn no_bom_and_output_inside_input() {
    let f = sample();
    let out = f.data().join("out");
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(f.data()).arg("--out").arg(&out).arg("--no-bom").assert().code(0);
    // Run again: the previous outputs now sit inside the input folder.
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(f.data()).arg("--out").arg(&out).arg("--no-bom").assert().code(0);
    let text = fs::read_to_string(out.join("files.csv")).unwrap();
    assert!(text.starts_with("file,status"), "no BOM");
    assert!(text.contains("out/requests.csv,skipped"), "{text}");
    assert!(!text.contains(".tmp"), "no temporary files left");
}

#[test]
fn county_from_folder_or_flag() {
    let no_county = report("落水镇", 2024, 1).replace("民权县落水镇人民政府", "落水镇人民政府");
    let f = Folder::new();
    f.put("民权县/2024/落水镇.txt", &no_county).put("elsewhere/落水镇.txt", &no_county);
    f.cmd().assert().code(1);
    let files = f.csv("files.csv");
    assert_eq!(row(&files, &[(0, "民权县/2024/落水镇.txt")])[2], "民权县");
    assert!(row(&files, &[(0, "elsewhere/落水镇.txt")])[6].contains("--county"));
    f.cmd().arg("--county").arg("睢县").assert().code(0);
    let files = f.csv("files.csv");
    assert_eq!(row(&files, &[(0, "elsewhere/落水镇.txt")])[2], "睢县");
}

#[test]
fn duplicates_are_flagged_and_not_summed() {
    let f = Folder::new();
    let a = report("人和镇", 2024, 1);
    f.put("民权县/2024/a.txt", &a)
        .put("民权县/2024/copy_of_a.txt", &a)
        .put("民权县/2024/b1.txt", report("北关镇", 2024, 2))
        .put("民权县/2024/b2.txt", report("北关镇", 2024, 3))
        .put("民权县/2024/c.txt", report("城关镇", 2024, 5));
    f.cmd().assert().code(0);
    let checks = f.csv("checks.csv");
    let copy = row(&checks, &[(3, "民权县/2024/copy_of_a.txt"), (4, "duplicate")]);
    assert_eq!(copy[5], "warning");
    for file in ["民权县/2024/b1.txt", "民权县/2024/b2.txt"] {
        let r = row(&checks, &[(3, file), (4, "duplicate")]);
        assert_eq!(r[5], "error");
    }
    // Summed: a once (1) and c (5); neither b.
    let req = f.csv("requests.csv");
    let r = row(&req, &[(3, "new_requests")]);
    assert_eq!((r[2].as_str(), r[11].as_str()), ("2", "6"));
    assert_eq!(row(&f.csv("review_litigation.csv"), &[(3, "review")])[2], "2");
}

#[test]
fn carry_chain_across_years() {
    let f = Folder::new();
    let y23 = report("人和镇", 2023, 2)
        .replace("四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0", "四、结转下年度继续办理\t\t1\t0\t0\t0\t0\t0\t1");
    f.put("民权县/2023/人和镇.txt", y23).put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1));
    f.cmd().assert().code(0);
    let checks = f.csv("checks.csv");
    let chain: Vec<&str> = checks.iter().filter(|r| r[4] == "carry_chain").map(|r| r[6].as_str()).collect();
    assert_eq!(
        chain,
        [
            "natural_person: carried_over 0 but the 2023 report carried_forward 1",
            "total: carried_over 0 but the 2023 report carried_forward 1"
        ]
    );
    assert_eq!(row(&checks, &[(4, "carry_chain"), (6, chain[0])])[3], "民权县/2024/人和镇.txt");
}

#[test]
fn in_force_chain_across_years() {
    let f = Folder::new();
    let y23 = report("人和镇", 2023, 1).replace("规章\t0\t0\t0", "规章\t2\t0\t5");
    let y24 = report("人和镇", 2024, 1).replace("规章\t0\t0\t0", "规章\t1\t1\t6");
    assert!(y23.contains("规章\t2\t0\t5") && y24.contains("规章\t1\t1\t6"));
    f.put("民权县/2023/a.txt", y23).put("民权县/2024/a.txt", y24);
    f.cmd().assert().code(0);
    let checks = f.csv("checks.csv");
    let r = row(&checks, &[(4, "in_force_chain")]);
    assert_eq!(r[3], "民权县/2024/a.txt");
    assert_eq!(r[6], "regulations: in_force 6 but 2023 in_force 5 + issued 1 − repealed 1 = 5");
}

#[test]
fn a_folder_mixing_forms_sums_each_county_year_in_its_own_form() {
    let f = Folder::new();
    f.put("民权县/2020/双塔镇.txt", include_str!("fixtures/text/2019-form-tab.txt"))
        .put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1));
    f.cmd().assert().code(0);
    let files = f.csv("files.csv");
    assert_eq!(row(&files, &[(0, "民权县/2020/双塔镇.txt")])[5], "2019");
    assert_eq!(row(&files, &[(0, "民权县/2024/人和镇.txt")])[5], "2021");
    let req = f.csv("requests.csv");
    let y2020: Vec<&str> = req.iter().filter(|r| r[1] == "2020").map(|r| r[3].as_str()).collect();
    assert_eq!(y2020.len(), 23);
    assert!(y2020.contains(&"other_processing") && !y2020.contains(&"other_other"));
    assert_eq!(row(&req, &[(1, "2020"), (3, "other_processing")])[11], "2");
    let pro = f.csv("proactive.csv");
    let r = row(&pro, &[(1, "2020"), (3, "licensing"), (4, "change")]);
    assert_eq!(r[6], "-2");
    assert_eq!(row(&pro, &[(1, "2020"), (3, "procurement"), (4, "amount_10k_yuan")])[6], "12.5");
    assert!(!pro.iter().any(|r| r[1] == "2024" && r[3] == "procurement"));
}

/// One report rendered in every text layout: requests_by_unit.csv holds the
/// same rows for each file (the file column aside), byte for byte.
#[test]
fn every_layout_gives_the_same_requests_by_unit_rows() {
    use county_rollup_gen::{Layout, Rng, random_report, render};
    let mut rng = Rng::new(7);
    let truth = random_report(&mut rng, county_rollup::schema::Format::F2021, 2024, "民权县", "城关镇");
    let f = Folder::new();
    // The same numbers under a unit name of each layout's own (one unit
    // twice would be a duplicate, not summed, its rows not listed).
    for (k, layout) in Layout::ALL.iter().enumerate() {
        let mut r = truth.clone();
        r.unit = format!("城关{}镇", ["一", "二", "三", "四", "五"][k]);
        f.put(&format!("民权县/{}/{}.{}", layout.name(), r.unit, layout.extension()), render(&r, *layout, &mut rng));
    }
    f.cmd().assert().code(0);
    let rows = f.csv("requests_by_unit.csv");
    let mut per_file: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in &rows[1..] {
        let mut rest = r.clone();
        let file = rest.remove(3);
        rest.remove(2); // the unit
        per_file.entry(file).or_default().push(rest.join(","));
    }
    assert_eq!(per_file.len(), Layout::ALL.len());
    let first = per_file.values().next().unwrap();
    assert_eq!(first.len(), 25);
    for (file, r) in &per_file {
        assert_eq!(r, first, "{file}");
    }
}

/// A folder dropped on the program: the one argument is the folder, and the
/// outputs go into FOLDER_汇总 beside it. On Windows that command line also
/// means --xlsx --pause (the window waits); elsewhere it does not. With
/// stdin closed (as here), --pause returns at once, so the test needs no terminal.
#[test]
fn a_folder_given_alone_is_rolled_up_beside_it() {
    let f = sample();
    let folder = f.dir.path().join("2024年 报告");
    fs::rename(f.data(), &folder).unwrap();
    let beside = f.dir.path().join("2024年 报告_汇总");
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    let out = c.arg(&folder).timeout(std::time::Duration::from_secs(120)).assert().code(0).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("汇总 3 份"), "{stderr}");
    let files = fs::read_to_string(beside.join("files.csv")).unwrap();
    assert!(files.contains("民权县/2024/人和镇.txt,parsed"), "{files}");
    let windows = cfg!(windows);
    assert_eq!(beside.join("county_rollup.xlsx").exists(), windows, "--xlsx on Windows only");
    assert_eq!(stderr.contains("按回车键关闭窗口"), windows, "--pause on Windows only: {stderr}");
    // --pause with stdin closed does not wait.
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(&folder).arg("--pause").arg("--xlsx").timeout(std::time::Duration::from_secs(120));
    c.assert().code(0).stderr(predicates::str::contains("按回车键关闭窗口"));
    assert!(beside.join("county_rollup.xlsx").exists());
}

/// The sample county that `make run` rolls up (data/, in the repository):
/// every report read, whatever its format (text, Markdown, web page, .docx,
/// .doc, PDF, a zip), the picture skipped, and the one planted error found.
#[test]
fn the_sample_county_in_data_is_read_whole() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let out = tempfile::tempdir().unwrap();
    let mut c = assert_cmd::Command::cargo_bin("county-rollup").unwrap();
    c.arg(&data).arg("--out").arg(out.path()).args(["--lang", "en", "-q"]).assert().code(0);
    let files = &read_csv(&out.path().join("files.csv"))[1..];
    let status = |s: &str| files.iter().filter(|r| r[1] == s).count();
    assert_eq!((status("parsed"), status("skipped"), files.len()), (24, 2, 26), "{files:?}");
    for kind in [".txt", ".md", ".html", ".docx", ".doc", ".pdf", ".zip/"] {
        assert!(files.iter().any(|r| r[0].contains(kind) && r[1] == "parsed"), "no {kind} read: {files:?}");
    }
    let checks = read_csv(&out.path().join("checks.csv"));
    assert!(checks.iter().any(|r| r[2] == "白云寺镇" && r[4] == "row_total"), "{checks:?}");
}

// --- Issue 16 (see also tests/hostile.rs).

/// The outputs of `dir`, and any temporary left there.
fn temporaries(dir: &Path) -> Vec<String> {
    let names = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned());
    names.filter(|n| n.starts_with('.') || n.ends_with(".tmp") || n.ends_with(".splice")).collect()
}

/// Class 7: a run that fails late, or is interrupted, leaves the last run's
/// outputs as they were (no mix of two runs) and no temporaries.
#[cfg(unix)]
#[test]
fn a_failed_or_interrupted_run_leaves_the_last_outputs_and_no_temporaries() {
    let f = sample();
    f.cmd().arg("--xlsx").assert().code(0);
    let before = outputs(&f.out());
    // A roster that cannot be read fails the run after the output folder is set up.
    f.cmd().arg("--roster").arg(f.dir.path().join("no-such-roster.csv")).assert().code(2);
    assert_eq!(outputs(&f.out()), before);
    assert_eq!(temporaries(&f.out()), Vec::<String>::new());
    // Ctrl-C in the middle of a longer run.
    for i in 0..300 {
        f.put(&format!("民权县/2022/{i:04}.txt"), report(&format!("第{i}镇"), 2022, 1));
    }
    let bin = assert_cmd::cargo::cargo_bin("county-rollup");
    let mut child =
        std::process::Command::new(bin).arg(f.data()).arg("--out").arg(f.out()).args(["-j1", "-q"]).spawn().unwrap();
    // Wait until it writes, then interrupt it.
    let t = std::time::Instant::now();
    while temporaries(&f.out()).is_empty() && t.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    let after = outputs(&f.out());
    if status.code() == Some(130) {
        assert_eq!(after, before, "interrupted: the last run's outputs stay");
    } else {
        // It had finished: this run's outputs, all of them, none of the last run's workbook.
        assert!(!f.out().join("county_rollup.xlsx").exists());
        assert!(f.csv("files.csv").len() > 300);
    }
    assert_eq!(temporaries(&f.out()), Vec::<String>::new());
}

/// Class 8: a folder that gains a file while the run goes on: the checks
/// across files find the files they read again by path, so duplicates name
/// the right files (the added file, sorted first, used to shift them all).
#[test]
fn a_folder_that_gains_a_file_during_the_run_names_the_right_files() {
    let f = Folder::new();
    for i in 0..300 {
        f.put(&format!("民权县/2024/{i:04}.txt"), report(&format!("第{i}镇"), 2024, 1));
    }
    // Two reports of one unit at the end (read again to be taken out of the sums).
    f.put("民权县/2024/zz-a.txt", report("北关镇", 2024, 2)).put("民权县/2024/zz-b.txt", report("北关镇", 2024, 3));
    let bin = assert_cmd::cargo::cargo_bin("county-rollup");
    let mut child = std::process::Command::new(bin)
        .arg(f.data())
        .arg("--out")
        .arg(f.out())
        .args(["-j1", "-q", "--lang", "en"])
        .spawn()
        .unwrap();
    let t = std::time::Instant::now();
    while (!f.out().exists() || temporaries(&f.out()).is_empty()) && t.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    f.put("民权县/2024/0000-added.txt", report("新增镇", 2024, 7));
    assert!(child.wait().unwrap().success());
    let checks = f.csv("checks.csv");
    for file in ["民权县/2024/zz-a.txt", "民权县/2024/zz-b.txt"] {
        assert_eq!(row(&checks, &[(3, file), (4, "duplicate")])[5], "error");
    }
    assert!(!checks.iter().any(|r| r[4] == "duplicate" && !r[3].starts_with("民权县/2024/zz-")), "{checks:?}");
    // The added file is summed if the walk came to it after it was added.
    let req = f.csv("requests.csv");
    let sum = &row(&req, &[(3, "new_requests")])[11];
    assert!(sum == "300" || sum == "307", "the two duplicates are not summed: {sum}");
}

/// Class 9: SOURCE_DATE_EPOCH that is not a number, or is out of the
/// workbook's range, stops the run before anything is written (exit 2, the
/// variable named); a good one is used.
#[test]
fn a_bad_source_date_epoch_stops_the_run_before_anything_is_written() {
    use predicates::prelude::PredicateBooleanExt;
    let f = sample();
    for bad in ["yesterday", "1.5e9", "99999999999999", "-99999999999"] {
        f.cmd_zh().env("SOURCE_DATE_EPOCH", bad).arg("--xlsx").assert().code(2).stderr(
            predicates::str::contains("SOURCE_DATE_EPOCH")
                .and(predicates::str::contains(bad))
                .and(predicates::str::contains("无法运行")),
        );
        assert!(!f.out().exists(), "{bad}: nothing written");
    }
    f.cmd().env("SOURCE_DATE_EPOCH", "1700000000").arg("--xlsx").assert().code(0);
    assert!(f.out().join("county_rollup.xlsx").exists());
}

/// Class 9: file names that are not UTF-8 are escaped apart in files.csv
/// (both were `a�.txt` before).
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_stay_apart_in_files_csv() {
    use std::os::unix::ffi::OsStrExt;
    let f = sample();
    let dir = f.data().join("民权县");
    for name in [&b"a\xff.txt"[..], b"a\xfe.txt"] {
        fs::write(dir.join(std::ffi::OsStr::from_bytes(name)), "not a report").unwrap();
    }
    f.cmd().assert().code(1);
    let files: Vec<String> = f.csv("files.csv").into_iter().map(|r| r[0].clone()).collect();
    assert!(files.contains(&r"民权县/a\xFF.txt".to_string()), "{files:?}");
    assert!(files.contains(&r"民权县/a\xFE.txt".to_string()), "{files:?}");
}

/// Class 10: a folder with no report exits 1 and says so; one that does not
/// exist exits 2.
#[test]
fn an_empty_folder_finds_no_report() {
    use predicates::prelude::PredicateBooleanExt;
    let f = Folder::new();
    fs::create_dir_all(f.data()).unwrap();
    f.cmd_zh().assert().code(1).stderr(predicates::str::contains("没有找到任何年度报告"));
    f.put("民权县/photo.png", [0x89, b'P', b'N', b'G']);
    f.cmd().assert().code(1).stderr(predicates::str::contains("no report found"));
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(f.dir.path().join("no-such-folder")).arg("--out").arg(f.out());
    c.assert().code(2).stderr(predicates::str::contains("不是文件夹").or(predicates::str::contains("not a folder")));
}
