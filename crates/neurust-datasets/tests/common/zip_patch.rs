//! Rewriting a zip archive's central directory, to build archives no honest writer makes.

/// Makes central-directory entry `from` a copy of entry `to` but for its name: same local
/// header, data, sizes and CRC. The archive must have no comment; entries count from 0.
pub fn alias_entry(mut zip: Vec<u8>, from: usize, to: usize) -> Vec<u8> {
    let u16_at = |z: &[u8], i: usize| usize::from(u16::from_le_bytes([z[i], z[i + 1]]));
    let u32_at = |z: &[u8], i: usize| u32::from_le_bytes([z[i], z[i + 1], z[i + 2], z[i + 3]]);
    let eocd = zip.len() - 22;
    assert_eq!(
        u32_at(&zip, eocd),
        0x0605_4b50,
        "archive ends with a comment"
    );
    // Each central-directory entry: 46 fixed bytes, then name, extra field and comment.
    let mut starts = Vec::new();
    let mut at = u32_at(&zip, eocd + 16) as usize;
    for _ in 0..u16_at(&zip, eocd + 10) {
        assert_eq!(u32_at(&zip, at), 0x0201_4b50, "central-directory entry");
        starts.push(at);
        at += 46 + u16_at(&zip, at + 28) + u16_at(&zip, at + 30) + u16_at(&zip, at + 32);
    }
    // CRC-32 and both sizes (bytes 16..28), then the local header's offset (42..46).
    for range in [16..28, 42..46] {
        let bytes = zip[starts[to] + range.start..starts[to] + range.end].to_vec();
        zip[starts[from] + range.start..starts[from] + range.end].copy_from_slice(&bytes);
    }
    zip
}
