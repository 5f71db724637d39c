//! The checks across a unit's consecutive years (carry_chain, in_force_chain),
//! and the little a run keeps of each report to make them.

use super::{Finding, Severity, What};
use crate::report::Report;
use crate::schema::{Col, Format, NCOLS, Row};
use crate::text::Decimal;

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
        let row = |k: Row| r.table3.get(k).copied().unwrap_or([0; NCOLS]);
        let in_force = match (&r.table2, r.format) {
            (Some(t), Format::F2021) if t.len() >= 6 => Some([[t[0], t[1], t[2]], [t[3], t[4], t[5]]]),
            _ => None,
        };
        ChainInfo { carried_over: row(Row::CarriedOver), carried_forward: row(Row::CarriedForward), in_force }
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
    for col in Col::ALL {
        let (carried_over, prev_forward) = (cur.carried_over[col.index()], prev.carried_forward[col.index()]);
        if carried_over != prev_forward {
            out.push(Finding {
                check: "carry_chain",
                severity: Severity::Warning,
                what: What::CarryChain { col, carried_over, prev_year, prev_forward },
            });
        }
    }
    if let (Some(p), Some(c)) = (&prev.in_force, &cur.in_force) {
        for item in 0..2 {
            let [issued, repealed, in_force] = c[item];
            let expected = p[item][2].checked_add(issued).and_then(|v| v.checked_sub(repealed));
            if expected != Some(in_force) {
                out.push(Finding {
                    check: "in_force_chain",
                    severity: Severity::Warning,
                    what: What::InForceChain { item, in_force, prev_year, prev_in_force: p[item][2], issued, repealed },
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
