//! ASCII spaces passed over as bytes (eight at a time), and trims that give
//! what `str::trim` gives without decoding the dozens of spaces a
//! space-aligned line starts with.
//!
//! It owns the byte-level fast paths; it knows nothing of what the text is.

/// Is the byte an ASCII character `char::is_whitespace` counts (note U+000B,
/// which `u8::is_ascii_whitespace` does not)?
#[inline]
pub fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// The index of the first byte at or after `i` that is not an ASCII space.
/// A space-aligned line is mostly runs of spaces (a dozen to eighty bytes
/// between its words): they are passed eight bytes at a time.
#[inline]
pub fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) ^ SPACES;
        if x != 0 {
            // The lowest non-zero byte is the first that is not a space.
            return i + (x.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// The index just past the last byte before `j` that is not an ASCII space
/// (0 if there is none): [`skip_spaces`] backwards.
#[inline]
pub fn skip_spaces_back(b: &[u8], mut j: usize) -> usize {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    while j >= 8 {
        let x = u64::from_le_bytes(b[j - 8..j].try_into().unwrap_or([0; 8])) ^ SPACES;
        if x != 0 {
            // The highest non-zero byte is the last that is not a space.
            return j - (x.leading_zeros() / 8) as usize;
        }
        j -= 8;
    }
    while j > 0 && b[j - 1] == b' ' {
        j -= 1;
    }
    j
}

/// `s.trim_start()`. A space-aligned line starts with dozens of spaces, which
/// `str::trim_start` decodes and looks up one by one; here they are passed
/// over as bytes, and a first character that cannot be whitespace (ASCII, or
/// a three- or four-byte character from U+4000 up, such as CJK) settles it.
/// Anything else goes to `str::trim_start`.
#[inline]
pub fn trim_start(s: &str) -> &str {
    let i = skip_spaces(s.as_bytes(), 0);
    let rest = &s[i..]; // after ASCII spaces: a boundary
    if rest.is_empty() || starts_unspaced(rest.as_bytes()) { rest } else { rest.trim_start() }
}

/// Is the first character of `b` (UTF-8) surely not whitespace, by its
/// first byte: ASCII other than whitespace, or the lead of a character from
/// U+4000 up (CJK; no whitespace character is above U+3000)? `false` says
/// "look closer", not "whitespace".
#[inline]
pub fn starts_unspaced(b: &[u8]) -> bool {
    matches!(b.first(), Some(&x) if (x < 0x80 && !is_ascii_space(x)) || x >= 0xE4)
}

/// [`starts_unspaced`] for the last character: an ASCII byte other than
/// whitespace, or a continuation byte whose character starts two bytes back
/// with a lead of U+4000 or above (valid UTF-8: that lead owns both bytes).
#[inline]
pub fn ends_unspaced(b: &[u8]) -> bool {
    match b.last() {
        None => false,
        Some(&x) if x < 0x80 => !is_ascii_space(x),
        Some(_) => b.len() >= 3 && (0xE4..0xF0).contains(&b[b.len() - 3]),
    }
}

/// `s.trim_end()`, the same way as [`trim_start`]: trailing ASCII spaces as
/// bytes, then a last character that cannot be whitespace settles it.
#[inline]
pub fn trim_end(s: &str) -> &str {
    let j = skip_spaces_back(s.as_bytes(), s.len());
    let rest = &s[..j]; // before ASCII spaces: a boundary
    if rest.is_empty() || ends_unspaced(rest.as_bytes()) { rest } else { rest.trim_end() }
}

/// `s.trim()`: [`trim_end`] of [`trim_start`].
#[inline]
pub fn trim(s: &str) -> &str {
    trim_end(trim_start(s))
}
