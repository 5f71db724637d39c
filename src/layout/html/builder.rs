//! Lines in document order from the tree's events: one-cell lines of the
//! blocks' text (`<pre>` keeping its lines), and, for a data table, its
//! cells gathered with their spans and expanded into a grid (within the
//! page's [`Budget`]); a page-layout table's cells read as blocks. A first
//! pass ([`Scan`]) over a kept table tells which of its tables are layout.
//!
//! It owns the text rules (HTML whitespace, joins, `&nbsp;`) and the line
//! numbering; it knows nothing of the markup: only events reach it.

use super::sink::Ev;
use super::{Budget, LAYOUT_CELL_CHARS, Limit, MAX_LINES, Tag};
use crate::layout::{Line, grid};

/// First pass over a kept table: which of its tables are page layout (they
/// hold a table, or a cell with a page of text), numbered in document order.
#[derive(Default)]
pub(super) struct Scan {
    pub(super) layout: Vec<bool>,
    pub(super) open_tables: Vec<usize>,
    /// Open cells: the table each belongs to, and its text length so far.
    pub(super) cells: Vec<(Option<usize>, usize)>,
}

impl Scan {
    pub(super) fn event(&mut self, ev: Ev, t: &str) {
        match ev {
            Ev::Open(Tag::Table) => {
                if let Some(&outer) = self.open_tables.last() {
                    self.layout[outer] = true;
                }
                self.open_tables.push(self.layout.len());
                self.layout.push(false);
            }
            Ev::Cell { .. } => self.cells.push((self.open_tables.last().copied(), 0)),
            Ev::Text { .. } => {
                // Once the table is known to be layout, counting more changes
                // nothing: skip it (a layout cell holds the whole report).
                if let Some((Some(table), len)) = self.cells.last_mut()
                    && !self.layout[*table]
                {
                    *len += t.chars().filter(|c| !c.is_whitespace()).count();
                    if *len > LAYOUT_CELL_CHARS {
                        self.layout[*table] = true;
                    }
                }
            }
            Ev::Close(Tag::Table) => {
                self.open_tables.pop();
            }
            Ev::Close(Tag::Cell) => {
                self.cells.pop();
            }
            _ => {}
        }
    }
}

/// Text being gathered, with HTML's whitespace rules: runs of whitespace
/// (and `&nbsp;`) become one space, none at the start or end.
#[derive(Debug, Default)]
pub(super) struct Acc {
    pub(super) text: String,
    pub(super) space: bool,
}

impl Acc {
    pub(super) fn push(&mut self, s: &str) {
        // Copy runs of ordinary characters in one go rather than char by
        // char; a run ends at whitespace or an invisible character (all of
        // which are outside ASCII but for the ASCII whitespace).
        let b = s.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c < 0x80 {
                if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0C) {
                    self.push_run(&s[run..i]);
                    run = i + 1;
                    self.space = !self.text.is_empty();
                }
                i += 1;
                continue;
            }
            // U+00A0 (C2 A0), U+00AD (C2 AD), U+200B-D (E2 80 8B-8D),
            // U+2060 (E2 81 A0), U+FEFF (EF BB BF).
            let (len, space, invisible) = match c {
                0xC2 => (2, b.get(i + 1) == Some(&0xA0), b.get(i + 1) == Some(&0xAD)),
                0xE2 => (
                    3,
                    false,
                    matches!((b.get(i + 1), b.get(i + 2)), (Some(0x80), Some(0x8B..=0x8D)) | (Some(0x81), Some(0xA0))),
                ),
                0xEF => (3, false, b.get(i + 1) == Some(&0xBB) && b.get(i + 2) == Some(&0xBF)),
                0xC0..=0xDF => (2, false, false),
                0xE0..=0xEF => (3, false, false),
                _ => (if c >= 0xF0 { 4 } else { 1 }, false, false),
            };
            if space || invisible {
                self.push_run(&s[run..i]);
                run = i + len;
                if space {
                    self.space = !self.text.is_empty();
                }
            }
            i += len;
        }
        self.push_run(&s[run..]);
    }

    /// Ordinary characters (no whitespace, nothing invisible), after the one
    /// space a preceding run of whitespace stands for.
    pub(super) fn push_run(&mut self, run: &str) {
        if run.is_empty() {
            return;
        }
        if self.space {
            self.text.push(' ');
            self.space = false;
        }
        self.text.push_str(run);
    }

    /// A block edge or `<br>` inside a cell: pieces on either side join
    /// without a separator (a label broken over two lines, a number split
    /// over two paragraphs).
    pub(super) fn join(&mut self) {
        self.space = false;
    }

    pub(super) fn take(&mut self) -> String {
        self.space = false;
        let t = std::mem::take(&mut self.text);
        let trimmed = t.trim();
        if trimmed.len() == t.len() { t } else { trimmed.to_string() }
    }
}

/// A cell as written, before spans are expanded.
#[derive(Debug)]
pub(super) struct RawCell {
    pub(super) text: String,
    pub(super) colspan: usize,
    /// Rows covered; 0 means "to the end of the table" (HTML's rowspan=0).
    pub(super) rowspan: usize,
}

/// A data table being gathered.
#[derive(Debug, Default)]
pub(super) struct Grid {
    pub(super) rows: Vec<Vec<RawCell>>,
    /// The cell being read: its text and spans.
    pub(super) cell: Option<(Acc, usize, usize)>,
    pub(super) caption: Option<Acc>,
}

#[derive(Debug)]
pub(super) enum Mode {
    /// A page-layout table: its cells are blocks of text.
    Layout,
    Grid(Grid),
}

/// Lines in document order, from the tree's events.
#[derive(Default)]
pub(super) struct Builder {
    pub(super) layout: Vec<bool>,
    pub(super) next_table: usize,
    pub(super) tables: Vec<Mode>,
    pub(super) flow: Acc,
    pub(super) pre: usize,
    pub(super) lines: Vec<Line<'static>>,
    pub(super) number: usize,
    pub(super) budget: Budget,
}

impl Builder {
    /// Add a line, numbered in document order.
    pub(super) fn push(&mut self, make: impl FnOnce(usize) -> Line<'static>) -> Result<(), Limit> {
        if self.lines.len() >= MAX_LINES {
            return Err(Limit::Lines);
        }
        self.number += 1;
        self.lines.push(make(self.number));
        Ok(())
    }

    pub(super) fn flush(&mut self) -> Result<(), Limit> {
        let t = self.flow.take();
        if !t.is_empty() {
            self.push(|n| Line::text(t, n))?;
        }
        Ok(())
    }

    pub(super) fn grid(&mut self) -> Option<&mut Grid> {
        match self.tables.last_mut() {
            Some(Mode::Grid(g)) => Some(g),
            _ => None,
        }
    }

    /// Expand a data table's spans into a true grid ([`crate::layout::grid`]) and
    /// emit one grid line per row.
    pub(super) fn emit_grid(&mut self, rows: Vec<Vec<RawCell>>) -> Result<(), Limit> {
        let raw = rows
            .into_iter()
            .map(|cells| grid::RawRow {
                before: 0,
                cells: cells
                    .into_iter()
                    .map(|c| grid::RawCell { text: c.text, cols: c.colspan, down: grid::Down::Rows(c.rowspan) })
                    .collect(),
            })
            .collect();
        let rows =
            grid::expand_within(raw, self.budget.cells_left(), self.budget.bytes_left()).map_err(|e| match e {
                grid::Exceeded::Cells => Limit::Cells,
                grid::Exceeded::Bytes => Limit::CellBytes,
            })?;
        for row in rows {
            if row.is_empty() {
                continue;
            }
            self.budget.cells(row.len()).map_err(|_| Limit::Cells)?;
            for (s, _) in &row {
                self.budget.bytes(s.len()).map_err(|_| Limit::CellBytes)?;
            }
            self.push(|n| Line::grid(row, n))?;
        }
        Ok(())
    }

    pub(super) fn text(&mut self, t: &str) -> Result<(), Limit> {
        if let Some(g) = self.grid() {
            if let Some((acc, _, _)) = &mut g.cell {
                acc.push(t);
            } else if let Some(acc) = &mut g.caption {
                acc.push(t);
            }
        } else if self.pre > 0 {
            // Lines end at LF, CR or CR LF (a browser reads all three as LF).
            let mut parts = t.split(['\n', '\r']);
            if let Some(first) = parts.next() {
                self.flow.push(first);
            }
            for part in parts {
                self.flush()?;
                self.flow.push(part);
            }
        } else {
            self.flow.push(t);
        }
        Ok(())
    }

    pub(super) fn event(&mut self, ev: Ev, t: &str) -> Result<(), Limit> {
        let (tag, spans) = match ev {
            Ev::Text { .. } => return self.text(t),
            Ev::Close(tag) => return self.close(tag),
            Ev::Open(tag) => (tag, (1, 1)),
            Ev::Cell { cols, rows } => (Tag::Cell, (cols as usize, rows as usize)),
            Ev::Table { .. } => unreachable!("tables are walked, not sent"),
        };
        if tag == Tag::Table {
            let is_layout = self.layout.get(self.next_table).copied().unwrap_or(true);
            self.next_table += 1;
            if let Some(g) = self.grid() {
                // Cannot happen (a table holding a table is layout); read the
                // inner table's text into the cell rather than lose it.
                if let Some((acc, _, _)) = &mut g.cell {
                    acc.join();
                }
                self.tables.push(Mode::Layout);
                return Ok(());
            }
            self.flush()?;
            self.tables.push(if is_layout { Mode::Layout } else { Mode::Grid(Grid::default()) });
            return Ok(());
        }
        if let Some(g) = self.grid() {
            match tag {
                Tag::Tr => g.rows.push(Vec::new()),
                Tag::Cell => g.cell = Some((Acc::default(), spans.0, spans.1)),
                Tag::Caption => g.caption = Some(Acc::default()),
                _ => {
                    if let Some((acc, _, _)) = &mut g.cell
                        && (tag == Tag::Br || tag.is_block())
                    {
                        acc.join();
                    }
                }
            }
            return Ok(());
        }
        if tag == Tag::Br || tag.is_block() {
            self.flush()?;
        }
        if tag == Tag::Pre {
            self.pre += 1;
        }
        Ok(())
    }

    pub(super) fn close(&mut self, tag: Tag) -> Result<(), Limit> {
        if tag == Tag::Table {
            return match self.tables.pop() {
                Some(Mode::Grid(g)) => self.emit_grid(g.rows),
                _ => self.flush(),
            };
        }
        if let Some(g) = self.grid() {
            match tag {
                Tag::Cell => {
                    if let Some((mut acc, colspan, rowspan)) = g.cell.take() {
                        if g.rows.is_empty() {
                            g.rows.push(Vec::new());
                        }
                        let text = acc.take();
                        if let Some(row) = g.rows.last_mut() {
                            row.push(RawCell { text, colspan, rowspan });
                        }
                    }
                }
                Tag::Caption => {
                    if let Some(mut acc) = g.caption.take() {
                        let t = acc.take();
                        if !t.is_empty() {
                            self.push(|n| Line::text(t, n))?;
                        }
                    }
                }
                _ => {
                    if let Some((acc, _, _)) = &mut g.cell
                        && tag.is_block()
                    {
                        acc.join();
                    }
                }
            }
            return Ok(());
        }
        if tag.is_block() {
            self.flush()?;
        }
        if tag == Tag::Pre {
            self.pre = self.pre.saturating_sub(1);
        }
        Ok(())
    }
}
