//! The label column of a table's sub-rows, read on its own.
//!
//! In text laid out by position (`pdftotext -layout`), a group's label sits
//! in a column left of its sub-rows' labels and is centred beside them, one
//! or two characters a line (`度` / `办` / `理` / `结` / `果` of
//! 三、本年度办理结果, `（五） 不予` … `处理`). Read line after line, its
//! characters fall between the words of a sub-row's label that wraps
//! (`4. 无正当理由大量` / `处理` / `反复申请`) and hide its head. The sub-rows'
//! labels start in one column of their own, page by page (pdftotext shifts
//! each page): that column's words, line after line, make a second label
//! stream where the heads are whole (and a middle column's, `（二） 部分公开…`
//! beside `度办`, a third). A ruled table's rows cut by a page break do the
//! same with the cells of a row (`（四）无法提` | `1.本机关不掌` / break /
//! `供` | `握相关政府信息`): there a column is a cell. This file finds those
//! columns and builds the streams; the heads are found in them as in the
//! first ([`super::heads`]).

use super::heads::Stream;
use super::tokens::{Tok, View, Word};
use crate::layout::Kind;

/// Lines of label that must start in one column before it is taken for
/// the sub-rows' label column.
const MIN_LINES: usize = 4;

/// Label columns read at most, left to right: the form nests its labels
/// three deep (三、本年度办理结果 / （三） 不予公开 / 1. 属于国家秘密).
const MAX_LEVELS: usize = 4;

/// Where a word starts: its cell in a row of cells (a ruled PDF table, a
/// Word or web table, spans expanded), else its column on pdftotext's
/// character grid ([`super::tokens::Word::grid_pos`] is its centre in half
/// columns).
fn start(v: &View, w: &Word) -> i32 {
    match v.kind {
        Some(Kind::Grid) => w.cell as i32,
        _ => ((w.grid_pos - w.raw.chars().count() as f32) / 2.0).round() as i32,
    }
}

/// How far left of its column a word of the column may start: a character
/// on pdftotext's grid (a word centred in its cell), none in a row of cells.
fn slack(v: &View) -> i32 {
    i32::from(v.kind == Some(Kind::Text))
}

/// Whether a line's words are placed by position: a row of cells, or a
/// line of text with a word indented or set two columns or more apart from
/// the one before it (pdftotext -layout). In text whose words are one space
/// apart (typed, copied, `pdftotext -raw`) a word's column says nothing,
/// and columns found in it join words of different rows into one head.
fn laid_out(v: &View) -> bool {
    match v.kind {
        Some(Kind::Grid) => true,
        Some(Kind::Text) => {
            let mut end = 0;
            v.words.iter().any(|w| {
                let s = start(v, w);
                let apart = s >= end + 2;
                end = s + w.raw.chars().count() as i32;
                apart
            })
        }
        _ => false,
    }
}

/// A label word: text, or a blank marker inside a label (`4. 无正当理由…`),
/// before the line's first value.
fn label_words<'v>(v: &'v View) -> impl Iterator<Item = &'v Word<'v>> {
    let first_value = v.words.iter().position(|w| matches!(w.tok, Tok::Num(n) if !n.blank) || w.tok == Tok::TooLarge);
    // A span's copies repeat a label already read in its first cell.
    v.words[..first_value.unwrap_or(v.words.len())]
        .iter()
        .filter(|w| !w.copied && matches!(w.tok, Tok::Text | Tok::Num(_)))
}

/// The label streams of the label columns right of a page's left edge,
/// innermost last, line for line with `views` (lines before `from` are the
/// header: empty). Each holds, per line, the label words that start in its
/// column or right of it; a page with fewer columns gives its lines empty
/// labels in the streams it lacks. Empty when the text is not laid out by
/// position (`pdftotext -layout`) or no page has such a column.
pub fn streams(views: &[View], from: usize) -> Vec<Stream> {
    if !views.iter().any(|v| matches!(v.kind, Some(Kind::Text | Kind::Grid))) {
        return Vec::new();
    }
    let mut pages: Vec<(std::ops::Range<usize>, Vec<i32>)> = Vec::new();
    let mut i = 0;
    while i < views.len() {
        let page = views[i].page;
        let end = (i..views.len()).find(|&j| views[j].page != page).unwrap_or(views.len());
        pages.push((i..end, columns(&views[i.max(from).min(end)..end])));
        i = end;
    }
    let levels = pages.iter().map(|p| p.1.len()).max().unwrap_or(0).min(MAX_LEVELS);
    let mut out = vec![Stream::default(); levels];
    for (level, stream) in out.iter_mut().enumerate() {
        for (lines, columns) in &pages {
            for k in lines.clone() {
                let mut label = String::new();
                if let Some(&c) = columns.get(level)
                    && k >= from
                {
                    let v = &views[k];
                    for w in label_words(v).filter(|w| start(v, w) >= c - slack(v)) {
                        crate::text::normalize_into(&mut label, w.raw);
                    }
                }
                stream.push(&label);
            }
        }
    }
    out
}

/// The label columns of one page: the start columns, right of the
/// leftmost, where at least [`MIN_LINES`] label lines start, left to right.
fn columns(lines: &[View]) -> Vec<i32> {
    let mut starts: Vec<i32> = Vec::new();
    let mut slack_of = 0;
    let laid: Vec<&View> = lines.iter().filter(|v| laid_out(v)).collect();
    if laid.len() < MIN_LINES {
        return Vec::new();
    }
    for v in laid {
        let mut seen: Vec<i32> = label_words(v).map(|w| start(v, w)).collect();
        seen.dedup();
        starts.extend(seen);
        slack_of = slack_of.max(slack(v));
    }
    let slack = slack_of;
    let Some(&left) = starts.iter().min() else { return Vec::new() };
    starts.sort_unstable();
    let mut out: Vec<i32> = Vec::new();
    for run in starts.chunk_by(|a, b| a == b) {
        // A column one to the right of the last is the same column.
        if run[0] > left + slack && run.len() >= MIN_LINES && out.last().is_none_or(|&c| run[0] > c + slack) {
            out.push(run[0]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Line;

    #[test]
    fn a_group_label_beside_a_wrapped_label_is_left_out_of_its_stream() {
        let text = [
            "   （五） 不予   1. 信访举报投诉类",
            "            申请",
            "            2. 重复申请",
            "            3. 要求提供公开出",
            "            版物",
            "            4. 无正当理由大量",
            "   处理",
            "            反复申请             2      2",
        ];
        let lines: Vec<Line> = text.iter().enumerate().map(|(i, l)| Line::text(*l, i + 1)).collect();
        let views: Vec<View> = lines.iter().map(View::new).collect();
        let s = streams(&views, 0);
        // Label columns at 12 (the markers) and 15 (the words after them).
        assert_eq!(s.len(), 2);
        assert!(s[0].text.contains("4.无正当理由大量反复申请"), "{}", s[0].text);
        assert!(!s[0].text.contains("处理"), "{}", s[0].text);
        // Without enough lines in one column, no stream.
        assert!(streams(&views[..3], 0).is_empty());
        // Lines of words in many columns: at most four streams.
        let wide = format!("  {}", vec!["申"; 50].join("  "));
        let lines: Vec<Line> = (0..5).map(|i| Line::text(wide.as_str(), i + 1)).collect();
        let views: Vec<View> = lines.iter().map(View::new).collect();
        assert_eq!(streams(&views, 0).len(), MAX_LEVELS);
    }

    /// Bench corpus, 宝江县/2022/野岗乡.txt: in text whose words are one
    /// space apart, "columns" of word starts joined `1．信访举报投诉 类` with
    /// the `申请` of two rows further down into one head spanning four rows,
    /// and the file was rejected ("the row appears twice").
    #[test]
    fn single_spaced_text_has_no_label_columns() {
        let file = include_str!("../../tests/fixtures/text/gen-raw-wrapped-head-2022.txt");
        let text: Vec<&str> =
            file.lines().skip_while(|l| !l.starts_with("三、本年度")).take_while(|l| !l.starts_with("(七)")).collect();
        assert!(text.len() > 20);
        let lines: Vec<Line> = text.iter().enumerate().map(|(i, l)| Line::text(*l, i + 1)).collect();
        let views: Vec<View> = lines.iter().map(View::new).collect();
        assert!(streams(&views, 0).is_empty());
        // Sub-row labels that start in one column by position do make one.
        let spaced: Vec<String> = ["  (五) 不予处理", "", "", "", "", "", ""]
            .iter()
            .zip([
                "1．信访举报投诉类",
                "申请",
                "",
                "2．重复申请   0",
                "3．要求提供公开出版物",
                "",
                "4．无正当理由大量反复申请   0",
            ])
            .map(|(g, l)| {
                let pad = 16 - g.chars().count();
                format!("{g}{}{l}", " ".repeat(pad))
            })
            .collect();
        let lines: Vec<Line> = spaced.iter().enumerate().map(|(i, l)| Line::text(l.as_str(), i + 1)).collect();
        let views: Vec<View> = lines.iter().map(View::new).collect();
        assert!(!streams(&views, 0).is_empty());
    }
}
