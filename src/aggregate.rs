//! Sums per county and year, with checked arithmetic.
//!
//! [`Totals`] merges like tokei's `Language` stats: partial totals are built in
//! parallel (rayon fold) and merged (reduce), and a `BTreeMap` keeps counties
//! and years in a stable order for the writers. Sums only ever hold what the
//! reports state; a report can be taken out again ([`Totals::sub`]) when it
//! turns out to be a duplicate.

use crate::report::Report;
use crate::schema::{self, Format, NCOLS, NROWS3};
use crate::text::Decimal;
use std::collections::BTreeMap;

/// A sum that would not fit: the run stops rather than write a wrapped number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overflow(pub String);

impl std::fmt::Display for Overflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a sum overflowed: {}", self.0)
    }
}

impl std::error::Error for Overflow {}

/// The sums of one county and year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountyYear {
    /// Table 3 per row: the sum and how many reports had the row.
    pub requests: Vec<Option<([u64; NCOLS], u64)>>,
    /// Table 2 per (format, item index, measure index): the sum and how many
    /// reports contributed.
    pub proactive: BTreeMap<(Format, usize, usize), (Decimal, u64)>,
    /// Table 4 per proceeding.
    pub review: [[u64; 5]; 3],
    /// Number of reports summed.
    pub units: u64,
}

/// Sums for every county and year in the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Keyed by (county, year).
    pub by_county_year: BTreeMap<(String, u16), CountyYear>,
}

fn add_u(a: u64, b: u64, what: &str) -> Result<u64, Overflow> {
    a.checked_add(b).ok_or_else(|| Overflow(what.to_string()))
}

fn sub_u(a: u64, b: u64, what: &str) -> Result<u64, Overflow> {
    a.checked_sub(b).ok_or_else(|| Overflow(what.to_string()))
}

impl Totals {
    /// Add one report under its county.
    pub fn add(&mut self, county: &str, r: &Report) -> Result<(), Overflow> {
        self.apply(county, r, add_u, Decimal::checked_add)
    }

    /// Take a report out again (a duplicate found after it was summed).
    pub fn sub(&mut self, county: &str, r: &Report) -> Result<(), Overflow> {
        self.apply(county, r, sub_u, Decimal::checked_sub)?;
        let key = (county.to_string(), r.year);
        if self.by_county_year.get(&key).is_some_and(|cy| cy.units == 0) {
            self.by_county_year.remove(&key);
        }
        Ok(())
    }

    fn apply(
        &mut self,
        county: &str,
        r: &Report,
        op: fn(u64, u64, &str) -> Result<u64, Overflow>,
        dop: fn(Decimal, Decimal) -> Option<Decimal>,
    ) -> Result<(), Overflow> {
        let cy = self.by_county_year.entry((county.to_string(), r.year)).or_default();
        if cy.requests.is_empty() {
            cy.requests = vec![None; NROWS3];
        }
        cy.units = op(cy.units, 1, "units")?;
        for (i, row) in r.table3.rows.iter().enumerate() {
            let Some(v) = row else { continue };
            let slot = cy.requests[i].get_or_insert(([0; NCOLS], 0));
            for c in 0..NCOLS {
                slot.0[c] = op(slot.0[c], v[c], schema::TABLE3_ROWS[i].key)?;
            }
            slot.1 = op(slot.1, 1, "units")?;
            if slot.1 == 0 {
                cy.requests[i] = None;
            }
        }
        let items = schema::table2_items(r.format);
        let mut k = 0;
        for (ii, item) in items.iter().enumerate() {
            for mi in 0..item.measures.len() {
                let v = r.table2[k];
                k += 1;
                let slot = cy.proactive.entry((r.format, ii, mi)).or_insert((Decimal(0), 0));
                slot.0 = dop(slot.0, v).ok_or_else(|| Overflow(item.key.to_string()))?;
                slot.1 = op(slot.1, 1, "units")?;
                if slot.1 == 0 {
                    cy.proactive.remove(&(r.format, ii, mi));
                }
            }
        }
        for p in 0..3 {
            for c in 0..5 {
                cy.review[p][c] = op(cy.review[p][c], r.table4[p][c], schema::TABLE4_PROCEEDINGS[p].key)?;
            }
        }
        Ok(())
    }

    /// Merge another partial total into this one (the reduce step).
    pub fn merge(mut self, other: Totals) -> Result<Totals, Overflow> {
        for (key, o) in other.by_county_year {
            let Some(cy) = self.by_county_year.get_mut(&key) else {
                self.by_county_year.insert(key, o);
                continue;
            };
            if cy.requests.is_empty() {
                cy.requests = vec![None; NROWS3];
            }
            cy.units = add_u(cy.units, o.units, "units")?;
            for (i, row) in o.requests.iter().enumerate() {
                let Some((v, n)) = row else { continue };
                let slot = cy.requests[i].get_or_insert(([0; NCOLS], 0));
                for c in 0..NCOLS {
                    slot.0[c] = add_u(slot.0[c], v[c], schema::TABLE3_ROWS[i].key)?;
                }
                slot.1 = add_u(slot.1, *n, "units")?;
            }
            for (k, (v, n)) in o.proactive {
                let slot = cy.proactive.entry(k).or_insert((Decimal(0), 0));
                slot.0 = slot.0.checked_add(v).ok_or_else(|| Overflow("table 2".into()))?;
                slot.1 = add_u(slot.1, n, "units")?;
            }
            for p in 0..3 {
                for c in 0..5 {
                    cy.review[p][c] = add_u(cy.review[p][c], o.review[p][c], "table 4")?;
                }
            }
        }
        Ok(self)
    }
}
