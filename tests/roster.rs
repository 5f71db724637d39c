//! `--roster` end to end (FORMAT.md section 4, issue 19): one folder of
//! reports holding every status a unit of the list can have, run with the
//! list as Excel saves a CSV in China (GBK, CRLF, Chinese headers, 类别) and
//! as an .xlsx (English headers, a title row, the county merged down);
//! roster.csv row by row, the terminal summary, the 报送情况 sheet and the
//! table-3 sheet's sums per category read back with calamine.

use crate::util::{Folder, any, last_row, number, report};
use calamine::{Reader, Xlsx, open_workbook};
use std::fs;

type Book = Xlsx<std::io::BufReader<fs::File>>;

/// The report of 民权县 `unit` for 2024 with `n` new requests, its title
/// rewritten by `title` (the way the unit writes its own name).
fn written(unit: &str, n: u64, title: &str) -> String {
    report(unit, 2024, n).replacen(&format!("民权县{unit}人民政府"), title, 1)
}

/// 民权县 2024, every status at once (new requests in brackets, powers of two
/// so every sum says which reports it holds):
///
/// * 人和镇 (1), 北关镇 (2, its title in traditional script), 龙塘镇 (4),
///   北关街道 (32, its title without 人民政府), 教育局 (64): submitted;
/// * 孙六镇: two different files (8 and 9), a duplicate, neither summed;
/// * 王庄寨镇: a broken .docx named as the published report is;
/// * 程庄镇 (16): table 4 cut short, so partial (table 3 summed);
/// * 花园乡 (128): reported, not on the list;
/// * 双塔镇: on the list, no file.
fn inputs() -> Folder {
    let f = Folder::new();
    let table4 = "\n0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n";
    let cut = report("程庄镇", 2024, 16).replacen(table4, "\n0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n", 1);
    assert_ne!(cut, report("程庄镇", 2024, 16), "table 4's row is in the seed");
    f.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1))
        .put("民权县/2024/北关镇.txt", written("北关镇", 2, "民權縣北關鎮人民政府"))
        .put("民权县/2024/龙塘镇.txt", report("龙塘镇", 2024, 4))
        .put("民权县/2024/孙六镇.txt", report("孙六镇", 2024, 8))
        .put("民权县/2024/孙六镇（修改稿）.txt", report("孙六镇", 2024, 9))
        .put("民权县/2024/王庄寨镇人民政府2024年政府信息公开工作年度报告.docx", b"PK\x03\x04 not a zip at all")
        .put("民权县/2024/程庄镇.txt", cut)
        .put("民权县/2024/北关街道.txt", written("北关街道", 32, "民权县北关街道"))
        .put("民权县/2024/教育局.txt", report("教育局", 2024, 64))
        .put("民权县/2024/花园乡.txt", report("花园乡", 2024, 128));
    f
}

const REJECTED: &str = "民权县/2024/王庄寨镇人民政府2024年政府信息公开工作年度报告.docx";

/// The line of roster.csv of each unit, as (unit, status, file): for
/// `order` (the list's units, canonical) then 花园乡.
fn expected(order: &[&str]) -> Vec<[String; 5]> {
    let status = |u: &str| -> (&str, String) {
        let one = |name: &str| format!("民权县/2024/{name}.txt");
        match u {
            "双塔镇" => ("missing", String::new()),
            "孙六镇" => ("duplicate", format!("{}; {}", one("孙六镇"), one("孙六镇（修改稿）"))),
            "王庄寨镇" => ("rejected", REJECTED.to_string()),
            "程庄镇" => ("partial", one(u)),
            _ => ("submitted", one(u)),
        }
    };
    let mut rows: Vec<[String; 5]> = order
        .iter()
        .map(|u| {
            let (s, file) = status(u);
            ["民权县".into(), "2024".into(), u.to_string(), s.into(), file]
        })
        .collect();
    rows.push([
        "民权县".into(),
        "2024".into(),
        "花园乡".into(),
        "not_in_roster".into(),
        "民权县/2024/花园乡.txt".into(),
    ]);
    rows
}

fn assert_roster_csv(f: &Folder, order: &[&str]) {
    let got = f.csv("roster.csv");
    assert_eq!(got[0], ["county", "year", "unit", "status", "file"]);
    let want = expected(order);
    assert_eq!(got.len() - 1, want.len(), "{got:?}");
    for (g, w) in got[1..].iter().zip(&want) {
        assert_eq!(g, w, "roster.csv line of {}", w[2]);
    }
    // And files.csv agrees about the files themselves.
    assert_eq!(f.status(REJECTED).0, "rejected");
    assert_eq!(f.status("民权县/2024/程庄镇.txt").0, "partial");
    assert!(f.status("民权县/2024/程庄镇.txt").1.contains('4'), "the reason names table 4");
    assert_eq!(f.status("民权县/2024/孙六镇（修改稿）.txt").0, "duplicate");
    assert_eq!(f.status("民权县/2024/北关镇.txt").0, "parsed");
}

fn workbook(f: &Folder) -> Book {
    open_workbook(f.out().join("county_rollup.xlsx")).expect("the workbook opens")
}

fn fill(wb: &mut Book, sheet: &str, pos: (u32, u32)) -> Option<(u8, u8, u8)> {
    let styles = wb.worksheet_style(sheet).unwrap();
    let c = styles.get(pos).and_then(|s| s.fill.as_ref()).and_then(|f| f.get_color())?;
    Some((c.red, c.green, c.blue))
}

const ORANGE: (u8, u8, u8) = (0xF8, 0xCB, 0xAD);

/// The 报送情况 sheet holds roster.csv's lines in its order, with the
/// category, the status as a person reads it (`words`: status → word) and
/// every file on a line of its own; the missing unit filled orange; the
/// count per county-year under the list.
fn assert_roster_sheet(
    f: &Folder,
    header: [&str; 7],
    category: impl Fn(&str) -> &'static str,
    words: impl Fn(&str) -> &'static str,
    count: &str,
) {
    let csv = f.csv("roster.csv");
    let mut wb = workbook(f);
    let s = wb.worksheet_range("报送情况").expect("the 报送情况 sheet");
    let got: Vec<String> = (0..7).map(|c| any(&s, (1, c))).collect();
    assert_eq!(got, header);
    for (k, line) in csv[1..].iter().enumerate() {
        let r = k as u32 + 2;
        let got: Vec<String> = (0..7).map(|c| any(&s, (r, c))).collect();
        let want = [
            (k + 1).to_string(),
            line[0].clone(),
            line[1].clone(),
            line[2].clone(),
            category(&line[2]).to_string(),
            words(&line[3]).to_string(),
            line[4].replace("; ", "\n"),
        ];
        assert_eq!(got, want, "sheet row {r}");
        let orange = fill(&mut wb, "报送情况", (r, 3)) == Some(ORANGE);
        assert_eq!(orange, line[3] == "missing", "{line:?} filled orange only when missing");
    }
    let end = csv.len() as u32 + 1;
    assert!((end..=last_row(&s)).any(|r| any(&s, (r, 0)) == count), "the count line {count:?} under the list");
}

/// The first sheet is the county's table 3 (247 new requests from the
/// seven reports summed), then each category's sum in `parts` order: the
/// title and the new requests' 总计 right under it.
fn assert_table3_parts(f: &Folder, parts: &[(&str, f64)]) {
    let mut wb = workbook(f);
    let names = wb.sheet_names();
    assert_eq!(names[0], "民权县2024表三", "{names:?}");
    assert!(names.contains(&"报送情况".to_string()), "{names:?}");
    let s = wb.worksheet_range("民权县2024表三").unwrap();
    let title = any(&s, (0, 0));
    assert!(title.contains("（7 份报告合计）") || title.contains("(the sum of 7 reports)"), "{title}");
    assert_eq!(any(&s, (4, 0)), "一、本年新收政府信息公开申请数量");
    assert_eq!(number(&s, (4, 9)), 247.0, "1+2+4+16+32+64+128: the duplicates not summed");
    let at = |t: &str| (0..=last_row(&s)).find(|&r| any(&s, (r, 0)) == t).unwrap_or_else(|| panic!("no row {t}"));
    let rows: Vec<u32> = parts.iter().map(|(t, _)| at(t)).collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "in the list's order of categories: {rows:?}");
    let mut sum = 0.0;
    for ((t, n), r) in parts.iter().zip(&rows) {
        assert_eq!(any(&s, (r + 1, 0)), "一、本年新收政府信息公开申请数量", "{t}");
        assert_eq!(number(&s, (r + 1, 9)), *n, "{t}");
        sum += n;
    }
    assert_eq!(sum, 247.0, "the parts add up to the county");
}

/// 各单位 lists the reports in the list's order (those not on it last), and
/// 核查问题 each severity's findings in that order.
fn assert_sheets_in_list_order(f: &Folder, order: &[&str]) {
    let mut wb = workbook(f);
    let s = wb.worksheet_range("各单位").unwrap();
    let units: Vec<String> = (1..=last_row(&s)).map(|r| any(&s, (r, 2))).collect();
    let mut want: Vec<&str> = Vec::new();
    for u in order.iter().chain(&["花园乡"]) {
        // 孙六镇's two files; no line for the rejected or missing units.
        let n = match *u {
            "孙六镇" => 2,
            "王庄寨镇" | "双塔镇" => 0,
            _ => 1,
        };
        want.extend(std::iter::repeat_n(*u, n));
    }
    assert_eq!(units, want, "各单位 in the list's order");
    let s = wb.worksheet_range("核查问题").unwrap();
    let rank = |u: &str| order.iter().position(|o| *o == u).unwrap_or(usize::MAX);
    let lines: Vec<(String, usize)> = (1..=last_row(&s)).map(|r| (any(&s, (r, 5)), rank(&any(&s, (r, 2))))).collect();
    assert!(lines.iter().any(|(_, r)| *r == rank("孙六镇")), "the duplicate is a finding: {lines:?}");
    for w in lines.windows(2) {
        assert!(w[0].0 != w[1].0 || w[0].1 <= w[1].1, "核查问题 in the list's order within a severity: {lines:?}");
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn gbk_csv_roster_as_excel_saves_it() {
    let f = inputs();
    // Excel's 「CSV（逗号分隔）」 on Chinese Windows: GBK, CRLF, no BOM. The
    // names as the office writes them: 人民政府, traditional script,
    // 办事处, full-width spaces.
    let list = "序号,县,单位,类别\r\n\
                1,民权县,人和镇人民政府,乡镇\r\n\
                2,民权县,双塔镇,乡镇\r\n\
                3,民权县,北关镇,乡镇\r\n\
                4,民权县,龍塘鎮,乡镇\r\n\
                5,民权县,孙六镇,乡镇\r\n\
                6,民权县,王庄寨镇,乡镇\r\n\
                7,民权县,程庄镇 人民政府,乡镇\r\n\
                8,民权县,北关街道办事处,乡镇\r\n\
                9,民權縣,教\u{3000}育\u{3000}局,部门\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(list);
    assert!(!unmappable && std::str::from_utf8(&gbk).is_err(), "really GBK");
    let path = f.dir.path().join("单位名单.csv");
    fs::write(&path, &gbk).unwrap();

    let out = f.cmd_zh().arg("--xlsx").arg("--roster").arg(&path).assert().code(1).get_output().clone();
    let order = ["人和镇", "双塔镇", "北关镇", "龙塘镇", "孙六镇", "王庄寨镇", "程庄镇", "北关街道", "教育局"];
    assert_roster_csv(&f, &order);
    let err = stderr(&out);
    let missing = err.lines().find(|l| l.contains("未报送：")).unwrap_or_else(|| panic!("no missing line:\n{err}"));
    assert_eq!(missing.trim(), "未报送：民权县2024年双塔镇", "only the unit with no file");
    assert!(err.contains(&format!("未能读取 {REJECTED}")), "{err}");

    let words = |s: &str| match s {
        "submitted" => "已报送",
        "missing" => "未报送",
        "duplicate" => "重复报送",
        "rejected" => "未能读取",
        "partial" => "部分表格未汇总",
        "not_in_roster" => "不在名单内",
        other => panic!("{other}"),
    };
    let category = |u: &str| match u {
        "教育局" => "部门",
        "花园乡" => "",
        _ => "乡镇",
    };
    assert_roster_sheet(
        &f,
        ["序号", "县", "年度", "单位", "类别", "状态", "文件"],
        category,
        words,
        "民权县 2024 年：名单内 9 个单位，已报送 5，部分表格未汇总 1，重复报送 1，未能读取 1，未报送 1；不在名单内 1",
    );
    assert_table3_parts(
        &f,
        &[
            ("民权县 2024 年  其中：乡镇合计（5 份报告）", 55.0),
            ("民权县 2024 年  其中：部门合计（1 份报告）", 64.0),
            ("民权县 2024 年  其中：名单未分类或不在名单内的单位合计（1 份报告）", 128.0),
        ],
    );
    assert_sheets_in_list_order(&f, &order);
}

#[test]
fn xlsx_roster_with_english_headers() {
    let f = inputs();
    // Another order (the department first), English headers under a title
    // row, the county merged down its units as offices lay a list out.
    let path = f.dir.path().join("units.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    ws.merge_range(0, 0, 0, 3, "民权县 2024 年度报送单位名单", &plain).unwrap();
    for (c, h) in ["No", "County", "Unit", "Category"].iter().enumerate() {
        ws.write(2, c as u16, *h).unwrap();
    }
    let units = [
        ("教育局", "部门"),
        ("程庄镇人民政府", "乡镇"),
        ("北關街道辦事處", "乡镇"),
        ("王庄寨镇", "乡镇"),
        ("孙六镇", "乡镇"),
        ("龙塘镇", "乡镇"),
        ("北关镇", "乡镇"),
        ("双塔镇", "乡镇"),
        ("人和镇", "乡镇"),
    ];
    for (k, (u, c)) in units.iter().enumerate() {
        let r = 3 + k as u32;
        ws.write(r, 0, k as f64 + 1.0).unwrap();
        ws.write(r, 2, *u).unwrap();
        ws.write(r, 3, *c).unwrap();
    }
    ws.merge_range(3, 1, 3 + units.len() as u32 - 1, 1, "民权县", &plain).unwrap();
    wb.save(&path).unwrap();

    let out = f.cmd().arg("--xlsx").arg("--roster").arg(&path).assert().code(1).get_output().clone();
    let order = ["教育局", "程庄镇", "北关街道", "王庄寨镇", "孙六镇", "龙塘镇", "北关镇", "双塔镇", "人和镇"];
    assert_roster_csv(&f, &order);
    let err = stderr(&out);
    assert!(err.lines().any(|l| l.trim() == "missing: 民权县2024年双塔镇"), "{err}");

    let category = |u: &str| match u {
        "教育局" => "部门",
        "花园乡" => "",
        _ => "乡镇",
    };
    let words = |s: &str| -> &'static str {
        ["submitted", "missing", "duplicate", "rejected", "partial", "not_in_roster"]
            .into_iter()
            .find(|w| *w == s)
            .unwrap()
    };
    assert_roster_sheet(
        &f,
        ["no", "county", "year", "unit", "category", "status", "file"],
        category,
        words,
        "民权县 2024: 9 units listed: 5 submitted, 1 partial, 1 duplicate, 1 rejected, 1 missing; 1 not in the list",
    );
    assert_table3_parts(
        &f,
        &[
            ("民权县 2024  of which: 部门 total (1 reports)", 64.0),
            ("民权县 2024  of which: 乡镇 total (5 reports)", 55.0),
            ("民权县 2024  of which: units the list gives no category (1 reports)", 128.0),
        ],
    );
    assert_sheets_in_list_order(&f, &order);
}

/// Regression: a broken file named as reports are published
/// (`王庄寨镇人民政府2024年政府信息公开工作年度报告.docx`) was not matched to
/// 王庄寨镇: the list said the unit was missing instead of rejected, and the
/// terminal named it among the missing.
#[test]
fn regression_a_rejected_file_named_like_the_published_report_counts_for_its_unit() {
    let f = Folder::new();
    f.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1)).put(REJECTED, b"PK\x03\x04 broken");
    f.put("../list.csv", "县,单位\n民权县,人和镇\n民权县,王庄寨镇\n");
    let out = f.cmd().arg("--roster").arg(f.dir.path().join("list.csv")).assert().code(1).get_output().stderr.clone();
    let rows = f.csv("roster.csv");
    assert_eq!(rows[2], ["民权县", "2024", "王庄寨镇", "rejected", REJECTED]);
    assert_eq!(rows.len(), 3, "not a unit of its own either: {rows:?}");
    assert!(!String::from_utf8(out).unwrap().contains("missing:"));
}

/// Regression: a rejected file in a folder that names no county (`--county`
/// gives it) was dropped from the list, and its unit called missing.
#[test]
fn regression_a_rejected_file_without_a_county_folder_counts_for_its_unit() {
    let f = Folder::new();
    f.put("2024年报/人和镇.txt", report("人和镇", 2024, 1)).put("2024年报/王庄寨镇.docx", b"PK\x03\x04 broken");
    f.put("../list.csv", "县,单位\n民权县,人和镇\n民权县,王庄寨镇\n");
    f.cmd().arg("--county").arg("民权县").arg("--roster").arg(f.dir.path().join("list.csv")).assert().code(1);
    let rows = f.csv("roster.csv");
    assert_eq!(rows[2], ["民权县", "2024", "王庄寨镇", "rejected", "2024年报/王庄寨镇.docx"]);
}

/// Regression: an .xlsx list laid out as offices do, a title row above the
/// header and 县 and 类别 each merged down their units, was refused (no
/// header in the first row) and, with the title gone, read every unit but
/// the first without its county or category (Excel keeps a merged cell's
/// value in its first cell).
#[test]
fn regression_an_xlsx_list_with_a_title_row_and_merged_cells() {
    let f = Folder::new();
    f.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1))
        .put("民权县/2024/龙塘镇.txt", report("龙塘镇", 2024, 2))
        .put("民权县/2024/教育局.txt", report("教育局", 2024, 4));
    let path = f.dir.path().join("名单.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    ws.merge_range(0, 0, 0, 2, "2024年度政务公开报送单位名单", &plain).unwrap();
    for (c, h) in ["县", "类别", "单位"].iter().enumerate() {
        ws.write(1, c as u16, *h).unwrap();
    }
    for (r, u) in ["人和镇", "龙塘镇", "双塔镇", "教育局"].iter().enumerate() {
        ws.write(2 + r as u32, 2, *u).unwrap();
    }
    ws.merge_range(2, 0, 5, 0, "民权县", &plain).unwrap();
    ws.merge_range(2, 1, 4, 1, "乡镇", &plain).unwrap();
    ws.write(5, 1, "部门").unwrap();
    wb.save(&path).unwrap();
    f.cmd_zh().arg("--xlsx").arg("--roster").arg(&path).assert().code(0);
    let rows = f.csv("roster.csv");
    let got: Vec<(&str, &str)> = rows[1..].iter().map(|r| (r[2].as_str(), r[3].as_str())).collect();
    assert_eq!(got, [("人和镇", "submitted"), ("龙塘镇", "submitted"), ("双塔镇", "missing"), ("教育局", "submitted")]);
    let mut wb = workbook(&f);
    let s = wb.worksheet_range("报送情况").unwrap();
    let categories: Vec<String> = (2..6).map(|r| any(&s, (r, 4))).collect();
    assert_eq!(categories, ["乡镇", "乡镇", "乡镇", "部门"]);
    let t = wb.worksheet_range("民权县2024表三").unwrap();
    assert!((0..=last_row(&t)).any(|r| any(&t, (r, 0)) == "民权县 2024 年  其中：乡镇合计（2 份报告）"));
}
