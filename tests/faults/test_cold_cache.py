"""Fault 4 (and fault 3's deleted cache): two kernels started at the same moment on an empty
private cache root. Both must reach a working neurust cell; the cache must come out whole (a
third start reuses a slot and compiles no dependency). One kernel builds; the other waits for
that build and copies it (not build again), and the two must never wait for each other.

This is the suite's long test: every dependency of the facade is compiled once (minutes on a
2-core machine; more when other builds share it). Skip it with
`tests/faults/run -k "not cold"`.
"""
import contextlib
import re
import threading
import time
import tomllib
from pathlib import Path

from harness import NEURUST_CELL, NEURUST_WANT, kernel, start_and_check, timing

COLD_BOUND = 1800  # seconds, for both kernels to answer their first neurust cell
WAITING = "waiting for the kernel building"  # the kernel's log line when it waits for another
SEEDED = "seeded the build cache from"  # ... and when it then copied the other's build
OFFLINE_FAILED = "preload (offline) failed"  # the kernel's log line when it had to go online
WORKSPACE_LOCK = Path(__file__).resolve().parents[2] / "Cargo.lock"


def versions(lock: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for package in tomllib.loads(lock.read_text())["package"]:
        found.setdefault(package["name"], set()).add(package["version"])
    return found


def assert_tested_versions(slot: Path) -> None:
    """The slot's lock holds the workspace's versions of every package the two share (#18)."""
    tested, built = versions(WORKSPACE_LOCK), versions(slot / "Cargo.lock")
    drifted = {name: (sorted(built[name]), sorted(tested[name]))
               for name in built.keys() & tested.keys() if not built[name] <= tested[name]}
    assert not drifted, f"{slot}: versions other than the tested ones (built, tested): {drifted}"
    assert {"neurust", "neurust-nn", "ndarray"} <= built.keys(), sorted(built)


def slot_of(log: Path) -> str:
    found = re.findall(r"build cache: (\S+)", log.read_text(errors="replace"))
    assert found, log.read_text(errors="replace")
    return found[-1]


def test_two_kernels_at_once_on_a_deleted_cache(private_root, logs):
    env = {"NEURUST_CACHE_DIR": str(private_root)}  # does not exist: the cache was deleted
    paths = [logs / f"cold-{i}.log" for i in (1, 2)]
    results: dict[int, object] = {}
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        kernels = [stack.enter_context(kernel(str(p), env=env, wait=False)) for p in paths]

        def first_cell(i: int, k) -> None:
            try:
                k.wait_for_ready(COLD_BOUND, f"cold start {i}")
                cell = k.execute(NEURUST_CELL, timeout=COLD_BOUND)
                results[i] = (time.monotonic() - started, cell)
            except BaseException as e:  # reported by the main thread
                results[i] = e

        threads = [threading.Thread(target=first_cell, args=(i, k), daemon=True)
                   for i, k in enumerate(kernels, 1)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            threads[0].join(timeout=2)
            threads[1].join(timeout=0.1)
            logs_now = [p.read_text(errors="replace") for p in paths]
            assert not all(WAITING in text for text in logs_now), (
                "deadlock: each kernel waits for the other to build the cache\n"
                + "\n".join(f"--- {p.name}:\n{t}" for p, t in zip(paths, logs_now)))
            assert time.monotonic() - started < COLD_BOUND + 60, "the cold start wedged"

    for i in (1, 2):
        outcome = results[i]
        if isinstance(outcome, BaseException):
            raise AssertionError(f"cold start {i} failed") from outcome
        seconds, cell = outcome
        timing(f"cold start {i}: start + first neurust cell", seconds)
        assert cell.ok and cell.result == NEURUST_WANT, cell.text
    slots = {slot_of(p) for p in paths}
    assert len(slots) == 2, f"both kernels used {slots}"
    for slot in slots:
        assert (Path(slot) / ".neurust-ready").is_file(), f"{slot} was not marked ready"
        assert_tested_versions(Path(slot))
    texts = [path.read_text(errors="replace") for path in paths]
    for text in texts:
        assert OFFLINE_FAILED not in text, f"the cold start did not build offline:\n{text}"
    # The kernels decide one at a time how to fill their slots, so exactly one builds; the
    # other waits for it and then copies its build (retrying a copy that the first kernel's
    # cell cut short), rather than build again.
    waited = [i for i, text in enumerate(texts, 1) if WAITING in text and SEEDED in text]
    assert len(waited) == 1, "not one kernel waited, then copied:\n" + "\n".join(
        f"--- {p.name}:\n{t}" for p, t in zip(paths, texts))

    log3 = logs / "cold-3.log"
    third = start_and_check(private_root, log3, "third start after the cold pair")
    text = log3.read_text(errors="replace")
    assert slot_of(log3) in slots, "the third start did not reuse a slot"
    # Only the neurust crates may recompile (when their sources changed meanwhile).
    rebuilt = re.findall(r"Compiling (?!neurust)(\S+)", text)
    assert not rebuilt, f"the third start rebuilt dependencies {rebuilt}:\n{text}"
    assert third < min(seconds for seconds, _ in results.values()) / 2, (third, results)
