//! Mutation tests of the rejection rules: generated reports, damaged the ways
//! real files get damaged. Each damaged report must be rejected with a reason,
//! or read to exactly the numbers of the undamaged report. A wrong number is
//! the one failure that counts, and the test fails on the first.

use county_rollup::discover::DocKind;
use county_rollup::report::Report;
use county_rollup::schema::Format;
use county_rollup_gen::{Layout, Rng, random_report, render};

/// A way of damaging a document.
#[derive(Debug, Clone, Copy)]
enum Damage {
    /// One number of a table-3 line removed (with the separator before it).
    DropValue,
    /// A table-3 line with numbers written twice.
    DuplicateLine,
    /// A table-3 line with numbers removed.
    DeleteLine,
    /// Two neighbouring numbers run together (`1 0` → `10`).
    JoinNumbers,
    /// A number replaced by text.
    TextForNumber,
    /// The document cut off inside table 3.
    CutTable,
    /// The file truncated at an arbitrary byte.
    Truncate,
    /// Bytes of another encoding (GBK) spliced into the UTF-8 text.
    SpliceGbk,
}

const ALL: [Damage; 8] = [
    Damage::DropValue,
    Damage::DuplicateLine,
    Damage::DeleteLine,
    Damage::JoinNumbers,
    Damage::TextForNumber,
    Damage::CutTable,
    Damage::Truncate,
    Damage::SpliceGbk,
];

/// Byte ranges of the numbers (ASCII or full-width digits) in a line.
fn numbers(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        let digit = c.is_ascii_digit() || ('０'..='９').contains(&c);
        match (digit, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, line.len()));
    }
    // Only free-standing numbers: not the 1 of "1. 属于…" or the 2024 of "2024年".
    out.into_iter()
        .filter(|&(s, e)| {
            let before = line[..s].chars().last();
            let after = line[e..].chars().next();
            let sep = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c == '|');
            sep(before) && sep(after)
        })
        .collect()
}

/// The lines of table 3 (between its heading and table 4's) that hold numbers.
fn table3_lines(lines: &[String]) -> Vec<usize> {
    let start = lines.iter().position(|l| l.contains("收到和处理政府信息公开申请情况")).unwrap_or(0);
    let end = lines.iter().position(|l| l.contains("行政复议、行政诉讼情况")).unwrap_or(lines.len());
    (start..end).filter(|&i| !numbers(&lines[i]).is_empty()).collect()
}

fn damage(text: &str, d: Damage, rng: &mut Rng) -> Vec<u8> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let rows = table3_lines(&lines);
    let pick_row = |rng: &mut Rng| rows[rng.below(rows.len() as u64) as usize];
    match d {
        Damage::DropValue | Damage::TextForNumber | Damage::JoinNumbers => {
            let i = pick_row(rng);
            let nums = numbers(&lines[i]);
            let k = rng.below(nums.len() as u64) as usize;
            let (s, e) = nums[k];
            let l = &lines[i];
            lines[i] = match d {
                Damage::DropValue => {
                    let sep_start = l[..s].trim_end_matches([' ', '\t', '|']).len();
                    let sep_start = if sep_start == 0 { s } else { sep_start };
                    format!("{}{}", &l[..sep_start], &l[e..])
                }
                Damage::TextForNumber => format!("{}某{}", &l[..s], &l[e..]),
                _ => match nums.get(k + 1) {
                    Some(&(s2, _)) => format!("{}{}", &l[..e], &l[s2..]),
                    None if i + 1 < lines.len() => {
                        // One cell per line: run this number into the next line's.
                        let next = lines.iter().skip(i + 1).position(|x| !x.trim().is_empty()).map(|p| p + i + 1);
                        match next {
                            Some(n) if !numbers(&lines[n]).is_empty() => {
                                let joined = format!("{}{}", l.trim_end(), lines[n].trim_start());
                                lines[n] = String::new();
                                joined
                            }
                            _ => l.clone(),
                        }
                    }
                    None => l.clone(),
                },
            };
        }
        Damage::DuplicateLine => {
            let i = pick_row(rng);
            let copy = lines[i].clone();
            lines.insert(i, copy);
        }
        Damage::DeleteLine => {
            let i = pick_row(rng);
            lines.remove(i);
        }
        Damage::CutTable => {
            let i = pick_row(rng);
            lines.truncate(i);
        }
        Damage::Truncate => {
            let bytes = text.as_bytes();
            return bytes[..rng.below(bytes.len() as u64) as usize].to_vec();
        }
        Damage::SpliceGbk => {
            let (gbk, _, _) = encoding_rs::GB18030.encode("某某镇");
            let bytes = text.as_bytes();
            let at = rng.below(bytes.len() as u64) as usize;
            return [&bytes[..at], &gbk[..], &bytes[at..]].concat();
        }
    }
    lines.join("\n").into_bytes()
}

/// The report read holds the truth's numbers: table 3 exactly, and tables 2
/// and 4 exactly unless they were left out (with a reason: the report is
/// then partial, and a left-out table is not summed).
fn same_numbers(a: &Report, b: &Report) -> bool {
    let or_left_out = |x: bool, left: bool| x || left;
    a.table3 == b.table3
        && or_left_out(a.table2 == b.table2, a.table2.is_none() && a.left_out.iter().any(|r| r.table == Some(2)))
        && or_left_out(a.table4 == b.table4, a.table4.is_none() && a.left_out.iter().any(|r| r.table == Some(4)))
        && a.year == b.year
}

#[test]
fn damaged_reports_are_rejected_or_read_exactly() {
    let mut outcomes = std::collections::BTreeMap::<String, (u32, u32)>::new();
    let mut wrong = Vec::new();
    for seed in 0..60u64 {
        let mut rng = Rng::new(seed);
        let (format, year) = if seed % 4 == 0 { (Format::F2019, 2020) } else { (Format::F2021, 2024) };
        let truth = random_report(&mut rng, format, year, "民权县", "城关镇");
        for layout in Layout::ALL {
            let text = render(&truth, layout, &mut rng);
            let clean = county_rollup::read_bytes(text.as_bytes(), DocKind::Text, None, Some("民权县"))
                .unwrap_or_else(|e| panic!("seed {seed} {layout:?}: undamaged report rejected: {e}"));
            assert!(same_numbers(&clean.report, &truth), "seed {seed} {layout:?}: undamaged report misread");
            for d in ALL {
                let bytes = damage(&text, d, &mut rng);
                let key = format!("{d:?}");
                let entry = outcomes.entry(key).or_default();
                match county_rollup::read_bytes(&bytes, DocKind::Text, None, Some("民权县")) {
                    Err(_) => entry.0 += 1,
                    Ok(p) if same_numbers(&p.report, &truth) => entry.1 += 1,
                    Ok(p) => wrong.push(format!(
                        "seed {seed}, {layout:?}, {d:?}: read wrong numbers\n--- damaged document ---\n{}\n--- read ---\n{:?}",
                        String::from_utf8_lossy(&bytes),
                        p.report.table3
                    )),
                }
            }
        }
    }
    eprintln!("(rejected, read exactly) per damage: {outcomes:?}");
    assert!(wrong.is_empty(), "{} damaged reports read with wrong numbers; first:\n{}", wrong.len(), wrong[0]);
    // Every kind of damage was seen rejected at least once (the test is not
    // vacuous): (rejected, read exactly) per kind.
    for (d, (rejected, _)) in &outcomes {
        assert!(*rejected > 0, "{d} never rejected: {outcomes:?}");
    }
}
