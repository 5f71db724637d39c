//! Print the lines of cells a layout makes of a file (for debugging layouts).
use county_rollup::discover::{Action, classify};

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_lines FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let Action::Read(kind) = classify(&path) else { panic!("not a report file type") };
    match county_rollup::read_lines(&bytes, kind) {
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
