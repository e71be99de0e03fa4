"""Executes both tutorial notebooks with nbclient and the real neurust kernel, on fresh copies in
a temporary directory (the committed notebooks are not touched), and checks their real outputs.

Run through tests/notebooks/run, which builds the kernel, installs its spec into a temporary
JUPYTER_PATH, warms the build cache and locates MNIST first.
"""
import base64
import json
import re

import pytest

from notebook_outputs import (all_text, cell, data_outputs, embedded_pngs, execute, images,
                              step_of, stream_text)

NOTEBOOKS = ["mnist-tutorial.ipynb", "mnist-tutorial.pt.ipynb"]


@pytest.fixture(scope="module", params=NOTEBOOKS)
def executed(request, tmp_path_factory):
    """The notebook after a full run, and the directory it ran in."""
    work = tmp_path_factory.mktemp(request.param.split(".")[0] + "-" + str(len(request.param)))
    return execute(request.param, work, timeout=600), work


def test_every_code_cell_ran_without_error(executed):
    nb, _ = executed
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 16
    for c in code:
        errors = [o for o in c.outputs if o.output_type == "error"]
        assert not errors, f"cell {c.id} failed: {errors[0].get('ename')}: " \
                           f"{errors[0].get('evalue')}\n" + "\n".join(errors[0].get("traceback", []))
        assert c.execution_count is not None, f"cell {c.id} did not run"
    counts = [c.execution_count for c in code]
    assert counts == sorted(counts) and len(set(counts)) == len(counts)


def test_shapes_are_printed(executed):
    nb, _ = executed
    text = stream_text(cell(nb, step_of(nb, "x_train.shape()")))
    assert "[60000, 28, 28] [60000]" in text, text
    assert "[10000, 28, 28] [10000]" in text, text


def test_digit_grid_is_an_image_of_ten_digits(executed):
    nb, _ = executed
    c = cell(nb, step_of(nb, "digit_grid(&x_train, &y_train, 2, 5)"))
    imgs = images(c)
    assert imgs, f"no image output: {c.outputs}"
    mime, payload = imgs[0]
    if mime == "image/svg+xml":
        assert payload.lstrip().startswith("<svg") or "<svg" in payload[:500]
        pngs = embedded_pngs(payload)
        assert len(pngs) == 10, f"expected 10 digit tiles, found {len(pngs)}"
        assert all(p.startswith(b"\x89PNG") for p in pngs)
        # The titles are the labels of the first ten training images.
        titles = re.findall(r">\s*([^<>]*?)\s*</text>", payload)
        assert titles[:10] == ["5", "0", "4", "1", "9", "2", "1", "3", "1", "4"], titles
    else:
        assert mime == "image/png" and base64.b64decode(payload).startswith(b"\x89PNG")


def test_summary_counts_203530_parameters(executed):
    nb, _ = executed
    text = all_text(cell(nb, step_of(nb, "modelo.summary()")))
    assert "203,530" in text, text
    assert "200,960" in text and "2,570" in text, text


def test_fit_shows_live_progress_and_history_keys(executed):
    nb, _ = executed
    fit = cell(nb, step_of(nb, ".epochs(5)"))
    live = [o for o in fit.outputs if o.output_type == "display_data"]
    assert live, f"fit showed no live display (display_data): {fit.outputs}"
    progress = all_text(fit)
    assert "Epoch 5/5" in progress and "val_accuracy" in progress, progress[:2000]
    c = cell(nb, step_of(nb, "historico.keys()"))
    text = stream_text(c)
    assert '["accuracy", "loss", "val_accuracy", "val_loss"]' in text, text
    result = [o for o in c.outputs if o.output_type == "execute_result"]
    assert result, "the accuracy values are not the cell's result"
    values = json.loads(result[0]["data"]["text/plain"])
    assert len(values) == 5 and all(0.8 < v <= 1.0 for v in values), values
    assert values[-1] > values[0], values


def test_curves_are_an_image(executed):
    nb, _ = executed
    imgs = images(cell(nb, step_of(nb, "plot_history(&historico)")))
    assert imgs, "plot_history showed no image"
    mime, payload = imgs[0]
    if mime == "image/svg+xml":
        assert "<polyline" in payload or "<path" in payload, "no curve drawn"


def test_curves_carry_a_vega_lite_spec_of_the_history(executed):
    # JupyterLab draws the spec (hover-able); viewers without a Vega-Lite renderer show the SVG.
    nb, _ = executed
    values = json.loads([o for o in cell(nb, step_of(nb, "historico.keys()")).outputs
                         if o.output_type == "execute_result"][0]["data"]["text/plain"])
    c = cell(nb, step_of(nb, "plot_history(&historico)"))
    data = [o for o in c.outputs if o.output_type == "execute_result"][0]["data"]
    assert "image/svg+xml" in data
    spec = data["application/vnd.vegalite.v5+json"]
    accuracy = spec["concat"][0]
    assert accuracy["title"] == "Accuracy"
    training = accuracy["layer"][0]["data"]["values"]
    assert [v["x"] for v in training] == [1, 2, 3, 4, 5]
    assert [v["y"] for v in training] == values


def test_test_accuracy_is_at_least_097(executed):
    nb, _ = executed
    text = stream_text(cell(nb, step_of(nb, "modelo.evaluate(&x_test, &y_test)?;\nprintln")))
    m = re.search(r"test accuracy: ([0-9.]+)", text)
    assert m, text
    assert float(m.group(1)) >= 0.97, text


def test_test_image_3000_is_predicted_as_a_6(executed):
    nb, _ = executed
    c = cell(nb, step_of(nb, "s![3000..3001"))
    text = stream_text(c)
    m = re.search(r"predicted digit: (\d+) .*true label: (\d+)", text)
    assert m, text
    assert (m.group(1), m.group(2)) == ("6", "6"), text
    assert images(c), "the digit is not shown"


def test_beyond_the_tutorial(executed):
    nb, work = executed
    confusion = images(cell(nb, step_of(nb, "confusion_matrix(")))
    assert confusion and "Predicted label" in confusion[0][1]
    wrong = images(cell(nb, step_of(nb, "misclassified_grid(")))
    assert wrong and len(embedded_pngs(wrong[0][1])) == 10
    more = stream_text(cell(nb, step_of(nb, ".epochs(2)")))
    m = re.search(r"test accuracy: ([0-9.]+) after 5 epochs, ([0-9.]+) after 7", more)
    assert m and float(m.group(2)) >= 0.97, more
    saved = stream_text(cell(nb, step_of(nb, "load_model(")))
    m2 = re.search(r"loaded model: test accuracy ([0-9.]+) \(saved model: ([0-9.]+)\)", saved)
    assert m2 and m2.group(1) == m2.group(2) == m.group(2), saved
    assert (work / "mnist.safetensors").stat().st_size > 203_530 * 4


def test_exploring_reads_like_numpy_and_matplotlib(executed):
    nb, _ = executed
    shown = [o for o in data_outputs(cell(nb, step_of(nb, "// numpy: y_train")))]
    assert len(shown) == 1, shown
    assert shown[0].data["text/plain"] == (
        "array([5, 0, 4, ..., 5, 6, 8], shape=(60000,), dtype=u8)"), shown[0].data
    digit = images(cell(nb, step_of(nb, "imshow(&x_train")))
    assert digit and "label 5" in digit[0][1], "one digit, titled with its label"
    counts = images(cell(nb, step_of(nb, "hist(&y_train")))
    assert counts and "<rect" in counts[0][1], "a histogram of the labels"
