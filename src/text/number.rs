//! Numbers as reports write them: digits full- or half-width, a sign,
//! thousands separators, decimals, a unit (`12件`), or a blank marker (= 0),
//! read into the exact four-place [`Decimal`] within [`MAX_COUNT`]; the
//! common cases settled inline by their bytes, the rest by the general rule.
//!
//! It owns what a number is; it knows nothing of which cell a number is in.

use super::fold_char;

/// The largest count a report may state. A township does not receive a
/// trillion requests; anything larger is a misread number, and keeping every
/// count below this bound means no sum of a million reports can overflow.
pub const MAX_COUNT: u64 = 999_999_999_999;

/// Fixed-point scale of [`Decimal`]: four places, enough for 万元 amounts.
pub const SCALE: i64 = 10_000;

/// An exact decimal (four places) for table 2: fees in 万元 must add up
/// exactly, which binary floating point does not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal(pub i64);

impl Decimal {
    /// A whole number.
    pub fn from_int(v: i64) -> Option<Decimal> {
        v.checked_mul(SCALE).map(Decimal)
    }

    /// Checked addition.
    pub fn checked_add(self, o: Decimal) -> Option<Decimal> {
        self.0.checked_add(o.0).map(Decimal)
    }

    /// Checked subtraction.
    pub fn checked_sub(self, o: Decimal) -> Option<Decimal> {
        self.0.checked_sub(o.0).map(Decimal)
    }

    /// The whole part, when the value has no fraction.
    pub fn as_int(self) -> Option<i64> {
        (self.0 % SCALE == 0).then_some(self.0 / SCALE)
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (int, frac) = (a / SCALE as u64, a % SCALE as u64);
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            let s = format!("{frac:04}");
            write!(f, "{sign}{int}.{}", s.trim_end_matches('0'))
        }
    }
}

/// Why a word that looks like a number cannot be used as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// More than [`MAX_COUNT`] (or more digits than any count has).
    TooLarge,
}

/// A word read as a number: an exact value plus what kind of number it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num {
    /// The value.
    pub value: Decimal,
    /// Written as a blank (`-`, `—`, `/`, `无`), which the form reads as 0.
    pub blank: bool,
}

/// Is the word a blank-cell marker (`-`, `—`, `/`, `无`, …)?
pub fn is_blank_marker(word: &str) -> bool {
    let mut chars = word.chars().map(fold_char);
    match chars.next() {
        Some('-') => chars.all(|c| c == '-'),
        Some('/' | '无' | '\\') => chars.next().is_none(),
        _ => false,
    }
}

/// Can a word starting with this (folded) character be a number? A word
/// starting with anything else is text to [`parse_number`].
pub fn may_start_number(first: char) -> bool {
    first.is_ascii_digit() || matches!(first, '-' | '+' | '/' | '\\' | '无')
}

/// Read a word as a number, if it is one: digits (full- or half-width), with an
/// optional sign, thousands separators (`1,234`, `1，234`), decimals and a unit
/// (`12件`); or a blank marker (= 0). `None` means the word is text.
#[inline]
pub fn parse_number(word: &str) -> Option<Result<Num, NumError>> {
    // A table row is mostly a few ASCII digits, and its label words are
    // mostly CJK: both are settled here, inline, three hundred times a report.
    let b = word.as_bytes();
    let first = *b.first()?;
    let count = |v: u64| {
        Some(if v <= MAX_COUNT {
            Ok(Num { value: Decimal(v as i64 * SCALE), blank: false })
        } else {
            Err(NumError::TooLarge)
        })
    };
    if first < 0x80 {
        if word.len() <= 12 && b.iter().all(u8::is_ascii_digit) {
            return count(b.iter().fold(0u64, |v, &d| v * 10 + u64::from(d - b'0')));
        }
        // An ASCII character folds to itself: a word starting with one that
        // cannot start a number ("(一)", "#", a letter) is text.
        return if may_start_number(char::from(first)) { parse_number_slow(word) } else { None };
    }
    // Full-width digits (０-９: EF BC 90-99), as converters of some offices
    // write every value; the same twelve digits at most.
    if first == 0xEF && word.len() <= 36 && word.len().is_multiple_of(3) {
        let fw = b.chunks_exact(3).try_fold(0u64, |v, c| match c {
            [0xEF, 0xBC, d @ 0x90..=0x99] => Some(v * 10 + u64::from(d - 0x90)),
            _ => None,
        });
        if let Some(v) = fw {
            return count(v);
        }
    }
    if !may_lead_number(b) {
        return None;
    }
    parse_number_slow(word)
}

/// Can a word starting with this character (not ASCII; its UTF-8 bytes)
/// be a number, i.e. does it fold to one that [`may_start_number`]? Only
/// full-width digits and ＋ － ／ ＼, the dashes — – ― − and 无/無 do: a label
/// word such as （一） is settled here by its bytes. A test holds this to
/// [`fold_char`] for every character.
#[inline]
pub(super) fn may_lead_number(b: &[u8]) -> bool {
    matches!(
        b,
        [0xEF, 0xBC, 0x8B | 0x8D | 0x8F | 0x90..=0x99 | 0xBC, ..]
            | [0xE2, 0x80, 0x93..=0x95, ..]
            | [0xE2, 0x88, 0x92, ..]
            | [0xE6, 0x97, 0xA0, ..]
            | [0xE7, 0x84, 0xA1, ..]
    )
}

/// [`parse_number`] for the words its inline checks leave open.
pub(super) fn parse_number_slow(word: &str) -> Option<Result<Num, NumError>> {
    // Most words are text: settle them without allocating.
    if !may_start_number(fold_char(word.chars().next()?)) {
        return None;
    }
    if is_blank_marker(word) {
        return Some(Ok(Num { value: Decimal(0), blank: true }));
    }
    // Only these characters (once folded) can make a number; a word with any
    // other ("1.属于", "2024年") is text, settled without allocating.
    if !word
        .chars()
        .map(fold_char)
        .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+' | '件' | '条' | '个' | '项' | '次'))
    {
        return None;
    }
    // Folded only if it has to be: "1.", "0.35" and "1,234" are ASCII already.
    // Folded onto the stack: every character left is ASCII but the units,
    // which become 'U' (a unit anywhere but at the end makes the word text,
    // as the checks below find).
    let folded: smallvec::SmallVec<[u8; 32]> =
        word.chars().map(|c| u8::try_from(fold_char(c)).ok().filter(u8::is_ascii).unwrap_or(b'U')).collect();
    let w = std::str::from_utf8(&folded).ok()?; // ASCII
    let w = w.trim_end_matches('U');
    let (neg, body) = match w.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, w.strip_prefix('+').unwrap_or(w)),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_part.is_empty() || !valid_int(int_part) {
        return None;
    }
    if let Some(f) = frac_part
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    // The digits, commas skipped (valid_int checked them); anything above
    // MAX_COUNT is too large, however many digits it has.
    let mut int: u64 = 0;
    for b in int_part.bytes().filter(|&b| b != b',') {
        int = int.saturating_mul(10).saturating_add(u64::from(b - b'0'));
    }
    if int > MAX_COUNT {
        return Some(Err(NumError::TooLarge));
    }
    let mut frac_units: i64 = 0;
    if let Some(f) = frac_part {
        // Beyond four places the value cannot be kept exact: treat as too precise.
        if f.len() > 4 {
            return None;
        }
        // "35" is 0.35: 3500 ten-thousandths.
        let digits = f.bytes().fold(0i64, |v, b| v * 10 + i64::from(b - b'0'));
        frac_units = digits * 10i64.pow(4 - f.len() as u32);
    }
    let v = (int as i64) * SCALE + frac_units;
    Some(Ok(Num { value: Decimal(if neg { -v } else { v }), blank: false }))
}

fn valid_int(s: &str) -> bool {
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return false;
    }
    if !s.contains(',') {
        return true;
    }
    // Thousands separators must group by three: 1,234 or 12,345,678.
    let groups: Vec<&str> = s.split(',').collect();
    !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
}
