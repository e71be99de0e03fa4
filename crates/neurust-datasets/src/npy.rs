//! Minimal reader for NumPy `.npy` arrays of bytes (`dtype=uint8`, C order).
//!
//! A `.npy` file is the magic `\x93NUMPY`, a version (major, minor), the header length
//! (`u16` little-endian for version 1, `u32` for versions 2 and 3), then a Python dict
//! literal such as `{'descr': '|u1', 'fortran_order': False, 'shape': (60000, 28, 28), }`,
//! then the raw array bytes.

use std::io::Read;

/// Upper bound on the header dict; NumPy keeps it far below this.
const MAX_HEADER: usize = 1 << 16;

/// Reads one `u8` array: returns its shape and its bytes, or a description of the problem.
///
/// The payload is read with a bound derived from the shape, so a lying header cannot
/// make this allocate more than the bytes that actually arrive.
pub(crate) fn read_u8_array(reader: &mut dyn Read) -> Result<(Vec<usize>, Vec<u8>), String> {
    let mut prefix = [0u8; 8];
    reader
        .read_exact(&mut prefix)
        .map_err(|e| format!("no .npy preamble ({e})"))?;
    if &prefix[..6] != b"\x93NUMPY" {
        return Err(format!("no .npy magic (first bytes {:02x?})", &prefix[..6]));
    }
    let header_len = match prefix[6] {
        1 => {
            let mut len = [0u8; 2];
            reader
                .read_exact(&mut len)
                .map_err(|e| format!("truncated .npy header ({e})"))?;
            usize::from(u16::from_le_bytes(len))
        }
        2 | 3 => {
            let mut len = [0u8; 4];
            reader
                .read_exact(&mut len)
                .map_err(|e| format!("truncated .npy header ({e})"))?;
            usize::try_from(u32::from_le_bytes(len)).unwrap_or(usize::MAX)
        }
        v => return Err(format!(".npy format version {v}, which is unknown")),
    };
    if header_len > MAX_HEADER {
        return Err(format!("a .npy header of {header_len} bytes"));
    }
    let mut header = vec![0u8; header_len];
    reader
        .read_exact(&mut header)
        .map_err(|e| format!("truncated .npy header ({e})"))?;
    let header =
        String::from_utf8(header).map_err(|_| "a .npy header that is not text".to_string())?;
    let shape = parse_header(&header)?;
    let len = shape
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64))
        .ok_or("an overflowing shape")?;
    let mut data = Vec::new();
    reader
        .take(len.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| format!("unreadable array data ({e})"))?;
    if data.len() as u64 != len {
        return Err(format!(
            "{} data bytes where shape {shape:?} needs {len}",
            data.len()
        ));
    }
    Ok((shape, data))
}

/// Checks `descr` and `fortran_order` and returns the shape from a header dict.
fn parse_header(header: &str) -> Result<Vec<usize>, String> {
    let entries = entries(header)?;
    let value_of = |key: &str| {
        entries
            .iter()
            .find_map(|&(k, v)| (k == key).then_some(v))
            .ok_or_else(|| format!("a .npy header without '{key}'"))
    };
    let descr = value_of("descr")?;
    if !matches!(
        descr.trim_matches(['\'', '"']),
        "|u1" | "<u1" | ">u1" | "u1"
    ) {
        return Err(format!("dtype {descr} where uint8 ('|u1') was expected"));
    }
    let fortran = value_of("fortran_order")?;
    if fortran != "False" {
        return Err(format!(
            "fortran_order {fortran} where C order (False) was expected"
        ));
    }
    let shape = value_of("shape")?;
    let inner = shape
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .ok_or_else(|| format!("shape {shape} that is not a tuple"))?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.trim_end_matches('L')
                .parse::<usize>()
                .map_err(|_| format!("shape {shape}"))
        })
        .collect()
}

/// The `'key': value` entries of the header's dict literal, values as written. A key given
/// twice is refused: Python keeps the last one, so reading any other could misread the data.
fn entries(header: &str) -> Result<Vec<(&str, &str)>, String> {
    let mut rest = header
        .trim()
        .strip_prefix('{')
        .ok_or("a .npy header that is not a dict")?;
    let mut entries: Vec<(&str, &str)> = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix('}') {
            return match after.trim() {
                "" => Ok(entries),
                _ => Err("text after the .npy header dict".into()),
            };
        }
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"'))
            .ok_or("a .npy header dict with a key that is not a string")?;
        let close = 1 + rest[1..]
            .find(quote)
            .ok_or("a .npy header dict with an unterminated key")?;
        let key = &rest[1..close];
        if entries.iter().any(|&(k, _)| k == key) {
            return Err(format!("a .npy header with the key '{key}' twice"));
        }
        rest = rest[close + 1..]
            .trim_start()
            .strip_prefix(':')
            .ok_or_else(|| format!("a malformed '{key}' entry"))?;
        let end = value_end(rest).ok_or_else(|| format!("an unterminated '{key}' entry"))?;
        entries.push((key, rest[..end].trim()));
        rest = &rest[end..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
}

/// Where the value at the start of `s` ends: at the first `,` or `}` outside brackets
/// and quotes.
fn value_end(s: &str) -> Option<usize> {
    let mut depth = 0u32;
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, ',' | '}') if depth == 0 => return Some(i),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numpy_headers() {
        let h = "{'descr': '|u1', 'fortran_order': False, 'shape': (60000, 28, 28), }          \n";
        assert_eq!(parse_header(h).unwrap(), vec![60000, 28, 28]);
        let h = "{'descr': '|u1', 'fortran_order': False, 'shape': (10000,), }";
        assert_eq!(parse_header(h).unwrap(), vec![10000]);
        let h = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
        assert!(parse_header(h).unwrap_err().contains("<i8"));
        let h = "{'descr': '|u1', 'fortran_order': True, 'shape': (3, 2), }";
        assert!(parse_header(h).unwrap_err().contains("fortran_order"));
    }

    #[test]
    fn duplicate_keys_are_refused() {
        // NumPy keeps the last of two equal keys; reading the first would transpose the data.
        let h =
            "{'descr': '|u1', 'fortran_order': False, 'shape': (3, 2), 'fortran_order': True, }";
        let err = parse_header(h).unwrap_err();
        assert!(err.contains("'fortran_order' twice"), "{err}");
        let h = "{'shape': (3,), 'descr': '|u1', \"shape\": (2,), 'fortran_order': False}";
        assert!(parse_header(h).unwrap_err().contains("'shape' twice"));
    }
}
