"""A neurust call's `Result` can be kept in a variable, as any value can.

Before: rust-analyzer named a neurust-nn `Result` with the facade's error type (the facade's glob
re-export made `neurust::Error` a second name for neurust-nn's), so `let c = m.compile(..);`
failed with "mismatched types" while `let c = m.compile(..)?;` worked.

Run through tests/kernel/run (the real facade).
"""
import sys
from pathlib import Path

from jupyter_client.manager import start_new_kernel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
from kernel_cells import run_cell  # noqa: E402

CELLS = [
    "let mut m = Sequential::new(); m.add(Dense::new(2));",
    'let compiled = m.compile("adam", "mse", &["mae"]);',
    "let x = Array2::<f32>::zeros((4, 3)); let y = Array2::<f32>::zeros((4, 2));",
    "let fitted = m.fit(&x, &y).epochs(1).run();",
    "let evaluated = m.evaluate(&x, &y);",
    "let predicted = m.predict(&x);",
    'let saved = m.save("/nonexistent-dir/model.safetensors");',
    'let loaded = load_model("/nonexistent-dir/model.safetensors");',
    'let data = mnist::load_data_from("/nonexistent-dir");',
    "let grid = digit_grid(&Array3::<u8>::zeros((1, 28, 28)), &[1usize], 1, 1);",
    "let history_plot = plot_history(&History::default());",
]
NAMES = ["compiled", "fitted", "evaluated", "predicted", "saved", "loaded", "data", "grid",
         "history_plot"]


outputs = run_cell


def test_results_of_neurust_calls_can_be_kept_in_variables():
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    try:
        for code in CELLS:
            status, text = outputs(kc, code)
            assert status == "ok", (code, text)
        status, text = outputs(kc, ":vars")
        assert status == "ok", text
        kept = dict(line.split(": ", 1) for line in text.strip().splitlines())
        # Nothing else: the kernel's own start-up binding (`_neurust_kernel_ready`) is not listed.
        assert set(kept) == set(NAMES) | {"m", "x", "y"}, text
        for name in NAMES:
            assert name in kept, (name, text)
            assert "Result<" in kept[name], (name, kept[name])
        status, text = outputs(kc, "(compiled.is_ok(), saved.is_err(), loaded.is_err(), data.is_err())")
        assert (status, text) == ("ok", "(true, true, true, true)"), text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_an_array_result_reads_like_numpy():
    """A cell ending in an array shows its elements (summarised when large), shape and element
    type, as numpy does, not ndarray's debug text with strides and layout; the array stays."""
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    try:
        status, _ = outputs(kc, "let ys = Array1::from_shape_fn(60000, |i| (i % 10) as u8);")
        assert status == "ok"
        msgs = []
        reply = kc.execute_interactive("ys", timeout=300, output_hook=msgs.append)
        assert reply["content"]["status"] == "ok"
        results = [m["content"]["data"] for m in msgs if m["msg_type"] == "execute_result"]
        assert len(results) == 1, msgs
        assert results[0]["text/plain"] == (
            "array([0, 1, 2, ..., 7, 8, 9], shape=(60000,), dtype=u8)")
        assert "shape (60000,), dtype u8" in results[0]["text/html"]
        status, text = outputs(kc, "Array2::<f32>::zeros((2, 3)) + 0.5")
        assert (status, text) == (
            "ok", "array([[0.5, 0.5, 0.5],\n       [0.5, 0.5, 0.5]], shape=(2, 3), dtype=f32)")
        status, text = outputs(kc, "ys.slice(s![..3]).len() + ys.len()")
        assert (status, text) == ("ok", "60003"), "showing ys kept it"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_curve_result_carries_a_vega_lite_spec_beside_its_svg():
    """A figure of curves or bars is shown as an SVG and as a Vega-Lite spec, which JupyterLab
    draws with hover tooltips; the spec arrives as a JSON object (a renderer given a string takes
    it for a URL). A figure of images has no spec."""
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    try:
        results = {}
        for name, code in [("curve", "plot(&[0.5, 0.3, 0.2])?"),
                           ("digits", "imshow(&Array2::<f32>::eye(4))?")]:
            msgs = []
            reply = kc.execute_interactive(code, timeout=300, output_hook=msgs.append)
            assert reply["content"]["status"] == "ok", msgs
            found = [m["content"]["data"] for m in msgs if m["msg_type"] == "execute_result"]
            assert len(found) == 1, msgs
            results[name] = found[0]
        curve = results["curve"]
        spec = curve["application/vnd.vegalite.v5+json"]
        assert isinstance(spec, dict), type(spec)
        assert spec["$schema"].endswith("/vega-lite/v5.json")
        values = spec["layer"][0]["data"]["values"]
        assert [(v["x"], v["y"]) for v in values] == [(0, 0.5), (1, 0.3), (2, 0.2)]
        assert curve["image/svg+xml"].startswith("<svg")
        assert curve["text/plain"].startswith("<Figure size 640x480")
        digits = results["digits"]
        assert "image/svg+xml" in digits
        assert "application/vnd.vegalite.v5+json" not in digits
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
