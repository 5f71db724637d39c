//! The office's own list of its units (`--roster FILE`), and who has
//! reported: for every county and year in the input, every unit of the list
//! with its status (submitted, partial, duplicate, rejected, missing), and
//! every unit that reported but is not on the list (not_in_roster), in the
//! list's order (FORMAT.md section 4).
//!
//! The list is a CSV as Excel saves it (UTF-8 with or without BOM, or GBK)
//! or an .xlsx; its columns 县/county and 单位/unit, optionally 类别/category
//! (乡镇, 部门), found by their header in Chinese or English. Names are
//! matched canonically ([`crate::names`]), so 人和镇人民政府 on the list is
//! 人和镇 in a report.

use crate::names;
use crate::output::csv::{CsvFile, headers};
use crate::output::text_field;
use crate::schema::{NCOLS, NROWS3};
use crate::seen::{Cross, Status};
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One unit of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// County, canonical.
    pub county: String,
    /// Unit, canonical.
    pub unit: String,
    /// Its category (乡镇, 部门, …), if the list gives one.
    pub category: Option<String>,
}

/// The list, in its own order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// The units.
    pub units: Vec<Unit>,
}

/// A unit's status for one county and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// County.
    pub county: String,
    /// Year.
    pub year: u16,
    /// Unit.
    pub unit: String,
    /// Its category, if the list gives one.
    pub category: Option<String>,
    /// submitted, partial, duplicate, rejected, missing or not_in_roster.
    pub status: &'static str,
    /// The file(s) read for it.
    pub files: Vec<String>,
}

/// Table 3 summed over the reports of one category of units (乡镇, 部门, …)
/// of a county and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategorySum {
    /// The category, `None` for units the list gives none (or does not list).
    pub category: Option<String>,
    /// Reports summed.
    pub units: u64,
    /// Table 3 per row, as [`crate::aggregate::CountyYear::requests`].
    pub rows: [Option<[u128; NCOLS]>; NROWS3],
}

/// The category sums of each county and year, in the list's order of
/// categories (units with none last).
pub type CategorySums = BTreeMap<(String, u16), Vec<CategorySum>>;

/// A file that was rejected, with who it is probably from (its title, or
/// its file name and folders), so the list can say the unit's report was
/// rejected rather than missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedFile {
    /// County, canonical, if known.
    pub county: Option<String>,
    /// Year, if known.
    pub year: Option<u16>,
    /// Unit, canonical (from the file name when nothing better is known).
    pub unit: String,
    /// The file.
    pub file: String,
}

/// A unit's best status in one county-year, and the files read for it.
type Found = (Status, Vec<String>);

const COUNTY: &[&str] = &["county", "县", "县区", "区县", "县(市、区)", "县(市,区)", "所属县区", "县市区"];
const UNIT: &[&str] = &["unit", "单位", "单位名称", "名称", "报送单位"];
const CATEGORY: &[&str] = &["category", "类别", "类型", "单位类别"];

/// How many rows at the top of the list are searched for its header (title
/// rows, a date, a note may come first).
pub const HEADER_ROWS: usize = 10;

impl Roster {
    /// Read the list from a CSV or .xlsx file.
    pub fn read(path: &Path) -> Result<Roster> {
        let is_xlsx = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        let rows = if is_xlsx { xlsx_rows(path)? } else { csv_rows(path)? };
        Roster::from_rows(&rows).with_context(|| format!("the unit list {}", path.display()))
    }

    /// The list from its rows of cells. The header is the first row that
    /// names the county and unit columns, among the first [`HEADER_ROWS`]
    /// non-empty ones (an office's sheet often has a title row above it).
    /// An empty county cell is the county of the row above: a cell merged
    /// down the column in Excel holds its value in its first row only.
    pub fn from_rows(rows: &[Vec<String>]) -> Result<Roster> {
        let rows: Vec<&Vec<String>> = rows.iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
        let Some(first) = rows.first() else { bail!("the list is empty") };
        let col = |header: &[String], names: &[&str]| {
            header.iter().position(|h| names.contains(&names::canonical(h).to_lowercase().as_str()))
        };
        let found =
            rows.iter().take(HEADER_ROWS).enumerate().find_map(|(i, r)| Some((i, col(r, COUNTY)?, col(r, UNIT)?)));
        let Some((at, c, u)) = found else {
            bail!(
                "no row among its first {HEADER_ROWS} names the columns 县 (county) and 单位 (unit); its first row has {}",
                first.join(", ")
            );
        };
        let header = rows[at];
        let k = col(header, CATEGORY);
        let mut units = Vec::new();
        let mut seen = BTreeSet::new();
        let mut county = String::new();
        for r in &rows[at + 1..] {
            let cell = |i: usize| r.get(i).map(|s| s.trim()).unwrap_or("");
            if !cell(c).is_empty() {
                county = names::county(cell(c));
            }
            if cell(u).is_empty() {
                continue;
            }
            let unit = Unit {
                county: county.clone(),
                unit: names::unit(cell(u)),
                category: k.map(cell).filter(|s| !s.is_empty()).map(str::to_string),
            };
            if seen.insert((unit.county.clone(), unit.unit.clone())) {
                units.push(unit);
            }
        }
        Ok(Roster { units })
    }

    /// Every unit's status for every county and year in the input.
    pub fn statuses(&self, cross: &Cross, rejected: &[RejectedFile]) -> Vec<RosterRow> {
        // (county, year) → unit → (best status, files)
        let mut found: BTreeMap<(String, u16), BTreeMap<String, Found>> = BTreeMap::new();
        let rank = |s: Status| match s {
            Status::Parsed => 0,
            Status::Partial => 1,
            Status::Duplicate => 2,
            Status::Rejected => 3,
            Status::Skipped => 4,
        };
        for l in cross.lines() {
            let e = found
                .entry((l.county.to_string(), l.year))
                .or_default()
                .entry(l.unit.to_string())
                .or_insert((l.status, Vec::new()));
            if rank(l.status) < rank(e.0) {
                e.0 = l.status;
            }
            e.1.push(l.file.to_string());
        }
        let years: BTreeSet<u16> = found.keys().map(|k| k.1).collect();
        let counties: BTreeSet<String> = found.keys().map(|k| k.0.clone()).collect();
        for r in rejected {
            // No folder names its county: the input's, when it has one.
            let county = match (&r.county, counties.len()) {
                (Some(c), _) => c.clone(),
                (None, 1) => counties.first().cloned().unwrap_or_default(),
                (None, _) => continue,
            };
            let ys: Vec<u16> = match r.year {
                Some(y) => vec![y],
                None => years.iter().copied().collect(),
            };
            let unit = self.unit_named_in(&county, &r.unit).unwrap_or(&r.unit);
            for y in ys {
                let e = found
                    .entry((county.clone(), y))
                    .or_default()
                    .entry(unit.to_string())
                    .or_insert((Status::Rejected, Vec::new()));
                e.1.push(r.file.clone());
            }
        }
        let mut out = Vec::new();
        for ((county, year), units) in &found {
            let listed: Vec<&Unit> = self.units.iter().filter(|u| &u.county == county).collect();
            for u in &listed {
                let (status, files) = match units.get(&u.unit) {
                    Some((s, f)) => (word(*s), f.clone()),
                    None => ("missing", Vec::new()),
                };
                out.push(RosterRow {
                    county: county.clone(),
                    year: *year,
                    unit: u.unit.clone(),
                    category: u.category.clone(),
                    status,
                    files,
                });
            }
            for (unit, (s, files)) in units {
                if listed.iter().any(|u| &u.unit == unit) {
                    continue;
                }
                // A rejected file whose name names no unit of the list is
                // not a unit of its own.
                if *s == Status::Rejected && files.iter().all(|f| rejected.iter().any(|r| &r.file == f)) {
                    continue;
                }
                out.push(RosterRow {
                    county: county.clone(),
                    year: *year,
                    unit: unit.clone(),
                    category: None,
                    status: "not_in_roster",
                    files: files.clone(),
                });
            }
        }
        out
    }

    /// The unit of the list (in `county`) a rejected file's name names: the
    /// name itself, or the longest unit of the list it contains
    /// (`人和镇人民政府2024年政府信息公开工作年度报告` names 人和镇).
    fn unit_named_in<'a>(&'a self, county: &str, name: &str) -> Option<&'a str> {
        let of_county = || self.units.iter().filter(move |u| u.county == county).map(|u| u.unit.as_str());
        if let Some(u) = of_county().find(|u| *u == name) {
            return Some(u);
        }
        of_county().filter(|u| u.chars().count() >= 2 && name.contains(u)).max_by_key(|u| u.len())
    }

    /// Does the list give categories?
    pub fn has_categories(&self) -> bool {
        self.units.iter().any(|u| u.category.is_some())
    }

    /// Table 3 summed per category of units, from requests_by_unit.csv (the
    /// reports summed, a few rows at a time: memory holds the sums alone).
    pub fn category_sums(&self, by_unit: &Path) -> Result<CategorySums> {
        let category: std::collections::HashMap<(&str, &str), &str> = self
            .units
            .iter()
            .filter_map(|u| Some(((u.county.as_str(), u.unit.as_str()), u.category.as_deref()?)))
            .collect();
        let order: Vec<&str> = {
            let mut seen = BTreeSet::new();
            self.units.iter().filter_map(|u| u.category.as_deref()).filter(|c| seen.insert(*c)).collect()
        };
        let bytes = std::fs::read(by_unit).with_context(|| format!("cannot read {}", by_unit.display()))?;
        let text = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&bytes);
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text);
        let mut sums: BTreeMap<(String, u16), Vec<CategorySum>> = BTreeMap::new();
        let mut last_file = String::new();
        for rec in rdr.records() {
            let rec = rec.with_context(|| format!("cannot read {}", by_unit.display()))?;
            let (county, unit, file) = (&rec[0], &rec[2], &rec[3]);
            let year: u16 = rec[1].parse().with_context(|| format!("{}: year {}", by_unit.display(), &rec[1]))?;
            let Some(row) = crate::schema::row3_index(&rec[4]) else { continue };
            let cat = category.get(&(county, unit)).map(|c| c.to_string());
            let list = sums.entry((county.to_string(), year)).or_default();
            let at = match list.iter().position(|s| s.category == cat) {
                Some(i) => i,
                None => {
                    list.push(CategorySum { category: cat, units: 0, rows: [None; NROWS3] });
                    list.len() - 1
                }
            };
            let sum = &mut list[at];
            if file != last_file {
                sum.units += 1;
                last_file = file.to_string();
            }
            let slot = sum.rows[row].get_or_insert([0; NCOLS]);
            for (c, v) in slot.iter_mut().enumerate() {
                *v += rec[6 + c].parse::<u128>().with_context(|| format!("{}: {}", by_unit.display(), &rec[6 + c]))?;
            }
        }
        let rank =
            |c: &Option<String>| c.as_deref().and_then(|c| order.iter().position(|o| *o == c)).unwrap_or(usize::MAX);
        for list in sums.values_mut() {
            list.sort_by_key(|s| rank(&s.category));
        }
        Ok(sums)
    }

    /// Write roster.csv.
    pub fn write_csv(&self, path: &Path, rows: &[RosterRow], bom: bool) -> Result<()> {
        let mut w = CsvFile::create(path.to_path_buf(), headers::ROSTER, bom)?;
        for r in rows {
            let files = r.files.join("; ");
            w.row([
                text_field(&r.county).as_ref(),
                &r.year.to_string(),
                &text_field(&r.unit),
                r.status,
                &text_field(&files),
            ])?;
        }
        w.finish()
    }
}

fn word(s: Status) -> &'static str {
    match s {
        Status::Parsed => "submitted",
        Status::Partial => "partial",
        Status::Duplicate => "duplicate",
        Status::Rejected | Status::Skipped => "rejected",
    }
}

/// The cells of a CSV list: UTF-8 (with or without BOM) or GBK, as Excel saves it.
fn csv_rows(path: &Path) -> Result<Vec<Vec<String>>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read the unit list {}", path.display()))?;
    let (text, _) =
        crate::decode::decode(&bytes).map_err(|r| anyhow::anyhow!("the unit list {}: {r}", path.display()))?;
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("the unit list {} is not a CSV file", path.display()))?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

/// The cells of the first sheet of an .xlsx list, a merged cell's value in
/// every cell it covers (Excel keeps it in the first only: a 县 or 类别
/// merged down the rows of its units).
fn xlsx_rows(path: &Path) -> Result<Vec<Vec<String>>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> =
        open_workbook(path).with_context(|| format!("cannot open the unit list {}", path.display()))?;
    let Some(Ok(range)) = wb.worksheet_range_at(0) else { bail!("the unit list {} has no sheet", path.display()) };
    let mut rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let merged = wb.merge_cells_by_sheet_id(0).unwrap_or_default();
    let (top, left) = range.start().unwrap_or((0, 0));
    for m in merged {
        let at = |(r, c): (u32, u32)| Some(((r.checked_sub(top)?) as usize, (c.checked_sub(left)?) as usize));
        let Some((r0, c0)) = at(m.start) else { continue };
        let Some(value) = rows.get(r0).and_then(|r| r.get(c0)).cloned() else { continue };
        for r in r0..=(m.end.0.saturating_sub(top) as usize).min(rows.len().saturating_sub(1)) {
            for c in c0..=(m.end.1.saturating_sub(left) as usize).min(rows[r].len().saturating_sub(1)) {
                if rows[r][c].is_empty() {
                    rows[r][c].clone_from(&value);
                }
            }
        }
    }
    Ok(rows)
}

/// Who a rejected file is probably from: its folders' county and year, and
/// the unit its file name names.
pub fn guess(rel: &str, folder_county: Option<&str>) -> RejectedFile {
    let parts: Vec<&str> = rel.split('/').collect();
    let stem = parts.last().map_or("", |n| n.rsplit_once('.').map_or(*n, |(s, _)| s));
    let year = parts
        .iter()
        .rev()
        .skip(1)
        .find_map(|p| {
            let y: String = p.chars().filter(char::is_ascii_digit).collect();
            y.parse::<u16>().ok().filter(|y| (2000..=2100).contains(y) && y.to_string().len() == 4)
        })
        // No folder names it: a year in the file's name (人和镇2024年度报告).
        .or_else(|| {
            let stem = names::canonical(stem);
            let mut years = stem
                .split(|c: char| !c.is_ascii_digit())
                .filter(|d| d.len() == 4)
                .filter_map(|d| d.parse::<u16>().ok())
                .filter(|y| (2000..=2100).contains(y));
            let y = years.next()?;
            years.all(|o| o == y).then_some(y)
        });
    RejectedFile { county: folder_county.map(names::county), year, unit: names::unit(stem), file: rel.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
        r.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn headers_in_chinese_or_english_and_names_canonical() {
        let r = Roster::from_rows(&rows(&[
            &["序号", "县", "单位", "类别"],
            &["1", "民权县", "人和镇人民政府", "乡镇"],
            &["2", "民权县", "教育局", "部门"],
        ]))
        .unwrap();
        assert_eq!(r.units[0], Unit { county: "民权县".into(), unit: "人和镇".into(), category: Some("乡镇".into()) });
        let r = Roster::from_rows(&rows(&[&["county", "unit"], &["興國縣", "良村鎮"]])).unwrap();
        assert_eq!((r.units[0].county.as_str(), r.units[0].unit.as_str()), ("兴国县", "良村镇"));
        assert!(Roster::from_rows(&rows(&[&["a", "b"], &["1", "2"]])).is_err());
    }

    #[test]
    fn the_header_may_have_a_title_above_it_and_the_county_merged_down() {
        let r = Roster::from_rows(&rows(&[
            &["民权县2024年政务公开报送单位名单", "", ""],
            &["", "", ""],
            &["县", "单位", "类别"],
            &["民权县", "人和镇", "乡镇"],
            &["", "北关镇", "乡镇"],
            &["睢县", "城关镇", ""],
            &["", "教育局", "部门"],
        ]))
        .unwrap();
        let got: Vec<(&str, &str, Option<&str>)> =
            r.units.iter().map(|u| (u.county.as_str(), u.unit.as_str(), u.category.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("民权县", "人和镇", Some("乡镇")),
                ("民权县", "北关镇", Some("乡镇")),
                ("睢县", "城关镇", None),
                ("睢县", "教育局", Some("部门"))
            ]
        );
        let mut long = vec![vec!["标题".to_string()]; HEADER_ROWS];
        long.extend(rows(&[&["县", "单位"], &["民权县", "人和镇"]]));
        assert!(Roster::from_rows(&long).is_err(), "the header is looked for near the top only");
    }

    #[test]
    fn a_rejected_file_names_the_unit_of_the_list_it_contains() {
        let r =
            Roster::from_rows(&rows(&[&["县", "单位"], &["民权县", "人和镇"], &["民权县", "人和镇卫生院"]])).unwrap();
        let named = |name: &str| r.unit_named_in("民权县", &names::unit(name));
        assert_eq!(named("人和镇人民政府2024年政府信息公开工作年度报告"), Some("人和镇"));
        assert_eq!(named("人和镇卫生院2024年度报告"), Some("人和镇卫生院"), "the longest");
        assert_eq!(named("人和镇卫生院"), Some("人和镇卫生院"));
        assert_eq!(named("城关镇2024年报告"), None);
        assert_eq!(r.unit_named_in("睢县", "人和镇年报"), None, "another county's list");
        let g = guess("民权县/人和镇人民政府２０２４年度报告.docx", Some("民权县"));
        assert_eq!(g.year, Some(2024), "the year in the name when no folder gives one");
        assert_eq!(guess("民权县/人和镇2023至2024年.docx", None).year, None, "two years: none");
    }

    #[test]
    fn a_rejected_file_is_guessed_from_its_name_and_folders() {
        let g = guess("民权县/2024/人和镇人民政府.pdf", Some("民权县"));
        assert_eq!((g.county.as_deref(), g.year, g.unit.as_str()), (Some("民权县"), Some(2024), "人和镇"));
        assert_eq!(guess("报告.zip/2023年/城关镇.doc", None).year, Some(2023));
    }
}
