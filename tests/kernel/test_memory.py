"""The kernel gives memory back. glibc keeps what a program frees unless asked to return it,
and the kernel frees a lot: evcxr's start-up work, once the first cell has run (about 390 MiB
measured), and the queues an output flood passes through.

Run through tests/kernel/run (it installs the kernel spec and warms the build cache first).
"""
import time

from jupyter_client.manager import start_new_kernel

LINES = 60_000
LINE_BYTES = 1_000
GROWTH_LIMIT_MIB = 48


def status_mib(pid, field):
    """A memory field of /proc/<pid>/status (VmRSS: resident now, VmHWM: its peak), in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} for pid {pid}")


def settle(pid, seconds=4.0):
    """The kernel's resident memory after `seconds` with nothing to do."""
    time.sleep(seconds)
    return status_mib(pid, "VmRSS")


def test_an_idle_kernel_gives_back_what_start_up_freed():
    """Without the trim the kernel stayed at its start-up peak (1,131 MiB resident against a
    peak of 1,131 MiB); with it, about 390 MiB lower."""
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    try:
        pid = km.provisioner.process.pid
        reply = kc.execute_interactive("let kept = 3;", timeout=900)
        assert reply["content"]["status"] == "ok", reply["content"]
        now, peak = settle(pid), status_mib(pid, "VmHWM")
        print(f"kernel resident memory {now:.0f} MiB, start-up peak {peak:.0f} MiB")
        assert now < peak - 150, (now, peak)
        reply = kc.execute_interactive("kept", timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_an_output_flood_does_not_keep_the_kernel_bigger():
    """Before stream lines were batched, this flood (60,000 lines of 1,000 bytes) went out as
    tens of thousands of messages that queued in the kernel until the client read them, and
    left the kernel 106 MiB bigger for good without the trim (+2 MiB with it). With batching
    it takes about 60 messages and leaves +3 MiB even without the trim."""
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    try:
        pid = km.provisioner.process.pid
        reply = kc.execute_interactive("let kept = 3;", timeout=900)
        assert reply["content"]["status"] == "ok", reply["content"]
        before = settle(pid)
        received = [0]

        def count(msg):
            if msg["msg_type"] == "stream":
                received[0] += msg["content"]["text"].count("\n")

        code = (f'let pad = "x".repeat({LINE_BYTES - 12});\n'
                f'for i in 0..{LINES} {{ println!("{{i:>10}} {{pad}}"); }}')
        reply = kc.execute_interactive(code, timeout=600, output_hook=count)
        assert reply["content"]["status"] == "ok", reply["content"]
        assert received[0] == LINES
        after = settle(pid)
        print(f"kernel resident memory: {before:.0f} MiB before a flood of "
              f"{LINES * LINE_BYTES / 1e6:.0f} MB, {after:.0f} MiB after it")
        assert after - before < GROWTH_LIMIT_MIB, (before, after)
        reply = kc.execute_interactive("kept", timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
