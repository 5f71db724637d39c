//! Web pages (the tokenizer, the tree-building rules, the grid) through the
//! whole per-file path, bytes → report or rejection: it must never panic, and
//! must stay within the layout's budgets of time and memory (libFuzzer's
//! -timeout and -rss_limit_mb), whatever the bytes.
#![no_main]

use county_rollup::discover::DocKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = county_rollup::read_bytes(data, DocKind::Html, None, Some("测试县"));
});
