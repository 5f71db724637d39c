//! The list sheets: 核查问题, 报送情况, the three 同比 sheets, 各单位 and 文件.
//! Each has one header row (Chinese, or the CSV column names with `--lang
//! en`), frozen, with filters, printed on every page.

use super::{Contents, Issue, Styles, header_row, height, lines, number_or_text, opt_number, print_setup, put, text};
use crate::aggregate::{Totals, decimal_text};
use crate::checks::{Severity, check_name};
use crate::lang::Lang;
use crate::output::records::FileRecord;
use crate::roster::RosterRow;
use crate::schema::{self, printed};
use crate::seen::Status;
use crate::text::SCALE;
use crate::yoy::YoyRow;
use rust_xlsxwriter::{Worksheet, XlsxError};
use std::collections::{BTreeSet, HashMap};

/// The word a person reads for a status of files.csv or roster.csv.
pub(super) fn status_word(status: &str, lang: Lang) -> &str {
    let zh = match status {
        "parsed" => "已汇总",
        "submitted" => "已报送",
        "partial" => "部分表格未汇总",
        "duplicate" => "重复报送",
        "rejected" => "未能读取",
        "skipped" => "跳过（不是报告）",
        "missing" => "未报送",
        "not_in_roster" => "不在名单内",
        other => other,
    };
    lang.pick(zh, status)
}

/// Freeze the header, filter its columns over `rows` lines, print it on every page.
fn finish_list(ws: &mut Worksheet, lang: Lang, header: u32, last_row: u32, cols: usize) -> Result<(), XlsxError> {
    ws.set_freeze_panes(header + 1, 0)?;
    if last_row > header {
        ws.autofilter(header, 0, last_row, cols as u16 - 1)?;
    }
    print_setup(ws, lang, Some((0, header)))
}

/// Every broken rule, errors first (then in file order).
pub(super) fn issues_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang, issues: &[Issue]) -> Result<(), XlsxError> {
    let h = |zh, en| lang.pick(zh, en);
    let cols = [
        (h("县", "county"), 9.0),
        (h("年度", "year"), 6.0),
        (h("单位", "unit"), 12.0),
        (h("文件", "file"), 24.0),
        (h("核查项", "check"), 12.0),
        (h("严重程度", "severity"), 7.0),
        (h("说明", "detail"), 60.0),
        (h("填报数", "stated"), 8.0),
        (h("应为", "expected"), 8.0),
        (h("相差", "difference"), 8.0),
    ];
    let widths = header_row(ws, st, 0, &cols)?;
    let mut order: Vec<&Issue> = issues.iter().collect();
    order.sort_by_key(|i| i.severity); // stable: file order within each severity
    let mut r = 0u32;
    for i in order {
        r += 1;
        let (t, w) = match i.severity {
            Severity::Error => (&st.text_bad, &st.wrap_bad),
            Severity::Warning => (&st.text, &st.wrap),
        };
        text(ws, r, 0, i.county, &st.wrap)?;
        if i.year > 0 {
            ws.write_number_with_format(r, 1, i.year, &st.number)?;
        } else {
            ws.write_blank(r, 1, &st.number)?;
        }
        text(ws, r, 2, i.unit, &st.wrap)?;
        text(ws, r, 3, i.file, &st.wrap)?;
        text(ws, r, 4, check_name(i.check, lang), t)?;
        text(ws, r, 5, i.severity.word(lang), t)?;
        text(ws, r, 6, &i.detail, w)?;
        match &i.numbers {
            Some((a, b, d)) => {
                for (c, v) in [(7, a), (8, b), (9, d)] {
                    number_or_text(ws, r, c, v, &st.number, &st.text)?;
                }
            }
            None => {
                for c in 7..10 {
                    ws.write_blank(r, c, &st.number)?;
                }
            }
        }
        let n = [(0, i.county), (2, i.unit), (3, i.file), (6, &i.detail)]
            .iter()
            .map(|(c, s)| lines(s, widths[*c]))
            .max()
            .unwrap_or(1);
        ws.set_row_height(r, height(n))?;
    }
    finish_list(ws, lang, 0, r, cols.len())
}

/// Every unit of the roster and its status, in the roster's order, the
/// missing ones filled orange; a count per county-year under the list.
pub(super) fn roster_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang, rows: &[RosterRow]) -> Result<(), XlsxError> {
    let h = |zh, en| lang.pick(zh, en);
    let has_category = rows.iter().any(|r| r.category.is_some());
    let mut cols =
        vec![(h("序号", "no"), 5.0), (h("县", "county"), 10.0), (h("年度", "year"), 6.0), (h("单位", "unit"), 18.0)];
    if has_category {
        cols.push((h("类别", "category"), 8.0));
    }
    cols.extend([(h("状态", "status"), 14.0), (h("文件", "file"), 40.0)]);
    let title = h("各单位报送情况", "Who has reported");
    put(ws, (0, 0), (0, cols.len() as u16 - 1), title, &st.heading)?;
    ws.set_row_height(0, 24.0)?;
    let widths = header_row(ws, st, 1, &cols)?;
    let mut r = 1u32;
    // Per county-year, in order: how many units have each status.
    type Counts<'a> = Vec<((&'a str, u16), HashMap<&'a str, u64>)>;
    let mut counts: Counts = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        r += 1;
        let (t, n) = match row.status {
            "missing" => (&st.text_missing, &st.number_missing),
            "rejected" => (&st.text_bad, &st.number_bad),
            "partial" | "duplicate" => (&st.text_warn, &st.number_warn),
            _ => (&st.text, &st.number),
        };
        let mut c = 0u16;
        ws.write_number_with_format(r, c, (k + 1) as f64, n)?;
        c += 1;
        text(ws, r, c, &row.county, t)?;
        ws.write_number_with_format(r, c + 1, row.year, n)?;
        text(ws, r, c + 2, &row.unit, t)?;
        c += 3;
        if has_category {
            text(ws, r, c, row.category.as_deref().unwrap_or(""), t)?;
            c += 1;
        }
        text(ws, r, c, status_word(row.status, lang), t)?;
        let files = row.files.join("\n");
        let wrap = match row.status {
            "missing" => &st.text_missing,
            "rejected" => &st.wrap_bad,
            "partial" | "duplicate" => &st.wrap_warn,
            _ => &st.wrap,
        };
        text(ws, r, c + 1, &files, wrap)?;
        let n = lines(&files, widths[c as usize + 1]).max(lines(&row.unit, widths[3]));
        ws.set_row_height(r, height(n))?;
        let key = (row.county.as_str(), row.year);
        if counts.last().is_none_or(|(k, _)| *k != key) {
            counts.push((key, HashMap::new()));
        }
        if let Some((_, m)) = counts.last_mut() {
            *m.entry(row.status).or_default() += 1;
        }
    }
    let last = r;
    r += 1;
    for ((county, year), m) in &counts {
        r += 1;
        let get = |s: &str| m.get(s).copied().unwrap_or(0);
        let listed: u64 = m.iter().filter(|(s, _)| **s != "not_in_roster").map(|(_, n)| n).sum();
        let line = match lang {
            Lang::Zh => format!(
                "{county} {year} 年：名单内 {listed} 个单位，已报送 {}，部分表格未汇总 {}，重复报送 {}，未能读取 {}，未报送 {}；不在名单内 {}",
                get("submitted"),
                get("partial"),
                get("duplicate"),
                get("rejected"),
                get("missing"),
                get("not_in_roster")
            ),
            Lang::En => format!(
                "{county} {year}: {listed} units listed: {} submitted, {} partial, {} duplicate, {} rejected, {} missing; {} not in the list",
                get("submitted"),
                get("partial"),
                get("duplicate"),
                get("rejected"),
                get("missing"),
                get("not_in_roster")
            ),
        };
        put(ws, (r, 0), (r, cols.len() as u16 - 1), &line, &st.note)?;
    }
    ws.set_freeze_panes(2, 0)?;
    if last > 1 {
        ws.autofilter(1, 0, last, cols.len() as u16 - 1)?;
    }
    print_setup(ws, lang, Some((0, 1)))
}

/// One county-year beside the year before, for a 同比 sheet.
struct Compare<'a> {
    county: &'a str,
    year: u16,
    /// Reports summed this year and last year.
    units: (u64, u64),
    /// Label, this year, last year, and whether the numbers have decimals.
    rows: Vec<(String, Option<f64>, Option<f64>, bool)>,
}

/// The county-years whose year before is in the input.
fn pairs(
    totals: &Totals,
) -> impl Iterator<Item = (&str, u16, &crate::aggregate::CountyYear, &crate::aggregate::CountyYear)> {
    totals.by_county_year.iter().filter_map(|((county, year), cy)| {
        let prev = totals.by_county_year.get(&(county.clone(), year.checked_sub(1)?))?;
        Some((county.as_str(), *year, cy, prev))
    })
}

/// A 同比 sheet: per county-year, first the number of reports summed each
/// year (filled when it differs: a change in it changes every sum), then the
/// table's rows.
fn compare_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang, blocks: &[Compare]) -> Result<(), XlsxError> {
    let h = |zh, en| lang.pick(zh, en);
    let cols = [
        (h("县", "county"), 10.0),
        (h("年度", "year"), 6.0),
        (h("项目", "label"), 50.0),
        (h("本年", "this_year_total"), 10.0),
        (h("上年", "last_year_total"), 10.0),
        (h("增减", "change"), 10.0),
        (h("增减幅度(%)", "change_pct"), 10.0),
    ];
    let widths = header_row(ws, st, 0, &cols)?;
    let mut r = 0u32;
    for b in blocks {
        let units = h("汇总报告数（份）", "units (reports summed)");
        let first = (units.to_string(), Some(b.units.0 as f64), Some(b.units.1 as f64), false);
        for (k, (label, this, last, decimals)) in std::iter::once(&first).chain(&b.rows).enumerate() {
            r += 1;
            let differs = k == 0 && this != last;
            let (t, n, p) = match (k, differs) {
                (0, true) => (&st.text_units, &st.number_units, &st.percent_units),
                (0, false) => (&st.label_bold, &st.number, &st.percent),
                _ => (&st.wrap, if *decimals { &st.decimal } else { &st.number }, &st.percent),
            };
            text(ws, r, 0, b.county, if differs { t } else { &st.wrap })?;
            ws.write_number_with_format(r, 1, b.year, if differs { n } else { &st.number })?;
            text(ws, r, 2, label, t)?;
            opt_number(ws, r, 3, *this, n)?;
            opt_number(ws, r, 4, *last, n)?;
            let change = this.zip(*last).map(|(a, b)| a - b);
            opt_number(ws, r, 5, change.map(|c| (c * 10_000.0).round() / 10_000.0), n)?;
            let pct = change.zip(last.filter(|l| *l > 0.0)).map(|(c, l)| (c * 1000.0 / l).round() / 10.0);
            opt_number(ws, r, 6, pct, p)?;
            ws.set_row_height(r, height(lines(label, widths[2]).max(lines(b.county, widths[0]))))?;
        }
    }
    finish_list(ws, lang, 0, r, cols.len())
}

/// A table-3 row named on a line of its own: its group and its own label
/// (`（三）不予公开 2.其他法律行政法规禁止公开`), or its top-level label.
fn row_label(i: usize) -> String {
    let path = schema::table3_label_path(i);
    let parts: Vec<&str> =
        if path[1].is_some() { path[1..].iter().flatten().copied().collect() } else { vec![path[0].unwrap_or("")] };
    printed(&parts.join(" "))
}

/// 同比 for table 3: the rows of requests_yoy.csv.
pub(super) fn yoy3_sheet(
    ws: &mut Worksheet,
    st: &Styles,
    lang: Lang,
    totals: &Totals,
    yoy: &[YoyRow],
) -> Result<(), XlsxError> {
    let mut blocks: Vec<Compare> = pairs(totals)
        .map(|(county, year, cy, prev)| Compare { county, year, units: (cy.units3, prev.units3), rows: Vec::new() })
        .collect();
    for y in yoy {
        let Some(b) = blocks.iter_mut().find(|b| b.county == y.county && b.year == y.year) else { continue };
        let label = row_label(y.row);
        b.rows.push((label, y.this_year.map(|v| v as f64), y.last_year.map(|v| v as f64), false));
    }
    compare_sheet(ws, st, lang, &blocks)
}

/// 同比 for table 2: every measure either year has.
pub(super) fn yoy2_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang, totals: &Totals) -> Result<(), XlsxError> {
    let value = |v: i128| decimal_text(v).parse::<f64>().unwrap_or(v as f64 / SCALE as f64);
    let blocks: Vec<Compare> = pairs(totals)
        .map(|(county, year, cy, prev)| {
            let keys: BTreeSet<_> = cy.proactive.keys().chain(prev.proactive.keys()).copied().collect();
            let rows = keys
                .into_iter()
                .map(|k @ (form, ii, mi)| {
                    let item = &schema::table2_items(form)[ii];
                    let label = format!("{} / {}", printed(item.label), printed(item.measures[mi].label));
                    let (this, last) = (cy.proactive.get(&k), prev.proactive.get(&k));
                    (label, this.map(|v| value(*v)), last.map(|v| value(*v)), item.measures[mi].decimal)
                })
                .collect();
            Compare { county, year, units: (cy.units2, prev.units2), rows }
        })
        .collect();
    compare_sheet(ws, st, lang, &blocks)
}

/// 同比 for table 4: the five numbers of each proceeding.
pub(super) fn yoy4_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang, totals: &Totals) -> Result<(), XlsxError> {
    let blocks: Vec<Compare> = pairs(totals)
        .map(|(county, year, cy, prev)| {
            let side =
                |c: &crate::aggregate::CountyYear, p: usize, k: usize| (c.units4 > 0).then(|| c.review[p][k] as f64);
            let mut rows = Vec::new();
            for (p, proc_) in schema::TABLE4_PROCEEDINGS.iter().enumerate() {
                for (k, col) in schema::TABLE4_COLUMNS.iter().enumerate() {
                    rows.push((format!("{} / {}", proc_.label, col.label), side(cy, p, k), side(prev, p, k), false));
                }
            }
            Compare { county, year, units: (cy.units4, prev.units4), rows }
        })
        .collect();
    compare_sheet(ws, st, lang, &blocks)
}

/// One line per report read: its status, the 总计 of four key rows, the
/// checks it failed; filled red where one is an error.
pub(super) fn units_sheet(ws: &mut Worksheet, st: &Styles, c: &Contents) -> Result<(), XlsxError> {
    let lang = c.lang;
    let h = |zh, en| lang.pick(zh, en);
    let labels: Vec<String> = super::UNIT_ROWS
        .iter()
        .map(|r| match lang {
            Lang::Zh => printed(schema::table3_own_label(r.index())),
            Lang::En => r.key().to_string(),
        })
        .collect();
    let mut cols: Vec<(&str, f64)> =
        vec![(h("县", "county"), 10.0), (h("年度", "year"), 6.0), (h("单位", "unit"), 14.0), (h("文件", "file"), 28.0)];
    cols.push((h("状态", "status"), 10.0));
    cols.extend(labels.iter().map(|l| (l.as_str(), 12.0)));
    cols.extend([(h("错误", "errors"), 6.0), (h("提示", "warnings"), 6.0)]);
    let widths = header_row(ws, st, 0, &cols)?;
    let mut counts: HashMap<&str, (u64, u64)> = HashMap::new();
    for i in &c.issues {
        let e = counts.entry(i.file).or_default();
        match i.severity {
            Severity::Error => e.0 += 1,
            Severity::Warning => e.1 += 1,
        }
    }
    let mut r = 0u32;
    for u in &c.reports {
        r += 1;
        let (errors, warnings) = counts.get(u.file).copied().unwrap_or_default();
        let bad = errors > 0;
        let (t, w, n) =
            if bad { (&st.text_bad, &st.wrap_bad, &st.number_bad) } else { (&st.text, &st.wrap, &st.number) };
        text(ws, r, 0, u.county, w)?;
        ws.write_number_with_format(r, 1, u.year, n)?;
        text(ws, r, 2, u.unit, w)?;
        text(ws, r, 3, u.file, w)?;
        let status = if u.status == Status::Duplicate { &st.text_warn } else { t };
        text(ws, r, 4, status_word(u.status.as_str(), lang), if bad { t } else { status })?;
        for (k, v) in u.key_totals.iter().enumerate() {
            opt_number(ws, r, 5 + k as u16, v.map(|v| v as f64), n)?;
        }
        ws.write_number_with_format(r, 9, errors as f64, n)?;
        ws.write_number_with_format(r, 10, warnings as f64, n)?;
        let lines_ = [(0, u.county), (2, u.unit), (3, u.file)].iter().map(|(c, s)| lines(s, widths[*c])).max();
        ws.set_row_height(r, height(lines_.unwrap_or(1)))?;
    }
    finish_list(ws, lang, 0, r, cols.len())
}

/// Every file and its status (the lines of files.csv), rejected files red,
/// partial and duplicate ones yellow.
pub(super) fn files_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang, files: &[FileRecord]) -> Result<(), XlsxError> {
    let h = |zh, en| lang.pick(zh, en);
    let cols = [
        (h("文件", "file"), 32.0),
        (h("状态", "status"), 12.0),
        (h("县", "county"), 10.0),
        (h("年度", "year"), 6.0),
        (h("单位", "unit"), 14.0),
        (h("表格版本", "format"), 8.0),
        (h("原因", "reason"), 60.0),
    ];
    let widths = header_row(ws, st, 0, &cols)?;
    for (k, rec) in files.iter().enumerate() {
        let r = k as u32 + 1;
        let status = rec.status.as_str();
        let (t, w, n_) = match status {
            "rejected" => (&st.text_bad, &st.wrap_bad, &st.number_bad),
            "partial" | "duplicate" => (&st.text_warn, &st.wrap_warn, &st.number_warn),
            _ => (&st.text, &st.wrap, &st.number),
        };
        let mut n = 1;
        for (c, v) in rec.fields().into_iter().enumerate() {
            match c {
                1 => text(ws, r, 1, status_word(v, lang), t)?,
                3 | 5 => number_or_text(ws, r, c as u16, v, n_, t)?,
                _ => text(ws, r, c as u16, v, w)?,
            }
            if matches!(c, 0 | 2 | 4 | 6) {
                n = n.max(lines(v, widths[c]));
            }
        }
        ws.set_row_height(r, height(n))?;
    }
    finish_list(ws, lang, 0, files.len() as u32, cols.len())
}
