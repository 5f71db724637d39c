//! The summary CSVs: requests.csv, proactive.csv and review_litigation.csv,
//! one row per county, year and row of the form (FORMAT.md section 4).

use crate::aggregate::{Totals, decimal_text};
use crate::output::csv::{CsvFile, headers};
use crate::output::{OutputSet, text_field};
use crate::schema::{self, Row};
use anyhow::Result;

/// Write the three summaries into the run's output set.
pub fn write(set: &OutputSet, totals: &Totals, bom: bool) -> Result<()> {
    let mut requests = CsvFile::create(set.path("requests.csv"), &headers::requests(), bom)?;
    let mut proactive = CsvFile::create(set.path("proactive.csv"), headers::PROACTIVE, bom)?;
    let mut review = CsvFile::create(set.path("review_litigation.csv"), &headers::review(), bom)?;
    for ((county, year), cy) in &totals.by_county_year {
        let (county, year) = (text_field(county), year.to_string());
        for row in Row::ALL {
            let Some(v) = cy.row(row) else { continue };
            let mut rec: Vec<String> =
                vec![county.to_string(), year.clone(), cy.units3.to_string(), row.key().into(), row.label().into()];
            rec.extend(v.iter().map(u128::to_string));
            requests.row(&rec)?;
        }
        if cy.units2 > 0 {
            for ((format, ii, mi), v) in &cy.proactive {
                let item = &schema::table2_items(*format)[*ii];
                let m = &item.measures[*mi];
                let label = format!("{} / {}", item.label, m.label);
                let units = cy.units2.to_string();
                proactive.row([county.as_ref(), &year, &units, item.key, m.key, &label, &decimal_text(*v)])?;
            }
        }
        if cy.units4 > 0 {
            for (p, vals) in schema::TABLE4_PROCEEDINGS.iter().zip(&cy.review) {
                let mut rec: Vec<String> = vec![county.to_string(), year.clone(), cy.units4.to_string(), p.key.into()];
                rec.extend(vals.iter().map(u128::to_string));
                review.row(&rec)?;
            }
        }
    }
    requests.finish()?;
    proactive.finish()?;
    review.finish()
}
