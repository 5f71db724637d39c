//! The send-back notice (退回修改通知): a workbook of one sheet for each unit
//! and year of which a report has an error, a letter the county office can
//! send as it is. It names the report, lays out its table 3 like the form
//! (the layout of the county sheets) with the numbers in question filled
//! light red, gives last year's 结转下年度继续办理 where the carry chain is
//! broken and table 4 where its totals are, lists every broken rule in plain
//! Chinese, and asks for a corrected report. Always in Chinese: it goes to
//! the unit.

use super::form::{LABEL_COLS, LAST_COL, Layout3, Rows3, note_row};
use super::{
    LETTER_SIZE, LETTER_TITLE_SIZE, Notice, NoticeReport, Styles, height, height_at, lines, new_workbook, print_setup,
    put, sheets, text,
};
use crate::checks::{Finding, Severity, What, check_name};
use crate::lang::Lang;
use crate::schema::{self, NCOLS, NROWS3, Row, printed};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::collections::HashSet;

/// The notice's workbook.
pub(super) fn build(n: &Notice) -> Result<Workbook, XlsxError> {
    let mut wb = new_workbook(&heading(n))?;
    let st = Styles::new();
    letter(wb.add_worksheet().set_name(sheets::NOTICE)?, &st, n)?;
    Ok(wb)
}

/// `关于退回《XX镇2024年政府信息公开工作年度报告》修改的通知`.
fn heading(n: &Notice) -> String {
    format!("关于退回《{}{}年政府信息公开工作年度报告》修改的通知", n.unit, n.year)
}

fn rows_of(k: &crate::seen::Kept) -> Rows3 {
    let mut rows: Rows3 = [None; NROWS3];
    for (slot, row) in rows.iter_mut().zip(&k.table3.rows) {
        *slot = row.map(|v| v.map(u128::from));
    }
    rows
}

/// The cells of table 3 (row index, column) a report's findings are about.
fn bad_cells(findings: &[&Finding]) -> HashSet<(usize, usize)> {
    let mut bad = HashSet::new();
    for f in findings {
        let (Some(row), Some(col)) = (f.row(), f.col()) else { continue };
        bad.insert((row.index(), col.index()));
        // The balance is broken by one of its four rows: show all four.
        if let What::Balance { .. } = f.what {
            for r in [Row::NewRequests, Row::CarriedOver, Row::CarriedForward] {
                bad.insert((r.index(), col.index()));
            }
        }
    }
    bad
}

/// Chinese numerals for the parts of a notice with several reports.
const PARTS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn letter(ws: &mut Worksheet, st: &Styles, n: &Notice) -> Result<(), XlsxError> {
    // One set of column widths for every report of the notice.
    let mut all: Rows3 = [None; NROWS3];
    for k in n.reports.iter().filter_map(|r| r.kept) {
        for (slot, row) in all.iter_mut().zip(rows_of(k)) {
            if let Some(v) = row {
                let s = slot.get_or_insert([0; NCOLS]);
                for c in 0..NCOLS {
                    s[c] = s[c].max(v[c]);
                }
            }
        }
    }
    let widths = Layout3::new(&all).widths;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let full: f64 = widths.iter().sum();
    let para = |ws: &mut Worksheet, r: u32, s: &str, f| -> Result<(), XlsxError> {
        put(ws, (r, 0), (r, LAST_COL), s, f)?;
        ws.set_row_height(r, height_at(s, full, LETTER_SIZE))?;
        Ok(())
    };

    let title = heading(n);
    put(ws, (0, 0), (0, LAST_COL), &title, &st.letter_title)?;
    ws.set_row_height(0, height_at(&title, full, LETTER_TITLE_SIZE).max(44.0))?;
    let mut r = 2;
    para(ws, r, &format!("{}：", n.unit), &st.letter)?;
    r += 1;
    let all = || n.reports.iter().flat_map(|x| &x.findings);
    let duplicate = all().any(|f| f.check == "duplicate");
    let arithmetic = all().any(|f| f.check != "duplicate");
    let files: Vec<String> = n.reports.iter().map(|x| x.file.to_string()).collect();
    let mut body = format!(
        "　　经核查，你单位报送的《{}{}{}年政府信息公开工作年度报告》（文件：{}）",
        n.county,
        n.unit,
        n.year,
        files.join("、")
    );
    body.push_str(if arithmetic {
        "中，表格数字不符合年度报告格式的要求，问题列在下面，有问题的数字在附表中标为红色。"
    } else {
        "存在下列问题。"
    });
    if duplicate {
        body.push_str(&format!(
            "我们收到你单位 {} 年内容不同的报告不止一份，在你单位确认以哪一份为准之前，均未计入全县汇总，请只报送一份。",
            n.year
        ));
    }
    body.push_str("现将报告退回，请核实修改后重新报送。");
    para(ws, r, &body, &st.letter)?;
    r += 2;
    para(ws, r, "存在的问题：", &st.letter_heading)?;
    r += 1;
    let several = n.reports.len() > 1;
    for (k, report) in n.reports.iter().enumerate() {
        if several {
            para(ws, r, &format!("（{}）报送文件：{}", part(k), report.file), &st.letter)?;
            r += 1;
        }
        let mut findings: Vec<&Finding> = report.findings.clone();
        findings.sort_by_key(|f| f.severity);
        for (k, f) in findings.iter().enumerate() {
            let kind = match f.severity {
                Severity::Error => "错误",
                Severity::Warning => "提示，请核实",
            };
            let detail = printed(&f.detail(Lang::Zh));
            let line = format!("　　{}. 【{}，{}】{}", k + 1, check_name(f.check, Lang::Zh), kind, detail);
            para(ws, r, &line, &st.letter)?;
            r += 1;
        }
    }
    r += 1;
    para(ws, r, "　　请于　　月　　日前将修改后的年度报告重新报送。", &st.letter)?;
    r += 1;
    para(ws, r, "　　特此通知。", &st.letter)?;
    r += 2;
    para(ws, r, &format!("{}人民政府办公室", n.county), &st.letter_right)?;
    r += 1;
    para(ws, r, "　　　　年　　月　　日", &st.letter_right)?;

    // The tables, as an attachment on a page of their own.
    r += 1;
    let attachment = r;
    ws.set_page_breaks(&[attachment])?;
    let label = if n.reports.iter().any(|x| x.kept.is_some()) { "附表：" } else { "" };
    para(ws, r, label, &st.letter_heading)?;
    r += 1;
    for (k, report) in n.reports.iter().enumerate() {
        let Some(kept) = report.kept else { continue };
        if several {
            para(ws, r, &format!("（{}）报送文件：{}", part(k), report.file), &st.letter)?;
            r += 1;
        }
        r = tables(ws, st, r, kept, report, widths.clone())?;
        r += 1;
    }
    print_setup(ws, Lang::Zh, None)
}

/// `一`, `二`, … for the parts of a notice with several reports.
fn part(k: usize) -> String {
    PARTS.get(k).map_or_else(|| (k + 1).to_string(), |s| s.to_string())
}

/// A report's tables from row `r`: table 3, last year's carried forward
/// row and table 4 where they are in question. Gives the row after them.
fn tables(
    ws: &mut Worksheet,
    st: &Styles,
    mut r: u32,
    kept: &crate::seen::Kept,
    report: &NoticeReport,
    widths: Vec<f64>,
) -> Result<u32, XlsxError> {
    let findings = &report.findings;
    let rows = rows_of(kept);
    let mut layout = Layout3::new(&rows);
    layout.widths = widths;
    let bad = bad_cells(findings);
    let title = format!("{}（标红的为有问题的数字）", schema::TABLE3_HEADING);
    r = layout.write(ws, st, r, (&title, "单位：件"), &rows, &bad)?;
    if let Some(last) = report.last_year {
        r += 1;
        let note = format!(
            "上年（{} 年）报告（文件：{}）的“四、结转下年度继续办理”如下，本年的“二、上年结转”应与之相等：",
            last.year, last.file
        );
        note_row(ws, st, &layout, r, &note)?;
        r += 1;
        let label = format!("{} 年  {}", last.year, printed(Row::CarriedForward.label()));
        put(ws, (r, 0), (r, LABEL_COLS - 1), &label, &st.label)?;
        let carried_over = kept.table3.get(Row::CarriedOver).copied().unwrap_or([0; NCOLS]);
        for (c, v) in last.carried_forward.iter().enumerate() {
            let f = if carried_over[c] != *v { &st.number_bad } else { &st.number };
            ws.write_number_with_format(r, LABEL_COLS + c as u16, *v as f64, f)?;
        }
        ws.set_row_height(r, height(lines(&label, layout.width(0, LABEL_COLS - 1))))?;
        r += 1;
    }
    let review: Vec<usize> = findings
        .iter()
        .filter_map(|f| match f.what {
            What::Review { proceeding, .. } => Some(proceeding),
            _ => None,
        })
        .collect();
    if let (Some(t4), false) = (&kept.table4, review.is_empty()) {
        r += 1;
        put(ws, (r, 0), (r, LAST_COL), schema::TABLE4_HEADING, &st.heading)?;
        ws.set_row_height(r, 24.0)?;
        r += 1;
        put(ws, (r, 0), (r, LABEL_COLS - 1), "", &st.header)?;
        for (k, col) in schema::TABLE4_COLUMNS.iter().enumerate() {
            text(ws, r, LABEL_COLS + k as u16, col.label, &st.header)?;
        }
        ws.set_row_height(r, 20.0)?;
        r += 1;
        for (p, proceeding) in schema::TABLE4_PROCEEDINGS.iter().enumerate() {
            let label = proceeding.label.replace(" / ", "：");
            put(ws, (r, 0), (r, LABEL_COLS - 1), &label, &st.label)?;
            for (k, v) in t4[p].iter().enumerate() {
                let f = if review.contains(&p) && k == 4 { &st.number_bad } else { &st.number };
                ws.write_number_with_format(r, LABEL_COLS + k as u16, *v as f64, f)?;
            }
            ws.set_row_height(r, height(1))?;
            r += 1;
        }
    }
    Ok(r)
}
