//! Micro-benchmark: parse one report per layout (`cargo bench --bench parse`).
//!
//! Two groups, so a slow stage shows where it is:
//!
//! - `lines/…`: bytes → lines of cells only (decode + layout reader,
//!   [`county_rollup::read_lines`]);
//! - `report/…`: the whole per-file path a worker runs
//!   ([`county_rollup::read_bytes`]: lines, tables, checks).
//!
//! Generated reports (the project's generator, a fixed seed, so the same
//! bytes on every run): one per layout in the 2021 form (`text-…` for the
//! text layouts, `gen-html`, `gen-docx`), plus the tab layout in the 2019 form
//! and a text one saved as GB18030. Then the web pages and Word files of the
//! test fixtures under `tests/fixtures/` (`html-…`, `docx-…`; read at run
//! time; a missing one is skipped with a note rather than failing the build).
//!
//! Throughput is in bytes of the input file, so the MB/s figures compare
//! with the corpus benchmark of `bench/run.sh`.
//!
//! Under `cargo test --all-targets` criterion runs each benchmark once (test
//! mode), which also checks that every input still parses.

use county_rollup::discover::DocKind;
use county_rollup::schema::Format;
use county_rollup_gen::{Layout, Rng, random_report, render_bytes};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// One input: a name, its bytes, how the tool would read it.
struct Input {
    name: String,
    bytes: Vec<u8>,
    kind: DocKind,
}

const COUNTY: &str = "民权县";

/// A generated report of `year` rendered in `layout` (seeded by the layout's
/// name, so each layout gets its own, stable, report): the file's bytes.
fn generated(layout: Layout, year: u16, unit: &str) -> Vec<u8> {
    let mut rng = Rng::new(2024).derive(layout.name()).derive(&year.to_string());
    let report = random_report(&mut rng, Format::for_year(year), year, COUNTY, unit);
    render_bytes(&report, layout, &mut rng)
}

/// How county-rollup reads a file of `layout`.
fn kind(layout: Layout) -> DocKind {
    match layout {
        Layout::Html => DocKind::Html,
        Layout::Docx => DocKind::Docx,
        _ => DocKind::Text,
    }
}

fn inputs() -> Vec<Input> {
    let mut v = Vec::new();
    for layout in Layout::ALL.into_iter().chain([Layout::Html, Layout::Docx]) {
        let prefix = match kind(layout) {
            DocKind::Text => "text-",
            _ => "gen-",
        };
        v.push(Input {
            name: format!("{prefix}{}-2024", layout.name()),
            bytes: generated(layout, 2024, "城关镇"),
            kind: kind(layout),
        });
    }
    v.push(Input {
        name: "text-tab-2020-form2019".into(),
        bytes: generated(Layout::Tab, 2020, "城关镇"),
        kind: DocKind::Text,
    });
    let utf8 = String::from_utf8(generated(Layout::Spaces, 2024, "龙塘镇")).expect("text layouts are UTF-8");
    let gbk = encoding_rs::GB18030.encode(&utf8).0.into_owned();
    v.push(Input { name: "text-spaces-2024-gb18030".into(), bytes: gbk, kind: DocKind::Text });

    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files = [
        ("html-site-page-2024", "html/site-page-2024.html", DocKind::Html),
        ("html-paragraphs-2024", "html/paragraphs-2024.html", DocKind::Html),
        ("html-word-gbk-2023", "html/word-gbk-2023.html", DocKind::Html),
        ("docx-word-2024", "docx/word-2024.docx", DocKind::Docx),
        ("docx-word-2019-form-2020", "docx/word-2019-form-2020.docx", DocKind::Docx),
        ("doc-word-2024", "doc/word-2024.doc", DocKind::Doc),
        ("doc-gen-2024-longtang", "doc/gen-2024-longtang.doc", DocKind::Doc),
    ];
    for (name, rel, kind) in files {
        match std::fs::read(fixtures.join(rel)) {
            Ok(bytes) => v.push(Input { name: name.into(), bytes, kind }),
            Err(e) => eprintln!("parse bench: skipping {name}: tests/fixtures/{rel}: {e}"),
        }
    }
    v
}

fn parse(c: &mut Criterion) {
    let inputs = inputs();
    // Every input must parse: a benchmark of a rejection measures nothing useful.
    for i in &inputs {
        if let Err(e) = county_rollup::read_bytes(&i.bytes, i.kind, None, Some(COUNTY)) {
            panic!("parse bench: {} is rejected: {e}", i.name);
        }
    }

    let mut g = c.benchmark_group("lines");
    for i in &inputs {
        g.throughput(Throughput::Bytes(i.bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(&i.name), i, |b, i| {
            b.iter(|| county_rollup::read_lines(black_box(&i.bytes), i.kind))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("report");
    for i in &inputs {
        g.throughput(Throughput::Bytes(i.bytes.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(&i.name), i, |b, i| {
            b.iter(|| county_rollup::read_bytes(black_box(&i.bytes), i.kind, None, Some(COUNTY)))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    // Short runs: 14 inputs × 2 groups; the defaults (5 s each) would take
    // several minutes for figures that are stable well before that.
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .sample_size(30);
    targets = parse
}
criterion_main!(benches);
