//! The title: which unit of which county reports on which year.
//!
//! Titles come in many shapes: `民权县人和镇人民政府 2024 年政府信息公开工作年度报告`,
//! `XX县XX镇人民政府关于2024年度…年度报告`, split over two lines (by a
//! converter, or by the office: `2025 年上海市人民政府办公厅政府信息公开` /
//! `工作年度报告`), with the unit's name in a heading above, wrapped in Markdown
//! markup or HTML tags, without a year (the year is then in the text). A web
//! page may list other reports (a menu's 政府信息公开年度报告, a sidebar's links
//! to earlier years) before the real title: the title is the last such line
//! before the report's body (一、总体情况), else the first. The names found
//! are folded by [`crate::names`]; this file finds them.

use crate::names;
use crate::text;

/// The organ named by a title, split into county and unit, and the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// The title line(s), joined, markup removed.
    pub text: String,
    /// The year, if the title states it.
    pub year: Option<u16>,
    /// The county, if the title names one (canonical).
    pub county: Option<String>,
    /// The unit (canonical; empty when the title names no organ).
    pub unit: String,
}

/// Words that end a unit's or county's organ name in a title.
const ORGAN_MARKS: [&str; 14] =
    ["政府", "局", "委", "办", "镇", "乡", "街道", "县", "区", "市", "厅", "中心", "院", "会"];

/// A line with its markup taken away: leading `#`, `*`, `>`, list bullets,
/// trailing `*`, HTML tags. Whitespace inside is dropped.
fn plain(line: &str) -> String {
    let t =
        line.trim().trim_start_matches(['#', '*', '>', '-', '+', ' ', '\u{3000}']).trim_end_matches(['*', ' ', '#']);
    let mut s: String = t.split_whitespace().collect();
    if s.contains('<') {
        s = names::canonical(&s);
    }
    s.retain(|c| c != '*' && c != '\u{FEFF}');
    s
}

/// Read the title from the document's first lines (before table 2).
pub fn read_title(lines: &[&str]) -> Option<Title> {
    let lines = &lines[..lines.len().min(400)];
    let body = lines.iter().position(|l| {
        let n = text::normalize(l);
        let n = n.trim_start_matches(['#', '*']);
        n.starts_with("一、") && (n.contains("总体情况") || n.contains("概述"))
    });
    // A title's 年度报告 may itself be broken over two lines (`…工作年` /
    // `度报告`): the line that ends it is the candidate.
    let ends_title = |at: usize| {
        let l = lines[at];
        let n = text::normalize(l);
        ((l.contains('报') || l.contains('報')) && is_title_like(&n))
            || (at > 0 && n.chars().count() <= 12 && !n.contains("年度报告") && {
                let joined = text::normalize(&format!("{}{l}", lines[at - 1]));
                is_title_like(&joined) && !text::normalize(lines[at - 1]).contains("年度报告")
            })
    };
    let candidates: Vec<Title> = (0..lines.len())
        .filter(|at| body.is_none_or(|b| *at < b))
        .filter(|&at| ends_title(at))
        .map(|at| title_at(lines, at))
        .collect();
    let with_year = |t: &Title| t.year.is_some();
    let chosen =
        if body.is_some() { candidates.iter().rposition(with_year) } else { candidates.iter().position(with_year) };
    let mut candidates = candidates;
    (!candidates.is_empty()).then(|| candidates.swap_remove(chosen.unwrap_or(0)))
}

/// Could this (normalised) line hold a report's title? It holds 年度报告,
/// not as prose does (`本年度报告…`, a sentence ending in `。`), and is
/// short: a title is a few dozen characters.
fn is_title_like(n: &str) -> bool {
    n.contains("年度报告") && !n.contains("本年度报告") && !n.ends_with('。') && n.chars().count() <= 80
}

/// The title whose 年度报告 is on line `at`, joined with the short lines just
/// above it when it names no organ or no year by itself.
fn title_at(lines: &[&str], at: usize) -> Title {
    let alone = parse_title(plain(lines[at]));
    if alone.year.is_some() && !alone.unit.is_empty() {
        return alone;
    }
    // Join the short lines just above, nearest first, only as far as needed
    // (a breadcrumb further up must not be glued on).
    let mut raw = plain(lines[at]);
    let mut best = alone;
    for l in lines[at.saturating_sub(3)..at].iter().rev() {
        let s = plain(l);
        if s.is_empty() {
            continue;
        }
        if s.chars().count() > 40 || s.ends_with('。') || text::is_page_marker(l) {
            break;
        }
        raw = format!("{s}{raw}");
        let joined = parse_title(raw.clone());
        let better =
            (!joined.unit.is_empty() && best.unit.is_empty()) || (joined.year.is_some() && best.year.is_none());
        if better {
            best = joined;
        }
        if !best.unit.is_empty() && best.year.is_some() {
            break;
        }
    }
    best
}

/// Split a title into year, county and unit.
fn parse_title(raw: String) -> Title {
    let norm: Vec<(usize, char)> = raw.char_indices().map(|(i, c)| (i, text::fold_char(c))).collect();
    let at = |k: usize| norm.get(k).map_or(raw.len(), |&(i, _)| i);
    let ch = |k: usize| norm.get(k).map(|&(_, c)| c);
    let digit = |k: usize| ch(k).is_some_and(|c| c.is_ascii_digit());
    let find = |pat: &str| {
        let p: Vec<char> = pat.chars().collect();
        (0..(norm.len() + 1).saturating_sub(p.len()))
            .find(|&k| norm[k..k + p.len()].iter().map(|x| x.1).eq(p.iter().copied()))
    };

    // The year: four digits followed by 年.
    let mut year = None;
    let mut year_span = None;
    for i in 0..norm.len().saturating_sub(4) {
        if (i..i + 4).all(digit) && ch(i + 4) == Some('年') && (i == 0 || !digit(i - 1)) {
            year = Some((i..i + 4).fold(0u16, |y, k| y * 10 + ch(k).and_then(|c| c.to_digit(10)).unwrap_or(0) as u16));
            year_span = Some((i, i + 5 + usize::from(ch(i + 5) == Some('度'))));
            break;
        }
    }
    let report_at =
        find("政府信息公开").or_else(|| find("信息公开")).or_else(|| find("年度报告")).unwrap_or(norm.len());
    let (before, after) = match year_span {
        Some((a, b)) => (&raw[..at(a)], if b <= report_at { &raw[at(b)..at(report_at)] } else { "" }),
        None => (&raw[..at(report_at)], ""),
    };
    let is_organ = |s: &str| {
        let n = text::normalize(s);
        ORGAN_MARKS.iter().any(|m| n.contains(m))
    };
    let mut organ = if is_organ(after) { after } else { before };
    for junk in ["正文", "关于", "關於"] {
        if let Some(rest) = organ.strip_prefix(junk) {
            organ = rest;
        }
    }
    // `…人民政府关于2024年…`: 关于 ends the organ.
    for junk in ["关于", "關於"] {
        if let Some(rest) = organ.strip_suffix(junk) {
            organ = rest;
        }
    }
    let organ = organ.trim_matches(|c: char| c.is_whitespace() || "《》<>\"“”:：".contains(c));
    let (county, unit) = split_organ(organ);
    Title { text: raw, year, county, unit }
}

/// Words that follow a county-like word inside a unit's own name
/// (城区街道, 开发区管委会): the word is then not a county.
const NOT_AFTER_COUNTY: &[&str] =
    &["街道", "街道办事处", "办事处", "管委会", "管理委员会", "人民政府", "政府", "镇", "乡"];

/// Split an organ name into county and unit: `民权县人和镇人民政府` →
/// (`民权县`, `人和镇`). The county is the name ending at the first 县, 区 or
/// 旗 (else 市), without the province or city before it. Both canonical.
pub fn split_organ(organ: &str) -> (Option<String>, String) {
    let organ = names::canonical(organ);
    let chars: Vec<(usize, char)> = organ.char_indices().collect();
    let at = |k: usize| chars.get(k).map_or(organ.len(), |&(i, _)| i);
    let find = |set: &[char]| (1..chars.len()).find(|&i| set.contains(&chars[i].1));
    let Some(end) = find(&['县', '区', '旗']).or_else(|| find(&['市'])) else {
        return (None, names::unit(&organ));
    };
    // Drop a province or prefecture before the county: 河南省商丘市民权县 → 民权县.
    let start =
        (0..end).rev().find(|&i| matches!(chars[i].1, '省' | '市' | '州' | '盟') && i + 1 < end).map_or(0, |i| i + 1);
    let county = &organ[at(start)..at(end + 1)];
    let rest = &organ[at(end + 1)..];
    if NOT_AFTER_COUNTY.contains(&rest) && end + 1 - start <= 2 {
        // 城区街道办事处: 城区 is the street's own name, not a county.
        return (None, names::unit(&organ));
    }
    let unit = if matches!(rest, "" | "人民政府" | "政府") {
        // The county government itself: 洪泽区人民政府.
        organ[at(start)..].to_string()
    } else {
        names::unit(rest)
    };
    (Some(county.to_string()), unit)
}

/// The year a report covers, from its text, for a title that names none:
/// the statistics period (`统计期限为2025年1月1日至12月31日`), else the first
/// year of section 一 (`2024年，我镇…`).
pub fn year_in_text(lines: &[&str]) -> Option<u16> {
    let mut first = None;
    for l in lines.iter().take(400) {
        let n = text::normalize(l);
        let years = years_in(&n);
        if (n.contains("统计期限") || n.contains("统计时限") || n.contains("统计期间"))
            && let Some(&y) = years.first()
        {
            return Some(y);
        }
        if first.is_none() {
            first = years.first().copied();
        }
    }
    first
}

/// Every `20xx年` in a normalised string.
fn years_in(n: &str) -> Vec<u16> {
    let b = n.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len().saturating_sub(4) {
        if b[i..i + 4].iter().all(u8::is_ascii_digit)
            && n[i + 4..].starts_with('年')
            && (i == 0 || !b[i - 1].is_ascii_digit())
        {
            let y: u16 = n[i..i + 4].parse().unwrap_or(0);
            if (2000..=2100).contains(&y) {
                out.push(y);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(lines: &[&str]) -> (Option<u16>, Option<String>, String) {
        let t = read_title(lines).expect("a title");
        (t.year, t.county, t.unit)
    }

    #[test]
    fn organ_split() {
        let s = |o: &str| split_organ(o);
        assert_eq!(s("民权县人和镇人民政府"), (Some("民权县".into()), "人和镇".into()));
        assert_eq!(s("淮安市洪泽区人民政府"), (Some("洪泽区".into()), "洪泽区人民政府".into()));
        assert_eq!(s("落水镇人民政府"), (None, "落水镇".into()));
        assert_eq!(s("河南省商丘市民权县人力资源和社会保障局"), (Some("民权县".into()), "人力资源和社会保障局".into()));
        assert_eq!(s("興國縣良村鎮人民政府"), (Some("兴国县".into()), "良村镇".into()));
        assert_eq!(s("上海市人民政府办公厅"), (Some("上海市".into()), "人民政府办公厅".into()));
        assert_eq!(s("城区街道办事处"), (None, "城区街道".into()));
        assert_eq!(s("民权县城关街道办事处"), (Some("民权县".into()), "城关街道".into()));
    }

    #[test]
    fn titles_in_their_shapes() {
        let y = |u: &str| (Some(2024), Some("民权县".to_string()), u.to_string());
        assert_eq!(t(&["", "民权县人和镇人民政府 2024 年政府信息公开工作年度报告"]), y("人和镇"));
        assert_eq!(t(&["民权县人和镇人民政府关于2024年度政府信息公开工作年度报告"]), y("人和镇"));
        assert_eq!(t(&["# 民权县人和镇人民政府2024年政府信息公开工作年度报告"]), y("人和镇"));
        assert_eq!(t(&["**民权县人和镇人民政府2024年政府信息公开工作年度报告**"]), y("人和镇"));
        assert_eq!(t(&["<h1>民权县人和镇人民政府2024年政府信息公开工作年度报告</h1>"]), y("人和镇"));
        assert_eq!(t(&["# 民权县人和镇人民政府", "## 2024年政府信息公开工作年度报告"]), y("人和镇"));
        assert_eq!(t(&["民权县人和镇人民政府 2024 年度政府信息公开工作", "年度报告"]), y("人和镇"));
        // 年度报告 itself broken over two lines by a narrow page.
        assert_eq!(t(&["民权县人和镇人民政府 2024 年政府信息公开工作年", "      度报告", "一、总体情况"]), y("人和镇"));
        assert_eq!(t(&["民权县人和镇人民政府 2024 年政府信息公开工作年度报", "告", "一、总体情况"]), y("人和镇"));
        assert_eq!(t(&["民权县城关街道办事处2024年政府信息公开工作年度报告"]), y("城关街道"));
        let (year, county, unit) = t(&["正文", "2025 年上海市人民政府办公厅政府信息公开", "工作年度报告"]);
        assert_eq!((year, county.as_deref(), unit.as_str()), (Some(2025), Some("上海市"), "人民政府办公厅"));
        assert_eq!(t(&["落水镇人民政府2024年度政府信息公开工作年度报告"]), (Some(2024), None, "落水镇".into()));
        assert_eq!(
            t(&["興國縣良村鎮人民政府2023年政府信息公開工作年度報告"]),
            (Some(2023), Some("兴国县".into()), "良村镇".into())
        );
        // No year in the title.
        assert_eq!(t(&["民权县人和镇人民政府政府信息公开工作年度报告"]).0, None);
    }

    #[test]
    fn the_last_title_before_the_body() {
        let lines = [
            "东店镇人民政府2023年政府信息公开工作年度报告",
            "人和镇人民政府2024年政府信息公开工作年度报告",
            "\u{FEFF} 一 、总体情况",
            "西店镇人民政府2024年政府信息公开工作年度报告",
        ];
        assert_eq!(read_title(&lines).map(|t| t.unit).as_deref(), Some("人和镇"));
    }

    #[test]
    fn the_year_from_the_text() {
        assert_eq!(
            year_in_text(&["一、总体情况", "2024年，我镇认真学习。", "本报告统计期限为2023年1月1日至12月31日。"]),
            Some(2023)
        );
        assert_eq!(year_in_text(&["一、总体情况", "2024 年，我镇认真学习。"]), Some(2024));
        assert_eq!(year_in_text(&["没有年份"]), None);
    }
}
