//! Reports made by the real converters (tests/fixtures/converted, made by
//! tests/convert/make_fixtures.py from Word files of an independent
//! generator): every entry of every archive must read to its expected
//! numbers. Nothing read may be wrong; a table left out must say why.
//!
//! `cargo test --release --test integration converted -- --nocapture`
//! prints, per converter path, how many reports were read exactly, how many
//! with table 2 or 4 left out, how many rejected, and the first reasons.

use county_rollup::discover::{Action, classify};
use county_rollup::report::Report;
use county_rollup::schema::{self, TABLE3_ROWS};
use serde_json::Value;
use std::io::Read;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/converted");

/// How one entry fared.
#[derive(Debug, PartialEq, Eq)]
enum Fate {
    Exact,
    /// Table 3 exact, the tables named left out.
    Partial(Vec<u8>),
    Rejected(String),
    /// A number or name read wrong: the one outcome that must never happen.
    Wrong(String),
}

fn u64s(v: &Value) -> Vec<u64> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_u64).collect()).unwrap_or_default()
}

/// Compare a report with its expected values.
fn compare(r: &Report, exp: &Value) -> Result<(), String> {
    for (i, def) in TABLE3_ROWS.iter().enumerate() {
        let got = r.table3.rows[i].map(|a| a.to_vec());
        let want = exp["table3"].get(def.key).map(u64s);
        if got != want {
            return Err(format!("table 3 {}: got {got:?}, want {want:?}", def.key));
        }
    }
    if let Some(t4) = &r.table4 {
        for (p, proc_) in schema::TABLE4_PROCEEDINGS.iter().enumerate() {
            let want = u64s(&exp["table4"][proc_.key]);
            if t4[p].to_vec() != want {
                return Err(format!("table 4 {}: got {:?}, want {want:?}", proc_.key, t4[p]));
            }
        }
    }
    if let Some(t2) = &r.table2 {
        let mut k = 0;
        for item in schema::table2_items(r.format) {
            let want: Vec<String> = exp["table2"][item.key]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect())
                .unwrap_or_default();
            let got: Vec<String> = t2[k..k + item.measures.len()].iter().map(|d| d.to_string()).collect();
            k += item.measures.len();
            if got != want {
                return Err(format!("table 2 {}: got {got:?}, want {want:?}", item.key));
            }
        }
    }
    if Some(u64::from(r.year)) != exp["year"].as_u64() {
        return Err(format!("year {} want {}", r.year, exp["year"]));
    }
    if Some(r.format.as_str()) != exp["format"].as_str() {
        return Err(format!("format {} want {}", r.format.as_str(), exp["format"]));
    }
    if Some(r.unit.as_str()) != exp["unit"].as_str() {
        return Err(format!("unit {} want {}", r.unit, exp["unit"]));
    }
    let county = exp["county"].as_str().or(exp["county_from_folder"].as_str());
    if r.county.is_some() && r.county.as_deref() != county {
        return Err(format!("county {:?} want {county:?}", r.county));
    }
    Ok(())
}

/// Read every entry of one archive.
fn fates(archive: &str) -> Vec<(String, Fate)> {
    fates_of(archive, |_| true)
}

/// The fates of the archive's entries whose name `want` accepts.
fn fates_of(archive: &str, want: impl Fn(&str) -> bool) -> Vec<(String, Fate)> {
    fates_changed(archive, want, |b| b)
}

/// [`fates_of`] the entries' bytes as `change` makes them.
fn fates_changed(
    archive: &str,
    want: impl Fn(&str) -> bool,
    change: impl Fn(Vec<u8>) -> Vec<u8>,
) -> Vec<(String, Fate)> {
    let path = format!("{DIR}/{archive}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap();
    let mut expected = String::new();
    zip.by_name("expected.json").unwrap().read_to_string(&mut expected).unwrap();
    let expected: Value = serde_json::from_str(&expected).unwrap();
    let entries = expected["entries"].as_object().unwrap();
    let mut out = Vec::new();
    for (name, exp) in entries.iter().filter(|(n, _)| want(n)) {
        let mut bytes = Vec::new();
        zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")).read_to_end(&mut bytes).unwrap();
        let bytes = change(bytes);
        let base = name.rsplit('/').next().unwrap();
        let Action::Read(kind) = classify(base) else {
            out.push((name.clone(), Fate::Rejected(format!("{base}: not a kind the tool reads"))));
            continue;
        };
        let folder = name.split('/').rev().skip(1).find_map(county_rollup::discover::county_folder);
        let fate = match county_rollup::read_bytes(&bytes, kind, folder.as_deref(), None) {
            Err(e) => Fate::Rejected(e.to_string()),
            Ok(p) => match compare(&p.report, exp) {
                Err(e) => Fate::Wrong(e),
                Ok(()) if p.report.left_out.is_empty() => Fate::Exact,
                Ok(()) => Fate::Partial(p.report.left_out.iter().filter_map(|r| r.table).collect()),
            },
        };
        out.push((name.clone(), fate));
    }
    out
}

/// Read an archive, print its tally, and fail on any wrong number; with
/// `max_rejected`, also on more rejections than that (the goal is 0).
fn check(archive: &str, max_rejected: usize, max_partial: usize) {
    let fates = fates(archive);
    let count = |f: fn(&Fate) -> bool| fates.iter().filter(|(_, x)| f(x)).count();
    let (exact, partial) = (count(|f| *f == Fate::Exact), count(|f| matches!(f, Fate::Partial(_))));
    let (rejected, wrong) = (count(|f| matches!(f, Fate::Rejected(_))), count(|f| matches!(f, Fate::Wrong(_))));
    eprintln!(
        "{archive}: {} reports: {exact} exact, {partial} partial, {rejected} rejected, {wrong} wrong",
        fates.len()
    );
    for (name, f) in fates.iter().filter(|(_, f)| !matches!(f, Fate::Exact)).take(12) {
        eprintln!("  {name}: {f:?}");
    }
    let wrongs: Vec<_> = fates.iter().filter(|(_, f)| matches!(f, Fate::Wrong(_))).collect();
    assert!(wrongs.is_empty(), "{archive}: numbers read wrong: {wrongs:#?}");
    assert!(rejected <= max_rejected, "{archive}: {rejected} rejected (at most {max_rejected})");
    assert!(partial <= max_partial, "{archive}: {partial} partial (at most {max_partial})");
}

#[test]
fn docx_as_written_by_word() {
    check("docx-word.zip", 0, 0);
}

#[test]
fn docx_saved_by_libreoffice() {
    check("docx-lo.zip", 0, 0);
}

#[test]
fn html_saved_by_libreoffice() {
    check("html-lo.zip", 0, 0);
}

#[test]
fn html_by_pandoc() {
    check("html-pandoc.zip", 0, 0);
}

#[test]
fn gfm_by_pandoc() {
    check("gfm-pandoc.zip", 0, 0);
}

#[test]
fn markdown_by_pandoc() {
    check("markdown-pandoc.zip", 0, 0);
}

#[test]
fn pdftotext_layout() {
    // Left out: table 2 of r048 and r083, whose header line ends page one
    // and whose rows begin page two, each page placed its own way.
    check("pdftotext-layout.zip", 1, 2);
}

// pdftotext -layout places each glyph in one column of its character grid
// (a CJK glyph too), and measures each page from its own margin: columns are
// learnt on that grid, page by page (report/columns.rs).

#[test]
fn pdftotext_columns_that_shift_from_page_to_page_are_learnt_per_page() {
    // r014: page 3's numbers sit three columns left of page 2's.
    exact("pdftotext-layout.zip", "r014-2021-2021t.txt");
}

#[test]
fn pdftotext_columns_are_counted_in_characters_not_display_width() {
    // r016: labels of CJK characters before the numbers on some lines.
    exact("pdftotext-layout.zip", "r016-2019-2019d.txt");
}

/// One entry whose table 3 must be read exactly (tables 2 and 4 may be
/// left out, with their reason).
fn table3_exact(archive: &str, entry: &str) {
    let fates = fates_of(archive, |n| n.ends_with(entry));
    assert_eq!(fates.len(), 1, "{entry} in {archive}");
    let ok = match &fates[0].1 {
        Fate::Exact => true,
        Fate::Partial(left_out) => !left_out.contains(&3),
        _ => false,
    };
    assert!(ok, "{}: {:?}", fates[0].0, fates[0].1);
}

// Tables whose rows leave most cells blank: no row shows where every
// column is, and pdftotext squeezes each page's blank space its own way.

#[test]
fn pdftotext_sparse_table_takes_its_columns_from_the_header_titles() {
    // r048: two columns used in all; titles stacked two characters a line.
    table3_exact("pdftotext-layout.zip", "r048-2024-2021t.txt");
    // r117: titles one character a line (商 / 业 / 企 / 业), on every page.
    table3_exact("pdftotext-layout.zip", "r117-2025-2021t.txt");
}

#[test]
fn pdftotext_sparse_page_without_a_header_is_placed_by_the_arithmetic() {
    // r086: pages 3 and 4 repeat no header and squeeze their columns
    // differently from page 2: only one placement of their numbers adds up.
    table3_exact("pdftotext-layout.zip", "r086-2024-2021t.txt");
}

// Group labels centred beside their sub-rows (`度` / `办` / `理` of
// 三、本年度办理结果, `（五） 不予` … `处理`) fall between the lines of a
// sub-row's wrapped label: its head is read in its own label column.

#[test]
fn pdftotext_group_label_beside_a_wrapped_label_does_not_hide_its_head() {
    // r083: also a 小计 column, and a header repeated between the two
    // lines of one label (`5. 属于三类内部事` / page break / `务信息`).
    table3_exact("pdftotext-layout.zip", "r083-2021-2021t.txt");
    // r031: the form whose (六) 其他处理 is one row, the group label one
    // character a line.
    table3_exact("pdftotext-layout.zip", "r031-2024-2021s.txt");
}

/// r111: every cell `/`, and `4. 无` / `正当理由…` wrapped so that 无
/// stands alone after its list marker: it was read as an eighth value.
#[test]
fn pdftotext_wu_after_a_list_marker_is_the_labels_not_a_value() {
    exact("pdftotext-layout.zip", "r111-2025-2021t.txt");
}

/// pdftotext -raw repeats the table's header rows on every page, between
/// the lines of a label cut by the page break (`7. 属` / header /
/// `于行政执法案卷`): read into the next label, its 小计 made that row a
/// subtotal row (r014), or its words hid the row's head (r072).
#[test]
fn pdftotext_raw_header_repeated_on_a_new_page_is_no_rows_label() {
    exact("pdftotext-raw.zip", "r014-2021-2021t.txt");
    exact("pdftotext-raw.zip", "r072-2024-2021t.txt");
}

/// LibreOffice's "Text (encoded)" export (a clerk's 另存为 纯文本): one cell
/// per line, and a blank cell an empty line. Not a path issue 13 names;
/// kept to show that its tables of blank cells are rejected, never misread.
#[test]
fn text_saved_by_libreoffice() {
    check("txt-lo.zip", TXT_LO_REJECTED, 0);
}

/// Reports of `txt-lo.zip` rejected today.
const TXT_LO_REJECTED: usize = 0;

/// In LibreOffice's text export a blank cell is an empty line (r008: blank
/// cells at a row's edges were trimmed as padding; r048: whole rows of
/// blank cells, and table 4's header blanks read as values; r031: table 2's
/// one-value items took the empty line after their sub-table).
#[test]
fn libreoffice_text_reads_an_empty_line_as_a_blank_cell() {
    for entry in ["r008-2022-2021t.txt", "r048-2024-2021t.txt", "r031-2024-2021s.txt", "r117-2025-2021t.txt"] {
        exact("txt-lo.zip", entry);
    }
}

/// The same text with a blank line after every line (one cell per line
/// with blank lines between cells, a blank cell now two empty lines): there
/// an empty line is a gap, never a cell, so what cannot be placed is
/// rejected and nothing is read wrong.
#[test]
fn one_cell_per_line_with_blank_lines_between_is_never_read_as_blank_cells() {
    let spaced = |b: Vec<u8>| String::from_utf8(b).unwrap().replace('\n', "\n\n").into_bytes();
    let fates = fates_changed("txt-lo.zip", |_| true, spaced);
    let wrong: Vec<_> = fates.iter().filter(|(_, f)| matches!(f, Fate::Wrong(_))).collect();
    assert!(wrong.is_empty(), "{wrong:?}");
    // The 114 reports with no blank cell still read exactly.
    let exact = fates.iter().filter(|(_, f)| *f == Fate::Exact).count();
    assert_eq!(exact, 114, "of {}", fates.len());
}

/// The bytes of one entry of an archive.
fn entry_bytes(archive: &str, entry: &str) -> Vec<u8> {
    let path = format!("{DIR}/{archive}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(entry).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

/// Table 2 one cell per line where a blank cell leaves no line at all (r117
/// with its empty lines taken out): 行政规范性文件 shows only its 2, which was
/// given to 行政许可 below it (a one-value item), and every item after it
/// shifted up one: a wrong number. Values just below an item's label are
/// that item's; short of its width, the table is left out with the reason.
#[test]
fn one_cell_per_line_table_2_short_of_blank_cells_is_left_out_not_shifted() {
    let text = String::from_utf8(entry_bytes("txt-lo.zip", "r117-2025-2021t.txt")).unwrap();
    let squeezed: String = text.lines().filter(|l| !l.trim().is_empty()).flat_map(|l| [l, "\n"]).collect();
    let parts = county_rollup::read_parts(squeezed.as_bytes(), county_rollup::discover::DocKind::Text).unwrap();
    let err = parts.table2.expect_err("table 2 cannot be read with certainty");
    assert_eq!(err.row.as_deref(), Some("normative_documents (行政规范性文件)"), "{err:?}");
    assert!(err.detail_zh.contains("有 1 个数，应为 3 个"), "{err:?}");
}

#[test]
fn pdftotext_raw() {
    check("pdftotext-raw.zip", 7, 0);
}

#[test]
fn doc_saved_by_libreoffice() {
    check("doc-lo.zip", 0, 0);
}

#[test]
fn pdf_made_by_libreoffice() {
    // The one left: a table wider than the page, whose 总计 column
    // LibreOffice leaves out of the file (r061): rejected, rightly.
    check("pdf-lo.zip", 1, 0);
}

/// The reason a file of `archive` was rejected, in the clerk's Chinese.
fn reason_zh(archive: &str, entry: &str) -> String {
    let path = format!("{DIR}/{archive}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().to_string()).collect();
    let name = names.into_iter().find(|n| n.ends_with(entry)).unwrap_or_else(|| panic!("{entry}"));
    let mut bytes = Vec::new();
    zip.by_name(&name).unwrap().read_to_end(&mut bytes).unwrap();
    let Action::Read(kind) = classify(entry) else { panic!("{entry}: not read") };
    match county_rollup::read_bytes(&bytes, kind, None, Some("兴国县")) {
        Err(e) => e.message(county_rollup::lang::Lang::Zh),
        Ok(_) => panic!("{entry} in {archive} was read"),
    }
}

/// r061: LibreOffice cut the table at the page's edge and wrote none of the
/// 总计 cells that start past it. The reason said only that the numbers do
/// not add up, and named twenty rows by their output keys (`carried_over`,
/// …): it now says the table runs past the page and what to hand in instead,
/// and names rows by the labels the clerk sees.
#[test]
fn a_pdf_table_cut_at_the_pages_edge_is_rejected_saying_so() {
    let why = reason_zh("pdf-lo.zip", "r061-2019-2019t.pdf");
    assert!(why.contains("超出页面边缘") && why.contains("原 Word 文件"), "{why}");
    assert!(why.contains("“二、上年结转政府信息公开申请数量”") && why.contains("等 21 行"), "{why}");
    assert!(!why.contains("carried_over"), "{why}");
}

/// A row with fewer numbers than columns in text without cells (`-raw`):
/// the reason tells the clerk that blank cells leave no mark in such text.
#[test]
fn a_short_row_in_plain_text_says_blank_cells_leave_no_mark() {
    let why = reason_zh("pdftotext-raw.zip", "r048-2024-2021t.txt");
    assert!(why.contains("有 2 个数，应为 7 个") && why.contains("不保留空格的位置"), "{why}");
}

/// A ruled table's row that a page break cuts, beside a group cell cut
/// too (`（四）无法提` | `1.本机关不掌` / break / `供` | `握相关政府信息`): the
/// group cell's `供` fell between the halves of the row's head, and the row
/// was "missing". Its head is read in its own cell column (report/bands.rs).
#[test]
fn pdf_row_cut_by_a_page_break_beside_a_cut_group_cell_keeps_its_head() {
    exact("pdf-lo.zip", "r031-2024-2021s.pdf");
}

// Regressions found on LibreOffice's PDFs (issue 13): ruled tables are read
// cell by cell from their rules (layout/pdf/lattice.rs), and these classes
// came with them.

#[test]
fn a_ruled_table_row_cut_by_a_page_break_reads_as_one_row() {
    // 5．属于三 | 类内部事务信息: the label's end and empty cells on page 3.
    exact("pdf-lo.zip", "r006-2025-2021t.pdf");
}

#[test]
fn heading_rows_repeated_on_the_next_page_are_read_once() {
    // The table-3 header repeated atop page 3, between a row's two halves.
    exact("pdf-lo.zip", "r014-2021-2021t.pdf");
}

#[test]
fn a_blank_row_cut_by_a_page_break_is_one_blank_row() {
    exact("pdf-lo.zip", "r083-2021-2021t.pdf");
}

/// One entry of an archive, which must be read exactly, every table in.
fn exact(archive: &str, entry: &str) {
    let fates = fates_of(archive, |n| n.ends_with(entry));
    assert_eq!(fates.len(), 1, "{entry} in {archive}");
    assert_eq!(fates[0].1, Fate::Exact, "{}", fates[0].0);
}

// Regressions found on pandoc's GitHub Markdown (issue 13), each a class:

/// Table 4's merged header makes pandoc write the table as raw HTML inside
/// the Markdown; it was left out as "table 4 has no values".
#[test]
fn gfm_table_written_as_raw_html_is_read() {
    exact("gfm-pandoc.zip", "r010-2024-2021t.md");
}

/// Table 2's sub-tables joined into one four-column pipe table: a
/// one-column item (行政许可 | 19 | | |) has two padding cells at one edge,
/// and the two ways of trimming one edge counted as two answers.
#[test]
fn gfm_one_column_item_padded_to_four_cells_is_read() {
    exact("gfm-pandoc.zip", "r007-2022-2021t.md");
}

/// The same padding around an item whose every cell is blank.
#[test]
fn gfm_padded_item_with_every_cell_blank_is_read() {
    exact("gfm-pandoc.zip", "r083-2021-2021t.md");
}

/// A pipe row is the table's own row: a blank first value
/// (| 行政规范性文件 | | 1 | 3 |) and a table-3 row of blank cells stay in
/// their columns instead of being trimmed to too few values.
#[test]
fn gfm_blank_cells_at_a_rows_edge_stay_in_their_columns() {
    exact("gfm-pandoc.zip", "r048-2024-2021t.md");
}

// Regressions found on pandoc's Markdown (multiline tables, issue 13):

/// Table 3 with its zeros left blank, as a multiline table: the rows had too
/// few values for their columns to be known from the words' positions (4
/// reports were rejected); the column rule says where each column is.
#[test]
fn markdown_multiline_table_blank_cells_are_in_their_columns() {
    exact("markdown-pandoc.zip", "r048-2024-2021t.md");
}

/// Table 4 whose every cell is `---`: that row looks like a column rule and
/// ended the table before its values.
#[test]
fn markdown_multiline_row_of_dash_markers_is_a_row() {
    exact("markdown-pandoc.zip", "r016-2019-2019d.md");
}

/// Table 4 whose every cell is blank: pandoc writes that row as a line of
/// spaces, not an empty line.
#[test]
fn markdown_multiline_row_of_blank_cells_is_a_row() {
    exact("markdown-pandoc.zip", "r031-2024-2021s.md");
}

/// The bytes of one archive entry.
fn entry(archive: &str, name: &str) -> Vec<u8> {
    let path = format!("{DIR}/{archive}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap_or_else(|e| panic!("{name} in {archive}: {e}")).read_to_end(&mut bytes).unwrap();
    bytes
}

/// The report id (`r017`) of an entry name.
fn id_of(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap();
    &base[..4]
}

/// A folder of PDFs, .doc and .docx files and a zip sums to the same county
/// totals as the same reports as text (pandoc's Markdown of the same Word
/// files): issue 15's mixed folder. Each report is in one format only; the
/// reports are those every converter path has, their PDFs the exact ones.
#[test]
fn a_mixed_folder_sums_as_the_same_reports_in_text() {
    let names = |archive: &str| -> std::collections::BTreeMap<String, String> {
        fates_of(archive, |_| true)
            .into_iter()
            .filter(|(_, f)| *f == Fate::Exact)
            .map(|(n, _)| (id_of(&n).to_string(), n))
            .collect()
    };
    let (pdf, doc, docx, md) =
        (names("pdf-lo.zip"), names("doc-lo.zip"), names("docx-word.zip"), names("markdown-pandoc.zip"));
    let ids: Vec<&String> =
        pdf.keys().filter(|k| doc.contains_key(*k) && docx.contains_key(*k) && md.contains_key(*k)).collect();
    assert!(ids.len() >= 24, "{} reports in every format", ids.len());
    let tmp = tempfile::tempdir().unwrap();
    let (mixed, text) = (tmp.path().join("mixed"), tmp.path().join("text"));
    std::fs::create_dir_all(&mixed).unwrap();
    std::fs::create_dir_all(&text).unwrap();
    let mut zipped = zip::ZipWriter::new(std::fs::File::create(mixed.join("补报.zip")).unwrap());
    for (k, id) in ids.iter().enumerate() {
        let (archive, name) = match k % 4 {
            0 => ("pdf-lo.zip", &pdf[*id]),
            1 => ("doc-lo.zip", &doc[*id]),
            _ => ("docx-word.zip", &docx[*id]),
        };
        // Each file keeps its folders: some reports name their county only there.
        let put = |root: &std::path::Path, name: &str, bytes: Vec<u8>| {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        };
        let bytes = entry(archive, name);
        if k % 4 == 3 {
            zipped.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut zipped, &bytes).unwrap();
        } else {
            put(&mixed, name, bytes);
        }
        put(&text, &md[*id], entry("markdown-pandoc.zip", &md[*id]));
    }
    zipped.finish().unwrap();
    let run = |dir: &std::path::Path| {
        let out = dir.with_extension("out");
        let mut c = assert_cmd::Command::cargo_bin("county-rollup").unwrap();
        let code = c.arg(dir).arg("--out").arg(&out).args(["--lang", "en", "-q", "--no-bom"]).output().unwrap().status;
        let files = std::fs::read_to_string(out.join("files.csv")).unwrap();
        assert_eq!(code.code(), Some(0), "{files}");
        out
    };
    let (a, b) = (run(&mixed), run(&text));
    for f in ["requests.csv", "proactive.csv", "review_litigation.csv"] {
        let (x, y) = (std::fs::read_to_string(a.join(f)).unwrap(), std::fs::read_to_string(b.join(f)).unwrap());
        assert!(x.lines().count() > 1, "{f} is empty");
        assert_eq!(x, y, "{f} differs between the mixed folder and the text");
    }
    let files = std::fs::read_to_string(a.join("files.csv")).unwrap();
    for kind in [".pdf,", ".doc,", ".docx,", ".zip/"] {
        assert!(files.contains(kind), "no {kind} in files.csv:\n{files}");
    }
}

/// The generator's own Word files (ruled tables, tracked changes left in)
/// printed to PDF by LibreOffice (tests/convert/make_gen_pdfs.sh): the
/// folder sums to what the generator says, byte for byte.
#[test]
fn generated_word_files_printed_to_pdf_sum_to_the_generated_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, truth, out) = (tmp.path().join("data"), tmp.path().join("truth"), tmp.path().join("out"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(format!("{DIR}/pdf-lo-gen.zip")).unwrap()).unwrap();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let to = match name.strip_prefix("truth/") {
            Some(rest) => truth.join(rest),
            None if name.ends_with(".pdf") => data.join(&name),
            None => continue,
        };
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    let config = county_rollup::Config { bom: false, ..county_rollup::Config::new(data, out.clone()) };
    let summary = county_rollup::run(&config).unwrap();
    assert_eq!((summary.parsed, summary.partial, summary.rejected), (24, 0, 0), "{:?}", summary.first_rejections);
    for name in ["requests.csv", "proactive.csv", "review_litigation.csv"] {
        let (a, b) =
            (std::fs::read_to_string(out.join(name)).unwrap(), std::fs::read_to_string(truth.join(name)).unwrap());
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn a_table4_row_cut_by_a_page_break_is_one_row() {
    // 生成甲县/2024/龙塘镇: the value row of table 4 breaks across pages, one
    // cell's struck-out old number and new one wrapping onto the next page.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(format!("{DIR}/pdf-lo-gen.zip")).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name("生成甲县/2024/龙塘镇.pdf").unwrap().read_to_end(&mut bytes).unwrap();
    let kind = match classify("龙塘镇.pdf") {
        Action::Read(k) => k,
        _ => unreachable!(),
    };
    let read = county_rollup::read_bytes(&bytes, kind, Some("生成甲县"), None).unwrap();
    assert_eq!(
        read.report.table4,
        Some([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]),
        "{:?}",
        read.report.left_out
    );
}

/// The sparse pdftotext tables, damaged line by line (a line deleted, a
/// value's last digit dropped or changed): each damaged file is rejected,
/// or read to table 3 exactly, or read to numbers whose arithmetic fails
/// (the document as damaged says so, and the checks report it). Their
/// columns are chosen by the header's titles and the table's arithmetic;
/// neither may turn a damage into numbers that are wrong and add up.
#[test]
fn damaged_sparse_pdftotext_tables_are_never_read_wrong_and_balanced() {
    let entries = [
        ("r048-2024-2021t.txt", 2),
        ("r117-2025-2021t.txt", 2),
        ("r083-2021-2021t.txt", 3),
        ("r031-2024-2021s.txt", 3),
        ("崇义县/2024/r086-2024-2021t.txt", 5),
    ];
    let path = format!("{DIR}/pdftotext-layout.zip");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut expected = String::new();
    zip.by_name("expected.json").unwrap().read_to_string(&mut expected).unwrap();
    let expected: Value = serde_json::from_str(&expected).unwrap();
    let (mut rejected, mut exact, mut flagged, mut wrong) = (0, 0, 0, Vec::new());
    for (name, step) in entries {
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        let truth = &expected["entries"][name]["table3"];
        let lines: Vec<&str> = text.lines().collect();
        let start = lines.iter().position(|l| l.trim_start().starts_with("三、收到和处理")).unwrap();
        let end = lines.iter().position(|l| l.contains("行政复议、行政诉讼情况")).unwrap();
        let folder = name.contains('/').then_some("崇义县");
        for i in (start + 1..end).step_by(step) {
            let with_line = |l: String| {
                let mut all: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
                all[i] = l;
                all.join("\n")
            };
            let mut damaged =
                vec![lines.iter().enumerate().filter(|&(k, _)| k != i).map(|(_, l)| *l).collect::<Vec<_>>().join("\n")];
            // The line's last value: a word of digits only.
            let last_value = lines[i].split_whitespace().rfind(|w| w.bytes().all(|b| b.is_ascii_digit()));
            if let Some((at, word)) = last_value.and_then(|w| lines[i].rfind(w).map(|at| (at, w))) {
                let last = at + word.len() - 1;
                let d = lines[i].as_bytes()[last];
                let other = if d == b'7' { "3" } else { "7" };
                for with in ["", other] {
                    let mut l = lines[i].to_string();
                    l.replace_range(last..last + 1, with);
                    damaged.push(with_line(l));
                }
            }
            for doc in &damaged {
                match county_rollup::read_bytes(doc.as_bytes(), county_rollup::discover::DocKind::Text, folder, None) {
                    Err(_) => rejected += 1,
                    Ok(p) => {
                        let same = TABLE3_ROWS.iter().enumerate().all(|(r, def)| {
                            p.report.table3.rows[r].map(|a| a.to_vec()) == truth.get(def.key).map(u64s)
                        });
                        if same {
                            exact += 1;
                        } else if !county_rollup::checks::table3_arithmetic(&p.report.table3).is_empty() {
                            flagged += 1;
                        } else {
                            wrong.push(format!("{name}, line {}: {:?}", i + 1, p.report.table3));
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "damaged sparse tables: {rejected} rejected, {exact} read exactly, {flagged} read as damaged (checks fail), {} wrong",
        wrong.len()
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(rejected > 0 && exact > 0, "the damage must be seen both ways");
}

/// A page break cuts table 4's header row, and LibreOffice lets the
/// header's last characters run over into the value row (`结果` / break /
/// `维` / `持 0`, the office mix's 办公庚县/2023/城关镇): the value row was
/// left out as "text where a number should be". The PDF reads as its Word
/// file, every table in.
#[test]
fn pdf_header_text_run_over_into_the_value_row_is_the_headers() {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(format!("{DIR}/pdf-lo-overflow.zip")).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut bytes = Vec::new();
        zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
        let Action::Read(kind) = classify(name) else { panic!("{name}: not read") };
        county_rollup::read_bytes(&bytes, kind, Some("办公庚县"), None).unwrap_or_else(|e| panic!("{name}: {e}")).report
    };
    let (pdf, word) = (read("城关镇.pdf"), read("城关镇.docx"));
    assert!(pdf.left_out.is_empty() && word.left_out.is_empty(), "{:?} {:?}", pdf.left_out, word.left_out);
    assert_eq!(pdf.table3, word.table3);
    assert_eq!(pdf.table2, word.table2);
    assert_eq!(pdf.table4, word.table4);
}

/// Hostile: a sparse table whose page without a header is padded with a
/// hundred thousand label lines. Each reading the arithmetic chooses among
/// reads every line again (225 readings: 15 s in a release build before);
/// now a table of that many words gets few readings, and is rejected at once.
/// The same for label lines of 200,000 words each.
#[test]
fn a_sparse_table_padded_to_many_lines_is_rejected_at_once() {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(format!("{DIR}/pdftotext-layout.zip")).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name("崇义县/2024/r086-2024-2021t.txt").unwrap().read_to_string(&mut text).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains("4. 无正当")).expect("page 4 of table 3");
    let padded = |pad: &str, n: usize| {
        let mut v: Vec<&str> = lines[..at].to_vec();
        v.extend(std::iter::repeat_n(pad, n));
        v.extend(&lines[at..]);
        v.join("\n")
    };
    let wide = vec!["申"; 200_000].join(" ");
    for doc in [padded("                 版物", 100_000), padded(&wide, 6)] {
        let t = std::time::Instant::now();
        let read =
            county_rollup::read_bytes(doc.as_bytes(), county_rollup::discover::DocKind::Text, Some("崇义县"), None);
        assert!(t.elapsed() < std::time::Duration::from_secs(20), "{:?}", t.elapsed());
        assert!(read.is_err(), "padded table read: {:?}", read.map(|p| p.report.table3));
    }
}
