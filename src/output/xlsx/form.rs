//! The sheets laid out like the form: table 3 (whose layout the send-back
//! notice reuses), table 2 and table 4.

use super::{Span, Styles, height, lines, opt_number, print_setup, put, spans, split_levels, text, text_width};
use crate::aggregate::{CountyYear, Totals};
use crate::lang::Lang;
use crate::roster::CategorySum;
use crate::schema::{self, Format as Form, NCOLS, NROWS3, TABLE3_LABEL_LEVELS, TOTAL_COL, printed};
use crate::text::SCALE;
use rust_xlsxwriter::{Worksheet, XlsxError};
use std::collections::HashSet;

/// Table 3's rows as a sheet shows them, by row index: `None` for a row not shown.
pub(super) type Rows3 = [Option<[u128; NCOLS]>; NROWS3];

/// The label columns of table 3, then its value columns.
pub(super) const LABEL_COLS: u16 = TABLE3_LABEL_LEVELS as u16;
/// The last column of table 3.
pub(super) const LAST_COL: u16 = LABEL_COLS + NCOLS as u16 - 1;

/// How table 3 is laid out for the rows some reports have: which rows, the
/// nested label cells, the header cells and the column widths.
pub(super) struct Layout3 {
    present: Vec<usize>,
    labels: Vec<Span<'static>>,
    header: Vec<Vec<Option<&'static str>>>,
    /// Width of every column, labels first.
    pub widths: Vec<f64>,
}

impl Layout3 {
    /// The layout of the rows that are `Some` (the widths fit their labels
    /// and the numbers of `rows`).
    pub(super) fn new(rows: &Rows3) -> Layout3 {
        let present: Vec<usize> = (0..NROWS3).filter(|&i| rows[i].is_some()).collect();
        let paths: Vec<Vec<Option<&'static str>>> =
            present.iter().map(|&i| schema::table3_label_path(i).to_vec()).collect();
        let labels = spans(&paths);
        let header: Vec<Vec<Option<&'static str>>> = schema::TABLE3_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, col)| {
                let mut p: Vec<Option<&'static str>> = Vec::new();
                if i != TOTAL_COL {
                    p.push(Some(schema::TABLE3_APPLICANTS));
                }
                p.extend(split_levels(col.label).into_iter().map(Some));
                p.resize(3, None);
                p
            })
            .collect();
        let mut widths = Vec::new();
        // Each label column fits its one-column labels (long ones wrap).
        for level in 0..TABLE3_LABEL_LEVELS {
            let (min, max) = if level == TABLE3_LABEL_LEVELS - 1 { (30.0, 48.0) } else { (8.0, 14.0) };
            let w = labels
                .iter()
                .filter(|s| s.l0 == level && s.l1 == level)
                .map(|s| text_width(&printed(s.text)))
                .fold(min, f64::max)
                .min(max);
            widths.push(w + 1.0);
        }
        // The value columns are as wide as each other, as on the form.
        let leaves = header.iter().filter_map(|p| p.iter().rev().find_map(|x| *x)).map(text_width);
        let digits = rows.iter().flatten().flatten().map(|v| v.to_string().len() as f64);
        let w = leaves.chain(digits).fold(8.0, f64::max).min(14.0);
        widths.extend(std::iter::repeat_n(w + 1.0, NCOLS));
        Layout3 { present, labels, header, widths }
    }

    /// Set the sheet's column widths.
    pub(super) fn columns(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        Ok(())
    }

    /// Width of columns `a..=b`.
    pub(super) fn width(&self, a: u16, b: u16) -> f64 {
        self.widths[a as usize..=b as usize].iter().sum()
    }

    /// Write the table with its top at row `top`: a title row (`title`,
    /// and `unit` at the right), the three header rows, then the rows, the
    /// cells `bad` holds (row index, column) filled. Gives the row after it.
    pub(super) fn write(
        &self,
        ws: &mut Worksheet,
        st: &Styles,
        top: u32,
        (title, unit): (&str, &str),
        rows: &Rows3,
        bad: &HashSet<(usize, usize)>,
    ) -> Result<u32, XlsxError> {
        self.title(ws, st, top, title, unit)?;

        // Header: the balance note in the corner, 申请人情况 over the six
        // applicant columns, 总计 beside it.
        put(ws, (top + 1, 0), (top + 3, LABEL_COLS - 1), &printed(schema::TABLE3_NOTE), &st.group)?;
        for s in spans(&self.header) {
            let (r0, r1) = (top + 1 + s.l0 as u32, top + 1 + s.l1 as u32);
            put(ws, (r0, LABEL_COLS + s.a as u16), (r1, LABEL_COLS + s.b as u16), s.text, &st.header)?;
        }
        for r in top + 1..=top + 3 {
            ws.set_row_height(r, 20.0)?;
        }
        self.rows(ws, st, top + 4, rows, bad)
    }

    /// The title row of a table.
    fn title(&self, ws: &mut Worksheet, st: &Styles, r: u32, title: &str, unit: &str) -> Result<(), XlsxError> {
        put(ws, (r, 0), (r, LAST_COL - 1), title, &st.heading)?;
        text(ws, r, LAST_COL, unit, &st.note_right)?;
        ws.set_row_height(r, height(lines(title, self.width(0, LAST_COL - 1))).max(24.0))?;
        Ok(())
    }

    /// The rows of the table from row `data`: the form's nested labels as
    /// merged cells, then the numbers. Gives the row after them.
    fn rows(
        &self,
        ws: &mut Worksheet,
        st: &Styles,
        data: u32,
        rows: &Rows3,
        bad: &HashSet<(usize, usize)>,
    ) -> Result<u32, XlsxError> {
        let mut need = vec![1u32; self.present.len()];
        let mut tall: Vec<(usize, usize, u32)> = Vec::new();
        for s in &self.labels {
            let f = if s.l0 == s.l1 && s.a != s.b { &st.group } else { &st.label };
            let label = printed(s.text);
            let (r0, r1) = (data + s.a as u32, data + s.b as u32);
            put(ws, (r0, s.l0 as u16), (r1, s.l1 as u16), &label, f)?;
            let n = lines(&label, self.width(s.l0 as u16, s.l1 as u16));
            if s.a == s.b {
                need[s.a] = need[s.a].max(n);
            } else {
                tall.push((s.a, s.b, n));
            }
        }
        for (k, &i) in self.present.iter().enumerate() {
            let Some(v) = &rows[i] else { continue };
            for (c, n) in v.iter().enumerate() {
                let f = if bad.contains(&(i, c)) { &st.number_bad } else { &st.number };
                ws.write_number_with_format(data + k as u32, LABEL_COLS + c as u16, *n as f64, f)?;
            }
        }
        // A label over several rows gets the lines it lacks on its last row.
        for (a, b, n) in tall {
            let have: u32 = need[a..=b].iter().sum();
            if n > have {
                need[b] += n - have;
            }
        }
        for (k, n) in need.iter().enumerate() {
            ws.set_row_height(data + k as u32, height(*n))?;
        }
        Ok(data + self.present.len() as u32)
    }
}

/// A note across the width of table 3, as tall as its text needs.
pub(super) fn note_row(ws: &mut Worksheet, st: &Styles, layout: &Layout3, r: u32, s: &str) -> Result<(), XlsxError> {
    put(ws, (r, 0), (r, LAST_COL), s, &st.note)?;
    ws.set_row_height(r, height(lines(s, layout.width(0, LAST_COL))))?;
    Ok(())
}

/// The lines the form has under table 3, for who filled it in.
pub(super) fn sign_lines(ws: &mut Worksheet, st: &Styles, lang: Lang, r: u32) -> Result<(), XlsxError> {
    put(ws, (r, 0), (r, 2), lang.pick("填报单位：", "Filled in by:"), &st.note)?;
    put(ws, (r, 3), (r, 5), lang.pick("负责人：", "Person in charge:"), &st.note)?;
    put(ws, (r, 6), (r, LAST_COL), lang.pick("日期：　　　　年　　月　　日", "Date:"), &st.note)?;
    ws.set_row_height(r, 28.0)?;
    Ok(())
}

pub(super) fn table3_sheet(
    ws: &mut Worksheet,
    st: &Styles,
    lang: Lang,
    (county, year): (&str, u16),
    cy: &CountyYear,
    by_category: Option<&[CategorySum]>,
) -> Result<(), XlsxError> {
    let layout = Layout3::new(&cy.requests);
    layout.columns(ws)?;
    let title = match lang {
        Lang::Zh => format!("{county} {year} 年  {}（{} 份报告合计）", schema::TABLE3_HEADING, cy.units3),
        Lang::En => format!("{county} {year}  {}  (the sum of {} reports)", schema::TABLE3_HEADING, cy.units3),
    };
    let unit = lang.pick("单位：件", "unit: requests");
    let end = layout.write(ws, st, 0, (&title, unit), &cy.requests, &HashSet::new())?;
    let mut r = end + 1;
    if cy.single_other > 0 && cy.single_other < cy.units3 {
        let (one, three) = (cy.single_other, cy.units3 - cy.single_other);
        let note = match lang {
            Lang::Zh => format!(
                "注：本表汇总的 {} 份报告中，{one} 份把“（六）其他处理”填为一行（2019 年版表格的写法），{three} 份分为三项填写。两种写法分别列出：“（六）其他处理”一行只含那 {one} 份报告，其下三项只含另外 {three} 份。",
                cy.units3
            ),
            Lang::En => format!(
                "Note: of the {} reports summed, {one} give (六) 其他处理 as one row (as the 2019 form does) and {three} as its three sub-rows. Both are shown: the one row holds those {one} reports, the three sub-rows the other {three}.",
                cy.units3
            ),
        };
        note_row(ws, st, &layout, r, &note)?;
        r += 2;
    }
    sign_lines(ws, st, lang, r)?;
    r += 1;

    // The sums per category of units (乡镇合计, 部门合计), each on a page of
    // its own under the header printed on every page.
    let mut breaks = Vec::new();
    for sum in by_category.unwrap_or(&[]) {
        breaks.push(r);
        let mut part = Layout3::new(&sum.rows);
        part.widths.clone_from(&layout.widths);
        let name = match (&sum.category, lang) {
            (Some(c), Lang::Zh) => format!("{c}合计"),
            (Some(c), Lang::En) => format!("{c} total"),
            (None, Lang::Zh) => "名单未分类或不在名单内的单位合计".to_string(),
            (None, Lang::En) => "units the list gives no category".to_string(),
        };
        let title = match lang {
            Lang::Zh => format!("{county} {year} 年  其中：{name}（{} 份报告）", sum.units),
            Lang::En => format!("{county} {year}  of which: {name} ({} reports)", sum.units),
        };
        part.title(ws, st, r, &title, unit)?;
        r = part.rows(ws, st, r + 1, &sum.rows, &HashSet::new())? + 1;
    }
    ws.set_page_breaks(&breaks)?;
    ws.set_freeze_panes(super::TABLE3_DATA_ROW, LABEL_COLS)?;
    print_setup(ws, lang, Some((0, super::TABLE3_DATA_ROW - 1)))
}

fn decimal(v: i128) -> f64 {
    v as f64 / SCALE as f64
}

/// A measure's label as the sheet prints it: amounts say they are in 万元.
fn measure_label(m: &schema::Measure) -> String {
    if m.decimal && !m.label.contains("万元") { format!("{}（万元）", m.label) } else { printed(m.label) }
}

/// Columns of the table-2 sheet: the item, then up to three measures.
const T2_WIDTHS: [f64; 4] = [26.0, 18.0, 18.0, 18.0];

/// Table 2 of each county-year as the form prints it: its sub-tables, one
/// under the other, each county-year on a page of its own.
pub(super) fn table2_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang, totals: &Totals) -> Result<(), XlsxError> {
    for (c, w) in T2_WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let last = T2_WIDTHS.len() as u16 - 1;
    let mut r = 0u32;
    let mut breaks = Vec::new();
    for ((county, year), cy) in &totals.by_county_year {
        if r > 0 {
            breaks.push(r);
        }
        let title = match lang {
            Lang::Zh => format!("{county} {year} 年  {}（{} 份报告合计）", schema::TABLE2_HEADING, cy.units2),
            Lang::En => format!("{county} {year}  {}  (the sum of {} reports)", schema::TABLE2_HEADING, cy.units2),
        };
        put(ws, (r, 0), (r, last), &title, &st.heading)?;
        ws.set_row_height(r, 24.0)?;
        r += 1;
        let forms: Vec<Form> = {
            let mut f: Vec<Form> = cy.proactive.keys().map(|k| k.0).collect();
            f.dedup();
            f
        };
        if forms.is_empty() {
            put(ws, (r, 0), (r, last), lang.pick("（没有可汇总的表二）", "(no table 2 to sum)"), &st.note)?;
            r += 2;
            continue;
        }
        for form in &forms {
            if forms.len() > 1 {
                let note = match (lang, form) {
                    (Lang::Zh, Form::F2019) => "以下为按 2019 年版表格填报的报告之和：",
                    (Lang::Zh, Form::F2021) => "以下为按 2021 年版表格填报的报告之和：",
                    (Lang::En, Form::F2019) => "Reports in the 2019 form:",
                    (Lang::En, Form::F2021) => "Reports in the 2021 form:",
                };
                put(ws, (r, 0), (r, last), note, &st.note)?;
                r += 1;
            }
            r = table2_form(ws, st, r, cy, *form)?;
        }
        r += 1;
    }
    ws.set_page_breaks(&breaks[..breaks.len().min(1000)])?;
    print_setup(ws, lang, None)
}

/// One form's sub-tables of a county-year's table 2, from row `r`; gives the row after.
fn table2_form(ws: &mut Worksheet, st: &Styles, mut r: u32, cy: &CountyYear, form: Form) -> Result<u32, XlsxError> {
    let items = schema::table2_items(form);
    let last = T2_WIDTHS.len() as u16 - 1;
    // Where measure j of n sits: one measure takes the three columns, two
    // take one and two, three one each.
    let cols = |j: usize, n: usize| -> (u16, u16) {
        match (n, j) {
            (1, _) => (1, last),
            (2, 0) => (1, 1),
            (2, _) => (2, last),
            _ => (1 + j as u16, 1 + j as u16),
        }
    };
    for section in schema::table2_sections(form) {
        let measures = items[section.items.start].measures;
        put(ws, (r, 0), (r, last), section.heading, &st.header)?;
        ws.set_row_height(r, 20.0)?;
        r += 1;
        text(ws, r, 0, schema::TABLE2_ITEM_HEADER, &st.header)?;
        let mut n = 1;
        for (j, m) in measures.iter().enumerate() {
            let (a, b) = cols(j, measures.len());
            let label = measure_label(m);
            put(ws, (r, a), (r, b), &label, &st.header)?;
            n = n.max(lines(&label, T2_WIDTHS[a as usize..=b as usize].iter().sum()));
        }
        ws.set_row_height(r, height(n))?;
        r += 1;
        for ii in section.items.clone() {
            text(ws, r, 0, &printed(items[ii].label), &st.label)?;
            for (j, m) in measures.iter().enumerate() {
                let (a, b) = cols(j, measures.len());
                let v = cy.proactive.get(&(form, ii, j)).map(|v| decimal(*v));
                let f = if m.decimal { &st.decimal } else { &st.number };
                if a == b {
                    opt_number(ws, r, a, v, f)?;
                } else {
                    ws.merge_range(r, a, r, b, "", f)?;
                    opt_number(ws, r, a, v, f)?;
                }
            }
            ws.set_row_height(r, height(1))?;
            r += 1;
        }
    }
    Ok(r)
}

pub(super) fn table4_sheet(ws: &mut Worksheet, st: &Styles, lang: Lang, totals: &Totals) -> Result<(), XlsxError> {
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
    put(ws, (0, 0), (0, last_col), schema::TABLE4_HEADING, &st.heading)?;
    ws.set_row_height(0, 24.0)?;
    let keys =
        [(lang.pick("县", "county"), 10.0), (lang.pick("年度", "year"), 6.0), (lang.pick("报告数", "units"), 6.0)];
    for (c, (name, width)) in keys.iter().enumerate() {
        put(ws, (1, c as u16), (depth, c as u16), name, &st.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for s in spans(&paths) {
        put(ws, (1 + s.l0 as u32, KEYS + s.a as u16), (1 + s.l1 as u32, KEYS + s.b as u16), s.text, &st.header)?;
    }
    for c in 0..paths.len() as u16 {
        ws.set_column_width(KEYS + c, 9.0)?;
    }
    for r in 1..=depth {
        ws.set_row_height(r, 20.0)?;
    }
    for (k, ((county, year), cy)) in totals.by_county_year.iter().enumerate() {
        let r = depth + 1 + k as u32;
        text(ws, r, 0, county, &st.wrap)?;
        ws.write_number_with_format(r, 1, *year, &st.number)?;
        ws.write_number_with_format(r, 2, cy.units4 as f64, &st.number)?;
        for (k, v) in cy.review.iter().flatten().enumerate() {
            ws.write_number_with_format(r, KEYS + k as u16, *v as f64, &st.number)?;
        }
        ws.set_row_height(r, height(lines(county, 10.0)))?;
    }
    ws.set_freeze_panes(depth + 1, KEYS)?;
    print_setup(ws, lang, Some((0, depth)))
}
