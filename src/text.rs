//! Character-level normalisation and number reading, shared by every layout.
//!
//! Reports mix full-width and half-width brackets and digits, put spaces inside
//! labels, and some counties publish in traditional script. Labels are compared
//! only after [`normalize`], which maps each of these variants onto one
//! spelling; numbers are read only by [`parse_number`], so `１２`, `12件` and
//! `1,234` mean the same wherever they occur.
//!
//! The parts: `fold` (one character onto its canonical form, whole strings
//! normalised, a worker's cache of normalised words), `number` (a word read
//! as a number, the exact [`Decimal`]), `marker` (page headers and footers
//! left inside tables), `spaces` (trimming and skipping ASCII spaces as
//! bytes, for space-aligned text).

mod fold;
mod marker;
mod number;
mod spaces;
#[cfg(test)]
mod tests;

pub use fold::{display_width, fold_char, normalize, normalize_into, normalize_word_into};
pub use marker::{is_list_marker, is_page_marker};
pub use number::{Decimal, MAX_COUNT, Num, NumError, SCALE, is_blank_marker, may_start_number, parse_number};
pub use spaces::{
    ends_unspaced, is_ascii_space, skip_spaces, skip_spaces_back, starts_unspaced, trim, trim_end, trim_start,
};

/// `count` strings of up to `max_len - 1` characters drawn from `pool`, the
/// same for the same `seed`: inputs for tests that pit a fast path against
/// the plain rule it replaces.
#[cfg(test)]
pub(crate) fn random_strings(pool: &str, count: usize, max_len: u64, seed: u64) -> Vec<String> {
    let pool: Vec<char> = pool.chars().collect();
    let mut next = random_below(seed);
    (0..count)
        .map(|_| {
            // Drawn afresh for every string: an empty string must not stop
            // the generator (every later string would be empty too).
            let n = next(max_len as usize);
            (0..n).map(|_| pool[next(pool.len())]).collect()
        })
        .collect()
}

/// A generator of numbers below `n` (each call's argument), the same for
/// the same `seed`: for tests that build random inputs from pieces.
#[cfg(test)]
pub(crate) fn random_below(seed: u64) -> impl FnMut(usize) -> usize {
    let mut x = seed;
    // A step of an LCG, its high bits (the low bits repeat soon).
    move |n| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) as usize % n
    }
}
