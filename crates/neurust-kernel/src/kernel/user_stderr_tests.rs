use super::*;

const LIMIT: Duration = Duration::from_secs(5);

/// Runs `script` under `sh` with its stderr attached, waits for it, settles, and returns what
/// was passed on.
fn run(stderr: &UserStderr, pieces: &Receiver<Piece>, script: &str) -> Vec<Piece> {
    let mut command = Command::new("sh");
    command.args(["-c", script]);
    stderr.attach(&mut command);
    let status = command.status().expect("sh runs");
    assert!(status.success(), "{script}: {status}");
    stderr.settle(LIMIT);
    pieces.try_iter().collect()
}

fn line(text: &str) -> Piece {
    Piece::Line(text.to_owned())
}

#[test]
fn invalid_bytes_become_replacement_characters_and_later_lines_still_come() {
    let (stderr, pieces) = UserStderr::open().expect("a pipe");
    let got = run(
        &stderr,
        &pieces,
        r"printf 'a\377b\n\376\n' >&2; printf 'after\n' >&2",
    );
    assert_eq!(got, [line("a\u{FFFD}b"), line("\u{FFFD}"), line("after")]);
    // A second process (evcxr's restart) writes into the same pipe.
    let got = run(&stderr, &pieces, "printf 'next\\n' >&2");
    assert_eq!(got, [line("next")]);
}

#[test]
fn a_character_written_in_two_pieces_stays_whole() {
    let (stderr, pieces) = UserStderr::open().expect("a pipe");
    let script = r"printf '\303' >&2; sleep 0.1; printf '\251\n' >&2";
    assert_eq!(run(&stderr, &pieces, script), [line("é")]);
}

#[test]
fn settle_waits_for_everything_written_before_it() {
    use std::io::Write;
    let (stderr, pieces) = UserStderr::open().expect("a pipe");
    let mut writer = File::from(stderr.write_end.try_clone().expect("a copy"));
    let text = "line of stderr text\n".repeat(2_000); // less than the pipe holds
    // With the reader stalled (it reads only under this lock), the text waits in the pipe
    // until settle has counted it.
    let stalled = stderr.inner.state.lock().expect("the lock");
    writer.write_all(text.as_bytes()).expect("written");
    drop(stalled);
    stderr.settle(LIMIT);
    let got: Vec<Piece> = pieces.try_iter().collect();
    assert_eq!(got.len(), 2_000);
    assert!(got.iter().all(|p| *p == line("line of stderr text")));
}

#[test]
fn text_a_dead_process_left_unfinished_is_a_line_of_its_own() {
    let (stderr, pieces) = UserStderr::open().expect("a pipe");
    assert_eq!(run(&stderr, &pieces, "printf 'dying words' >&2"), []);
    stderr.process_ended(LIMIT);
    let got: Vec<Piece> = pieces.try_iter().collect();
    assert_eq!(got, [line("dying words")]);
    assert_eq!(
        run(&stderr, &pieces, "printf 'new process\\n' >&2"),
        [line("new process")]
    );
}

#[test]
fn lines_evcxr_read_are_passed_on() {
    let (stderr, pieces) = UserStderr::open().expect("a pipe");
    let (send, lines) = unbounded();
    stderr.relay_evcxr(lines);
    send.send("from evcxr".to_owned()).expect("sent");
    drop(send);
    let got = pieces.recv_timeout(LIMIT).expect("a line");
    assert_eq!(got, line("from evcxr"));
}
