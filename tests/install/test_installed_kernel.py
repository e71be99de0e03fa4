"""A kernel installed with `cargo install` and `neurust-kernel install` works without the
checkout, by either route (NEURUST_INSTALL_ROUTE):
- "path": `cargo install --locked --path crates/neurust-kernel` from a copy of the checkout,
  since removed: the kernel loads the neurust sources it embeds;
- "registry": `cargo install --locked neurust-kernel` from a stand-in for the crate registry:
  the kernel embeds nothing and loads the facade from the registry, on the tested versions.

Run through tests/install/run, which installs the kernel and sets NEURUST_INSTALLED_KERNEL,
NEURUST_INSTALL_ROUTE, NEURUST_REMOVED_CHECKOUT, NEURUST_CACHE_DIR and JUPYTER_PATH.
"""
import json
import os
import re
import sys
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
from kernel_cells import run_cell  # noqa: E402


ROUTE = os.environ["NEURUST_INSTALL_ROUTE"]
CHECKOUT = Path(__file__).resolve().parents[2]


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
    if ROUTE == "registry":
        assert copies == [], copies
        return
    assert len(copies) == 1, list(cache.iterdir())
    # Written privately: the kernel compiles and runs what is there.
    assert (copies[0].parents[2].stat().st_mode & 0o077) == 0


def locked(text):
    """{(name, version): source} of a Cargo.lock."""
    packages = {}
    for block in text.split("[[package]]")[1:]:
        fields = dict(re.findall(r'^(name|version|source) = "([^"]*)"', block, re.M))
        packages[(fields["name"], fields["version"])] = fields.get("source")
    return packages


@pytest.mark.skipif(ROUTE != "registry", reason="the registry route's facade only")
def test_the_registry_route_runs_the_tested_versions():
    locks = [p for p in Path(os.environ["NEURUST_CACHE_DIR"]).rglob("Cargo.lock")]
    assert len(locks) == 1, locks
    cells = locked(locks[0].read_text())
    tested = locked((CHECKOUT / "Cargo.lock").read_text())
    # The facade came from the registry, at the kernel's own version.
    assert cells[("neurust", "0.1.0")] == \
        "registry+https://github.com/rust-lang/crates.io-index", cells
    # Every other crate of the notebook's graph is at a version the workspace's lock holds.
    names = {name for name, _ in tested}
    foreign = sorted(key for key in cells if key[0] not in names)
    assert foreign == [("ctx", "1.0.0")], foreign  # evcxr's crate of the cells
    newer = sorted(key for key in cells if key[0] in names and key not in tested)
    assert newer == [], newer
    assert len(cells) > 100, len(cells)
