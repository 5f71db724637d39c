//! Year over year: the 总计 of each table-3 row of year N beside year N-1,
//! for the same county (requests_yoy.csv and the workbook's 同比 sheet).
//!
//! Only years whose previous year is in the input are compared. A row is
//! listed when either year has it (a county that moved from the 2019 form's
//! single `other_processing` row to the three `other_*` rows shows both, the
//! missing side blank). `change` is this year minus last year; `change_pct` is
//! that change as a percentage of last year, to one decimal place, and blank
//! when last year is 0 or blank.

use crate::aggregate::Totals;
use crate::output::csv::{CsvFile, headers};
use crate::output::text_field;
use crate::schema::{self, NROWS3, TOTAL_COL};
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::Path;

/// The 总计 of every table-3 row (None: no report had the row), per county and year.
pub type RowTotals = BTreeMap<(String, u16), [Option<u128>; NROWS3]>;

/// One row of requests_yoy.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YoyRow {
    /// County.
    pub county: String,
    /// Year N.
    pub year: u16,
    /// Index of the row in [`schema::TABLE3_ROWS`].
    pub row: usize,
    /// 总计 of the row in year N (None: no report of year N had the row).
    pub this_year: Option<u128>,
    /// 总计 of the row in year N-1.
    pub last_year: Option<u128>,
}

impl YoyRow {
    /// This year minus last year, when both are known.
    pub fn change(&self) -> Option<i128> {
        Some(self.this_year? as i128 - self.last_year? as i128)
    }

    /// The change as a percentage of last year (None when last year is 0 or unknown).
    pub fn change_pct(&self) -> Option<f64> {
        let last = self.last_year.filter(|&l| l > 0)?;
        Some(self.change()? as f64 * 100.0 / last as f64)
    }

    /// The fields of requests_yoy.csv (see [`headers::REQUESTS_YOY`]).
    pub fn record(&self) -> [String; 8] {
        let def = &schema::TABLE3_ROWS[self.row];
        let opt = |v: Option<u128>| v.map(|v| v.to_string()).unwrap_or_default();
        [
            text_field(&self.county).into_owned(),
            self.year.to_string(),
            def.key.to_string(),
            def.label.to_string(),
            opt(self.this_year),
            opt(self.last_year),
            self.change().map(|c| c.to_string()).unwrap_or_default(),
            self.change_pct().map(|p| format!("{p:.1}")).unwrap_or_default(),
        ]
    }
}

/// The 总计 column of each county-year's table 3.
pub fn row_totals(totals: &Totals) -> RowTotals {
    totals
        .by_county_year
        .iter()
        .map(|(key, cy)| {
            let mut rows = [None; NROWS3];
            for (slot, row) in rows.iter_mut().zip(&cy.requests) {
                *slot = row.as_ref().map(|v| v[TOTAL_COL]);
            }
            (key.clone(), rows)
        })
        .collect()
}

/// Compare every county-year with the county's previous year, sorted by
/// county, year and the form's row order.
pub fn year_over_year(totals: &RowTotals) -> Vec<YoyRow> {
    let mut out = Vec::new();
    for ((county, year), this) in totals {
        let Some(prev_year) = year.checked_sub(1) else {
            continue;
        };
        let Some(last) = totals.get(&(county.clone(), prev_year)) else {
            continue;
        };
        for row in 0..NROWS3 {
            if this[row].is_none() && last[row].is_none() {
                continue;
            }
            out.push(YoyRow { county: county.clone(), year: *year, row, this_year: this[row], last_year: last[row] });
        }
    }
    out
}

/// Write requests_yoy.csv into `dir` (a header line alone when no county has
/// two consecutive years, so scripts can rely on the file).
pub fn write_csv(path: &Path, rows: &[YoyRow], bom: bool) -> Result<()> {
    let mut w = CsvFile::create(path.to_path_buf(), headers::REQUESTS_YOY, bom)?;
    for r in rows {
        w.row(r.record())?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(v: &[(usize, u128)]) -> [Option<u128>; NROWS3] {
        let mut r = [None; NROWS3];
        for &(i, n) in v {
            r[i] = Some(n);
        }
        r
    }

    #[test]
    fn compares_consecutive_years_only() {
        let mut t = RowTotals::new();
        t.insert(("甲县".into(), 2021), rows(&[(0, 4), (1, 0)]));
        t.insert(("甲县".into(), 2022), rows(&[(0, 6), (1, 2)]));
        t.insert(("甲县".into(), 2024), rows(&[(0, 1)]));
        t.insert(("乙县".into(), 2021), rows(&[(0, 9)]));
        let y = year_over_year(&t);
        assert_eq!(y.len(), 2, "{y:?}");
        assert_eq!(
            y[0].record()[2..],
            ["new_requests", schema::TABLE3_ROWS[0].label, "6", "4", "2", "50.0"].map(String::from)
        );
        assert_eq!(y[1].record()[4..], ["2", "0", "2", ""].map(String::from));
    }

    #[test]
    fn a_row_missing_one_year_is_blank_on_that_side() {
        let mut t = RowTotals::new();
        t.insert(("甲县".into(), 2020), rows(&[(schema::OTHER_PROCESSING, 3)]));
        t.insert(("甲县".into(), 2021), rows(&[(schema::OTHER_PROCESSING + 1, 1)]));
        let y = year_over_year(&t);
        assert_eq!(y.len(), 2);
        assert_eq!(y[0].record()[4..], ["", "3", "", ""].map(String::from));
        assert_eq!(y[1].record()[4..], ["1", "", "", ""].map(String::from));
        let down = YoyRow { county: "甲县".into(), year: 2021, row: 0, this_year: Some(1), last_year: Some(3) };
        assert_eq!(down.record()[6..], ["-2", "-66.7"].map(String::from));
    }
}
