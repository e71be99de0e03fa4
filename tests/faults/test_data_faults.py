"""Fault 6: MNIST files replaced by truncated copies (gzipped and raw). `mnist::load_data()` must
fail with an error naming the damaged file and what was expected of it; then, in the same
kernel, loading intact data works.

The damaged copies come from full MNIST when it is present (NEURUST_DATA_DIR or
../shared/data/mnist, so `load_data()`'s checksum verification passes for the intact files and
the error is about the damaged one), else from the 100-image fixture through
`mnist::load_data_from` (which checks structure, not checksums).
"""
import gzip
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_MNIST

NAMES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def gz_copy(source: Path, dest: Path) -> Path:
    dest.mkdir()
    for name in NAMES:
        shutil.copyfile(source / f"{name}.gz", dest / f"{name}.gz")
    return dest


def raw_copy(source: Path, dest: Path) -> Path:
    dest.mkdir()
    for name in NAMES:
        with gzip.open(source / f"{name}.gz") as f:
            (dest / name).write_bytes(f.read())
    return dest


def cut(path: Path, keep: int) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:keep] if keep >= 0 else data[:len(data) + keep])


# (layout, file to damage, bytes kept (negative: bytes dropped from the end), what the error
# must say besides the file's path)
CASES = [
    ("gz", "train-images-idx3-ubyte.gz", 5000, ["gzip", "truncated"]),
    ("gz", "t10k-labels-idx1-ubyte.gz", 12, ["gzip", "truncated"]),
    ("raw", "train-labels-idx1-ubyte", -1, ["bytes for", "labels as its header says"]),
    ("raw", "t10k-images-idx3-ubyte", 10, ["header of 16 bytes", "only 10 bytes"]),
]


@pytest.fixture(scope="module")
def source(full_mnist) -> Path:
    return full_mnist or FIXTURE_MNIST


def load_cell(directory: Path, full: bool) -> str:
    if full:
        return (f'unsafe {{ std::env::set_var("NEURUST_DATA_DIR", r"{directory}"); }}\n'
                "let ((x_train, y_train), (x_test, y_test)) = mnist::load_data()?;\n"
                "x_train.dim()")
    return (f'let ((x_train, y_train), (x_test, y_test)) = mnist::load_data_from(r"{directory}")?;\n'
            "x_train.dim()")


@pytest.mark.parametrize("layout,name,keep,says", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_truncated_file_is_named_and_good_data_loads_after(
        limited_kernel, source, full_mnist, tmp_path, layout, name, keep, says):
    k = limited_kernel
    copy = (gz_copy if layout == "gz" else raw_copy)(source, tmp_path / layout)
    cut(copy / name, keep)
    cell = k.execute(load_cell(copy, full_mnist is not None), timeout=300)
    assert cell.reply["status"] == "error", cell.text
    error = cell.error
    assert error is not None, cell.text
    message = error["evalue"]
    assert str(copy / name) in message, message
    for phrase in says:
        assert phrase in message, f"{phrase!r} missing from: {message}"
    k.assert_usable()

    good = k.execute(load_cell(source, full_mnist is not None), timeout=300)
    want = "(60000, 28, 28)" if full_mnist else "(100, 28, 28)"
    assert good.ok and good.result == want, good.text


def test_full_mnist_is_available(full_mnist):
    if full_mnist is None:
        pytest.skip("MNIST not found (NEURUST_DATA_DIR, ../shared/data/mnist): the truncation "
                    "tests used the 100-image fixture and load_data_from instead of load_data")
