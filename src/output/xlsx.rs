//! The workbook the county office hands on (`--xlsx`): county_rollup.xlsx.
//!
//! Sheets, in order:
//!
//! * one per county and year, `民权县2024表三`: table 3 laid out like the
//!   official form (the two-level applicant header and the nested row labels
//!   as merged cells, both taken from [`schema`]);
//! * `表二 主动公开`: table 2 of every county-year, one line per measure;
//! * `表四 复议诉讼`: table 4, one line per county-year under the form's
//!   three-level header;
//! * `同比`: the year-over-year comparison (the columns of requests_yoy.csv);
//! * `各单位`: one line per report read, with the 总计 of four key rows and
//!   the number of failed checks; reports with a failed error check are filled
//!   red;
//! * `文件`: every file and its status (the columns of files.csv), rejected
//!   files filled red.
//!
//! Like the CSV files, the workbook is written to a temporary name and renamed
//! when complete.

use crate::aggregate::{CountyYear, Totals};
use crate::checks::{Finding, Severity};
use crate::lang::Lang;
use crate::output::OutputSet;
use crate::output::csv::headers;
use crate::roster::RosterRow;
use crate::schema::Row;
use crate::schema::{self, NCOLS, TABLE3_LABEL_LEVELS, TOTAL_COL};
use crate::seen::Cross;
use crate::text::SCALE;
use crate::yoy::YoyRow;
use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;
use std::collections::HashSet;
use std::path::Path;

/// The workbook's file name in the output folder.
pub const FILE_NAME: &str = "county_rollup.xlsx";

/// The table-3 rows whose 总计 the `各单位` sheet lists for each report.
pub const UNIT_ROWS: [Row; 4] = [Row::NewRequests, Row::Granted, Row::TotalProcessed, Row::CarriedForward];

/// The folder of send-back notices, one workbook per unit with an error.
pub const SEND_BACK_DIR: &str = "退回修改";

/// Everything the workbook shows.
pub struct Contents<'a> {
    /// The sums per county and year.
    pub totals: &'a Totals,
    /// The year-over-year rows (as in requests_yoy.csv).
    pub yoy: &'a [YoyRow],
    /// Every finding, by file number.
    pub findings: &'a [(u32, Finding)],
    /// The reports read and the checks across files.
    pub cross: &'a Cross,
    /// The roster's statuses, with --roster.
    pub roster: Option<&'a [RosterRow]>,
    /// The language of the sheets.
    pub lang: Lang,
}

/// Names of the sheets other than the per-county-year table-3 sheets.
pub mod sheets {
    /// Table 2 of every county-year.
    pub const TABLE2: &str = "表二 主动公开";
    /// Table 4 of every county-year.
    pub const TABLE4: &str = "表四 复议诉讼";
    /// Year over year.
    pub const YOY: &str = "同比";
    /// One line per report.
    pub const UNITS: &str = "各单位";
    /// Every file and its status.
    pub const FILES: &str = "文件";
    /// The suffix of each county-year's table-3 sheet (`民权县2024表三`).
    pub const TABLE3_SUFFIX: &str = "表三";
}

/// Rows above the data on a table-3 sheet: the title and three header rows.
pub const TABLE3_DATA_ROW: u32 = 4;

/// Write `dir/county_rollup.xlsx` atomically.
pub fn write(set: &OutputSet, c: &Contents) -> Result<()> {
    let files = read_files_csv(&set.path("files.csv"))?;
    let mut wb = build(c, &files).context("cannot build the workbook")?;
    let path = set.path(FILE_NAME);
    wb.save(&path).with_context(|| format!("cannot write {}", path.display()))?;
    // Opened for writing: Windows flushes a file only through a handle that
    // may write it (FlushFileBuffers on a read-only one is "Access denied").
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The records of files.csv as written (the workbook lists every file).
fn read_files_csv(path: &Path) -> Result<Vec<Vec<String>>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&bytes);
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(text);
    let mut out = Vec::new();
    for rec in r.records() {
        out.push(rec?.iter().map(str::to_string).collect());
    }
    Ok(out)
}

/// Build the workbook in memory.
pub fn build(c: &Contents, files: &[Vec<String>]) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let mut props = DocProperties::new().set_title("政府信息公开工作年度报告 汇总").set_author("county-rollup");
    // Reproducible files when the caller asks (the reproducible-builds convention).
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()) {
        props = props.set_creation_datetime(&ExcelDateTime::from_timestamp(t)?);
    }
    wb.set_properties(&props);
    let st = Styles::new();
    let mut names = SheetNames::default();
    for ((county, year), cy) in &c.totals.by_county_year {
        let name = names.unique(&format!("{county}{year}{}", sheets::TABLE3_SUFFIX));
        table3_sheet(wb.add_worksheet().set_name(name)?, &st, county, *year, cy)?;
    }
    table2_sheet(wb.add_worksheet().set_name(names.unique(sheets::TABLE2))?, &st, c.totals)?;
    table4_sheet(wb.add_worksheet().set_name(names.unique(sheets::TABLE4))?, &st, c.totals)?;
    yoy_sheet(wb.add_worksheet().set_name(names.unique(sheets::YOY))?, &st, c.yoy)?;
    units_sheet(wb.add_worksheet().set_name(names.unique(sheets::UNITS))?, &st, c)?;
    files_sheet(wb.add_worksheet().set_name(names.unique(sheets::FILES))?, &st, files)?;
    Ok(wb)
}

/// Excel's rules for sheet names: at most 31 characters, none of `[]:*?/\`,
/// no leading or trailing `'`, unique regardless of case.
#[derive(Default)]
struct SheetNames(HashSet<String>);

impl SheetNames {
    fn unique(&mut self, want: &str) -> String {
        const MAX: usize = 31;
        let clean: String = want.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).collect();
        let clean = clean.trim_matches('\'');
        let base: String = if clean.is_empty() { "Sheet".into() } else { clean.chars().take(MAX).collect() };
        let mut name = base.clone();
        let mut n = 2;
        while !self.0.insert(name.to_lowercase()) {
            let suffix = format!("({n})");
            name = base.chars().take(MAX - suffix.chars().count()).collect::<String>() + &suffix;
            n += 1;
        }
        name
    }
}

struct Styles {
    title: Format,
    header: Format,
    label: Format,
    group: Format,
    number: Format,
    percent: Format,
    text: Format,
    number_bad: Format,
    text_bad: Format,
}

/// The fill of lines that need attention (Excel's "bad" red).
const BAD_FILL: u32 = 0xFFC7CE;

impl Styles {
    fn new() -> Styles {
        let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let number = cell.clone().set_align(FormatAlign::Right);
        let text = cell.clone().set_align(FormatAlign::Left);
        Styles {
            title: Format::new().set_bold().set_font_size(12),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xD9E1F2)),
            label: text.clone().set_text_wrap(),
            group: cell.clone().set_text_wrap().set_align(FormatAlign::Center),
            number_bad: number.clone().set_background_color(Color::RGB(BAD_FILL)),
            percent: number.clone().set_num_format("0.0"),
            text_bad: text.clone().set_background_color(Color::RGB(BAD_FILL)),
            number,
            text,
        }
    }
}

/// One cell of a nested header: `text` over positions `a..=b` along the
/// header and levels `l0..=l1` across it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Span<'a> {
    a: usize,
    b: usize,
    l0: usize,
    l1: usize,
    text: &'a str,
}

/// Lay out a nested header. Each position has a path, one entry per level,
/// `None` where the cell of the level before stretches over it. Neighbours
/// with the same path up to a level share one cell at that level.
fn spans<'a>(paths: &[Vec<Option<&'a str>>]) -> Vec<Span<'a>> {
    let depth = paths.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |i: usize, l: usize| paths[i].get(l).copied().flatten();
    let key = |i: usize, l: usize| (&paths[i][..=l], cell(i, l + 1).is_none());
    let mut out = Vec::new();
    for l in 0..depth {
        let mut i = 0;
        while i < paths.len() {
            let Some(text) = cell(i, l) else {
                i += 1;
                continue;
            };
            let mut b = i;
            while b + 1 < paths.len() && cell(b + 1, l).is_some() && key(b + 1, l) == key(i, l) {
                b += 1;
            }
            let mut l1 = l;
            while l1 + 1 < depth && (i..=b).all(|j| cell(j, l1 + 1).is_none()) {
                l1 += 1;
            }
            out.push(Span { a: i, b, l0: l, l1, text });
            i = b + 1;
        }
    }
    out
}

/// Print on landscape pages one sheet wide, the header rows `0..=header` on
/// every page.
fn print_wide(ws: &mut Worksheet, header: u32) -> Result<(), XlsxError> {
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, header)?;
    Ok(())
}

/// Write one cell or a merged range.
fn put(
    ws: &mut Worksheet,
    (r0, c0): (u32, u16),
    (r1, c1): (u32, u16),
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if (r0, c0) == (r1, c1) {
        ws.write_string_with_format(r0, c0, text, f)?;
    } else {
        ws.merge_range(r0, c0, r1, c1, text, f)?;
    }
    Ok(())
}

/// Columns (in Excel's width units) a text needs: CJK and full-width
/// characters are about two units wide.
fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 }).sum()
}

/// The column paths of a table whose labels use ` / ` between levels.
fn split_levels(label: &str) -> Vec<&str> {
    label.split(" / ").collect()
}

fn column_width(
    ws: &mut Worksheet,
    col: u16,
    texts: impl IntoIterator<Item = f64>,
    min: f64,
    max: f64,
) -> Result<(), XlsxError> {
    let w = texts.into_iter().fold(min, f64::max).min(max);
    ws.set_column_width(col, w + 1.0)?;
    Ok(())
}

fn table3_sheet(ws: &mut Worksheet, st: &Styles, county: &str, year: u16, cy: &CountyYear) -> Result<(), XlsxError> {
    let c0 = TABLE3_LABEL_LEVELS as u16;
    let last_col = c0 + NCOLS as u16 - 1;
    let title = format!("{county} {year} 年  {}（{} 份报告合计）", schema::TABLE3_HEADING, cy.units3);
    put(ws, (0, 0), (0, last_col), &title, &st.title)?;

    // Header: 申请人情况 over the six applicant columns, 总计 beside it.
    put(ws, (1, 0), (TABLE3_DATA_ROW - 1, c0 - 1), schema::TABLE3_NOTE, &st.group)?;
    let col_paths: Vec<Vec<Option<&str>>> = schema::TABLE3_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let mut p: Vec<Option<&str>> = Vec::new();
            if i != TOTAL_COL {
                p.push(Some(schema::TABLE3_APPLICANTS));
            }
            p.extend(split_levels(col.label).into_iter().map(Some));
            p.resize(TABLE3_DATA_ROW as usize - 1, None);
            p
        })
        .collect();
    for s in spans(&col_paths) {
        put(ws, (1 + s.l0 as u32, c0 + s.a as u16), (1 + s.l1 as u32, c0 + s.b as u16), s.text, &st.header)?;
    }

    // Rows: the form's nested labels as merged cells, then the numbers.
    let present: Vec<(usize, &[u128; NCOLS])> =
        cy.requests.iter().enumerate().filter_map(|(i, r)| r.as_ref().map(|v| (i, v))).collect();
    let row_paths: Vec<Vec<Option<&str>>> =
        present.iter().map(|(i, _)| schema::table3_label_path(*i).to_vec()).collect();
    let label_spans = spans(&row_paths);
    for s in &label_spans {
        let f = if s.l0 == s.l1 && s.a != s.b { &st.group } else { &st.label };
        put(ws, (TABLE3_DATA_ROW + s.a as u32, s.l0 as u16), (TABLE3_DATA_ROW + s.b as u32, s.l1 as u16), s.text, f)?;
    }
    for (k, (_, v)) in present.iter().enumerate() {
        for (c, n) in v.iter().enumerate() {
            ws.write_number_with_format(TABLE3_DATA_ROW + k as u32, c0 + c as u16, *n as f64, &st.number)?;
        }
    }

    // Widths: each label column fits its one-column labels (long ones wrap).
    for level in 0..TABLE3_LABEL_LEVELS {
        let texts = label_spans.iter().filter(|s| s.l0 == level && s.l1 == level).map(|s| text_width(s.text));
        let (min, max) = if level == TABLE3_LABEL_LEVELS - 1 { (30.0, 48.0) } else { (8.0, 14.0) };
        column_width(ws, level as u16, texts, min, max)?;
    }
    for c in 0..NCOLS {
        let leaf = col_paths[c].iter().rev().find_map(|p| *p).unwrap_or("");
        let digits = present.iter().map(|(_, v)| v[c].to_string().len() as f64);
        column_width(ws, c0 + c as u16, digits.chain([text_width(leaf)]), 8.0, 14.0)?;
    }
    ws.set_freeze_panes(TABLE3_DATA_ROW, c0)?;
    print_wide(ws, TABLE3_DATA_ROW - 1)
}

fn decimal(v: i128) -> f64 {
    v as f64 / SCALE as f64
}

/// Header row of the list sheets, with its column widths.
fn header_row(ws: &mut Worksheet, st: &Styles, row: u32, cols: &[(&str, f64)]) -> Result<(), XlsxError> {
    for (c, (name, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *name, &st.header)?;
        ws.set_column_width(c as u16, width.max(text_width(name) + 2.0))?;
    }
    Ok(())
}

fn table2_sheet(ws: &mut Worksheet, st: &Styles, totals: &Totals) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, schema::TABLE2_HEADING, &st.title)?;
    header_row(
        ws,
        st,
        1,
        &[("县", 10.0), ("年度", 6.0), ("报告数", 6.0), ("信息内容", 16.0), ("指标", 28.0), ("数值", 10.0)],
    )?;
    let mut r = 2;
    for ((county, year), cy) in &totals.by_county_year {
        let n = &cy.units2;
        for ((format, ii, mi), v) in &cy.proactive {
            let item = &schema::table2_items(*format)[*ii];
            ws.write_string_with_format(r, 0, county, &st.text)?;
            ws.write_number_with_format(r, 1, *year, &st.number)?;
            ws.write_number_with_format(r, 2, *n as f64, &st.number)?;
            ws.write_string_with_format(r, 3, item.label, &st.text)?;
            ws.write_string_with_format(r, 4, item.measures[*mi].label, &st.text)?;
            ws.write_number_with_format(r, 5, decimal(*v), &st.number)?;
            r += 1;
        }
    }
    ws.set_freeze_panes(2, 0)?;
    if r > 2 {
        ws.autofilter(1, 0, r - 1, 5)?;
    }
    print_wide(ws, 1)
}

fn table4_sheet(ws: &mut Worksheet, st: &Styles, totals: &Totals) -> Result<(), XlsxError> {
    const KEYS: u16 = 3;
    let paths: Vec<Vec<Option<&str>>> = schema::TABLE4_PROCEEDINGS
        .iter()
        .flat_map(|p| {
            let levels = split_levels(p.label);
            schema::TABLE4_COLUMNS.iter().map(move |c| {
                // The form puts the outcome columns on the bottom row; a
                // proceeding named in one level stretches down over the gap.
                let mut path: Vec<Option<&str>> = levels.iter().copied().map(Some).collect();
                path.resize(2, None);
                path.push(Some(c.label));
                path
            })
        })
        .collect();
    let depth = 3u32;
    let last_col = KEYS + paths.len() as u16 - 1;
    put(ws, (0, 0), (0, last_col), schema::TABLE4_HEADING, &st.title)?;
    for (c, (name, width)) in [("县", 10.0), ("年度", 6.0), ("报告数", 6.0)].iter().enumerate() {
        put(ws, (1, c as u16), (depth, c as u16), name, &st.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for s in spans(&paths) {
        put(ws, (1 + s.l0 as u32, KEYS + s.a as u16), (1 + s.l1 as u32, KEYS + s.b as u16), s.text, &st.header)?;
    }
    for c in 0..paths.len() as u16 {
        ws.set_column_width(KEYS + c, 9.0)?;
    }
    for (k, ((county, year), cy)) in totals.by_county_year.iter().enumerate() {
        let r = depth + 1 + k as u32;
        ws.write_string_with_format(r, 0, county, &st.text)?;
        ws.write_number_with_format(r, 1, *year, &st.number)?;
        ws.write_number_with_format(r, 2, cy.units4 as f64, &st.number)?;
        for (k, v) in cy.review.iter().flatten().enumerate() {
            ws.write_number_with_format(r, KEYS + k as u16, *v as f64, &st.number)?;
        }
    }
    ws.set_freeze_panes(depth + 1, KEYS)?;
    print_wide(ws, depth)
}

fn opt_number(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(r, c, v, f)?,
        None => ws.write_blank(r, c, f)?,
    };
    Ok(())
}

fn yoy_sheet(ws: &mut Worksheet, st: &Styles, rows: &[YoyRow]) -> Result<(), XlsxError> {
    let widths = [10.0, 6.0, 32.0, 56.0, 10.0, 10.0, 8.0, 8.0];
    let cols: Vec<(&str, f64)> = headers::REQUESTS_YOY.iter().copied().zip(widths).collect();
    header_row(ws, st, 0, &cols)?;
    for (k, y) in rows.iter().enumerate() {
        let r = k as u32 + 1;
        let def = &schema::TABLE3_ROWS[y.row];
        ws.write_string_with_format(r, 0, &y.county, &st.text)?;
        ws.write_number_with_format(r, 1, y.year, &st.number)?;
        ws.write_string_with_format(r, 2, def.key, &st.text)?;
        ws.write_string_with_format(r, 3, def.label, &st.text)?;
        opt_number(ws, r, 4, y.this_year.map(|v| v as f64), &st.number)?;
        opt_number(ws, r, 5, y.last_year.map(|v| v as f64), &st.number)?;
        opt_number(ws, r, 6, y.change().map(|v| v as f64), &st.number)?;
        opt_number(ws, r, 7, y.change_pct().map(|p| (p * 10.0).round() / 10.0), &st.percent)?;
    }
    ws.set_freeze_panes(1, 0)?;
    print_wide(ws, 0)
}

fn units_sheet(ws: &mut Worksheet, st: &Styles, c: &Contents) -> Result<(), XlsxError> {
    let labels: Vec<&str> = UNIT_ROWS.iter().map(|r| schema::table3_own_label(r.index())).collect();
    let mut cols: Vec<(&str, f64)> = vec![("县", 10.0), ("年度", 6.0), ("单位", 16.0), ("文件", 30.0)];
    cols.extend(labels.iter().map(|l| (*l, 12.0)));
    cols.extend([("错误", 6.0), ("警告", 6.0)]);
    for (k, (name, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, k as u16, *name, &st.header)?;
        ws.set_column_width(k as u16, *width)?;
    }
    ws.set_row_height(0, 45)?;
    let mut counts: HashMap<u32, (u64, u64)> = HashMap::new();
    for (idx, f) in c.findings {
        let e = counts.entry(*idx).or_default();
        match f.severity {
            Severity::Error => e.0 += 1,
            Severity::Warning => e.1 += 1,
        }
    }
    let mut r = 0u32;
    for u in c.cross.lines() {
        r += 1;
        let (errors, warnings) = counts.get(&u.idx).copied().unwrap_or_default();
        let (t, n) = if errors > 0 { (&st.text_bad, &st.number_bad) } else { (&st.text, &st.number) };
        ws.write_string_with_format(r, 0, u.county, t)?;
        ws.write_number_with_format(r, 1, u.year, n)?;
        ws.write_string_with_format(r, 2, u.unit, t)?;
        ws.write_string_with_format(r, 3, u.file, t)?;
        for (k, v) in u.key_totals.iter().enumerate() {
            opt_number(ws, r, 4 + k as u16, v.map(|v| v as f64), n)?;
        }
        ws.write_number_with_format(r, 8, errors as f64, n)?;
        ws.write_number_with_format(r, 9, warnings as f64, n)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if r > 0 {
        ws.autofilter(0, 0, r, cols.len() as u16 - 1)?;
    }
    print_wide(ws, 0)
}

fn files_sheet(ws: &mut Worksheet, st: &Styles, files: &[Vec<String>]) -> Result<(), XlsxError> {
    let widths = [36.0, 9.0, 10.0, 6.0, 16.0, 6.0, 60.0];
    let cols: Vec<(&str, f64)> = headers::FILES.iter().copied().zip(widths).collect();
    header_row(ws, st, 0, &cols)?;
    for (k, rec) in files.iter().enumerate() {
        let r = k as u32 + 1;
        let f = if rec.get(1).map(String::as_str) == Some("rejected") { &st.text_bad } else { &st.text };
        for (c, v) in rec.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, f)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !files.is_empty() {
        ws.autofilter(0, 0, files.len() as u32, cols.len() as u16 - 1)?;
    }
    print_wide(ws, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let mut n = SheetNames::default();
        assert_eq!(n.unique("民权县2024表三"), "民权县2024表三");
        assert_eq!(n.unique("民权县2024表三"), "民权县2024表三(2)");
        let long = "很".repeat(40);
        let a = n.unique(&long);
        let b = n.unique(&long);
        assert_eq!(a.chars().count(), 31);
        assert_eq!(b.chars().count(), 31);
        assert!(b.ends_with("(2)") && a != b);
        assert_eq!(n.unique("a/b:c"), "a_b_c");
        assert_eq!(n.unique("Sheet"), "Sheet");
        assert_eq!(n.unique("SHEET"), "SHEET(2)");
    }

    #[test]
    fn nested_header_spans() {
        let p = |v: &[Option<&'static str>]| v.to_vec();
        let paths = vec![
            p(&[Some("A"), Some("x"), None]),
            p(&[Some("A"), Some("G"), Some("1")]),
            p(&[Some("A"), Some("G"), Some("2")]),
            p(&[Some("T"), None, None]),
        ];
        let s = spans(&paths);
        let find = |t: &str| s.iter().find(|x| x.text == t).unwrap().clone();
        assert_eq!(find("A"), Span { a: 0, b: 2, l0: 0, l1: 0, text: "A" });
        assert_eq!(find("x"), Span { a: 0, b: 0, l0: 1, l1: 2, text: "x" });
        assert_eq!(find("G"), Span { a: 1, b: 2, l0: 1, l1: 1, text: "G" });
        assert_eq!(find("T"), Span { a: 3, b: 3, l0: 0, l1: 2, text: "T" });
        assert_eq!(s.len(), 6);
    }
}
