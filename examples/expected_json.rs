//! Print a golden fixture's `.expected.json` for a document, as the reader
//! reads it now (`county_rollup::read_bytes`): for pages made by converters
//! (tests/fixtures/html/make_converted.sh), whose numbers come from the
//! Word file they were made of and are checked there.
//!
//!     cargo run --example expected_json -- FILE "what the file is"

use county_rollup::discover::{Action, classify};
use county_rollup::schema::{TABLE3_ROWS, TABLE4_PROCEEDINGS, table2_items};
use serde_json::{Map, Value, json};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: expected_json FILE SOURCE");
    let source = args.next().unwrap_or_default();
    let bytes = std::fs::read(&path).expect("readable file");
    let Action::Read(kind) = classify(&path) else { panic!("not a report file type") };
    let parsed = match county_rollup::read_bytes(&bytes, kind, None) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{path}: rejected: {e}");
            std::process::exit(1);
        }
    };
    let r = &parsed.report;
    let mut t2 = Map::new();
    let mut k = 0;
    for item in table2_items(r.format) {
        let values: Vec<Value> = r.table2[k..k + item.measures.len()]
            .iter()
            .map(|d| {
                let s = d.to_string();
                s.parse::<i64>().map_or(Value::String(s), Value::from)
            })
            .collect();
        k += item.measures.len();
        t2.insert(item.key.into(), values.into());
    }
    let mut t3 = Map::new();
    for (def, row) in TABLE3_ROWS.iter().zip(&r.table3.rows) {
        if let Some(v) = row {
            t3.insert(def.key.into(), json!(v));
        }
    }
    let mut t4 = Map::new();
    for (p, v) in TABLE4_PROCEEDINGS.iter().zip(&r.table4) {
        t4.insert(p.key.into(), json!(v));
    }
    let mut out = Map::new();
    out.insert("source".into(), source.into());
    out.insert("unit".into(), r.unit.clone().into());
    if let Some(c) = &r.county {
        out.insert("county".into(), c.clone().into());
    }
    out.insert("year".into(), r.year.into());
    out.insert("format".into(), r.format.as_str().into());
    out.insert("table2".into(), t2.into());
    out.insert("table3".into(), t3.into());
    out.insert("table4".into(), t4.into());
    if let Some(n) = r.narrative_requests {
        out.insert("narrative_requests".into(), n.into());
    }
    println!("{}", serde_json::to_string_pretty(&Value::Object(out)).unwrap());
}
