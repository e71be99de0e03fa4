"""Fault 3: the build cache damaged between kernel starts (a deleted cache is the cold start of
test_cold_cache.py). Each test damages a copy of the warm slot in a private cache root
(NEURUST_CACHE_DIR), so a repair can be incremental. The next start must repair or rebuild and
reach a working first neurust cell within a bound; it must not wedge. Caches that older
toolchains or kernel versions left behind are removed once unused for 30 days.
"""
import os
import re
import time
from pathlib import Path

from conftest import copy_slot
from harness import start_and_check


def deps_dir(slot: Path) -> Path:
    found = [d for d in slot.glob("target/*/debug/deps") if list(d.glob("libneurust-*.rlib"))]
    assert found, f"no compiled facade under {slot}/target"
    return found[0]


def facade_libraries(slot: Path) -> list[Path]:
    """The facade's compiled library and metadata (`libneurust-<hash>.rlib`, `.rmeta`; the
    other neurust crates are `libneurust_<name>-...`)."""
    return sorted(deps_dir(slot).glob("libneurust-*.r*"))


def facade_fingerprints(slot: Path) -> list[Path]:
    dirs = deps_dir(slot).parent.glob(".fingerprint/neurust-*")
    return [f for d in dirs if re.fullmatch(r"neurust-[0-9a-f]{16}", d.name) for f in d.iterdir()]


def garble(path: Path, size: int = 300) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(size))


def test_deleted_compiled_crates_are_rebuilt(warm_slot, private_root, logs):
    slot = copy_slot(warm_slot, private_root)
    for library in facade_libraries(slot):
        library.unlink()
    start_and_check(private_root, logs / "deleted.log", "cache: facade libraries deleted")
    assert facade_libraries(slot), "the libraries were not rebuilt"


def test_truncated_facade_library_is_repaired(warm_slot, private_root, logs):
    # Cut in half with the modification time kept, as a crash or disk error would leave them:
    # cargo's mtime fingerprints still call them fresh, only rustc can tell.
    slot = copy_slot(warm_slot, private_root)
    for library in facade_libraries(slot):
        stat = library.stat()
        os.truncate(library, stat.st_size // 2)
        os.utime(library, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    start_and_check(private_root, logs / "truncated.log", "cache: facade rlib truncated")


def test_garbled_lock_file_of_the_slot_is_repaired(warm_slot, private_root, logs):
    slot = copy_slot(warm_slot, private_root)
    garble(slot / "Cargo.lock")
    start_and_check(private_root, logs / "cargo-lock.log", "cache: Cargo.lock garbled")


def test_garbled_cache_metadata_is_repaired(warm_slot, private_root, logs):
    slot = copy_slot(warm_slot, private_root)
    key = slot.parent
    for path in [key / "slot-0.lock", key / "evcxr-config" / "evcxr.toml",
                 key / ".cargo" / "config.toml", slot / ".neurust-ready",
                 slot / "target" / ".rustc_info.json"]:
        garble(path)
    fingerprints = facade_fingerprints(slot)
    assert fingerprints, f"no fingerprint of the facade under {slot}"
    for path in fingerprints:
        garble(path, 100)
    start_and_check(private_root, logs / "metadata.log", "cache: lock/metadata garbled")
    # The kernel rewrote its own configuration files.
    assert b"[evcxr]" in (key / "evcxr-config" / "evcxr.toml").read_bytes()


def old_key(root: Path, name: str, days_unused: float) -> Path:
    """A cache key directory as an older toolchain or kernel version leaves it."""
    base = root / name
    (base / "slot-0" / "target").mkdir(parents=True)
    (base / "slot-0" / "target" / "libold.rlib").write_bytes(os.urandom(4096))
    (base / "slot-0.lock").touch()
    stamp = base / "last-used"
    stamp.touch()
    then = time.time() - days_unused * 86400
    os.utime(stamp, (then, then))
    return base


def test_caches_unused_for_30_days_are_removed_at_start(warm_slot, private_root, logs):
    # Disk that fills over upgrades: every toolchain or kernel version gets a new key.
    copy_slot(warm_slot, private_root)
    stale = old_key(private_root, "rustc-1.80.0-0123456789abcdef", 45)
    recent = old_key(private_root, "rustc-1.94.0-fedcba9876543210", 2)
    start_and_check(private_root, logs / "stale.log", "cache: a key unused for 45 days")
    deadline = time.monotonic() + 30
    while stale.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not stale.exists(), "the cache unused for 45 days is still there"
    assert (recent / "slot-0" / "target" / "libold.rlib").exists(), "a recent cache was removed"
    assert "removed the build cache rustc-1.80.0-0123456789abcdef" in (
        logs / "stale.log").read_text()
