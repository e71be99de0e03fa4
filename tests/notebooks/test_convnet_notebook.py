"""Executes notebooks/mnist-convnet.ipynb (keras.io's "Simple MNIST convnet", 15 epochs) with
nbclient and the real neurust kernel, on a fresh copy, and checks its outputs: Keras's summary,
a test accuracy of at least 0.99 (keras.io reports 0.9922), and the look inside the network.

Run through tests/notebooks/run. The suite's longest part: training takes a few minutes.
"""
import re

import pytest

from notebook_outputs import all_text, cell, embedded_pngs, execute, images, step_of, stream_text



@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    return execute("mnist-convnet.ipynb", tmp_path_factory.mktemp("convnet"), timeout=1800)


def test_every_code_cell_ran_without_error(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert len(code) == 13
    for c in code:
        errors = [o for o in c.outputs if o.output_type == "error"]
        assert not errors, f"cell {c.id} failed: {errors[0].get('evalue')}"
        assert c.execution_count is not None, f"cell {c.id} did not run"


def test_shapes_and_summary_are_keras_own(executed):
    shapes = stream_text(cell(executed, step_of(executed, "insert_axis(Axis(3))")))
    assert "x_train shape: [60000, 28, 28, 1]" in shapes, shapes
    assert "60000 train samples" in shapes and "10000 test samples" in shapes, shapes
    summary = all_text(cell(executed, step_of(executed, "model.summary()")))
    for shape in ["(None, 26, 26, 32)", "(None, 13, 13, 32)", "(None, 11, 11, 64)",
                  "(None, 5, 5, 64)", "(None, 1600)", "(None, 10)"]:
        assert shape in summary, (shape, summary)
    assert "34,826" in summary, summary


def test_fifteen_epochs_reach_099_test_accuracy(executed):
    text = stream_text(cell(executed, step_of(executed, 'score["accuracy"]')))
    m = re.search(r"Test accuracy: ([0-9.]+)", text)
    assert m and float(m.group(1)) >= 0.99, text
    curves = images(cell(executed, step_of(executed, "plot_history(&history)")))
    assert curves and ("<polyline" in curves[0][1] or "<path" in curves[0][1]), "no curve drawn"


def test_the_look_inside_shows_filters_maps_and_mistakes(executed):
    filters = images(cell(executed, step_of(executed, "let mut filters")))
    assert filters and len(embedded_pngs(filters[0][1])) == 32, "32 learned 3x3 kernels"
    first = images(cell(executed, step_of(executed, "maps[1]")))
    assert first and len(embedded_pngs(first[0][1])) == 32, "32 maps after the first convolution"
    second = images(cell(executed, step_of(executed, "maps[3]")))
    assert second and len(embedded_pngs(second[0][1])) == 64, "64 after the second"
    confusion = images(cell(executed, step_of(executed, "confusion_matrix(")))
    assert confusion and "Predicted label" in confusion[0][1]
    wrong = images(cell(executed, step_of(executed, "misclassified_grid(")))
    assert wrong and len(embedded_pngs(wrong[0][1])) == 10
