//! `--xlsx` end to end: the workbook is opened with calamine and read cell by
//! cell (numbers, merged header and group labels, fills); and
//! requests_yoy.csv with two years.

use assert_cmd::Command;
use calamine::{Data, Dimensions, HorizontalAlignment, Range, Reader, Xlsx, open_workbook};
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SEED: &str = include_str!("fixtures/real/seed-renhe-2024.txt");

/// The seed report, renamed to another unit and year, with its one request
/// moved to `n` requests of natural persons (all rows stay consistent).
fn report(unit: &str, year: u16, n: u64) -> String {
    let mut s = SEED.replace("人和镇", unit).replace("2024", &year.to_string());
    let one = |label: &str| format!("{label}\t1\t0\t0\t0\t0\t0\t1");
    let many = |label: &str| format!("{label}\t{n}\t0\t0\t0\t0\t0\t{n}");
    for label in ["一、本年新收政府信息公开申请数量\t", "三、本年度办理结果\t(一) 予以公开"]
    {
        s = s.replace(&one(label), &many(label));
    }
    s = s.replace("(七) 总计\t1\t0\t0\t0\t0\t0\t1", &format!("(七) 总计\t{n}\t0\t0\t0\t0\t0\t{n}"));
    s.replace("共接到政府信息公开申请 1 件", &format!("共接到政府信息公开申请 {n} 件"))
}

struct Folder {
    dir: TempDir,
}

impl Folder {
    fn new() -> Folder {
        Folder { dir: tempfile::tempdir().unwrap() }
    }
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
    fn put(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Folder {
        let p = self.data().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
        self
    }
    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("county-rollup").unwrap();
        c.arg(self.data()).arg("--out").arg(self.out());
        c
    }
    fn csv(&self, name: &str) -> Vec<Vec<String>> {
        read_csv(&self.out().join(name))
    }
    fn workbook(&self) -> Xlsx<std::io::BufReader<fs::File>> {
        open_workbook(self.out().join("county_rollup.xlsx")).expect("the workbook opens")
    }
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(path).unwrap();
    let text = text.strip_prefix('\u{FEFF}').expect("BOM first");
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
}

/// A county with three 2024 reports (one whose row total is off), one 2023
/// report, an image and a file that is not a report.
fn sample() -> Folder {
    let f = Folder::new();
    let off = report("北关镇", 2024, 2).replace(
        "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2",
        "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t3",
    );
    f.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1))
        .put("民权县/2024/龙塘镇.txt", report("龙塘镇", 2024, 4))
        .put("民权县/2024/北关镇.txt", off)
        .put("民权县/2023/人和镇.txt", report("人和镇", 2023, 2))
        .put("民权县/2024/photo.png", [0x89, b'P', b'N', b'G'])
        .put("民权县/2024/会议纪要.txt", "会议纪要\n\n今天开会。");
    f
}

fn text(range: &Range<Data>, pos: (u32, u32)) -> String {
    match range.get_value(pos) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => panic!("{pos:?}: expected text, found {other:?}"),
    }
}

fn number(range: &Range<Data>, pos: (u32, u32)) -> f64 {
    match range.get_value(pos) {
        Some(Data::Float(v)) => *v,
        Some(Data::Int(v)) => *v as f64,
        other => panic!("{pos:?}: expected a number, found {other:?}"),
    }
}

/// The row whose cell in `col` holds `label`.
fn row_of(range: &Range<Data>, col: u32, label: &str) -> u32 {
    let (r0, _) = range.start().unwrap();
    let (r1, _) = range.end().unwrap();
    (r0..=r1).find(|&r| text(range, (r, col)) == label).unwrap_or_else(|| panic!("no row labelled {label}"))
}

fn dims(r0: u32, c0: u32, r1: u32, c1: u32) -> Dimensions {
    Dimensions::new((r0, c0), (r1, c1))
}

#[test]
fn table3_sheet_is_laid_out_like_the_form() {
    let f = sample();
    f.cmd().arg("--xlsx").assert().code(1);
    let mut wb = f.workbook();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        ["民权县2023表三", "民权县2024表三", "表二 主动公开", "表四 复议诉讼", "同比", "各单位", "文件"],
        "sheet order"
    );
    assert!(names.iter().all(|n| n.chars().count() <= 31));

    let sheet = "民权县2024表三";
    let r = wb.worksheet_range(sheet).unwrap();
    assert!(
        text(&r, (0, 0)).contains("民权县 2024 年") && text(&r, (0, 0)).contains("3 份报告"),
        "{}",
        text(&r, (0, 0))
    );
    // The header: note in the corner, 申请人情况 over the six applicant
    // columns, 自然人 and 总计 reaching down, the five 法人或其他组织 columns.
    assert!(text(&r, (1, 0)).contains("勾稽关系"));
    assert_eq!(text(&r, (1, 3)), "申请人情况");
    assert_eq!(text(&r, (2, 3)), "自然人");
    assert_eq!(text(&r, (2, 4)), "法人或其他组织");
    let leaves: Vec<String> = (4..9).map(|c| text(&r, (3, c))).collect();
    assert_eq!(leaves, ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]);
    assert_eq!(text(&r, (1, 9)), "总计");

    // Numbers: 1 + 4 + 2 new requests, the 北关镇 总计 stated as 3.
    let new = row_of(&r, 0, "一、本年新收政府信息公开申请数量");
    assert_eq!(new, 4, "data starts under the three header rows");
    let values: Vec<f64> = (3..10).map(|c| number(&r, (new, c))).collect();
    assert_eq!(values, [7.0, 0.0, 0.0, 0.0, 0.0, 0.0, 8.0]);
    let granted = row_of(&r, 1, "(一) 予以公开");
    assert_eq!(number(&r, (granted, 3)), 7.0);
    assert_eq!(text(&r, (granted, 0)), "三、本年度办理结果");
    let total = row_of(&r, 1, "(七) 总计");
    assert_eq!(number(&r, (total, 9)), 7.0);
    let forward = row_of(&r, 0, "四、结转下年度继续办理");
    assert_eq!(forward, total + 1);
    assert_eq!(forward, new + 24, "25 rows of the 2021 form");

    // Merged cells: the header and the nested row labels.
    let merged = wb.merge_cells_by_sheet_name(sheet).unwrap();
    let must = [
        (dims(1, 0, 3, 2), "corner note"),
        (dims(1, 3, 1, 8), "申请人情况"),
        (dims(2, 3, 3, 3), "自然人"),
        (dims(2, 4, 2, 8), "法人或其他组织"),
        (dims(1, 9, 3, 9), "总计"),
        (dims(new, 0, new, 2), "一、本年新收"),
        (dims(granted, 0, total, 0), "三、本年度办理结果"),
        (dims(granted, 1, granted, 2), "(一) 予以公开"),
        (dims(forward, 0, forward, 2), "四、结转下年度"),
    ];
    for (d, what) in must {
        assert!(merged.contains(&d), "{what}: {d:?} not merged in {merged:?}");
    }
    for (label, rows) in [("(三) 不予公开", 8), ("(四) 无法提供", 3), ("(五) 不予处理", 5), ("(六) 其他处理", 3)]
    {
        let first = row_of(&r, 1, label);
        assert!(merged.contains(&dims(first, 1, first + rows - 1, 1)), "{label} over its {rows} rows");
        assert!(text(&r, (first, 2)).starts_with("1. "), "{label}: sub-row 1 beside it");
    }
    assert_eq!(text(&r, (row_of(&r, 1, "(三) 不予公开") + 7, 2)), "8. 属于行政查询事项");

    // Numbers are right-aligned; the header is frozen (checked via styles).
    let styles = wb.worksheet_style(sheet).unwrap();
    let align = styles.get((new, 3)).and_then(|s| s.alignment.as_ref()).map(|a| a.horizontal);
    assert_eq!(align, Some(HorizontalAlignment::Right));

    // The 2023 sheet holds 2023 alone.
    let r23 = wb.worksheet_range("民权县2023表三").unwrap();
    assert_eq!(number(&r23, (row_of(&r23, 0, "一、本年新收政府信息公开申请数量"), 9)), 2.0);
}

#[test]
fn tables_2_and_4_sheets() {
    let f = sample();
    f.put(
        "民权县/2024/复议.txt",
        report("城关镇", 2024, 1)
            .replace("0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", "1\t0\t0\t1\t2\t0\t0\t0\t0\t0\t0\t1\t0\t0\t1"),
    );
    f.cmd().arg("--xlsx").assert().code(1);
    let mut wb = f.workbook();
    let t4 = wb.worksheet_range("表四 复议诉讼").unwrap();
    assert_eq!(text(&t4, (1, 3)), "行政复议");
    assert_eq!(text(&t4, (1, 8)), "行政诉讼");
    assert_eq!(text(&t4, (2, 8)), "未经复议直接起诉");
    assert_eq!(text(&t4, (2, 13)), "复议后起诉");
    assert_eq!(text(&t4, (3, 3)), "结果维持");
    assert_eq!(text(&t4, (3, 17)), "总计");
    assert_eq!(t4.end().unwrap().0, 5, "one line per county-year under the three header rows");
    let y24 = (4..=5).find(|&r| number(&t4, (r, 1)) == 2024.0).unwrap();
    assert_eq!(text(&t4, (y24, 0)), "民权县");
    assert_eq!(number(&t4, (y24, 2)), 4.0, "units");
    assert_eq!(number(&t4, (y24, 3)), 1.0);
    assert_eq!(number(&t4, (y24, 7)), 2.0);
    assert_eq!(number(&t4, (y24, 17)), 1.0);
    let merged = wb.merge_cells_by_sheet_name("表四 复议诉讼").unwrap();
    assert!(merged.contains(&dims(1, 3, 2, 7)), "行政复议 over two rows and five columns: {merged:?}");
    assert!(merged.contains(&dims(1, 8, 1, 17)), "行政诉讼 over ten columns");
    assert!(merged.contains(&dims(2, 8, 2, 12)), "未经复议直接起诉 over five columns");

    let t2 = wb.worksheet_range("表二 主动公开").unwrap();
    let rows: Vec<(String, f64, String, String)> = (2..t2.end().unwrap().0 + 1)
        .map(|r| (text(&t2, (r, 0)), number(&t2, (r, 1)), text(&t2, (r, 3)), text(&t2, (r, 4))))
        .collect();
    assert_eq!(rows.len(), 2 * 10, "ten measures of the 2021 form per county-year");
    assert_eq!(rows[0], ("民权县".into(), 2023.0, "规章".into(), "本年制发件数".into()));
}

#[test]
fn units_and_files_sheets() {
    let f = sample();
    f.cmd().arg("--xlsx").assert().code(1);
    let mut wb = f.workbook();
    let u = wb.worksheet_range("各单位").unwrap();
    let header: Vec<String> = (0..10).map(|c| text(&u, (0, c))).collect();
    assert_eq!(header[..4], ["县", "年度", "单位", "文件"]);
    assert_eq!(header[4], "一、本年新收政府信息公开申请数量");
    assert_eq!(header[7], "四、结转下年度继续办理");
    assert_eq!(header[8..], ["错误", "警告"]);
    let units: Vec<(String, String, Vec<f64>)> = (1..=u.end().unwrap().0)
        .map(|r| (text(&u, (r, 2)), text(&u, (r, 3)), (4..10).map(|c| number(&u, (r, c))).collect()))
        .collect();
    assert_eq!(units.len(), 4, "one line per report read");
    assert_eq!(units[0].1, "民权县/2023/人和镇.txt", "in file order");
    let bei = units.iter().position(|x| x.0 == "北关镇").unwrap();
    assert_eq!(units[bei].2[..4], [3.0, 2.0, 2.0, 0.0], "new_requests, granted, total_processed, carried_forward");
    assert!(units[bei].2[4] >= 2.0, "row_total and balance fail: {:?}", units[bei].2);
    let long = units.iter().position(|x| x.0 == "龙塘镇").unwrap();
    assert_eq!(units[long].2, [4.0, 4.0, 4.0, 0.0, 0.0, 0.0]);

    // The report with failed error checks is filled; the others are not.
    let styles = wb.worksheet_style("各单位").unwrap();
    let fill =
        |r: usize, c: u32| styles.get((r as u32 + 1, c)).and_then(|s| s.fill.as_ref()).and_then(|f| f.get_color());
    for c in 0..10 {
        assert_eq!(fill(bei, c), Some(calamine::Color::rgb(0xFF, 0xC7, 0xCE)), "column {c}");
    }
    assert_eq!(fill(long, 0), None);

    // The files sheet holds what files.csv holds.
    let files = f.csv("files.csv");
    let s = wb.worksheet_range("文件").unwrap();
    let sheet: Vec<Vec<String>> =
        (0..=s.end().unwrap().0).map(|r| (0..7).map(|c| text(&s, (r, c))).collect()).collect();
    assert_eq!(sheet, files);
    assert_eq!(sheet.len(), 1 + 6);
}

#[test]
fn no_workbook_without_the_flag_and_none_half_written() {
    let f = sample();
    f.cmd().assert().code(1);
    assert!(!f.out().join("county_rollup.xlsx").exists());
    f.cmd().arg("--xlsx").assert().code(1);
    let names: Vec<String> =
        fs::read_dir(f.out()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.contains(&"county_rollup.xlsx".to_string()));
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
    // Run again with the output inside the input: the workbook is skipped.
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    let out = f.data().join("out");
    c.arg(f.data()).arg("--out").arg(&out).arg("--xlsx").assert().code(1);
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    c.arg(f.data()).arg("--out").arg(&out).arg("--xlsx").assert().code(1);
    let files = read_csv(&out.join("files.csv"));
    let wb = files.iter().find(|r| r[0] == "out/county_rollup.xlsx").expect("listed");
    assert_eq!(wb[1], "skipped");
}

#[test]
fn help_mentions_the_flag_and_merge() {
    let mut c = Command::cargo_bin("county-rollup").unwrap();
    let out = c.arg("--help").assert().code(0).get_output().stdout.clone();
    let help = String::from_utf8(out).unwrap();
    assert!(help.contains("--xlsx"), "{help}");
    assert!(help.contains("merge"), "{help}");
    assert!(help.contains("requests_yoy.csv"), "{help}");
}

#[test]
fn requests_yoy_with_two_years() {
    let f = Folder::new();
    f.put("民权县/2023/人和镇.txt", report("人和镇", 2023, 2))
        .put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1))
        .put("民权县/2024/龙塘镇.txt", report("龙塘镇", 2024, 4))
        .put("睢县/2024/城关镇.txt", report("城关镇", 2024, 3).replace("民权县", "睢县"))
        .put("睢县/2022/城关镇.txt", report("城关镇", 2022, 3).replace("民权县", "睢县"));
    f.cmd().arg("--xlsx").assert().code(0);
    let yoy = f.csv("requests_yoy.csv");
    assert_eq!(
        yoy[0],
        ["county", "year", "row", "label", "this_year_total", "last_year_total", "change", "change_pct"]
    );
    // Only 民权县 2024 has its previous year: 睢县 2024's is 2022.
    assert_eq!(yoy.len(), 1 + 25);
    assert!(yoy[1..].iter().all(|r| r[0] == "民权县" && r[1] == "2024"));
    let keys: Vec<&str> = yoy[1..].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(keys[0], "new_requests");
    assert_eq!(keys[24], "carried_forward");
    let new = &yoy[1];
    assert_eq!(new[3], "一、本年新收政府信息公开申请数量");
    assert_eq!(new[4..], ["5", "2", "3", "150.0"]);
    let carried = yoy.iter().find(|r| r[2] == "carried_over").unwrap();
    assert_eq!(carried[4..], ["0", "0", "0", ""], "no percentage of 0");

    let mut wb = f.workbook();
    let s = wb.worksheet_range("同比").unwrap();
    assert_eq!(text(&s, (0, 7)), "change_pct");
    assert_eq!(text(&s, (1, 2)), "new_requests");
    assert_eq!(
        (number(&s, (1, 4)), number(&s, (1, 5)), number(&s, (1, 6)), number(&s, (1, 7))),
        (5.0, 2.0, 3.0, 150.0)
    );
    assert_eq!(text(&s, (2, 2)), "carried_over");
    assert!(matches!(s.get_value((2, 7)), None | Some(Data::Empty)), "no percentage of 0");
}

#[test]
fn requests_yoy_header_only_for_one_year() {
    let f = Folder::new();
    f.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1));
    f.cmd().assert().code(0);
    assert_eq!(f.csv("requests_yoy.csv").len(), 1);
}

#[test]
fn same_workbook_with_one_thread_and_many() {
    let f = sample();
    let run = |threads: &str| {
        let mut c = f.cmd();
        c.env("SOURCE_DATE_EPOCH", "1700000000").arg("--xlsx").arg(threads).assert().code(1);
        fs::read(f.out().join("county_rollup.xlsx")).unwrap()
    };
    assert_eq!(run("-j1"), run("-j4"), "byte for byte, given a fixed creation date");
}
