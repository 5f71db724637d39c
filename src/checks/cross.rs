//! Checks a reviewer makes across files, beyond arithmetic (warnings): two
//! units of one county and year whose table 3 is identical and not all zero
//! (雷同, a copied report); a unit's table 3 unchanged from last year and not
//! all zero; a unit reporting every table all zero when last year it did
//! not. Each names the other file. Duplicates are found in [`crate::seen`].

use super::{Finding, Severity, What};

/// A table 3 identical to another unit's of the same county and year (and
/// to `more` units' besides).
pub fn same_as(unit: String, file: String, more: usize) -> Finding {
    Finding { check: "identical_tables", severity: Severity::Warning, what: What::SameAs { unit, file, more } }
}

/// Compare a unit's report of one year with the year before: each side as
/// (fingerprint of table 3, table 3 all zero, every table all zero).
pub fn year_after_year(
    prev_year: u16,
    prev_file: &str,
    prev: (u64, bool, bool),
    cur: (u64, bool, bool),
) -> Vec<Finding> {
    let mut out = Vec::new();
    if cur.0 == prev.0 && !cur.1 {
        out.push(Finding {
            check: "unchanged",
            severity: Severity::Warning,
            what: What::UnchangedFromLastYear { prev_year, file: prev_file.to_string() },
        });
    }
    if cur.2 && !prev.2 {
        out.push(Finding {
            check: "all_zero",
            severity: Severity::Warning,
            what: What::AllZeroNow { prev_year, file: prev_file.to_string() },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_like_the_last_and_a_year_of_zeros_are_noted() {
        let ids = |v: Vec<Finding>| v.into_iter().map(|f| f.check).collect::<Vec<_>>();
        assert_eq!(ids(year_after_year(2023, "a", (7, false, false), (7, false, false))), ["unchanged"]);
        assert_eq!(ids(year_after_year(2023, "a", (7, false, false), (8, true, true))), ["all_zero"]);
        // All zero both years: nothing to say; unchanged zeros are not copying.
        assert!(year_after_year(2023, "a", (7, true, true), (7, true, true)).is_empty());
    }
}
