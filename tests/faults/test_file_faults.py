"""Fault 5: `model.save(path)` where the file cannot be written (a path under a regular file,
procfs, a read-only file system, a disk that fills up half-way): the notebook shows an error
naming the path and the cause, and no file, whole or truncated, is left under the target name
or beside it; a model saved there before survives intact.

Read-only and full file systems are small tmpfs mounts, which need root (or CAP_SYS_ADMIN); where
mounting is not permitted those two tests skip, and the same failure is covered by the unit tests
of crates/neurust-nn/src/model/atomic.rs (a writer that fails half-way with ENOSPC).
"""
import contextlib
import os
import subprocess
from pathlib import Path

import pytest

BUILD_MODELS = """
let mut small = Sequential::new();
small.add(Flatten::new().input_shape([2, 2]));
small.add(Dense::new(2).activation("softmax"));
small.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;
let mut big = Sequential::new();
big.add(Flatten::new().input_shape([28, 28]));
big.add(Dense::new(512).activation("softmax"));
big.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;
"""


@pytest.fixture(scope="module")
def models(limited_kernel):
    cell = limited_kernel.execute(BUILD_MODELS)
    assert cell.ok, cell.text
    return limited_kernel


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here ({mounted.stderr.strip()}); "
                    "covered by neurust-nn's atomic-write unit tests")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def free_bytes(directory: Path) -> int:
    stat = os.statvfs(directory)
    return stat.f_bavail * stat.f_frsize


def entries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def save_fails(k, model: str, target: Path, cause: str):
    cell = k.execute(f'{model}.save(r"{target}")?;')
    assert cell.reply["status"] == "error", cell.text
    assert str(target) in cell.text and cause in cell.text, cell.text
    k.assert_usable()
    return cell


def test_save_under_a_regular_file(models, tmp_path):
    (tmp_path / "plain").write_text("a file, not a directory")
    save_fails(models, "big", tmp_path / "plain" / "model.safetensors", "Not a directory")
    assert entries(tmp_path) == ["plain"]
    assert (tmp_path / "plain").read_text() == "a file, not a directory"


def test_save_into_procfs(models):
    target = Path("/proc/neurust-faults-model.safetensors")
    save_fails(models, "small", target, "cannot write model to")
    assert not [p for p in Path("/proc").iterdir() if p.name.startswith(target.name)]


def test_save_to_a_read_only_file_system(models, tmp_path):
    with tmpfs(tmp_path / "ro", "ro,size=64k") as ro:
        save_fails(models, "small", ro / "model.safetensors", "Read-only file system")
        assert entries(ro) == []


def test_save_to_a_full_disk_keeps_the_earlier_model(models, tmp_path):
    # 256 KiB: the small model fits, the big one (784 x 512 weights, 1.6 MB) does not.
    with tmpfs(tmp_path / "full", "size=256k") as full:
        target = full / "model.safetensors"
        first = models.execute(f'small.save(r"{target}")?;')
        assert first.ok, first.text
        before, free_before = target.read_bytes(), free_bytes(full)
        save_fails(models, "big", target, "No space left on device")
        assert entries(full) == ["model.safetensors"], "a temporary was left behind"
        assert target.read_bytes() == before
        loaded = models.execute(f'load_model(r"{target}")?.layers().count()')
        assert loaded.ok and loaded.result == "2", loaded.text
        assert free_bytes(full) == free_before, "the failed save's bytes still use the disk"
