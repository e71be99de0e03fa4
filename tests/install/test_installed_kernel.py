"""A kernel installed with `cargo install --locked --path crates/neurust-kernel` and
`neurust-kernel install` works once the checkout it came from is gone: it loads the neurust
sources it embeds.

Run through tests/install/run, which installs the kernel from a copy of the checkout, removes the
copy and sets NEURUST_INSTALLED_KERNEL, NEURUST_REMOVED_CHECKOUT, NEURUST_CACHE_DIR and
JUPYTER_PATH.
"""
import json
import os
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
from kernel_cells import run_cell  # noqa: E402


def run(kc, code):
    return run_cell(kc, code, timeout=900)


def test_the_spec_names_the_installed_binary_and_no_checkout():
    spec = KernelSpecManager().get_kernel_spec("neurust")
    assert spec.argv[0] == os.environ["NEURUST_INSTALLED_KERNEL"]
    # The facade is found at start, not pinned to where the checkout was at install time.
    assert "NEURUST_FACADE_PATH" not in spec.env, json.dumps(spec.env)
    assert not Path(os.environ["NEURUST_REMOVED_CHECKOUT"]).exists()


def test_neurust_cells_run_without_the_checkout():
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    try:
        status, text = run(kc, "let mut m = Sequential::new(); "
                               "m.add(Dense::new(3).input_shape([4])); m.count_params()")
        assert (status, text) == ("ok", "15"), text
        status, text = run(kc, "argmax(array![0.1f32, 0.7, 0.2].view())")
        assert (status, text) == ("ok", "1"), text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    cache = Path(os.environ["NEURUST_CACHE_DIR"])
    copies = sorted(cache.glob("facade-*/crates/neurust/Cargo.toml"))
    assert len(copies) == 1, list(cache.iterdir())
    # Written privately: the kernel compiles and runs what is there.
    assert (copies[0].parents[2].stat().st_mode & 0o077) == 0
