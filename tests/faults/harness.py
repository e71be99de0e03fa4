"""Starting, driving and stopping neurust kernels for the fault-injection suite.

Every kernel runs in its own process group (jupyter_client starts it in a new session); `kernel()`
kills that group when the test ends, so no user-code process or cargo outlives a test. Kernel
stderr (the `neurust-kernel: ...` log and cargo's `Compiling ...` lines) goes to a file that the
tests read.
"""
import contextlib
import os
import queue
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import KernelManager

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
from proctree import user_code_child  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_MNIST = ROOT / "crates/neurust-datasets/tests/fixtures/mnist-small"
# A first cell that needs the neurust facade, and its result.
NEURUST_CELL = f'mnist::load_data_from(r"{FIXTURE_MNIST}").map(|d| d.0.0.dim())'
NEURUST_WANT = "Ok((100, 28, 28))"
# Rebuilding the neurust crates (not their dependencies) on a busy 2-core machine.
REPAIR_BOUND = 600

# (label, seconds): printed at the end of the run by conftest.py.
TIMINGS: list[tuple[str, float]] = []


def timing(label: str, seconds: float) -> None:
    TIMINGS.append((label, seconds))


@dataclass
class Cell:
    reply: dict
    outputs: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.reply["status"] == "ok"

    @property
    def error(self) -> dict | None:
        return next((c for t, c in self.outputs if t == "error"), None)

    @property
    def result(self) -> str | None:
        data = next((c["data"] for t, c in self.outputs if t == "execute_result"), None)
        return data.get("text/plain") if data else None

    @property
    def text(self) -> str:
        """Everything the notebook shows: streams, results and the error with its traceback."""
        parts = []
        for kind, content in self.outputs:
            if kind == "stream":
                parts.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                parts.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                parts.extend([content["ename"], content["evalue"], *content["traceback"]])
        return "\n".join(parts)


class Kernel:
    def __init__(self, km: KernelManager, log_path: str, started: float):
        self.km, self.kc, self.log_path, self.started = km, km.client(), log_path, started
        self.pid = km.provisioner.process.pid
        self.kc.start_channels()

    def wait_for_ready(self, timeout: float, label: str | None = None) -> None:
        try:
            self.kc.wait_for_ready(timeout=timeout)
        except RuntimeError as e:
            raise AssertionError(f"kernel did not start: {e}\n--- kernel log:\n{self.log()}") from e
        if label:
            timing(f"{label}: kernel_info answered", time.monotonic() - self.started)

    def log(self) -> str:
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def execute(self, code: str, timeout: float = 180, on_output=None) -> Cell:
        """Runs a cell; `on_output(kind, content)` sees each output as it arrives."""
        msg_id = self.kc.execute(code, stop_on_error=False)
        cell = Cell(reply={})
        deadline = time.monotonic() + timeout
        while True:
            msg = self.next_message(self.kc.get_iopub_msg, deadline)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                break
            if kind in ("stream", "execute_result", "display_data", "error"):
                cell.outputs.append((kind, content))
                if on_output:
                    on_output(kind, content)
        cell.reply = self.shell_reply(msg_id, deadline)
        return cell

    def shell_reply(self, msg_id: str, deadline: float) -> dict:
        while True:
            msg = self.next_message(self.kc.get_shell_msg, deadline)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    def next_message(self, get, deadline: float) -> dict:
        """The next message from `get`, failing at once if the kernel process dies (it answers
        kernel_info while its engine is still starting, so a start-up failure shows here)."""
        while True:
            try:
                return get(timeout=min(2.0, max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                if not self.km.is_alive():
                    raise AssertionError(f"the kernel died\n--- kernel log:\n{self.log()}")
                if time.monotonic() >= deadline:
                    raise AssertionError(f"no answer in time\n--- kernel log:\n{self.log()}")

    def kernel_info(self, timeout: float = 30) -> dict:
        msg_id = self.kc.kernel_info()
        return self.shell_reply(msg_id, time.monotonic() + timeout)

    def complete(self, code: str, timeout: float = 60) -> list[str]:
        msg_id = self.kc.complete(code, len(code))
        return self.shell_reply(msg_id, time.monotonic() + timeout)["matches"]

    def assert_usable(self) -> None:
        """Answers kernel_info and runs a new cell."""
        assert self.kernel_info()["status"] == "ok"
        cell = self.execute("let usable_after_fault: i32 = 6 * 7; usable_after_fault")
        assert cell.ok and cell.result == "42", cell.text

    def user_process(self, timeout: float = 30) -> int:
        """The pid of the user-code process: the kernel's child running the kernel binary."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = user_code_child(self.pid)
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no user-code process under kernel {self.pid}")


@contextlib.contextmanager
def kernel(log_path: str, name: str = "neurust", env: dict | None = None,
           startup_timeout: float = 300, label: str | None = None, wait: bool = True):
    """A started kernel, ready (it answered kernel_info) unless `wait` is false; killed with its
    process group afterwards."""
    km = KernelManager(kernel_name=name)
    started = time.monotonic()
    with open(log_path, "a") as log:
        km.start_kernel(env={**os.environ, **(env or {})}, stderr=log)
    pgid = km.provisioner.pgid
    k = None
    try:
        k = Kernel(km, log_path, started)
        if wait:
            k.wait_for_ready(startup_timeout, label)
        yield k
    finally:
        if k is not None:
            k.kc.stop_channels()
        with contextlib.suppress(Exception):
            km.shutdown_kernel(now=True)
        if pgid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)


def start_and_check(root: Path, log: Path, label: str, bound: float = REPAIR_BOUND) -> float:
    """Starts a kernel on cache root `root` and runs a first neurust cell, all within `bound`
    seconds; the kernel must stay usable. Returns the seconds taken."""
    started = time.monotonic()
    with kernel(str(log), env={"NEURUST_CACHE_DIR": str(root)}, startup_timeout=bound,
                label=label) as k:
        cell = k.execute(NEURUST_CELL, timeout=max(bound - (time.monotonic() - started), 60))
        total = time.monotonic() - started
        timing(f"{label}: start + first neurust cell", total)
        assert cell.ok and cell.result == NEURUST_WANT, f"{cell.text}\n--- kernel log:\n{k.log()}"
        k.assert_usable()
    return total
