//! Lines of cells → a [`Report`] (title, unit, year, tables), or the reason
//! it cannot be one.
//!
//! Each table is read on its own ([`Parts`]): table 3 is the heart of the
//! rollup, so a report whose table 3 cannot be read with certainty is
//! rejected; a report whose table 2 or table 4 cannot be read still counts
//! in table 3, with those tables left out and the reason kept
//! ([`Report::left_out`]). Reading is split by concern: [`sections`] finds
//! the tables, [`tokens`] the words, [`columns`] anchors values on
//! positions, [`heads`] finds the form's labels, [`rows`] gives runs of
//! values to rows; [`table2`], [`table3`], [`table4`], [`title`] and
//! [`narrative`] use them. None of them writes or sums anything.

pub mod bands;
pub mod columns;
pub mod header;
pub mod heads;
pub mod narrative;
pub mod rows;
pub mod sections;
pub mod table2;
pub mod table3;
pub mod table4;
pub mod title;
pub mod tokens;

use crate::error::{RejectKind, Rejection, Why, why};
use crate::layout::Line;
use crate::schema::{self, Col, Format, Group, NCOLS, NROWS3, Row};
use crate::text::{self, Decimal};
pub use title::Title;
use tokens::{Tok, View, Word};

/// Table 3 as read: a value for every row the document has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table3 {
    /// Values by row ([`Row::index`]); `None` for a row this document does
    /// not have (the (六) variant it does not use).
    pub rows: [Option<[u64; NCOLS]>; NROWS3],
}

impl Table3 {
    /// The row's values, if the document has the row.
    pub fn get(&self, row: Row) -> Option<&[u64; NCOLS]> {
        self.rows[row.index()].as_ref()
    }

    /// Does the document use the single (六) 其他处理 row?
    pub fn single_other(&self) -> bool {
        self.rows[Row::OtherProcessing.index()].is_some()
    }

    /// A row's value in a column; 0 for a row the document does not have
    /// (as the form reads an absent row).
    pub fn cell(&self, row: Row, col: Col) -> u64 {
        self.get(row).map_or(0, |v| v[col.index()])
    }

    /// The sum of the outcome rows (一)…(六) in a column: what (七) 总计
    /// must equal. Cannot overflow: counts are at most text::MAX_COUNT and
    /// there are fewer than 26 terms.
    pub fn outcomes(&self, col: Col) -> u64 {
        Row::ALL.iter().filter(|r| r.group().is_outcome()).map(|&r| self.cell(r, col)).sum()
    }
}

/// A subtotal (小计) some units add to table 3, kept only to be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subtotal {
    /// A 小计 row under a group: its seven values.
    Row {
        /// The group it sums.
        group: Group,
        /// Its values.
        values: [u64; NCOLS],
    },
    /// The eighth column (sum of the five 法人或其他组织 columns) of one row.
    Column {
        /// Row index ([`Row::index`]).
        row: usize,
        /// The subtotal stated.
        value: u64,
    },
}

/// Table 4: five values (upheld, corrected, other, pending, total) for each
/// proceeding of [`schema::TABLE4_PROCEEDINGS`].
pub type Table4 = [[u64; 5]; 3];

/// Everything the tool takes from one annual report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The title as found (markup removed), for messages.
    pub title: String,
    /// The county the title names (canonical), if it names one.
    pub county: Option<String>,
    /// The unit (township or department), canonical.
    pub unit: String,
    /// The year the report covers.
    pub year: u16,
    /// Which form the document uses (from table 2's header, else the year).
    pub format: Format,
    /// Table 2: one value per measure of [`schema::table2_items`]`(format)`,
    /// item by item in the form's order; `None` when it was left out.
    pub table2: Option<Vec<Decimal>>,
    /// Table 3.
    pub table3: Table3,
    /// Subtotals found in table 3 (not summed; checked).
    pub subtotals: Vec<Subtotal>,
    /// Table 4; `None` when it was left out.
    pub table4: Option<Table4>,
    /// The number of requests received that the prose states, if it does.
    pub narrative_requests: Option<u64>,
    /// Why table 2 or table 4 was left out (the report is then `partial`).
    pub left_out: Vec<Rejection>,
}

/// Each table of a document read on its own, before they are combined (see
/// [`Parts::into_report`]); tests and diagnostics can look at one table of
/// a document whose other tables are broken.
#[derive(Debug, Clone)]
pub struct Parts {
    /// The title, if found.
    pub title: Option<Title>,
    /// The year the text states, for a title without one.
    pub year_in_text: Option<u16>,
    /// The form, from table 2's header (else the year).
    pub format: Option<Format>,
    /// Table 2.
    pub table2: Result<Vec<Decimal>, Rejection>,
    /// Table 3 and its subtotals.
    pub table3: Result<(Table3, Vec<Subtotal>), Rejection>,
    /// Table 4.
    pub table4: Result<Table4, Rejection>,
    /// The requests received that the prose states.
    pub narrative_requests: Option<u64>,
}

/// A value word as a count: a whole number, not negative, not too large. A
/// blank cell (`None`, an empty cell, a blank marker) is 0.
pub(crate) fn count_of(w: Option<&Word>) -> Result<u64, (RejectKind, Why)> {
    let Some(w) = w else { return Ok(0) };
    match w.tok {
        Tok::Empty => Ok(0),
        Tok::Num(n) => match n.value.as_int() {
            Some(v) if v >= 0 => Ok(v as u64),
            Some(_) => Err((
                RejectKind::NotANumber,
                why(
                    format!("\"{}\" is negative; a count cannot be", w.raw),
                    format!("“{}”是负数，件数不能为负", w.raw),
                ),
            )),
            None => Err((
                RejectKind::NotANumber,
                why(format!("\"{}\" is not a whole number", w.raw), format!("“{}”不是整数", w.raw)),
            )),
        },
        Tok::TooLarge => Err((
            RejectKind::Overflow,
            why(format!("\"{}\" is too large to be a count", w.raw), format!("“{}”过大，不可能是件数", w.raw)),
        )),
        Tok::Text | Tok::Unit => {
            Err((RejectKind::NotANumber, why(format!("\"{}\" is not a number", w.raw), format!("“{}”不是数字", w.raw))))
        }
    }
}

/// A line's text with its cells joined by a space.
fn plain(line: &Line) -> String {
    match &line.cells[..] {
        [one] => one.text.to_string(),
        cells => cells.iter().map(|c| c.text.as_ref()).collect::<Vec<&str>>().join(" "),
    }
}

/// Read every part of a document (already split into lines).
pub fn read_parts(lines: &[Line<'_>]) -> Parts {
    // Page headers and footers a converter left between rows carry no cell.
    // (A PDF prints a footer as several words: they are joined first.)
    let marker = |l: &Line| match l.kind {
        crate::layout::Kind::Text => l.cells.len() == 1 && text::is_page_marker(&l.cells[0].text),
        crate::layout::Kind::Placed => {
            // `第 3 页 共 6 页` is one marker when its words are joined; only
            // with 页 in it (joined, `2 0 / 2` would look like `3/7`).
            let tight: String = l.cells.iter().map(|c| c.text.as_ref()).collect();
            l.cells.len() <= 8
                && (text::is_page_marker(&plain(l)) || (tight.contains('页') && text::is_page_marker(&tight)))
        }
        _ => false,
    };
    let kept: Vec<&Line> = lines.iter().filter(|l| !marker(l)).collect();
    let plains: Vec<String> = kept.iter().map(|l| plain(l)).collect();
    let secs = sections::find(&plains);
    let views = |r: &std::ops::Range<usize>| -> Vec<View> { kept[r.clone()].iter().map(|l| View::new(l)).collect() };
    let prose: Vec<&str> = plains[secs.prose.clone()].iter().map(String::as_str).collect();
    let title = title::read_title(&prose);
    let year_in_text = title.as_ref().and_then(|t| t.year).is_none().then(|| title::year_in_text(&prose)).flatten();
    let missing = |t: u8, heading: &str| {
        let zh = ["", "一", "二", "三", "四"].get(usize::from(t)).unwrap_or(&"?");
        Rejection::table(
            RejectKind::MissingTable,
            t,
            format!("table {t} ({heading}) not found"),
            format!("未找到表{zh}（{heading}）"),
        )
    };
    let table3 = match &secs.t3 {
        Some(r) => table3::read(&views(r)),
        None => Err(missing(3, schema::TABLE3_HEADING)),
    };
    let year = title.as_ref().and_then(|t| t.year).or(year_in_text);
    let (format, table2) = match &secs.t2 {
        Some(r) => {
            let v = views(r);
            let format = table2::format_of(&v).or(year.map(Format::for_year));
            let table2 = match format {
                Some(f) => table2::read(&v, f),
                None => Err(Rejection::table(
                    RejectKind::MissingTable,
                    2,
                    "table 2's header names no form version and the title no year",
                    "表二的表头未标明表格版本，标题中也没有年度",
                )),
            };
            (format, table2)
        }
        None => (year.map(Format::for_year), Err(missing(2, schema::TABLE2_HEADING))),
    };
    let table4 = match &secs.t4 {
        // Closed by section 五 or 六: the table is whole, not cut off by
        // the end of a truncated file.
        Some(r) => table4::read(&views(r), r.end < kept.len()),
        None => Err(missing(4, schema::TABLE4_HEADING)),
    };
    let narrative_requests = narrative::read_narrative(&prose);
    Parts { title, year_in_text, format, table2, table3, table4, narrative_requests }
}

impl Parts {
    /// Change the reason of every table that could not be read (a layout
    /// adding what it noticed about the file).
    pub fn for_each_rejection(&mut self, mut f: impl FnMut(&mut Rejection)) {
        if let Err(r) = &mut self.table2 {
            f(r);
        }
        if let Err(r) = &mut self.table3 {
            f(r);
        }
        if let Err(r) = &mut self.table4 {
            f(r);
        }
    }

    /// Is any table not read?
    pub fn any_unread(&self) -> bool {
        self.table2.is_err() || self.table3.is_err() || self.table4.is_err()
    }

    /// Take from `other`, a second reading of the same document, each table
    /// this reading could not read and that one could; its tables 3 and 4
    /// only when `confirm3` and `confirm4` accept them. Tables read here
    /// stay as read.
    pub fn fill_from(&mut self, other: Parts, confirm3: impl Fn(&Table3) -> bool, confirm4: impl Fn(&Table4) -> bool) {
        if self.table2.is_err() && other.table2.is_ok() {
            self.table2 = other.table2;
            self.format = self.format.or(other.format);
        }
        if self.table3.is_err() && other.table3.as_ref().is_ok_and(|(t, _)| confirm3(t)) {
            self.table3 = other.table3;
        }
        if self.table4.is_err() && other.table4.as_ref().is_ok_and(confirm4) {
            self.table4 = other.table4;
        }
    }

    /// Combine the parts into a report: table 3 and the title must be
    /// certain; tables 2 and 4 are left out (with the reason) when not.
    pub fn into_report(self) -> Result<Report, Rejection> {
        let Parts { title, year_in_text, format, table2, table3, table4, narrative_requests } = self;
        let Some(title) = title else {
            return Err(match table3 {
                Err(e) if e.kind == RejectKind::MissingTable => Rejection::doc(
                    RejectKind::NotAReport,
                    "not an annual report: no report title (…年度报告) and no table 3",
                    "不是年度报告：既没有报告标题（……年度报告），也没有表三",
                ),
                _ => Rejection::doc(
                    RejectKind::NotAReport,
                    "no report title (…年度报告) before the tables",
                    "表格之前没有报告标题（……年度报告）：请在文件开头写明标题",
                ),
            });
        };
        let (table3, subtotals) = table3?;
        let year = title.year.or(year_in_text).ok_or_else(|| {
            Rejection::doc(
                RejectKind::NoYear,
                format!("neither the title \"{}\" nor the text names the year", title.text),
                format!("标题“{}”和正文都没有写明年度", title.text),
            )
        })?;
        if !(2000..=2100).contains(&year) {
            return Err(Rejection::doc(
                RejectKind::NoYear,
                format!("the title's year {year} is not a report year"),
                format!("标题中的年度 {year} 不是报告年度"),
            ));
        }
        if title.unit.is_empty() {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!("the title \"{}\" names no unit", title.text),
                format!("标题“{}”没有写明单位名称", title.text),
            ));
        }
        if title.unit.chars().count() > crate::names::MAX_NAME_CHARS
            || title.county.as_ref().is_some_and(|c| c.chars().count() > crate::names::MAX_NAME_CHARS)
        {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!(
                    "the unit name in the title is longer than {} characters: not a title",
                    crate::names::MAX_NAME_CHARS
                ),
                format!("标题中的单位名称超过 {} 个字：不是报告标题", crate::names::MAX_NAME_CHARS),
            ));
        }
        let mut left_out = Vec::new();
        let table2 = table2.map_err(|e| left_out.push(e)).ok();
        let table4 = table4.map_err(|e| left_out.push(e)).ok();
        Ok(Report {
            title: title.text,
            county: title.county,
            unit: title.unit,
            year,
            format: format.unwrap_or(Format::for_year(year)),
            table2,
            table3,
            subtotals,
            table4,
            narrative_requests,
            left_out,
        })
    }
}

/// Read a whole document (already split into lines) into a report.
pub fn read_report(lines: &[Line<'_>]) -> Result<Report, Rejection> {
    read_parts(lines).into_report()
}
