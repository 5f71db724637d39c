//! The workbook the county office prints, reads and sends back (`--xlsx`):
//! county_rollup.xlsx, and a send-back notice for each unit with an error in
//! 退回修改/.
//!
//! Sheets, in order:
//!
//! * one per county and year, `民权县2024表三`: table 3 laid out like the
//!   official form (the two-level applicant header and the nested row labels
//!   as merged cells, both taken from [`crate::schema`]), with the form's 单位：件
//!   and the 填报单位 / 负责人 / 日期 lines, and a note where the county-year
//!   mixes the two ways of writing (六) 其他处理;
//! * `表二 主动公开`: table 2 of each county-year as the form prints it, its
//!   sub-tables (第二十条第（一）项 …) one under the other, a page each;
//! * `表四 复议诉讼`: table 4, one line per county-year under the form's
//!   three-level header;
//! * `核查问题`: every broken rule (the lines of checks.csv), errors first,
//!   with the check's name, its explanation and the two numbers (in file
//!   order, or with `--roster` each county-year's units in the list's order);
//! * `报送情况` (with `--roster`): every unit of the office's list and its
//!   status, the missing ones filled orange;
//! * `同比`, `表二同比`, `表四同比`: each year beside the year before, with
//!   the number of reports summed in each;
//! * `各单位`: one line per report read (in file order, or with `--roster`
//!   in the list's order), with the 总计 of four key rows and the number of
//!   failed checks; reports with a failed error check are filled red;
//! * `文件`: every file and its status, rejected files filled red.
//!
//! Every sheet prints on A4 landscape, one page wide, its title rows on every
//! page and the page number in the footer. Row heights are computed from the
//! text and the column widths (LibreOffice does not grow a row to fit wrapped
//! text). Labels are printed with the form's full-width brackets and quotes
//! ([`crate::schema::printed`]); headers are Chinese, or the CSV column names with
//! `--lang en`. The send-back notices (`notice`) are always in Chinese.
//!
//! Like the CSV files, the workbook is written into the output set and moved
//! into place when the run is complete.

mod form;
mod lists;
mod notice;

use crate::aggregate::Totals;
use crate::checks::{Finding, Severity};
use crate::lang::Lang;
use crate::output::OutputSet;
use crate::output::records::{self, FileRecord};
use crate::roster::{CategorySums, RosterRow};
use crate::schema::Row;
use crate::seen::{Cross, Kept, LastYear, ReportLine};
use crate::yoy::YoyRow;
use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The workbook's file name in the output folder.
pub const FILE_NAME: &str = "county_rollup.xlsx";

/// The table-3 rows whose 总计 the `各单位` sheet lists for each report.
pub const UNIT_ROWS: [Row; 4] = [Row::NewRequests, Row::Granted, Row::TotalProcessed, Row::CarriedForward];

/// The folder of send-back notices, one workbook per unit with an error.
pub const SEND_BACK_DIR: &str = "退回修改";

/// One broken rule, as the 核查问题 sheet lists it.
#[derive(Debug, Clone)]
pub struct Issue<'a> {
    /// County.
    pub county: &'a str,
    /// Year (0 when the file is not a report read).
    pub year: u16,
    /// Unit.
    pub unit: &'a str,
    /// The file.
    pub file: &'a str,
    /// The check's id, as checks.csv writes it.
    pub check: &'a str,
    /// Its severity.
    pub severity: Severity,
    /// The explanation.
    pub detail: Cow<'a, str>,
    /// The number stated, the number expected and the difference, where the
    /// rule compares two numbers.
    pub numbers: Option<(String, String, String)>,
}

/// The send-back notice of one unit and year: its reports with an error.
#[derive(Debug, Clone)]
pub struct Notice<'a> {
    /// County.
    pub county: &'a str,
    /// Year.
    pub year: u16,
    /// Unit.
    pub unit: &'a str,
    /// Its reports with an error (two or more when it reported twice).
    pub reports: Vec<NoticeReport<'a>>,
}

/// One report of a [`Notice`].
#[derive(Debug, Clone)]
pub struct NoticeReport<'a> {
    /// The file.
    pub file: &'a str,
    /// Its tables.
    pub kept: Option<&'a Kept>,
    /// Last year's carried_forward, where the carry chain is broken.
    pub last_year: Option<&'a LastYear>,
    /// Every finding of the report, errors and warnings.
    pub findings: Vec<&'a Finding>,
}

/// Everything the workbook shows.
pub struct Contents<'a> {
    /// The sums per county and year.
    pub totals: &'a Totals,
    /// The year-over-year rows (as in requests_yoy.csv).
    pub yoy: &'a [YoyRow],
    /// Every broken rule, in file order.
    pub issues: Vec<Issue<'a>>,
    /// Every report read, in file order.
    pub reports: Vec<ReportLine<'a>>,
    /// The send-back notices to write.
    pub notices: Vec<Notice<'a>>,
    /// The roster's statuses, with --roster.
    pub roster: Option<&'a [RosterRow]>,
    /// Table 3 per category of units, when the roster gives categories.
    pub categories: Option<&'a CategorySums>,
    /// The language of the sheets (the notices are always in Chinese).
    pub lang: Lang,
}

impl<'a> Contents<'a> {
    /// What a run shows: its findings (by file number, sorted), the reports
    /// it read and their tables, and a notice for each unit and year of
    /// which a report has an error.
    pub fn of_run(
        totals: &'a Totals,
        yoy: &'a [YoyRow],
        findings: &'a [(u32, Finding)],
        cross: &'a Cross,
        roster: Option<&'a [RosterRow]>,
        lang: Lang,
    ) -> Contents<'a> {
        let names = cross.names();
        let mut issues: Vec<Issue<'a>> = findings
            .iter()
            .map(|(idx, f)| {
                let (county, year, unit, file) = names.get(idx);
                Issue {
                    county,
                    year,
                    unit,
                    file,
                    check: f.check,
                    severity: f.severity,
                    detail: Cow::Owned(f.detail(lang)),
                    numbers: f.numbers(),
                }
            })
            .collect();
        let mut reports: Vec<ReportLine<'a>> = cross.lines().collect();
        // With a roster, 各单位 and 核查问题 follow it: each county-year's
        // units in the list's order, those not on it after them.
        if let Some(rows) = roster {
            let rank: HashMap<(&str, u16, &str), usize> =
                rows.iter().enumerate().map(|(i, r)| ((r.county.as_str(), r.year, r.unit.as_str()), i)).collect();
            let at = |county, year, unit| rank.get(&(county, year, unit)).copied().unwrap_or(usize::MAX);
            reports.sort_by_key(|l| at(l.county, l.year, l.unit));
            issues.sort_by_key(|i| at(i.county, i.year, i.unit));
        }
        let mut groups: BTreeMap<(&str, u16, &str), Notice<'a>> = BTreeMap::new();
        for line in &reports {
            let start = findings.partition_point(|(i, _)| *i < line.idx);
            let end = findings.partition_point(|(i, _)| *i <= line.idx);
            let own: Vec<&Finding> = findings[start..end].iter().map(|(_, f)| f).collect();
            if !own.iter().any(|f| f.severity == Severity::Error) {
                continue;
            }
            let n = groups.entry((line.county, line.year, line.unit)).or_insert_with(|| Notice {
                county: line.county,
                year: line.year,
                unit: line.unit,
                reports: Vec::new(),
            });
            n.reports.push(NoticeReport { file: line.file, kept: line.kept, last_year: line.last_year, findings: own });
        }
        let notices = groups.into_values().collect();
        Contents { totals, yoy, issues, reports, notices, roster, categories: None, lang }
    }
}

/// Names of the sheets other than the per-county-year table-3 sheets.
pub mod sheets {
    /// Table 2 of every county-year.
    pub const TABLE2: &str = "表二 主动公开";
    /// Table 4 of every county-year.
    pub const TABLE4: &str = "表四 复议诉讼";
    /// Every broken rule.
    pub const ISSUES: &str = "核查问题";
    /// Who has reported (with --roster).
    pub const ROSTER: &str = "报送情况";
    /// Year over year, table 3.
    pub const YOY: &str = "同比";
    /// Year over year, table 2.
    pub const YOY2: &str = "表二同比";
    /// Year over year, table 4.
    pub const YOY4: &str = "表四同比";
    /// One line per report.
    pub const UNITS: &str = "各单位";
    /// Every file and its status.
    pub const FILES: &str = "文件";
    /// The suffix of each county-year's table-3 sheet (`民权县2024表三`).
    pub const TABLE3_SUFFIX: &str = "表三";
    /// The one sheet of a send-back notice.
    pub const NOTICE: &str = "退回修改通知";
}

/// Rows above the data on a table-3 sheet: the title and three header rows.
pub const TABLE3_DATA_ROW: u32 = 4;

/// Write `county_rollup.xlsx` and the send-back notices into the output set.
pub fn write(set: &OutputSet, c: &Contents) -> Result<()> {
    let files: Vec<FileRecord> = records::read(&set.path("files.csv"))?;
    let mut wb = build(c, &files).context("cannot build the workbook")?;
    save(&mut wb, &set.path(FILE_NAME))?;
    if c.notices.is_empty() {
        return Ok(());
    }
    let dir = set.path(SEND_BACK_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut names = FileNames::default();
    for n in &c.notices {
        let mut wb = notice::build(n).context("cannot build a send-back notice")?;
        save(&mut wb, &dir.join(names.unique(&format!("{}{}{}", n.county, n.year, n.unit))))?;
    }
    Ok(())
}

/// Copy the send-back notices of earlier runs (a merge's inputs, `from`)
/// into the output set, in the order given, each folder's by name; gives
/// how many.
pub fn copy_notices(set: &OutputSet, from: &[&Path]) -> Result<usize> {
    let dir = set.path(SEND_BACK_DIR);
    let mut names = FileNames::default();
    let mut copied = 0;
    for src in from {
        let src = src.join(SEND_BACK_DIR);
        if !src.is_dir() {
            continue;
        }
        let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(&src)
            .with_context(|| format!("cannot read {}", src.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "xlsx"))
            .collect();
        entries.sort();
        for p in entries {
            let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            let to = dir.join(names.unique(&stem));
            std::fs::copy(&p, &to).with_context(|| format!("cannot copy {} to {}", p.display(), to.display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}

fn save(wb: &mut Workbook, path: &Path) -> Result<()> {
    wb.save(path).with_context(|| format!("cannot write {}", path.display()))?;
    // Opened for writing: Windows flushes a file only through a handle that
    // may write it (FlushFileBuffers on a read-only one is "Access denied").
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The creation date SOURCE_DATE_EPOCH fixes (seconds since 1970, for
/// reproducible files), if it is set. A value that is not a whole number of
/// seconds between 1900 and 9999 (what a workbook's date can hold) is an
/// error, said before anything is written: a typo silently ignored would
/// make files that are not reproducible, and one out of range used to fail
/// after the CSVs were written (issue 16).
pub fn source_date_epoch(lang: Lang) -> Result<Option<i64>, String> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else { return Ok(None) };
    let text = value.to_string_lossy();
    match text.trim().parse::<i64>().ok().filter(|&t| ExcelDateTime::from_timestamp(t).is_ok()) {
        Some(t) => Ok(Some(t)),
        None => Err(match lang {
            Lang::Zh => format!(
                "环境变量 SOURCE_DATE_EPOCH 的值 \"{text}\" 不是 1900 年至 9999 年之间的时间（自 1970 年起的秒数，如 1700000000）：请改正或删去它"
            ),
            Lang::En => format!(
                "SOURCE_DATE_EPOCH is \"{text}\", not a time between 1900 and 9999 in seconds since 1970 (such as 1700000000): correct or unset it"
            ),
        }),
    }
}

/// A workbook with its properties (the creation date fixed by
/// SOURCE_DATE_EPOCH, for reproducible files).
fn new_workbook(title: &str) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let mut props = DocProperties::new().set_title(title).set_author("county-rollup");
    if let Ok(Some(t)) = source_date_epoch(Lang::En) {
        props = props.set_creation_datetime(&ExcelDateTime::from_timestamp(t)?);
    }
    wb.set_properties(&props);
    Ok(wb)
}

/// Build the workbook in memory.
pub fn build(c: &Contents, files: &[FileRecord]) -> Result<Workbook, XlsxError> {
    let mut wb = new_workbook("政府信息公开工作年度报告 汇总")?;
    let st = Styles::new();
    let lang = c.lang;
    let mut names = SheetNames::default();
    for ((county, year), cy) in &c.totals.by_county_year {
        let name = names.unique(&format!("{county}{year}{}", sheets::TABLE3_SUFFIX));
        let by_category = c.categories.and_then(|m| m.get(&(county.clone(), *year))).map(Vec::as_slice);
        form::table3_sheet(wb.add_worksheet().set_name(name)?, &st, lang, (county, *year), cy, by_category)?;
    }
    form::table2_sheet(wb.add_worksheet().set_name(names.unique(sheets::TABLE2))?, &st, lang, c.totals)?;
    form::table4_sheet(wb.add_worksheet().set_name(names.unique(sheets::TABLE4))?, &st, lang, c.totals)?;
    lists::issues_sheet(wb.add_worksheet().set_name(names.unique(sheets::ISSUES))?, &st, lang, &c.issues)?;
    if let Some(rows) = c.roster {
        lists::roster_sheet(wb.add_worksheet().set_name(names.unique(sheets::ROSTER))?, &st, lang, rows)?;
    }
    lists::yoy3_sheet(wb.add_worksheet().set_name(names.unique(sheets::YOY))?, &st, lang, c.totals, c.yoy)?;
    lists::yoy2_sheet(wb.add_worksheet().set_name(names.unique(sheets::YOY2))?, &st, lang, c.totals)?;
    lists::yoy4_sheet(wb.add_worksheet().set_name(names.unique(sheets::YOY4))?, &st, lang, c.totals)?;
    lists::units_sheet(wb.add_worksheet().set_name(names.unique(sheets::UNITS))?, &st, c)?;
    lists::files_sheet(wb.add_worksheet().set_name(names.unique(sheets::FILES))?, &st, lang, files)?;
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

/// File names for the notices: no character a file system refuses, at most
/// 200 bytes with `.xlsx` (names are 60 characters at most, but county,
/// year and unit together can pass the 255 bytes a name may have), unique
/// regardless of case.
#[derive(Default)]
struct FileNames(HashSet<String>);

impl FileNames {
    fn unique(&mut self, want: &str) -> String {
        const MAX: usize = 200;
        let clean: String =
            want.chars().map(|c| if "/\\:*?\"<>|".contains(c) || c.is_control() { '_' } else { c }).collect();
        let clean = clean.trim_matches(['.', ' ']);
        let clean = if clean.is_empty() { "单位" } else { clean };
        let fit = |s: &str, room: usize| -> String {
            let mut out = String::new();
            for ch in s.chars() {
                if out.len() + ch.len_utf8() > room {
                    break;
                }
                out.push(ch);
            }
            out
        };
        let mut n = 1;
        loop {
            let suffix = if n == 1 { ".xlsx".to_string() } else { format!("({n}).xlsx") };
            let name = fit(clean, MAX - suffix.len()) + &suffix;
            if self.0.insert(name.to_lowercase()) {
                return name;
            }
            n += 1;
        }
    }
}

/// The formats of the sheets.
struct Styles {
    heading: Format,
    note: Format,
    note_right: Format,
    header: Format,
    label: Format,
    label_bold: Format,
    group: Format,
    number: Format,
    decimal: Format,
    percent: Format,
    text: Format,
    wrap: Format,
    number_bad: Format,
    text_bad: Format,
    wrap_bad: Format,
    text_warn: Format,
    number_warn: Format,
    wrap_warn: Format,
    number_units: Format,
    percent_units: Format,
    text_units: Format,
    text_missing: Format,
    number_missing: Format,
    letter_title: Format,
    letter: Format,
    letter_heading: Format,
    letter_right: Format,
}

/// The fill of what needs attention (Excel's "bad" light red).
pub const BAD_FILL: u32 = 0xFFC7CE;
/// The fill of a unit of the roster that has not reported (orange).
pub const MISSING_FILL: u32 = 0xF8CBAD;
/// The fill of what is worth a look (light yellow).
pub const WARN_FILL: u32 = 0xFFF2CC;

/// The font of every cell: the one the form is printed in.
const FONT: &str = "宋体";
/// Its size, in points.
const FONT_SIZE: f64 = 11.0;
/// The size of a notice's text: the table is wide, and the page scaled to it.
const LETTER_SIZE: f64 = 15.0;
/// The size of a notice's heading.
const LETTER_TITLE_SIZE: f64 = 20.0;

impl Styles {
    fn new() -> Styles {
        let base = Format::new().set_font_name(FONT).set_font_size(FONT_SIZE);
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let number = cell.clone().set_align(FormatAlign::Right).set_num_format("0");
        let text = cell.clone().set_align(FormatAlign::Left);
        let wrap = text.clone().set_text_wrap();
        let fill = |f: &Format, c: u32| f.clone().set_background_color(Color::RGB(c));
        let plain = base.clone().set_align(FormatAlign::VerticalCenter);
        Styles {
            heading: base.clone().set_bold().set_font_size(12).set_align(FormatAlign::VerticalCenter),
            note: plain.clone().set_text_wrap().set_align(FormatAlign::Left),
            note_right: plain.clone().set_align(FormatAlign::Right),
            header: fill(&cell.clone().set_bold().set_text_wrap().set_align(FormatAlign::Center), 0xD9E1F2),
            label: wrap.clone(),
            label_bold: wrap.clone().set_bold(),
            group: cell.clone().set_text_wrap().set_align(FormatAlign::Center),
            decimal: number.clone().set_num_format("0.00##"),
            percent: number.clone().set_num_format("0.0"),
            number_bad: fill(&number, BAD_FILL),
            text_bad: fill(&text, BAD_FILL),
            wrap_bad: fill(&wrap, BAD_FILL),
            text_warn: fill(&text, WARN_FILL),
            number_warn: fill(&number, WARN_FILL),
            wrap_warn: fill(&wrap, WARN_FILL),
            number_units: fill(&number.clone().set_bold(), WARN_FILL),
            percent_units: fill(&number.clone().set_bold().set_num_format("0.0"), WARN_FILL),
            text_units: fill(&text.clone().set_bold(), WARN_FILL),
            text_missing: fill(&text, MISSING_FILL),
            number_missing: fill(&number, MISSING_FILL),
            letter_title: base
                .clone()
                .set_bold()
                .set_font_size(LETTER_TITLE_SIZE)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            letter: plain
                .clone()
                .set_font_size(LETTER_SIZE)
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            letter_heading: plain.clone().set_font_size(LETTER_SIZE).set_bold(),
            letter_right: plain.set_font_size(LETTER_SIZE).set_align(FormatAlign::Right),
            number,
            text,
            wrap,
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

/// Print on A4 landscape, one page wide, centred, the rows `repeat` (the
/// title and header) on every page and the page number in the footer.
fn print_setup(ws: &mut Worksheet, lang: Lang, repeat: Option<(u32, u32)>) -> Result<(), XlsxError> {
    const A4: u8 = 9;
    ws.set_paper_size(A4).set_landscape().set_print_fit_to_pages(1, 0).set_print_center_horizontally(true);
    ws.set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3);
    ws.set_footer(lang.pick("&C第 &P 页 共 &N 页", "&CPage &P of &N"));
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    Ok(())
}

/// The longest text Excel keeps in a cell (in UTF-16 code units).
const MAX_CELL: usize = 32_767;

/// A text cut to what Excel keeps in a cell.
fn fit_cell(s: &str) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL {
            return &s[..i];
        }
    }
    s
}

/// Write a text cell (cut to what Excel keeps).
fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, c, fit_cell(s), f)?;
    Ok(())
}

/// Write one cell or a merged range.
fn put(ws: &mut Worksheet, (r0, c0): (u32, u16), (r1, c1): (u32, u16), s: &str, f: &Format) -> Result<(), XlsxError> {
    if (r0, c0) == (r1, c1) {
        text(ws, r0, c0, s, f)?;
    } else {
        ws.merge_range(r0, c0, r1, c1, fit_cell(s), f)?;
    }
    Ok(())
}

fn opt_number(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(r, c, v, f)?,
        None => ws.write_blank(r, c, f)?,
    };
    Ok(())
}

/// A number where the text is one, else the text.
fn number_or_text(ws: &mut Worksheet, r: u32, c: u16, s: &str, n: &Format, t: &Format) -> Result<(), XlsxError> {
    match s.parse::<f64>() {
        Ok(v) if s.len() < 16 => {
            ws.write_number_with_format(r, c, v, n)?;
        }
        _ => text(ws, r, c, s, t)?,
    }
    Ok(())
}

/// Columns (in Excel's width units) a text needs on one line: CJK and
/// full-width characters are about two units wide.
fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 }).sum()
}

/// Lines a text takes when wrapped in a cell `width` units wide (at least
/// one; line breaks in the text start new lines). A little room is left for
/// the cell's padding and for fonts wider than the estimate.
fn lines(s: &str, width: f64) -> u32 {
    let room = (width - 1.5).max(1.0) * 0.94;
    s.split('\n').map(|l| ((text_width(l) / room).ceil() as u32).max(1)).sum()
}

/// Points a row needs for `n` lines of text (a CJK line in the sheets' font
/// is about 15 points high in Excel, 16 in LibreOffice's fallback fonts).
fn height(n: u32) -> f64 {
    if n <= 1 { 18.0 } else { 16.0 * f64::from(n) + 4.0 }
}

/// [`lines`] and [`height`] for text of `size` points: the height a row
/// needs for `s` in a cell `width` units wide.
fn height_at(s: &str, width: f64, size: f64) -> f64 {
    let scale = size / FONT_SIZE;
    height(lines(s, width / scale)) * scale
}

/// Header row of the list sheets, with its column widths and a height that
/// fits the wrapped names.
fn header_row(ws: &mut Worksheet, st: &Styles, row: u32, cols: &[(&str, f64)]) -> Result<Vec<f64>, XlsxError> {
    let mut widths = Vec::with_capacity(cols.len());
    let mut n = 1;
    for (c, (name, width)) in cols.iter().enumerate() {
        text(ws, row, c as u16, name, &st.header)?;
        let w = width.max(4.0);
        ws.set_column_width(c as u16, w)?;
        widths.push(w);
        n = n.max(lines(name, w));
    }
    ws.set_row_height(row, height(n))?;
    Ok(widths)
}

/// The column paths of a table whose labels use ` / ` between levels.
fn split_levels(label: &str) -> Vec<&str> {
    label.split(" / ").collect()
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
    fn notice_file_names_fit_and_are_unique() {
        let mut n = FileNames::default();
        assert_eq!(n.unique("民权县2024人和镇"), "民权县2024人和镇.xlsx");
        assert_eq!(n.unique("民权县2024人和镇"), "民权县2024人和镇(2).xlsx");
        let long = format!("{}2024{}", "县".repeat(60), "镇".repeat(60));
        let (a, b) = (n.unique(&long), n.unique(&long));
        assert!(a.len() <= 200 && b.len() <= 200 && a != b, "{a} {b}");
        assert!(a.ends_with(".xlsx") && b.ends_with("(2).xlsx"));
        assert_eq!(n.unique("a/b:c"), "a_b_c.xlsx");
    }

    #[test]
    fn cell_text_is_cut_to_excels_limit() {
        let long = "很".repeat(40_000);
        assert_eq!(fit_cell(&long).chars().count(), MAX_CELL);
        let emoji = "😀".repeat(20_000);
        assert_eq!(fit_cell(&emoji).encode_utf16().count(), MAX_CELL - 1);
        assert_eq!(fit_cell("人和镇"), "人和镇");
    }

    #[test]
    fn wrapped_text_takes_more_lines() {
        assert_eq!(lines("人和镇", 20.0), 1);
        assert_eq!(lines(&"很".repeat(30), 20.0), 4);
        assert_eq!(lines("a\nb", 20.0), 2);
        assert!(height(2) > height(1));
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
