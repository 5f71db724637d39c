//! Golden fixtures, one test each: every `*.expected.json` under
//! tests/fixtures names a document beside it (same stem) and the exact
//! numbers it states. Each table is compared cell by cell, and the set of
//! table-3 rows must match exactly (a single (六) row must not come back as
//! three rows, or the reverse). A fixture with `"status": "partial"` must be
//! summed in table 3 with the tables of `left_out` left out; every other
//! table is still asserted through `read_parts`.

use county_rollup::discover::{Action, classify};
use county_rollup::report::Report;
use county_rollup::schema::{self, TABLE3_ROWS};
use serde_json::Value;
use std::path::{Path, PathBuf};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

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

/// Compare a document's tables with what its expected file says.
pub fn check_tables(ctx: &str, exp: &Value, parts: &county_rollup::report::Parts) -> Result<(), String> {
    let (t3, _subtotals) = parts.table3.clone().map_err(|e| format!("{ctx}: table 3: {e}"))?;
    let exp3 = exp["table3"].as_object().unwrap();
    for (i, def) in TABLE3_ROWS.iter().enumerate() {
        let got = t3.rows[i].map(|a| a.to_vec());
        let want = exp3.get(def.key).map(u64s);
        if got != want {
            return Err(format!("{ctx}: table 3 row {}: got {got:?}, want {want:?}", def.key));
        }
    }
    let left_out: Vec<u64> = exp
        .get("left_out")
        .and_then(Value::as_array)
        .map_or(Vec::new(), |a| a.iter().filter_map(Value::as_u64).collect());
    if !left_out.contains(&4)
        && let Some(exp4) = exp.get("table4")
    {
        let t4 = parts.table4.clone().map_err(|e| format!("{ctx}: table 4: {e}"))?;
        for (p, proc_) in schema::TABLE4_PROCEEDINGS.iter().enumerate() {
            let want = u64s(&exp4[proc_.key]);
            if t4[p].to_vec() != want {
                return Err(format!("{ctx}: table 4 {}: got {:?}, want {want:?}", proc_.key, t4[p]));
            }
        }
    }
    if let (Some(t2), false) = (exp.get("table2").and_then(Value::as_object), left_out.contains(&2)) {
        let got2 = parts.table2.clone().map_err(|e| format!("{ctx}: table 2: {e}"))?;
        let format = parts.format.ok_or_else(|| format!("{ctx}: no form found"))?;
        let mut k = 0;
        for item in schema::table2_items(format) {
            let want: Vec<String> = t2
                .get(item.key)
                .ok_or_else(|| format!("{ctx}: expected file lacks table 2 item {}", item.key))?
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                .collect();
            let got: Vec<String> = got2[k..k + item.measures.len()].iter().map(|d| d.to_string()).collect();
            k += item.measures.len();
            if got != want {
                return Err(format!("{ctx}: table 2 {}: got {got:?}, want {want:?}", item.key));
            }
        }
    }
    Ok(())
}

/// Compare the report's names, year, form and status with the expected file.
pub fn check_report(ctx: &str, exp: &Value, report: &Report) -> Result<(), String> {
    if let Some(y) = exp.get("year").and_then(Value::as_u64)
        && u64::from(report.year) != y
    {
        return Err(format!("{ctx}: year {} want {y}", report.year));
    }
    if let Some(f) = exp.get("format").and_then(Value::as_str)
        && report.format.as_str() != f
    {
        return Err(format!("{ctx}: format {} want {f}", report.format.as_str()));
    }
    if let Some(u) = exp.get("unit").and_then(Value::as_str) {
        // The shared fixtures give the full organ name; the tool's unit is the
        // organ without its county, or the full name for the county government.
        let full = format!("{}{}", report.county.clone().unwrap_or_default(), report.unit);
        if report.unit != u && full != u && !u.ends_with(&report.unit) {
            return Err(format!("{ctx}: unit {} want {u}", report.unit));
        }
    }
    if let Some(c) = exp.get("county").and_then(Value::as_str)
        && report.county.as_deref() != Some(c)
    {
        return Err(format!("{ctx}: county {:?} want {c}", report.county));
    }
    if let Some(n) = exp.get("narrative_requests")
        && report.narrative_requests != n.as_u64()
    {
        return Err(format!("{ctx}: narrative {:?} want {n}", report.narrative_requests));
    }
    let partial = exp.get("status").and_then(Value::as_str) == Some("partial");
    let left: Vec<u8> = report.left_out.iter().filter_map(|r| r.table).collect();
    let want: Vec<u8> = exp
        .get("left_out")
        .and_then(Value::as_array)
        .map_or(Vec::new(), |a| a.iter().filter_map(|v| v.as_u64()).map(|v| v as u8).collect());
    if partial == left.is_empty() || left != want {
        return Err(format!("{ctx}: tables left out {left:?} ({:?}), want {want:?}", report.left_out));
    }
    Ok(())
}

fn check(stem: &str) {
    let expected_path = Path::new(FIXTURES).join(format!("{stem}.expected.json"));
    let exp: Value = serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
    let doc = document_for(&expected_path);
    let bytes = std::fs::read(&doc).unwrap();
    let Action::Read(kind) = classify(&doc.file_name().unwrap().to_string_lossy()) else {
        panic!("{} is not a readable kind", doc.display());
    };
    let ctx = doc.display().to_string();
    let parts = county_rollup::read_parts(&bytes, kind).unwrap_or_else(|e| panic!("{ctx}: {e}"));
    check_tables(&ctx, &exp, &parts).unwrap();
    let report = parts.into_report().unwrap_or_else(|e| panic!("{ctx}: rejected: {e}"));
    check_report(&ctx, &exp, &report).unwrap();
}

macro_rules! golden {
    ($($name:ident => $stem:literal,)*) => {
        $(#[test] fn $name() { check($stem) })*

        /// Every fixture with expected values has its test above.
        #[test]
        fn every_fixture_has_its_test() {
            let listed = [$($stem),*];
            let mut found = Vec::new();
            fn walk(dir: &Path, out: &mut Vec<String>) {
                for e in std::fs::read_dir(dir).unwrap() {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        walk(&p, out);
                    } else if let Some(s) = p.to_string_lossy().strip_suffix(".expected.json") {
                        out.push(s[FIXTURES.len() + 1..].to_string());
                    }
                }
            }
            walk(Path::new(FIXTURES), &mut found);
            for f in &found {
                assert!(listed.contains(&f.as_str()), "fixture {f} has no test in tests/golden.rs");
            }
        }
    };
}

golden! {
    doc_gen_2020_baiyunsi => "doc/gen-2020-baiyunsi",
    doc_gen_2020_dongji => "doc/gen-2020-dongji",
    doc_gen_2024_dongzhuang => "doc/gen-2024-dongzhuang",
    doc_gen_2024_longtang => "doc/gen-2024-longtang",
    doc_word_2019_form_2020 => "doc/word-2019-form-2020",
    doc_word_2024_features => "doc/word-2024-features",
    doc_word_2024 => "doc/word-2024",
    docx_word_2019_form_2020 => "docx/word-2019-form-2020",
    docx_word_2024 => "docx/word-2024",
    html_lo_gen_2020_donglou => "html/lo-gen-2020-东楼乡",
    html_lo_gen_2024_donghu => "html/lo-gen-2024-东湖乡",
    html_pandoc_gen_2020_bodang => "html/pandoc-gen-2020-伯党乡",
    html_pandoc_gen_2024_longtang => "html/pandoc-gen-2024-龙塘镇",
    html_paragraphs_2024 => "html/paragraphs-2024",
    html_pdftohtml_hongze_2024 => "html/pdftohtml-hongze-2024",
    html_site_page_2024 => "html/site-page-2024",
    html_site_page_short_crumb_2024 => "html/site-page-short-crumb-2024",
    html_site_page_sidebar_2024 => "html/site-page-sidebar-2024",
    html_table2_colspan_2024 => "html/table2-colspan-2024",
    html_table4_leading_blank_2024 => "html/table4-leading-blank-2024",
    html_word_gbk_2023 => "html/word-gbk-2023",
    pdf_hongze_2024_qzf => "pdf/hongze-2024-qzf",
    pdf_poppler_hongze_2024_qzf_layout => "pdf/poppler/hongze-2024-qzf.layout",
    pdf_poppler_lo_word_2024_layout => "pdf/poppler/lo-word-2024.layout",
    pdf_poppler_lo_word_2019_form_2020_layout => "pdf/poppler/lo-word-2019-form-2020.layout",
    real_hongze_2024_qzf => "real/hongze-2024-qzf",
    real_seed_renhe_2024 => "real/seed-renhe-2024",
    real_sh_2025_bangongting_md => "real/sh-2025-bangongting-md",
    text_2019_form_tab => "text/2019-form-tab",
    text_gen_raw_wrapped_head_2022 => "text/gen-raw-wrapped-head-2022",
    text_pdftotext_layout_blanks => "text/pdftotext-layout-blanks",
    text_subtotals_onecell => "text/subtotals-onecell",
}
