//! The run reads files in chunks (512 at a time) and keeps only a few bytes
//! per report: duplicates and year-to-year chains are checked at the end from
//! that compact state, and the files they name are found again by walking the
//! folder a second time. These tests put the files that matter in different
//! chunks, so that a wrong file index, a lost path or a report summed twice
//! would show.

use county_rollup::checks::chain::{ChainInfo, check_chain};
use county_rollup::report::Report;
use county_rollup::schema::Format;
use county_rollup::{Config, run};
use county_rollup_gen::{self as generate, CountyPlan, Generated, Layout, Rng};
use std::collections::BTreeMap;
use std::path::Path;

fn records(path: &Path) -> Vec<Vec<String>> {
    let mut rdr = csv::Reader::from_path(path).expect("open csv");
    rdr.records().map(|r| r.expect("record").iter().map(str::to_string).collect()).collect()
}

fn run_with(data: &Path, out: &Path, threads: usize) -> county_rollup::Summary {
    let config = Config { threads: Some(threads), bom: false, ..Config::new(data.to_path_buf(), out.to_path_buf()) };
    run(&config).expect("run")
}

#[test]
fn duplicates_and_chains_across_chunks() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let county = "民权县";
    // 2 years × 300 units = 600 files: 2023 fills most of the first chunk,
    // 2024 straddles the first and second.
    let plan = CountyPlan {
        county: county.to_string(),
        years: vec![2023, 2024],
        units: generate::unit_names(300),
        count_for: BTreeMap::new(),
        layouts: Layout::ALL.to_vec(),
        broken: Vec::new(),
    };
    let all: Vec<Generated> = generate::write_county(&data, &plan, 7).expect("write reports");
    let y2024 = data.join(county).join("2024");
    let of = |unit: &str, year: u16| -> &Generated {
        all.iter().find(|g| g.report.unit == unit && g.report.year == year).expect("generated")
    };
    let mut sorted_2024: Vec<&Generated> = all.iter().filter(|g| g.report.year == 2024).collect();
    sorted_2024.sort_by(|a, b| a.path.cmp(&b.path));

    // A byte-identical copy of the first 2024 report (first chunk), named so
    // that it sorts last (second chunk): summed once, with a warning.
    let copied = sorted_2024[0];
    std::fs::copy(&copied.path, y2024.join("龥副本.txt")).expect("copy");
    // A different report for a unit of the second chunk: neither is summed.
    let conflicted = sorted_2024[250];
    let mut rng = Rng::new(99);
    let other: Report =
        generate::random_report(&mut rng, Format::for_year(2024), 2024, county, &conflicted.report.unit);
    std::fs::write(y2024.join("龥另一份.txt"), generate::render_bytes(&other, Layout::Tab, &mut rng)).expect("write");
    // A unit whose 2024 report does not follow on from its 2023 one: the
    // carry_chain findings the checks give for the pair, at the 2024 file.
    let (chained, replacement, want_chain) = sorted_2024[100..]
        .iter()
        .find_map(|g| {
            let prev = &of(&g.report.unit, 2023).report;
            let mut rng = Rng::new(5);
            let r = generate::random_report(&mut rng, Format::for_year(2024), 2024, county, &g.report.unit);
            let found = check_chain(&ChainInfo::of(prev), &ChainInfo::of(&r), 2023);
            (!found.is_empty()).then_some((*g, r, found))
        })
        .expect("a unit whose random 2024 report breaks the chain");
    std::fs::write(&chained.path, generate::render_bytes(&replacement, chained.layout, &mut Rng::new(6)))
        .expect("rewrite");

    let out1 = tmp.path().join("out1");
    let out2 = tmp.path().join("out2");
    let s1 = run_with(&data, &out1, 1);
    let s2 = run_with(&data, &out2, 2);
    assert_eq!(s1, s2);
    // Every file read; the two conflicting files and the identical copy are
    // duplicates, not summed.
    assert_eq!((s1.files, s1.summed() + s1.duplicate, s1.rejected), (602, 602, 0), "{:?}", s1.first_rejections);
    assert_eq!(s1.duplicate, 3);
    for name in
        ["files.csv", "requests_by_unit.csv", "checks.csv", "requests.csv", "proactive.csv", "review_litigation.csv"]
    {
        assert_eq!(std::fs::read(out1.join(name)).unwrap(), std::fs::read(out2.join(name)).unwrap(), "{name}");
    }

    let rel = |p: &Path| p.strip_prefix(&data).unwrap().to_string_lossy().replace('\\', "/");
    // The files at stake are in different chunks of 512.
    let files = records(&out1.join("files.csv"));
    let at = |r: &str| files.iter().position(|f| f[0] == r).expect("listed");
    assert!(at(&rel(&copied.path)) < 512 && at(&format!("{county}/2024/龥副本.txt")) >= 512);
    assert!(at(&rel(&conflicted.path)) >= 512);
    let checks = records(&out1.join("checks.csv"));
    let rows_for = |file: &str, check: &str| -> Vec<Vec<String>> {
        checks.iter().filter(|r| r[3] == file && r[4] == check).cloned().collect()
    };
    let copy_rel = format!("{county}/2024/龥副本.txt");
    let copy = rows_for(&copy_rel, "duplicate");
    assert_eq!(copy.len(), 1, "{checks:?}");
    assert_eq!(copy[0][5], "warning");
    assert!(copy[0][6].contains(&rel(&copied.path)), "{copy:?}");
    assert!(rows_for(&rel(&copied.path), "duplicate").is_empty(), "the first copy is the one summed");
    let other_rel = format!("{county}/2024/龥另一份.txt");
    for (me, them) in [(rel(&conflicted.path), other_rel.clone()), (other_rel.clone(), rel(&conflicted.path))] {
        let r = rows_for(&me, "duplicate");
        assert_eq!(r.len(), 1, "{me}: {checks:?}");
        assert_eq!(r[0][5], "error");
        assert!(r[0][6].contains(&them), "{r:?}");
        assert_eq!(r[0][2], conflicted.report.unit);
    }
    let chain: Vec<String> = rows_for(&rel(&chained.path), "carry_chain").into_iter().map(|r| r[6].clone()).collect();
    let want: Vec<String> = want_chain
        .iter()
        .filter(|f| f.check == "carry_chain")
        .map(|f| f.detail(county_rollup::lang::Lang::Zh))
        .collect();
    assert_eq!(chain, want);
    // No other file has a cross-file finding.
    let expected_files = [copy_rel.as_str(), &other_rel, &rel(&conflicted.path), &rel(&chained.path)];
    // (The reviewer's lookalike warnings depend on the random numbers.)
    let lookalike = ["identical_tables", "unchanged", "all_zero"];
    for r in checks.iter().filter(|r| !lookalike.contains(&r[4].as_str())) {
        assert!(expected_files.contains(&r[3].as_str()), "unexpected finding {r:?}");
    }

    // The sums: every report once, the conflicting pair left out, the
    // rewritten unit as rewritten; the generator's own arithmetic.
    let mut summed: Vec<(String, Report)> = Vec::new();
    for g in &all {
        if g.path == conflicted.path {
            continue;
        }
        let r = if g.path == chained.path { replacement.clone() } else { g.report.clone() };
        summed.push((county.to_string(), r));
    }
    let truth = tmp.path().join("truth");
    generate::write_truth(&truth, &summed).expect("truth");
    for name in ["requests.csv", "proactive.csv", "review_litigation.csv"] {
        assert_eq!(
            std::fs::read_to_string(out1.join(name)).unwrap(),
            std::fs::read_to_string(truth.join(name)).unwrap(),
            "{name}"
        );
    }
}
