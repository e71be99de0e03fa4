//! The IDX readers (images and labels), raw and gzipped.
//!
//! Input: one flags byte, then the file. Flag 1: read it as images, else as labels. Flag 2:
//! the harness gzips the file first (so the gzip path sees valid streams; corrupt ones reach
//! it directly when the file starts with the gzip magic).
//!
//! Checked: nothing panics or allocates beyond the data; an accepted raw file holds exactly
//! the header and the items its header counts.
#![no_main]

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use neurust_datasets::parse;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, file)) = data.split_first() else {
        return;
    };
    let gzipped;
    let input = if flags & 2 != 0 {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(file).expect("gzip into memory");
        gzipped = encoder.finish().expect("gzip into memory");
        &gzipped[..]
    } else {
        file
    };
    let raw = flags & 2 == 0 && !file.starts_with(&[0x1f, 0x8b]);
    if flags & 1 != 0 {
        if let Ok(images) = parse::idx_images(input)
            && raw
        {
            assert_eq!(file.len(), 16 + images.len());
        }
    } else if let Ok(labels) = parse::idx_labels(input)
        && raw
    {
        assert_eq!(file.len(), 8 + labels.len());
    }
});
