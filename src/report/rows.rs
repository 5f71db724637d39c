//! Which run of values is which row of the form.
//!
//! A table's lines give runs of values (a line's numbers, or the numbers of
//! a one-cell-per-line table gathered until the next label) and, in its
//! label stream, where each row's head fragments occur ([`super::heads`]).
//! The form fixes the rows' order. A row's label takes one or more whole
//! lines and its values sit on one of them, or between them, so the lines
//! each row touches (its heads and its values) never interleave with the
//! next row's. [`assign`] finds every way of giving each run to a row that
//! keeps that order, gives a run only to a row whose head its own line
//! holds (if its line holds any), and accounts for every row (a row with no
//! run is all blank, which only a table laid out by position can show): one
//! way is an answer; none or several are a problem to report. Which value is
//! in which column is not decided here (see [`super::columns`]).

use std::collections::HashMap;

/// A run of values, as the assignment sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunAt {
    /// The line (index in the table's lines) its first value is on.
    pub line: usize,
    /// How many values it has.
    pub len: usize,
}

/// A row of the form, as the assignment sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowAt {
    /// How many values the row has.
    pub width: usize,
    /// The lines its head occurrences cover, each as (first, last).
    pub hits: Vec<(usize, usize)>,
}

impl RowAt {
    fn head_span(&self) -> Option<(usize, usize)> {
        let first = self.hits.iter().map(|h| h.0).min()?;
        let last = self.hits.iter().map(|h| h.1).max()?;
        Some((first, last))
    }

    /// Whether one of the row's heads covers this line.
    pub(super) fn holds(&self, line: usize) -> bool {
        self.hits.iter().any(|&(a, b)| a <= line && line <= b)
    }
}

/// The answer: for each row, the run it takes (None: all blank).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Run index per row.
    pub runs: Vec<Option<usize>>,
}

/// Why no single answer exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unassigned {
    /// No way keeps the order: the runs and labels do not fit the form.
    NoFit,
    /// Several ways do: which run is which row is not certain.
    Ambiguous,
}

/// Give each run to a row (see the module doc). `blank_rows`: may a row
/// have no run at all (true only where blank cells leave no trace and the
/// columns are anchored)?
pub fn assign(rows: &[RowAt], runs: &[RunAt], blank_rows: bool) -> Result<Assignment, Unassigned> {
    // own[i]: the rows whose head the run's own line holds.
    let own: Vec<Vec<usize>> =
        runs.iter().map(|run| (0..rows.len()).filter(|&r| rows[r].holds(run.line)).collect()).collect();
    let mut search = Search { rows, runs, own: &own, blank_rows, memo: HashMap::new() };
    let (count, _) = search.count(0, 0, 0);
    match count {
        0 => Err(Unassigned::NoFit),
        1 => {
            let mut out = Vec::with_capacity(rows.len());
            let (mut r, mut i, mut floor) = (0, 0, 0);
            while r < rows.len() {
                let Some(&(_, choice)) = search.memo.get(&(r, i, floor)) else { break };
                match choice {
                    Some(Step::Take(next_floor)) => {
                        out.push(Some(i));
                        i += 1;
                        floor = next_floor;
                    }
                    Some(Step::Blank(next_floor)) => {
                        out.push(None);
                        floor = next_floor;
                    }
                    None => break,
                }
                r += 1;
            }
            Ok(Assignment { runs: out })
        }
        _ => Err(Unassigned::Ambiguous),
    }
}

#[derive(Debug, Clone, Copy)]
enum Step {
    /// Take the next run; the next row's lines must start at or after this.
    Take(usize),
    /// All blank.
    Blank(usize),
}

struct Search<'a> {
    rows: &'a [RowAt],
    runs: &'a [RunAt],
    own: &'a [Vec<usize>],
    blank_rows: bool,
    /// (row, run, floor) → (solutions, capped at 2; the step of one of them).
    memo: HashMap<(usize, usize, usize), (u8, Option<Step>)>,
}

impl Search<'_> {
    /// Ways to give runs `i..` to rows `r..` when every line the rows touch
    /// must be at or after `floor`.
    fn count(&mut self, r: usize, i: usize, floor: usize) -> (u8, Option<Step>) {
        if let Some(&v) = self.memo.get(&(r, i, floor)) {
            return v;
        }
        let result = if r == self.rows.len() {
            (u8::from(i == self.runs.len()), None)
        } else if self.runs.len() - i > self.rows.len() - r {
            (0, None) // more runs left than rows
        } else {
            let row = &self.rows[r];
            let span = row.head_span();
            let mut total = 0u8;
            let mut step = None;
            if let Some(run) = self.runs.get(i) {
                let own_ok = self.own[i].is_empty() || self.own[i].contains(&r);
                let (lo, hi) = span.map_or((run.line, run.line), |(a, b)| (a.min(run.line), b.max(run.line)));
                if own_ok && run.len == row.width && lo >= floor {
                    let (n, _) = self.count(r + 1, i + 1, hi + 1);
                    if n > 0 {
                        total = total.saturating_add(n);
                        step = Some(Step::Take(hi + 1));
                    }
                }
            }
            if let (true, Some((lo, hi))) = (self.blank_rows, span)
                && lo >= floor
            {
                let (n, _) = self.count(r + 1, i, hi + 1);
                if n > 0 {
                    total = total.saturating_add(n);
                    step = step.or(Some(Step::Blank(hi + 1)));
                }
            }
            (total.min(2), step)
        };
        self.memo.insert((r, i, floor), result);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(hits: &[(usize, usize)]) -> RowAt {
        RowAt { width: 7, hits: hits.to_vec() }
    }

    fn run(line: usize) -> RunAt {
        RunAt { line, len: 7 }
    }

    #[test]
    fn numbers_on_the_first_middle_or_last_line_of_a_wrapped_label() {
        // Row A: lines 0-2, head on 2, numbers on 0. Row B: lines 3-5, head
        // on 3, numbers on 5. Row C: lines 6-8, head on 6-7, numbers on 7.
        let rows = [row(&[(2, 2)]), row(&[(3, 3)]), row(&[(6, 7)])];
        let runs = [run(0), run(5), run(7)];
        assert_eq!(assign(&rows, &runs, false), Ok(Assignment { runs: vec![Some(0), Some(1), Some(2)] }));
    }

    #[test]
    fn a_blank_row_is_found_where_the_order_allows_only_one_answer() {
        let rows = [row(&[(0, 0)]), row(&[(1, 1)]), row(&[(2, 2)])];
        let runs = [run(0), run(2)];
        assert_eq!(assign(&rows, &runs, true), Ok(Assignment { runs: vec![Some(0), None, Some(1)] }));
        // Without blank rows allowed, two runs cannot fill three rows.
        assert_eq!(assign(&rows, &runs, false), Err(Unassigned::NoFit));
    }

    #[test]
    fn a_run_between_two_labels_that_could_be_either_is_ambiguous() {
        // Heads on lines 0 and 2, one run on line 1 (its own line holds no
        // head): the first row's or the second's, with the other blank.
        let rows = [row(&[(0, 0)]), row(&[(2, 2)])];
        assert_eq!(assign(&rows, &[run(1)], true), Err(Unassigned::Ambiguous));
    }

    #[test]
    fn a_run_on_a_line_with_another_rows_head_is_not_this_row() {
        // The second row's head is on the run's own line: the run cannot be
        // the first row's, which has no run of its own: no fit.
        let rows = [row(&[(0, 0)]), row(&[(1, 1)])];
        assert_eq!(assign(&rows, &[run(1)], false), Err(Unassigned::NoFit));
    }

    #[test]
    fn a_lost_label_is_placed_by_order() {
        let rows = [row(&[(0, 0)]), row(&[]), row(&[(2, 2)])];
        let runs = [run(0), run(1), run(2)];
        assert_eq!(assign(&rows, &runs, false), Ok(Assignment { runs: vec![Some(0), Some(1), Some(2)] }));
    }
}
