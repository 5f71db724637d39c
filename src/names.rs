//! County and unit names in one canonical spelling (FORMAT.md section 4).
//!
//! Reports spell the same name many ways: traditional script (興國縣),
//! full-width forms, spaces inside (`人 和 镇`), Markdown or HTML markup
//! around it (`**兴国县`), with or without 人民政府 / 办事处. Grouping,
//! duplicates and the year-to-year chains compare names, so one county
//! written two ways would become two counties: every name is folded here,
//! once, before anything compares or writes it. This file owns the folding;
//! it does not know where names come from (titles, folders, rosters).

use unicode_normalization::UnicodeNormalization;

/// Characters that stay as they are although the character-level
/// traditional→simplified table maps them: they are also characters of
/// simplified script in place and person names (乾县, 於潜镇).
const KEEP: &[char] = &['乾', '於', '藉', '著', '瞭', '夥', '麽', '幺', '兒', '覆'];

/// Markup and quotes that are never part of a name.
fn is_markup(c: char) -> bool {
    matches!(
        c,
        '#' | '*'
            | '_'
            | '`'
            | '>'
            | '<'
            | '《'
            | '》'
            | '"'
            | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '【'
            | '】'
            | '['
            | ']'
            | '|'
    )
}

/// The canonical spelling of a name: NFKC (full-width forms to their plain
/// forms), simplified script, no whitespace, no markup or quotes, no HTML
/// tags. Does not drop 人民政府 and the like (see [`unit()`]).
pub fn canonical(name: &str) -> String {
    let no_tags = strip_tags(name);
    let nfkc: String = no_tags.nfkc().filter(|c| !c.is_whitespace() && !is_markup(*c) && !c.is_control()).collect();
    simplified(&nfkc)
}

/// Traditional characters to simplified, one for one (names are not
/// phrases: no word-level conversion), except those in `KEEP`.
pub fn simplified(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_ascii() || KEEP.contains(&c) {
                return c;
            }
            let mut buf = [0u8; 4];
            let converted = fast2s::convert(c.encode_utf8(&mut buf));
            let mut it = converted.chars();
            match (it.next(), it.next()) {
                (Some(s), None) => s,
                _ => c,
            }
        })
        .collect()
}

/// `<b>`, `</span>` and the like taken out (a title copied with its markup).
fn strip_tags(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('<') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        // A tag: `<` then a letter or `/`, up to the next `>`.
        let is_tag = after[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (is_tag, after.find('>')) {
            (true, Some(j)) => rest = &after[j + 1..],
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The words around a unit's name that are not part of it, at its end:
/// 人民政府 (a township's government is the township), 办事处 (a street's
/// office is the street), 政府.
const UNIT_SUFFIXES: &[&str] = &["人民政府", "办事处", "政府"];

/// A unit's canonical name: [`canonical`], without 人民政府 / 办事处 at its
/// end (unless that is all of it), and without a leading 关于.
pub fn unit(name: &str) -> String {
    let mut n = canonical(name);
    if let Some(rest) = n.strip_prefix("关于") {
        n = rest.to_string();
    }
    // The first suffix that ends the name decides (人民政府 before 政府).
    if let Some(rest) = UNIT_SUFFIXES.iter().find_map(|s| n.strip_suffix(s))
        && !rest.is_empty()
    {
        n = rest.to_string();
    }
    n
}

/// A county's canonical name.
pub fn county(name: &str) -> String {
    canonical(name)
}

/// Is this a county-level name (…县, …市, …区, …旗, at least two characters)?
pub fn is_county(name: &str) -> bool {
    let n = canonical(name);
    n.chars().count() >= 2 && n.ends_with(['县', '市', '区', '旗'])
}

/// The longest name kept: a unit or county name is a few dozen characters;
/// a "title" of hundreds is not a title (and a 40,000-character name would
/// not fit in a spreadsheet cell or sheet name).
pub const MAX_NAME_CHARS: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_however_it_is_written() {
        for w in
            ["兴国县", "興國縣", "**兴国县", "#兴国县", " 兴 国 县 ", "兴国县\u{3000}", "<b>兴国县</b>", "《兴国县》"]
        {
            assert_eq!(county(w), "兴国县", "{w:?}");
        }
        assert_eq!(unit("良村鎮人民政府"), "良村镇");
        assert_eq!(unit("城关街道办事处"), "城关街道");
        assert_eq!(unit("关于人和镇人民政府"), "人和镇");
        assert_eq!(unit("人民政府"), "人民政府");
        assert_eq!(unit("ＡＢ镇"), "AB镇");
    }

    #[test]
    fn simplified_names_that_look_traditional_are_kept() {
        assert_eq!(county("乾县"), "乾县");
        assert_eq!(unit("於潜镇"), "於潜镇");
        assert_eq!(county("鐘祥市"), "钟祥市");
    }

    #[test]
    fn county_level_names() {
        assert!(is_county("民权县") && is_county("义乌市") && is_county("洪泽区") && is_county("科尔沁右翼前旗"));
        assert!(is_county("興國縣"));
        assert!(!is_county("县") && !is_county("2024") && !is_county("人和镇"));
    }
}
