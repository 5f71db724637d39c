//! `--xlsx` end to end: the workbook (and the send-back notices) opened with
//! calamine and read cell by cell (numbers, merged header and group labels,
//! fills), the print settings and row heights read from the sheets' XML;
//! and requests_yoy.csv with two years.

use crate::util::{Folder, any, last_row, number, read_csv, report};
use assert_cmd::Command;
use calamine::{Data, Dimensions, HorizontalAlignment, Range, Reader, Xlsx, open_workbook};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

type Book = Xlsx<std::io::BufReader<fs::File>>;

fn workbook(f: &Folder) -> Book {
    open_workbook(f.out().join("county_rollup.xlsx")).expect("the workbook opens")
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

/// A corpus breaking rules of every kind: a row total (and with it the
/// balance), the balance alone, a table-4 total, a carry chain across two
/// years (城关镇 2023 carries 1 forward, 2024 carries 0 over), a duplicate
/// (two different 龙塘镇 2024 files); and reports without a finding.
fn broken() -> Folder {
    let f = Folder::new();
    let off = report("北关镇", 2024, 2).replace(
        "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2",
        "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t3",
    );
    let carry = report("城关镇", 2023, 2)
        .replace("四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0", "四、结转下年度继续办理\t\t1\t0\t0\t0\t0\t0\t1");
    let review = report("城关镇", 2024, 3)
        .replace("0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", "1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0");
    f.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1))
        .put("民权县/2023/人和镇.txt", report("人和镇", 2023, 1))
        .put("民权县/2024/北关镇.txt", off)
        .put("民权县/2023/城关镇.txt", carry)
        .put("民权县/2024/城关镇.txt", review)
        .put("民权县/2024/龙塘镇.txt", report("龙塘镇", 2024, 4))
        .put("民权县/2024/龙塘镇（修改稿）.txt", report("龙塘镇", 2024, 5))
        .put("民权县/2024/坏文件.txt", "会议纪要\n\n今天开会。");
    f
}

fn text(range: &Range<Data>, pos: (u32, u32)) -> String {
    match range.get_value(pos) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => panic!("{pos:?}: expected text, found {other:?}"),
    }
}

/// The row whose cell in `col` holds `label`.
fn row_of(range: &Range<Data>, col: u32, label: &str) -> u32 {
    (0..=last_row(range)).find(|&r| any(range, (r, col)) == label).unwrap_or_else(|| panic!("no row labelled {label}"))
}

fn dims(r0: u32, c0: u32, r1: u32, c1: u32) -> Dimensions {
    Dimensions::new((r0, c0), (r1, c1))
}

/// The fill colour of a cell, as (red, green, blue).
fn fill(wb: &mut Book, sheet: &str, pos: (u32, u32)) -> Option<(u8, u8, u8)> {
    let styles = wb.worksheet_style(sheet).unwrap();
    let c = styles.get(pos).and_then(|s| s.fill.as_ref()).and_then(|f| f.get_color())?;
    Some((c.red, c.green, c.blue))
}

const RED: (u8, u8, u8) = (0xFF, 0xC7, 0xCE);
const ORANGE: (u8, u8, u8) = (0xF8, 0xCB, 0xAD);

/// A file of the xlsx zip, as text.
fn zip_text(path: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")).read_to_string(&mut s).unwrap();
    s
}

/// The XML of the `k`th sheet (0-based, in the workbook's order).
fn sheet_xml(path: &Path, k: usize) -> String {
    zip_text(path, &format!("xl/worksheets/sheet{}.xml", k + 1))
}

/// The height a sheet's XML sets on (0-based) row `r`, if it sets one.
fn row_height(xml: &str, r: u32) -> Option<f64> {
    let re = regex::Regex::new(&format!(r#"<row r="{}"[^>]*?ht="([0-9.]+)"[^>]*customHeight="1""#, r + 1)).unwrap();
    re.captures(xml).map(|c| c[1].parse().unwrap())
}

#[test]
fn table3_sheet_is_laid_out_like_the_form() {
    let f = sample();
    f.cmd_zh().arg("--xlsx").assert().code(1);
    let mut wb = workbook(&f);
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "民权县2023表三",
            "民权县2024表三",
            "表二 主动公开",
            "表四 复议诉讼",
            "核查问题",
            "同比",
            "表二同比",
            "表四同比",
            "各单位",
            "文件"
        ],
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
    assert_eq!(text(&r, (0, 9)), "单位：件");
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
    // The form's full-width brackets and quotes.
    let granted = row_of(&r, 1, "（一）予以公开");
    assert_eq!(number(&r, (granted, 3)), 7.0);
    assert_eq!(text(&r, (granted, 0)), "三、本年度办理结果");
    let total = row_of(&r, 1, "（七）总计");
    assert_eq!(number(&r, (total, 9)), 7.0);
    let forward = row_of(&r, 0, "四、结转下年度继续办理");
    assert_eq!(forward, total + 1);
    assert_eq!(forward, new + 24, "25 rows of the 2021 form");
    row_of(&r, 2, "3.危及“三安全一稳定”");
    // Under the table: the lines for who filled it in.
    let sign = row_of(&r, 0, "填报单位：");
    assert!(sign > forward);
    assert_eq!(text(&r, (sign, 3)), "负责人：");
    assert!(text(&r, (sign, 6)).starts_with("日期："));

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
    for (label, rows) in [("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5), ("（六）其他处理", 3)]
    {
        let first = row_of(&r, 1, label);
        assert!(merged.contains(&dims(first, 1, first + rows - 1, 1)), "{label} over its {rows} rows");
        assert!(text(&r, (first, 2)).starts_with("1."), "{label}: sub-row 1 beside it");
    }
    assert_eq!(text(&r, (row_of(&r, 1, "（三）不予公开") + 7, 2)), "8.属于行政查询事项");

    // Numbers are right-aligned.
    let styles = wb.worksheet_style(sheet).unwrap();
    let align = styles.get((new, 3)).and_then(|s| s.alignment.as_ref()).map(|a| a.horizontal);
    assert_eq!(align, Some(HorizontalAlignment::Right));

    // The 2023 sheet holds 2023 alone.
    let r23 = wb.worksheet_range("民权县2023表三").unwrap();
    assert_eq!(number(&r23, (row_of(&r23, 0, "一、本年新收政府信息公开申请数量"), 9)), 2.0);
}

#[test]
fn a_county_year_mixing_the_two_ways_of_writing_six_says_so() {
    let f = Folder::new();
    let lines: Vec<&str> = crate::util::SEED.split('\n').collect();
    let i = lines.iter().position(|l| l.starts_with("(六) 其他处理")).unwrap();
    let single = [&lines[..i], &["(六) 其他处理\t\t0\t0\t0\t0\t0\t0\t0\t"], &lines[i + 3..]].concat().join("\n");
    f.put("民权县/2024/双塔镇.txt", single.replace("人和镇", "双塔镇"))
        .put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1))
        .put("民权县/2024/龙塘镇.txt", report("龙塘镇", 2024, 2));
    f.cmd_zh().arg("--xlsx").assert().code(0);
    let mut wb = workbook(&f);
    let r = wb.worksheet_range("民权县2024表三").unwrap();
    let note = (0..=last_row(&r)).map(|k| text(&r, (k, 0))).find(|t| t.starts_with("注：")).expect("a note");
    assert!(note.contains("3 份报告中，1 份") && note.contains("2 份分为三项"), "{note}");
    // One way of writing alone: no note.
    let g = sample();
    g.cmd_zh().arg("--xlsx").assert().code(1);
    let r = workbook(&g).worksheet_range("民权县2024表三").unwrap();
    assert!((0..=last_row(&r)).all(|k| !text(&r, (k, 0)).starts_with("注：")));
}

#[test]
fn tables_2_and_4_sheets() {
    let f = sample();
    f.put(
        "民权县/2024/复议.txt",
        report("城关镇", 2024, 1)
            .replace("0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", "1\t0\t0\t1\t2\t0\t0\t0\t0\t0\t0\t1\t0\t0\t1"),
    );
    f.cmd_zh().arg("--xlsx").assert().code(1);
    let mut wb = workbook(&f);
    let t4 = wb.worksheet_range("表四 复议诉讼").unwrap();
    assert_eq!(text(&t4, (1, 3)), "行政复议");
    assert_eq!(text(&t4, (1, 8)), "行政诉讼");
    assert_eq!(text(&t4, (2, 8)), "未经复议直接起诉");
    assert_eq!(text(&t4, (2, 13)), "复议后起诉");
    assert_eq!(text(&t4, (3, 3)), "结果维持");
    assert_eq!(text(&t4, (3, 17)), "总计");
    assert_eq!(last_row(&t4), 5, "one line per county-year under the three header rows");
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

    // Table 2 as the form prints it: per county-year, the four sub-tables
    // of the 2021 form, each under its article and its own header.
    let t2 = wb.worksheet_range("表二 主动公开").unwrap();
    let title = row_of(&t2, 0, "民权县 2024 年  二、主动公开政府信息情况（4 份报告合计）");
    let at = |label: &str| (title..=last_row(&t2)).find(|&r| any(&t2, (r, 0)) == label).unwrap();
    let headings = ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"];
    let rows: Vec<u32> = headings.iter().map(|h| at(h)).collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "in the form's order: {rows:?}");
    assert_eq!(text(&t2, (rows[0] + 1, 0)), "信息内容");
    let measures: Vec<String> = (1..4).map(|c| text(&t2, (rows[0] + 1, c))).collect();
    assert_eq!(measures, ["本年制发件数", "本年废止件数", "现行有效件数"]);
    assert_eq!(text(&t2, (rows[0] + 2, 0)), "规章");
    assert_eq!(text(&t2, (rows[0] + 3, 0)), "行政规范性文件");
    assert_eq!(text(&t2, (rows[1] + 1, 1)), "本年处理决定数量");
    assert_eq!(text(&t2, (rows[1] + 2, 0)), "行政许可");
    assert_eq!((text(&t2, (rows[2] + 2, 0)), text(&t2, (rows[2] + 3, 0))), ("行政处罚".into(), "行政强制".into()));
    assert_eq!(text(&t2, (rows[3] + 1, 1)), "本年收费金额（单位：万元）");
    assert_eq!(text(&t2, (rows[3] + 2, 0)), "行政事业性收费");
    let proactive = f.csv("proactive.csv");
    let fee = proactive.iter().find(|r| r[1] == "2024" && r[3] == "fees").unwrap();
    assert_eq!(number(&t2, (rows[3] + 2, 1)), fee[6].parse::<f64>().unwrap());
    let merged = wb.merge_cells_by_sheet_name("表二 主动公开").unwrap();
    assert!(merged.contains(&dims(rows[3] + 1, 1, rows[3] + 1, 3)), "one measure over the three columns");
    // Amounts in 万元 keep their decimals.
    let styles = wb.worksheet_style("表二 主动公开").unwrap();
    let fmt = styles.get((rows[3] + 2, 1)).and_then(|s| s.number_format.as_ref()).map(|n| n.format_code.clone());
    assert_eq!(fmt.as_deref(), Some("0.00##"));
}

#[test]
fn units_and_files_sheets() {
    let f = sample();
    f.cmd_zh().arg("--xlsx").assert().code(1);
    let mut wb = workbook(&f);
    let u = wb.worksheet_range("各单位").unwrap();
    let header: Vec<String> = (0..11).map(|c| text(&u, (0, c))).collect();
    assert_eq!(header[..5], ["县", "年度", "单位", "文件", "状态"]);
    assert_eq!(header[5], "一、本年新收政府信息公开申请数量");
    assert_eq!(header[6], "（一）予以公开");
    assert_eq!(header[8], "四、结转下年度继续办理");
    assert_eq!(header[9..], ["错误", "提示"]);
    let units: Vec<(String, String, String, Vec<f64>)> = (1..=last_row(&u))
        .map(|r| (text(&u, (r, 2)), text(&u, (r, 3)), text(&u, (r, 4)), (5..11).map(|c| number(&u, (r, c))).collect()))
        .collect();
    assert_eq!(units.len(), 4, "one line per report read");
    assert_eq!(units[0].1, "民权县/2023/人和镇.txt", "in file order");
    assert!(units.iter().all(|x| x.2 == "已汇总"));
    let bei = units.iter().position(|x| x.0 == "北关镇").unwrap();
    assert_eq!(units[bei].3[..4], [3.0, 2.0, 2.0, 0.0], "new_requests, granted, total_processed, carried_forward");
    assert!(units[bei].3[4] >= 2.0, "row_total and balance fail: {:?}", units[bei].3);
    let long = units.iter().position(|x| x.0 == "龙塘镇").unwrap();
    assert_eq!(units[long].3, [4.0, 4.0, 4.0, 0.0, 0.0, 0.0]);

    // The report with failed error checks is filled; the others are not.
    for c in 0..11 {
        assert_eq!(fill(&mut wb, "各单位", (bei as u32 + 1, c)), Some(RED), "column {c}");
    }
    assert_eq!(fill(&mut wb, "各单位", (long as u32 + 1, 0)), None);

    // The files sheet holds what files.csv holds, the statuses in words.
    let files = f.csv("files.csv");
    let s = wb.worksheet_range("文件").unwrap();
    assert_eq!(last_row(&s) as usize, files.len() - 1);
    let header: Vec<String> = (0..7).map(|c| text(&s, (0, c))).collect();
    assert_eq!(header, ["文件", "状态", "县", "年度", "单位", "表格版本", "原因"]);
    let word = |s: &str| match s {
        "parsed" => "已汇总",
        "rejected" => "未能读取",
        "skipped" => "跳过（不是报告）",
        other => panic!("{other}"),
    };
    for (k, rec) in files.iter().enumerate().skip(1) {
        let row: Vec<String> = (0..7).map(|c| any(&s, (k as u32, c))).collect();
        let want: Vec<String> =
            rec.iter().enumerate().map(|(c, v)| if c == 1 { word(v).to_string() } else { v.clone() }).collect();
        assert_eq!(row, want);
    }
    let rejected = (1..=last_row(&s)).find(|&r| text(&s, (r, 1)) == "未能读取").unwrap();
    assert_eq!(fill(&mut wb, "文件", (rejected, 0)), Some(RED));
}

#[test]
fn issues_sheet_lists_every_finding_errors_first() {
    let f = broken();
    f.cmd_zh().arg("--xlsx").assert().code(1);
    let checks = f.csv("checks.csv");
    let ids: Vec<&str> = checks[1..].iter().map(|r| r[4].as_str()).collect();
    for id in ["row_total", "balance", "review_total", "carry_chain", "duplicate", "narrative"] {
        assert!(ids.contains(&id), "the corpus breaks {id}: {ids:?}");
    }
    let mut wb = workbook(&f);
    let s = wb.worksheet_range("核查问题").unwrap();
    let header: Vec<String> = (0..10).map(|c| text(&s, (0, c))).collect();
    assert_eq!(header, ["县", "年度", "单位", "文件", "核查项", "严重程度", "说明", "填报数", "应为", "相差"]);
    assert_eq!(last_row(&s) as usize, checks.len() - 1, "one line per finding of checks.csv");
    let lines: Vec<Vec<String>> = (1..=last_row(&s)).map(|r| (0..10).map(|c| any(&s, (r, c))).collect()).collect();
    // Errors first, then warnings, each in file order.
    let severities: Vec<&str> = lines.iter().map(|l| l[5].as_str()).collect();
    let first_warning = severities.iter().position(|s| *s == "提示").unwrap();
    assert!(severities[..first_warning].iter().all(|s| *s == "错误"), "{severities:?}");
    assert!(severities[first_warning..].iter().all(|s| *s == "提示"), "{severities:?}");
    let errors: Vec<&Vec<String>> = checks[1..].iter().filter(|r| r[5] == "error").collect();
    assert_eq!(errors.len(), first_warning);
    for (line, rec) in lines.iter().zip(errors) {
        assert_eq!((&line[3], &line[6]), (&rec[3], &rec[6]), "the same finding, the same explanation");
    }
    // The rule's Chinese name, an explanation in Chinese, the numbers.
    for l in &lines {
        assert!(!ids.contains(&l[4].as_str()) && !l[4].is_empty(), "a Chinese name, not {}", l[4]);
        assert!(l[6].chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", l[6]);
    }
    let row_total = lines.iter().find(|l| l[4] == "行合计").unwrap();
    assert_eq!((row_total[2].as_str(), &row_total[7..]), ("北关镇", &["3".to_string(), "2".into(), "1".into()][..]));
    assert!(lines.iter().any(|l| l[4] == "上年结转衔接" && l[5] == "提示"));
    assert!(lines.iter().any(|l| l[4] == "重复报送" && l[5] == "错误"));
    assert!(lines.iter().any(|l| l[4] == "复议诉讼合计"));
    // Filters on the header, the header frozen.
    let names = wb.sheet_names();
    let k = names.iter().position(|n| n == "核查问题").unwrap();
    let xml = sheet_xml(&f.out().join("county_rollup.xlsx"), k);
    assert!(xml.contains(&format!(r#"<autoFilter ref="A1:J{}"/>"#, lines.len() + 1)), "autofilter");
    assert!(xml.contains(r#"<pane ySplit="1" topLeftCell="A2""#), "frozen header");
    // Long explanations wrap, their rows made taller.
    let tall = lines.iter().position(|l| l[6].chars().count() > 40).unwrap();
    assert!(row_height(&xml, tall as u32 + 1).unwrap() > 20.0);
}

#[test]
fn a_send_back_notice_for_every_unit_with_an_error_and_none_else() {
    let f = broken();
    f.cmd_zh().arg("--xlsx").assert().code(1);
    let checks = f.csv("checks.csv");
    let mut with_error: Vec<String> =
        checks[1..].iter().filter(|r| r[5] == "error").map(|r| format!("{}{}{}.xlsx", r[0], r[1], r[2])).collect();
    with_error.sort();
    with_error.dedup();
    let dir = f.out().join("退回修改");
    let mut found: Vec<String> =
        fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    found.sort();
    assert_eq!(found, with_error);
    assert_eq!(
        found,
        ["民权县2023城关镇.xlsx", "民权县2024北关镇.xlsx", "民权县2024城关镇.xlsx", "民权县2024龙塘镇.xlsx"]
    );

    // 北关镇: a letter, its table 3 with the numbers in question filled.
    let open = |name: &str| -> Book { open_workbook(dir.join(name)).unwrap() };
    let mut wb = open("民权县2024北关镇.xlsx");
    assert_eq!(wb.sheet_names(), ["退回修改通知"]);
    let s = wb.worksheet_range("退回修改通知").unwrap();
    assert_eq!(text(&s, (0, 0)), "关于退回《北关镇2024年政府信息公开工作年度报告》修改的通知");
    let all: Vec<String> = (0..=last_row(&s)).map(|r| text(&s, (r, 0))).collect();
    assert!(all.iter().any(|t| t == "北关镇："), "addressed to the unit");
    assert!(all.iter().any(|t| t.contains("重新报送")), "asks for a corrected report");
    assert!(all.iter().any(|t| t.contains("【行合计，错误】") && t.contains("总计 3，六类申请人之和 2")), "{all:?}");
    assert!(all.iter().any(|t| t.contains("【收支平衡，错误】")));
    assert!(all.iter().any(|t| t.contains("【正文与表格，提示，请核实】")), "its warnings too");
    assert!(all.iter().any(|t| t == "民权县人民政府办公室"));
    let new = row_of(&s, 0, "一、本年新收政府信息公开申请数量");
    assert_eq!(number(&s, (new, 9)), 3.0);
    assert_eq!(fill(&mut wb, "退回修改通知", (new, 9)), Some(RED), "the stated total");
    assert_eq!(fill(&mut wb, "退回修改通知", (new, 3)), None);
    let processed = row_of(&s, 1, "（七）总计");
    assert_eq!(fill(&mut wb, "退回修改通知", (processed, 9)), Some(RED), "the balance's column");
    assert!((0..=last_row(&s)).all(|r| !text(&s, (r, 0)).contains("结转下年度继续办理”如下")));

    // 城关镇 2024: the carry chain broken, last year's carried-forward row
    // beside this year's carried-over row; table 4 where its total is off.
    let mut wb = open("民权县2024城关镇.xlsx");
    let s = wb.worksheet_range("退回修改通知").unwrap();
    let note = (0..=last_row(&s)).find(|&r| text(&s, (r, 0)).contains("2023 年）报告")).expect("last year's figures");
    assert_eq!(text(&s, (note + 1, 0)), "2023 年  四、结转下年度继续办理");
    assert_eq!(number(&s, (note + 1, 3)), 1.0);
    assert_eq!(fill(&mut wb, "退回修改通知", (note + 1, 3)), Some(RED));
    let over = row_of(&s, 0, "二、上年结转政府信息公开申请数量");
    assert_eq!(fill(&mut wb, "退回修改通知", (over, 3)), Some(RED));
    let review = row_of(&s, 0, "行政复议");
    assert_eq!((number(&s, (review, 3)), number(&s, (review, 7))), (1.0, 0.0));
    assert_eq!(fill(&mut wb, "退回修改通知", (review, 7)), Some(RED));

    // 龙塘镇: two files for one year, both in the notice.
    let s = open("民权县2024龙塘镇.xlsx").worksheet_range("退回修改通知").unwrap();
    let all: Vec<String> = (0..=last_row(&s)).map(|r| text(&s, (r, 0))).collect();
    assert!(all.iter().any(|t| t.contains("不止一份")), "{all:?}");
    assert_eq!(
        all.iter().filter(|t| t.contains("报送文件：民权县/2024/龙塘镇")).count(),
        4,
        "listed and tabled: {all:?}"
    );

    // No error, no folder (and an old one does not stay).
    let g = Folder::new();
    g.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1));
    fs::create_dir_all(g.out().join("退回修改")).unwrap();
    g.cmd_zh().arg("--xlsx").assert().code(0);
    assert!(!g.out().join("退回修改").exists());
}

#[test]
fn a_long_unit_name_never_fails_the_workbook() {
    // Names as long as they may be: a county of 41 characters named by the
    // folder, a unit of 56 by a title naming no county. The sheet name and
    // the notice's file name (together they pass 255 bytes) are cut.
    let f = Folder::new();
    let county = format!("{}县", "长".repeat(40));
    let unit = format!("{}镇", "很长的名字".repeat(11));
    let off = crate::util::report_in("", &unit, 2024, 2).replace(
        "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2",
        "一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t3",
    );
    f.put(&format!("{county}/长.txt"), off)
        .put(&format!("{county}/人和镇.txt"), crate::util::report_in("", "人和镇", 2024, 1));
    f.cmd_zh().arg("--xlsx").assert().code(0);
    let checks = f.csv("checks.csv");
    assert_eq!(
        (checks[1][0].as_str(), checks[1][2].as_str()),
        (county.as_str(), unit.as_str()),
        "read with whole names"
    );
    let mut wb = workbook(&f);
    assert!(wb.sheet_names().iter().all(|n| n.chars().count() <= 31));
    let s = wb.worksheet_range("核查问题").unwrap();
    assert_eq!(text(&s, (1, 2)), unit);
    let notices: Vec<PathBuf> = fs::read_dir(f.out().join("退回修改")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(notices.len(), 1);
    let name = notices[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(county.len() + unit.len() > 255, "the name would be too long");
    assert!(name.len() <= 200 && name.ends_with(".xlsx") && name.starts_with(&county), "{name}");
    let mut notice: Book = open_workbook(&notices[0]).expect("the notice opens");
    let s = notice.worksheet_range("退回修改通知").unwrap();
    assert!(text(&s, (0, 0)).contains(&unit));
}

/// Keys a person should not read as headers in a Chinese workbook.
const ENGLISH_KEYS: &[&str] = &[
    "county",
    "year",
    "unit",
    "units",
    "file",
    "status",
    "reason",
    "format",
    "check",
    "severity",
    "detail",
    "row",
    "label",
    "this_year_total",
    "last_year_total",
    "change",
    "change_pct",
    "errors",
    "warnings",
    "category",
    "new_requests",
];

#[test]
fn headers_are_chinese_and_english_with_lang_en() {
    let roster = "县,单位\n民权县,人和镇\n民权县,北关镇\n";
    let f = broken();
    f.put("../roster.csv", roster);
    let list = f.dir.path().join("roster.csv");
    f.cmd_zh().arg("--xlsx").arg("--roster").arg(&list).assert().code(1);
    let mut wb = workbook(&f);
    for name in wb.sheet_names() {
        let s = wb.worksheet_range(&name).unwrap();
        for r in 0..=last_row(&s) {
            for c in 0..=s.end().map_or(0, |e| e.1) {
                let t = any(&s, (r, c));
                assert!(!ENGLISH_KEYS.contains(&t.as_str()), "{name} ({r}, {c}): {t}");
            }
        }
    }
    f.cmd().arg("--xlsx").arg("--roster").arg(&list).assert().code(1);
    let mut wb = workbook(&f);
    let header = |wb: &mut Book, sheet: &str, row: u32| -> Vec<String> {
        let s = wb.worksheet_range(sheet).unwrap();
        (0..=s.end().unwrap().1).map(|c| any(&s, (row, c))).collect()
    };
    assert_eq!(header(&mut wb, "同比", 0)[6], "change_pct");
    assert_eq!(header(&mut wb, "文件", 0), ["file", "status", "county", "year", "unit", "format", "reason"]);
    assert_eq!(header(&mut wb, "核查问题", 0)[..7], ["county", "year", "unit", "file", "check", "severity", "detail"]);
    assert_eq!(header(&mut wb, "各单位", 0)[..5], ["county", "year", "unit", "file", "status"]);
    assert!(header(&mut wb, "报送情况", 1).contains(&"status".to_string()));
    let s = wb.worksheet_range("核查问题").unwrap();
    assert!((1..=last_row(&s)).any(|r| text(&s, (r, 4)) == "row_total" && text(&s, (r, 5)) == "error"));
}

#[test]
fn every_sheet_prints_on_a4_landscape_one_page_wide() {
    let f = broken();
    f.put("../roster.csv", "县,单位\n民权县,人和镇\n");
    f.cmd_zh().arg("--xlsx").arg("--roster").arg(f.dir.path().join("roster.csv")).assert().code(1);
    let path = f.out().join("county_rollup.xlsx");
    let names = workbook(&f).sheet_names();
    let notice = fs::read_dir(f.out().join("退回修改")).unwrap().next().unwrap().unwrap().path();
    let mut xmls: Vec<(String, String)> =
        names.iter().enumerate().map(|(k, n)| (n.clone(), sheet_xml(&path, k))).collect();
    xmls.push(("notice".into(), sheet_xml(&notice, 0)));
    let page_setup = regex::Regex::new(r"<pageSetup [^>]*/>").unwrap();
    for (name, xml) in &xmls {
        let setup = page_setup.find(xml).unwrap_or_else(|| panic!("{name}: no pageSetup")).as_str();
        assert!(setup.contains(r#"paperSize="9""#), "{name}: A4: {setup}");
        assert!(setup.contains(r#"orientation="landscape""#), "{name}: {setup}");
        // One page wide (fitToWidth's default is 1), as many pages down as needed.
        assert!(xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{name}: fit to pages");
        assert!(setup.contains(r#"fitToHeight="0""#), "{name}: {setup}");
        assert!(!setup.contains("fitToWidth") || setup.contains(r#"fitToWidth="1""#), "{name}: {setup}");
        assert!(xml.contains("<printOptions horizontalCentered=\"1\"/>"), "{name}: centred");
        assert!(xml.contains("<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>"), "{name}: page numbers");
    }
    // Title rows on every page: the table-3 sheets' title and header, the
    // lists' header.
    let defined = zip_text(&path, "xl/workbook.xml");
    for (sheet, rows) in [("民权县2024表三", "$1:$4"), ("核查问题", "$1:$1"), ("文件", "$1:$1"), ("报送情况", "$1:$2")]
    {
        let want = format!(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{}\">",
            names.iter().position(|n| n == sheet).unwrap()
        );
        let at = defined.find(&want).unwrap_or_else(|| panic!("{sheet}: no print titles in {defined}"));
        assert!(defined[at..].split("</definedName>").next().unwrap().ends_with(rows), "{sheet}: {rows}");
    }
}

#[test]
fn rows_of_long_labels_are_tall_enough() {
    let f = sample();
    f.cmd_zh().arg("--xlsx").assert().code(1);
    let mut wb = workbook(&f);
    let r = wb.worksheet_range("民权县2024表三").unwrap();
    let xml = sheet_xml(&f.out().join("county_rollup.xlsx"), 1);
    let short = row_of(&r, 2, "3.其他");
    let long = row_of(&r, 2, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请");
    let (hs, hl) = (row_height(&xml, short).unwrap(), row_height(&xml, long).unwrap());
    assert!(hl >= 2.0 * 15.0 && hl > hs, "a wrapped label gets two lines: {hl} vs {hs}");
    // The 各单位 header of long labels wraps.
    let xml = sheet_xml(&f.out().join("county_rollup.xlsx"), 8);
    assert!(row_height(&xml, 0).unwrap() > 30.0);
}

#[test]
fn roster_sheet_lists_every_unit_with_the_missing_filled() {
    let f = broken();
    let list = "县,单位,类别\n民权县,双塔镇,乡镇\n民权县,人和镇,乡镇\n民权县,北关镇,乡镇\n民权县,龙塘镇,乡镇\n民权县,教育局,部门\n";
    f.put("../roster.csv", list);
    f.cmd_zh().arg("--xlsx").arg("--roster").arg(f.dir.path().join("roster.csv")).assert().code(1);
    let roster = f.csv("roster.csv");
    let mut wb = workbook(&f);
    let names = wb.sheet_names();
    assert_eq!(names[names.iter().position(|n| n == "核查问题").unwrap() + 1], "报送情况");
    let s = wb.worksheet_range("报送情况").unwrap();
    let header: Vec<String> = (0..7).map(|c| text(&s, (1, c))).collect();
    assert_eq!(header, ["序号", "县", "年度", "单位", "类别", "状态", "文件"]);
    let lines: Vec<Vec<String>> =
        (2..).take(roster.len() - 1).map(|r| (0..7).map(|c| any(&s, (r, c))).collect()).collect();
    let units: Vec<(&str, &str, &str)> = lines.iter().map(|l| (l[2].as_str(), l[3].as_str(), l[5].as_str())).collect();
    assert_eq!(
        units[..6],
        [
            ("2023", "双塔镇", "未报送"),
            ("2023", "人和镇", "已报送"),
            ("2023", "北关镇", "未报送"),
            ("2023", "龙塘镇", "未报送"),
            ("2023", "教育局", "未报送"),
            ("2023", "城关镇", "不在名单内"),
        ],
        "in the roster's order"
    );
    assert!(units.contains(&("2024", "龙塘镇", "重复报送")));
    for (k, l) in lines.iter().enumerate() {
        let want = if l[5] == "未报送" { Some(ORANGE) } else { None };
        assert_eq!(fill(&mut wb, "报送情况", (k as u32 + 2, 3)).filter(|c| *c == ORANGE), want, "{l:?}");
    }
    assert_eq!(lines[0][4], "乡镇");
    assert_eq!(lines[4][4], "部门");
    let summary = (0..=last_row(&s)).map(|r| any(&s, (r, 0))).find(|t| t.starts_with("民权县 2024 年")).unwrap();
    assert!(summary.contains("未报送 2"), "{summary}");
}

#[test]
fn no_workbook_without_the_flag_and_none_half_written() {
    let f = sample();
    f.cmd_zh().assert().code(1);
    assert!(!f.out().join("county_rollup.xlsx").exists());
    f.cmd_zh().arg("--xlsx").assert().code(1);
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
    f.cmd_zh().arg("--xlsx").assert().code(0);
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

    // The sheet: first the reports summed each year (2 against 1: the jump
    // in requests is partly a jump in reports), then the rows.
    let mut wb = workbook(&f);
    let s = wb.worksheet_range("同比").unwrap();
    let header: Vec<String> = (0..7).map(|c| text(&s, (0, c))).collect();
    assert_eq!(header, ["县", "年度", "项目", "本年", "上年", "增减", "增减幅度(%)"]);
    assert_eq!(text(&s, (1, 2)), "汇总报告数（份）");
    assert_eq!((number(&s, (1, 3)), number(&s, (1, 4)), number(&s, (1, 5))), (2.0, 1.0, 1.0));
    assert!(fill(&mut wb, "同比", (1, 3)).is_some(), "a change in reports stands out");
    assert_eq!(text(&s, (2, 2)), "一、本年新收政府信息公开申请数量");
    assert_eq!(
        (number(&s, (2, 3)), number(&s, (2, 4)), number(&s, (2, 5)), number(&s, (2, 6))),
        (5.0, 2.0, 3.0, 150.0)
    );
    assert_eq!(text(&s, (3, 2)), "二、上年结转政府信息公开申请数量");
    assert!(matches!(s.get_value((3, 6)), None | Some(Data::Empty)), "no percentage of 0");
    assert_eq!(last_row(&s), 1 + 25);

    // Tables 2 and 4 compared the same way.
    for (sheet, rows) in [("表二同比", 10), ("表四同比", 15)] {
        let s = wb.worksheet_range(sheet).unwrap();
        assert_eq!(text(&s, (1, 2)), "汇总报告数（份）", "{sheet}");
        assert_eq!((number(&s, (1, 3)), number(&s, (1, 4))), (2.0, 1.0), "{sheet}");
        assert_eq!(last_row(&s), 1 + rows, "{sheet}");
    }
    let t2 = wb.worksheet_range("表二同比").unwrap();
    let fee = row_of(&t2, 2, "行政事业性收费 / 本年收费金额（单位：万元）");
    let proactive = f.csv("proactive.csv");
    let value = |y: &str| {
        proactive.iter().find(|r| r[0] == "民权县" && r[1] == y && r[3] == "fees").unwrap()[6].parse::<f64>().unwrap()
    };
    assert_eq!((number(&t2, (fee, 3)), number(&t2, (fee, 4))), (value("2024"), value("2023")));
    let t4 = wb.worksheet_range("表四同比").unwrap();
    assert_eq!(text(&t4, (2, 2)), "行政复议 / 结果维持");
}

#[test]
fn requests_yoy_header_only_for_one_year() {
    let f = Folder::new();
    f.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1));
    f.cmd_zh().assert().code(0);
    assert_eq!(f.csv("requests_yoy.csv").len(), 1);
}

#[test]
fn same_workbook_with_one_thread_and_many() {
    let f = broken();
    let run = |threads: &str| {
        let mut c = f.cmd_zh();
        c.env("SOURCE_DATE_EPOCH", "1700000000").arg("--xlsx").arg(threads).assert().code(1);
        let notice = fs::read(f.out().join("退回修改/民权县2024城关镇.xlsx")).unwrap();
        (fs::read(f.out().join("county_rollup.xlsx")).unwrap(), notice)
    };
    assert!(run("-j1") == run("-j4"), "byte for byte, given a fixed creation date");
}

#[test]
fn with_categories_the_table3_sheet_sums_each() {
    let f = Folder::new();
    f.put("民权县/2024/人和镇.txt", report("人和镇", 2024, 1))
        .put("民权县/2024/龙塘镇.txt", report("龙塘镇", 2024, 2))
        .put("民权县/2024/教育局.txt", report("教育局", 2024, 4))
        .put("民权县/2024/城关镇.txt", report("城关镇", 2024, 8));
    f.put("../roster.csv", "县,单位,类别\n民权县,教育局,部门\n民权县,人和镇,乡镇\n民权县,龙塘镇,乡镇\n");
    f.cmd_zh().arg("--xlsx").arg("--roster").arg(f.dir.path().join("roster.csv")).assert().code(0);
    let mut wb = workbook(&f);
    let s = wb.worksheet_range("民权县2024表三").unwrap();
    let title = |t: &str| (0..=last_row(&s)).find(|&r| text(&s, (r, 0)) == t).unwrap_or_else(|| panic!("{t}"));
    // In the list's order of categories, units it gives none last.
    let parts = [
        ("民权县 2024 年  其中：部门合计（1 份报告）", 4.0),
        ("民权县 2024 年  其中：乡镇合计（2 份报告）", 3.0),
        ("民权县 2024 年  其中：名单未分类或不在名单内的单位合计（1 份报告）", 8.0),
    ];
    let rows: Vec<u32> = parts.iter().map(|(t, _)| title(t)).collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]) && rows[0] > title("填报单位："));
    for ((t, n), r) in parts.iter().zip(&rows) {
        assert_eq!(text(&s, (r + 1, 0)), "一、本年新收政府信息公开申请数量", "{t}: rows under the printed header");
        assert_eq!(number(&s, (r + 1, 9)), *n, "{t}");
    }
    assert_eq!(number(&s, (4, 9)), 15.0, "the county's own sum above");
}
