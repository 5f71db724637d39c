//! Deterministic random annual reports, written out in every text layout of
//! FORMAT.md section 3, as web pages and as Word (.docx) files.
//!
//! Why this exists: the reader must take the same table exactly whatever
//! shape a converter gave it, and a handful of real fixtures cannot cover the
//! combinations (layout × bracket, digit and numbering variants × wrapped
//! labels × blank markers × the two forms). A generated [`Report`] is
//! internally consistent, so rendering it ([`render`]) and reading it back
//! must give the same tables: that is the round-trip property of
//! `tests/roundtrip.rs`. A folder of generated reports ([`write_county`]) with
//! the sums it should give ([`write_truth`]) is the sample data in `data/`
//! and the input of benchmarks (`county-rollup-gen`).
//!
//! Everything is driven by a seeded [`Rng`], so a seed always gives the same
//! bytes, on every platform and version.
//!
//! The renderer keeps to what the reader promises to read (see
//! `county_rollup::report`): a wrapped label keeps a whole head fragment of its row
//! on its first line, at or before its numbers; a blank cell is written as a
//! marker (`-`, `—`, `/`, `无`), or as an empty cell only between two
//! non-empty values of a tab or pipe row; no text follows a number on a line
//! inside a table; the title is the first line of the document.
//!
//! Pages ([`Layout::Html`]) and Word files ([`Layout::Docx`]) are laid out
//! from one model of the report (blocks of title, headings, prose and tables
//! of cells with their spans), so both carry the same merges: 三、本年度办理
//! 结果 and the group labels down the side of their rows, the header's
//! 申请人情况 and 法人或其他组织 across their columns. Their files are
//! bytes, not text: [`render_bytes`] gives every layout's file. In a table
//! of a page or Word file an empty cell keeps its column, so a blank may be
//! empty anywhere. Renderings the reader does not read yet are left out, each
//! pinned by an ignored `gap_html_*` test in `tests/roundtrip.rs`.

/// The form, for the library's own unit tests, which use this crate but
/// cannot name the library as a crate of its own to pick one.
pub use county_rollup::schema::Format;

use county_rollup::report::{Report, Table3};
use county_rollup::schema::{self, Head, NCOLS, NROWS3, Row, TABLE3_ROWS, TOTAL_COL};
use county_rollup::text::{Decimal, SCALE};
/// A report's table 2 (empty when it was left out).
fn t2(r: &Report) -> &[Decimal] {
    r.table2.as_deref().unwrap_or(&[])
}

/// A report's table 4 (zeros when it was left out).
fn t4(r: &Report) -> [[u64; 5]; 3] {
    r.table4.unwrap_or_default()
}

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- randomness

/// A small seeded pseudo-random generator (splitmix64).
///
/// Why not the `rand` crates: the generator needs a few draws per number, and
/// the committed sample data and the test seeds depend on the stream never
/// changing with a dependency's version; ten lines carry no such risk.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`: the same seed gives the same stream.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream named by `label` (a county, a unit), so that
    /// adding a unit to a folder does not change the reports of the others.
    pub fn derive(&self, label: &str) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        let mut r = Rng(self.0 ^ h);
        r.next_u64();
        r
    }

    /// The next 64 random bits (splitmix64).
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0); the modulo bias is irrelevant
    /// for test data.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// A number in `lo..=hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo { lo } else { lo + self.below(hi - lo + 1) }
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------- the numbers

fn idx(key: &str) -> usize {
    schema::row3_index(key).expect("a key of schema::TABLE3_ROWS") // ok: literal keys below
}

/// A count as townships report them: mostly 0, mostly small, now and then
/// hundreds or a few thousand.
fn count(rng: &mut Rng, zero_pct: u64) -> u64 {
    if rng.chance(zero_pct) {
        return 0;
    }
    match rng.below(100) {
        0..=69 => rng.range(1, 5),
        70..=92 => rng.range(6, 30),
        93..=97 => rng.range(31, 300),
        _ => rng.range(301, 3000),
    }
}

/// How often each outcome row receives requests (relative weights).
const OUTCOME_WEIGHTS: [(&str, u64); 22] = [
    ("granted", 40),
    ("partially_granted", 6),
    ("denied_state_secret", 1),
    ("denied_prohibited_by_law", 1),
    ("denied_three_safety_one_stability", 1),
    ("denied_third_party_rights", 3),
    ("denied_internal_affairs", 2),
    ("denied_process_info", 3),
    ("denied_law_enforcement_file", 1),
    ("denied_administrative_query", 2),
    ("unable_not_held", 20),
    ("unable_needs_creation", 5),
    ("unable_unclear_after_correction", 4),
    ("not_processed_petition_complaint", 8),
    ("not_processed_duplicate", 5),
    ("not_processed_publication", 2),
    ("not_processed_excessive", 2),
    ("not_processed_confirm_existing", 3),
    ("other_processing", 10),
    ("other_no_correction", 4),
    ("other_unpaid_fee", 1),
    ("other_other", 6),
];

fn weighted(rng: &mut Rng, weights: &[(usize, u64)]) -> usize {
    let sum: u64 = weights.iter().map(|w| w.1).sum();
    let mut r = rng.below(sum);
    for &(i, w) in weights {
        if r < w {
            return i;
        }
        r -= w;
    }
    weights[0].0
}

/// Split `total` over one to three outcome rows.
fn split(rng: &mut Rng, total: u64, weights: &[(usize, u64)]) -> Vec<(usize, u64)> {
    if total == 0 || weights.is_empty() {
        return Vec::new();
    }
    let k = rng.range(1, 3).min(total);
    let mut cuts: Vec<u64> = (1..k).map(|_| rng.range(1, total - 1)).collect();
    cuts.sort_unstable();
    cuts.push(total);
    let mut prev = 0;
    let mut out = Vec::new();
    for c in cuts {
        out.push((weighted(rng, weights), c - prev));
        prev = c;
    }
    out
}

/// Table 3 that adds up: row totals, the outcome total and the balance of
/// every column. `carried_over` (last year's carried_forward) chains years.
fn gen_table3(rng: &mut Rng, single_other: bool, carried_over: Option<[u64; NCOLS]>) -> Table3 {
    let mut rows: [Option<[u64; NCOLS]>; NROWS3] = [None; NROWS3];
    for i in schema::table3_rows(single_other) {
        rows[i] = Some([0; NCOLS]);
    }
    let outcomes: Vec<(usize, u64)> =
        OUTCOME_WEIGHTS.iter().map(|(k, w)| (idx(k), *w)).filter(|(i, _)| rows[*i].is_some()).collect();
    let quiet = rng.chance(25);
    // Natural persons ask most; research institutions almost never.
    const ZERO_PCT: [u64; TOTAL_COL] = [30, 70, 96, 94, 92, 85];
    let keys = [idx("new_requests"), idx("carried_over"), idx("total_processed"), idx("carried_forward")];
    for c in 0..TOTAL_COL {
        let new = if quiet { 0 } else { count(rng, ZERO_PCT[c]) };
        let over = match carried_over {
            Some(v) => v[c],
            None if new > 0 && rng.chance(20) => rng.range(1, new.min(10)),
            None => 0,
        };
        let avail = new + over;
        let forward = if avail > 0 && rng.chance(25) { rng.below(avail / 3 + 2).min(avail) } else { 0 };
        let processed = avail - forward;
        for (k, v) in keys.iter().zip([new, over, processed, forward]) {
            if let Some(r) = rows[*k].as_mut() {
                r[c] = v;
            }
        }
        for (row, part) in split(rng, processed, &outcomes) {
            if let Some(r) = rows[row].as_mut() {
                r[c] += part;
            }
        }
    }
    for r in rows.iter_mut().flatten() {
        r[TOTAL_COL] = r[..TOTAL_COL].iter().sum();
    }
    Table3 { rows }
}

fn int(v: u64) -> Decimal {
    Decimal(v as i64 * SCALE)
}

/// An amount in 万元: often 0, else whole or with one or two decimals.
fn money(rng: &mut Rng, zero_pct: u64) -> Decimal {
    if rng.chance(zero_pct) {
        return Decimal(0);
    }
    let whole = if rng.chance(25) { 0 } else { count(rng, 0) };
    let mut cents = match rng.below(4) {
        0 | 1 => 0,
        2 => rng.range(1, 9) * 10,
        _ => rng.range(1, 99),
    };
    if whole == 0 && cents == 0 {
        cents = 35;
    }
    Decimal((whole as i64 * 100 + cents as i64) * (SCALE / 100))
}

/// Table 2 of the 2021 form; `prev_in_force` (last year's 现行有效件数 of
/// 规章 and 规范性文件) keeps the in-force chain.
fn gen_table2_2021(rng: &mut Rng, prev_in_force: Option<[u64; 2]>) -> Vec<Decimal> {
    let mut out = Vec::new();
    for k in 0..2 {
        let active = rng.chance(if k == 0 { 8 } else { 45 });
        let base = match prev_in_force {
            Some(p) => p[k],
            None if active => rng.range(0, 40),
            None if rng.chance(20) => rng.range(1, 10),
            None => 0,
        };
        let issued = if active { count(rng, 30).min(60) } else { 0 };
        let repealed = if active { rng.below((base + issued).min(10) + 1) } else { 0 };
        out.extend([int(issued), int(repealed), int(base + issued - repealed)]);
    }
    out.push(int(count(rng, 40))); // 行政许可
    out.push(int(count(rng, 45))); // 行政处罚
    out.push(int(count(rng, 80).min(60))); // 行政强制
    out.push(money(rng, 70)); // 行政事业性收费
    out
}

/// Table 2 of the 2019 form (本年增/减 may be negative).
fn gen_table2_2019(rng: &mut Rng) -> Vec<Decimal> {
    let mut out = Vec::new();
    for k in 0..2 {
        let made = if rng.chance(if k == 0 { 10 } else { 50 }) { count(rng, 20).min(40) } else { 0 };
        let published = rng.range(made.saturating_sub(2), made);
        let total = published + if rng.chance(50) { rng.range(0, 60) } else { 0 };
        out.extend([int(made), int(published), int(total)]);
    }
    for _ in 0..4 {
        // 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制
        let previous = count(rng, 40);
        let change = if rng.chance(35) { rng.range(0, 10) as i64 - 5 } else { 0 };
        let change = change.max(-(previous as i64));
        out.extend([int(previous), Decimal(change * SCALE), int(count(rng, 45))]);
    }
    let previous = count(rng, 50);
    let change = if rng.chance(20) { rng.range(0, 4) as i64 - 2 } else { 0 };
    out.extend([int(previous), Decimal(change.max(-(previous as i64)) * SCALE)]);
    let projects = count(rng, 50).min(200);
    out.extend([int(projects), if projects > 0 { money(rng, 10) } else { Decimal(0) }]);
    out
}

/// Table 4: usually all 0; each proceeding's total is the sum of the four.
fn gen_table4(rng: &mut Rng) -> [[u64; 5]; 3] {
    let mut t = [[0u64; 5]; 3];
    if rng.chance(70) {
        return t;
    }
    for p in t.iter_mut() {
        if rng.chance(50) {
            for v in p.iter_mut().take(4) {
                *v = if rng.chance(60) { 0 } else { rng.range(1, 4) };
            }
            p[4] = p[..4].iter().sum();
        }
    }
    t
}

fn in_force_of(r: &Report) -> Option<[u64; 2]> {
    if r.format != Format::F2021 || t2(r).len() < 6 {
        return None;
    }
    let v = |d: Decimal| d.as_int().map(|i| i.max(0) as u64);
    Some([v(t2(r)[2])?, v(t2(r)[5])?])
}

fn build(
    rng: &mut Rng,
    format: Format,
    year: u16,
    county: &str,
    unit: &str,
    single_other: bool,
    prev: Option<&Report>,
) -> Report {
    let carried = prev.and_then(|p| p.table3.get(Row::CarriedForward).copied());
    let table3 = gen_table3(rng, single_other, carried);
    let table2 = match format {
        Format::F2021 => gen_table2_2021(rng, prev.and_then(in_force_of)),
        Format::F2019 => gen_table2_2019(rng),
    };
    let table4 = gen_table4(rng);
    let new_total = table3.get(Row::NewRequests).map_or(0, |r| r[TOTAL_COL]);
    let narrative_requests = rng.chance(60).then_some(new_total);
    Report {
        title: format!("{county}{unit}人民政府{year}年政府信息公开工作年度报告"),
        county: (!county.is_empty()).then(|| county.to_string()),
        unit: unit.to_string(),
        year,
        format,
        table2: Some(table2),
        table3,
        subtotals: Vec::new(),
        table4: Some(table4),
        left_out: Vec::new(),
        narrative_requests,
    }
}

/// A random report whose arithmetic is right (every check of FORMAT.md
/// section 2 that looks at one report passes). The 2019 form uses the single
/// (六) 其他处理 row; a 2021-form report uses it now and then too, as some
/// units do. `county` may be empty (the report then names none).
pub fn random_report(rng: &mut Rng, format: Format, year: u16, county: &str, unit: &str) -> Report {
    let single_other = format == Format::F2019 || rng.chance(12);
    random_report_with(rng, format, year, county, unit, single_other)
}

/// [`random_report`] with the choice of the (六) variant made by the caller:
/// `single_other` uses the one `other_processing` row instead of the three
/// `other_*` rows (needed to test that 2021-form variant on purpose).
pub fn random_report_with(
    rng: &mut Rng,
    format: Format,
    year: u16,
    county: &str,
    unit: &str,
    single_other: bool,
) -> Report {
    build(rng, format, year, county, unit, single_other, None)
}

/// The same unit's report for a later `year`, continuing `prev`: carried_over
/// equals prev's carried_forward, and (both in the 2021 form) 现行有效件数
/// continues prev's, so the carry_chain and in_force_chain checks pass when
/// `year` is the next year.
pub fn successor(rng: &mut Rng, prev: &Report, year: u16) -> Report {
    let format = Format::for_year(year);
    let single_other = match (format, prev.format) {
        (Format::F2019, _) => true,
        (Format::F2021, Format::F2021) => prev.table3.single_other(),
        (Format::F2021, Format::F2019) => rng.chance(12),
    };
    let county = prev.county.clone().unwrap_or_default();
    build(rng, format, year, &county, &prev.unit, single_other, Some(prev))
}

/// Make one row total wrong by one (予以公开's 总计 + 1). Why: the sample data
/// needs a report whose arithmetic is off, so that checks.csv shows what a
/// row_total error looks like; the tool must sum it as stated.
pub fn break_row_total(report: &mut Report) {
    if let Some(r) = report.table3.rows[idx("granted")].as_mut() {
        r[TOTAL_COL] += 1;
    }
}

// ---------------------------------------------------------------- rendering

/// The layouts the generator can write: the text layouts of FORMAT.md
/// section 3, web pages and Word files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layout {
    /// Tab-separated rows copied from a web page (like the seed report).
    Tab,
    /// One cell per line, blank lines between, header words broken in two.
    OneCell,
    /// `pdftotext -layout`: cells in runs of spaces, wrapped labels, page
    /// footers and form feeds inside the table.
    Spaces,
    /// `pdftotext -raw`: one row per line, single spaces, header fragments
    /// on lines of their own.
    Raw,
    /// Markdown pipe tables from document converters.
    Markdown,
    /// A whole web page as a government site serves it: navigation, the
    /// report with rowspan/colspan tables, a footer (`.html`).
    Html,
    /// A Word file (`.docx`): paragraphs and w:tbl tables merged with
    /// w:gridSpan and w:vMerge. [`render`] gives its `word/document.xml`,
    /// [`render_bytes`] the package.
    Docx,
}

impl Layout {
    /// The text layouts, in a fixed order (for round-robin assignment and
    /// tests that read [`render`]'s text as a text file).
    pub const ALL: [Layout; 5] = [Layout::Tab, Layout::OneCell, Layout::Spaces, Layout::Raw, Layout::Markdown];

    /// Every layout, text, web page and Word, in a fixed order; write them
    /// with [`render_bytes`].
    pub const EVERY: [Layout; 7] =
        [Layout::Tab, Layout::OneCell, Layout::Spaces, Layout::Raw, Layout::Markdown, Layout::Html, Layout::Docx];

    /// The kind of document the reader must be told a rendering is.
    pub fn doc_kind(self) -> county_rollup::discover::DocKind {
        match self {
            Layout::Html => county_rollup::discover::DocKind::Html,
            Layout::Docx => county_rollup::discover::DocKind::Docx,
            _ => county_rollup::discover::DocKind::Text,
        }
    }

    /// The name used on the command line (`tab`, `onecell`, `spaces`, `raw`,
    /// `markdown`, `html`, `docx`).
    pub fn name(self) -> &'static str {
        match self {
            Layout::Tab => "tab",
            Layout::OneCell => "onecell",
            Layout::Spaces => "spaces",
            Layout::Raw => "raw",
            Layout::Markdown => "markdown",
            Layout::Html => "html",
            Layout::Docx => "docx",
        }
    }

    /// The layout a command-line name means (case and `-`/`_` ignored; `md`
    /// for Markdown).
    pub fn from_name(name: &str) -> Option<Layout> {
        let n: String = name.chars().filter(|c| !matches!(c, '-' | '_')).collect::<String>().to_lowercase();
        match n.as_str() {
            "tab" | "tabs" => Some(Layout::Tab),
            "onecell" | "cell" => Some(Layout::OneCell),
            "spaces" | "layout" | "pdftotextlayout" => Some(Layout::Spaces),
            "raw" | "pdftotextraw" => Some(Layout::Raw),
            "markdown" | "md" => Some(Layout::Markdown),
            "html" | "htm" | "web" | "page" => Some(Layout::Html),
            "docx" | "word" => Some(Layout::Docx),
            _ => None,
        }
    }

    /// The file extension such a document carries (`md`, `txt`, `html`,
    /// `docx`), so the tool classifies it as it would the real thing.
    pub fn extension(self) -> &'static str {
        match self {
            Layout::Markdown => "md",
            Layout::Html => "html",
            Layout::Docx => "docx",
            _ => "txt",
        }
    }
}

/// Character-level choices made once per document, as a real document makes
/// them once (a unit uses one bracket style throughout).
struct Style {
    layout: Layout,
    wide_brackets: bool,
    bracket_space: bool,
    numbering: &'static str,
    number_space: bool,
    curly: bool,
    /// Percent of numbers written in full-width digits.
    wide_digits: u64,
    /// How a blank (0) cell is written, and how often a 0 is written blank.
    blank: &'static str,
    blank_pct: u64,
    thousands: bool,
    /// Percent of labels with a stray space between two characters.
    label_spaces: u64,
}

impl Style {
    fn new(rng: &mut Rng, layout: Layout) -> Style {
        // An empty cell is a blank only between two values of a grid row.
        let blanks: &[&'static str] = match layout {
            // In a page or Word table an empty cell (&nbsp;, an empty
            // paragraph) keeps its grid column.
            Layout::Tab | Layout::Markdown | Layout::Html | Layout::Docx => &["", "", "-", "—", "/", "无"],
            _ => &["-", "—", "/", "无"],
        };
        Style {
            layout,
            wide_brackets: rng.chance(50),
            bracket_space: rng.chance(40),
            numbering: [".", ".", "、", "．"][rng.below(4) as usize],
            number_space: rng.chance(40),
            curly: rng.chance(60),
            wide_digits: if rng.chance(10) { rng.range(20, 100) } else { 0 },
            blank: blanks[rng.below(blanks.len() as u64) as usize],
            blank_pct: if rng.chance(30) { rng.range(20, 100) } else { 0 },
            thousands: rng.chance(50),
            label_spaces: match layout {
                Layout::Raw | Layout::Spaces if rng.chance(40) => 30,
                _ if rng.chance(10) => 15,
                _ => 0,
            },
        }
    }

    /// A count as written in a cell. `edge`: first or last value of its row,
    /// where an empty cell would be taken for padding, so never empty.
    fn num(&self, rng: &mut Rng, v: u64, edge: bool) -> String {
        if v == 0 && rng.chance(self.blank_pct) && !(self.blank.is_empty() && edge) {
            return self.blank.to_string();
        }
        let mut s = v.to_string();
        if self.thousands && v >= 1000 && rng.chance(50) {
            s = thousands(&s);
        }
        if rng.chance(self.wide_digits) {
            s = wide(&s);
        }
        s
    }

    /// A table-2 value: decimals as written (`12.5`, `12.50`), a sign on
    /// 本年增/减 sometimes (`+1`).
    fn dec(&self, rng: &mut Rng, d: Decimal, edge: bool, signed: bool) -> String {
        if let Some(i) = d.as_int() {
            if i < 0 {
                return format!("-{}", self.num(rng, i.unsigned_abs(), false));
            }
            let s = self.num(rng, i as u64, edge);
            return if signed && i > 0 && rng.chance(50) { format!("+{s}") } else { s };
        }
        let mut s = d.to_string();
        if s.split_once('.').is_some_and(|(_, f)| f.len() == 1) && rng.chance(40) {
            s.push('0');
        }
        if rng.chance(self.wide_digits) {
            s = wide(&s);
        }
        s
    }

    /// A label of the form (schema spelling) in this document's spelling.
    fn label(&self, s: &str) -> String {
        let s = s.trim();
        let mut out = String::new();
        let mut rest = s;
        if let Some((inner, after)) = s.strip_prefix('(').and_then(|r| r.split_once(')')) {
            let (o, c) = if self.wide_brackets { ('（', '）') } else { ('(', ')') };
            out.push(o);
            out.push_str(inner);
            out.push(c);
            if self.bracket_space {
                out.push(' ');
            }
            rest = after.trim_start();
        } else if let Some((d, after)) = s.split_once(". ")
            && d.len() == 1
            && d.bytes().all(|b| b.is_ascii_digit())
        {
            out.push_str(d);
            out.push_str(self.numbering);
            if self.number_space {
                out.push(' ');
            }
            rest = after;
        }
        let mut body = rest.to_string();
        if !self.wide_brackets {
            body =
                body.replace("（区分处理的，只计这一情形，不计其他情形）", "(区分处理的, 只计这一情形, 不计其他情形)");
        }
        if self.curly {
            body = body.replace("\"三安全一稳定\"", "“三安全一稳定”");
        }
        out.push_str(&body);
        out
    }

    /// Now and then a stray space between two Chinese characters of a label
    /// (`大量反复 申请`), as PDF converters leave them. Never next to a digit,
    /// where it would split off a number.
    fn sprinkle(&self, rng: &mut Rng, s: &str) -> String {
        if !rng.chance(self.label_spaces) {
            return s.to_string();
        }
        let chars: Vec<char> = s.chars().collect();
        // Not next to 无: a lone 无 is a blank cell (`4.无 正当理由…` would
        // read as a value inside the label).
        let spots: Vec<usize> = (1..chars.len())
            .filter(|&i| is_han(chars[i - 1]) && is_han(chars[i]) && chars[i - 1] != '无' && chars[i] != '无')
            .collect();
        if spots.is_empty() {
            return s.to_string();
        }
        let at = *rng.pick(&spots);
        let mut out: String = chars[..at].iter().collect();
        out.push(' ');
        out.extend(&chars[at..]);
        out
    }
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn thousands(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn wide(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            ',' => '，',
            _ => c,
        })
        .collect()
}

/// Display width in a monospaced rendering (CJK and full-width are two wide).
fn dw(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

/// Pad `line` with spaces to display column `col` (at least two spaces when
/// it is already there, so cells stay apart).
fn pad_to(line: &mut String, col: usize) {
    let w = dw(line);
    let n = if w + 2 <= col { col - w } else { 2 };
    if !line.is_empty() {
        line.push_str(&" ".repeat(n));
    } else {
        line.push_str(&" ".repeat(col));
    }
}

/// Right-align `vals` in slots of `slot` columns starting at column `col0`.
fn put_values(line: &mut String, vals: &[String], col0: usize, slot: usize) {
    for (j, v) in vals.iter().enumerate() {
        let end = col0 + (j + 1) * slot;
        let w = dw(line) + dw(v);
        let n = if w + 2 <= end { end - w } else { 2 };
        line.push_str(&" ".repeat(n));
        line.push_str(v);
    }
}

/// The document being written, line by line.
#[derive(Default)]
struct Out(String);

impl Out {
    fn line(&mut self, s: &str) {
        self.0.push_str(s);
        self.0.push('\n');
    }
    fn blank(&mut self) {
        self.0.push('\n');
    }
}

/// One row of table 3 as laid out on the form: up to three label columns
/// (一、… / (一)… / 1.…) and its seven values.
struct Row3Text {
    row: usize,
    cells: [String; 3],
    values: [u64; NCOLS],
}

/// The group label printed once before a group's first sub-row, and the
/// sub-row's own label, from the schema's label.
fn split_group(label: &str) -> (Option<&str>, &str) {
    if let Some(rest) = label.strip_prefix("三、本年度办理结果 ") {
        return (Some("三、本年度办理结果"), rest);
    }
    if label.starts_with('(')
        && let Some(p) = label.find(" 1. ")
    {
        return (Some(&label[..p]), &label[p + 1..]);
    }
    (None, label)
}

fn table3_text(report: &Report, st: &Style, rng: &mut Rng) -> Vec<Row3Text> {
    let single = report.table3.single_other();
    let mut out = Vec::new();
    for i in schema::table3_rows(single) {
        let Some(values) = report.table3.rows[i] else {
            continue;
        };
        let (group, sub) = split_group(TABLE3_ROWS[i].label);
        let sub = st.sprinkle(rng, &st.label(sub));
        let mut cells = [String::new(), String::new(), String::new()];
        match group {
            Some(g) if g.starts_with('三') => {
                cells[0] = g.to_string();
                cells[1] = sub;
            }
            Some(g) => {
                cells[1] = st.label(g);
                cells[2] = sub;
            }
            None if sub.starts_with(|c: char| c.is_ascii_digit()) => cells[2] = sub,
            None if sub.starts_with(['(', '（']) => cells[1] = sub,
            None => cells[0] = sub,
        }
        out.push(Row3Text { row: i, cells, values });
    }
    out
}

/// Char index just after the first complete head fragment of `row` in
/// `text`, if the text holds one verbatim.
fn head_end(text: &str, row: usize) -> Option<usize> {
    TABLE3_ROWS[row]
        .heads
        .iter()
        .filter_map(|h| match h {
            Head::Contains(f) => text.find(f).map(|b| text[..b + f.len()].chars().count()),
            Head::EndsWith(_) => None,
        })
        .min()
}

/// Break a long label into two or three lines the way converters do, the
/// first line holding a whole head fragment (the reader's contract).
fn wrap_label(rng: &mut Rng, text: &str, row: usize, max_pieces: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let Some(h) = head_end(text, row) else {
        return vec![text.to_string()];
    };
    if n < 10 || n < h + 3 {
        return vec![text.to_string()];
    }
    let mut cuts = vec![rng.range(h as u64, n as u64 - 2) as usize];
    if max_pieces >= 3 && n >= cuts[0] + 4 && rng.chance(50) {
        cuts.push(rng.range(cuts[0] as u64 + 2, n as u64 - 2) as usize);
    }
    cuts.push(n);
    let mut pieces = Vec::new();
    let mut from = 0;
    for c in cuts {
        let p: String = chars[from..c].iter().collect::<String>().trim().to_string();
        if !p.is_empty() {
            pieces.push(p);
        }
        from = c;
    }
    pieces
}

/// Break a label into lines of `width` characters, the first one long enough
/// to hold a whole head fragment.
fn wrap_fit(text: &str, row: usize, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let first = width.max(head_end(text, row).unwrap_or(0)).min(chars.len());
    let mut pieces = vec![chars[..first].iter().collect::<String>()];
    pieces.extend(chars[first..].chunks(width.max(1)).map(|c| c.iter().collect::<String>()));
    pieces.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

/// The last non-empty label cell: the one that names the row.
fn last_label(cells: &[String; 3]) -> usize {
    (0..3).rev().find(|&k| !cells[k].is_empty()).unwrap_or(0)
}

const COLUMN_NOTE: &str = "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)";

fn table2_groups(format: Format) -> &'static [(&'static str, &'static [usize])] {
    match format {
        Format::F2021 => &[
            ("第二十条第（一）项", &[0, 1]),
            ("第二十条第（五）项", &[2]),
            ("第二十条第（六）项", &[3, 4]),
            ("第二十条第（八）项", &[5]),
        ],
        Format::F2019 => &[
            ("第二十条第（一）项", &[0, 1]),
            ("第二十条第（五）项", &[2, 3]),
            ("第二十条第（六）项", &[4, 5]),
            ("第二十条第（八）项", &[6]),
            ("第二十条第（九）项", &[7]),
        ],
    }
}

/// Table 2 as (article line, header cells, rows of (label, values)).
type Table2Text = Vec<(String, Vec<String>, Vec<(String, Vec<String>)>)>;

fn table2_text(report: &Report, st: &Style, rng: &mut Rng) -> Table2Text {
    let items = schema::table2_items(report.format);
    let mut offsets = Vec::new();
    let mut k = 0;
    for it in items {
        offsets.push(k);
        k += it.measures.len();
    }
    let mut out = Vec::new();
    for (article, members) in table2_groups(report.format) {
        let first = &items[members[0]];
        let mut header = vec!["信息内容".to_string()];
        header.extend(first.measures.iter().map(|m| m.label.to_string()));
        let mut rows = Vec::new();
        for &ii in *members {
            let it = &items[ii];
            let n = it.measures.len();
            let vals: Vec<String> = it
                .measures
                .iter()
                .enumerate()
                .map(|(j, m)| {
                    let d = t2(report).get(offsets[ii] + j).copied().unwrap_or_default();
                    st.dec(rng, d, j == 0 || j + 1 == n, m.signed)
                })
                .collect();
            rows.push((it.label.to_string(), vals));
        }
        let article =
            if st.wide_brackets { article.to_string() } else { article.replace('（', "(").replace('）', ")") };
        out.push((article, header, rows));
    }
    out
}

fn title_lines(report: &Report, st: &Style, rng: &mut Rng) -> Vec<String> {
    let county = report.county.as_deref().filter(|_| rng.chance(80)).unwrap_or("");
    let organ = format!("{county}{}人民政府", report.unit);
    let y = report.year;
    let split = matches!(st.layout, Layout::Spaces | Layout::Raw) && rng.chance(30);
    match rng.below(7) {
        _ if split => vec![organ, format!("{y} 年政府信息公开工作年度报告")],
        0..=2 => vec![format!("{organ} {y} 年政府信息公开工作年度报告")],
        3 => vec![format!("{organ}{y}年度政府信息公开工作年度报告")],
        4 => vec![format!("{organ} {y} 年度政府信息公开工作年度报告")],
        5 => vec![format!("{organ}{y}年政府信息公开工作年度报告")],
        _ => vec![format!("{y}年{organ}政府信息公开工作年度报告")],
    }
}

/// Section 一: prose, with the sentence stating the requests received when
/// the report has one.
fn intro(report: &Report, st: &Style, rng: &mut Rng) -> Vec<String> {
    let (y, u) = (report.year, &report.unit);
    let mut p = vec![
        format!(
            "{y} 年，{u}认真学习、深入领会《中华人民共和国政府信息公开条例》（以下简称《条例》）等政策文件精神，严格落实上级政务公开重点工作安排部署，结合本单位实际，积极加强重点领域信息公开，努力提升政府信息公开质效。现将工作情况报告如下："
        ),
        "（一）主动公开情况".to_string(),
        format!(
            "{u}按照“应公开尽公开”原则，深入推进政府信息公开，对社会公众关心关切的问题积极回应，公开内容涵盖乡村振兴、安全生产、优化营商环境、保障和改善民生、应急管理等领域。"
        ),
        "（二）依申请公开情况".to_string(),
    ];
    p.push(match report.narrative_requests {
        Some(n) => {
            let n = if rng.chance(st.wide_digits) { wide(&n.to_string()) } else { n.to_string() };
            match rng.below(4) {
                0 => format!("{u}严格按照《条例》办理依申请公开。{y} 年{u}共接到政府信息公开申请 {n} 件，已按照信息公开流程进行依法公开。"),
                1 => format!("全年共收到政府信息公开申请{n}件，均在法定期限内答复。"),
                2 => format!("本年度受理政府信息公开申请 {n} 件，办理过程规范有序。"),
                _ => format!("全年新收各类政府信息公开申请共 {n} 件，答复及时规范。"),
            }
        }
        None => format!("{u}严格按照《条例》规范依申请公开工作流程，做到依法依规、及时答复。"),
    });
    p.extend([
        "（三）政府信息管理情况".to_string(),
        "完善体制机制建设，成立信息公开领导小组，明确职责和任务；强化公开程序管理，规范主动公开和依申请公开的程序和形式，落实保密审查制度。".to_string(),
        "（四）政府信息公开平台建设情况".to_string(),
        "按照政府网站建设指引和要求，及时维护政府信息公开专栏，按时更新栏目信息，不断提升公开服务质量和水平。".to_string(),
        "（五）监督保障情况".to_string(),
        "把信息公开工作列入重要议事日程，建立主要负责同志负总责、分管负责同志主抓、各部门共同参与的工作机制，压实工作责任。".to_string(),
    ]);
    p
}

fn problems() -> Vec<String> {
    vec![
        "（一）存在的问题".to_string(),
        "信息公开的数量还不够多，内容质量有待提高，主动性有待进一步加强，对最新法律法规的学习还需强化。".to_string(),
        "（二）改进措施".to_string(),
        "进一步提高思想认识，落实专人负责，扩大公开范围，提升公开质量，及时跟进学习政府信息公开的最新规定，确保信息公开工作符合规范。".to_string(),
    ]
}

fn other_matters(report: &Report) -> Vec<String> {
    vec![format!("{}年度本单位未收取信息处理费。发出收费通知的件数和总金额，实际收取的总金额均为零。", report.year)]
}

/// Write a section heading in the layout's manner.
fn heading(o: &mut Out, st: &Style, rng: &mut Rng, text: &str) {
    match st.layout {
        Layout::Markdown if rng.chance(50) => o.line(&format!("## {text}")),
        Layout::Spaces => o.line(&format!("  {text}")),
        _ => o.line(text),
    }
    if st.layout != Layout::Raw {
        o.blank();
    }
}

/// Write prose paragraphs: whole lines with blank lines between, or wrapped
/// at a fixed width the way PDF converters break them.
fn prose(o: &mut Out, st: &Style, rng: &mut Rng, paragraphs: &[String], page: &mut u32) {
    for p in paragraphs {
        match st.layout {
            Layout::Spaces | Layout::Raw => {
                let chars: Vec<char> = p.chars().collect();
                let width = 38;
                for chunk in chars.chunks(width) {
                    let s: String = chunk.iter().collect();
                    if st.layout == Layout::Spaces {
                        o.line(&format!("  {s}"));
                    } else {
                        o.line(&s);
                    }
                }
                if st.layout == Layout::Spaces {
                    o.blank();
                    if rng.chance(15) {
                        o.line(&footer(rng, *page));
                        *page += 1;
                        o.0.push('\u{c}');
                    }
                }
            }
            _ => {
                o.line(p);
                o.blank();
            }
        }
    }
}

/// A page footer as pdftotext -layout leaves it, centred: `- 4 -`. The line
/// stays within 40 bytes: since bfa4a56 `text::is_page_marker` returns false
/// for any longer line, so a footer indented further (as on a wide page) is
/// read as three values (see the ignored test `gap_indented_page_footer` in
/// tests/roundtrip.rs).
fn footer(rng: &mut Rng, page: u32) -> String {
    let dash = if rng.chance(30) { "—" } else { "-" };
    let body = format!("{dash} {page} {dash}");
    format!("{}{body}", " ".repeat(rng.range(12, 40 - body.len() as u64) as usize))
}

fn md_row(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

fn md_rule(n: usize) -> String {
    format!("|{}", "---|".repeat(n))
}

fn grid_line(st: &Style, cells: &[String]) -> String {
    if st.layout == Layout::Markdown { md_row(cells) } else { cells.join("\t") }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn render_table2(o: &mut Out, report: &Report, st: &Style, rng: &mut Rng) {
    let t = table2_text(report, st, rng);
    match st.layout {
        // Pages and Word files are laid out by `blocks`, never here.
        Layout::Tab | Layout::Markdown | Layout::Html | Layout::Docx => {
            for (article, header, rows) in t {
                let pad = |mut v: Vec<String>| {
                    v.resize(4, String::new());
                    v
                };
                o.line(&grid_line(st, &pad(vec![article])));
                if st.layout == Layout::Markdown {
                    o.line(&md_rule(4));
                }
                o.line(&grid_line(st, &pad(header)));
                for (label, vals) in rows {
                    let mut cells = vec![label];
                    cells.extend(vals);
                    o.line(&grid_line(st, &pad(cells)));
                }
            }
            o.blank();
        }
        Layout::OneCell => {
            for (article, header, rows) in t {
                o.line(&article);
                o.blank();
                for h in header {
                    o.line(&h);
                    o.blank();
                }
                for (label, vals) in rows {
                    o.line(&label);
                    o.blank();
                    for v in vals {
                        o.line(&alone(v));
                        o.blank();
                    }
                }
            }
        }
        Layout::Spaces => {
            for (article, header, rows) in t {
                o.line(&format!("  {article}"));
                let mut h = String::new();
                for (j, cell) in header.iter().enumerate() {
                    pad_to(&mut h, if j == 0 { 2 } else { 26 + 18 * (j - 1) });
                    h.push_str(cell);
                }
                o.line(&h);
                for (label, vals) in rows {
                    let mut l = format!("  {label}");
                    put_values(&mut l, &vals, 26, 18);
                    o.line(&l);
                }
            }
            o.blank();
        }
        Layout::Raw => {
            for (article, header, rows) in t {
                o.line(&article);
                o.line(&header.join(" "));
                for (label, vals) in rows {
                    o.line(&format!("{label} {}", vals.join(" ")));
                }
            }
        }
    }
}

fn values3(st: &Style, rng: &mut Rng, v: &[u64; NCOLS]) -> Vec<String> {
    (0..NCOLS).map(|c| st.num(rng, v[c], c == 0 || c + 1 == NCOLS)).collect()
}

/// A line of values alone must not look like a page footer, which the reader
/// drops before reading tables: `text::is_page_marker` takes `— — — — — 3 3`
/// (dashes around one run of digits) and `1 1 1 1 1 / 5` (digits, a slash,
/// digits) for page numbers. Such a line is written with plain digits instead.
fn unmarked(vals: Vec<String>, plain: &[u64]) -> Vec<String> {
    if county_rollup::text::is_page_marker(&vals.join(" ")) { plain.iter().map(u64::to_string).collect() } else { vals }
}

/// A value alone on its line (one cell per line): a negative number such as
/// `-2` is taken for a page footer by `text::is_page_marker`, so it carries
/// its unit (`-2项`), which the reader strips.
fn alone(v: String) -> String {
    if county_rollup::text::is_page_marker(&v) { format!("{v}项") } else { v }
}

fn render_table3(o: &mut Out, report: &Report, st: &Style, rng: &mut Rng, page: &mut u32) {
    let rows = table3_text(report, st, rng);
    match st.layout {
        Layout::Tab | Layout::Markdown | Layout::Html | Layout::Docx => {
            let header: [&[&str]; 3] = [
                &[COLUMN_NOTE, "", "", "申请人情况", "", "", "", "", "", "总计"],
                &["", "", "", "自然人", "法人或其他组织", "", "", "", "", ""],
                &["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
            ];
            for (k, h) in header.iter().enumerate() {
                o.line(&grid_line(st, &strs(h)));
                if k == 0 && st.layout == Layout::Markdown {
                    o.line(&md_rule(10));
                }
            }
            for r in rows {
                let mut cells: Vec<String> = r.cells.to_vec();
                if rng.chance(12) {
                    // A sub-row that lost its leading empty cells (the seed's 5. line).
                    while cells.first().is_some_and(String::is_empty) {
                        cells.remove(0);
                    }
                }
                cells.extend(values3(st, rng, &r.values));
                if rng.chance(40) {
                    cells.push(String::new());
                }
                o.line(&grid_line(st, &cells));
            }
            o.blank();
        }
        Layout::OneCell => {
            let mut header = vec![COLUMN_NOTE, "申请人情况", "自然人", "法人或其他组织"];
            for (whole, a, b) in [
                ("商业企业", "商业", "企业"),
                ("科研机构", "科研", "机构"),
                ("社会公益组织", "社会公益", "组织"),
                ("法律服务机构", "法律服务", "机构"),
            ] {
                if rng.chance(60) {
                    header.extend([a, b]);
                } else {
                    header.push(whole);
                }
            }
            header.extend(["其他", "总计"]);
            for h in header {
                o.line(h);
                o.blank();
            }
            for r in rows {
                let last = last_label(&r.cells);
                for (k, cell) in r.cells.iter().enumerate() {
                    if cell.is_empty() {
                        continue;
                    }
                    let pieces =
                        if k == last && rng.chance(25) { wrap_label(rng, cell, r.row, 2) } else { vec![cell.clone()] };
                    for p in pieces {
                        o.line(&p);
                        o.blank();
                    }
                }
                for v in values3(st, rng, &r.values) {
                    o.line(&alone(v));
                    o.blank();
                }
            }
        }
        Layout::Spaces => render_table3_spaces(o, rows, st, rng, page),
        Layout::Raw => render_table3_raw(o, rows, st, rng),
    }
}

/// Column where each label level starts in `pdftotext -layout` output, and
/// where the values start.
const SP_LEVELS: [usize; 3] = [0, 6, 22];
const SP_VALUES: usize = 62;
const SP_SLOT: usize = 10;

fn render_table3_spaces(o: &mut Out, rows: Vec<Row3Text>, st: &Style, rng: &mut Rng, page: &mut u32) {
    let mut h = String::new();
    pad_to(&mut h, SP_VALUES + 20);
    h.push_str("申请人情况");
    o.line(&h);
    let mut h = "  （本列数据的勾稽关系为：第一项加".to_string();
    pad_to(&mut h, SP_VALUES + 4);
    h.push_str("自然人");
    pad_to(&mut h, SP_VALUES + 16);
    h.push_str("法人或其他组织");
    pad_to(&mut h, SP_VALUES + 64);
    h.push_str("总计");
    o.line(&h);
    for (left, words) in [
        ("  第二项之和，等于第三项加第四项之和）", ["商业", "科研", "社会公益", "法律服务", "其他"]),
        ("", ["企业", "机构", "组织", "机构", ""]),
    ] {
        let mut h = left.to_string();
        for (j, w) in words.iter().enumerate() {
            if !w.is_empty() {
                pad_to(&mut h, SP_VALUES + SP_SLOT * (j + 1) + 2);
                h.push_str(w);
            }
        }
        o.line(&h);
    }
    // A vertical group label (三、本年度办理结果 one character per line,
    // between the rows it spans), and where a page ends inside the table.
    let vertical = rng.chance(25);
    let mut vchars: Vec<char> = Vec::new();
    let page_after = rng.range(2, rows.len() as u64 - 2) as usize;
    let has_break = rng.chance(70);
    for (k, r) in rows.iter().enumerate() {
        let mut cells = r.cells.clone();
        if vertical && cells[0] == "三、本年度办理结果" {
            cells[0].clear();
            vchars = "三、本年度办理结果".chars().collect();
        }
        let last = last_label(&cells);
        let mut first = String::new();
        for cell in cells[..last].iter().enumerate().filter(|(_, c)| !c.is_empty()) {
            pad_to(&mut first, SP_LEVELS[cell.0] + 2);
            first.push_str(cell.1);
        }
        pad_to(&mut first, SP_LEVELS[last] + 2);
        let start = dw(&first);
        // A label wider than its column is wrapped to the column, as the PDF
        // had it; shorter long labels now and then at random places.
        let room = (SP_VALUES - 2).saturating_sub(start) / 2;
        let pieces = if dw(&cells[last]) > 2 * room {
            wrap_fit(&cells[last], r.row, room.max(6))
        } else if dw(&cells[last]) >= 24 && rng.chance(35) {
            wrap_label(rng, &cells[last], r.row, 3)
        } else {
            vec![cells[last].clone()]
        };
        first.push_str(&pieces[0]);
        let mut lines = vec![first];
        for p in &pieces[1..] {
            lines.push(format!("{}{p}", " ".repeat(start)));
        }
        let at = rng.below(lines.len() as u64) as usize;
        let vals = values3(st, rng, &r.values);
        let mut l = std::mem::take(&mut lines[at]);
        pad_to(&mut l, SP_VALUES);
        let col0 = dw(&l);
        put_values(&mut l, &vals, col0, SP_SLOT);
        lines[at] = l;
        for l in lines {
            o.line(&l);
        }
        if !vchars.is_empty() {
            o.line(&format!("  {}", vchars.remove(0)));
        }
        if has_break && k == page_after {
            o.blank();
            o.line(&footer(rng, *page));
            *page += 1;
            o.0.push('\u{c}');
        }
    }
    for c in vchars {
        o.line(&format!("  {c}"));
    }
    o.blank();
}

fn render_table3_raw(o: &mut Out, rows: Vec<Row3Text>, st: &Style, rng: &mut Rng) {
    o.line("（本列数据的勾稽关系为：第一项加第二项之和，");
    o.line("等于第三项加第四项之和）");
    for h in ["申请人情况", "自然人", "法人或其他组织", "总计"] {
        o.line(h);
    }
    for (a, b) in [("商业", "企业"), ("科研", "机构"), ("社会", "公益"), ("组织", "法律"), ("服务", "机构")]
    {
        o.line(a);
        o.line(b);
    }
    o.line("其他");
    for r in rows {
        let mut cells = r.cells.clone();
        // Group labels (三、本年度办理结果, (三) 不予公开 …) may stand alone,
        // or come out one character per line.
        let group = if !cells[0].is_empty() && !cells[1].is_empty() {
            Some(0)
        } else if !cells[1].is_empty() && !cells[2].is_empty() {
            Some(1)
        } else {
            None
        };
        if let Some(g) = group
            && rng.chance(35)
        {
            if g == 0 && rng.chance(50) {
                for c in cells[0].chars() {
                    o.line(&c.to_string());
                }
            } else {
                o.line(&cells[g]);
            }
            cells[g].clear();
        }
        let last = last_label(&cells);
        let pieces = if rng.chance(30) { wrap_label(rng, &cells[last], r.row, 2) } else { vec![cells[last].clone()] };
        let mut lines: Vec<String> = Vec::new();
        let before: Vec<&str> = cells[..last].iter().filter(|c| !c.is_empty()).map(String::as_str).collect();
        let mut first = before.join(" ");
        if !first.is_empty() {
            first.push(' ');
        }
        first.push_str(&pieces[0]);
        lines.push(first);
        lines.extend(pieces[1..].iter().cloned());
        let vals = values3(st, rng, &r.values);
        match rng.below(3) {
            0 => lines[0] = format!("{} {}", lines[0], vals.join(" ")),
            1 => {
                let n = lines.len() - 1;
                lines[n] = format!("{} {}", lines[n], vals.join(" "));
            }
            _ => lines.push(unmarked(vals, &r.values).join(" ")),
        }
        for l in lines {
            o.line(&l);
        }
    }
}

fn render_table4(o: &mut Out, report: &Report, st: &Style, rng: &mut Rng) {
    let sp = |s: &str, rng: &mut Rng| -> String {
        // 结果维持 often comes out as 结果 维持 (a cell of two lines).
        let chars: Vec<char> = s.chars().collect();
        if chars.len() == 4 && rng.chance(50) {
            format!("{} {}", chars[..2].iter().collect::<String>(), chars[2..].iter().collect::<String>())
        } else {
            s.to_string()
        }
    };
    let outcome: Vec<String> = schema::TABLE4_COLUMNS.iter().map(|c| sp(c.label, rng)).collect();
    let vals: Vec<String> =
        t4(report).iter().flatten().enumerate().map(|(k, v)| st.num(rng, *v, k == 0 || k == 14)).collect();
    let plain: Vec<u64> = t4(report).iter().flatten().copied().collect();
    let vals = match st.layout {
        Layout::OneCell => vals.into_iter().map(alone).collect(),
        // A pipe row of `-` cells only is taken for a `|---|` rule line
        // (layout::text::is_markdown_rule) and dropped: write 0s instead.
        Layout::Markdown if vals.iter().all(|v| v == "-") => plain.iter().map(u64::to_string).collect(),
        _ => unmarked(vals, &plain),
    };
    match st.layout {
        Layout::Tab | Layout::Markdown | Layout::Html | Layout::Docx => {
            let mut h1 = strs(&["行政复议", "", "", "", "", "行政诉讼"]);
            h1.resize(15, String::new());
            let mut h2 = outcome.clone();
            h2.push("未经复议直接起诉".into());
            h2.resize(10, String::new());
            h2.push("复议后起诉".into());
            h2.resize(15, String::new());
            let mut h3 = vec![String::new(); 5];
            h3.extend(outcome.iter().cloned());
            h3.extend(outcome.iter().cloned());
            o.line(&grid_line(st, &h1));
            if st.layout == Layout::Markdown {
                o.line(&md_rule(15));
            }
            o.line(&grid_line(st, &h2));
            o.line(&grid_line(st, &h3));
            o.line(&grid_line(st, &vals));
            o.blank();
        }
        Layout::OneCell => {
            let mut cells = strs(&["行政复议", "行政诉讼"]);
            cells.extend(outcome.iter().cloned());
            cells.push("未经复议直接起诉".into());
            cells.extend(outcome.iter().cloned());
            cells.push("复议后起诉".into());
            cells.extend(outcome.iter().cloned());
            for c in cells.iter().chain(&vals) {
                o.line(c);
                o.blank();
            }
        }
        Layout::Spaces => {
            o.line(&format!("  行政复议{}行政诉讼", " ".repeat(44)));
            o.line(&format!("{}未经复议直接起诉{}复议后起诉", " ".repeat(52), " ".repeat(34)));
            let mut h = String::new();
            for (k, c) in outcome.iter().cycle().take(15).enumerate() {
                pad_to(&mut h, 2 + 10 * k);
                h.push_str(c);
            }
            o.line(&h);
            let mut l = String::new();
            put_values(&mut l, &vals, 0, 10);
            o.line(&l);
            o.blank();
        }
        Layout::Raw => {
            o.line("行政复议 行政诉讼");
            for w in outcome.iter().take(5) {
                for part in w.split(' ') {
                    o.line(part);
                }
            }
            o.line("未经复议直接起诉 复议后起诉");
            o.line(&vals.join(" "));
        }
    }
}

/// Write `report` as the text of a whole annual report in `layout`: title,
/// the six sections with their prose, and tables 2, 3 and 4 with their
/// headers. Character variants (brackets, digits, numbering, blank markers,
/// stray spaces, wrapped labels) are drawn from `rng`, once per document.
///
/// The title names `report.county` most of the time, not always: a reader of
/// the result finds the county in the title or must be given it.
///
/// For [`Layout::Html`] the text is the page (declaring UTF-8); for
/// [`Layout::Docx`] it is the package's `word/document.xml`. Write files
/// with [`render_bytes`], which draws from `rng` after this.
pub fn render(report: &Report, layout: Layout, rng: &mut Rng) -> String {
    let st = Style::new(rng, layout);
    if matches!(layout, Layout::Html | Layout::Docx) {
        let b = blocks(report, &st, rng);
        return if layout == Layout::Html { html_page(report, &b, rng) } else { docx_document(report, &b, rng) };
    }
    let mut o = Out::default();
    let mut page = 1;
    for l in title_lines(report, &st, rng) {
        let l = if layout == Layout::Spaces { format!("{}{l}", " ".repeat(16)) } else { l };
        o.line(&l);
    }
    if layout != Layout::Raw {
        o.blank();
    }
    heading(&mut o, &st, rng, "一、总体情况");
    let paragraphs = intro(report, &st, rng);
    prose(&mut o, &st, rng, &paragraphs, &mut page);
    heading(&mut o, &st, rng, "二、主动公开政府信息情况");
    render_table2(&mut o, report, &st, rng);
    heading(&mut o, &st, rng, "三、收到和处理政府信息公开申请情况");
    render_table3(&mut o, report, &st, rng, &mut page);
    heading(&mut o, &st, rng, "四、政府信息公开行政复议、行政诉讼情况");
    render_table4(&mut o, report, &st, rng);
    heading(&mut o, &st, rng, "五、存在的主要问题及改进情况");
    prose(&mut o, &st, rng, &problems(), &mut page);
    heading(&mut o, &st, rng, "六、其他需要报告的事项");
    prose(&mut o, &st, rng, &other_matters(report), &mut page);
    o.0
}

// ---------------------------------------------------------------- web pages and Word files

/// What a cell of a page or Word table holds.
enum CellText {
    /// A label, in pieces a `<br>` / `w:br` breaks apart (a wrapped label).
    Label(Vec<String>),
    /// A value as written, in pieces the markup splits it into (`<span>1</span>
    /// <span>2</span>`, two runs); no pieces: a blank cell (`&nbsp;`, an
    /// empty paragraph).
    Value(Vec<String>),
}

/// A cell of a page or Word table: its text and how many grid columns and
/// rows it covers. A row lists only the cells that start in it, as HTML does.
struct GridCell {
    text: CellText,
    colspan: usize,
    rowspan: usize,
}

/// The report as a page or Word document sees it: blocks in order.
enum Block {
    Title(String),
    Heading(String),
    Para(String),
    Table(Vec<Vec<GridCell>>),
}

fn lab(rng: &mut Rng, s: &str, colspan: usize, rowspan: usize) -> GridCell {
    // Editors break long labels (and now and then a short one) with <br>;
    // the reader joins a cell's pieces without a separator.
    let chars: Vec<char> = s.chars().collect();
    let pieces = if chars.len() >= 4 && rng.chance(if chars.len() > 12 { 30 } else { 8 }) {
        let at = rng.range(2, chars.len() as u64 - 2) as usize;
        vec![chars[..at].iter().collect::<String>(), chars[at..].iter().collect::<String>()]
    } else {
        vec![s.to_string()]
    };
    GridCell { text: CellText::Label(pieces), colspan, rowspan }
}

/// A value cell from its written form: empty is a blank cell; a number of
/// two or more digits is now and then split in two pieces (a span or a run
/// each), as editors and Word leave them after an edit.
fn val(rng: &mut Rng, s: String) -> GridCell {
    let chars: Vec<char> = s.chars().collect();
    let pieces = if s.is_empty() {
        Vec::new()
    } else if chars.len() >= 2 && rng.chance(12) {
        let at = rng.range(1, chars.len() as u64 - 1) as usize;
        vec![chars[..at].iter().collect::<String>(), chars[at..].iter().collect::<String>()]
    } else {
        vec![s]
    };
    GridCell { text: CellText::Value(pieces), colspan: 1, rowspan: 1 }
}

fn table2_grids(report: &Report, st: &Style, rng: &mut Rng) -> Vec<Block> {
    let groups = table2_text(report, st, rng);
    if rng.chance(40) {
        // The State Council template's single table: four columns, the
        // 2021 form's one-measure items' header and value spanning the
        // three value columns (tests/fixtures/html/table2-colspan-2024.html),
        // the 2019 form's two-measure rows ending early.
        let mut grid = Vec::new();
        for (article, header, rows) in groups {
            grid.push(vec![lab(rng, &article, 4, 1)]);
            let span = if header.len() == 2 { 3 } else { 1 };
            let mut h = vec![lab(rng, &header[0], 1, 1)];
            h.extend(header[1..].iter().map(|x| lab(rng, x, span, 1)));
            grid.push(h);
            for (label, vals) in rows {
                let mut r = vec![lab(rng, &label, 1, 1)];
                for v in vals {
                    let mut c = val(rng, v);
                    c.colspan = span;
                    r.push(c);
                }
                grid.push(r);
            }
        }
        return vec![Block::Table(grid)];
    }
    // One small table per article of 第二十条, as many sites lay it out.
    groups
        .into_iter()
        .map(|(article, header, rows)| {
            let n = header.len();
            let mut grid = vec![vec![lab(rng, &article, n, 1)]];
            grid.push(header.iter().map(|h| lab(rng, h, 1, 1)).collect());
            for (label, vals) in rows {
                let mut r = vec![lab(rng, &label, 1, 1)];
                r.extend(vals.into_iter().map(|v| val(rng, v)));
                grid.push(r);
            }
            Block::Table(grid)
        })
        .collect()
}

fn table3_grid(report: &Report, st: &Style, rng: &mut Rng) -> Block {
    let rows = table3_text(report, st, rng);
    let mut grid = vec![
        vec![lab(rng, COLUMN_NOTE, 3, 3), lab(rng, "申请人情况", 7, 1)],
        vec![lab(rng, "自然人", 1, 2), lab(rng, "法人或其他组织", 5, 1), lab(rng, "总计", 1, 2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"].iter().map(|h| lab(rng, h, 1, 1)).collect(),
    ];
    let framing = [idx("new_requests"), idx("carried_over"), idx("carried_forward")];
    let outcomes = rows.iter().filter(|r| !framing.contains(&r.row)).count();
    for (k, r) in rows.iter().enumerate() {
        let mut cells = Vec::new();
        if framing.contains(&r.row) {
            cells.push(lab(rng, &r.cells[last_label(&r.cells)], 3, 1));
        } else {
            if !r.cells[0].is_empty() {
                // 三、本年度办理结果, down the side of every outcome row.
                cells.push(lab(rng, &r.cells[0], 1, outcomes));
            }
            match (r.cells[1].is_empty(), r.cells[2].is_empty()) {
                (false, true) => cells.push(lab(rng, &r.cells[1], 2, 1)),
                (false, false) => {
                    // A group label, down the side of its sub-rows.
                    let subs = 1 + rows[k + 1..]
                        .iter()
                        .take_while(|n| n.cells[1].is_empty() && !n.cells[2].is_empty())
                        .count();
                    cells.push(lab(rng, &r.cells[1], 1, subs));
                    cells.push(lab(rng, &r.cells[2], 1, 1));
                }
                _ => cells.push(lab(rng, &r.cells[2], 1, 1)),
            }
        }
        for c in 0..NCOLS {
            let v = st.num(rng, r.values[c], false);
            cells.push(val(rng, v));
        }
        grid.push(cells);
    }
    maybe_unmerged(rng, grid)
}

fn table4_grid(report: &Report, st: &Style, rng: &mut Rng) -> Block {
    let heads: Vec<&str> = schema::TABLE4_COLUMNS.iter().map(|c| c.label).collect();
    let mut h2: Vec<GridCell> = heads.iter().map(|h| lab(rng, h, 1, 2)).collect();
    h2.push(lab(rng, "未经复议直接起诉", 5, 1));
    h2.push(lab(rng, "复议后起诉", 5, 1));
    let h3: Vec<GridCell> = heads.iter().chain(&heads).map(|h| lab(rng, h, 1, 1)).collect();
    let mut values = Vec::new();
    for v in t4(report).iter().flatten() {
        let s = st.num(rng, *v, false);
        values.push(val(rng, s));
    }
    let rows = vec![vec![lab(rng, "行政复议", 5, 1), lab(rng, "行政诉讼", 10, 1)], h2, h3, values];
    maybe_unmerged(rng, rows)
}

/// The same table without vertical merges: a cell spanning rows keeps its
/// first row and the rows below get an empty cell in its place, as editors
/// who never merge cells (or a converter that undid the merges) leave it.
fn unmerged(rows: Vec<Vec<GridCell>>) -> Vec<Vec<GridCell>> {
    let ncols = rows.iter().map(|r| r.iter().map(|c| c.colspan).sum::<usize>()).max().unwrap_or(1);
    let mut active: Vec<Option<(usize, usize)>> = vec![None; ncols + 1];
    let mut out = Vec::new();
    for r in rows {
        let mut row = Vec::new();
        let mut col = 0;
        let mut cells = r.into_iter();
        loop {
            if let Some(Some((left, span))) = active.get(col).copied() {
                row.push(GridCell { text: CellText::Label(Vec::new()), colspan: span, rowspan: 1 });
                active[col] = if left > 1 { Some((left - 1, span)) } else { None };
                col += span;
                continue;
            }
            let Some(mut c) = cells.next() else { break };
            // A cell in the last column (table 3's 总计) stays merged; the
            // unmerged case is tested on its own in tests/roundtrip.rs
            // (gap_html_total_header_not_merged_down).
            if col + c.colspan < ncols {
                if c.rowspan > 1 && col < active.len() {
                    active[col] = Some((c.rowspan - 1, c.colspan));
                }
                c.rowspan = 1;
            }
            col += c.colspan;
            row.push(c);
        }
        out.push(row);
    }
    out
}

/// Now and then a table whose merges were undone ([`unmerged`]).
fn maybe_unmerged(rng: &mut Rng, rows: Vec<Vec<GridCell>>) -> Block {
    Block::Table(if rng.chance(15) { unmerged(rows) } else { rows })
}

/// The report as blocks: title, sections with their prose, the tables.
fn blocks(report: &Report, st: &Style, rng: &mut Rng) -> Vec<Block> {
    let mut b = vec![Block::Title(title_lines(report, st, rng).concat())];
    let paras = |b: &mut Vec<Block>, ps: Vec<String>| b.extend(ps.into_iter().map(Block::Para));
    b.push(Block::Heading("一、总体情况".into()));
    paras(&mut b, intro(report, st, rng));
    b.push(Block::Heading("二、主动公开政府信息情况".into()));
    b.extend(table2_grids(report, st, rng));
    b.push(Block::Heading("三、收到和处理政府信息公开申请情况".into()));
    b.push(table3_grid(report, st, rng));
    b.push(Block::Heading("四、政府信息公开行政复议、行政诉讼情况".into()));
    b.push(table4_grid(report, st, rng));
    b.push(Block::Heading("五、存在的主要问题及改进情况".into()));
    paras(&mut b, problems());
    b.push(Block::Heading("六、其他需要报告的事项".into()));
    paras(&mut b, other_matters(report));
    b
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const NAV_LINKS: [(&str, &str); 6] = [
    ("/", "网站首页"),
    ("/zwgk/", "政务公开"),
    ("/zwgk/zfxxgk/", "政府信息公开"),
    ("/zwgk/ndbg/", "政府信息公开年度报告"),
    ("/hdjl/", "互动交流"),
    ("/bsfw/", "办事服务"),
];

const LONG_CRUMB: &str = "<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; <a href=\"/zwgk/zfxxgk/\">政府信息公开</a> &gt; <a href=\"/zwgk/ndbg/\">政府信息公开年度报告</a> &gt; <a href=\"/zwgk/ndbg/xz/\">乡镇（街道）年度报告</a></div>\n";
const SHORT_CRUMB: &str = "<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/ndbg/\">政府信息公开年度报告</a></div>\n";

fn html_cell(o: &mut String, c: &GridCell, tag: &str, rng: &mut Rng) {
    o.push('<');
    o.push_str(tag);
    if c.colspan > 1 {
        o.push_str(&format!(" colspan=\"{}\"", c.colspan));
    }
    if c.rowspan > 1 {
        o.push_str(&format!(" rowspan=\"{}\"", c.rowspan));
    }
    o.push_str(" style=\"border:1px solid #000\">");
    // Pretty-printed markup: the cell's content on a line of its own.
    let pretty = rng.chance(10);
    if pretty {
        o.push_str("\n    ");
    }
    match &c.text {
        CellText::Label(pieces) => {
            let body: Vec<String> = pieces.iter().map(|p| esc(p)).collect();
            match rng.below(4) {
                0 | 1 => o.push_str(&format!("<p><span>{}</span></p>", body.join("<br />"))),
                // A label typed as two paragraphs in the cell.
                2 => body.iter().for_each(|b| o.push_str(&format!("<p>{b}</p>"))),
                _ => o.push_str(&body.join("<br>")),
            }
        }
        CellText::Value(pieces) if pieces.is_empty() => o.push_str(match rng.below(4) {
            0 => "<p style=\"text-align:center\"><span>&nbsp;</span></p>",
            1 => "",
            _ => "&nbsp;",
        }),
        CellText::Value(pieces) => {
            let spans: String = if pieces.len() > 1 || rng.chance(50) {
                pieces.iter().map(|p| format!("<span>{}</span>", esc(p))).collect()
            } else {
                esc(&pieces[0])
            };
            // Word's web export pads with &nbsp; and leaves comments behind.
            let spans = match rng.below(40) {
                0 => format!("{spans}&nbsp;"),
                1 => format!("&nbsp;{spans}"),
                2 => format!("<!--[if !supportMisalignedColumns]-->{spans}<!--[endif]-->"),
                3 => format!("{spans}<o:p></o:p>"),
                _ => spans,
            };
            if rng.chance(60) {
                o.push_str(&format!("<p style=\"text-align:center\">{spans}</p>"));
            } else {
                o.push_str(&spans);
            }
        }
    }
    if pretty {
        o.push_str("\n  ");
    }
    o.push_str(&format!("</{tag}>"));
}

/// A whole page as a government site serves it: head, a navigation list
/// and a table of menu links, the report (title in `<h1>`, prose in `<p>`,
/// tables with rowspan/colspan), a footer.
fn html_page(report: &Report, blocks: &[Block], rng: &mut Rng) -> String {
    let title = match blocks.first() {
        Some(Block::Title(t)) => t.clone(),
        _ => String::new(),
    };
    let site = format!("{}人民政府", report.county.as_deref().unwrap_or(""));
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n");
    o.push_str("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n");
    o.push_str(&format!(
        "<title>{}_{}</title>\n<style type=\"text/css\">.nav td {{ padding: 0 12px; }}</style>\n",
        esc(&title),
        esc(&site)
    ));
    o.push_str("<script type=\"text/javascript\">var _hmt = _hmt || [];</script>\n</head>\n<body>\n");
    o.push_str("<div class=\"top\">\n<ul class=\"links\">");
    for (href, text) in NAV_LINKS.iter().take(3) {
        o.push_str(&format!("<li><a href=\"{href}\">{text}</a></li>"));
    }
    if rng.chance(30) {
        // A menu entry named like the report, without unit or year.
        o.push_str("<li><a href=\"/zwgk/ndbg/\">政府信息公开工作年度报告</a></li>");
    }
    o.push_str("</ul>\n<table class=\"nav\" cellspacing=\"0\" cellpadding=\"0\"><tr>");
    for (href, text) in NAV_LINKS {
        o.push_str(&format!("<td><a href=\"{href}\">{text}</a></td>"));
    }
    o.push_str("</tr></table>\n</div>\n");
    let crumb = rng.chance(50);
    let short_crumb = crumb && rng.chance(50);
    if crumb {
        o.push_str(if short_crumb { SHORT_CRUMB } else { LONG_CRUMB });
    }
    let sidebar = rng.chance(25);
    if sidebar {
        // Earlier years' reports of the unit, listed before the title.
        o.push_str("<div class=\"left\"><h3>年度报告</h3><ul>");
        for y in 1..=2 {
            o.push_str(&format!(
                "<li><a href=\"/a/{0}.html\">{1}{2}人民政府{0}年政府信息公开工作年度报告</a></li>",
                report.year - y,
                esc(report.county.as_deref().unwrap_or("")),
                esc(&report.unit)
            ));
        }
        o.push_str("</ul></div>\n");
    }
    // Older CMS pages put the article in a layout table.
    let layout_table = rng.chance(20);
    if layout_table {
        o.push_str("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\"><tr><td valign=\"top\">\n");
    }
    o.push_str("<div class=\"article\">\n");
    for b in blocks {
        match b {
            Block::Title(t) => {
                // A long title broken after the organ's name now and then
                // (not under a short breadcrumb, which the reader then joins
                // to the title, nor after a sidebar of earlier reports, one
                // of which the reader then takes for the title: ignored
                // tests gap_html_*_above_a_title_broken_by_br).
                let t = match t.find("人民政府") {
                    Some(at) if at > 0 && !short_crumb && !sidebar && rng.chance(20) => {
                        let at = at + "人民政府".len();
                        format!("{}<br />{}", esc(&t[..at]), esc(&t[at..]))
                    }
                    _ => esc(t),
                };
                if rng.chance(70) {
                    o.push_str(&format!("<h1 class=\"title\">{t}</h1>\n"));
                } else {
                    const OPEN: &str =
                        "<p class=\"title\" style=\"text-align:center\"><strong><span style=\"font-size:22px\">";
                    const CLOSE: &str = "</span></strong></p>";
                    // A broken title as two centred paragraphs, now and then.
                    let t = if rng.chance(50) { t.replace("<br />", &format!("{CLOSE}{OPEN}")) } else { t };
                    o.push_str(&format!("{OPEN}{t}{CLOSE}\n"));
                }
                if rng.chance(50) {
                    o.push_str(&format!(
                        "<div class=\"info\">发布时间：{}-01-20&nbsp;&nbsp;来源：{}人民政府</div>\n",
                        report.year + 1,
                        esc(&report.unit)
                    ));
                }
                o.push_str("<div class=\"content\">\n");
            }
            Block::Heading(h) => {
                if rng.chance(50) {
                    o.push_str(&format!("<p><strong>{}</strong></p>\n", esc(h)));
                } else {
                    o.push_str(&format!("<h3>{}</h3>\n", esc(h)));
                }
            }
            Block::Para(p) => {
                if rng.chance(30) {
                    // Indented by hand, as pasted from Word.
                    o.push_str(&format!("<p>　　{}</p>\n", esc(p)));
                } else {
                    o.push_str(&format!("<p style=\"text-indent:2em\">{}</p>\n", esc(p)));
                }
            }
            Block::Table(rows) => {
                o.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\"><tbody>\n");
                // Some sites write the header rows (those before the first
                // row with values) as <th>.
                let th = rng.chance(20);
                let mut head = true;
                for r in rows {
                    head &= !r.iter().any(|c| matches!(c.text, CellText::Value(_)));
                    let tag = if th && head { "th" } else { "td" };
                    o.push_str("<tr>");
                    for c in r {
                        html_cell(&mut o, c, tag, rng);
                    }
                    o.push_str("</tr>\n");
                }
                o.push_str("</tbody></table>\n");
            }
        }
    }
    o.push_str(&format!(
        "<p style=\"text-align:right\">{}人民政府<br />{}年1月20日</p>\n</div>\n</div>\n",
        esc(&report.unit),
        report.year + 1
    ));
    if layout_table {
        o.push_str("</td></tr></table>\n");
    }
    if rng.chance(30) {
        // Related links after the article: other reports of the unit.
        o.push_str("<div class=\"related\"><h3>相关链接</h3><ul>");
        for y in [report.year - 1, report.year - 2] {
            o.push_str(&format!(
                "<li><a href=\"/a/{y}.html\">{}{}人民政府{y}年政府信息公开工作年度报告</a></li>",
                esc(report.county.as_deref().unwrap_or("")),
                esc(&report.unit)
            ));
        }
        o.push_str("</ul></div>\n");
    }
    o.push_str(&format!(
        "<div class=\"footer\">\n<p>主办：{}办公室&nbsp;&nbsp;技术支持：大数据中心</p>\n<p>网站标识码：4114210001</p>\n</div>\n</body>\n</html>\n",
        esc(&site)
    ));
    o
}

fn w_run(text: &str) -> String {
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"21\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        esc(text)
    )
}

fn w_para(runs: &str, center: bool) -> String {
    let ppr = if center { "<w:pPr><w:jc w:val=\"center\"/></w:pPr>" } else { "" };
    format!("<w:p>{ppr}{runs}</w:p>")
}

fn w_cell(content: &str, span: usize, vmerge: Option<bool>) -> String {
    let gs = if span > 1 { format!("<w:gridSpan w:val=\"{span}\"/>") } else { String::new() };
    let vm = match vmerge {
        Some(true) => "<w:vMerge w:val=\"restart\"/>",
        Some(false) => "<w:vMerge/>",
        None => "",
    };
    let content = if content.is_empty() { "<w:p/>" } else { content };
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{gs}{vm}<w:vAlign w:val=\"center\"/></w:tcPr>{content}</w:tc>",
        900 * span
    )
}

/// A table in WordprocessingML: a cell spanning columns carries w:gridSpan;
/// one spanning rows starts a w:vMerge that the rows below continue with an
/// empty cell of the same span at the same grid column.
fn w_table(rows: &[Vec<GridCell>], rng: &mut Rng) -> String {
    // Every cell ruled, as Word's 网格型 table style and the published form
    // draw it (a PDF made of it then has its cells' borders).
    const BORDERS: &str = "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
        <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
        <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
        <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
        <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
        <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders>";
    let ncols = rows.iter().map(|r| r.iter().map(|c| c.colspan).sum::<usize>()).max().unwrap_or(1);
    // Per grid column: (rows still covered, span) of a vertical merge.
    let mut active: Vec<Option<(usize, usize)>> = vec![None; ncols + 1];
    let mut out = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/>{BORDERS}</w:tblPr><w:tblGrid>",
    );
    // Columns of 900 twips, narrower where that would not fit A4's text
    // width (9,000 twips between the default margins): table 4's fifteen
    // columns fit the page as a unit's report prints it.
    let col = (9000 / ncols.max(1)).min(900);
    out.push_str(&format!("<w:gridCol w:w=\"{col}\"/>").repeat(ncols));
    // WPS and LibreOffice spell a merge's continuation out.
    let explicit_continue = rng.chance(30);
    out.push_str("</w:tblGrid>");
    for r in rows {
        out.push_str("<w:tr><w:trPr><w:trHeight w:val=\"454\"/></w:trPr>");
        let mut col = 0;
        let mut cells = r.iter();
        loop {
            if let Some(Some((left, span))) = active.get(col).copied() {
                let cont = w_cell("", span, Some(false));
                out.push_str(&if explicit_continue {
                    cont.replace("<w:vMerge/>", "<w:vMerge w:val=\"continue\"/>")
                } else {
                    cont
                });
                active[col] = if left > 1 { Some((left - 1, span)) } else { None };
                col += span;
                continue;
            }
            let Some(c) = cells.next() else { break };
            let content = match &c.text {
                CellText::Label(pieces) => {
                    let runs: Vec<String> = pieces.iter().map(|p| w_run(p)).collect();
                    match rng.below(3) {
                        0 => w_para(&runs.join("<w:r><w:br/></w:r>"), true),
                        // A wrapped label typed as paragraphs of the cell.
                        1 => runs.iter().map(|r| w_para(r, true)).collect(),
                        // One line in runs Word split it into.
                        _ => w_para(&runs.concat(), true),
                    }
                }
                CellText::Value(pieces) if pieces.is_empty() => {
                    if rng.chance(30) {
                        // A blank typed as a space.
                        w_para(&w_run(" "), true)
                    } else {
                        String::new()
                    }
                }
                CellText::Value(pieces) => {
                    let mut runs: String = pieces.iter().map(|p| w_run(p)).collect();
                    if pieces.len() > 1 && rng.chance(50) {
                        // Proofing marks between the runs, as Word leaves them.
                        runs = runs.replacen("</w:r><w:r>", "</w:r><w:proofErr w:type=\"gramStart\"/><w:r>", 1);
                    }
                    if rng.chance(3) {
                        // An edit left as a tracked change: the old number
                        // deleted before the new one.
                        runs = format!(
                            "<w:del w:id=\"1\" w:author=\"admin\"><w:r><w:delText>{}</w:delText></w:r></w:del><w:ins w:id=\"2\" w:author=\"admin\">{runs}</w:ins>",
                            rng.range(1, 99)
                        );
                    }
                    w_para(&runs, true)
                }
            };
            let vmerge = (c.rowspan > 1).then_some(true);
            out.push_str(&w_cell(&content, c.colspan, vmerge));
            if c.rowspan > 1 && col < active.len() {
                active[col] = Some((c.rowspan - 1, c.colspan));
            }
            col += c.colspan;
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// `word/document.xml` of the report: paragraphs for the title, headings
/// and prose, w:tbl tables.
fn docx_document(report: &Report, blocks: &[Block], rng: &mut Rng) -> String {
    let mut o = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>",
    );
    if rng.chance(15) {
        // An official document's number above the title, after an empty
        // paragraph: 某镇政〔2025〕3号.
        o.push_str(&format!(
            "<w:p/>{}",
            w_para(
                &w_run(&format!(
                    "{}政〔{}〕{}号",
                    report.unit.trim_end_matches(['镇', '乡']),
                    report.year + 1,
                    rng.range(1, 30)
                )),
                true
            )
        ));
    }
    for b in blocks {
        match b {
            Block::Title(t) => {
                // Word users break a long title after the organ's name, with
                // a line break or as two centred paragraphs.
                let t = match t.find("人民政府") {
                    Some(at) if rng.chance(30) && at > 0 => {
                        let at = at + "人民政府".len();
                        let br = if rng.chance(50) {
                            "</w:t></w:r><w:r><w:br/></w:r>"
                        } else {
                            "</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
                        };
                        format!(
                            "{}{br}<w:r><w:rPr><w:b/><w:sz w:val=\"44\"/></w:rPr><w:t>{}",
                            esc(&t[..at]),
                            esc(&t[at..])
                        )
                    }
                    _ => esc(t),
                };
                o.push_str(&w_para(
                    &format!("<w:r><w:rPr><w:b/><w:sz w:val=\"44\"/></w:rPr><w:t>{t}</w:t></w:r>"),
                    true,
                ))
            }
            Block::Heading(h) => {
                o.push_str(&w_para(&format!("<w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r>", esc(h)), false))
            }
            Block::Para(p) => o.push_str(&w_para(&w_run(p), false)),
            Block::Table(rows) => {
                o.push_str(&w_table(rows, rng));
                // Word keeps a paragraph between two tables, or merges them.
                o.push_str("<w:p/>");
            }
        }
    }
    o.push_str("<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>");
    o
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

/// The smallest package Word opens, deflated, with the zip format's fixed
/// default date so that the same document gives the same bytes.
fn docx_package(document: &str) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let parts =
        [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS), ("word/document.xml", document)];
    for (name, body) in parts {
        // Writing to memory cannot fail but for a bug in the zip crate.
        w.start_file(name, opts).expect("zip entry in memory");
        w.write_all(body.as_bytes()).expect("zip write in memory");
    }
    w.finish().expect("zip finish in memory").into_inner()
}

/// Write `report` as the bytes of a file in `layout`: a text layout's
/// [`render`] as UTF-8; a page as UTF-8 or now and then GBK (its meta
/// charset saying so); a Word file as a .docx package. The same seed gives
/// the same bytes.
pub fn render_bytes(report: &Report, layout: Layout, rng: &mut Rng) -> Vec<u8> {
    let text = render(report, layout, rng);
    match layout {
        Layout::Html => match rng.below(8) {
            0 | 1 => {
                let gbk = text.replacen("charset=utf-8", "charset=gbk", 1);
                encoding_rs::GBK.encode(&gbk).0.into_owned()
            }
            2 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            _ => text.into_bytes(),
        },
        Layout::Docx => docx_package(&text),
        _ => text.into_bytes(),
    }
}

// ---------------------------------------------------------------- folders

/// The townships of 民权县 (without 人和镇, whose real report is the seed),
/// so the sample data reads like the real county.
pub const MINQUAN_UNITS: [&str; 15] = [
    "城关镇",
    "龙塘镇",
    "北关镇",
    "程庄镇",
    "王庄寨镇",
    "孙六镇",
    "白云寺镇",
    "双塔镇",
    "花园乡",
    "野岗乡",
    "胡集乡",
    "老颜集乡",
    "褚庙乡",
    "林七乡",
    "伯党乡",
];

const NAME_FIRST: [&str; 20] = [
    "东", "西", "南", "北", "新", "大", "小", "高", "马", "王", "李", "张", "刘", "陈", "杨", "黄", "周", "吴", "孙",
    "朱",
];
const NAME_SECOND: [&str; 20] = [
    "庄", "集", "桥", "店", "营", "寨", "楼", "岗", "园", "河", "湖", "山", "坡", "沟", "屯", "铺", "口", "湾", "林",
    "坊",
];

/// `k` distinct unit names: the real townships of 民权县 first, then made-up
/// township names (东庄镇, 西庄乡, …) as many as needed, for benchmarks with
/// thousands of units. No name holds 县/区/市/旗, which a title reader would
/// take for the county.
pub fn unit_names(k: usize) -> Vec<String> {
    let mut out: Vec<String> = MINQUAN_UNITS.iter().take(k).map(|s| s.to_string()).collect();
    let mut i = 0usize;
    while out.len() < k {
        let suffix = if i.is_multiple_of(2) { "镇" } else { "乡" };
        let mut j = i / 2;
        let mut s = NAME_SECOND[j % 20].to_string();
        j /= 20;
        loop {
            s.insert_str(0, NAME_FIRST[j % 20]);
            j /= 20;
            if j == 0 {
                break;
            }
            j -= 1;
        }
        s.push_str(suffix);
        if !out.contains(&s) && s != "人和镇" {
            out.push(s);
        }
        i += 1;
    }
    out
}

/// What to generate for one county: which units report in which years, in
/// which layouts, and which reports are deliberately wrong.
#[derive(Debug, Clone)]
pub struct CountyPlan {
    /// The county (its folder name, and the county the titles name).
    pub county: String,
    /// The years to write, each in the form of its year.
    pub years: Vec<u16>,
    /// The units, in order; unit `i` is written in `layouts[i % len]`.
    pub units: Vec<String>,
    /// Years in which only the first N units report (a year not listed has
    /// all of them), e.g. an earlier year with fewer reports collected.
    pub count_for: BTreeMap<u16, usize>,
    /// The layouts to spread the units over (all of them when empty).
    pub layouts: Vec<Layout>,
    /// Units whose report of the last year has a row total off by one
    /// ([`break_row_total`]).
    pub broken: Vec<String>,
}

/// One generated file and what it states.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Where it was written.
    pub path: PathBuf,
    /// The county it belongs to (its folder).
    pub county: String,
    /// The report as rendered (broken ones as broken): what the tool must sum.
    pub report: Report,
    /// Its layout.
    pub layout: Layout,
}

/// Write a county's reports as `root/{county}/{year}/{unit}.txt|md|html|docx` and return
/// what each states. A unit's consecutive years are chained ([`successor`]),
/// so carry_chain and in_force_chain pass for them. Each unit draws from its
/// own stream of `seed`, so the result depends only on the seed and the plan.
pub fn write_county(root: &Path, plan: &CountyPlan, seed: u64) -> io::Result<Vec<Generated>> {
    let base = Rng::new(seed).derive(&plan.county);
    let mut years = plan.years.clone();
    years.sort_unstable();
    years.dedup();
    let layouts: &[Layout] = if plan.layouts.is_empty() { &Layout::ALL } else { &plan.layouts };
    let mut out = Vec::new();
    for (ui, unit) in plan.units.iter().enumerate() {
        let mut rng = base.derive(unit);
        let layout = layouts[ui % layouts.len()];
        let mut prev: Option<Report> = None;
        for (yi, &year) in years.iter().enumerate() {
            let n = plan.count_for.get(&year).copied().unwrap_or(plan.units.len());
            if ui >= n {
                prev = None;
                continue;
            }
            let report = match &prev {
                Some(p) if p.year + 1 == year => successor(&mut rng, p, year),
                _ => random_report(&mut rng, Format::for_year(year), year, &plan.county, unit),
            };
            let mut stated = report.clone();
            if yi + 1 == years.len() && plan.broken.contains(unit) {
                break_row_total(&mut stated);
            }
            let bytes = render_bytes(&stated, layout, &mut rng);
            let dir = root.join(&plan.county).join(year.to_string());
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(format!("{unit}.{}", layout.extension()));
            std::fs::write(&path, bytes)?;
            out.push(Generated { path, county: plan.county.clone(), report: stated, layout });
            prev = Some(report);
        }
    }
    Ok(out)
}

#[derive(Default)]
struct Sums {
    units: u64,
    requests: BTreeMap<usize, ([u64; NCOLS], u64)>,
    proactive: BTreeMap<(Format, usize, usize), (Decimal, u64)>,
    review: [[u64; 5]; 3],
}

/// Write the CSV files the tool should produce for these reports
/// (`requests.csv`, `proactive.csv`, `review_litigation.csv`, UTF-8 without
/// BOM, CRLF, as `county-rollup --no-bom` writes them), summed here
/// independently of the tool's own code: the expected answer of a benchmark
/// or folder test.
pub fn write_truth(dir: &Path, reports: &[(String, Report)]) -> io::Result<()> {
    let mut sums: BTreeMap<(String, u16), Sums> = BTreeMap::new();
    for (county, r) in reports {
        let s = sums.entry((county.clone(), r.year)).or_default();
        s.units += 1;
        for (i, row) in r.table3.rows.iter().enumerate() {
            let Some(v) = row else { continue };
            let slot = s.requests.entry(i).or_insert(([0; NCOLS], 0));
            for (sum, x) in slot.0.iter_mut().zip(v) {
                *sum += x;
            }
            slot.1 += 1;
        }
        let mut k = 0;
        for (ii, item) in schema::table2_items(r.format).iter().enumerate() {
            for mi in 0..item.measures.len() {
                let slot = s.proactive.entry((r.format, ii, mi)).or_insert((Decimal(0), 0));
                slot.0 = Decimal(slot.0.0 + t2(r).get(k).map_or(0, |d| d.0));
                slot.1 += 1;
                k += 1;
            }
        }
        for p in 0..3 {
            for c in 0..5 {
                s.review[p][c] += t4(r)[p][c];
            }
        }
    }
    std::fs::create_dir_all(dir)?;
    let open = |name: &str| -> io::Result<csv::Writer<std::fs::File>> {
        Ok(csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(std::fs::File::create(dir.join(name))?))
    };
    let mut req = open("requests.csv")?;
    let mut pro = open("proactive.csv")?;
    let mut rev = open("review_litigation.csv")?;
    req.write_record([
        "county",
        "year",
        "units",
        "row",
        "label",
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "social_welfare_org",
        "legal_service_org",
        "other_org",
        "total",
    ])?;
    pro.write_record(["county", "year", "units", "item", "measure", "label", "value"])?;
    rev.write_record(["county", "year", "units", "proceeding", "upheld", "corrected", "other", "pending", "total"])?;
    for ((county, year), s) in &sums {
        let year = year.to_string();
        // `units` is the number of reports summed into the table, the same on
        // every row (FORMAT.md section 4): every generated report has all
        // three tables.
        for (i, (v, _)) in &s.requests {
            let def = &TABLE3_ROWS[*i];
            let mut rec = vec![county.clone(), year.clone(), s.units.to_string(), def.key.into(), def.label.into()];
            rec.extend(v.iter().map(u64::to_string));
            req.write_record(&rec)?;
        }
        for ((format, ii, mi), (v, _)) in &s.proactive {
            let item = &schema::table2_items(*format)[*ii];
            let m = &item.measures[*mi];
            let label = format!("{} / {}", item.label, m.label);
            pro.write_record([county.as_str(), &year, &s.units.to_string(), item.key, m.key, &label, &v.to_string()])?;
        }
        for (p, vals) in schema::TABLE4_PROCEEDINGS.iter().zip(&s.review) {
            let mut rec = vec![county.clone(), year.clone(), s.units.to_string(), p.key.into()];
            rec.extend(vals.iter().map(u64::to_string));
            rev.write_record(&rec)?;
        }
    }
    req.flush()?;
    pro.flush()?;
    rev.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consistent(r: &Report) {
        let t = &r.table3;
        for v in t.rows.iter().flatten() {
            assert_eq!(v[..TOTAL_COL].iter().sum::<u64>(), v[TOTAL_COL]);
        }
        for c in county_rollup::schema::Col::ALL {
            let col = |k: Row| t.cell(k, c);
            assert_eq!(t.outcomes(c), col(Row::TotalProcessed));
            assert_eq!(
                col(Row::NewRequests) + col(Row::CarriedOver),
                col(Row::TotalProcessed) + col(Row::CarriedForward)
            );
        }
        for p in &t4(r) {
            assert_eq!(p[..4].iter().sum::<u64>(), p[4]);
        }
        assert_eq!(t2(r).len(), schema::table2_items(r.format).iter().map(|i| i.measures.len()).sum::<usize>());
    }

    #[test]
    fn reports_add_up_and_are_deterministic() {
        for seed in 0..300 {
            let year = 2019 + (seed % 7) as u16;
            let r = random_report(&mut Rng::new(seed), Format::for_year(year), year, "民权县", "城关镇");
            consistent(&r);
            assert_eq!(r, random_report(&mut Rng::new(seed), Format::for_year(year), year, "民权县", "城关镇"));
            let next = successor(&mut Rng::new(seed + 1), &r, year + 1);
            consistent(&next);
            assert_eq!(next.table3.get(Row::CarriedOver), r.table3.get(Row::CarriedForward));
        }
    }

    #[test]
    fn rendering_is_deterministic() {
        let r = random_report(&mut Rng::new(7), Format::F2021, 2024, "民权县", "城关镇");
        for l in Layout::EVERY {
            assert_eq!(render(&r, l, &mut Rng::new(1)), render(&r, l, &mut Rng::new(1)));
            assert_eq!(render_bytes(&r, l, &mut Rng::new(1)), render_bytes(&r, l, &mut Rng::new(1)));
        }
        for l in Layout::ALL {
            assert_eq!(render_bytes(&r, l, &mut Rng::new(1)), render(&r, l, &mut Rng::new(1)).into_bytes());
        }
    }

    #[test]
    fn word_merges_continue_at_their_grid_column() {
        // A cell spanning three columns and three rows, then one spanning
        // two rows: the rows below carry empty continuation cells.
        let c = |s: &str, colspan, rowspan| GridCell { text: CellText::Label(vec![s.to_string()]), colspan, rowspan };
        let rows =
            vec![vec![c("a", 3, 3), c("b", 1, 2), c("c", 1, 1)], vec![c("d", 1, 1)], vec![c("e", 1, 1), c("f", 1, 1)]];
        let xml = w_table(&rows, &mut Rng::new(1));
        assert_eq!(xml.matches("<w:tr>").count(), 3);
        assert_eq!(xml.matches("<w:vMerge/>").count(), 3);
        assert_eq!(xml.matches("<w:vMerge w:val=\"restart\"/>").count(), 2);
        let row2 = xml.split("<w:tr>").nth(2).unwrap_or_default();
        assert!(row2.find("<w:vMerge/>") < row2.find(">d<"), "{row2}");
    }

    #[test]
    fn a_docx_is_a_zip_with_the_three_parts() {
        let r = random_report(&mut Rng::new(3), Format::F2021, 2024, "民权县", "城关镇");
        let bytes = render_bytes(&r, Layout::Docx, &mut Rng::new(3));
        let mut z = zip::ZipArchive::new(io::Cursor::new(bytes)).expect("a zip");
        for part in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"] {
            assert!(z.by_name(part).is_ok(), "{part}");
        }
    }

    #[test]
    fn wrapped_labels_keep_a_head_on_the_first_line() {
        let row = idx("other_no_correction");
        let label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请";
        for seed in 0..200 {
            let pieces = wrap_label(&mut Rng::new(seed), label, row, 3);
            assert!(pieces[0].contains("逾期不补正"), "{pieces:?}");
            assert_eq!(pieces.concat(), label);
        }
    }

    #[test]
    fn unit_names_are_distinct() {
        let names = unit_names(5000);
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 5000);
        assert!(names.iter().all(|n| !n.contains(['县', '区', '市', '旗'])));
    }

    #[test]
    fn layout_names_round_trip() {
        for l in Layout::EVERY {
            assert_eq!(Layout::from_name(l.name()), Some(l));
        }
    }
}
