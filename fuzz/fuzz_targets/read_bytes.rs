//! The whole per-file path, bytes → report or rejection, for every kind of
//! document: it must never panic, whatever the bytes.
#![no_main]

use county_rollup::discover::DocKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let kind = match first % 5 {
        0 => DocKind::Text,
        1 => DocKind::Html,
        2 => DocKind::Docx,
        3 => DocKind::Doc,
        _ => DocKind::Pdf,
    };
    let _ = county_rollup::read_bytes(rest, kind, None, Some("测试县"));
});
