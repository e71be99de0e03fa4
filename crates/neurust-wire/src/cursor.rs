//! Cursor positions: Jupyter counts them in Unicode code points, Rust tooling in bytes.

/// The byte offset of the `chars`-th code point of `text` (its length when past the end).
///
/// ```
/// assert_eq!(neurust_wire::cursor::char_to_byte("é = 1", 1), 2);
/// ```
pub fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(text.len())
}

/// The number of code points before byte offset `byte` of `text` (clamped to its length).
///
/// ```
/// assert_eq!(neurust_wire::cursor::byte_to_char("é = 1", 2), 1);
/// ```
pub fn byte_to_char(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.char_indices().take_while(|(i, _)| *i < byte).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_convert_both_ways() {
        let s = "é = 1";
        assert_eq!(char_to_byte(s, 1), 2);
        assert_eq!(byte_to_char(s, 2), 1);
        assert_eq!(char_to_byte(s, 99), s.len());
        assert_eq!(byte_to_char(s, 99), 5);
    }
}
