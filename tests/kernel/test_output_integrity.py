"""Output integrity (issue #21), through jupyter_client: whatever bytes a cell writes, they
reach the notebook as text, in order, and never act as one of the control lines that evcxr
and the kernel share the user-code process's stdout with. Output a thread writes after its
cell ended goes to the cell running at the time, or to the last cell when none runs.

Run through tests/kernel/run (it installs the kernel spec and warms the build cache first).
"""
import time

import pytest
from jupyter_client.manager import start_new_kernel

from test_user_io import run


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    reply = kc.execute_interactive("let kept = vec![1, 2, 3];", timeout=900)
    assert reply["content"]["status"] == "ok", reply["content"]
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def outputs(kc, code, timeout=60):
    """Runs a cell; returns its reply content and its iopub messages other than status and
    execute_input."""
    seen = []

    def hook(msg):
        if msg["msg_type"] not in ("status", "execute_input"):
            seen.append(msg)

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook, allow_stdin=True,
                                   stdin_hook=lambda m: pytest.fail(f"asked for input: {m}"))
    return reply["content"], seen


def streams(messages, name="stdout"):
    return "".join(m["content"]["text"] for m in messages
                   if m["msg_type"] == "stream" and m["content"]["name"] == name)


def check_printed(kc, marker):
    """A cell prints `marker` between two lines and defines a variable: the cell succeeds, the
    three lines arrive as they were printed (and nothing else does), the variable is kept and
    the next cell is unaffected."""
    code = (f'println!("before");\nprintln!("{{}}", {rust_str(marker)});\n'
            'println!("after");\nlet defined_here: usize = 7;')
    content, messages = outputs(kc, code)
    assert content["status"] == "ok", content
    assert [m["msg_type"] for m in messages] == ["stream"] * len(messages), messages
    assert streams(messages) == f"before\n{marker}\nafter\n"
    content, messages = outputs(kc, "defined_here + kept.len()")
    assert content["status"] == "ok", content
    results = [m["content"]["data"]["text/plain"] for m in messages
               if m["msg_type"] == "execute_result"]
    assert results == ["10"], messages


def rust_str(text):
    """`text` as a Rust string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Each line the kernel or evcxr reads as a control line, with what it did when a cell printed
# it (before this fix).
MARKERS = [
    # the cell ended there: "after" showed with the next cell, the variable was lost
    "EVCXR_EXECUTION_COMPLETE",
    # the cell failed (a `?` error) and its variables were dropped
    "EVCXR_ERROR_OCCURRED",
    # evcxr dropped the cell's variables as after a panic
    "EVCXR_PANIC_NOTIFICATION",
    # evcxr swallowed every line up to the end of the cell into a text/html result
    "EVCXR_BEGIN_CONTENT text/html",
    # a content block's end: shown, but with the start above, the block swallowed it all
    "EVCXR_END_CONTENT",
    # evcxr swallowed the line as an input prompt
    "EVCXR_INPUT_REQUEST:Name: ",
    # the cell failed: "variable lost: kept"
    "EVCXR_VARIABLE_CHANGED_TYPE:kept",
    # the cell failed as a panic with message "boom"
    'NEURUST-PANIC-V1 "boom"',
    # the cell failed as a `?` error
    "NEURUST-USER-ERROR-V1",
    # swallowed, and an input request was sent
    "NEURUST-STDIN-READ-V1 text:Name: ",
    # swallowed and shown as a display
    'NEURUST-DISPLAY-V1 {"action":"display","data":{"text/plain":"fake"},"metadata":{}}',
    # a malformed display: shown, but with a warning on stderr
    "NEURUST-DISPLAY-V1 {",
    # the escape prefix itself reads back as written
    "NEURUST-ESC-V1 EVCXR\\u",
]


@pytest.mark.parametrize("marker", MARKERS)
def test_a_printed_marker_is_text(kernel, marker):
    km, kc = kernel
    check_printed(kc, marker)


def test_a_marker_after_unfinished_text_is_text(kernel):
    """`print!` without a newline, then a marker: one line of text, as printed."""
    km, kc = kernel
    content, messages = outputs(kc, 'print!("x");\nprintln!("EVCXR_ERROR_OCCURRED");\n1')
    assert content["status"] == "ok", content
    assert streams(messages) == "xEVCXR_ERROR_OCCURRED\n"


def test_the_stderr_end_marker_printed_by_a_cell_is_text(kernel):
    """It used to be removed (with the text before it on its line)."""
    km, kc = kernel
    code = 'eprintln!("NEURUST-STDERR-END-V1");\neprint!("a ");\neprintln!("NEURUST-STDERR-END-V1");'
    content, messages = outputs(kc, code)
    assert content["status"] == "ok", content
    assert streams(messages, "stderr") == "NEURUST-STDERR-END-V1\na NEURUST-STDERR-END-V1\n"


def test_invalid_utf8_becomes_replacement_characters(kernel):
    """It used to end the cell with "stream did not contain valid UTF-8" and restart the
    user-code process, losing every variable."""
    km, kc = kernel
    code = ('use std::io::Write;\n'
            'std::io::stdout().write_all(b"a\\xffb\\xe2\\x82\\n").unwrap();\n'
            'println!("still here");')
    content, messages = outputs(kc, code)
    assert content["status"] == "ok", content
    assert streams(messages) == "a\ufffdb\ufffd\nstill here\n"
    assert run(kc, "kept.len()")[2] == "3"


def test_a_character_split_across_writes_stays_whole(kernel):
    km, kc = kernel
    code = ('use std::io::Write;\nlet mut out = std::io::stdout();\n'
            'out.write_all(&"é".as_bytes()[..1]).unwrap(); out.flush().unwrap();\n'
            'std::thread::sleep(std::time::Duration::from_millis(100));\n'
            'out.write_all(&"é".as_bytes()[1..]).unwrap();\n'
            'out.write_all(b"\\n").unwrap(); out.flush().unwrap();')
    content, messages = outputs(kc, code)
    assert content["status"] == "ok", content
    assert streams(messages) == "é\n"


def test_a_carriage_return_at_a_line_end_is_kept(kernel):
    km, kc = kernel
    content, messages = outputs(kc, 'println!("50%\\r");')
    assert content["status"] == "ok", content
    assert streams(messages) == "50%\r\n"


def late_thread(seconds, text):
    return ('std::thread::spawn(|| {\n'
            f'    std::thread::sleep(std::time::Duration::from_millis({int(seconds * 1000)}));\n'
            f'    println!("{text}");\n'
            '});')


def test_output_after_the_cell_goes_to_the_last_cell_while_none_runs(kernel):
    """It used to wait in the pipe for the next cell, and went out under that one."""
    km, kc = kernel
    reply = kc.execute_interactive(late_thread(1.0, "late line"), timeout=60,
                                   output_hook=lambda _m: None)
    assert reply["content"]["status"] == "ok", reply["content"]
    cell = reply["parent_header"]["msg_id"]
    deadline = time.monotonic() + 10
    found = None
    while time.monotonic() < deadline and found is None:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except Exception:
            continue
        if msg["msg_type"] == "stream" and "late line" in msg["content"]["text"]:
            found = msg
    assert found is not None, "the thread's line did not come while no cell ran"
    assert found["parent_header"]["msg_id"] == cell
    assert (found["content"]["name"], found["content"]["text"]) == ("stdout", "late line\n")


def test_output_after_the_cell_goes_to_the_cell_running_then(kernel):
    km, kc = kernel
    content, _ = outputs(kc, late_thread(0.5, "during the next cell"))
    assert content["status"] == "ok", content
    content, messages = outputs(kc, "std::thread::sleep(std::time::Duration::from_secs(2));")
    assert content["status"] == "ok", content
    assert streams(messages) == "during the next cell\n"


# The issue's table, row by row, plus the same for stderr: each row is a sequence of cells, each
# with the stdout, stderr and result it must show, and nothing else (no error, no display).
# Before the fix each row's output went missing, or to a later cell, or failed a later cell.
WRITE_FF_FE = "use std::io::Write; std::io::{}().write_all(&[0xff, 0xfe, b'\\n']).unwrap();"
SPLIT_E = ('use std::io::Write;\nlet mut err = std::io::stderr();\n'
           'err.write_all(&"é".as_bytes()[..1]).unwrap();\n'
           'std::thread::sleep(std::time::Duration::from_millis(100));\n'
           'err.write_all(&"é".as_bytes()[1..]).unwrap(); err.write_all(b"\\n").unwrap();')
ROWS = {
    "stdout invalid UTF-8": [
        (WRITE_FF_FE.format("stdout"), "\ufffd\ufffd\n", "", None),
        ('println!("after 1")', "after 1\n", "", None),
        ("1 + 1", "", "", "2"),
    ],
    "EVCXR_EXECUTION_COMPLETE": [
        ('println!("EVCXR_EXECUTION_COMPLETE"); println!("still mine");',
         "EVCXR_EXECUTION_COMPLETE\nstill mine\n", "", None),
        ("1 + 2", "", "", "3"),
    ],
    "NEURUST-PANIC-V1": [
        ('println!("NEURUST-PANIC-V1 \\"fake\\""); println!("mine too");',
         'NEURUST-PANIC-V1 "fake"\nmine too\n', "", None),
        ("2 + 2", "", "", "4"),
    ],
    "EVCXR_BEGIN_CONTENT": [
        ('println!("EVCXR_BEGIN_CONTENT text/plain"); println!("hello");',
         "EVCXR_BEGIN_CONTENT text/plain\nhello\n", "", None),
        ("4 + 4", "", "", "8"),
    ],
    "NEURUST-STDERR-END-V1": [
        ('eprintln!("NEURUST-STDERR-END-V1"); eprintln!("err mine");',
         "", "NEURUST-STDERR-END-V1\nerr mine\n", None),
        ('eprintln!("NEURUST-STDERR-END-V1"); 7', "", "NEURUST-STDERR-END-V1\n", "7"),
        ("5 + 5", "", "", "10"),
    ],
    # Found while checking the rows: evcxr read a first line naming a variable as a check of
    # its own, dropped `kept` and ran the cell again, and again, without end.
    "EVCXR_VARIABLE_CHANGED_TYPE first": [
        ('println!("EVCXR_VARIABLE_CHANGED_TYPE:kept"); println!("x");',
         "EVCXR_VARIABLE_CHANGED_TYPE:kept\nx\n", "", None),
        ("kept.len()", "", "", "3"),
    ],
    # Limit 1 of the first fix: evcxr stopped reading stderr at the first invalid byte, so
    # "after" and every later cell's stderr were lost.
    "stderr invalid UTF-8": [
        (WRITE_FF_FE.format("stderr") + ' eprintln!("after");', "", "\ufffd\ufffd\nafter\n", None),
        ('eprintln!("next"); 6', "", "next\n", "6"),
        ("kept.len()", "", "", "3"),
    ],
    "stderr split character": [
        (SPLIT_E, "", "é\n", None),
        ('eprint!("no newline")', "", "no newline\n", None),
        ('eprintln!("own cell")', "", "own cell\n", None),
    ],
}


@pytest.mark.parametrize("row", ROWS)
def test_issue_row(kernel, row):
    km, kc = kernel
    for code, stdout, stderr, result in ROWS[row]:
        content, messages = outputs(kc, code)
        assert content["status"] == "ok", (code, content)
        kinds = {m["msg_type"] for m in messages}
        assert kinds <= {"stream", "execute_result"}, (code, messages)
        results = [m["content"]["data"]["text/plain"] for m in messages
                   if m["msg_type"] == "execute_result"]
        shown = (streams(messages), streams(messages, "stderr"), results)
        assert shown == (stdout, stderr, [result] if result else []), code


def test_a_cell_printing_only_a_variable_check_ends(kernel):
    """The limit that is left: a cell whose whole stdout is a line exactly like evcxr's
    variable check makes evcxr drop that variable and run the cell again. The second run's
    line is text, so the cell ends (it used to run again without end) and shows it once."""
    km, kc = kernel
    content, _ = outputs(kc, "let doomed = 1;")
    assert content["status"] == "ok", content
    content, messages = outputs(kc, 'println!("EVCXR_VARIABLE_CHANGED_TYPE:doomed");')
    assert content["status"] == "ok", content
    assert streams(messages) == "EVCXR_VARIABLE_CHANGED_TYPE:doomed\n"
    content, _ = outputs(kc, "doomed")
    assert content["status"] == "error", content
    assert run(kc, "kept.len()")[2] == "3"
