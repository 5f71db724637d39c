//! Print the `.expected.json` of a golden fixture (tests/golden.rs) as the
//! tool reads the file: for writing the expected numbers of a document made
//! from another whose numbers are known (a .doc converted from a .docx: read
//! the .docx, compare the .doc). `SOURCE` is the text of the "source" field.
//!
//!     cargo run --example fixture_json -- FILE "SOURCE"
use county_rollup::discover::{Action, classify};
use county_rollup::schema::{self, TABLE3_ROWS};
use serde_json::{Map, Value, json};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: fixture_json FILE [SOURCE]");
    let source = args.next().unwrap_or_default();
    let bytes = std::fs::read(&path).expect("readable file");
    let Action::Read(kind) = classify(&path) else { panic!("not a report file type") };
    let report = county_rollup::read_parts(&bytes, kind)
        .and_then(|p| p.into_report())
        .unwrap_or_else(|e| panic!("{path}: rejected: {e}"));
    let mut t2 = Map::new();
    let mut k = 0;
    for item in schema::table2_items(report.format) {
        let values: Vec<Value> = report.table2.as_deref().unwrap_or(&[])[k..k + item.measures.len()]
            .iter()
            .map(|d| {
                let s = d.to_string();
                s.parse::<u64>().map_or(Value::String(s), |n| json!(n))
            })
            .collect();
        k += item.measures.len();
        t2.insert(item.key.to_string(), Value::Array(values));
    }
    let mut t3 = Map::new();
    for (def, row) in TABLE3_ROWS.iter().zip(report.table3.rows.iter()) {
        if let Some(v) = row {
            t3.insert(def.key.to_string(), json!(v.to_vec()));
        }
    }
    let mut t4 = Map::new();
    for (p, values) in schema::TABLE4_PROCEEDINGS.iter().zip(report.table4.unwrap_or_default().iter()) {
        t4.insert(p.key.to_string(), json!(values.to_vec()));
    }
    let mut out = Map::new();
    out.insert("source".into(), json!(source));
    out.insert("unit".into(), json!(report.unit));
    if let Some(c) = &report.county {
        out.insert("county".into(), json!(c));
    }
    out.insert("year".into(), json!(report.year));
    out.insert("format".into(), json!(report.format.as_str()));
    out.insert("table2".into(), Value::Object(t2));
    out.insert("table3".into(), Value::Object(t3));
    out.insert("table4".into(), Value::Object(t4));
    if let Some(n) = report.narrative_requests {
        out.insert("narrative_requests".into(), json!(n));
    }
    println!("{}", serde_json::to_string_pretty(&Value::Object(out)).expect("JSON"));
}
