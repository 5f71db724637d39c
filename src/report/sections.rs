//! Where each table's section starts and ends: the headings 二、主动公开…,
//! 三、…申请情况, 四、…行政复议…, 五、/六、 (which end table 4).

use crate::schema;
use crate::text;
use std::ops::Range;

/// The line ranges of the prose before the tables and of each table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sections {
    /// Lines before table 2 (or 3): title and section 一.
    pub prose: Range<usize>,
    /// Table 2's lines, after its heading.
    pub t2: Option<Range<usize>>,
    /// Table 3's lines.
    pub t3: Option<Range<usize>>,
    /// Table 4's lines.
    pub t4: Option<Range<usize>>,
}

/// Could a line be a heading? Settled by its first character, so that most
/// lines (prose, table rows) are never normalised here: a heading starts with
/// its numeral or 表, perhaps behind Markdown markup or a BOM.
fn may_be_heading(plain: &str) -> bool {
    let Some(c) = plain.trim_start().chars().next() else { return false };
    let c = text::fold_char(c);
    matches!(c, '二' | '三' | '四' | '五' | '六' | '表' | '#' | '*' | '\u{FEFF}' | '(' | '第')
}

/// What the section headings look like: numeral first, a short line.
fn is_heading(text: &str, (numeral, words): (&str, &str)) -> bool {
    let t = text.trim_start_matches(['#', '*', ' ']);
    if t.chars().count() > 40 {
        return false;
    }
    // 三、 or 三. or 表三
    let digit = numeral.trim_end_matches('、');
    let t2 = t.strip_prefix('表').unwrap_or(t);
    let starts = t.starts_with(numeral)
        || t2.strip_prefix(digit).is_some_and(|rest| t2.len() < t.len() || rest.starts_with('.'));
    starts && t.contains(words)
}

/// Find the sections among a document's lines, each given as its plain text
/// (cells joined).
pub fn find(lines: &[String]) -> Sections {
    let norm: Vec<Option<String>> = lines.iter().map(|l| may_be_heading(l).then(|| text::normalize(l))).collect();
    let find = |from: usize, h: (&str, &str)| {
        (from..lines.len()).find(|&i| norm[i].as_deref().is_some_and(|t| is_heading(t, h)))
    };
    let h2 = find(0, schema::SECTION_TABLE2);
    let h3 = find(h2.map_or(0, |i| i + 1), schema::SECTION_TABLE3);
    let h4 = find(h3.or(h2).map_or(0, |i| i + 1), schema::SECTION_TABLE4);
    let after4 = h4.and_then(|h| schema::SECTION_AFTER4.iter().filter_map(|s| find(h + 1, *s)).min());
    let end = lines.len();
    let next_after = |start: Option<usize>, cands: &[Option<usize>]| {
        start.map(|s| {
            let e = cands.iter().flatten().copied().filter(|&c| c > s).min().unwrap_or(end);
            s + 1..e
        })
    };
    Sections {
        prose: 0..h2.or(h3).unwrap_or(end),
        t2: next_after(h2, &[h3, h4, after4]),
        t3: next_after(h3, &[h4, after4]),
        t4: next_after(h4, &[after4]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_split_the_document() {
        let lines: Vec<String> = [
            "标题",
            "一、总体情况",
            "二、主动公开政府信息情况",
            "规章 0 0 0",
            "## 三、收到和处理政府信息公开申请情况",
            "一、本年新收",
            "四、政府信息公开行政复议、行政诉讼情况",
            "0 0",
            "五、存在的主要问题及改进情况",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let s = find(&lines);
        assert_eq!(s, Sections { prose: 0..2, t2: Some(3..4), t3: Some(5..6), t4: Some(7..8) });
    }
}
