//! The arithmetic every report must satisfy (FORMAT.md section 2).
//!
//! Checks never change a number: the rollup sums what each report states, and
//! every broken rule is listed with both sides of the equation, so the county
//! office can send the report back with the exact figures to correct.
//! [`check_report`] covers one report; [`CrossFile`] collects what is needed to
//! compare a unit's reports across years and to find duplicates.

use crate::report::{Report, Subtotal};
use crate::schema::{NCOLS, TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_PROCEEDINGS, TOTAL_COL};
use crate::text::Decimal;

/// How serious a broken rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The report contradicts itself; `--strict` fails the run.
    Error,
    /// Worth a look, e.g. the prose and the table disagree.
    Warning,
}

impl Severity {
    /// The word written to checks.csv.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The check's id (`row_total`, `balance`, …).
    pub check: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// Where and by how much, with both numbers.
    pub detail: String,
}

fn err(check: &'static str, detail: String) -> Finding {
    Finding { check, severity: Severity::Error, detail }
}

/// Every per-report check, in a fixed order (table 3 rows, columns, then
/// table 4, then the prose), so checks.csv is deterministic.
pub fn check_report(r: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    let rows = &r.table3.rows;
    // Sums below cannot overflow: every count is at most text::MAX_COUNT (< 2^40)
    // and no sum has more than 26 terms.
    for (i, row) in rows.iter().enumerate() {
        let Some(v) = row else { continue };
        let sum: u64 = v[..TOTAL_COL].iter().sum();
        if sum != v[TOTAL_COL] {
            out.push(err(
                "row_total",
                format!(
                    "{} ({}): 总计 {} but the six applicant columns add up to {}",
                    TABLE3_ROWS[i].key, TABLE3_ROWS[i].label, v[TOTAL_COL], sum
                ),
            ));
        }
    }
    let get = |key: &str, c: usize| r.table3.cell(key, c);
    for (c, col) in TABLE3_COLUMNS.iter().enumerate() {
        let (n, o) = (get("new_requests", c), get("carried_over", c));
        let (p, f) = (get("total_processed", c), get("carried_forward", c));
        if n + o != p + f {
            out.push(err(
                "balance",
                format!(
                    "{}: new_requests {n} + carried_over {o} = {} but total_processed {p} + carried_forward {f} = {}",
                    col.key,
                    n + o,
                    p + f
                ),
            ));
        }
    }
    for (c, col) in TABLE3_COLUMNS.iter().enumerate() {
        let outcomes = r.table3.outcomes(c);
        let p = get("total_processed", c);
        if outcomes != p {
            out.push(err(
                "outcomes_total",
                format!("{}: total_processed {p} but the outcome rows (一)…(六) add up to {outcomes}", col.key),
            ));
        }
    }
    for sub in &r.subtotals {
        match sub {
            Subtotal::Row { group, values } => {
                for (c, col) in TABLE3_COLUMNS.iter().enumerate() {
                    let parts: u64 = TABLE3_ROWS
                        .iter()
                        .zip(rows)
                        .filter(|(def, _)| def.group == *group)
                        .filter_map(|(_, v)| v.map(|v| v[c]))
                        .sum();
                    if parts != values[c] {
                        out.push(err(
                            "subtotal",
                            format!("{}, {}: 小计 {} but its rows add up to {parts}", group.subtotal_label(), col.key, values[c]),
                        ));
                    }
                }
            }
            Subtotal::Column { row, value } => {
                let v = rows[*row].unwrap_or([0; NCOLS]);
                let parts: u64 = v[1..TOTAL_COL].iter().sum();
                if parts != *value {
                    out.push(err(
                        "subtotal",
                        format!(
                            "{}: 法人或其他组织 小计 {value} but its five columns add up to {parts}",
                            TABLE3_ROWS[*row].key
                        ),
                    ));
                }
            }
        }
    }
    for (p, vals) in TABLE4_PROCEEDINGS.iter().zip(&r.table4) {
        let sum: u64 = vals[..4].iter().sum();
        if sum != vals[4] {
            out.push(err(
                "review_total",
                format!(
                    "{} ({}): {} {} but {} + {} + {} + {} = {sum}",
                    p.key, p.label, TABLE4_COLUMNS[4].key, vals[4], vals[0], vals[1], vals[2], vals[3]
                ),
            ));
        }
    }
    if let (Some(said), Some(new)) = (r.narrative_requests, r.table3.get("new_requests")) {
        if said != new[TOTAL_COL] {
            out.push(Finding {
                check: "narrative",
                severity: Severity::Warning,
                detail: format!(
                    "the text says {said} requests were received, table 3 new_requests 总计 is {}",
                    new[TOTAL_COL]
                ),
            });
        }
    }
    out
}

/// What the cross-year checks need of one report: small, so that a run over
/// many reports keeps only this, not the reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainInfo {
    /// carried_over, per column.
    pub carried_over: [u64; NCOLS],
    /// carried_forward, per column.
    pub carried_forward: [u64; NCOLS],
    /// Table 2 (2021 form) issued, repealed, in_force of 规章 and 行政规范性文件.
    pub in_force: Option<[[Decimal; 3]; 2]>,
}

impl ChainInfo {
    /// Take what the chain checks need from a report.
    pub fn of(r: &Report) -> ChainInfo {
        let row = |k: &str| r.table3.get(k).copied().unwrap_or([0; NCOLS]);
        let in_force = (r.format == crate::schema::Format::F2021 && r.table2.len() >= 6)
            .then(|| [[r.table2[0], r.table2[1], r.table2[2]], [r.table2[3], r.table2[4], r.table2[5]]]);
        ChainInfo { carried_over: row("carried_over"), carried_forward: row("carried_forward"), in_force }
    }
}

/// Compare a unit's year N with its year N-1: carried_over(N) must equal
/// carried_forward(N-1); in_force(N) must equal in_force(N-1) + issued(N) −
/// repealed(N). Both are warnings (a unit may have corrected last year's figures).
pub fn check_chain(prev: &ChainInfo, cur: &ChainInfo, prev_year: u16) -> Vec<Finding> {
    let mut out = Vec::new();
    for (c, col) in TABLE3_COLUMNS.iter().enumerate() {
        if cur.carried_over[c] != prev.carried_forward[c] {
            out.push(Finding {
                check: "carry_chain",
                severity: Severity::Warning,
                detail: format!(
                    "{}: carried_over {} but the {prev_year} report carried_forward {}",
                    col.key, cur.carried_over[c], prev.carried_forward[c]
                ),
            });
        }
    }
    if let (Some(p), Some(c)) = (&prev.in_force, &cur.in_force) {
        for (k, item) in ["regulations", "normative_documents"].iter().enumerate() {
            let [issued, repealed, in_force] = c[k];
            let expected = p[k][2].checked_add(issued).and_then(|v| v.checked_sub(repealed));
            if expected != Some(in_force) {
                out.push(Finding {
                    check: "in_force_chain",
                    severity: Severity::Warning,
                    detail: format!(
                        "{item}: in_force {in_force} but {prev_year} in_force {} + issued {issued} − repealed {repealed} = {}",
                        p[k][2],
                        expected.map_or("overflow".to_string(), |v| v.to_string())
                    ),
                });
            }
        }
    }
    out
}
