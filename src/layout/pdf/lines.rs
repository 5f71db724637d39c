//! A page's glyphs → lines of cells: upright glyphs into lines by baseline
//! and words by gaps, vertical and rotated text into runs, ruled tables
//! ([`super::lattice`]) into grid rows cell by cell, struck-out text left
//! out, a turned page turned back; then the pages' lines numbered over the
//! document. It knows nothing of PDF syntax or of the form.

use super::lattice;
use super::{Glyph, OFF_PAGE, PageGlyphs};
use crate::layout::grid::{self, Down, RawCell, RawRow};
use crate::layout::{Cell, Kind, Line};

/// A glyph's font size on the page.
fn size(g: &Glyph) -> f32 {
    g.up[0].hypot(g.up[1])
}

/// The direction text runs in: along the baseline, or down the em box for
/// vertical writing. A unit vector.
fn run_direction(g: &Glyph) -> [f32; 2] {
    let d = if g.vertical { [-g.up[0], -g.up[1]] } else { g.advance };
    let n = d[0].hypot(d[1]);
    if n > 0.0 { [d[0] / n, d[1] / n] } else { [1.0, 0.0] }
}

/// Upright horizontal text (within about 8 degrees).
fn is_upright(g: &Glyph) -> bool {
    run_direction(g)[0] > 0.99
}

/// A word being built.
struct Word {
    text: String,
    left: f32,
    right: f32,
}

/// A line of a page: the y it sorts by, what its cells are, the cells.
type PageLine = (f32, Kind, Vec<Cell<'static>>);

/// The lines of one page, each with the y it sorts by. The rows of a ruled
/// table ([`lattice`]) are grid rows, cell by cell; all other text is
/// placed words.
///
/// `heading` carries a ruled table's first rows from page to page: a table
/// that goes on over a page break repeats them at the top of the next page
/// (Word's and LibreOffice's "repeat heading rows"), and those copies are
/// dropped, so that the rows before and after the break meet as in the
/// document (a row the break cut in two then reads as its two halves one
/// after the other).
fn page_lines(page: &PageGlyphs, ruled: bool, heading: &mut Vec<Vec<String>>) -> Vec<PageLine> {
    let turned_page;
    let quarter = dominant_turn(page);
    let glyphs = match quarter {
        0 => &page.glyphs,
        quarter => {
            turned_page = page.glyphs.iter().map(|g| turn(g, quarter, page)).collect::<Vec<_>>();
            &turned_page
        }
    };
    // A turned page's rules would have to be turned too: its tables are
    // read by positions.
    let mut tables = if quarter == 0 && ruled { lattice::tables(&page.rules) } else { Vec::new() };
    let strikes = if quarter == 0 { lattice::loose_horizontal(&page.rules, &tables) } else { Vec::new() };
    let glyphs: Vec<&Glyph> =
        glyphs.iter().filter(|g| (0.5..=1000.0).contains(&size(g)) && !struck(g, &strikes)).collect();
    // A table with text beside it is not whole: a table wider than the
    // page, whose rules LibreOffice stops at the page's edge while the text
    // of its outer columns goes on past them. It is read by positions.
    tables.retain(|t| {
        let (left, right) = (t.xs[0], t.xs[t.xs.len() - 1]);
        let (top, bottom) = (t.ys[0], t.ys[t.ys.len() - 1]);
        let on_page = left >= -OFF_PAGE && right <= page.width + OFF_PAGE;
        on_page
            && !glyphs.iter().any(|g| {
                let [x, y] = centre(g);
                y > top && y < bottom && (x < left || x > right) && g.text.is_some()
            })
    });
    let mut in_table: Vec<Vec<&Glyph>> = vec![Vec::new(); tables.len()];
    let mut loose: Vec<&Glyph> = Vec::new();
    for g in glyphs {
        let [x, y] = centre(g);
        match tables.iter().position(|t| t.contains(x, y)) {
            Some(t) => in_table[t].push(g),
            None => loose.push(g),
        }
    }
    let mut lines: Vec<PageLine> = Vec::new();
    let mut last_heading = None;
    for (t, glyphs) in tables.iter().zip(in_table) {
        let Some(mut rows) = table_rows(t, &glyphs) else {
            loose.extend(glyphs);
            continue;
        };
        if rows.is_empty() {
            continue;
        }
        let texts = |row: &PageLine| row.2.iter().map(|c| c.text.to_string()).collect::<Vec<String>>();
        // Only the page's first table can go on from the page before.
        let repeated = if lines.is_empty() {
            rows.iter()
                .zip(heading.iter())
                .take_while(|(r, h)| texts(r) == **h && h.iter().any(|t| !t.is_empty()))
                .count()
        } else {
            0
        };
        if repeated > 0 && repeated < rows.len() {
            rows.drain(..repeated);
            last_heading = Some(std::mem::take(heading));
        } else {
            last_heading = Some(rows.iter().take(MAX_HEADING_ROWS).map(texts).collect());
        }
        lines.extend(rows);
    }
    *heading = last_heading.unwrap_or_default();
    let (upright, turned): (Vec<&Glyph>, Vec<&Glyph>) = loose.into_iter().partition(|g| is_upright(g));
    lines.extend(upright_lines(upright).into_iter().map(|(y, cells)| (y, Kind::Placed, cells)));
    // Vertical and rotated text: runs, each a cell on a line of its own.
    for (y, cell) in runs(turned) {
        lines.push((y, Kind::Placed, vec![cell]));
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0).then(first_left(&a.2).total_cmp(&first_left(&b.2))));
    lines
}

/// Whether a line is drawn through an upright glyph (between a sixth and
/// a half of the font size above its baseline, across its middle): text
/// struck out, as a Word file printed with its tracked changes shows what
/// was deleted. It is not the document's text, as a deletion in the Word
/// file itself is not ([`super::docx`] leaves `w:del` out). An underline
/// (below the baseline: what was inserted) is not a strike.
fn struck(g: &Glyph, strikes: &[lattice::Rule]) -> bool {
    if strikes.is_empty() || !is_upright(g) || g.text.is_none() {
        return false;
    }
    let (s, base) = (size(g), g.origin[1]);
    let x = g.origin[0] + 0.5 * g.advance[0];
    strikes.iter().any(|r| r.at >= base - 0.5 * s && r.at <= base - 0.17 * s && r.from <= x && r.to >= x)
}

/// Where a glyph's em box is: the middle of the box above the baseline.
fn centre(g: &Glyph) -> [f32; 2] {
    // (For vertical writing the interpreter has already moved the origin
    // from the box's top middle to its lower left.)
    let (o, a, u) = (g.origin, g.advance, g.up);
    [o[0] + 0.5 * a[0] + 0.35 * u[0], o[1] + 0.5 * a[1] + 0.35 * u[1]]
}

/// Rows at most that a table's repeated heading may have.
const MAX_HEADING_ROWS: usize = 8;

/// Cells a ruled table may have after its spans are expanded: a report's
/// tables have a few hundred.
const MAX_TABLE_CELLS: usize = 50_000;

/// A ruled table's rows, each cell the text inside its box; `None` when
/// which box a glyph is in is not certain (text running across a border),
/// and the table is then read by positions.
fn table_rows(table: &lattice::Table, glyphs: &[&Glyph]) -> Option<Vec<PageLine>> {
    if glyphs.is_empty() {
        return Some(Vec::new());
    }
    let mut by_region: Vec<Vec<&Glyph>> = vec![Vec::new(); table.regions.len()];
    for g in glyphs {
        let [x, y] = centre(g);
        if is_upright(g) && g.text.is_some() {
            let (left, right) = (g.origin[0], g.origin[0] + g.advance[0]);
            if table.crosses_rule(left, right, y, 0.25 * (right - left)) {
                return None;
            }
        }
        by_region[table.region_at(x, y)?].push(g);
    }
    // Glyphs that touch, one each side of a border: a word running across
    // it (a cell's padding keeps the text of two cells apart).
    let upright: Vec<&Glyph> = glyphs.iter().copied().filter(|g| is_upright(g) && g.text.is_some()).collect();
    for line in baselines(upright) {
        for pair in line.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let touching = b.origin[0] - (a.origin[0] + a.advance[0]) < 0.1 * size(a).max(size(b));
            let (ca, cb) = (centre(a), centre(b));
            if touching && table.region_at(ca[0], ca[1]) != table.region_at(cb[0], cb[1]) {
                return None;
            }
        }
    }
    let texts: Vec<String> = by_region.into_iter().map(cell_text).collect();
    let mut rows: Vec<RawRow> = vec![RawRow::default(); table.ys.len() - 1];
    for (reg, text) in table.regions.iter().zip(texts) {
        let down = if reg.rows > 1 { Down::Rows(reg.rows) } else { Down::Alone };
        rows[reg.row].cells.push(RawCell { text, cols: reg.cols, down });
    }
    let grid = grid::expand(rows, MAX_TABLE_CELLS).ok()?;
    let ys = &table.ys;
    Some(
        grid.into_iter()
            .enumerate()
            .map(|(r, cells)| {
                let cells = cells.into_iter().map(|(text, copied)| Cell { copied, ..Cell::new(text) }).collect();
                ((ys[r] + ys[r + 1]) / 2.0, Kind::Grid, cells)
            })
            .collect(),
    )
}

/// The text inside one box of a ruled table: its lines top to bottom, the
/// words of a line and the lines joined as a cell of a Word table joins
/// its paragraphs' text (no space between CJK text, a space between other
/// words, so that two numbers stay two words).
fn cell_text(glyphs: Vec<&Glyph>) -> String {
    let (upright, turned): (Vec<&Glyph>, Vec<&Glyph>) = glyphs.into_iter().partition(|g| is_upright(g));
    let mut parts: Vec<(f32, String)> = Vec::new();
    for (y, cells) in upright_lines(upright) {
        for c in cells {
            parts.push((y, c.text.into_owned()));
        }
    }
    for (y, c) in runs(turned) {
        parts.push((y, c.text.into_owned()));
    }
    // Stable: the words of one line keep their order.
    parts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let last = parts.len();
    let mut text = String::new();
    for (k, (_, p)) in parts.into_iter().enumerate() {
        let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
        // A number last, under text (`持` / `0`: a header's text run over
        // into the value cell below it), stays a word of its own.
        let after_text =
            text.chars().next_back().is_some_and(|c| wide(Some(c)) && !crate::text::fold_char(c).is_ascii_digit());
        let number_last = k + 1 == last && after_text && crate::text::parse_number(&p).is_some();
        if !text.is_empty() && (number_last || (!wide(text.chars().next_back()) && !wide(p.chars().next()))) {
            text.push(' ');
        }
        text.push_str(&p);
    }
    text
}

/// Upright glyphs → lines by baseline, each with the y it sorts by.
fn upright_lines(upright: Vec<&Glyph>) -> Vec<(f32, Vec<Cell<'static>>)> {
    let mut lines = Vec::new();
    for line in baselines(upright) {
        let (sum_y, sum_s) = line.iter().fold((0.0, 0.0), |(y, s), g| (y + g.origin[1], s + size(g)));
        let n = line.len() as f32;
        // Sorted by the middle of the em box above the baseline.
        let y = sum_y / n - 0.35 * sum_s / n;
        let cells = words(&line);
        if !cells.is_empty() {
            lines.push((y, cells));
        }
    }
    lines
}

/// Upright glyphs grouped into lines by baseline, top to bottom, each left
/// to right without fake bold's doubles.
fn baselines(mut upright: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    let mut lines = Vec::new();
    upright.sort_by(|a, b| a.origin[1].total_cmp(&b.origin[1]).then(a.origin[0].total_cmp(&b.origin[0])));
    let mut i = 0;
    while i < upright.len() {
        // A glyph joins the line when its baseline is within 0.3 em of the
        // line's last one and 0.5 em of its first: cells of one table row
        // that their cells align a little differently (a label top-aligned,
        // the numbers centred) stay one line; the lines of a wrapped label,
        // a line height apart, do not merge, nor do numbers centred between
        // them.
        let first = upright[i];
        let mut j = i + 1;
        while j < upright.len() {
            let (g, last) = (upright[j], upright[j - 1]);
            let em = size(g).max(size(last)).max(size(first));
            if g.origin[1] - last.origin[1] > 0.3 * em || g.origin[1] - first.origin[1] > 0.5 * em {
                break;
            }
            j += 1;
        }
        let mut line: Vec<&Glyph> = upright[i..j].to_vec();
        i = j;
        line.sort_by(|a, b| a.origin[0].total_cmp(&b.origin[0]));
        lines.push(drop_doubles(line));
    }
    lines
}

/// How many quarter turns (clockwise on the page) most of a page's
/// horizontal text is turned by: a page whose content is drawn sideways
/// (a landscape table on a portrait page, a page rotated by the producer) is
/// read in the direction its text runs, as a viewer turning it would.
fn dominant_turn(page: &PageGlyphs) -> u8 {
    let mut count = [0usize; 4];
    for g in page.glyphs.iter().filter(|g| !g.vertical && g.text.is_some()) {
        let d = run_direction(g);
        let q = match (d[0] > 0.99, d[1] > 0.99, d[0] < -0.99, d[1] < -0.99) {
            (true, ..) => 0,
            (_, true, ..) => 1,
            (_, _, true, _) => 2,
            (.., true) => 3,
            _ => continue,
        };
        count[q] += 1;
    }
    let total: usize = count.iter().sum();
    (1..4).find(|&q| count[q] * 2 > total).unwrap_or(0) as u8
}

/// A glyph as it lies on the page turned back by `quarter` quarter turns
/// (so that text turned by that much is upright), page corner at the origin.
fn turn(g: &Glyph, quarter: u8, page: &PageGlyphs) -> Glyph {
    let (w, h) = (page.width, page.height);
    let v = |[x, y]: [f32; 2]| match quarter {
        1 => [y, -x],
        2 => [-x, -y],
        _ => [-y, x],
    };
    let [x, y] = v(g.origin);
    let origin = match quarter {
        1 => [x, y + w],
        2 => [x + w, y + h],
        _ => [x + h, y],
    };
    Glyph { origin, advance: v(g.advance), up: v(g.up), ..g.clone() }
}

fn first_left(cells: &[Cell<'_>]) -> f32 {
    cells.first().and_then(|c| c.x).map_or(0.0, |x| x[0])
}

/// A line's glyphs without the copies that fake bold draws a hair's
/// breadth from the first (same text, origins within 0.15 em).
fn drop_doubles(line: Vec<&Glyph>) -> Vec<&Glyph> {
    let mut kept: Vec<&Glyph> = Vec::with_capacity(line.len());
    for g in line {
        let near = 0.15 * size(g);
        let double = kept.iter().rev().take_while(|k| g.origin[0] - k.origin[0] <= near).any(|k| {
            k.text == g.text && (k.origin[1] - g.origin[1]).abs() <= near && (size(k) - size(g)).abs() <= near
        });
        if !double {
            kept.push(g);
        }
    }
    kept
}

/// Split a line (glyphs left to right) into words at spaces and gaps wider
/// than a third of the font size.
fn words(line: &[&Glyph]) -> Vec<Cell<'static>> {
    let mut cells = Vec::new();
    let mut cur: Option<Word> = None;
    let flush = |w: Option<Word>, cells: &mut Vec<Cell<'static>>| {
        if let Some(w) = w {
            cells.push(Cell::placed(w.text, w.left, w.right));
        }
    };
    for g in line {
        let Some(text) = &g.text else {
            flush(cur.take(), &mut cells);
            continue;
        };
        let left = g.origin[0];
        let right = left + g.advance[0];
        if let Some(w) = &mut cur {
            if left - w.right > size(g) / 3.0 {
                flush(cur.take(), &mut cells);
            } else {
                text.push_to(&mut w.text);
                w.right = w.right.max(right);
                continue;
            }
        }
        let mut s = String::new();
        text.push_to(&mut s);
        cur = Some(Word { text: s, left, right });
    }
    flush(cur.take(), &mut cells);
    cells
}

/// Vertical and rotated glyphs grouped into runs: glyphs going the same way,
/// on one line across that way (within 0.3 em), less than 1.5 em apart
/// along it. Each run is a cell at its x extent, with the y of its centre.
fn runs(mut glyphs: Vec<&Glyph>) -> Vec<(f32, Cell<'static>)> {
    // Directions are told apart to the degree.
    let angle = |g: &Glyph| {
        let d = run_direction(g);
        (d[1].atan2(d[0]).to_degrees().round() as i32).rem_euclid(360)
    };
    glyphs.sort_by_key(|g| angle(g));
    let mut out = Vec::new();
    for same in glyphs.chunk_by(|a, b| angle(a) == angle(b)) {
        let d = run_direction(same[0]);
        let across = |g: &Glyph| {
            let c = centre(g);
            c[1] * d[0] - c[0] * d[1]
        };
        let along = |g: &Glyph| {
            let c = centre(g);
            c[0] * d[0] + c[1] * d[1]
        };
        let mut sorted: Vec<&Glyph> = same.to_vec();
        sorted.sort_by(|a, b| across(a).total_cmp(&across(b)).then(along(a).total_cmp(&along(b))));
        let mut i = 0;
        while i < sorted.len() {
            let anchor = sorted[i];
            let mut j = i + 1;
            while j < sorted.len() && across(sorted[j]) - across(anchor) <= 0.3 * size(anchor).max(size(sorted[j])) {
                j += 1;
            }
            let mut band: Vec<&Glyph> = sorted[i..j].to_vec();
            i = j;
            band.sort_by(|a, b| along(a).total_cmp(&along(b)));
            // Split the band where the glyphs are far apart along it.
            for run in band.chunk_by(|a, b| along(b) - along(a) <= 1.5 * size(a).max(size(b))) {
                let run = drop_doubles(run.to_vec());
                let mut text = String::new();
                let (mut x0, mut x1, mut y0, mut y1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
                for g in &run {
                    if let Some(t) = &g.text {
                        t.push_to(&mut text);
                    }
                    let c = centre(g);
                    let h = 0.5 * size(g);
                    (x0, x1, y0, y1) = (x0.min(c[0] - h), x1.max(c[0] + h), y0.min(c[1] - h), y1.max(c[1] + h));
                }
                if !text.is_empty() {
                    out.push(((y0 + y1) / 2.0, Cell::placed(text, x0, x1)));
                }
            }
        }
    }
    out
}

/// The lines of all pages, numbered over the document.
pub(super) fn lines_of(pages: &[PageGlyphs], ruled: bool) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut heading = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        for (_, kind, cells) in page_lines(page, ruled, &mut heading) {
            let number = out.len() + 1;
            out.push(Line { cells: cells.into(), kind, number, page: p as u32 });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Glyph, Text};
    use super::cell_text;

    /// Upright glyphs of 10-point text, one line per string, top to bottom
    /// (the page's y grows downwards, as the device records it).
    fn lines(texts: &[&str]) -> Vec<Glyph> {
        let mut out = Vec::new();
        for (k, t) in texts.iter().enumerate() {
            for (i, c) in t.chars().enumerate() {
                let x = 100.0 + 10.0 * i as f32;
                let y = 500.0 + 14.0 * k as f32;
                out.push(Glyph {
                    text: Some(Text::One(c)),
                    origin: [x, y],
                    advance: [10.0, 0.0],
                    up: [0.0, 10.0],
                    vertical: false,
                });
            }
        }
        out
    }

    #[test]
    fn a_cells_lines_join_as_words_of_a_word_table_cell() {
        let text = |t: &[&str]| cell_text(lines(t).iter().collect());
        // CJK text wrapped in a narrow cell: one word.
        assert_eq!(text(&["结果", "维持"]), "结果维持");
        // A number wrapped in a narrow cell (full-width digits): one number.
        assert_eq!(text(&["1", "９"]), "1９");
        // A header's last character run over above a value: two words.
        assert_eq!(text(&["持", "0"]), "持 0");
        // Two numbers on two lines stay two words.
        assert_eq!(text(&["5", "30"]), "5 30");
    }
}
