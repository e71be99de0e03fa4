"""Fixtures of the fault-injection suite. tests/faults/run sets the environment read here:
JUPYTER_PATH (the neurust spec, installed into a temporary prefix) and NEURUST_FAULTS_WARM_SLOT
(the build-cache slot that `warm-cache` filled).
"""
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from harness import FIXTURE_MNIST, TIMINGS, kernel  # noqa: E402,F401

# The memory limit (RLIMIT_AS, `ulimit -v`) of the kernel and everything it starts. The kernel
# itself (evcxr with rust-analyzer) maps about 2.1 GiB.
KERNEL_AS_KIB = int(os.environ.get("NEURUST_FAULTS_KERNEL_AS_KIB", 4 * 1024 * 1024))


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run this suite through tests/faults/run", 2)
    return value


@pytest.fixture(scope="session")
def warm_slot() -> Path:
    slot = Path(required_env("NEURUST_FAULTS_WARM_SLOT"))
    assert (slot / "target").is_dir(), f"{slot} holds no build (did warm-cache run?)"
    return slot


@pytest.fixture(scope="session")
def logs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kernel-logs")


# A cell the limited kernel's engine panics on (NEURUST_FAULT_ENGINE_PANIC), as a bug in evcxr
# would make it.
ENGINE_PANIC_CELL = "// fault injection: the engine panics on this cell"


@pytest.fixture(scope="session")
def limited_spec() -> str:
    """A kernel spec "neurust-limited": the neurust kernel started under `ulimit -v`."""
    kernels = Path(required_env("JUPYTER_PATH").split(os.pathsep)[0]) / "kernels"
    spec = json.loads((kernels / "neurust" / "kernel.json").read_text())
    binary, *args = spec["argv"]
    spec["argv"] = ["/bin/sh", "-c", f'ulimit -v {KERNEL_AS_KIB} && exec "$0" "$@"', binary, *args]
    spec["display_name"] += f" (address space {KERNEL_AS_KIB // 1024} MiB)"
    (kernels / "neurust-limited").mkdir(exist_ok=True)
    (kernels / "neurust-limited" / "kernel.json").write_text(json.dumps(spec, indent=1))
    return "neurust-limited"


@pytest.fixture(scope="session")
def limited_kernel(limited_spec, logs):
    """One kernel under the memory limit, shared by the process and file faults (each test
    leaves it usable; that is what they check)."""
    with kernel(str(logs / "limited.log"), name=limited_spec, label="limited kernel",
                env={"NEURUST_FAULT_ENGINE_PANIC": ENGINE_PANIC_CELL}) as k:
        yield k


@pytest.fixture(scope="session")
def full_mnist() -> Path | None:
    """Full MNIST (NEURUST_DATA_DIR, as scripts/test sets it) when present."""
    value = os.environ.get("NEURUST_DATA_DIR")
    return Path(value) if value and Path(value).is_dir() else None


@pytest.fixture
def private_root(tmp_path):
    """A private cache root (NEURUST_CACHE_DIR), removed after the test: a copied slot is
    about 650 MB."""
    root = tmp_path / "cache"
    yield root
    shutil.rmtree(root, ignore_errors=True)


def copy_slot(slot: Path, root: Path, wait: float = 300) -> Path:
    """Copies a built slot into a private cache root, under the same key; returns the copy.

    Holds the slot's lock while copying, as the kernel does when it seeds a slot, so that a
    kernel compiling there (another suite, a notebook) is not copied half-way. A slot held for
    longer than `wait` seconds (a long-lived notebook) is copied anyway.
    """
    copy = root / slot.parent.name / "slot-0"
    copy.parent.mkdir(parents=True)
    with open(slot.parent / f"{slot.name}.lock", "a") as lock:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    print(f"warning: {slot} stayed locked; copying it while in use")
                    break
                time.sleep(1)
        subprocess.run(["cp", "-a", "--reflink=auto", str(slot), str(copy)], check=True)
    return copy


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.section("fault suite timings")
        for label, seconds in TIMINGS:
            terminalreporter.write_line(f"{seconds:8.1f} s  {label}")
