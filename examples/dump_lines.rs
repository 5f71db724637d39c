//! Print the lines of cells a layout makes of a file (for debugging layouts).
use county_rollup::discover::{Action, classify};

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_lines FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let Action::Read(kind) = classify(&path) else { panic!("not a report file type") };
    match county_rollup::read_lines(&bytes, kind) {
        Ok(lines) => {
            for l in lines {
                println!("{:4} {}{:?} {:?}", l.number, if l.exact { "#" } else { " " }, l.cells, l.copied);
            }
        }
        Err(e) => println!("rejected: {e}"),
    }
}
