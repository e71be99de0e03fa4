"""Hostile inputs at the protocol level: unknown or misplaced message types, fields of the wrong
type, interrupts and signals while idle, two clients at once, and traffic that is not ZMTP.
"""
import contextlib
import os
import queue
import signal
import socket
import time

import zmq
from jupyter_client.session import Session

from corpus_frames import POISON, answered, ignored, one
from harness import run
from wire import header, heartbeat_ok, tcp_garbage, wrong_socket_type


def unknown_request(channel):
    """An unknown *_request: the Jupyter spec says log and ignore; an error reply is tolerated."""
    def attack(k):
        frames = k.wire.frames("hostile_unknown_request", {"x": 1})
        replies, ok = k.wire.exchange(channel, frames)
        bad = [r for r in replies if r["content"].get("status") != "error"]
        problems = [f"non-error reply {r['msg_type']}" for r in bad]
        return problems + ([] if ok else ["the sentinel kernel_info was not answered"])
    return attack


def sent(msg_type, content, channel="shell", reply=None):
    make = one(lambda w: w.frames(msg_type, content))
    return answered(channel, make, reply) if reply else ignored(channel, make)


def execute_odd(content, status="ok"):
    def attack(k):
        frames = k.wire.frames("execute_request", content)
        replied = lambda rs: any(r["msg_type"] == "execute_reply" for r in rs)
        got, _ = k.wire.exchange("shell", frames, sentinel=False, wait=120, done=replied)
        statuses = [r["content"].get("status") for r in got if r["msg_type"] == "execute_reply"]
        return [] if statuses == [status] else [f"execute_reply statuses {statuses}"]
    return attack


def interrupt_idle(k):
    replies, _ = k.wire.exchange("control", k.wire.frames("interrupt_request"),
                                 done=lambda rs: len(rs) >= 2)
    kinds = [(r["msg_type"], r["content"].get("status")) for r in replies]
    return [] if kinds == [("interrupt_reply", "ok")] else [f"replies {kinds}"]


def sigint(group):
    def attack(k):
        if not group:
            os.kill(k.pid, signal.SIGINT)
        elif os.getpgid(k.pid) != os.getpgid(0):
            os.killpg(os.getpgid(k.pid), signal.SIGINT)  # what a terminal's Ctrl-C does
        else:
            return ["the kernel shares the test's process group; not signalled"]
        time.sleep(0.5)
        return []
    return attack


def reply_to(client, msg_id, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        reply = client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def two_clients(k):
    """A second client (its own session, as a second frontend has) on the same kernel: both
    execute at once, both get their reply, and each client's iopub shows both cells."""
    second = k.km.client(session=Session(key=k.km.session.key, username="second"))
    second.start_channels()
    try:
        second.wait_for_ready(timeout=30)
        clients = [k.kc, second]
        ids = [c.execute(f"std::thread::sleep(std::time::Duration::from_millis(300)); {i} + 40")
               for i, c in enumerate(clients)]
        problems = []
        for i, (c, msg_id) in enumerate(zip(clients, ids)):
            try:
                if reply_to(c, msg_id)["content"]["status"] != "ok":
                    problems.append(f"client {i}'s cell failed")
            except queue.Empty:
                problems.append(f"client {i} got no execute_reply")
        for i, c in enumerate(clients):
            inputs, results, idle = set(), {}, set()
            deadline = time.monotonic() + 60
            while not set(ids) <= idle and time.monotonic() < deadline:
                try:
                    msg = c.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
                except queue.Empty:
                    break
                parent = msg["parent_header"].get("msg_id")
                kind = msg["msg_type"]
                if kind == "execute_input":
                    inputs.add(parent)
                elif kind == "execute_result":
                    results[parent] = msg["content"]["data"].get("text/plain")
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle.add(parent)
            seen = [results.get(msg_id) for msg_id in ids]
            if not set(ids) <= inputs or seen != ["40", "41"]:
                problems.append(f"client {i}'s iopub saw inputs {len(inputs & set(ids))}/2, "
                                f"results {seen}")
        return problems
    finally:
        second.stop_channels()


def reconnect(k):
    """The client reconnects the way jupyter_client does (km.client(): a clone of the session,
    whose message numbers start again at 0, so msg_ids repeat): it must be served."""
    k.kc.stop_channels()
    k.kc = k.km.client()
    k.kc.start_channels()
    k.kc.wait_for_ready(timeout=60)
    reply, text = run(k.kc, "keep.len()")
    return [] if text == "3" else [f"the reconnected client got {reply.get('status')} {text}"]


def garbage_then_fresh_client(port_name, payload):
    def attack(k):
        tcp_garbage(getattr(k.km, port_name), payload)
        if port_name == "hb_port":
            return [] if heartbeat_ok(k.km) else ["heartbeat no longer answers"]
        if port_name == "iopub_port":
            return [] if iopub_ok(k) else ["a fresh iopub subscriber hears nothing"]
        if port_name == "stdin_port":
            # The kernel only speaks on stdin during input(); a fresh client must be greeted.
            return [] if zmtp_greets(k.km.stdin_port) else ["a fresh stdin client is not greeted"]
        channel = port_name.removesuffix("_port")
        replies, _ = k.wire.exchange(channel, k.wire.frames("kernel_info_request"),
                                     sentinel=False, done=bool)
        return [] if replies else ["a fresh connection is not answered"]
    return attack


def zmtp_greets(port):
    """Whether a new TCP connection to `port` gets a ZMTP 3 greeting back for its own."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(ZMTP_GREETING)
        got = b""
        with contextlib.suppress(OSError):
            while len(got) < 11:
                chunk = conn.recv(64)
                if not chunk:
                    break
                got += chunk
    return got[:1] == b"\xff" and got[9:10] == b"\x7f" and got[10:11] == b"\x03"


def iopub_ok(k):
    sub = k.km.connect_iopub()
    sub.linger = 0
    try:
        time.sleep(0.5)  # let the subscription reach the kernel
        k.wire.exchange("shell")
        return bool(sub.poll(5000))
    finally:
        sub.close(linger=0)


# A ZMTP 3.0 greeting for the NULL mechanism: signature, version 3.0, mechanism, filler.
ZMTP_GREETING = b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x00" + b"NULL".ljust(20, b"\x00") + b"\x00" * 32


# Every line evcxr or the kernel reads as a control line in the user-code process's stdout
# (and the stderr end-of-cell marker): printed by a cell, each must reach the notebook as text.
MARKERS = [
    "EVCXR_EXECUTION_COMPLETE", "EVCXR_ERROR_OCCURRED", "EVCXR_PANIC_NOTIFICATION",
    "EVCXR_BEGIN_CONTENT text/html", "<b>swallowed?</b>", "EVCXR_END_CONTENT",
    "EVCXR_INPUT_REQUEST:Name: ", "EVCXR_VARIABLE_CHANGED_TYPE:keep",
    'NEURUST-PANIC-V1 "boom"', "NEURUST-USER-ERROR-V1", "NEURUST-STDIN-READ-V1",
    'NEURUST-DISPLAY-V1 {"action":"clear","wait":false}', "NEURUST-ESC-V1 x",
    "NEURUST-STDERR-END-V1",
]


def prints_every_marker(k):
    lines = "".join(f'println!("{{}}", r#"{m}"#);\n' for m in MARKERS)
    code = lines + 'eprintln!("NEURUST-STDERR-END-V1");\nprintln!("done");'
    text = {"stdout": [], "stderr": []}

    def hook(msg):
        if msg["msg_type"] == "stream":
            text[msg["content"]["name"]].append(msg["content"]["text"])
        elif msg["msg_type"] not in ("status", "execute_input"):
            text.setdefault("other", []).append(msg["msg_type"])

    reply = k.kc.execute_interactive(code, timeout=120, output_hook=hook,
                                     stdin_hook=lambda m: text.setdefault("other", []).append(
                                         "input_request"))
    problems = []
    if reply["content"]["status"] != "ok":
        problems.append(f"status {reply['content']['status']}")
    if "".join(text["stdout"]) != "".join(f"{m}\n" for m in MARKERS) + "done\n":
        problems.append(f"stdout {''.join(text['stdout'])!r}")
    if "".join(text["stderr"]) != "NEURUST-STDERR-END-V1\n":
        problems.append(f"stderr {''.join(text['stderr'])!r}")
    if text.get("other"):
        problems.append(f"other messages {text['other']}")
    return problems


def wrong_type(channel, kind):
    def attack(k):
        wrong_socket_type(k.km, channel, kind)
        _, ok = k.wire.exchange("shell")
        return [] if ok else ["a fresh shell connection is not answered"]
    return attack


INPUTS = [
    ("unknown *_request type on shell", unknown_request("shell")),
    ("unknown *_request type on control", unknown_request("control")),
    ("unknown message type without _request", sent("hostile_unknown", {"x": 1})),
    ("execute_request on the control channel",
     sent("execute_request", POISON, channel="control", reply="execute_reply")),
    ("complete_request on the control channel",
     sent("complete_request", {"code": "kee", "cursor_pos": 3}, channel="control",
          reply="complete_reply")),
    ("empty msg_type", sent("", {})),
    ("NUL and newlines in msg_type", sent("exec\u0000ute_request\n", POISON)),
    ("execute_request on the stdin channel", ignored("stdin", one(
        lambda w: w.frames("execute_request", POISON)), sentinel=False, wait=2.0)),
    ("input_reply nobody asked for", ignored("stdin", one(
        lambda w: w.frames("input_reply", {"value": "x"})), sentinel=False, wait=1.0)),
    ("comm_open, comm_msg, comm_close for unknown comms", ignored("shell", lambda w: [
        w.frames("comm_open", {"comm_id": "c", "target_name": "nope", "data": {}}),
        w.frames("comm_msg", {"comm_id": "nope", "data": {"x": [1, 2]}}),
        w.frames("comm_close", {"comm_id": "nope", "data": None})])),
    ("content that is a JSON array", ignored("shell", one(
        lambda w: w.frames("execute_request", b'["breached += 1;"]')))),
    ("header without msg_type", ignored("shell", one(lambda w: w.frames(
        "execute_request", POISON, head={"msg_id": "no-type", "session": "s"})))),
    ("header whose msg_id is a number", ignored("shell", one(lambda w: w.frames(
        "execute_request", POISON, head=dict(header("execute_request"), msg_id=7))))),
    ("parent_header and metadata that are not objects", answered("shell", one(
        lambda w: w.frames("kernel_info_request", parent=b"[1]", metadata=b"null")),
        "kernel_info_reply")),
    ("execute_request whose code is a number", execute_odd(dict(POISON, code=42))),
    ("execute_request with no fields at all", execute_odd({})),
    ("execute_request with null options", execute_odd(
        {"code": "1", "silent": None, "store_history": None, "allow_stdin": None})),
    # User code that used to wedge the kernel: the cell never ended and an interrupt could not
    # end it, so only a restart (losing every variable) helped.
    ("a cell reading stdin from a client that takes no input", execute_odd(dict(
        POISON, code="let mut s = String::new(); std::io::stdin().read_line(&mut s).unwrap()"))),
    ("a cell flushing text without a newline", execute_odd(dict(
        POISON, code='print!("x"); std::io::Write::flush(&mut std::io::stdout()).unwrap();'))),
    # Printed control lines used to end the cell, fail it, draw, ask for input or vanish.
    ("a cell printing every marker of evcxr and the kernel", prints_every_marker),
    ("complete_request with a negative cursor", sent(
        "complete_request", {"code": "kee", "cursor_pos": -5}, reply="complete_reply")),
    ("complete_request with a cursor of 10**30", sent(
        "complete_request", {"code": "keep.", "cursor_pos": 10**30}, reply="complete_reply")),
    ("inspect_request with a string cursor inside a multibyte name", sent(
        "inspect_request", {"code": "let é = keep;", "cursor_pos": "5"}, reply="inspect_reply")),
    ("history_request with n = -1 and absurd ranges", sent(
        "history_request", {"hist_access_type": "range", "n": -1, "start": -2**63,
                            "stop": 2**64}, reply="history_reply")),
    ("history search with a pathological glob", sent(
        "history_request", {"hist_access_type": "search", "pattern": "*a" * 2000 + "?",
                            "n": 10}, reply="history_reply")),
    ("is_complete_request on a million open brackets", sent(
        "is_complete_request", {"code": "(" * 1_000_000}, reply="is_complete_reply")),
    ("interrupt_request while idle", interrupt_idle),
    ("SIGINT to the kernel while idle", sigint(group=False)),
    ("SIGINT to the kernel's process group while idle", sigint(group=True)),
    ("two clients executing at once", two_clients),
    ("a client reconnects, reusing msg_ids", reconnect),
    ("TCP garbage on the shell port", garbage_then_fresh_client("shell_port", os.urandom(4096))),
    ("TCP garbage on the control port",
     garbage_then_fresh_client("control_port", b"\xff" + b"\x00" * 8 + b"\x7f" + b"GET /")),
    ("HTTP request on the heartbeat port",
     garbage_then_fresh_client("hb_port", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
    ("ZMTP greeting cut short on the iopub port",
     garbage_then_fresh_client("iopub_port", b"\xff\x00\x00\x00\x00\x00\x00\x00\x01\x7f\x03")),
    *[(f"ZMTP frame header declaring 4 EiB, no key, on the {port.removesuffix('_port')} port",
       garbage_then_fresh_client(port, ZMTP_GREETING + flags + (1 << 62).to_bytes(8, "big")))
      for port, flags in [("shell_port", b"\x06"), ("control_port", b"\x02"),
                          ("stdin_port", b"\x06"), ("iopub_port", b"\x06"),
                          ("hb_port", b"\x02")]],
    ("a PUB socket connected to shell", wrong_type("shell", zmq.PUB)),
    ("a REP socket connected to control", wrong_type("control", zmq.REP)),
]
