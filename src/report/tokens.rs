//! One line of a document → its words, each classified and placed.
//!
//! A word is text, a number (a blank marker such as `-` or `无` is a number:
//! 0), a number too large to be a count, or an empty cell of a row of cells.
//! Each word carries where it sits across the line, in the line's own unit:
//! display half-columns for a line of plain text (CJK characters are two
//! columns wide, so `pdftotext -layout` text lines up as on the page), the
//! x centre in points for words placed on a PDF page, the cell index for a
//! row of cells. Whether those positions mean anything (a table whose
//! numbers line up in columns) is for [`super::columns`] to decide.
//!
//! This file owns the split of cells into words and the default reading of
//! a line as "label, then a run of values"; it knows nothing of the form's
//! rows or columns.

use crate::layout::{Kind, Line};
use crate::text::{self, Num};

/// What a word is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tok {
    /// Text: part of a label, or prose.
    Text,
    /// A number, or a blank marker (`-`, `—`, `/`, `无`: 0).
    Num(Num),
    /// Digits too many for any count (a misread or hostile number).
    TooLarge,
    /// An empty cell of a row of cells or a grid: a blank value.
    Empty,
    /// A unit word after a number (`12 件`): no value of its own.
    Unit,
}

impl Tok {
    /// A number that counts 0: a 0, or a blank marker.
    pub fn is_zero(self) -> bool {
        matches!(self, Tok::Num(n) if n.value.0 == 0)
    }

    /// A value: a number, a blank marker, an empty cell or an oversized number.
    pub fn is_value(self) -> bool {
        matches!(self, Tok::Num(_) | Tok::TooLarge | Tok::Empty)
    }
}

/// A word of a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Word<'a> {
    /// The word as written (for messages).
    pub raw: &'a str,
    /// What it is.
    pub tok: Tok,
    /// Where its centre sits across the line (see the module doc).
    pub pos: f32,
    /// For a line of plain text, its centre counting every character as one
    /// column (half columns too): `pdftotext -layout` places each glyph in a
    /// column of its character grid, a CJK glyph included, so on its lines
    /// a label's CJK characters do not push the numbers after them two
    /// columns each. [`View::on_char_grid`] reads a line so. Elsewhere `pos`.
    pub grid_pos: f32,
    /// The cell it came from.
    pub cell: u32,
    /// A span's copy (see [`crate::layout::Cell::copied`]).
    pub copied: bool,
}

/// A line as the table readers see it: its words, in reading order.
#[derive(Debug, Clone, Default)]
pub struct View<'a> {
    /// The source line number, for messages.
    pub number: usize,
    /// The source's page ([`Line::page`]).
    pub page: u32,
    /// The layout's kind of line.
    pub kind: Option<Kind>,
    /// The words.
    pub words: Vec<Word<'a>>,
}

/// Classify one word.
fn classify(raw: &str, after_number: bool) -> Tok {
    match text::parse_number(raw) {
        Some(Ok(n)) => Tok::Num(n),
        Some(Err(_)) => Tok::TooLarge,
        None if after_number && matches!(raw, "件" | "条" | "个" | "项" | "次") => Tok::Unit,
        None => Tok::Text,
    }
}

impl<'a> View<'a> {
    /// Split a line into classified, placed words.
    pub fn new(line: &'a Line<'_>) -> View<'a> {
        let mut words = Vec::new();
        for (ci, cell) in line.cells.iter().enumerate() {
            let t: &str = &cell.text;
            let ci = ci as u32;
            match line.kind {
                Kind::Text => {
                    // Half columns: a word's centre is its start column
                    // doubled plus its width (integers, exact in f32).
                    let (mut col, mut chars) = (0f32, 0f32);
                    let mut start: Option<(usize, f32, f32)> = None;
                    for (i, c) in t.char_indices() {
                        if c.is_whitespace() {
                            if let Some((s, sc, sg)) = start.take() {
                                push_at(&mut words, &t[s..i], [sc + col, sg + chars], ci, false);
                            }
                        } else if start.is_none() {
                            start = Some((i, col, chars));
                        }
                        col += if c == '\t' { 1.0 } else { text::display_width(c) as f32 };
                        chars += 1.0;
                    }
                    if let Some((s, sc, sg)) = start {
                        push_at(&mut words, &t[s..], [sc + col, sg + chars], ci, false);
                    }
                }
                Kind::Placed => {
                    let [left, right] = cell.x.unwrap_or([0.0, 0.0]);
                    let n = t.split_whitespace().count().max(1) as f32;
                    // Words inside one placed cell share its extent in order.
                    for (k, w) in t.split_whitespace().enumerate() {
                        let pos = left + (right - left) * (k as f32 + 0.5) / n;
                        push(&mut words, w, pos, ci, false);
                    }
                }
                Kind::Cells | Kind::Grid => {
                    let before = words.len();
                    for w in t.split_whitespace() {
                        push(&mut words, w, ci as f32, ci, cell.copied);
                    }
                    if words.len() == before {
                        let pos = ci as f32;
                        words.push(Word {
                            raw: "",
                            tok: Tok::Empty,
                            pos,
                            grid_pos: pos,
                            cell: ci,
                            copied: cell.copied,
                        });
                    }
                }
            }
        }
        View { number: line.number, kind: Some(line.kind), page: line.page, words }
    }

    /// The line with its words placed on the character grid
    /// ([`Word::grid_pos`]) instead of by display width.
    pub fn on_char_grid(&self) -> View<'a> {
        let words = self.words.iter().map(|w| Word { pos: w.grid_pos, ..*w }).collect();
        View { words, ..*self }
    }

    /// The normalised text of the line's words (all of them, values
    /// included): for headings and prose.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for w in &self.words {
            text::normalize_into(&mut s, w.raw);
        }
        s
    }

    /// The default reading of a line: label words, then a run of values.
    /// The run is the values after the last text word. Values before it
    /// belong to the label when they are blank markers ("4. 无 正当理由") or
    /// inside prose; a number followed by more text and then more values is
    /// a stray (text where a number should be), reported by
    /// [`Split::stray`]. Span copies of values (a number merged over three
    /// columns) are not values of their own.
    pub fn split(&self) -> Split {
        let words = &self.words;
        let is_val = |w: &Word| w.tok.is_value() && !w.copied;
        let last_text = words.iter().rposition(|w| w.tok == Tok::Text);
        let run: Vec<usize> = match last_text {
            Some(t) => (t + 1..words.len()).filter(|&i| is_val(&words[i])).collect(),
            None => (0..words.len()).filter(|&i| is_val(&words[i])).collect(),
        };
        let mut run = run;
        let mut label_end = last_text.map_or(0, |t| t + 1);
        // `4. 无` / `正当理由大量…`: the label's first character, wrapped
        // away from the rest, after its list marker, is no blank value.
        if run.len() > 1
            && run[0] == label_end
            && words[run[0]].raw == "无"
            && last_text.is_some_and(|t| text::is_list_marker(words[t].raw))
        {
            run.remove(0);
            label_end += 1;
        }
        // A real number (not a blank marker) before the last text word, with
        // values after it: the text after that number is where a number was
        // expected.
        let mut stray = None;
        if !run.is_empty() {
            let first_text = words.iter().position(|w| w.tok == Tok::Text).unwrap_or(0);
            let num_in_label = (first_text..label_end)
                .find(|&i| matches!(words[i].tok, Tok::Num(n) if !n.blank) || words[i].tok == Tok::TooLarge);
            if let Some(k) = num_in_label {
                stray = (k + 1..label_end).find(|&i| words[i].tok == Tok::Text);
            }
        }
        Split { label_end, run, stray }
    }

    /// The normalised label of the words before `end` (text words and blank
    /// markers inside it).
    pub fn label_before(&self, end: usize) -> String {
        let mut s = String::new();
        for w in &self.words[..end.min(self.words.len())] {
            if matches!(w.tok, Tok::Text | Tok::Num(_) | Tok::Unit) {
                text::normalize_into(&mut s, w.raw);
            }
        }
        s
    }
}

fn push<'a>(words: &mut Vec<Word<'a>>, raw: &'a str, pos: f32, cell: u32, copied: bool) {
    push_at(words, raw, [pos, pos], cell, copied);
}

/// [`push`] with the word's display and character-grid positions apart
/// (a line of plain text: [`Word::grid_pos`]).
fn push_at<'a>(words: &mut Vec<Word<'a>>, raw: &'a str, [pos, grid_pos]: [f32; 2], cell: u32, copied: bool) {
    let after_number = words.last().is_some_and(|w: &Word| matches!(w.tok, Tok::Num(n) if !n.blank));
    words.push(Word { raw, tok: classify(raw, after_number), pos, grid_pos, cell, copied });
}

/// A line read as label and values (see [`View::split`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Words before this index are the label.
    pub label_end: usize,
    /// Indexes of the value words, in order.
    pub run: Vec<usize>,
    /// A text word where a number should be.
    pub stray: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Line;

    fn toks(v: &View) -> Vec<String> {
        v.words
            .iter()
            .map(|w| match w.tok {
                Tok::Text => format!("T:{}", w.raw),
                Tok::Num(n) if n.blank => format!("B:{}", w.raw),
                Tok::Num(n) => format!("N:{}", n.value),
                Tok::TooLarge => "L".into(),
                Tok::Empty => "E".into(),
                Tok::Unit => "U".into(),
            })
            .collect()
    }

    #[test]
    fn text_words_carry_their_display_column() {
        let line = Line::text("  规章   1  无 12 件", 3);
        let v = View::new(&line);
        assert_eq!(toks(&v), ["T:规章", "N:1", "B:无", "N:12", "U"]);
        // 规章 starts at column 2 and is 4 columns wide: centre 2*2+4 = 8 half columns.
        assert_eq!(v.words.iter().map(|w| w.pos).collect::<Vec<_>>(), [8.0, 19.0, 26.0, 32.0, 38.0]);
        let s = v.split();
        assert_eq!((s.label_end, s.run, s.stray), (1, vec![1, 2, 3], None));
    }

    #[test]
    fn cells_keep_empties_as_values_and_copies_are_skipped() {
        let line = Line::cells(["一、本年新收", "", "1", "0", ""], 1);
        let v = View::new(&line);
        assert_eq!(toks(&v), ["T:一、本年新收", "E", "N:1", "N:0", "E"]);
        assert_eq!(v.split().run, vec![1, 2, 3, 4]);
        let g = Line::grid([("(一) 予以公开".to_string(), false), ("128".into(), false), ("128".into(), true)], 1);
        assert_eq!(View::new(&g).split().run, vec![2]);
    }

    #[test]
    fn a_number_inside_the_label_then_text_is_a_stray() {
        let line = Line::cells(["规章", "3", "abc", "0", "0"], 1);
        let v = View::new(&line);
        let s = v.split();
        assert_eq!(s.stray, Some(2));
        assert_eq!(s.run, vec![3, 4]);
        // A blank marker inside a label is part of it.
        let line = Line::text("4. 无 正当理由大量反复申请 0 0", 1);
        let v = View::new(&line);
        let s = v.split();
        assert_eq!((s.stray, s.run.len()), (None, 2));
        assert_eq!(v.label_before(s.label_end), "4.无正当理由大量反复申请");
    }

    #[test]
    fn wu_wrapped_away_from_its_label_after_a_list_marker_is_label() {
        // pdftotext -layout, a narrow label column: `4. 无` / `正当理由…`.
        let line = Line::text("     4. 无   /   /     /   /   /   /   /", 1);
        let v = View::new(&line);
        let s = v.split();
        assert_eq!((s.label_end, s.run.len()), (2, 7));
        // Without the list marker before it, 无 is a blank value.
        let line = Line::text("     申请   无   /   /     /   /   /   /", 1);
        assert_eq!(View::new(&line).split().run.len(), 7);
    }
}
