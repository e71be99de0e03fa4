"""jupyter_kernel_test against the neurust kernel, with every optional sample enabled.

Run through tests/kernel/run, which builds the kernel, installs its spec into a temporary
JUPYTER_PATH and warms the build cache first.
"""
import unittest

import jupyter_kernel_test as jkt

# Displays through the display crate (a line printed with the protocol's marker is text: only
# the crate's lines carry the kernel's per-process tag).
DISPLAY = (
    "neurust::display::DisplayHandle::with_id(\"jkt\").display("
    "&neurust::display::MimeBundle::new().text(\"shown\").html(\"<b>shown</b>\"));"
)
CLEAR = "neurust::display::clear_output(false);"


class NeurustKernelTests(jkt.KernelTests):
    kernel_name = "neurust"
    language_name = "rust"
    file_extension = ".rs"

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        # The kernel answers kernel_info at once and loads neurust in the background; its first
        # cell waits for that. Wait here, so each test's own timeout measures the test.
        reply = cls.kc.execute_interactive("()", timeout=900, output_hook=lambda _m: None)
        assert reply["content"]["status"] == "ok", reply["content"]

    code_hello_world = 'println!("hello, world");'
    code_stderr = 'eprintln!("oops");'

    completion_samples = [
        {"text": "std::collections::HashM", "matches": {"HashMap"}},
        {"text": "let neurust_value = 1; neurust_v", "matches": {"neurust_value"}},
    ]
    complete_code_samples = ["1 + 1", "let x = 5;", "fn f() {}", "struct S { a: i32 }"]
    incomplete_code_samples = ["fn f() {", "let v = vec![1,", 'let s = "abc']
    invalid_code_samples = [")", "fn f() { ]", "let x = (1 + 2));"]

    code_generate_error = 'let x: i32 = "not a number";'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "Some(3)", "result": "Some(3)"},
        {"code": "vec![1, 2, 3]", "result": "[1, 2, 3]"},
        {"code": '"text".to_uppercase()', "result": '"TEXT"'},
    ]
    code_display_data = [
        {"code": DISPLAY, "mime": "text/plain"},
        {"code": DISPLAY, "mime": "text/html"},
    ]
    code_history_pattern = "6 * *"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "std::vec::Vec"
    code_clear_output = CLEAR

    def test_evcxr_rich_output_keeps_every_mime_type(self) -> None:
        code = (
            'println!("EVCXR_BEGIN_CONTENT text/html\\n<i>hi</i>\\nEVCXR_END_CONTENT");\n'
            'println!("EVCXR_BEGIN_CONTENT text/markdown\\n*hi*\\nEVCXR_END_CONTENT");'
        )
        self.flush_channels()
        reply, outputs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertEqual(set(results[0]["content"]["data"]), {"text/html", "text/markdown"})

    def test_json_mime_types_arrive_as_json(self) -> None:
        # nbformat's JSON types (application/json, application/...+json) are JSON in a message's
        # data, not strings: JupyterLab's JSON and Vega-Lite renderers read them as objects.
        self.flush_channels()
        code = (
            'println!("EVCXR_BEGIN_CONTENT application/json\\n{{\\"a\\": [1, 2]}}\\nEVCXR_END_CONTENT");'
        )
        reply, outputs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["application/json"], {"a": [1, 2]})
        self.flush_channels()
        display = (
            "neurust::display::display(&neurust::display::MimeBundle::new().text(\"t\")"
            ".with(\"application/vnd.vegalite.v5+json\", \"{\\\"mark\\\": \\\"line\\\"}\")"
            ".with(\"application/json\", \"not json\"));"
        )
        reply, outputs = self.execute_helper(display)
        self.assertEqual(reply["content"]["status"], "ok")
        data = [m for m in outputs if m["msg_type"] == "display_data"][0]["content"]["data"]
        self.assertEqual(data["application/vnd.vegalite.v5+json"], {"mark": "line"})
        # Text that does not parse stays text (the front end shows its own error for it).
        self.assertEqual(data["application/json"], "not json")
        self.assertEqual(data["text/plain"], "t")

    def test_panic_is_an_error(self) -> None:
        self.flush_channels()
        reply, outputs = self.execute_helper('panic!("boom")', stop_on_error=False)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "panic")
        self.assertIn("error", [m["msg_type"] for m in outputs])

    def test_silent_execution_publishes_no_input_and_keeps_the_count(self) -> None:
        self.flush_channels()
        first, _ = self.execute_helper("1")
        silent, outputs = self.execute_helper("2", silent=True, store_history=False)
        self.assertEqual(silent["content"]["status"], "ok")
        self.assertEqual(silent["content"]["execution_count"], first["content"]["execution_count"])
        self.assertNotIn("execute_result", [m["msg_type"] for m in outputs])

    def test_question_mark_error_is_an_error(self) -> None:
        self.flush_channels()
        code = 'let n: i32 = "seven".parse()?;'
        reply, outputs = self.execute_helper(code, stop_on_error=False)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["evalue"], "invalid digit found in string")
        self.assertIn("error", [m["msg_type"] for m in outputs])

    def test_plain_results_compile_once(self) -> None:
        """With the prelude's PlainResult, `1 + 1` needs no second (fallback) compile, and a
        cell ending in a unit expression shows no result."""
        self.flush_channels()
        self.execute_helper(":timing")
        try:
            reply, outputs = self.execute_helper("1 + 1")
            stderr = "".join(
                m["content"]["text"]
                for m in outputs
                if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"
            )
            self.assertIn("Final compile", stderr)
            self.assertNotIn("Fallback", stderr)
            results = [m for m in outputs if m["msg_type"] == "execute_result"]
            self.assertEqual(results[0]["content"]["data"]["text/plain"], "2")
            reply, outputs = self.execute_helper('println!("unit")')
            self.assertNotIn("execute_result", [m["msg_type"] for m in outputs])
        finally:
            self.execute_helper(":timing")

    def test_random_seed_reaches_later_cells(self) -> None:
        """evcxr links a copy of neurust into every cell; the seed must still be process-wide."""
        self.flush_channels()
        draw = "neurust::nn::Rng::from_global().next_u64()"
        for code in ["set_random_seed(7);", f"let seeded_a = {draw};",
                     "set_random_seed(7);", f"let seeded_b = {draw};"]:
            reply, _ = self.execute_helper(code)
            self.assertEqual(reply["content"]["status"], "ok", code)
        reply, outputs = self.execute_helper("seeded_a == seeded_b")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "true")

    def test_interrupt_stops_fit_in_a_later_cell_and_keeps_the_model(self) -> None:
        """The SIGINT handler is installed once, at start-up, in another copy of neurust than
        the cell's: the interrupt flag must be process-wide for the cell's `fit` to see it."""
        self.flush_channels()
        setup = (
            "let ix = Array2::from_shape_fn((4096, 32), |(i, j)| ((i * 7 + j) % 11) as f32 / 11.0);\n"
            "let iy = Array1::from_shape_fn(4096, |i| (i % 3) as u8);\n"
            "let mut inet = Sequential::with_seed(3);\n"
            "inet.add(Flatten::new().input_shape([32]));\n"
            'inet.add(Dense::new(64).activation("relu"));\n'
            'inet.add(Dense::new(3).activation("softmax"));\n'
            'inet.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;'
        )
        reply, _ = self.execute_helper(setup, timeout=120)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        msg_id = self.kc.execute("inet.fit(&ix, &iy).epochs(100000).batch_size(8).run()?;")
        shown = False
        while not shown:  # the live display appears once training has begun
            msg = self.kc.get_iopub_msg(timeout=120)
            shown = (msg["parent_header"].get("msg_id") == msg_id
                     and msg["msg_type"] in ("display_data", "update_display_data"))
        self.km.interrupt_kernel()
        reply = self.get_non_kernel_info_reply(timeout=30)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        content = reply["content"]
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "KeyboardInterrupt")
        self.assertIn("training interrupted", content["evalue"])
        self.assertNotIn("lost", content["evalue"])
        self.flush_channels()
        reply, outputs = self.execute_helper("(inet.count_params(), ix.nrows())")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "(2307, 4096)")

    def test_a_layer_too_big_for_memory_is_an_error_that_keeps_variables(self) -> None:
        """A mistyped width used to abort the user-code process, losing every variable."""
        self.flush_channels()
        reply, _ = self.execute_helper("let kept_before_big = 41u32 + 1;")
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        big = ("let mut big = Sequential::new();\n"
               "big.add(Flatten::new().input_shape([28, 28]));\n"
               "big.add(Dense::new(1_000_000_000_000));\n"
               'big.compile("adam", "mse", &["accuracy"])?;')
        reply, _ = self.execute_helper(big, timeout=120)
        content = reply["content"]
        self.assertEqual(content["status"], "error", content)
        self.assertIn("cannot be allocated", content["evalue"])
        self.assertNotIn("lost", content["evalue"])
        reply, outputs = self.execute_helper("kept_before_big")
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")

    def test_a_display_after_a_partial_line_is_shown(self) -> None:
        """`print!` without a newline right before a display used to show the protocol's JSON."""
        self.flush_channels()
        reply, outputs = self.execute_helper('print!("Training: ");\n' + DISPLAY)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertEqual(text, "Training: ")
        shown = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
        self.assertEqual(shown, [{"text/plain": "shown", "text/html": "<b>shown</b>"}])

    def test_a_display_quoting_evcxr_block_markers_ends(self) -> None:
        """evcxr takes EVCXR_BEGIN_CONTENT anywhere in a line as a block start: a display
        quoting it used to hang the cell."""
        self.flush_channels()
        code = ('display(&neurust::display::MimeBundle::new()'
                '.text("EVCXR_BEGIN_CONTENT text/plain"));')
        reply, outputs = self.execute_helper(code, timeout=120)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        shown = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
        self.assertEqual(shown, [{"text/plain": "EVCXR_BEGIN_CONTENT text/plain"}])

    def test_comm_info_is_empty(self) -> None:
        self.flush_channels()
        msg_id = self.kc.comm_info()
        reply = self.get_non_kernel_info_reply(timeout=jkt.TIMEOUT)
        jkt.validate_message(reply, "comm_info_reply", msg_id)
        self.assertEqual(reply["content"]["comms"], {})


if __name__ == "__main__":
    unittest.main()
