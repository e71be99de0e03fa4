"""A neurust model file read by Python's `safetensors`: the tensors, the metadata, and a numpy
forward pass that must reproduce neurust's own predictions."""

import json
import os
import subprocess
import tempfile

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def saved_model():
    out = os.path.join(tempfile.mkdtemp(), "model.safetensors")
    run = subprocess.run(
        ["cargo", "run", "--quiet", "-p", "neurust-nn", "--example", "save_model", "--", out],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return out, json.loads(run.stdout)


def test_python_reads_the_weights_and_reproduces_the_predictions():
    path, expected = saved_model()
    tensors = load_file(path)
    assert sorted(tensors) == ["dense/bias", "dense/kernel", "dense_1/kernel", "dense_2/bias", "dense_2/kernel"]
    assert tensors["dense/kernel"].shape == (12, 16) and tensors["dense/kernel"].dtype == np.float32
    assert tensors["dense_2/bias"].shape == (4,)

    with safe_open(path, framework="numpy") as f:
        config = json.loads(f.metadata()["neurust"])
    assert [l["class_name"] for l in config["layers"]] == ["Flatten", "Dense", "Dropout", "Dense", "Dense"]
    assert config["compile"]["loss"] == "sparse_categorical_crossentropy"
    assert config["input_shape"] == [3, 4]

    x = np.array(expected["x"], dtype=np.float32)
    h = np.maximum(x @ tensors["dense/kernel"] + tensors["dense/bias"], 0.0)
    h = np.tanh(h @ tensors["dense_1/kernel"])
    z = h @ tensors["dense_2/kernel"] + tensors["dense_2/bias"]
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(p, np.array(expected["predictions"]), rtol=1e-4, atol=1e-6)
