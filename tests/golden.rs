//! Golden fixtures: every `*.expected.json` under tests/fixtures names a
//! document beside it (same stem) and the exact numbers it states. Each table
//! is compared cell by cell, and the set of table-3 rows must match exactly
//! (a 2019-style single (六) row must not come back as three rows, or the
//! reverse). A fixture with `rejected_because` must be rejected with a reason
//! that contains that text, while its tables 3 and 4 still read exactly.

use county_rollup::discover::{Action, classify};
use county_rollup::schema::{self, TABLE3_ROWS};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            fixtures(&p, out);
        } else if p.to_string_lossy().ends_with(".expected.json") {
            out.push(p);
        }
    }
}

fn document_for(expected: &Path) -> PathBuf {
    let name = expected.file_name().unwrap().to_string_lossy().replace(".expected.json", "");
    let dir = expected.parent().unwrap();
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let f = p.file_name().unwrap().to_string_lossy().into_owned();
            f.starts_with(&format!("{name}.")) && !f.ends_with(".expected.json")
        })
        .collect();
    assert_eq!(found.len(), 1, "exactly one document for {}", expected.display());
    found.pop().unwrap()
}

fn u64s(v: &Value) -> Vec<u64> {
    v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect()
}

fn check_one(expected_path: &Path) -> Result<(), String> {
    let exp: Value = serde_json::from_str(&std::fs::read_to_string(expected_path).unwrap()).unwrap();
    let doc = document_for(expected_path);
    let bytes = std::fs::read(&doc).unwrap();
    let Action::Read(kind) = classify(&doc.file_name().unwrap().to_string_lossy()) else {
        return Err(format!("{} is not a readable kind", doc.display()));
    };
    let parts = county_rollup::read_parts(&bytes, kind).map_err(|e| format!("{}: {e}", doc.display()))?;
    let ctx = doc.display().to_string();

    let (t3, _subtotals) = parts.table3.clone().map_err(|e| format!("{ctx}: table 3: {e}"))?;
    let exp3 = exp["table3"].as_object().unwrap();
    for (i, def) in TABLE3_ROWS.iter().enumerate() {
        let got = t3.rows[i].map(|a| a.to_vec());
        let want = exp3.get(def.key).map(u64s);
        if got != want {
            return Err(format!("{ctx}: table 3 row {}: got {got:?}, want {want:?}", def.key));
        }
    }
    let t4 = parts.table4.clone().map_err(|e| format!("{ctx}: table 4: {e}"))?;
    for (p, proc_) in schema::TABLE4_PROCEEDINGS.iter().enumerate() {
        let want = u64s(&exp["table4"][proc_.key]);
        if t4[p].to_vec() != want {
            return Err(format!("{ctx}: table 4 {}: got {:?}, want {want:?}", proc_.key, t4[p]));
        }
    }
    if let Some(why) = exp.get("rejected_because").and_then(Value::as_str) {
        return match parts.into_report() {
            Ok(_) => Err(format!("{ctx}: expected a rejection ({why})")),
            Err(e) if e.to_string().contains(why) => Ok(()),
            Err(e) => Err(format!("{ctx}: rejected for \"{e}\", expected \"{why}\"")),
        };
    }
    let report = parts.into_report().map_err(|e| format!("{ctx}: rejected: {e}"))?;
    if let Some(y) = exp.get("year").and_then(Value::as_u64) {
        if u64::from(report.year) != y {
            return Err(format!("{ctx}: year {} want {y}", report.year));
        }
    }
    if let Some(f) = exp.get("format").and_then(Value::as_str) {
        if report.format.as_str() != f {
            return Err(format!("{ctx}: format {} want {f}", report.format.as_str()));
        }
    }
    if let Some(u) = exp.get("unit").and_then(Value::as_str) {
        // The shared fixtures give the full organ name; the tool's unit is the
        // organ without its county, or the full name for the county government.
        let full = format!("{}{}", report.county.clone().unwrap_or_default(), report.unit);
        if report.unit != u && full != u && !u.ends_with(&report.unit) {
            return Err(format!("{ctx}: unit {} want {u}", report.unit));
        }
    }
    if let Some(c) = exp.get("county").and_then(Value::as_str) {
        if report.county.as_deref() != Some(c) {
            return Err(format!("{ctx}: county {:?} want {c}", report.county));
        }
    }
    if let Some(n) = exp.get("narrative_requests") {
        if report.narrative_requests != n.as_u64() {
            return Err(format!("{ctx}: narrative {:?} want {n}", report.narrative_requests));
        }
    }
    if let Some(t2) = exp.get("table2").and_then(Value::as_object) {
        let items = schema::table2_items(report.format);
        let mut k = 0;
        for item in items {
            let want: Vec<String> = t2
                .get(item.key)
                .ok_or_else(|| format!("{ctx}: expected file lacks table 2 item {}", item.key))?
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                .collect();
            let got: Vec<String> = report.table2[k..k + item.measures.len()].iter().map(|d| d.to_string()).collect();
            k += item.measures.len();
            if got != want {
                return Err(format!("{ctx}: table 2 {}: got {got:?}, want {want:?}", item.key));
            }
        }
    }
    Ok(())
}

#[test]
fn every_fixture_reads_to_its_expected_numbers() {
    let mut all = Vec::new();
    fixtures(Path::new("tests/fixtures"), &mut all);
    all.sort();
    assert!(all.len() >= 3, "fixtures missing: found {}", all.len());
    let failures: Vec<String> = all.iter().filter_map(|p| check_one(p).err()).collect();
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n{}", failures.len(), all.len(), failures.join("\n"));
}
