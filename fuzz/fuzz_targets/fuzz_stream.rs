//! The user-code process's stdout: arbitrary bytes, written in arbitrary pieces, through the
//! relay's line splitting and sorting and the kernel's unescaping (`neurust_stream`).
//!
//! Input: a flags byte (bit 0: the bytes come while a cell runs, else between cells; bits 1-7:
//! the size of the pieces, 1 to 128 bytes), a byte for the longest line held whole (8 to 263
//! bytes, so long lines go in pieces), then the bytes. Checked, unless the input holds the tag:
//! no line that evcxr or the kernel reads holds a control name of either (`EVCXR_`,
//! `NEURUST-`) unescaped, nor ends in `\r` (evcxr's line reader drops it); read back, the lines
//! are the input (invalid UTF-8 as U+FFFD), in order, the unfinished last one ended by a newline.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neurust_stream::sort::{CELL_START, SIDE};
use neurust_stream::{Output, Sorter, Splitter, unescape};

const TAG: &str = "NEURUST-TAG-0123456789abcdef0123456789abcdef ";

fuzz_target!(|data: &[u8]| {
    let [flags, limit, bytes @ ..] = data else {
        return;
    };
    let in_cell = flags & 1 == 1;
    let piece = usize::from(flags >> 1) + 1;
    let mut splitter = Splitter::with_limit(usize::from(*limit) + 8);
    let mut sorter = Sorter::new(TAG);
    if in_cell {
        sorter.piece(neurust_stream::Piece::Line(format!("{TAG}{CELL_START}")));
    }
    for chunk in bytes.chunks(piece) {
        splitter.feed(chunk, &mut |p| sorter.piece(p));
    }
    sorter.finish(splitter.take_held());
    let mut read = String::new();
    for output in sorter.outputs() {
        let (Output::Evcxr(lines) | Output::Side(lines)) = output else {
            panic!("a cell end from user bytes");
        };
        for line in lines.split_terminator('\n') {
            let line = if in_cell {
                line
            } else {
                line.strip_prefix(TAG)
                    .and_then(|l| l.strip_prefix(SIDE))
                    .expect("a stdout line between cells goes to stderr, tagged")
            };
            match unescape(line) {
                Some(user) => {
                    read.push_str(&user.text);
                    if !user.continues {
                        read.push('\n');
                    }
                }
                None => {
                    read.push_str(line);
                    read.push('\n');
                }
            }
            let holds_tag = bytes.windows(TAG.len()).any(|w| w == TAG.as_bytes());
            if !holds_tag && unescape(line).is_none() {
                assert!(
                    !line.contains("EVCXR_") && !line.contains("NEURUST-"),
                    "{line:?}"
                );
                assert!(!line.ends_with('\r'), "{line:?}");
            }
        }
    }
    if bytes.windows(TAG.len()).any(|w| w == TAG.as_bytes()) {
        return;
    }
    let mut expected = String::from_utf8_lossy(bytes).into_owned();
    if !bytes.is_empty() && !expected.ends_with('\n') {
        expected.push('\n');
    }
    assert_eq!(read, expected);
});
