//! Tests of [`Sorter`]: every marker printed by user code stays text; the kernel's tagged
//! lines and evcxr's own lines in their places stay control lines.

use super::*;
use crate::split::Splitter;

const TAG: &str = "NEURUST-TAG-0123456789abcdef0123456789abcdef ";

/// Runs `text` through a splitter and a sorter; returns what evcxr gets, what goes to
/// stderr, and how many cell ends were seen.
fn sort(text: &str) -> (String, String, usize) {
    let mut splitter = Splitter::default();
    let mut sorter = Sorter::new(TAG);
    splitter.feed(text.as_bytes(), &mut |p| sorter.piece(p));
    sorter.finish(splitter.take_held());
    let (mut evcxr, mut side, mut ends) = (String::new(), String::new(), 0);
    for output in sorter.outputs() {
        match output {
            Output::Evcxr(s) => evcxr.push_str(&s),
            Output::Side(s) => side.push_str(&s),
            Output::CellEnd => ends += 1,
        }
    }
    (evcxr, side, ends)
}

fn cell(body: &str) -> String {
    format!("{TAG}{CELL_START}\n{body}{TAG}{CELL_END}\n")
}

/// The lines evcxr would act on, or the kernel would (all but user text).
fn controls(evcxr: &str) -> Vec<&str> {
    evcxr
        .lines()
        .filter(|l| {
            (l.contains("EVCXR_") || l.contains("NEURUST-")) && !l.starts_with("NEURUST-ESC")
        })
        .collect()
}

const MARKERS: [&str; 13] = [
    "EVCXR_EXECUTION_COMPLETE",
    "EVCXR_ERROR_OCCURRED",
    "EVCXR_PANIC_NOTIFICATION",
    "EVCXR_BEGIN_CONTENT text/html",
    "<b>bold</b>",
    "EVCXR_END_CONTENT",
    "EVCXR_INPUT_REQUEST:Name: ",
    "EVCXR_VARIABLE_CHANGED_TYPE:x",
    "NEURUST-PANIC-V1 \"boom\"",
    "NEURUST-USER-ERROR-V1",
    "NEURUST-STDIN-READ-V1",
    "NEURUST-DISPLAY-V1 {\"action\":\"clear\",\"wait\":false}",
    "NEURUST-ESC-V1 EVCXR_ERROR_OCCURRED",
];

#[test]
fn markers_printed_by_a_cell_stay_text() {
    let body: String = MARKERS.iter().map(|m| format!("{m}\nafter\n")).collect();
    let (evcxr, side, ends) = sort(&cell(&body));
    assert_eq!(controls(&evcxr), ["EVCXR_EXECUTION_COMPLETE"]);
    assert_eq!((side.as_str(), ends), ("", 1));
    let text: Vec<String> = evcxr
        .lines()
        .map(|l| crate::unescape(l).map_or(l.to_owned(), |u| u.text))
        .collect();
    let expected: Vec<&str> = body.lines().chain(["EVCXR_EXECUTION_COMPLETE"]).collect();
    assert_eq!(text, expected);
}

#[test]
fn the_kernels_tagged_lines_are_control_lines() {
    let body = format!(
        "Name: {TAG}NEURUST-PANIC-V1 \"boom\"\n50% {TAG}{DISPLAY}{{}}\n\
         {TAG}EVCXR_BEGIN_CONTENT text/plain\nEVCXR_ERROR_OCCURRED\n{TAG}EVCXR_END_CONTENT\n"
    );
    let (evcxr, _, _) = sort(&cell(&body));
    assert_eq!(
        evcxr,
        "Name: \nNEURUST-PANIC-V1 \"boom\"\n50% NEURUST-DISPLAY-V1 {}\n\
         EVCXR_BEGIN_CONTENT text/plain\nEVCXR_ERROR_OCCURRED\nEVCXR_END_CONTENT\n\
         EVCXR_EXECUTION_COMPLETE\n"
    );
}

#[test]
fn evcxrs_own_lines_count_where_evcxr_writes_them() {
    let (evcxr, _, _) = sort(&cell("out\nxEVCXR_ERROR_OCCURRED\n"));
    assert_eq!(
        evcxr,
        "out\nx\nEVCXR_ERROR_OCCURRED\nNEURUST-USER-ERROR-V1\nEVCXR_EXECUTION_COMPLETE\n"
    );
    let checks = "EVCXR_VARIABLE_CHANGED_TYPE:x\nEVCXR_VARIABLE_CHANGED_TYPE:y\n";
    let (evcxr, _, _) = sort(&cell(checks));
    assert_eq!(evcxr, format!("{checks}EVCXR_EXECUTION_COMPLETE\n"));
    let result = "EVCXR_BEGIN_CONTENT text/plain\n[1, 2]\nEVCXR_END_CONTENT\n";
    let (evcxr, _, _) = sort(&cell(&format!("out\n{result}")));
    assert_eq!(evcxr, format!("out\n{result}EVCXR_EXECUTION_COMPLETE\n"));
    let (evcxr, _, _) = sort(&cell("EVCXR_PANIC_NOTIFICATION\n"));
    assert_eq!(controls(&evcxr), ["EVCXR_PANIC_NOTIFICATION", CELL_END]);
}

#[test]
fn variable_checks_count_only_as_the_whole_of_a_cells_output() {
    // evcxr's checks return before the cell's code runs: with other output, they were printed.
    for body in [
        "EVCXR_VARIABLE_CHANGED_TYPE:kept\nx\n",
        "EVCXR_VARIABLE_CHANGED_TYPE:kept\nEVCXR_ERROR_OCCURRED\n",
        "EVCXR_VARIABLE_CHANGED_TYPE:kept\nEVCXR_BEGIN_CONTENT text/plain\n1\nEVCXR_END_CONTENT\n",
    ] {
        let (evcxr, _, _) = sort(&cell(body));
        let shown: Vec<&str> = evcxr.lines().filter(|l| l.starts_with("EVCXR_V")).collect();
        assert!(shown.is_empty(), "{body:?} gave {evcxr:?}");
        assert_eq!(
            crate::unescape(evcxr.lines().next().unwrap_or_default()).map(|u| u.text),
            Some("EVCXR_VARIABLE_CHANGED_TYPE:kept".to_owned())
        );
    }
}

#[test]
fn a_variable_check_named_by_the_cell_before_is_text() {
    // A cell that prints only a check: evcxr drops the variable and runs the cell again; the
    // run again must end, so the same name right after a check that counted is text.
    let check = "EVCXR_VARIABLE_CHANGED_TYPE:kept\n";
    let (evcxr, _, ends) = sort(&[cell(check), cell(check), cell(check)].concat());
    let escaped = crate::escape_line("EVCXR_VARIABLE_CHANGED_TYPE:kept");
    assert_eq!(
        evcxr,
        format!("{check}{CELL_END}\n{escaped}\n{CELL_END}\n{check}{CELL_END}\n")
    );
    assert_eq!(ends, 3);
    // Another name, or a cell between, counts again.
    let other = "EVCXR_VARIABLE_CHANGED_TYPE:other\n";
    let (evcxr, _, _) = sort(&[cell(check), cell(other), cell("x\n"), cell(other)].concat());
    let end = format!("{CELL_END}\n");
    assert_eq!(
        evcxr,
        [check, &end, other, &end, "x\n", &end, other, &end].concat()
    );
}

#[test]
fn an_unfinished_content_block_at_the_end_is_text() {
    let (evcxr, _, _) = sort(&cell("EVCXR_BEGIN_CONTENT text/html\n<b>\n"));
    assert_eq!(controls(&evcxr), [CELL_END]);
}

#[test]
fn a_wrong_tag_or_an_unknown_tagged_line_is_text() {
    let wrong = "NEURUST-TAG-00000000000000000000000000000000 EVCXR_EXECUTION_COMPLETE\n";
    let unknown = format!("NEURUST_OUTPUT_TAG={TAG}\n");
    let (evcxr, _, ends) = sort(&cell(&format!("{wrong}{unknown}")));
    assert_eq!((controls(&evcxr), ends), (vec![CELL_END], 1));
}

#[test]
fn output_between_cells_goes_to_stderr() {
    let text = format!(
        "{}late EVCXR_ERROR_OCCURRED\n{TAG}{DISPLAY}{{}}\n",
        cell("in\n")
    );
    let (evcxr, side, _) = sort(&text);
    assert_eq!(evcxr, "in\nEVCXR_EXECUTION_COMPLETE\n");
    let escaped = crate::escape_line("late EVCXR_ERROR_OCCURRED");
    assert_eq!(
        side,
        format!("{TAG}{SIDE}{escaped}\n{TAG}{SIDE}{DISPLAY}{{}}\n")
    );
}

#[test]
fn an_evcxr_input_prompt_goes_with_the_read_that_follows() {
    let mut sorter = Sorter::new(TAG);
    sorter.piece(Piece::Line(format!("{TAG}{CELL_START}")));
    sorter.piece(Piece::Line(
        "EVCXR_INPUT_REQUEST_PASSWORD:Key (a:b): ".into(),
    ));
    let prompt = sorter.read_announced(None);
    assert_eq!(
        prompt,
        Some(Prompt {
            text: "Key (a:b): ".into(),
            password: true
        })
    );
    assert_eq!(sorter.outputs().count(), 0);
    sorter.piece(Piece::Line("EVCXR_INPUT_REQUEST:x".into()));
    sorter.piece(Piece::Line("more".into()));
    assert_eq!(sorter.read_announced(Some("Name: ".into())), None);
    let out: Vec<Output> = sorter.outputs().collect();
    let first = crate::escape_line("EVCXR_INPUT_REQUEST:x");
    assert_eq!(out, [Output::Evcxr(format!("{first}\nmore\nName: \n"))]);
}

/// What the fuzz target checks (`fuzz/fuzz_targets/fuzz_stream.rs`), on generated input: user
/// bytes read back unchanged and in order, and no unescaped line holds a control name.
#[test]
fn user_bytes_read_back_unchanged_in_order() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let pieces: Vec<&[u8]> = MARKERS
        .iter()
        .map(|m| m.as_bytes())
        .chain([
            &b"\n"[..],
            b"\r",
            b"\xff",
            "é".as_bytes(),
            b"\xe2\x82",
            b"x",
            b"\\",
        ])
        .collect();
    for _ in 0..3000 {
        let in_cell = next() % 2 == 0;
        let mut bytes = Vec::new();
        for _ in 0..next() % 12 {
            bytes.extend_from_slice(pieces[next() as usize % pieces.len()]);
        }
        let mut splitter = Splitter::with_limit(8 + next() as usize % 40);
        let mut sorter = Sorter::new(TAG);
        if in_cell {
            sorter.piece(Piece::Line(format!("{TAG}{CELL_START}")));
        }
        for chunk in bytes.chunks(1 + next() as usize % 16) {
            splitter.feed(chunk, &mut |p| sorter.piece(p));
        }
        sorter.finish(splitter.take_held());
        let mut read = String::new();
        for output in sorter.outputs() {
            let (Output::Evcxr(lines) | Output::Side(lines)) = output else {
                panic!("a cell end from user bytes");
            };
            for line in lines.split_terminator('\n') {
                let line = line.strip_prefix(&format!("{TAG}{SIDE}")).unwrap_or(line);
                if let Some(user) = crate::unescape(line) {
                    read.push_str(&user.text);
                    read.push_str(if user.continues { "" } else { "\n" });
                } else {
                    assert!(
                        !line.contains("EVCXR_") && !line.contains("NEURUST-"),
                        "{line:?}"
                    );
                    assert!(!line.ends_with('\r'), "{line:?}");
                    read.push_str(line);
                    read.push('\n');
                }
            }
        }
        let mut expected = String::from_utf8_lossy(&bytes).into_owned();
        if !expected.is_empty() && !expected.ends_with('\n') {
            expected.push('\n');
        }
        assert_eq!(read, expected, "{bytes:?}");
    }
}
