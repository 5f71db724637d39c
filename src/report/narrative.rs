//! The number of requests the prose says were received (section 一), e.g.
//! `共接到政府信息公开申请 1 件`, for the `narrative` check against table 3.

use crate::text;
use std::sync::OnceLock;

/// The count the prose states, if it states one.
pub fn read_narrative(lines: &[&str]) -> Option<u64> {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?:接到|收到|受理|新收)(?:各类|了)?(?:政府)?信息公开申请(?:共|合计)?(\d+)件").unwrap() // ok: literal pattern
    });
    // Prose is wrapped at any character by converters: the lines around each
    // 申 (of 申请) are read as one string; a gap between such runs stays a
    // gap. A run without 件 cannot hold the sentence and is left unread.
    let mut prose = String::new();
    let mut add = |(start, end): (usize, usize)| {
        let run = &lines[start..end];
        if run.iter().any(|l| l.contains('件')) {
            if !prose.is_empty() {
                prose.push('|');
            }
            run.iter().for_each(|l| text::normalize_into(&mut prose, l));
        }
    };
    let mut run: Option<(usize, usize)> = None;
    for (i, _) in lines.iter().enumerate().filter(|(_, l)| l.contains('申')) {
        let (start, end) = (i.saturating_sub(1), (i + 2).min(lines.len()));
        run = match run {
            Some((s, e)) if start <= e => Some((s, end.max(e))),
            Some(r) => {
                add(r);
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    if let Some(r) = run {
        add(r);
    }
    re.captures(&prose).and_then(|c| c[1].parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrative() {
        assert_eq!(read_narrative(&["2024 年人和镇共接到政府信息公开申请 1 件，已按照"]), Some(1));
        assert_eq!(read_narrative(&["市政府共受理政府信息公开申请 1295 件，办结"]), Some(1295));
        assert_eq!(read_narrative(&["没有数字"]), None);
        // Wrapped by a converter over three lines.
        assert_eq!(read_narrative(&["区政府办代表区政府受理政府", "信息公开申", "请 17 件，均已"]), Some(17));
        // Lines far apart are not joined into a sentence.
        assert_eq!(read_narrative(&["受理政府信息公开申请", "a", "b", "c", "12件"]), None);
    }
}
