//! Print the lines of cells a layout makes of a file (for debugging layouts).
//!
//! `cargo run --example dump_lines FILE` prints each line's number, kind and
//! cells (placed cells with their x edges, `"text"@left-right`);
//! `--text` renders placed lines the way `pdftotext -layout` does (each
//! word at the column its left edge falls in, a column being the average
//! width of a character, CJK characters two columns wide), to set beside
//! poppler's output.
use county_rollup::discover::{Action, classify};
use county_rollup::layout::Line;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let text_mode = args.iter().position(|a| a == "--text").map(|i| args.remove(i)).is_some();
    let path = args.first().expect("usage: dump_lines [--text] FILE");
    let bytes = std::fs::read(path).expect("readable file");
    let Action::Read(kind) = classify(path) else { panic!("not a report file type") };
    match county_rollup::read_lines(&bytes, kind) {
        Ok(lines) if text_mode => print!("{}", render(&lines)),
        Ok(lines) => {
            for l in lines {
                let cells: Vec<String> = l
                    .cells
                    .iter()
                    .map(|c| match (c.x, c.copied) {
                        (Some([a, b]), _) => format!("{:?}@{a:.1}-{b:.1}", c.text),
                        (None, true) => format!("({:?})", c.text),
                        (None, false) => format!("{:?}", c.text),
                    })
                    .collect();
                println!("{:4} {:?} {}", l.number, l.kind, cells.join(" "));
            }
        }
        Err(e) => println!("rejected: {e}"),
    }
}

/// Display columns a character takes (CJK and full-width forms: two).
fn columns(c: char) -> usize {
    let wide = matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Placed lines as space-aligned text: the column of a word is its left
/// edge over the width of a display column (the narrow end of the words'
/// widths per column over the document, so that words rarely collide); a
/// word never starts before the end of the one before it.
fn render(lines: &[Line<'_>]) -> String {
    let mut per_column: Vec<f64> = Vec::new();
    for c in lines.iter().flat_map(|l| &l.cells) {
        let cols = c.text.chars().map(columns).sum::<usize>();
        if let (Some([a, b]), true) = (c.x, cols > 0) {
            per_column.push(f64::from(b - a) / cols as f64);
        }
    }
    per_column.retain(|w| *w > 0.0);
    per_column.sort_by(f64::total_cmp);
    let unit = per_column.get(per_column.len() / 5).copied().unwrap_or(5.0);
    let mut out = String::new();
    for l in lines {
        let mut at = 0usize;
        for (i, c) in l.cells.iter().enumerate() {
            let want = c.x.map_or(at, |[a, _]| (f64::from(a) / unit).round().max(0.0) as usize);
            let start = if i == 0 { want } else { want.max(at + 1) };
            out.extend(std::iter::repeat_n(' ', start - at));
            out.push_str(&c.text);
            at = start + c.text.chars().map(columns).sum::<usize>();
        }
        out.push('\n');
    }
    out
}
