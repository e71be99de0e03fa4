"""The kernel under attack and the bookkeeping around each hostile input: after every input the
kernel must still answer kernel_info, and the session's variables must still be there.
"""
import os
import sys
import time

from jupyter_client.manager import start_new_kernel

from wire import Wire

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from proctree import children, descendants, gone, user_code_child  # noqa: E402,F401

STARTUP_TIMEOUT = 900  # a cold build-cache slot compiles the neurust crates first
SETUP = [
    "let keep = vec![1, 2, 3];",
    "let mut model = Sequential::with_seed(1);\n"
    "model.add(Flatten::new().input_shape([2, 2]));\n"
    'model.add(Dense::new(4).activation("relu"));\n'
    'model.add(Dense::new(2).activation("softmax"));\n'
    'model.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;',
    # Code in messages that must be rejected increments this; the check reads and resets it.
    "let mut breached = 0u32;",
]
CHECK = "(keep.len(), model.count_params(), std::mem::take(&mut breached))"
INTACT = "(3, 30, "


def run(kc, code, timeout=120):
    """Executes a cell; returns (reply content, text/plain of its result or None)."""
    result = []

    def hook(msg):
        if msg["msg_type"] == "execute_result":
            result.append(msg["content"]["data"].get("text/plain"))

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    return reply["content"], (result[0] if result else None)


class Kernel:
    """One neurust kernel with the variables the suite watches."""

    def __init__(self):
        self.km = self.kc = None
        self.start()

    def start(self):
        self.km, self.kc = start_new_kernel(kernel_name="neurust", startup_timeout=STARTUP_TIMEOUT)
        self.wire = Wire(self.km)
        self.setup()

    def setup(self):
        for code in SETUP:
            reply, _ = run(self.kc, code)
            assert reply["status"] == "ok", f"set-up cell failed: {code!r}: {reply}"

    @property
    def pid(self):
        return self.km.provisioner.process.pid

    def responsive(self, timeout=30):
        """The process is up and kernel_info is answered within `timeout` seconds."""
        if not self.km.is_alive():
            return False
        try:
            reply = self.kc.kernel_info(reply=True, timeout=timeout)
        except TimeoutError:
            return False
        return reply["content"].get("status") == "ok"

    def check(self):
        """Runs CHECK; returns (variables intact, rejected code ran, failure text)."""
        try:
            reply, text = run(self.kc, CHECK, timeout=180)
        except TimeoutError:
            return False, False, "the check cell timed out"
        if reply["status"] != "ok" or not text or not text.startswith(INTACT):
            return False, False, f"check cell: {reply.get('ename')} {reply.get('evalue')} {text}"
        return True, text != INTACT + "0)", ""

    def restart(self):
        self.close()
        self.start()

    def close(self):
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            self.km.shutdown_kernel(now=True)
        self.km = self.kc = None


class Tally:
    """Applies hostile inputs one after another and counts what went wrong."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.inputs, self.crashes, self.lost, self.wrong = [], [], [], []

    def apply(self, name, attack):
        self.inputs.append(name)
        started = time.monotonic()
        try:
            problems = list(attack(self.kernel) or [])
        except Exception as error:  # an attack that raises is a finding, not a suite error
            problems = [f"the input raised {error!r}"]
        if not self.kernel.responsive():
            self.crashes.append(name)
            self.kernel.restart()
            return
        intact, breached, detail = self.kernel.check()
        if not intact:
            # A cell can fail for other reasons (a leaked interrupt); ask once more.
            again, breached, _ = self.kernel.check()
            if again:
                problems.append(f"the next cell failed: {detail}")
            else:
                self.lost.append(f"{name}: {detail}")
                self.kernel.setup()
        if breached:
            problems.append("code from a message that should have been rejected ran")
        if problems:
            self.wrong.append(f"{name}: {'; '.join(problems)}")
        elapsed = time.monotonic() - started
        print(f"  {name:<58} {'ok' if not problems else 'WRONG'} ({elapsed:.1f} s)")

    def line(self):
        return (f"{len(self.inputs)} hostile inputs, {len(self.crashes)} crashes, "
                f"{len(self.lost)} lost variables")
