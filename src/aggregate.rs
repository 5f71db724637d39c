//! Sums per county and year, table by table.
//!
//! [`Totals`] merges like tokei's `Language` stats: partial totals are built
//! in parallel (rayon fold) and merged (reduce), and a `BTreeMap` keeps
//! counties and years in a stable order for the writers. Each table counts
//! its own reports (`units`): a report whose table 2 was left out counts in
//! table 3 but not in table 2. Sums are held wider than any report's values
//! (a count is at most [`crate::text::MAX_COUNT`]), so no number of reports
//! can make a sum overflow; a report can be taken out again
//! ([`Totals::sub`]) when it turns out to be a duplicate.

use crate::report::Report;
use crate::schema::{Format, NCOLS, NROWS3, Row};
use std::collections::BTreeMap;

/// The sums of one county and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyYear {
    /// Table 3 per row ([`Row::index`]): the sum, `None` while no report
    /// had the row.
    pub requests: [Option<[u128; NCOLS]>; NROWS3],
    /// Reports summed into table 3.
    pub units3: u64,
    /// Of those, how many kept (六) 其他处理 as one row.
    pub single_other: u64,
    /// Table 2 per (format, item index, measure index): the sum, in
    /// ten-thousandths (see [`crate::text::Decimal`]).
    pub proactive: BTreeMap<(Format, usize, usize), i128>,
    /// Reports summed into table 2.
    pub units2: u64,
    /// Table 4 per proceeding.
    pub review: [[u128; 5]; 3],
    /// Reports summed into table 4.
    pub units4: u64,
}

impl Default for CountyYear {
    fn default() -> Self {
        CountyYear {
            requests: [None; NROWS3],
            units3: 0,
            single_other: 0,
            proactive: BTreeMap::new(),
            units2: 0,
            review: [[0; 5]; 3],
            units4: 0,
        }
    }
}

impl CountyYear {
    /// A table-3 row's sum, `None` when no report had the row.
    pub fn row(&self, row: Row) -> Option<&[u128; NCOLS]> {
        self.requests[row.index()].as_ref()
    }
}

/// Sums for every county and year in the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Keyed by (county, year).
    pub by_county_year: BTreeMap<(String, u16), CountyYear>,
}

impl Totals {
    /// Add one report under its county.
    pub fn add(&mut self, county: &str, r: &Report) {
        self.apply(county, r, 1);
    }

    /// Take a report out again (a duplicate found after it was summed).
    pub fn sub(&mut self, county: &str, r: &Report) {
        self.apply(county, r, -1);
        let key = (county.to_string(), r.year);
        if self.by_county_year.get(&key).is_some_and(|cy| cy.units3 == 0) {
            self.by_county_year.remove(&key);
        }
    }

    /// Add (`sign` 1) or take out (`sign` -1) a report. Taking out only ever
    /// undoes an addition, so no sum goes below zero.
    fn apply(&mut self, county: &str, r: &Report, sign: i8) {
        let cy = self.by_county_year.entry((county.to_string(), r.year)).or_default();
        let step = |n: &mut u64| *n = if sign > 0 { *n + 1 } else { n.saturating_sub(1) };
        let add =
            |a: &mut u128, b: u64| *a = if sign > 0 { *a + u128::from(b) } else { a.saturating_sub(u128::from(b)) };
        step(&mut cy.units3);
        if r.table3.single_other() {
            step(&mut cy.single_other);
        }
        for row in Row::ALL {
            let Some(v) = r.table3.get(row) else { continue };
            let slot = cy.requests[row.index()].get_or_insert([0; NCOLS]);
            for c in 0..NCOLS {
                add(&mut slot[c], v[c]);
            }
        }
        if let Some(t2) = &r.table2 {
            step(&mut cy.units2);
            let items = crate::schema::table2_items(r.format);
            let mut k = 0;
            for (ii, item) in items.iter().enumerate() {
                for mi in 0..item.measures.len() {
                    let v = i128::from(t2.get(k).map_or(0, |d| d.0));
                    k += 1;
                    *cy.proactive.entry((r.format, ii, mi)).or_insert(0) += if sign > 0 { v } else { -v };
                }
            }
        }
        if let Some(t4) = &r.table4 {
            step(&mut cy.units4);
            for (sums, row) in cy.review.iter_mut().zip(t4) {
                for (sum, &v) in sums.iter_mut().zip(row) {
                    add(sum, v);
                }
            }
        }
        if sign < 0 {
            // A row or measure no report has any more is not listed.
            if cy.units3 == 0 {
                cy.requests = [None; NROWS3];
            }
            if cy.units2 == 0 {
                cy.proactive.clear();
            }
        }
    }

    /// Merge another partial total into this one (the reduce step).
    pub fn merge(mut self, other: Totals) -> Totals {
        for (key, o) in other.by_county_year {
            let Some(cy) = self.by_county_year.get_mut(&key) else {
                self.by_county_year.insert(key, o);
                continue;
            };
            cy.units3 += o.units3;
            cy.single_other += o.single_other;
            cy.units2 += o.units2;
            cy.units4 += o.units4;
            for (i, row) in o.requests.iter().enumerate() {
                let Some(v) = row else { continue };
                let slot = cy.requests[i].get_or_insert([0; NCOLS]);
                for c in 0..NCOLS {
                    slot[c] += v[c];
                }
            }
            for (k, v) in o.proactive {
                *cy.proactive.entry(k).or_insert(0) += v;
            }
            for p in 0..3 {
                for c in 0..5 {
                    cy.review[p][c] += o.review[p][c];
                }
            }
        }
        self
    }
}

/// A table-2 sum as written in the CSV: the decimal with up to four places.
pub fn decimal_text(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let scale = crate::text::SCALE as u128;
    let (int, frac) = (a / scale, a % scale);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let s = format!("{frac:04}");
        format!("{sign}{int}.{}", s.trim_end_matches('0'))
    }
}

/// A table-2 sum read back from the CSV ([`decimal_text`]'s inverse): the
/// value in ten-thousandths, or `None` for text that is not such a decimal.
pub fn parse_decimal_text(s: &str) -> Option<i128> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let ok = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || frac.is_empty() || int.len() > 30 || frac.len() > 4 || !ok(int) || !ok(frac) {
        return None;
    }
    let scale = crate::text::SCALE as i128;
    let f: i128 = format!("{frac:0<4}").parse().ok()?;
    let v = int.parse::<i128>().ok()?.checked_mul(scale)?.checked_add(f)?;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_back_as_written() {
        for v in [0i128, 12_3400, -5000, 1, 99_999, 1199999999998800 * 10_000] {
            assert_eq!(parse_decimal_text(&decimal_text(v)), Some(v), "{v}");
        }
        for bad in ["", "-", "1.", ".5", "1.23456", "1e3", "壹"] {
            assert_eq!(parse_decimal_text(bad), None, "{bad}");
        }
    }

    #[test]
    fn decimals_print_as_the_reports_write_them() {
        assert_eq!(decimal_text(0), "0");
        assert_eq!(decimal_text(12_3400), "12.34");
        assert_eq!(decimal_text(-5000), "-0.5");
        // 1,200 reports of 999,999,999,999 万元 each: no overflow.
        let v: i128 = (0..1200).map(|_| 999_999_999_999i128 * 10_000).sum();
        assert_eq!(decimal_text(v), "1199999999998800");
    }
}
