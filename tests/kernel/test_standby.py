"""Standby engines through a real client: a kernel launched while a standby waits is served by
it, in the launch directory, keeps every variable across an interrupt (by message and by
SIGINT to the launched process), leaves a successor, and goes away with the launched process.

Run through tests/kernel/run. The suite turns standbys off for every other test; these turn
them on with a variable of their own, so their standbys serve only these kernels, and stop
them at the end.
"""
import json
import os
import signal
import subprocess
import time
import uuid

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ENV = {"NEURUST_STANDBY": "1", "NEURUST_TEST_STANDBY": uuid.uuid4().hex}


def environment():
    """The environment of every process here: pytest's per-phase variable left out, since a
    standby serves only launches with the environment it was started with."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return {**env, **ENV}


FIT_FOREVER = """let mut m = Sequential::new();
m.add(Dense::new(1).input_shape([4]));
m.compile("sgd", "mse", &["mae"])?;
let x = ndarray::Array2::<f32>::zeros((4096, 4));
let y = ndarray::Array2::<f32>::zeros((4096, 1));
m.fit(&x, &y).epochs(1_000_000).run()?;"""


def kernel_binary():
    return KernelSpecManager().get_kernel_spec("neurust").argv[0]


def standby(command):
    """`neurust-kernel standby COMMAND` in this module's environment."""
    out = subprocess.run(
        [kernel_binary(), "standby", command], env=environment(), capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines and command != "start" else None


def wait_for_standby(state="ready", timeout=900):
    deadline = time.monotonic() + timeout
    answer = None
    while time.monotonic() < deadline:
        answer = standby("status")
        if answer.get("ok") and answer.get("state") == state:
            return answer
        time.sleep(0.5)
    raise AssertionError(f"no {state} standby: {answer}")


def gone(pid, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except OSError:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def ready_standby():
    standby("start")
    yield wait_for_standby()
    standby("stop")


def launch(cwd):
    km = KernelManager(kernel_name="neurust")
    km.start_kernel(env=environment(), cwd=str(cwd))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=900)
    return km, kc


def value(kc, code):
    outputs = []
    reply = kc.execute_interactive(code, timeout=600, output_hook=outputs.append)
    assert reply["content"]["status"] == "ok", reply["content"]
    results = [m for m in outputs if m["msg_type"] == "execute_result"]
    return results[0]["content"]["data"]["text/plain"] if results else None


def test_a_launch_is_served_by_the_standby_in_its_own_directory(ready_standby, tmp_path):
    km, kc = launch(tmp_path)
    try:
        served_by = ready_standby["pid"]
        assert value(kc, "std::process::id() != 0") == "true"
        cwd = value(kc, "std::env::current_dir().unwrap().display().to_string()")
        assert cwd == f'"{tmp_path}"'
        # The launched process is not the kernel: the standby is, and it no longer waits.
        assert km.provisioner.process.pid != served_by
        assert not gone(served_by, timeout=0.1)
        # Interrupts reach it, by message and by SIGINT to the launched process.
        value(kc, "let kept = 41;")
        for interrupt in (km.interrupt_kernel, lambda: os.kill(km.provisioner.process.pid, signal.SIGINT)):
            # A long fit: it stops at the next batch, keeping every variable (a cell that does
            # not cooperate would be stopped by restarting the user-code process instead).
            msg_id = kc.execute(FIT_FOREVER)
            time.sleep(2.5)
            interrupt()
            reply = kc.get_shell_msg(timeout=60)
            assert reply["parent_header"]["msg_id"] == msg_id
            assert reply["content"]["ename"] == "KeyboardInterrupt", reply["content"]
            assert value(kc, "kept + 1") == "42"
        # Idle for a moment: its successor prepares.
        time.sleep(3)
        successor = wait_for_standby()
        assert successor["pid"] != served_by
    finally:
        kc.stop_channels()
        km.shutdown_kernel()
    assert gone(served_by), "the kernel that served exits with the launched process"


def test_the_kernel_goes_when_the_launched_process_is_killed(ready_standby, tmp_path):
    served_by = wait_for_standby()["pid"]
    km, kc = launch(tmp_path)
    try:
        assert value(kc, "1 + 1") == "2"
        os.kill(km.provisioner.process.pid, signal.SIGKILL)
        assert gone(served_by), "a kernel whose launched process was killed must exit"
    finally:
        kc.stop_channels()
        km.cleanup_resources()
