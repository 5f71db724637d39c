//! Tables: paragraphs, with their cell and row marks and table depths, into
//! the .docx reader's blocks, each row's cells placed on the table's grid
//! (the union of every row's cell edges) with their spans and merges, list
//! numbers put back on the paragraphs.
//!
//! It owns how a .doc's table structure maps onto the .docx reader's
//! [`Row`]s and [`Cell`]s; it knows nothing of the file's bytes (the
//! paragraphs and row definitions come decoded) or of how blocks become lines
//! (the .docx reader's `Out`).

use super::lists::lfo_id;
use super::paragraphs::{Mark, Para};
use super::props::{TC_FIRST_MERGED, TC_MERGED, TC_VERT_MERGE, TC_VERT_RESTART, Tap};
use super::{EDGE_TOLERANCE, MAX_SPAN, MAX_TABLE_DEPTH};
use crate::error::{RejectKind, Rejection};
use crate::layout::docx::{Block, Cell, Numbering, Row};

/// A table being read: its rows, the cells of the row being read, and the
/// blocks of the cell being read.
#[derive(Default)]
struct TableBuild {
    rows: Vec<(Vec<Vec<Block>>, Option<Tap>)>,
    cells: Vec<Vec<Block>>,
    cell: Vec<Block>,
}

/// Paragraphs → the .docx reader's blocks: tables from the cell and row
/// marks and the paragraphs' table depths, list numbers put back.
pub(super) fn build(paras: Vec<Para>, numbering: &mut Numbering) -> Result<Vec<Block>, Rejection> {
    let mut body = Vec::new();
    let mut stack: Vec<TableBuild> = Vec::new();
    for p in paras {
        let depth = p.props.depth();
        if depth > MAX_TABLE_DEPTH {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!("tables nested more than {MAX_TABLE_DEPTH} deep: not an annual report"),
                format!("表格嵌套超过 {MAX_TABLE_DEPTH} 层：不是年度报告"),
            ));
        }
        while stack.len() > depth {
            close_table(&mut stack, &mut body);
        }
        while stack.len() < depth {
            stack.push(TableBuild::default());
        }
        let row_end = match depth {
            0 => false,
            1 => p.mark == Mark::Cell && p.props.ttp,
            _ => p.props.inner_ttp,
        };
        if row_end {
            let Some(t) = stack.last_mut() else { continue };
            let mut cells = std::mem::take(&mut t.cells);
            if !t.cell.is_empty() {
                cells.push(std::mem::take(&mut t.cell));
            }
            t.rows.push((cells, p.props.tap));
            continue;
        }
        let num_id = p.props.ilfo.map(lfo_id);
        let level = p.props.ilvl.map(usize::from);
        let text = match numbering.label(num_id, level, Some(&p.props.istd.to_string())) {
            Some(label) => label + &p.text,
            None => p.text,
        };
        let cell_end = match depth {
            0 => false,
            1 => p.mark == Mark::Cell,
            _ => p.props.inner_cell || p.mark == Mark::Cell,
        };
        match stack.last_mut() {
            None => body.push(Block::Para(text)),
            Some(t) => {
                t.cell.push(Block::Para(text));
                if cell_end {
                    let cell = std::mem::take(&mut t.cell);
                    t.cells.push(cell);
                }
            }
        }
    }
    while !stack.is_empty() {
        close_table(&mut stack, &mut body);
    }
    Ok(body)
}

/// End the innermost open table: its rows on the table's grid, as a block of
/// the cell around it (or of the body).
fn close_table(stack: &mut Vec<TableBuild>, body: &mut Vec<Block>) {
    let Some(mut t) = stack.pop() else { return };
    if !t.cell.is_empty() {
        t.cells.push(std::mem::take(&mut t.cell));
    }
    if !t.cells.is_empty() {
        t.rows.push((std::mem::take(&mut t.cells), None));
    }
    let block = Block::Table(grid_rows(t.rows));
    match stack.last_mut() {
        Some(outer) => outer.cell.push(block),
        None => body.push(block),
    }
}

/// Is the row's last cell LibreOffice's filler for a row that ends early
/// (`w:gridAfter` in the .docx it read)? It writes an empty cell with no
/// borders and no properties at all (its TC all zeros) after cells that have
/// them: not a cell anyone sees, so not a blank value. (A table whose cells
/// all have bare TCs, their borders set for the whole table, keeps them.)
fn is_filler(cells: &[Vec<Block>], tap: &Tap) -> bool {
    let n = cells.len();
    n >= 2
        && tap.bare.len() >= n
        && tap.bare[n - 1]
        && tap.bare[..n - 1].iter().any(|b| !b)
        && cells[n - 1].iter().all(|b| matches!(b, Block::Para(t) if t.trim().is_empty()))
}

/// Rows of cells and their definitions → rows on the table's grid: the grid
/// lines are every edge any row has, so a cell's span is the grid columns
/// between its edges, and a row whose first edge lies right of the table's
/// leftmost one starts late (`w:gridBefore`).
pub(super) fn grid_rows(rows: Vec<(Vec<Vec<Block>>, Option<Tap>)>) -> Vec<Row> {
    let mut edges: Vec<i32> = rows.iter().filter_map(|r| r.1.as_ref()).flat_map(|t| t.edges.iter().copied()).collect();
    edges.sort_unstable();
    let mut grid: Vec<i32> = Vec::with_capacity(edges.len());
    for e in edges {
        if grid.last().is_none_or(|&last| e - last > EDGE_TOLERANCE) {
            grid.push(e);
        }
    }
    // The grid line nearest an edge.
    let line = |x: i32| -> usize {
        let i = grid.partition_point(|&g| g < x);
        match (i.checked_sub(1).map(|j| (j, grid[j])), grid.get(i)) {
            (Some((j, a)), Some(&b)) if x - a <= b - x => j,
            (Some((j, _)), None) => j,
            _ => i,
        }
    };
    rows.into_iter()
        .map(|(cells, tap)| {
            let tap = tap.filter(|t| t.edges.len() >= 2);
            let before = tap.as_ref().map_or(0, |t| line(t.edges[0])).min(MAX_SPAN);
            let mut cells = cells;
            if let Some(t) = &tap
                && is_filler(&cells, t)
            {
                cells.pop();
            }
            let cells = cells
                .into_iter()
                .enumerate()
                .map(|(i, blocks)| {
                    let (span, flags) = match &tap {
                        Some(t) if i + 1 < t.edges.len() => {
                            let span = line(t.edges[i + 1]).saturating_sub(line(t.edges[i]));
                            (span.clamp(1, MAX_SPAN), t.flags.get(i).copied().unwrap_or(0))
                        }
                        _ => (1, 0),
                    };
                    Cell {
                        span,
                        merged_up: flags & TC_VERT_MERGE != 0 && flags & TC_VERT_RESTART == 0,
                        merged_left: flags & TC_MERGED != 0 && flags & TC_FIRST_MERGED == 0,
                        blocks,
                    }
                })
                .collect();
            Row { before, cells }
        })
        .collect()
}
