//! Where the form's row labels occur in a table's text: one automaton over
//! every head fragment of the schema, run once over a table's label stream.
//!
//! A table's label text is joined into one stream, line after line, so that
//! a fragment a converter wrapped over two or more lines (`申请人无正当理由逾`
//! / `期不补正`) is still found; each occurrence is mapped back to the lines
//! it covers. This file owns the fragments → rows lookup and the stream;
//! which occurrence belongs to which row of a document is for
//! [`super::rows`] to decide.

use crate::schema::{self, Head};
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// A row a head can name: a table-3 row or a table-2 item of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A row of table 3 (index into [`schema::TABLE3_ROWS`]).
    Row3(usize),
    /// An item of table 2 of a form (index into [`schema::table2_items`]).
    Item2(schema::Format, usize),
}

/// Every head fragment of the form in one automaton, with the rows each
/// names; and the table-3 rows' whole labels (normalised, as the form words
/// them) in another: a label written out in full names its row on every
/// line it covers, though the continuation lines hold no head of their own
/// (`一、本年新收政府信息` / `公开申请数量`).
struct Matcher {
    ac: AhoCorasick,
    /// Per pattern: the heads using it (the target and whether the head must
    /// end its label).
    targets: Vec<Vec<(Target, bool)>>,
    labels: AhoCorasick,
    /// Per pattern of `labels`: its row.
    label_rows: Vec<Target>,
}

/// Whole labels shorter than this (in characters) are left to the heads:
/// `(六)其他处理` is also the start of `(六)其他处理1.申请人…`.
const MIN_LABEL_CHARS: usize = 8;

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut frags: Vec<&'static str> = Vec::new();
        let mut targets: Vec<Vec<(Target, bool)>> = Vec::new();
        let mut add = |h: Head, t: Target| {
            let f = h.fragment();
            let k = frags.iter().position(|g| *g == f).unwrap_or_else(|| {
                frags.push(f);
                targets.push(Vec::new());
                frags.len() - 1
            });
            targets[k].push((t, matches!(h, Head::EndsWith(_))));
        };
        for (i, r) in schema::TABLE3_ROWS.iter().enumerate() {
            for h in r.heads {
                add(*h, Target::Row3(i));
            }
        }
        for f in [schema::Format::F2019, schema::Format::F2021] {
            for (i, it) in schema::table2_items(f).iter().enumerate() {
                for h in it.heads {
                    add(*h, Target::Item2(f, i));
                }
            }
        }
        let mut labels: Vec<String> = Vec::new();
        let mut label_rows = Vec::new();
        for (i, r) in schema::TABLE3_ROWS.iter().enumerate() {
            for l in [r.label, schema::table3_own_label(i)] {
                let n = crate::text::normalize(l);
                if n.chars().count() >= MIN_LABEL_CHARS && !labels.contains(&n) {
                    labels.push(n);
                    label_rows.push(Target::Row3(i));
                }
            }
        }
        // The patterns are the schema's literal strings: always a valid automaton.
        let ac = AhoCorasick::new(&frags).expect("head fragments build an automaton"); // ok: literals
        let labels = AhoCorasick::new(&labels).expect("labels build an automaton"); // ok: literals
        Matcher { ac, targets, labels, label_rows }
    })
}

/// A table's label text, line after line, with where each line's part starts.
#[derive(Debug, Default, Clone)]
pub struct Stream {
    /// The normalised labels, joined without separators.
    pub text: String,
    /// Per line of the table: the byte range of its label in `text`.
    pub spans: Vec<(usize, usize)>,
}

impl Stream {
    /// Append the next line's label.
    pub fn push(&mut self, label: &str) {
        let start = self.text.len();
        self.text.push_str(label);
        self.spans.push((start, self.text.len()));
    }

    /// The lines (indexes into the pushed labels) a byte range touches.
    fn lines_of(&self, start: usize, end: usize) -> (usize, usize) {
        let first = self.spans.partition_point(|&(_, e)| e <= start);
        let last = self.spans.partition_point(|&(s, _)| s < end).saturating_sub(1);
        (first, last.max(first))
    }

    /// Is `pos` the end of a line's label (or of the stream)?
    fn ends_a_line(&self, pos: usize) -> bool {
        pos == self.text.len() || self.spans.iter().any(|&(s, e)| e == pos && s < e)
    }
}

/// One occurrence of a row's head: the first and last line it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The row.
    pub target: Target,
    /// First line (index into the stream's lines).
    pub first: usize,
    /// Last line.
    pub last: usize,
}

/// Every head occurrence in the stream. An `EndsWith` head counts only where
/// its fragment ends a line's label (`3.其他` of (六), never `3.其他法律`).
pub fn find(stream: &Stream) -> Vec<Hit> {
    let m = matcher();
    let mut hits = Vec::new();
    for found in m.ac.find_overlapping_iter(&stream.text) {
        let (first, last) = stream.lines_of(found.start(), found.end());
        for &(target, ends) in &m.targets[found.pattern().as_usize()] {
            if ends && !stream.ends_a_line(found.end()) {
                continue;
            }
            hits.push(Hit { target, first, last });
        }
    }
    for found in m.labels.find_overlapping_iter(&stream.text) {
        let (first, last) = stream.lines_of(found.start(), found.end());
        hits.push(Hit { target: m.label_rows[found.pattern().as_usize()], first, last });
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Row;

    fn stream(lines: &[&str]) -> Stream {
        let mut s = Stream::default();
        for l in lines {
            s.push(&crate::text::normalize(l));
        }
        s
    }

    #[test]
    fn a_fragment_wrapped_over_lines_is_found_on_every_line_it_covers() {
        let s = stream(&["1、申请人无正当理由逾", "期不补正、行政机关", "不再处理"]);
        let hits = find(&s);
        let t = Target::Row3(Row::OtherNoCorrection.index());
        assert!(hits.contains(&Hit { target: t, first: 0, last: 1 }), "{hits:?}");
    }

    #[test]
    fn a_whole_label_names_its_row_on_its_continuation_lines() {
        let s = stream(&["一、本年新收政府信息", "公开申请数量", "二、上年结转"]);
        let t = Target::Row3(Row::NewRequests.index());
        assert!(find(&s).contains(&Hit { target: t, first: 0, last: 1 }));
    }

    #[test]
    fn ends_with_heads_only_at_the_end_of_a_line() {
        let other = Target::Row3(Row::OtherOther.index());
        assert!(find(&stream(&["3.其他", "(七)总计"])).iter().any(|h| h.target == other));
        assert!(!find(&stream(&["2.其他法律行政法规禁止公开"])).iter().any(|h| h.target == other));
        let single = Target::Row3(Row::OtherProcessing.index());
        assert!(!find(&stream(&["(六)其他处理1.申请人无正当理由逾期不补正"])).iter().any(|h| h.target == single));
        assert!(find(&stream(&["(六)其他", "处理"])).iter().any(|h| h.target == single));
    }
}
