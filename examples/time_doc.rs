//! Time the .doc reader: milliseconds per file for reading each file's lines
//! (the layout alone) and for the whole per-file path (lines, tables, checks),
//! each the best of several rounds. Build it with --release to mean anything.
//!
//!     cargo run --release --example time_doc -- tests/fixtures/doc/*.doc
use county_rollup::discover::{Action, classify};
use std::time::Instant;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    assert!(!files.is_empty(), "usage: time_doc FILE...");
    let (mut lines_total, mut whole_total) = (0.0, 0.0);
    for path in &files {
        let bytes = std::fs::read(path).expect("readable file");
        let Action::Read(kind) = classify(path) else { panic!("{path}: not a report file type") };
        let best = |f: &dyn Fn()| {
            let mut best = f64::MAX;
            for _ in 0..5 {
                let t = Instant::now();
                for _ in 0..20 {
                    f();
                }
                best = best.min(t.elapsed().as_secs_f64() * 1000.0 / 20.0);
            }
            best
        };
        let lines = best(&|| {
            county_rollup::read_lines(std::hint::black_box(&bytes), kind).expect("readable");
        });
        let whole = best(&|| {
            let _ = county_rollup::read_bytes(std::hint::black_box(&bytes), kind, None, Some("民权县"));
        });
        lines_total += lines;
        whole_total += whole;
        println!("{:>8.3} ms lines {:>8.3} ms whole  {:>7} bytes  {path}", lines, whole, bytes.len());
    }
    let n = files.len() as f64;
    println!("{:>8.3} ms lines {:>8.3} ms whole  mean of {} files", lines_total / n, whole_total / n, files.len());
}
