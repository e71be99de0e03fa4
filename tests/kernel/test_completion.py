"""Completion (Tab) and inspection (Shift+Tab) of neurust's own items, through a real client.

jupyter_kernel_test covers the standard library (test_jupyter_kernel.py); these ask for what a
learner of the tutorial types: the prelude's names, a model's methods, a layer's docs.

Run through tests/kernel/run (the real facade).
"""
import pytest
from jupyter_client.manager import start_new_kernel


@pytest.fixture(scope="module")
def kc():
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    try:
        reply = kc.execute_interactive("let mut modelo = Sequential::new();", timeout=900)
        assert reply["content"]["status"] == "ok", reply["content"]
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def complete(kc, code, cursor=None):
    msg_id = kc.complete(code, len(code) if cursor is None else cursor)
    reply = kc.get_shell_msg(timeout=120)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply["content"]


def inspect(kc, code, cursor):
    msg_id = kc.inspect(code, cursor)
    reply = kc.get_shell_msg(timeout=120)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply["content"]


@pytest.mark.parametrize("code, expected", [
    ("Sequ", "Sequential"),
    ("let layer = Den", "Dense"),
    ("modelo.fi", "fit"),
    ("modelo.comp", "compile"),
    ("mnist::load_", "load_data"),
])
def test_neurust_names_complete(kc, code, expected):
    content = complete(kc, code)
    assert content["status"] == "ok", content
    # rust-analyzer completes a method with its arguments as placeholders: `fit(x, y)`.
    names = {m.split("(")[0] for m in content["matches"]}
    assert expected in names, (code, content["matches"])
    # The replaced span is the word being typed, in characters.
    word = code.split(".")[-1].split(" ")[-1].split(":")[-1]
    assert content["cursor_end"] == len(code), content
    assert content["cursor_start"] == len(code) - len(word), content


def test_completion_in_the_middle_of_a_cell_counts_characters(kc):
    # A non-ASCII comment before the cursor: positions are characters, not bytes.
    code = "// é\nmodelo.fi\nlet z = 1;"
    cursor = code.index("fi") + 2
    content = complete(kc, code, cursor)
    assert "fit(x, y)" in content["matches"], content["matches"]
    assert (content["cursor_start"], content["cursor_end"]) == (cursor - 2, cursor), content


def test_a_layers_docs_show_on_inspect(kc):
    code = "let d = Dense::new(10);"
    content = inspect(kc, code, code.index("new") + 1)
    assert content["status"] == "ok", content
    assert content["found"], content
    text = content["data"]["text/plain"]
    assert "units" in text and "glorot" in text, text


def test_inspecting_nothing_is_not_found(kc):
    content = inspect(kc, "   ", 1)
    assert content["status"] == "ok" and not content["found"], content
