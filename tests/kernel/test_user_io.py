"""A cell's own stdin and stdout, through jupyter_client: reading stdin asks the notebook (or
ends at once where the client takes no input), an interrupt frees a waiting read, and text
without a final newline cannot keep a cell from ending.

Run through tests/kernel/run (it installs the kernel spec and warms the build cache first).
"""
import time

import pytest
from jupyter_client.manager import start_new_kernel

READ_TWO = (
    'print!("Name: ");\n'  # not flushed: the kernel flushes it at the read, as Python's input()
    "let mut name = String::new();\n"
    "std::io::stdin().read_line(&mut name).unwrap();\n"
    "let mut age = String::new();\n"
    "std::io::stdin().read_line(&mut age).unwrap();\n"
    'format!("{} is {}", name.trim(), age.trim())'
)
READ_ONE = (
    "let mut line = String::new();\n"
    "let n = std::io::stdin().read_line(&mut line).unwrap();\n"
    "(n, line)"
)


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    reply = kc.execute_interactive("let kept = vec![1, 2, 3];", timeout=900)
    assert reply["content"]["status"] == "ok", reply["content"]
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def run(kc, code, answer=None, allow_stdin=True, timeout=60, streams=None):
    """Executes a cell; `answer(request)` replies to each input_request. Returns the reply's
    content, the requests, the text/plain result and the stream text. The stream messages
    themselves go to the list `streams`, if given."""
    requests, results, text = [], [], []

    def on_output(msg):
        content = msg["content"]
        if msg["msg_type"] == "execute_result":
            results.append(content["data"]["text/plain"])
        elif msg["msg_type"] == "stream":
            text.append(content["text"])
            if streams is not None:
                streams.append(msg)

    def on_input(msg):
        requests.append(msg)
        answer(msg)

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=on_output,
                                   stdin_hook=on_input, allow_stdin=allow_stdin)
    return reply["content"], requests, (results or [None])[0], "".join(text)


def kept(kc):
    content, _, result, _ = run(kc, "kept.len()")
    return content["status"] == "ok" and result == "3"


def test_reading_stdin_asks_the_notebook(kernel):
    km, kc = kernel
    answers, streams = ["Ada", "36"], []
    content, requests, result, text = run(kc, READ_TWO, lambda _m: kc.input(answers.pop(0)),
                                          streams=streams)
    assert content["status"] == "ok", content
    assert result == '"Ada is 36"'
    # The unflushed prompt is flushed and ends its line at the read, and the kernel sends it
    # before the input request (stamped earlier). The two travel on different sockets, so
    # which one a client reads first is not the kernel's to decide.
    assert text == "Name: \n"
    assert len(requests) == 2
    prompt = [m for m in streams if m["content"]["text"] == "Name: \n"]
    assert len(prompt) == 1 and prompt[0]["header"]["date"] <= requests[0]["header"]["date"]
    # The second read came right after the first answer, with nothing printed between: it is
    # a read of its own, asked for again.
    for request in requests:
        assert request["msg_type"] == "input_request"
        assert request["parent_header"]["msg_type"] == "execute_request"
        assert request["content"] == {"prompt": "", "password": False}
    assert kept(kc)


def test_without_input_from_the_client_stdin_is_at_its_end(kernel):
    km, kc = kernel
    started = time.monotonic()
    content, requests, result, _ = run(kc, READ_ONE, allow_stdin=False)
    assert content["status"] == "ok", content
    assert (result, requests) == ('(0, "")', [])
    assert time.monotonic() - started < 30
    assert kept(kc)


def test_an_interrupt_frees_a_read_waiting_for_input(kernel):
    """The read used to wait on the kernel's own command pipe: the cell never ended, the
    interrupt did nothing, and only a restart (losing every variable) got the kernel back."""
    km, kc = kernel
    content, requests, result, _ = run(kc, READ_ONE, lambda _m: km.interrupt_kernel())
    assert len(requests) == 1
    assert content["status"] == "error" and content["ename"] == "KeyboardInterrupt", content
    assert "kept" in content["evalue"] and "lost" not in content["evalue"]
    assert result == '(0, "")'  # the read ended with end-of-file; the cell went on
    assert kept(kc)


def test_text_without_a_newline_shows_in_its_own_cell(kernel):
    """Unflushed, it used to show only with the next cell's output."""
    km, kc = kernel
    content, _, result, text = run(kc, 'for i in 0..3 { print!("{i} "); }')
    assert content["status"] == "ok", content
    assert (result, text) == (None, "0 1 2 \n")
    content, _, result, text = run(kc, 'println!("next")')
    assert text == "next\n"


def test_stderr_text_without_a_newline_shows_in_its_own_cell(kernel):
    """evcxr reads stderr by lines: `eprint!` text used to wait for the next newline on
    stderr, and so showed with a later cell's output."""
    km, kc = kernel
    streams = []
    content, _, _, _ = run(kc, 'eprint!("loading... ");', streams=streams)
    assert content["status"] == "ok", content
    assert [(m["content"]["name"], m["content"]["text"]) for m in streams] == [
        ("stderr", "loading... \n")]
    streams.clear()
    content, _, _, _ = run(kc, 'eprintln!("next"); eprintln!(); eprint!("a "); eprintln!("b")',
                           streams=streams)
    assert "".join(m["content"]["text"] for m in streams) == "next\n\na b\n"


def test_flushed_text_without_a_newline_does_not_keep_the_cell_from_ending(kernel):
    """evcxr's end-of-cell line used to land after the text, on the same line: the cell
    never ended, and an interrupt could not help."""
    km, kc = kernel
    code = ('for i in 0..3 { print!("{i} "); }\n'
            "use std::io::Write;\nstd::io::stdout().flush().unwrap();")
    content, _, result, text = run(kc, code)
    assert content["status"] == "ok", content
    assert (result, text) == (None, "0 1 2 \n")
    content, _, _, text = run(kc, 'print!("no newline, then a panic"); '
                                  "std::io::stdout().flush().unwrap(); panic!(\"boom\")")
    assert content["status"] == "error" and "boom" in content["evalue"], content
    assert "no newline, then a panic" in text
    assert kept(kc)


def test_a_cell_holding_stdout_across_a_read_still_ends(kernel):
    """The kernel flushes a cell's stdout when the cell waits on stdin (so a `print!` prompt
    shows). A cell that holds stdout's lock across the read, then writes more than a pipe
    holds, used to wait on that flush while the flush waited on the cell's lock."""
    km, kc = kernel
    code = ("use std::io::Write;\n"
            "let mut out = std::io::stdout().lock();\n"
            'write!(out, "Answer: ").unwrap();\n'
            "let mut line = String::new();\n"
            "std::io::stdin().read_line(&mut line).unwrap();\n"
            'for i in 0..2000 { writeln!(out, "{i:>4} {}", "x".repeat(60)).unwrap(); }\n'
            "drop(out);\n"
            "line.trim().to_owned()")
    content, requests, result, text = run(kc, code, lambda _m: kc.input("42"), timeout=120)
    assert content["status"] == "ok", content
    assert (result, len(requests)) == ('"42"', 1)
    lines = text.splitlines()
    assert len(lines) == 2000 and lines[0] == "Answer:    0 " + "x" * 60, lines[:2]
    assert kept(kc)


def test_evcxr_input_prompts_reach_the_input_box(kernel):
    """`evcxr_input`, the crate evcxr offers for input: its prompt reaches the input box whole
    (evcxr's own reading of that line drops everything from a second `:` on, so "Name: "
    lost its colon) and a password is asked for as one. The crate is a dependency of evcxr,
    so it is in the local registry cache."""
    km, kc = kernel
    content, _, _, _ = run(kc, ':dep evcxr_input = "=1.0.0"', timeout=300)
    assert content["status"] == "ok", content
    answers = ["Ada", "s3cret"]
    code = ('let name = evcxr_input::get_string("Name: ");\n'
            'let key = evcxr_input::get_password("Key (a:b): ");\n'
            "(name, key)")
    content, requests, result, text = run(kc, code, lambda _m: kc.input(answers.pop(0)))
    assert content["status"] == "ok", content
    assert result == '("Ada", "s3cret")'
    assert [r["content"] for r in requests] == [
        {"prompt": "Name: ", "password": False},
        {"prompt": "Key (a:b): ", "password": True},
    ]
    assert text == ""  # the crate's prompt lines go to evcxr, not to the cell's output
    assert kept(kc)


def test_a_flood_of_lines_comes_in_few_messages(kernel):
    """Lines are batched into stream messages (as ipykernel buffers its streams). A message
    used to carry at most 256 lines, and often about 10 (1 M lines of 58 bytes took 99,153
    messages), which a client (and JupyterLab's renderer) works through far more slowly than
    the text itself."""
    km, kc = kernel
    n = 200_000
    streams = []
    content, _, _, text = run(kc, f'for i in 0..{n} {{ println!("line {{i}}"); }}',
                              streams=streams, timeout=300)
    assert content["status"] == "ok", content
    assert text.splitlines() == [f"line {i}" for i in range(n)]
    assert len(streams) <= n // 1000, f"{len(streams)} stream messages for {n} lines"


def test_output_is_sent_while_the_cell_runs(kernel, tmp_path):
    """Batching must not hold text back: the cell waits until the test has seen its first
    line, which it could not if output were held until the cell ended."""
    km, kc = kernel
    seen = tmp_path / "seen"
    code = (f'println!("first");\n'
            f'let seen = std::path::Path::new("{seen}");\n'
            "let t = std::time::Instant::now();\n"
            "while !seen.exists() && t.elapsed().as_secs() < 60 {\n"
            "    std::thread::sleep(std::time::Duration::from_millis(10));\n"
            "}\n"
            'println!("second");\n'
            "seen.exists()")

    results = []

    def on_output(msg):
        if msg["msg_type"] == "stream" and "first" in msg["content"]["text"]:
            seen.touch()
        elif msg["msg_type"] == "execute_result":
            results.append(msg["content"]["data"]["text/plain"])

    reply = kc.execute_interactive(code, timeout=120, output_hook=on_output)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert results == ["true"], "the cell ended before its first line reached the client"
    assert kept(kc)
