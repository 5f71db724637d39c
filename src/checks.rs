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
                            format!(
                                "{}, {}: 小计 {} but its rows add up to {parts}",
                                group.subtotal_label(),
                                col.key,
                                values[c]
                            ),
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

impl ChainInfo {
    /// Append a compact encoding (LEB128 varints; counts are small, so most
    /// take one byte): a run over a million reports keeps this for each one,
    /// about 20 bytes instead of the 170 of the struct.
    pub fn encode(&self, out: &mut Vec<u8>) {
        for v in self.carried_over.iter().chain(&self.carried_forward) {
            put_varint(out, *v);
        }
        match &self.in_force {
            None => out.push(0),
            Some(items) => {
                out.push(1);
                for d in items.iter().flatten() {
                    // zigzag: a Decimal may be negative
                    put_varint(out, ((d.0 << 1) ^ (d.0 >> 63)) as u64);
                }
            }
        }
    }

    /// Read back what [`ChainInfo::encode`] wrote at the start of `b`.
    pub fn decode(mut b: &[u8]) -> ChainInfo {
        let mut next = || {
            let mut v = 0u64;
            for (shift, &byte) in (0..).step_by(7).zip(b.iter()) {
                v |= u64::from(byte & 0x7F) << shift;
                if byte & 0x80 == 0 {
                    b = &b[(shift / 7 + 1) as usize..];
                    return v;
                }
            }
            b = &[];
            v
        };
        let mut info = ChainInfo { carried_over: [0; NCOLS], carried_forward: [0; NCOLS], in_force: None };
        for v in info.carried_over.iter_mut().chain(info.carried_forward.iter_mut()) {
            *v = next();
        }
        if next() == 1 {
            let mut items = [[Decimal(0); 3]; 2];
            for d in items.iter_mut().flatten() {
                let z = next();
                *d = Decimal(((z >> 1) as i64) ^ -((z & 1) as i64));
            }
            info.in_force = Some(items);
        }
        info
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_info_round_trips_through_its_compact_encoding() {
        let infos = [
            ChainInfo { carried_over: [0; NCOLS], carried_forward: [0; NCOLS], in_force: None },
            ChainInfo {
                carried_over: [1, 127, 128, 300, 16_383, 16_384, crate::text::MAX_COUNT],
                carried_forward: [u64::MAX, 0, 5, 0, 0, 0, 9],
                in_force: Some([
                    [Decimal(0), Decimal(-1), Decimal(i64::MIN)],
                    [Decimal(i64::MAX), Decimal(35_000), Decimal(-120_000)],
                ]),
            },
        ];
        let mut buf = Vec::new();
        let mut starts = Vec::new();
        for i in &infos {
            starts.push(buf.len());
            i.encode(&mut buf);
        }
        for (i, s) in infos.iter().zip(starts) {
            assert_eq!(&ChainInfo::decode(&buf[s..]), i);
        }
        // Small counts take a byte each: 14 counts and the in_force flag.
        assert_eq!(starts_len(&infos[0]), 15);
    }

    fn starts_len(i: &ChainInfo) -> usize {
        let mut b = Vec::new();
        i.encode(&mut b);
        b.len()
    }
}
