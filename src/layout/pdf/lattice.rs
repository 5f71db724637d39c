//! Ruled tables on a PDF page: the lines a producer draws around the cells
//! → the table's grid of cells, with its merged cells.
//!
//! Text placed on a page loses blank cells: a row of seven values with two
//! blank shows five numbers, and only their positions say which columns they
//! are in. When the table is ruled (Word, WPS and LibreOffice draw every
//! cell's borders), the rules say it for certain: each cell is the box
//! between two horizontal and two vertical rules, a merged cell is a box
//! whose inner rules are missing, and a blank cell is a box with no text.
//! This is what tabula and camelot call a lattice.
//!
//! A lattice is trusted only when it is whole: a closed outer frame, and
//! every merged cell a rectangle. Anything else (rules only between rows, a
//! frame around a paragraph, a broken border) is not a lattice, and its page
//! is read by positions as before. This file owns only the geometry of
//! rules and boxes; it knows nothing of glyphs, text or the form.

/// How far apart (points) two rules may lie and still be one line, and how
/// far a rule may stop short of a crossing rule and still meet it: borders
/// drawn as separate strokes per cell overlap or miss by a fraction of a
/// point.
const TOL: f32 = 1.5;

/// Rules on a page at most: a report's page has a few hundred; a page of
/// more (a drawing, a hatched chart) is not searched for tables.
pub const MAX_RULES: usize = 4000;

/// A straight horizontal or vertical line drawn on the page (a stroked line,
/// a thin filled rectangle, an edge of a stroked rectangle), in page space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Horizontal (along x) or vertical (along y).
    pub horizontal: bool,
    /// Where it lies across its direction: y for a horizontal rule, x for a
    /// vertical one.
    pub at: f32,
    /// Where it starts and ends along its direction (`from <= to`).
    pub from: f32,
    /// See `from`.
    pub to: f32,
}

impl Rule {
    /// The rule from one point to another, if the line is horizontal or
    /// vertical (within a tenth of a point) and longer than a couple of points.
    pub fn between(a: [f32; 2], b: [f32; 2]) -> Option<Rule> {
        let (dx, dy) = ((b[0] - a[0]).abs(), (b[1] - a[1]).abs());
        if dy <= 0.1 && dx > 2.0 {
            Some(Rule { horizontal: true, at: (a[1] + b[1]) / 2.0, from: a[0].min(b[0]), to: a[0].max(b[0]) })
        } else if dx <= 0.1 && dy > 2.0 {
            Some(Rule { horizontal: false, at: (a[0] + b[0]) / 2.0, from: a[1].min(b[1]), to: a[1].max(b[1]) })
        } else {
            None
        }
    }

    /// A filled subpath as a rule, if it is a thin axis-aligned rectangle
    /// (a border drawn as a filled bar): four corners (a fifth closing
    /// it), at most 1.5 points across and longer than it is wide.
    pub fn rectangle(corners: &[[f32; 2]]) -> Option<Rule> {
        let corners = match corners {
            [a, rest @ .., z] if rest.len() == 3 && (a[0] - z[0]).abs() <= 0.1 && (a[1] - z[1]).abs() <= 0.1 => {
                &corners[..4]
            }
            _ if corners.len() == 4 => corners,
            _ => return None,
        };
        let (mut l, mut r, mut t, mut b) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in corners {
            (l, r, t, b) = (l.min(p[0]), r.max(p[0]), t.min(p[1]), b.max(p[1]));
        }
        let on_edge = |v: f32, lo: f32, hi: f32| (v - lo).abs() <= 0.1 || (v - hi).abs() <= 0.1;
        if !corners.iter().all(|p| on_edge(p[0], l, r) && on_edge(p[1], t, b)) {
            return None;
        }
        let (w, h) = (r - l, b - t);
        if h <= 1.5 && w > 2.0 && w > 2.0 * h {
            Some(Rule { horizontal: true, at: (t + b) / 2.0, from: l, to: r })
        } else if w <= 1.5 && h > 2.0 && h > 2.0 * w {
            Some(Rule { horizontal: false, at: (l + r) / 2.0, from: t, to: b })
        } else {
            None
        }
    }

    /// Whether this rule covers the stretch `[a, b]` along its direction.
    fn covers(&self, a: f32, b: f32) -> bool {
        self.from <= a + TOL && self.to >= b - TOL
    }
}

/// A box of the grid that is one cell of the table: `rows` × `cols`
/// elementary boxes from (`row`, `col`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Its first row of boxes.
    pub row: usize,
    /// Its first column of boxes.
    pub col: usize,
    /// How many rows it spans.
    pub rows: usize,
    /// How many columns it spans.
    pub cols: usize,
}

/// A ruled table: the x of its vertical rules and the y of its horizontal
/// ones (ascending), and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column edges, left to right.
    pub xs: Vec<f32>,
    /// Row edges, top to bottom (page space: y grows downwards).
    pub ys: Vec<f32>,
    /// The cells, in reading order (by first row, then first column).
    pub regions: Vec<Region>,
    /// For each elementary box (row-major), the index of its region.
    owner: Vec<usize>,
}

impl Table {
    /// The region a point lies in, if it lies inside the table.
    pub fn region_at(&self, x: f32, y: f32) -> Option<usize> {
        let c = band(&self.xs, x)?;
        let r = band(&self.ys, y)?;
        Some(self.owner[r * (self.xs.len() - 1) + c])
    }

    /// Whether a point lies inside the table's frame.
    pub fn contains(&self, x: f32, y: f32) -> bool {
        band(&self.xs, x).is_some() && band(&self.ys, y).is_some()
    }

    /// Whether the stretch `[left, right]` at height `y` crosses one of
    /// the table's inner vertical rules by more than `slack` on both sides:
    /// text that runs across a border, so that which cell it is in is not
    /// certain.
    pub fn crosses_rule(&self, left: f32, right: f32, y: f32, slack: f32) -> bool {
        let Some(r) = band(&self.ys, y) else { return false };
        let n = self.xs.len() - 1;
        (1..n).any(|c| {
            let x = self.xs[c];
            let split = self.owner[r * n + c - 1] != self.owner[r * n + c];
            split && left < x - slack && right > x + slack
        })
    }
}

/// The band `[edges[i], edges[i + 1])` a value falls in.
fn band(edges: &[f32], v: f32) -> Option<usize> {
    if edges.len() < 2 || v < edges[0] || v > edges[edges.len() - 1] {
        return None;
    }
    Some(edges.partition_point(|&e| e <= v).saturating_sub(1).min(edges.len() - 2))
}

/// A minimal union-find.
struct Sets(Vec<usize>);

impl Sets {
    fn new(n: usize) -> Sets {
        Sets((0..n).collect())
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[b.max(a)] = a.min(b);
        }
    }
}

/// Rules that lie on one line and touch or overlap, merged into one.
fn merged(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    // Lines: runs of rules whose `at` lie within TOL of the run's first.
    let mut out: Vec<Rule> = Vec::new();
    let mut i = 0;
    while i < rules.len() {
        let mut j = i + 1;
        while j < rules.len() && rules[j].at - rules[i].at <= TOL {
            j += 1;
        }
        let mut line: Vec<Rule> = rules[i..j].to_vec();
        let at = line.iter().map(|r| r.at).sum::<f32>() / line.len() as f32;
        line.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut cur = Rule { at, ..line[0] };
        for r in &line[1..] {
            if r.from <= cur.to + TOL {
                cur.to = cur.to.max(r.to);
            } else {
                out.push(cur);
                cur = Rule { at, ..*r };
            }
        }
        out.push(cur);
        i = j;
    }
    out
}

/// The distinct positions of a set of rules, within TOL, ascending.
fn edges(rules: &[&Rule]) -> Vec<f32> {
    let mut at: Vec<f32> = rules.iter().map(|r| r.at).collect();
    at.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for a in at {
        match out.last() {
            Some(&l) if a - l <= TOL => {}
            _ => out.push(a),
        }
    }
    out
}

/// The ruled tables among a page's rules (see the module doc): each group
/// of rules that cross one another, if it makes a whole lattice of at least
/// one row and two columns (a frame around a paragraph is not a table).
pub fn tables(rules: &[Rule]) -> Vec<Table> {
    if rules.len() > MAX_RULES {
        return Vec::new();
    }
    let (h, v): (Vec<Rule>, Vec<Rule>) = rules.iter().partition(|r| r.horizontal);
    let (h, v) = (merged(h), merged(v));
    // Groups: a horizontal and a vertical rule that meet are in one group.
    let mut sets = Sets::new(h.len() + v.len());
    for (i, a) in h.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            let meet = b.at >= a.from - TOL && b.at <= a.to + TOL && a.at >= b.from - TOL && a.at <= b.to + TOL;
            if meet {
                sets.join(i, h.len() + j);
            }
        }
    }
    let roots: Vec<usize> = (0..h.len() + v.len()).map(|i| sets.find(i)).collect();
    let mut groups: Vec<usize> = roots.clone();
    groups.sort_unstable();
    groups.dedup();
    let mut out = Vec::new();
    for g in groups {
        let hs: Vec<&Rule> = h.iter().enumerate().filter(|(i, _)| roots[*i] == g).map(|(_, r)| r).collect();
        let vs: Vec<&Rule> = v.iter().enumerate().filter(|(j, _)| roots[h.len() + *j] == g).map(|(_, r)| r).collect();
        if let Some(t) = lattice(&hs, &vs) {
            out.push(t);
        }
    }
    out.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    out
}

/// The horizontal rules that are not a border of any of `tables`: a line
/// drawn through text (struck-out text: a Word file printed with its
/// tracked changes shows deleted text struck through), an underline, a
/// rule between paragraphs.
pub fn loose_horizontal(rules: &[Rule], tables: &[Table]) -> Vec<Rule> {
    let border = |r: &Rule| {
        tables.iter().any(|t| {
            let (x0, x1) = (t.xs[0] - TOL, t.xs[t.xs.len() - 1] + TOL);
            r.from >= x0 && r.to <= x1 && t.ys.iter().any(|&y| (y - r.at).abs() <= TOL)
        })
    };
    rules.iter().filter(|r| r.horizontal && !border(r)).copied().collect()
}

/// One group of crossing rules as a table, if it is a whole lattice.
fn lattice(hs: &[&Rule], vs: &[&Rule]) -> Option<Table> {
    let (xs, ys) = (edges(vs), edges(hs));
    // At least two columns; one row is enough (the rest of a table that
    // a page break left on its own: table 4's row of numbers).
    if xs.len() < 3 || ys.len() < 2 {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    // Is there a rule along x = xs[c] beside row band r, or along y = ys[r]
    // above column band c?
    let vertical = |c: usize, r: usize| vs.iter().any(|s| (s.at - xs[c]).abs() <= TOL && s.covers(ys[r], ys[r + 1]));
    let horizontal = |r: usize, c: usize| hs.iter().any(|s| (s.at - ys[r]).abs() <= TOL && s.covers(xs[c], xs[c + 1]));
    // A closed frame.
    if !(0..nr).all(|r| vertical(0, r) && vertical(nc, r)) || !(0..nc).all(|c| horizontal(0, c) && horizontal(nr, c)) {
        return None;
    }
    let mut sets = Sets::new(nr * nc);
    for r in 0..nr {
        for c in 0..nc {
            if c + 1 < nc && !vertical(c + 1, r) {
                sets.join(r * nc + c, r * nc + c + 1);
            }
            if r + 1 < nr && !horizontal(r + 1, c) {
                sets.join(r * nc + c, (r + 1) * nc + c);
            }
        }
    }
    // Every set a rectangle: its first box is its top left (the smallest
    // index, which `Sets` keeps as the root), and its boxes fill the
    // rectangle to its last row and column.
    let mut regions: Vec<Region> = Vec::new();
    let mut index = vec![usize::MAX; nr * nc];
    let mut owner = vec![0; nr * nc];
    for i in 0..nr * nc {
        let root = sets.find(i);
        if root == i {
            index[i] = regions.len();
            regions.push(Region { row: i / nc, col: i % nc, rows: 1, cols: 1 });
        }
        let k = index[root];
        owner[i] = k;
        let reg = &mut regions[k];
        reg.rows = reg.rows.max(i / nc - reg.row + 1);
        reg.cols = reg.cols.max((i % nc).checked_sub(reg.col)? + 1);
    }
    let area: usize = regions.iter().map(|r| r.rows * r.cols).sum();
    if area != nr * nc {
        return None;
    }
    for (k, reg) in regions.iter().enumerate() {
        for r in reg.row..reg.row + reg.rows {
            for c in reg.col..reg.col + reg.cols {
                if owner[r * nc + c] != k {
                    return None;
                }
            }
        }
    }
    Some(Table { xs, ys, regions, owner })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, x0: f32, x1: f32) -> Rule {
        Rule { horizontal: true, at: y, from: x0, to: x1 }
    }
    fn v(x: f32, y0: f32, y1: f32) -> Rule {
        Rule { horizontal: false, at: x, from: y0, to: y1 }
    }

    /// A 3 × 3 grid, 10 points a box, from (0, 0).
    fn grid() -> Vec<Rule> {
        let mut r = Vec::new();
        for k in 0..4 {
            r.push(h(k as f32 * 10.0, 0.0, 30.0));
            r.push(v(k as f32 * 10.0, 0.0, 30.0));
        }
        r
    }

    #[test]
    fn a_full_grid_is_a_table_of_single_cells() {
        let t = tables(&grid());
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].regions.len(), 9);
        assert_eq!(t[0].region_at(15.0, 25.0), Some(7));
        assert_eq!(t[0].region_at(35.0, 5.0), None);
    }

    #[test]
    fn missing_inner_rules_merge_boxes_into_one_cell() {
        // Row 0 spans all three columns (no vertical rules through it);
        // column 0 of rows 1–2 is one cell (no rule between them there).
        let rules = vec![
            h(0.0, 0.0, 30.0),
            h(10.0, 0.0, 30.0),
            h(20.0, 10.0, 30.0),
            h(30.0, 0.0, 30.0),
            v(0.0, 0.0, 30.0),
            v(10.0, 10.0, 30.0),
            v(20.0, 10.0, 30.0),
            v(30.0, 0.0, 30.0),
        ];
        let t = &tables(&rules)[0];
        assert_eq!(t.regions[0], Region { row: 0, col: 0, rows: 1, cols: 3 });
        assert_eq!(t.regions[1], Region { row: 1, col: 0, rows: 2, cols: 1 });
        assert_eq!(t.regions.len(), 6);
        assert_eq!(t.region_at(5.0, 25.0), Some(1));
    }

    #[test]
    fn borders_drawn_per_cell_are_joined_into_lines() {
        // Each box's edges stroked on their own, a little apart.
        let mut rules = Vec::new();
        for r in 0..2 {
            for c in 0..2 {
                let (x, y) = (c as f32 * 10.0, r as f32 * 10.0);
                rules.push(h(y + 0.2, x, x + 10.0));
                rules.push(h(y + 10.0, x - 0.3, x + 10.3));
                rules.push(v(x, y, y + 10.0));
                rules.push(v(x + 10.2, y, y + 10.0));
            }
        }
        let t = tables(&rules);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].regions.len(), 4);
    }

    #[test]
    fn an_open_frame_or_rows_without_columns_are_not_a_lattice() {
        let mut rules = grid();
        rules.retain(|r| !(r.horizontal && r.at == 30.0));
        rules.push(h(30.0, 0.0, 20.0));
        assert!(tables(&rules).is_empty(), "a frame with a gap");
        let rows: Vec<Rule> = (0..5).map(|k| h(k as f32 * 10.0, 0.0, 30.0)).collect();
        assert!(tables(&rows).is_empty(), "horizontal rules only");
        let frame = vec![h(0.0, 0.0, 30.0), h(10.0, 0.0, 30.0), v(0.0, 0.0, 10.0), v(30.0, 0.0, 10.0)];
        assert!(tables(&frame).is_empty(), "a frame around a paragraph");
    }

    #[test]
    fn a_merged_cell_that_is_not_a_rectangle_is_not_trusted() {
        // An L: the boxes (0,0), (1,0) and (1,1) joined.
        let rules = vec![
            h(0.0, 0.0, 20.0),
            h(10.0, 10.0, 20.0),
            h(20.0, 0.0, 20.0),
            v(0.0, 0.0, 20.0),
            v(10.0, 0.0, 10.0),
            v(20.0, 0.0, 20.0),
        ];
        assert!(tables(&rules).is_empty());
    }

    #[test]
    fn text_across_an_inner_rule_is_noticed() {
        let t = &tables(&grid())[0];
        assert!(t.crosses_rule(5.0, 15.0, 5.0, 1.0));
        assert!(!t.crosses_rule(1.0, 9.0, 5.0, 1.0));
    }

    #[test]
    fn one_row_of_boxes_is_a_table() {
        let row =
            vec![h(0.0, 0.0, 30.0), h(10.0, 0.0, 30.0), v(0.0, 0.0, 10.0), v(15.0, 0.0, 10.0), v(30.0, 0.0, 10.0)];
        assert_eq!(tables(&row)[0].regions.len(), 2);
    }

    #[test]
    fn a_line_through_a_cell_is_not_a_border() {
        let mut rules = grid();
        let strike = h(15.0, 12.0, 18.0);
        rules.push(strike);
        let t = tables(&rules);
        assert_eq!(t[0].regions.len(), 9, "a short line inside a box is not a border");
        assert_eq!(loose_horizontal(&rules, &t), [strike]);
    }

    #[test]
    fn rules_from_points_and_bars() {
        assert_eq!(Rule::between([0.0, 5.0], [20.0, 5.05]).map(|r| r.horizontal), Some(true));
        assert_eq!(Rule::between([0.0, 0.0], [20.0, 20.0]), None);
        let bar = [[0.0, 0.0], [0.5, 0.0], [0.5, 30.0], [0.0, 30.0], [0.0, 0.0]];
        assert_eq!(Rule::rectangle(&bar).map(|r| r.horizontal), Some(false));
        let boxed = [[0.0, 0.0], [30.0, 0.0], [30.0, 20.0], [0.0, 20.0]];
        assert_eq!(Rule::rectangle(&boxed), None, "a cell's background is not a rule");
        let slanted = [[0.0, 0.0], [0.5, 1.0], [0.5, 30.0], [0.0, 30.0]];
        assert_eq!(Rule::rectangle(&slanted), None);
    }
}
