"""What a client sees while the kernel starts: busy until it can run cells, and a cell sent at
once gets its own busy first, never an idle while it waits.

Run through tests/kernel/run (standbys off, so each kernel here loads in-process, and the
preload is still running when the cell is sent).
"""
import time

from jupyter_client.manager import start_new_kernel


def statuses_until_idle(kc, msg_id, timeout=900):
    """(execution_state, parent msg_id) of every status message until `msg_id`'s idle."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=deadline - time.monotonic())
        if msg["msg_type"] != "status":
            continue
        state, parent = msg["content"]["execution_state"], msg["parent_header"].get("msg_id")
        seen.append((state, parent))
        if state == "idle" and parent == msg_id:
            return seen
    raise AssertionError(f"no idle for {msg_id}; saw {seen}")


def test_a_cell_sent_at_once_sees_busy_first_and_no_idle_while_it_waits():
    """Before: when the preload ended, the kernel published a parentless idle although this
    cell was queued."""
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    try:
        msg_id = kc.execute("let started = 1;")
        seen = statuses_until_idle(kc, msg_id)
        assert seen[0][0] == "busy", seen
        assert [s for s in seen[:-1] if s[0] == "idle"] == [], seen
        assert ("busy", msg_id) in seen, seen
        reply = kc.get_shell_msg(timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_loading_kernel_shows_busy_then_idle_when_ready():
    """A client that shows the last status (JupyterLab) sees busy while the preload runs.
    Before: kernel_info's idle was the last status for the whole preload."""
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    try:
        # start_new_kernel has read kernel_info's reply and flushed iopub; the last status the
        # kernel published since then, or before, must say busy.
        kc.kernel_info()
        kc.get_shell_msg(timeout=60)
        last = None
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            try:
                msg = kc.get_iopub_msg(timeout=max(0.01, end - time.monotonic()))
            except Exception:
                break
            if msg["msg_type"] == "status":
                last = msg["content"]["execution_state"]
        assert last == "busy", last
        # Once loaded, a parentless idle follows.
        end = time.monotonic() + 900
        while time.monotonic() < end:
            msg = kc.get_iopub_msg(timeout=end - time.monotonic())
            if msg["msg_type"] == "status" and not msg["parent_header"]:
                assert msg["content"]["execution_state"] == "idle", msg
                break
        reply = kc.execute_interactive("1 + 1", timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_the_first_question_mark_cell_compiles_once_and_the_warm_up_loads(tmp_path):
    """evcxr turns on `?` in cells only after a cell with `?` failed to compile without it; the
    preload does that, so the user's first `?` cell is compiled once (before: an "Allow question
    mark" phase, a whole failed compile, on the tutorial's first data cell). The preload's
    warm-up cells must also compile against the facade: a failure is only logged, so read the log."""
    log = tmp_path / "kernel.log"
    with open(log, "w") as stderr:
        km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900, stderr=stderr)
    try:
        kc.execute_interactive(":timing", timeout=120)
        streams = []
        reply = kc.execute_interactive(
            'let parsed: i32 = "7".parse::<i32>()?;\nparsed * 6',
            timeout=300,
            output_hook=streams.append,
        )
        assert reply["content"]["status"] == "ok", reply["content"]
        text = "".join(m["content"].get("text", "") for m in streams if m["msg_type"] == "stream")
        results = [m["content"]["data"]["text/plain"] for m in streams
                   if m["msg_type"] == "execute_result"]
        assert results == ["42"], (results, text)
        assert "Final compile" in text, text  # the phases are listed, so the next check means something
        assert "Allow question mark" not in text, text
        kernel_log = log.read_text()
        assert "ready in" in kernel_log, kernel_log
        assert "warm-up failed" not in kernel_log, kernel_log
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
