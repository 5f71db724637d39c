//! Tests of the text rules: normalisation and its fast paths against the
//! character-by-character rule, numbers in their written forms, page
//! markers, the byte-level trims against std's.

use super::fold::{CJK, NORM_CACHE, T2S};
use super::marker::has_marker_char;
use super::number::{may_lead_number, parse_number_slow};
use super::*;

fn val(w: &str) -> Option<i64> {
    parse_number(w).map(|r| r.unwrap().value.0 / SCALE)
}

#[test]
fn cached_normalisation_is_normalisation() {
    // Words drawn from a small pool repeat, so most are answered by the cache.
    let words = random_strings("興國縣（三）1、２属于—a\u{feff}", 5000, 6, 13);
    for w in words.iter().chain(words.iter()) {
        let (mut a, mut b) = (String::from("x"), String::from("x"));
        normalize_word_into(&mut a, w);
        normalize_into(&mut b, w);
        assert_eq!(a, b, "{w:?}");
    }
    assert!(NORM_CACHE.with_borrow(|c| c.len()) > 100, "the words were cached");
}

#[test]
fn space_skips() {
    for s in random_strings("   a", 3000, 40, 3) {
        let b = s.as_bytes();
        for i in 0..=b.len() {
            let want = (i..b.len()).find(|&k| b[k] != b' ').unwrap_or(b.len());
            assert_eq!(skip_spaces(b, i), want, "{s:?} from {i}");
            let back = (0..i).rev().find(|&k| b[k] != b' ').map_or(0, |k| k + 1);
            assert_eq!(skip_spaces_back(b, i), back, "{s:?} back from {i}");
        }
    }
}

#[test]
fn fast_trims_are_std_trims() {
    let pool = "  \t\u{b}\u{c}\r\n1a\u{3000}\u{a0}\u{85}\u{2003}\u{1680}规章（—é𝟙\u{feff}\u{4000}\u{3fff}";
    for s in random_strings(pool, 5000, 10, 7) {
        assert_eq!(trim_start(&s), s.trim_start(), "{s:?}");
        assert_eq!(trim_end(&s), s.trim_end(), "{s:?}");
        assert_eq!(trim(&s), s.trim(), "{s:?}");
    }
}

#[test]
fn numbers_in_their_written_forms() {
    assert_eq!(val("12"), Some(12));
    assert_eq!(val("１２"), Some(12));
    assert_eq!(val("12件"), Some(12));
    assert_eq!(val("1,234"), Some(1234));
    assert_eq!(val("1，234"), Some(1234));
    assert_eq!(val("-3"), Some(-3));
    assert_eq!(val("—"), Some(0));
    assert_eq!(val("/"), Some(0));
    assert_eq!(val("无"), Some(0));
    assert_eq!(parse_number("0.35").unwrap().unwrap().value, Decimal(3500));
    // Folded words with units: only at the end are they units.
    assert_eq!(val("１，２３４件"), Some(1234));
    assert_eq!(val("－１２个"), Some(-12));
    assert_eq!(parse_number("１.５项").unwrap().unwrap().value, Decimal(15000));
    for text in ["1件2", "１件２", "1.件5", "件", "1,2件3", "１２件件x"] {
        assert_eq!(parse_number(text), None, "{text}");
    }
    assert_eq!(val("１２件件"), Some(12));
}

#[test]
fn decimals_and_separators() {
    let v = |w: &str| parse_number(w).map(|r| r.map(|n| n.value));
    assert_eq!(v("0.35"), Some(Ok(Decimal(3500))));
    assert_eq!(v("1.71"), Some(Ok(Decimal(17100))));
    assert_eq!(v("12.0001"), Some(Ok(Decimal(120001))));
    assert_eq!(v("１２．５"), Some(Ok(Decimal(125000))));
    assert_eq!(v("-1,234.5"), Some(Ok(Decimal(-12345000))));
    assert_eq!(v("12,345,678件"), Some(Ok(Decimal(123456780000))));
    assert_eq!(v("1.23456"), None, "too precise to keep exact");
    assert_eq!(v("999,999,999,999"), Some(Ok(Decimal(9999999999990000))));
    assert_eq!(v("1,000,000,000,000"), Some(Err(NumError::TooLarge)));
    assert_eq!(v("99999999999999999999999.5"), Some(Err(NumError::TooLarge)), "beyond u64 too");
}

#[test]
fn text_is_not_a_number() {
    for w in ["1.", "1.属于", "2024年", "12,34", "abc", "", "1,2345", "(一)"] {
        assert_eq!(parse_number(w), None, "{w}");
    }
}

#[test]
fn full_width_digits_read_inline_as_the_general_rule_reads_them() {
    // Every run of one to thirteen full-width digits of a sample, mixed
    // runs and near misses: the inline answer is parse_number_slow's.
    let words = random_strings("０１２３４５６７８９", 3000, 15, 3)
        .into_iter()
        .chain(random_strings("０１９9－，", 1000, 6, 4))
        .chain(
            ["０", "０００", "９９９９９９９９９９９９", "１０００００００００００００", "\u{FF10}\u{FF1A}"]
                .map(String::from),
        );
    for w in words {
        assert_eq!(parse_number(&w), parse_number_slow(&w), "{w}");
    }
    assert_eq!(parse_number("１２"), parse_number("12"));
}

#[test]
fn inline_answers_are_the_general_rule_s() {
    // Words of digits, signs, units, separators, letters and CJK, in
    // both widths: parse_number's shortcuts answer as parse_number_slow.
    let pool = "0129０９-+/\\,.，．件个a(（)一无無—－／年 ";
    let mut numbers = 0;
    for w in random_strings(pool, 50_000, 7, 17) {
        let want = parse_number_slow(&w);
        assert_eq!(parse_number(&w), want, "{w:?}");
        numbers += usize::from(matches!(want, Some(Ok(_))));
    }
    assert!(numbers > 2000, "only {numbers} numbers");
}

#[test]
fn too_large_is_an_error_not_a_wrap() {
    assert_eq!(parse_number("1000000000000"), Some(Err(NumError::TooLarge)));
    assert_eq!(parse_number("99999999999999999999999"), Some(Err(NumError::TooLarge)));
}

#[test]
fn normalize_folds_variants() {
    assert_eq!(normalize("（三） 不予公开 1、属于国家秘密"), "(三)不予公开1.属于国家秘密");
    assert_eq!(normalize("(七) 总计"), "(七)总计");
    assert_eq!(normalize("興國縣良村鎮"), "兴国县良村镇");
    assert_eq!(normalize("１．属于"), "1.属于");
}

#[test]
fn number_first_characters_are_those_that_fold_to_one() {
    for u in 0x80..0x11_0000u32 {
        let Some(c) = char::from_u32(u) else { continue };
        assert_eq!(may_lead_number(c.to_string().as_bytes()), may_start_number(fold_char(c)), "U+{u:04X}");
    }
}

#[test]
fn page_marker_byte_filter_lets_every_marker_character_through() {
    for c in ['-', '/', '－', '／', '—', '–', '−', '―', '页'] {
        assert!(matches!(fold_char(c), '-' | '/' | '页'), "{c}");
        let lead = c.to_string().as_bytes()[0];
        assert!(matches!(lead, b'-' | b'/' | 0xE2 | 0xE9 | 0xEF), "{c}");
    }
    // has_marker_char finds exactly the characters that fold to them.
    for u in 0..0x3_0000u32 {
        let Some(c) = char::from_u32(u) else { continue };
        let s = format!("a{c}b");
        assert_eq!(has_marker_char(s.as_bytes()), matches!(fold_char(c), '-' | '/' | '页'), "U+{u:04X}");
    }
    assert!(has_marker_char("页".as_bytes()) && !has_marker_char("頁".as_bytes()));
}

/// The version with allocations that is_page_marker replaced.
fn is_page_marker_by_strings(line: &str) -> bool {
    let line = line.trim();
    if line.len() > 40 || !has_marker_char(line.as_bytes()) || line.split_whitespace().count() > 4 {
        return false;
    }
    let n = normalize(line);
    let num = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    let inner = n.trim_matches('-');
    if n.starts_with('-') && n.ends_with('-') && num(inner) {
        return true;
    }
    if !line.contains(char::is_whitespace)
        && let Some((a, b)) = n.split_once('/')
    {
        return num(a) && num(b);
    }
    let pages = n.replace("共", "").replace("第", "").replace("页", "");
    n.contains('页') && num(&pages)
}

#[test]
fn page_markers_on_the_stack_agree_with_strings() {
    let pool = "- 4—/／第页共3７1、\u{feff}\u{3000}a規－―\t";
    let mut hits = 0;
    for s in random_strings(pool, 30000, 12, 11) {
        let want = is_page_marker_by_strings(&s);
        assert_eq!(is_page_marker(&s), want, "{s:?}");
        hits += usize::from(want);
    }
    assert!(hits > 100, "only {hits} markers among the random lines");
}

#[test]
fn page_markers() {
    for l in ["- 4 -", "— 5 —", "第 3 页", "第3页 共7页", "3/7", &format!("{}- 4 -", " ".repeat(60))] {
        assert!(is_page_marker(l), "{l}");
    }
    for l in ["4", "0 0 0", "规章 0 0 0", "(七) 总计", "-2", "— — — — — 9 9", "1 1 1 1 1 / 5", "- 4"] {
        assert!(!is_page_marker(l), "{l}");
    }
}

#[test]
fn traditional_table_is_in_the_cjk_block_and_maps_one_way() {
    for &(t, s) in T2S {
        assert!((CJK.0..CJK.1).contains(&(t as u32)), "{t}");
        assert_eq!(fold_char(t), s);
        assert_eq!(fold_char(s), s, "{s} is simplified already");
    }
    assert_eq!(fold_char('人'), '人');
    assert_eq!(fold_char('Ａ'), 'A');
}

#[test]
fn normalize_fast_paths_agree_with_the_char_by_char_rule() {
    let slow = |s: &str| -> String {
        let mut out = String::new();
        let mut prev_digit = false;
        for c in s.chars().map(fold_char) {
            if c.is_whitespace() || c == '\u{FEFF}' {
                continue;
            }
            let c = if prev_digit && c == '、' { '.' } else { c };
            prev_digit = c.is_ascii_digit();
            out.push(c);
        }
        out
    };
    // Random strings over the characters that take each path.
    // (With the edges of the CJK block: 䶵 U+4DB5 and 丁 U+4E01 share the
    // lead byte E4, 鿿 U+9FFF and ꀀ U+A000 the leads E9 and EA.)
    let cases = random_strings("1０a 、\t\u{b}\u{3000}\u{FEFF}—興县（)．·é\n䶵丁鿿ꀀ㐀", 2000, 12, 12345);
    for s in cases.iter().map(String::as_str).chain([
        "（三） 不予公开 1、属于国家秘密",
        "興國縣\u{b}良村鎮 人民政府\u{3000}２、３",
        "12、a 1 、b\u{FEFF}c\u{a0}d\t\r\n\u{c}e—f",
        "一、总体情况2、",
        "",
    ]) {
        assert_eq!(normalize(s), slow(s), "{s}");
    }
}

#[test]
fn fast_and_slow_number_paths_agree() {
    assert_eq!(val("0"), Some(0));
    assert_eq!(val("007"), Some(7));
    assert_eq!(val("999999999999"), Some(999_999_999_999));
    assert_eq!(parse_number("999999999999").unwrap().unwrap(), parse_number("999,999,999,999").unwrap().unwrap());
    assert_eq!(parse_number("123"), parse_number("１２３"));
}

#[test]
fn decimal_display() {
    assert_eq!(Decimal(3500).to_string(), "0.35");
    assert_eq!(Decimal(120000).to_string(), "12");
    assert_eq!(Decimal(-5000).to_string(), "-0.5");
}

#[test]
fn list_markers_are_digits_and_a_point_or_comma() {
    for w in ["4.", "4、", "４．", "12."] {
        assert!(is_list_marker(w), "{w}");
    }
    for w in ["4", "4.5", "(4)", "无", "123.", "."] {
        assert!(!is_list_marker(w), "{w}");
    }
}
