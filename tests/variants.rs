//! The seed report in the character, encoding and line-end variants of
//! FORMAT.md section 3: each must read to exactly the seed's numbers.

use county_rollup::discover::DocKind;
use county_rollup::read_bytes;
use county_rollup::report::Report;

use crate::util::SEED;

fn read(bytes: &[u8]) -> Report {
    match read_bytes(bytes, DocKind::Text, None, None) {
        Ok(p) => p.report,
        Err(e) => panic!("rejected: {e}"),
    }
}

/// `s` with `from` replaced by `to`; `from` must be there, or the test would
/// silently test nothing.
fn swap(s: &str, from: &str, to: &str) -> String {
    assert!(s.contains(from), "fixture text not found: {from}");
    s.replace(from, to)
}

trait Swap {
    fn swap(&self, from: &str, to: &str) -> String;
}

impl Swap for str {
    fn swap(&self, from: &str, to: &str) -> String {
        swap(self, from, to)
    }
}

/// The seed with varied, consistent numbers, so a misplaced value shows.
fn varied() -> String {
    SEED.swap(
        "一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1",
        "一、本年新收政府信息公开申请数量\t\t7\t2\t0\t0\t1\t0\t10",
    )
    .swap(
        "三、本年度办理结果\t(一) 予以公开\t1\t0\t0\t0\t0\t0\t1",
        "三、本年度办理结果\t(一) 予以公开\t3\t1\t0\t0\t0\t0\t4",
    )
    .swap("\t\t4. 保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0", "\t\t4. 保护第三方合法权益\t2\t0\t0\t0\t0\t0\t2")
    .swap("\t\t2. 重复申请\t0\t0\t0\t0\t0\t0\t0", "\t\t2. 重复申请\t1\t1\t0\t0\t1\t0\t3")
    .swap("\t3. 其他\t0\t0\t0\t0\t0\t0\t0", "\t3. 其他\t1\t0\t0\t0\t0\t0\t1")
    .swap("(七) 总计\t1\t0\t0\t0\t0\t0\t1", "(七) 总计\t7\t2\t0\t0\t1\t0\t10")
    .swap("行政处罚\t0", "行政处罚\t12")
    .swap("0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", "1\t0\t0\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0")
    .swap("共接到政府信息公开申请 1 件", "共接到政府信息公开申请 10 件")
}

fn assert_varied(r: &Report) {
    let t = &r.table3;
    assert_eq!(t.get(county_rollup::schema::Row::NewRequests), Some(&[7, 2, 0, 0, 1, 0, 10]));
    assert_eq!(t.get(county_rollup::schema::Row::Granted), Some(&[3, 1, 0, 0, 0, 0, 4]));
    assert_eq!(t.get(county_rollup::schema::Row::DeniedThirdPartyRights), Some(&[2, 0, 0, 0, 0, 0, 2]));
    assert_eq!(t.get(county_rollup::schema::Row::NotProcessedDuplicate), Some(&[1, 1, 0, 0, 1, 0, 3]));
    assert_eq!(t.get(county_rollup::schema::Row::OtherOther), Some(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(t.get(county_rollup::schema::Row::TotalProcessed), Some(&[7, 2, 0, 0, 1, 0, 10]));
    assert_eq!(t.get(county_rollup::schema::Row::CarriedForward), Some(&[0; 7]));
    assert_eq!(t.get(county_rollup::schema::Row::OtherProcessing), None);
    assert_eq!(r.table4, Some([[1, 0, 0, 1, 2], [0; 5], [0; 5]]));
    assert_eq!(r.table2.as_ref().unwrap()[7].to_string(), "12");
    assert_eq!((r.unit.as_str(), r.county.as_deref(), r.year), ("人和镇", Some("民权县"), 2024));
    assert_eq!(r.narrative_requests, Some(10));
    assert!(county_rollup::checks::check_report(r).is_empty(), "{:?}", county_rollup::checks::check_report(r));
}

#[test]
fn the_varied_seed_reads_exactly() {
    assert_varied(&read(varied().as_bytes()));
}

#[test]
fn encodings_and_line_ends() {
    let s = varied();
    let bom = [b"\xEF\xBB\xBF".as_slice(), s.as_bytes()].concat();
    assert_varied(&read(&bom));
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&s);
    assert!(!unmappable);
    assert_varied(&read(&gbk));
    let mut le = vec![0xFF, 0xFE];
    le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    assert_varied(&read(&le));
    let mut be = vec![0xFE, 0xFF];
    be.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    assert_varied(&read(&be));
    assert_varied(&read(s.replace('\n', "\r\n").as_bytes()));
    assert_varied(&read(s.replace('\n', "\r").as_bytes()));
}

#[test]
fn full_width_digits_brackets_and_spaces_in_labels() {
    let s = varied()
        .swap("(七) 总计\t7\t2\t0\t0\t1\t0\t10", "（七）  总 计\t７\t２\t０\t０\t１\t０\t１０")
        .swap(
            "(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        )
        .swap("\t\t2. 重复申请", "\t\t２、重复申请")
        .swap("结果 维持", "结果维持");
    assert_varied(&read(s.as_bytes()));
}

#[test]
fn blank_markers_read_as_zero() {
    let s = varied()
        .swap("\t\t4. 保护第三方合法权益\t2\t0\t0\t0\t0\t0\t2", "\t\t4. 保护第三方合法权益\t2\t-\t—\t/\t无\t\t2");
    assert_varied(&read(s.as_bytes()));
}

#[test]
fn traditional_script() {
    let s = varied()
        .swap(
            "民权县人和镇人民政府 2024 年政府信息公开工作年度报告",
            "民權縣人和鎮人民政府 2024 年政府信息公開工作年度報告",
        )
        .swap("三、收到和处理政府信息公开申请情况", "三、收到和處理政府信息公開申請情況")
        .swap("二、上年结转政府信息公开申请数量", "二、上年結轉政府信息公開申請數量")
        .swap("3. 补正后申请内容仍不明确", "3. 補正後申請內容仍不明確")
        .swap("2. 重复申请", "2. 重複申請")
        .swap("(七) 总计", "(七) 總計")
        .swap("四、结转下年度继续办理", "四、結轉下年度繼續辦理")
        .swap("行政处罚", "行政處罰")
        .swap("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公開行政復議、行政訴訟情況");
    let r = read(s.as_bytes());
    // Names come out in their canonical, simplified spelling (one county is
    // one name however its reports are written).
    assert_eq!((r.unit.as_str(), r.county.as_deref()), ("人和镇", Some("民权县")));
    assert_varied(&r);
}

#[test]
fn numbers_with_units_and_thousands_separators() {
    let s = varied()
        .swap(
            "一、本年新收政府信息公开申请数量\t\t7\t2\t0\t0\t1\t0\t10",
            "一、本年新收政府信息公开申请数量\t\t1,207\t2件\t0\t0\t1\t0\t1，210",
        )
        .swap("(七) 总计\t7\t2\t0\t0\t1\t0\t10", "(七) 总计\t1207\t2\t0\t0\t1\t0\t1210");
    let r = read(s.as_bytes());
    assert_eq!(r.table3.get(county_rollup::schema::Row::NewRequests), Some(&[1207, 2, 0, 0, 1, 0, 1210]));
    assert_eq!(r.table3.get(county_rollup::schema::Row::TotalProcessed), Some(&[1207, 2, 0, 0, 1, 0, 1210]));
}

#[test]
fn subtotal_column_and_rows_are_read_checked_and_not_output() {
    use county_rollup::report::Subtotal;
    let text = include_str!("fixtures/text/subtotals-onecell.txt");
    let r = read(text.as_bytes());
    let cols = r.subtotals.iter().filter(|s| matches!(s, Subtotal::Column { .. })).count();
    let rows = r.subtotals.iter().filter(|s| matches!(s, Subtotal::Row { .. })).count();
    assert_eq!((cols, rows), (25, 4), "a column subtotal on each of the 25 rows, four 小计 rows");
    assert_eq!(county_rollup::checks::check_report(&r), vec![]);
    // The 小计 of (三) says 2 where its rows add up to 1: a subtotal error.
    let first = "小计\n\n1\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n1\n";
    assert!(text.contains(first));
    let broken = text.replacen(first, "小计\n\n2\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n2\n", 1);
    let findings = county_rollup::checks::check_report(&read(broken.as_bytes()));
    let details: Vec<String> =
        findings.iter().filter(|f| f.check == "subtotal").map(|f| f.detail(county_rollup::lang::Lang::En)).collect();
    assert_eq!(details.len(), 2, "{findings:?}");
    assert!(
        details[0].starts_with("(三) 不予公开 小计, natural_person: 小计 2 but its rows add up to 1"),
        "{}",
        details[0]
    );
}

/// The Shanghai report's converter lost some row labels; those rows are placed
/// by the form's order only while the table's arithmetic confirms it.
#[test]
fn positional_rows_need_the_arithmetic_to_agree() {
    let text = include_str!("fixtures/real/sh-2025-bangongting-md.txt");
    let t3 = |s: &str| county_rollup::read_parts(s.as_bytes(), DocKind::Text).unwrap().table3;
    assert!(t3(text).is_ok());
    // The unlabeled 5. 要求行政机关确认… row (all zeros) with a wrong total.
    let broken = text.swap("| 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "| 0 | 0 | 0 | 0 | 0 | 0 | 1 |");
    let e = t3(&broken).unwrap_err();
    assert_eq!(e.kind, county_rollup::error::RejectKind::Unlabeled);
    assert!(
        e.to_string().contains("read by position") && e.to_string().contains("not_processed_confirm_existing"),
        "{e}"
    );
    // With rows placed by position, a broken sum anywhere makes the placement
    // uncertain too: a labeled row's wrong total rejects the table.
    let labeled = text.swap(
        "| （一）予以公开 | 201 | 5 | 0 | 0 | 0 | 0 | 206 |",
        "| （一）予以公开 | 201 | 5 | 0 | 0 | 0 | 0 | 207 |",
    );
    let e = t3(&labeled).unwrap_err();
    assert!(e.to_string().contains("does not add up"), "{e}");
}

/// pdftotext -layout drops blank cells; the reader places the remaining values
/// by their columns only when the table's columns are clearly aligned.
#[test]
fn blank_cells_in_space_aligned_text_need_aligned_columns() {
    let text = include_str!("fixtures/text/pdftotext-layout-blanks.txt");
    let r = read(text.as_bytes());
    assert_eq!(r.table3.get(county_rollup::schema::Row::Granted), Some(&[5, 1, 0, 0, 0, 0, 6]));
    assert_eq!(r.table3.get(county_rollup::schema::Row::NotProcessedDuplicate), Some(&[0, 1, 0, 0, 0, 0, 1]));
    assert_eq!(r.table3.get(county_rollup::schema::Row::OtherNoCorrection), Some(&[0, 0, 0, 0, 1, 0, 1]));
    assert_eq!(r.table3.get(county_rollup::schema::Row::CarriedForward), Some(&[0; 7]));
    // A dropped value looks like a blank cell; the row's total and the
    // balance show it is not one, so the file is rejected, not read as 0.
    let dropped = text.swap(
        "一、本年新收政府信息公开申请数量                              12         3",
        "一、本年新收政府信息公开申请数量                              12          ",
    );
    let e = read_bytes(dropped.as_bytes(), DocKind::Text, None, None).unwrap_err();
    assert!(e.to_string().contains("does not add up (row_total: new_requests"), "{e}");
    // The same table with single spaces (pdftotext -raw): the columns are gone,
    // so the short rows cannot be placed and the file is rejected.
    let single: String =
        text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n");
    let e = read_bytes(single.as_bytes(), DocKind::Text, None, None).unwrap_err();
    assert!(e.to_string().contains("row granted") && e.to_string().contains("3 values where 7 are expected"), "{e}");
    // A value between two columns is not placed by guess.
    let shifted = text.swap(
        "三、本年度办理  （一）予以公开                                 5         1",
        "三、本年度办理  （一）予以公开                                 5              1",
    );
    let e = read_bytes(shifted.as_bytes(), DocKind::Text, None, None).unwrap_err();
    assert!(e.to_string().contains("sits between two columns"), "{e}");
}

/// Table 2 and table 4 of the layout fixture as `pdftotext -layout` prints
/// them when most cells are blank (r048 of the converted fixtures): blank
/// cells leave no trace, the titles above say where the columns are.
fn sparse_tables_2_and_4(text: &str, table4_values: &str) -> String {
    let table2 = "第二十条第（一）项
         信息内容     本年制发件数           本年废止件数    现行有效件数
          规章
       行政规范性文件                       1         3

         第二十条第（五）项
            信息内容                  本年处理决定数量
            行政许可

         第二十条第（六）项
            信息内容                  本年处理决定数量
            行政处罚                         0
            行政强制

         第二十条第（八）项
             信息内容            本年收费金额（单位：万元）
           行政事业性收费
";
    let table4 = format!(
        "           行政复议                           行政诉讼
                              未经复议直接起诉            复议后起诉
   结   结    其     尚
                          结    结 其  尚       结    结  其  尚
   果   果    他     未   总
                          果    果 他  未  总    果    果  他  未   总
   维   纠    结     审   计
                          维    纠 结  审  计    维    纠  结  审   计
   持   正    果     结
                          持    正 果  结       持    正  果  结
{table4_values}
"
    );
    let (head, rest) = text.split_once("第二十条第（一）项").expect("table 2 in the fixture");
    let (_, rest) = rest.split_once("三、收到和处理").expect("table 3 in the fixture");
    let (t3, rest) = rest.split_once("四、政府信息公开行政复议、行政诉讼情况").expect("table 4 in the fixture");
    let (_, tail) = rest.split_once("五、存在的主要问题").expect("section 5 in the fixture");
    format!(
        "{head}{table2}\n三、收到和处理{t3}四、政府信息公开行政复议、行政诉讼情况\n{table4}\n五、存在的主要问题{tail}"
    )
}

#[test]
fn pdftotext_sparse_table2_values_sit_under_their_titles_and_blank_rows_are_zeros() {
    let text = sparse_tables_2_and_4(include_str!("fixtures/text/pdftotext-layout-blanks.txt"), "");
    let r = read(text.as_bytes());
    assert!(r.left_out.is_empty(), "{:?}", r.left_out);
    let t2: Vec<String> = r.table2.expect("table 2 read").iter().map(|d| d.to_string()).collect();
    // 规章 blank; 行政规范性文件 blank, 1, 3; the one-value rows blank but 行政处罚.
    assert_eq!(t2, ["0", "0", "0", "0", "1", "3", "0", "0", "0", "0"]);
    // The titles on the page before (a page break under the header line):
    // pdftotext places each page its own way, and the short row is not placed.
    let broken = text.swap("现行有效件数\n          规章", "现行有效件数\n\u{c}          规章");
    let r = read(broken.as_bytes());
    assert!(r.table2.is_none() && r.left_out.iter().any(|l| l.table == Some(2)), "{:?}", r.table2);
    // The same lines with single spaces (pdftotext -raw): the titles say
    // nothing of where a value sits, and the short row is not placed.
    let (head, rest) = text.split_once("第二十条第（一）项").unwrap();
    let (t2, rest) = rest.split_once("三、收到和处理").unwrap();
    let t2: String =
        t2.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n");
    let r = read(format!("{head}第二十条第（一）项{t2}\n三、收到和处理{rest}").as_bytes());
    assert!(r.table2.is_none() && r.left_out.iter().any(|l| l.table == Some(2)), "{:?}", r.table2);
}

#[test]
fn pdftotext_table4_of_blank_cells_or_only_zeros_is_zeros_once_the_table_is_whole() {
    let fixture = include_str!("fixtures/text/pdftotext-layout-blanks.txt");
    for values in ["", "     0          0       0       0 0     0       0  0"] {
        let r = read(sparse_tables_2_and_4(fixture, values).as_bytes());
        assert_eq!(r.table4, Some([[0; 5]; 3]), "{values:?}: {:?}", r.left_out);
    }
    // A number that is not 0 among too few: which column is not certain.
    let r = read(sparse_tables_2_and_4(fixture, "     0          2       0       0 0     0       0  2").as_bytes());
    assert!(r.table4.is_none() && r.left_out.iter().any(|l| l.table == Some(4)));
    // Regression (mutation test, a file cut off after table 4's header): a
    // table the end of the file cuts off is not a table of blank cells.
    let text = sparse_tables_2_and_4(fixture, "");
    let cut = &text[..text.find("五、存在的主要问题").expect("section 5")];
    let r = read(cut.as_bytes());
    assert!(r.table4.is_none() && r.left_out.iter().any(|l| l.table == Some(4)), "{:?}", r.table4);
}
