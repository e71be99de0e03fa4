"""Bad input against the neurust kernel, end to end through jupyter_client and raw pyzmq.

Run through tests/hostile/run (builds the kernel, installs its spec, warms the build cache).
The shutdown tests come first so that their kernels, and then the main one, each find the
warm build-cache slot free.
"""
import os
import signal
import time

import pytest
from jupyter_client.manager import start_new_kernel

import corpus_frames
import corpus_protocol
from harness import STARTUP_TIMEOUT, Kernel, Tally, descendants, gone, user_code_child

SHUTDOWN_BOUND = 10.0  # seconds from shutdown_request to every process being gone


# A cell whose user code runs (and has started a process of its own), and one that is still
# compiling (rustc spins on a constant): a shutdown must leave no process behind in either case.
RUNNING = ('let _bg = std::process::Command::new("sleep").arg("300").spawn()?;\n'
           'println!("cell running");\n'
           'std::thread::sleep(std::time::Duration::from_secs(300));')
COMPILING = ("#[allow(long_running_const_eval)]\n"
             "const SPIN: u64 = { let mut i = 0u64; let mut s = 0u64;\n"
             "    while i < 50_000_000_000 { s = s.wrapping_add(i); i += 1; } s };\n"
             "SPIN")


def names(pids):
    found = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/comm") as f:
                found.append(f.read().strip())
        except OSError:
            pass
    return found


def wait_until(predicate, what, timeout=300):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.1)


@pytest.mark.parametrize("phase", ["running", "compiling"])
def test_shutdown_during_a_cell(phase):
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=STARTUP_TIMEOUT)
    processes = []
    try:
        pid = km.provisioner.process.pid
        kc.execute(RUNNING if phase == "running" else COMPILING)
        if phase == "running":
            wait_until(lambda: "sleep" in names(descendants(pid)), "the cell's sleep process")
        else:
            wait_until(lambda: "rustc" in names(descendants(pid)), "rustc compiling the cell")
        assert user_code_child(pid), "no user-code process found under the kernel"
        processes = [pid, *descendants(pid)]

        started = time.monotonic()
        shutdown_id = kc.shutdown()
        reply = kc.control_channel.get_msg(timeout=SHUTDOWN_BOUND)
        assert reply["parent_header"]["msg_id"] == shutdown_id
        assert reply["msg_type"] == "shutdown_reply" and reply["content"]["status"] == "ok"
        code = km.provisioner.process.wait(timeout=SHUTDOWN_BOUND)
        left = lambda: [f"{p} {n}" for p in processes if not gone(p) for n in names([p])]
        while left() and time.monotonic() - started < SHUTDOWN_BOUND:
            time.sleep(0.05)
        took = time.monotonic() - started
        assert not left(), f"still running {took:.1f} s after shutdown: {left()}"
        assert code == 0, f"the kernel exited with {code}"
        assert took < SHUTDOWN_BOUND
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
        for p in processes:
            if not gone(p):
                os.kill(p, signal.SIGKILL)


@pytest.fixture(scope="module")
def kernel():
    k = Kernel()
    yield k
    k.close()


def test_hostile_inputs(kernel, capsys):
    tally = Tally(kernel)
    only = os.environ.get("HOSTILE_ONLY", "")  # a substring, to run a few inputs by hand
    for name, attack in corpus_frames.INPUTS + corpus_protocol.INPUTS:
        if only in name:
            tally.apply(name, attack)
    with capsys.disabled():
        print(f"\n{tally.line()}")
        for wrong in tally.wrong:
            print(f"  wrong response: {wrong}")
    problems = ([f"crash: {n}" for n in tally.crashes] + [f"lost: {n}" for n in tally.lost]
                + [f"wrong: {n}" for n in tally.wrong])
    assert not problems, "\n".join(problems)


def test_a_cell_sent_after_an_error_reply_runs(kernel):
    """stop_on_error aborts the requests already queued when a cell fails, not those a client
    sends after it has seen the error reply. (Before the fix, about a third of tries raced.)"""
    sock = kernel.wire.socket("shell")
    try:
        pairs = [(kernel.wire.execute(sock, 'panic!("stop here")'),
                  kernel.wire.execute(sock, "1 + 1")) for _ in range(25)]
    finally:
        sock.close(linger=0)
    assert all(first == "error" for first, _ in pairs), pairs
    aborted = sum(then == "aborted" for _, then in pairs)
    assert aborted == 0, f"{aborted} of {len(pairs)} cells sent right after an error were aborted"


def test_cells_queued_behind_an_error_are_aborted(kernel):
    """The other half of stop_on_error: requests already queued when a cell fails are answered
    "aborted" without running (the second is sent before the first has even compiled)."""
    sock = kernel.wire.socket("shell")
    try:
        failing = kernel.wire.send_execute(sock, 'panic!("stop the queue")')
        queued = [kernel.wire.send_execute(sock, "let hostile_queued_ran = true;") for _ in range(2)]
        statuses = [kernel.wire.status_of(sock, m) for m in [failing, *queued]]
        after = kernel.wire.execute(sock, "1 + 1")
    finally:
        sock.close(linger=0)
    assert statuses == ["error", "aborted", "aborted"], statuses
    assert after == "ok", "a cell sent after the error reply runs"
