//! List numbers: Word draws the 一、 （一） 1. of a numbered list itself, from
//! `word/numbering.xml` and the numbering paragraph styles carry
//! (`word/styles.xml`); [`Numbering`] reads both and counts the numbers in
//! document order, in Word's number formats. The .doc reader fills the same
//! [`Numbering`] from its binary lists.
//!
//! It owns the lists, levels, overrides and counters; it knows nothing of
//! paragraphs or tables, only of the list, level and style it is asked about.

use super::attr;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

/// Levels of a list (Word allows nine).
pub(in crate::layout) const LEVELS: usize = 9;

/// One level of a list's numbering definition.
#[derive(Debug, Clone, Default)]
pub(in crate::layout) struct Level {
    pub(in crate::layout) start: u32,
    pub(in crate::layout) format: String,
    /// The label with `%1`…`%9` for the counters, e.g. `%1、` or `（%2）`.
    pub(in crate::layout) text: String,
    /// What follows the label: `tab` (the default), `space` or `nothing`.
    pub(in crate::layout) suffix: String,
    /// Show every counter in decimal (`w:isLgl`).
    pub(in crate::layout) legal: bool,
}

/// A `w:lvlOverride` of a list instance: a new start, or a whole new level.
#[derive(Debug, Default)]
struct Override {
    level: usize,
    start: Option<u32>,
    replace: Option<Level>,
}

/// A list instance (`w:num`) being read.
#[derive(Debug, Default)]
struct ListBuild {
    id: u32,
    abstract_id: Option<String>,
    overrides: Vec<Override>,
}

/// A paragraph style's numbering, and the style it is based on.
#[derive(Debug, Default)]
pub(in crate::layout) struct StyleNum {
    pub(in crate::layout) based_on: Option<String>,
    pub(in crate::layout) num_id: Option<u32>,
    pub(in crate::layout) level: Option<usize>,
}

/// List numbers: Word draws the 一、 (一) 1. of a numbered list itself, from
/// word/numbering.xml (and the numbering a paragraph style carries, in
/// word/styles.xml), so they are not in the paragraph's text. They are
/// rebuilt here, counted in document order, because the reader needs them
/// (a section heading is recognised by its 二、).
#[derive(Debug, Default)]
pub(in crate::layout) struct Numbering {
    /// List instance (`w:num`) → its nine levels, overrides applied.
    pub(in crate::layout) lists: HashMap<u32, Vec<Level>>,
    pub(in crate::layout) styles: HashMap<String, StyleNum>,
    counters: HashMap<u32, [Option<u32>; LEVELS]>,
}

/// Attributes by local name, for the small parts read without namespaces.
fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

impl Numbering {
    pub(super) fn read_numbering(&mut self, xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().expand_empty_elements = true;
        let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
        // The abstract definition being read, with its levels.
        let mut cur_abstract: Option<(String, Vec<Level>)> = None;
        let mut cur_list: Option<ListBuild> = None;
        // Word 2010 writes a custom format in mc:Choice and a plain one in
        // mc:Fallback after it: read in order, the plain one is kept.
        let mut level: Option<(usize, Level)> = None;
        loop {
            let Ok(event) = reader.read_event() else {
                return;
            };
            match event {
                Event::Start(e) => {
                    let local = e.local_name();
                    let name = local.as_ref();
                    match name {
                        "abstractNum" => {
                            cur_abstract =
                                Some((attr(&e, "abstractNumId").unwrap_or_default(), vec![Level::default(); LEVELS]));
                        }
                        "num" => {
                            let id = attr(&e, "numId").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
                            cur_list = Some(ListBuild { id, ..ListBuild::default() });
                        }
                        "abstractNumId" => {
                            if let Some(l) = &mut cur_list {
                                l.abstract_id = val(&e);
                            }
                        }
                        "lvlOverride" => {
                            if let Some(l) = &mut cur_list {
                                let level = attr(&e, "ilvl").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
                                l.overrides.push(Override { level, ..Override::default() });
                            }
                        }
                        "startOverride" => {
                            if let Some(last) = cur_list.as_mut().and_then(|l| l.overrides.last_mut()) {
                                last.start = val(&e).and_then(|v| v.trim().parse().ok());
                            }
                        }
                        "lvl" => {
                            let i = attr(&e, "ilvl").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
                            level = Some((i, Level { suffix: "tab".into(), ..Level::default() }));
                        }
                        "start" | "numFmt" | "lvlText" | "suff" | "isLgl" => {
                            if let Some((_, l)) = &mut level {
                                let v = val(&e);
                                match name {
                                    "start" => l.start = v.and_then(|v| v.trim().parse().ok()).unwrap_or(0),
                                    "numFmt" => l.format = v.unwrap_or_default(),
                                    "lvlText" => l.text = v.unwrap_or_default(),
                                    "suff" => l.suffix = v.unwrap_or_default(),
                                    _ => l.legal = !matches!(v.as_deref(), Some("0" | "false" | "off")),
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => {
                    let local = e.local_name();
                    match local.as_ref() {
                        "lvl" => {
                            if let Some((i, l)) = level.take() {
                                if let Some((_, levels)) = &mut cur_abstract {
                                    if i < LEVELS {
                                        levels[i] = l;
                                    }
                                } else if let Some(last) = cur_list.as_mut().and_then(|l| l.overrides.last_mut()) {
                                    last.replace = Some(l);
                                }
                            }
                        }
                        "abstractNum" => {
                            if let Some((id, levels)) = cur_abstract.take() {
                                abstracts.insert(id, levels);
                            }
                        }
                        "num" => {
                            let Some(list) = cur_list.take() else {
                                continue;
                            };
                            let Some(mut levels) = list.abstract_id.and_then(|a| abstracts.get(&a).cloned()) else {
                                continue;
                            };
                            for o in list.overrides.into_iter().filter(|o| o.level < LEVELS) {
                                if let Some(l) = o.replace {
                                    levels[o.level] = l;
                                }
                                if let Some(s) = o.start {
                                    levels[o.level].start = s;
                                }
                            }
                            self.lists.insert(list.id, levels);
                        }
                        _ => {}
                    }
                }
                Event::Eof => return,
                _ => {}
            }
        }
    }

    pub(super) fn read_styles(&mut self, xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().expand_empty_elements = true;
        let mut cur: Option<(String, StyleNum)> = None;
        loop {
            let Ok(event) = reader.read_event() else {
                return;
            };
            match event {
                Event::Start(e) => match (e.local_name().as_ref(), &mut cur) {
                    ("style", _) => cur = Some((attr(&e, "styleId").unwrap_or_default(), StyleNum::default())),
                    ("basedOn", Some((_, s))) => s.based_on = val(&e),
                    ("numId", Some((_, s))) => s.num_id = val(&e).and_then(|v| v.trim().parse().ok()),
                    ("ilvl", Some((_, s))) => s.level = val(&e).and_then(|v| v.trim().parse().ok()),
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == "style" => {
                    if let Some((id, s)) = cur.take() {
                        self.styles.insert(id, s);
                    }
                }
                Event::Eof => return,
                _ => {}
            }
        }
    }

    /// The list number of a paragraph with these properties, counted.
    pub(in crate::layout) fn label(
        &mut self,
        num_id: Option<u32>,
        level: Option<usize>,
        style: Option<&str>,
    ) -> Option<String> {
        let (id, level) = match num_id {
            Some(0) => return None,
            Some(id) => (id, level.unwrap_or(0)),
            None => {
                let mut name = style?.to_string();
                let mut found = None;
                for _ in 0..16 {
                    let s = self.styles.get(&name)?;
                    if let Some(id) = s.num_id {
                        found = Some((id, level.or(s.level).unwrap_or(0)));
                        break;
                    }
                    name = s.based_on.clone()?;
                }
                let (id, level) = found?;
                if id == 0 {
                    return None;
                }
                (id, level)
            }
        };
        let levels = self.lists.get(&id)?;
        let this = levels.get(level)?;
        let counters = self.counters.entry(id).or_insert([None; LEVELS]);
        counters[level] = Some(counters[level].map_or(this.start, |c| c.saturating_add(1)));
        for c in counters.iter_mut().skip(level + 1) {
            *c = None;
        }
        if this.format == "bullet" {
            return None;
        }
        let mut out = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            let k = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=9).contains(d));
            match (c, k) {
                ('%', Some(k)) => {
                    chars.next();
                    let i = k as usize - 1;
                    let n = counters[i].unwrap_or(levels[i].start);
                    let format = if this.legal { "decimal" } else { levels[i].format.as_str() };
                    out.push_str(&format_number(n, format));
                }
                _ => out.push(c),
            }
        }
        if out.trim().is_empty() {
            return None;
        }
        if this.suffix != "nothing" {
            out.push(' ');
        }
        Some(out)
    }
}

/// A counter in one of Word's number formats.
pub(super) fn format_number(n: u32, format: &str) -> String {
    const SIMPLE: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const LEGAL_TRAD: [char; 10] = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
    let enclosed = |first: u32, max: u32| {
        if (1..=max).contains(&n) { char::from_u32(first + n - 1).map(String::from) } else { None }
    };
    let cycle = |set: &[char]| set[(n.max(1) as usize - 1) % set.len()].to_string();
    match format {
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => {
            n.to_string().chars().filter_map(|c| char::from_u32(c as u32 + 0xFEE0)).collect()
        }
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting" => chinese(n, SIMPLE, ['十', '百', '千'], true),
        "chineseLegalSimplified" => chinese(n, LEGAL, ['拾', '佰', '仟'], false),
        "ideographLegalTraditional" => chinese(n, LEGAL_TRAD, ['拾', '佰', '仟'], false),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| if c == '0' { '〇' } else { SIMPLE[c.to_digit(10).unwrap_or(0) as usize] })
            .collect(),
        "ideographTraditional" => cycle(&['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸']),
        "ideographZodiac" => cycle(&['子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥']),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
            enclosed(0x2460, 20).unwrap_or_else(|| n.to_string())
        }
        "decimalEnclosedParen" => enclosed(0x2474, 20).unwrap_or_else(|| n.to_string()),
        "decimalEnclosedFullstop" => enclosed(0x2488, 20).unwrap_or_else(|| n.to_string()),
        "ideographEnclosedCircle" => enclosed(0x3280, 10).unwrap_or_else(|| n.to_string()),
        "lowerLetter" | "upperLetter" => {
            let base = if format == "lowerLetter" { b'a' } else { b'A' };
            let n = n.max(1) - 1;
            let c = char::from(base + (n % 26) as u8);
            std::iter::repeat_n(c, (n / 26) as usize % 8 + 1).collect()
        }
        "lowerRoman" | "upperRoman" => {
            let r = roman(n);
            if format == "lowerRoman" { r.to_lowercase() } else { r }
        }
        "none" => String::new(),
        _ => n.to_string(),
    }
}

/// A number in Chinese counting: 十, 十一, 二十, 一百零一 (under 10000).
fn chinese(n: u32, digits: [char; 10], units: [char; 3], short_ten: bool) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let parts =
        [(n / 1000, Some(units[2])), (n / 100 % 10, Some(units[1])), (n / 10 % 10, Some(units[0])), (n % 10, None)];
    let mut out = String::new();
    let mut zero = false;
    for (d, unit) in parts {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push(digits[0]);
            zero = false;
        }
        let ten_alone = short_ten && d == 1 && out.is_empty() && unit == Some(units[0]);
        if !ten_alone {
            out.push(digits[d as usize]);
        }
        if let Some(u) = unit {
            out.push(u);
        }
    }
    out
}

fn roman(n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n.min(3999);
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}
