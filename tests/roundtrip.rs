//! Round trips through the generator: a consistent random report, rendered in
//! any text layout with any character variants, must read back to exactly
//! its tables; the same report in every layout reads to the same tables; and
//! a folder of generated reports sums to what the generator put in.

use county_rollup::discover::DocKind;
use county_rollup::report::Report;
use county_rollup::schema::Format;
use county_rollup::{Config, read_bytes, run};
use county_rollup_gen::{self as generate, CountyPlan, Layout, Rng};
use proptest::prelude::*;
use std::collections::BTreeMap;

const COUNTIES: [&str; 5] = ["民权县", "睢县", "宁陵县", "柘城县", "虞城县"];

/// The first non-empty lines of a rendered document (its title, maybe split
/// in two); a page's `<h1>`, a Word file's first paragraph.
fn title_of(text: &str, layout: Layout) -> String {
    let between = |open: &str, close: &str| {
        text.split_once(open).and_then(|(_, rest)| rest.split_once(close)).map_or(String::new(), |(t, _)| t.to_string())
    };
    match layout {
        Layout::Html => {
            // The title element's text, tags left out.
            let inner = between("class=\"title\"", "\n");
            let mut out = String::new();
            let mut in_tag = true;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out
        }
        // The title's runs are the ones set in 22 pt.
        Layout::Docx => between("<w:sz w:val=\"44\"/></w:rPr><w:t>", "</w:t>"),
        _ => text.lines().filter(|l| !l.trim().is_empty()).take(2).collect(),
    }
}

/// The bytes of a file as units save them (FORMAT.md section 3): UTF-8 with
/// or without BOM, GB18030 (Windows in China), UTF-16 with BOM; LF, CRLF or
/// CR line ends.
fn as_file(text: &str, form: u8) -> Vec<u8> {
    let crlf = || text.replace('\n', "\r\n");
    match form {
        0 => text.as_bytes().to_vec(),
        1 => [b"\xEF\xBB\xBF".as_slice(), crlf().as_bytes()].concat(),
        2 => text.replace('\n', "\r").into_bytes(),
        3 => encoding_rs::GB18030.encode(&crlf()).0.into_owned(),
        4 => encoding_rs::GB18030.encode(text).0.into_owned(),
        5 => [0xFF, 0xFE].into_iter().chain(crlf().encode_utf16().flat_map(u16::to_le_bytes)).collect(),
        _ => [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
    }
}

/// Generate a report for `seed`, render it, read it back and compare. The
/// error carries the document, so a failure can be replayed by hand.
fn round_trip(seed: u64, year: u16, layout: Layout, single_other: Option<bool>, form: u8) -> Result<(), String> {
    let mut rng = Rng::new(seed);
    let county = *rng.pick(&COUNTIES);
    let units = generate::unit_names(40);
    let unit = rng.pick(&units).clone();
    let format = Format::for_year(year);
    let report = match single_other {
        Some(s) => generate::random_report_with(&mut rng, format, year, county, &unit, s),
        None => generate::random_report(&mut rng, format, year, county, &unit),
    };
    // Text layouts are saved in any encoding by the test (as_file); a page
    // or Word file is written as the generator writes it (render_bytes).
    let text = generate::render(&report, layout, &mut rng.clone());
    let bytes = match layout.doc_kind() {
        DocKind::Text => as_file(&text, form),
        _ => generate::render_bytes(&report, layout, &mut rng),
    };
    let got = read_bytes(&bytes, layout.doc_kind(), None, Some(county))
        .map_err(|e| format!("seed {seed} {layout:?} {year} form {form}: rejected: {e}\n-----\n{text}"))?;
    let r = &got.report;
    let named = title_of(&text, layout).contains(county);
    let fail = |what: &str| format!("seed {seed} {layout:?} {year}: {what} differs\n-----\n{text}");
    if r.table3 != report.table3 {
        return Err(format!("{}\nexpected {:?}\ngot      {:?}", fail("table 3"), report.table3, r.table3));
    }
    if r.table2 != report.table2 {
        return Err(format!("{}\nexpected {:?}\ngot      {:?}", fail("table 2"), report.table2, r.table2));
    }
    if r.table4 != report.table4 {
        return Err(format!("{}\nexpected {:?}\ngot      {:?}", fail("table 4"), report.table4, r.table4));
    }
    if (r.year, r.format, r.unit.as_str()) != (report.year, report.format, report.unit.as_str()) {
        return Err(format!("{}\ngot {} {:?} {}", fail("year/format/unit"), r.year, r.format, r.unit));
    }
    let want_county = named.then(|| county.to_string());
    if r.county != want_county {
        return Err(format!("{}\nexpected {want_county:?} got {:?}", fail("county"), r.county));
    }
    if r.narrative_requests != report.narrative_requests {
        return Err(format!(
            "{}\nexpected {:?} got {:?}",
            fail("narrative"),
            report.narrative_requests,
            r.narrative_requests
        ));
    }
    if !r.subtotals.is_empty() {
        return Err(fail("subtotals"));
    }
    if !got.findings.is_empty() {
        return Err(format!("{}\nfindings: {:?}", fail("checks"), got.findings));
    }
    Ok(())
}

fn year() -> impl Strategy<Value = u16> {
    // The 2019 form for 2019 and 2020, the 2021 form from 2021 on.
    prop_oneof![2019u16..=2020, 2021u16..=2026]
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

macro_rules! layout_property {
    ($name:ident, $layout:expr) => {
        proptest! {
            #![proptest_config(config())]
            #[test]
            fn $name(seed in any::<u64>(), year in year(), form in 0u8..7) {
                if let Err(e) = round_trip(seed, year, $layout, None, form) {
                    return Err(TestCaseError::fail(e));
                }
            }
        }
    };
}

layout_property!(tab_layout_reads_back_exactly, Layout::Tab);
layout_property!(one_cell_layout_reads_back_exactly, Layout::OneCell);
layout_property!(pdftotext_layout_reads_back_exactly, Layout::Spaces);
layout_property!(pdftotext_raw_reads_back_exactly, Layout::Raw);
layout_property!(markdown_reads_back_exactly, Layout::Markdown);

/// Pages and Word files: no encodings to vary (the generator picks UTF-8 or
/// GBK for a page itself), and each case parses a whole document tree, so
/// fewer cases.
macro_rules! document_property {
    ($name:ident, $layout:expr, $cases:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: $cases, ..config() })]
            #[test]
            fn $name(seed in any::<u64>(), year in year()) {
                if let Err(e) = round_trip(seed, year, $layout, None, 0) {
                    return Err(TestCaseError::fail(e));
                }
            }
        }
    };
}

document_property!(html_page_reads_back_exactly, Layout::Html, 96);
// Deflating and inflating the package is slow in a debug build.
document_property!(docx_reads_back_exactly, Layout::Docx, 64);

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..config() })]
    /// The 2021 form with the single (六) 其他处理 row some units keep.
    #[test]
    fn single_other_row_in_the_2021_form(seed in any::<u64>(), year in 2021u16..=2026,
                                         layout in prop::sample::select(Layout::EVERY.to_vec())) {
        if let Err(e) = round_trip(seed, year, layout, Some(true), 0) {
            return Err(TestCaseError::fail(e));
        }
    }
}

/// The tables of a report, for comparing readings of one report.
fn tables(r: &Report) -> impl PartialEq + std::fmt::Debug + '_ {
    (&r.table2, &r.table3, &r.table4, r.year, r.format, &r.unit, r.narrative_requests)
}

#[test]
fn every_layout_reads_the_same_report_the_same() {
    for seed in 0..40u64 {
        let year = 2019 + (seed % 7) as u16;
        let report = generate::random_report(&mut Rng::new(seed), Format::for_year(year), year, "民权县", "龙塘镇");
        let mut readings = Vec::new();
        for (k, layout) in Layout::EVERY.into_iter().enumerate() {
            let rng = Rng::new(seed * 31 + k as u64);
            let text = generate::render(&report, layout, &mut rng.clone());
            let bytes = generate::render_bytes(&report, layout, &mut rng.clone());
            match read_bytes(&bytes, layout.doc_kind(), None, Some("民权县")) {
                Ok(p) => readings.push((layout, p.report)),
                Err(e) => panic!("seed {seed} {layout:?}: rejected: {e}\n-----\n{text}"),
            }
        }
        for (layout, r) in &readings {
            assert_eq!(tables(r), tables(&readings[0].1), "seed {seed}: {layout:?} vs {:?}", readings[0].0);
            assert_eq!(tables(r), tables(&report), "seed {seed}: {layout:?} vs the generated report");
        }
    }
}

/// Parse a CSV written by the tool or the generator into records (BOM-free).
fn records(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut rd = csv::ReaderBuilder::new().has_headers(true).from_path(path).expect("csv exists");
    rd.records().map(|r| r.expect("csv record").iter().map(str::to_string).collect()).collect()
}

#[test]
fn a_folder_of_generated_reports_sums_to_the_generated_numbers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let mut all = Vec::new();
    for (k, county) in ["民权县", "睢县"].into_iter().enumerate() {
        let plan = CountyPlan {
            county: county.to_string(),
            years: vec![2020, 2021, 2024],
            units: generate::unit_names(12),
            count_for: BTreeMap::from([(2020, 5)]),
            layouts: Layout::EVERY.to_vec(),
            broken: if k == 0 { vec!["程庄镇".to_string()] } else { Vec::new() },
        };
        all.extend(generate::write_county(&data, &plan, 20240601).expect("write reports"));
    }
    std::fs::write(data.join("民权县/2024/附件.xlsx"), b"not a report").expect("write");
    let truth = tmp.path().join("truth");
    let reports: Vec<(String, Report)> = all.iter().map(|g| (g.county.clone(), g.report.clone())).collect();
    generate::write_truth(&truth, &reports).expect("write truth");

    let out = tmp.path().join("out");
    let config = Config { threads: Some(2), bom: false, ..Config::new(data, out.clone()) };
    let summary = run(&config).expect("run");
    assert_eq!(summary.parsed, all.len() as u64, "{:?}", summary.first_rejections);
    assert_eq!((summary.rejected, summary.skipped), (0, 1));

    // requests.csv: every county-year-row sum equals the sum of the generated reports.
    let mut want: BTreeMap<(String, String, String), Vec<u64>> = BTreeMap::new();
    for g in &all {
        for (i, row) in g.report.table3.rows.iter().enumerate() {
            let Some(v) = row else { continue };
            let key =
                (g.county.clone(), g.report.year.to_string(), county_rollup::schema::TABLE3_ROWS[i].key.to_string());
            let slot = want.entry(key).or_insert_with(|| vec![0; 7]);
            for c in 0..7 {
                slot[c] += v[c];
            }
        }
    }
    let got: BTreeMap<(String, String, String), Vec<u64>> = records(&out.join("requests.csv"))
        .into_iter()
        .map(|r| {
            ((r[0].clone(), r[1].clone(), r[3].clone()), r[5..12].iter().map(|v| v.parse().expect("count")).collect())
        })
        .collect();
    assert_eq!(got, want);

    // The generator's truth files are what the tool writes, byte for byte.
    for name in ["requests.csv", "proactive.csv", "review_litigation.csv"] {
        let a = std::fs::read_to_string(out.join(name)).expect("tool output");
        let b = std::fs::read_to_string(truth.join(name)).expect("truth");
        assert_eq!(a, b, "{name}");
    }

    // Every file parsed; the broken unit is the only report with an error,
    // and chained years raise no carry_chain or in_force_chain warning.
    let checks = records(&out.join("checks.csv"));
    let errors: Vec<&Vec<String>> = checks.iter().filter(|r| r[5] == "error").collect();
    assert!(!errors.is_empty(), "the broken report shows in checks.csv");
    assert!(errors.iter().all(|r| r[2] == "程庄镇" && r[1] == "2024"), "{errors:?}");
    assert!(errors.iter().any(|r| r[4] == "row_total"), "{errors:?}");
    assert!(checks.iter().all(|r| r[4] != "carry_chain" && r[4] != "in_force_chain"), "{checks:?}");
    let files = records(&out.join("files.csv"));
    assert_eq!(files.iter().filter(|r| r[1] == "parsed").count(), all.len());
}

// ---------------------------------------------------------------------------
// Regressions: plausible real renderings the generator found the reader
// rejecting (page-marker look-alikes, a Markdown row of dash blanks, a lone
// 无 inside a label). Fixed in the reader; each keeps its minimal input. The
// generator still steers clear of some of them, so these are their tests.

use crate::util::SEED;
const FORM_2019_TAB: &str = include_str!("fixtures/text/2019-form-tab.txt");
const HONGZE_RAW: &str = include_str!("fixtures/real/hongze-2024-qzf.txt");

fn read_text(text: &str) -> Result<Report, String> {
    read_bytes(text.as_bytes(), DocKind::Text, None, Some("民权县")).map(|p| p.report).map_err(|e| e.to_string())
}

/// `s` with `from` replaced by `to`; `from` must be there.
fn edited(s: &str, from: &str, to: &str) -> String {
    assert!(s.contains(from), "fixture text not found: {from}");
    s.replacen(from, to, 1)
}

#[test]

fn gap_negative_value_alone_on_its_line() {
    // The 2019 form's 本年增/减 written one cell per line.
    let text = edited(FORM_2019_TAB, "行政许可\t10\t-2\t35", "行政许可\n10\n-2\n35");
    let want = read_text(FORM_2019_TAB).expect("the fixture reads");
    assert_eq!(read_text(&text).map(|r| r.table2), Ok(want.table2));
}

#[test]

fn gap_values_line_that_looks_like_a_page_footer() {
    // pdftotext -raw: the values of a wrapped label on a line of their own,
    // blanks written as —, only the last applicant column non-zero.
    let text = edited(HONGZE_RAW, "\n9 0 0 0 0 0 9\n", "\n— — — — — 9 9\n");
    let got = read_text(&text).map(|r| r.table3.get(county_rollup::schema::Row::PartiallyGranted).copied());
    assert_eq!(got, Ok(Some([0, 0, 0, 0, 0, 9, 9])));
    let text = edited(HONGZE_RAW, "\n9 0 0 0 0 0 9\n", "\n1 1 1 1 1 / 5\n");
    let got = read_text(&text).map(|r| r.table3.get(county_rollup::schema::Row::PartiallyGranted).copied());
    assert_eq!(got, Ok(Some([1, 1, 1, 1, 1, 0, 5])));
}

#[test]

fn gap_markdown_row_of_dash_blanks() {
    // A Markdown report whose table 4 (its last pipe row) is all blanks, `-`.
    let mut report = generate::random_report(&mut Rng::new(1), Format::F2021, 2024, "民权县", "城关镇");
    report.table4 = Some([[0; 5]; 3]);
    let text = generate::render(&report, Layout::Markdown, &mut Rng::new(1));
    let values_row = text.lines().rfind(|l| l.starts_with('|')).expect("a pipe row");
    let text = edited(&text, values_row, &format!("|{}", " - |".repeat(15)));
    assert_eq!(read_text(&text).map(|r| r.table4), Ok(Some([[0; 5]; 3])));
}

#[test]

fn gap_stray_space_after_wu_in_a_label() {
    // PDF converters leave stray spaces inside labels (the Hongze fixture has
    // `4.无正当理由大量反复 申请`); one right after 无 splits off a blank marker.
    let text = edited(SEED, "4. 无正当理由大量反复申请", "4. 无 正当理由大量反复申请");
    let want = read_text(SEED).expect("the seed reads");
    assert_eq!(read_text(&text).map(|r| r.table3), Ok(want.table3));
}

#[test]

fn gap_indented_page_footer() {
    const LAYOUT: &str = include_str!("fixtures/text/pdftotext-layout-blanks.txt");
    let footer = format!("\n{}- 4 -\n", " ".repeat(34));
    let text = edited(LAYOUT, &footer, &format!("\n{}- 4 -\n", " ".repeat(40)));
    let want = read_text(LAYOUT).expect("the fixture reads");
    assert_eq!(read_text(&text).map(|r| r.table3), Ok(want.table3));
}

// ---------------------------------------------------------------------------
// Regressions: pages the generator found the reader misreading (a header
// cell not merged down, a title broken by <br> under a breadcrumb or after a
// sidebar of earlier reports). Fixed in the reader; the generator still
// steers clear of some, so these minimal edits of a fixture are their tests.

const SITE_PAGE: &[u8] = include_bytes!("fixtures/html/site-page-2024.html");
const SHORT_CRUMB_PAGE: &[u8] = include_bytes!("fixtures/html/site-page-short-crumb-2024.html");
const SIDEBAR_PAGE: &[u8] = include_bytes!("fixtures/html/site-page-sidebar-2024.html");

fn read_page(page: &str) -> Result<Report, String> {
    read_bytes(page.as_bytes(), DocKind::Html, None, Some("民权县")).map(|p| p.report).map_err(|e| e.to_string())
}

#[test]
fn gap_html_total_header_not_merged_down() {
    // 总计 in the second header row only, an empty cell below it in the
    // third (as in a table whose editor did not merge that column): the
    // exact grid is the merged one but for the empty cell.
    let page = String::from_utf8(SITE_PAGE.to_vec()).expect("UTF-8 fixture");
    let want = read_page(&page).expect("the fixture reads");
    let page = edited(
        &page,
        "<td rowspan=\"2\" style=\"border:1px solid #000\"><p><span>总计</span></p></td></tr>",
        "<td style=\"border:1px solid #000\"><p><span>总计</span></p></td></tr>",
    );
    let page = edited(&page, "<p><span>其他</span></p></td></tr>", "<p><span>其他</span></p></td><td>&nbsp;</td></tr>");
    assert_eq!(read_page(&page).map(|r| r.table3), Ok(want.table3));
}

#[test]
fn gap_html_short_crumb_above_a_title_broken_by_br() {
    let page = String::from_utf8(SHORT_CRUMB_PAGE.to_vec()).expect("UTF-8 fixture");
    let want = read_page(&page).expect("the fixture reads");
    let page = edited(
        &page,
        "王庄寨镇人民政府2024年政府信息公开工作年度报告</h1>",
        "王庄寨镇人民政府<br />2024年政府信息公开工作年度报告</h1>",
    );
    let got = read_page(&page).map(|r| (r.unit, r.county, r.year));
    assert_eq!(got, Ok((want.unit, want.county, want.year)));
}

#[test]
fn gap_html_sidebar_above_a_title_broken_by_br() {
    let page = String::from_utf8(SIDEBAR_PAGE.to_vec()).expect("UTF-8 fixture");
    let want = read_page(&page).expect("the fixture reads");
    let page = edited(
        &page,
        "王庄寨镇人民政府2024年政府信息公开工作年度报告</h1>",
        "王庄寨镇人民政府<br />2024年政府信息公开工作年度报告</h1>",
    );
    let got = read_page(&page).map(|r| (r.unit, r.county, r.year));
    assert_eq!(got, Ok((want.unit, want.county, want.year)));
}

/// Seeds every run of the sweep reads, the same on every machine: the
/// property tests above draw new seeds each run, so a layout the generator
/// makes once in a few thousand reports (make bench's 20,000 found one in
/// `-raw` text) would fail one run in many. Here the first `SWEEP` seeds of
/// each text layout, all years and encodings, must read back exactly.
const SWEEP: u64 = 600;

#[test]
fn a_fixed_sweep_of_generated_text_reads_back_exactly() {
    let layouts = [Layout::Tab, Layout::OneCell, Layout::Spaces, Layout::Raw, Layout::Markdown];
    let years = [2019u16, 2020, 2021, 2022, 2023, 2024, 2025, 2026];
    let failures: Vec<String> = layouts
        .iter()
        .flat_map(|&layout| (0..SWEEP).map(move |seed| (layout, seed)))
        .filter_map(|(layout, seed)| {
            let (year, form) = (years[(seed % 8) as usize], (seed / 8 % 7) as u8);
            round_trip(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15), year, layout, None, form).err()
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} failed; the first:\n{}", failures.len(), 5 * SWEEP, failures[0]);
}
