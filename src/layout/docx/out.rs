//! Blocks → lines: a paragraph a line (its tabs separating cells), a table
//! a grid line per row with spans expanded ([`crate::layout::grid`]) within
//! the document's [`Budget`], or, for a page-layout table (a table inside, or
//! a cell with a page of text), its cells' blocks in order.
//!
//! It owns how blocks become lines; it knows nothing of the XML or the
//! binary format the blocks were read from.

use super::{Block, LAYOUT_CELL_CHARS, Row};
use crate::error::Rejection;
use crate::layout::html::{Budget, is_invisible};
use crate::layout::{Line, grid};

/// The text of a cell: its paragraphs joined without separators, tabs and
/// `&nbsp;` as spaces, trimmed.
fn cell_text(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        if let Block::Para(t) = b {
            for c in t.chars() {
                match c {
                    '\n' => {}
                    '\t' | '\u{A0}' => s.push(' '),
                    c if is_invisible(c) => {}
                    c => s.push(c),
                }
            }
        }
    }
    let t = s.trim();
    if t.len() == s.len() { s } else { t.to_string() }
}

fn is_layout(rows: &[Row]) -> bool {
    rows.iter().flat_map(|r| &r.cells).any(|c| {
        c.blocks.iter().any(|b| matches!(b, Block::Table(_)))
            || cell_text(&c.blocks).chars().count() > LAYOUT_CELL_CHARS
    })
}

#[derive(Default)]
pub(in crate::layout) struct Out {
    pub(in crate::layout) lines: Vec<Line<'static>>,
    number: usize,
    budget: Budget,
}

impl Out {
    /// Add a line, numbered in document order.
    fn push(&mut self, make: impl FnOnce(usize) -> Line<'static>) {
        self.number += 1;
        self.lines.push(make(self.number));
    }

    pub(in crate::layout) fn blocks(&mut self, blocks: Vec<Block>) -> Result<(), Rejection> {
        for b in blocks {
            match b {
                Block::Para(t) => self.para(&t),
                Block::Table(rows) if is_layout(&rows) => {
                    for cell in rows.into_iter().flat_map(|r| r.cells) {
                        self.blocks(cell.blocks)?;
                    }
                }
                Block::Table(rows) => self.grid(rows)?,
            }
        }
        Ok(())
    }

    /// A body paragraph: a line per `w:br`, a cell per `w:tab`.
    fn para(&mut self, text: &str) {
        for line in text.split('\n') {
            let cells: Vec<String> = line
                .split('\t')
                .map(|c| {
                    c.chars()
                        .filter(|&c| !is_invisible(c))
                        .map(|c| if c == '\u{A0}' { ' ' } else { c })
                        .collect::<String>()
                })
                .map(|c| c.trim().to_string())
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                self.push(|n| match <[String; 1]>::try_from(cells) {
                    Ok([one]) => Line::text(one, n),
                    Err(cells) => Line {
                        cells: cells.into_iter().map(crate::layout::Cell::new).collect(),
                        kind: crate::layout::Kind::Cells,
                        number: n,
                        page: 0,
                    },
                });
            }
        }
    }

    /// A data table: one grid line per row, spans expanded ([`crate::layout::grid`]).
    fn grid(&mut self, rows: Vec<Row>) -> Result<(), Rejection> {
        let mut raw = Vec::with_capacity(rows.len());
        for row in rows {
            let mut cells: Vec<grid::RawCell> = Vec::with_capacity(row.cells.len());
            for cell in row.cells {
                if cell.merged_left && !cell.merged_up {
                    // Old Word's w:hMerge: the cell widens the one to its left.
                    if let Some(prev) = cells.last_mut() {
                        prev.cols += cell.span;
                        continue;
                    }
                }
                let down = if cell.merged_up { grid::Down::MergeContinue } else { grid::Down::Alone };
                let text = if cell.merged_up { String::new() } else { cell_text(&cell.blocks) };
                cells.push(grid::RawCell { text, cols: cell.span, down });
            }
            raw.push(grid::RawRow { before: row.before, cells });
        }
        let rows = grid::expand(raw, self.budget.cells_left()).map_err(|_| self.budget.too_many_cells())?;
        for row in rows {
            if row.is_empty() {
                continue;
            }
            self.budget.cells(row.len())?;
            for (c, _) in &row {
                self.budget.bytes(c.len())?;
            }
            self.push(|n| Line::grid(row, n));
        }
        Ok(())
    }
}
