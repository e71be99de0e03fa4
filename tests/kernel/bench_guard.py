"""What the ZMTP guard costs (a benchmark, not a test). The kernel's ZeroMQ sockets listen on Unix
sockets in a private directory; the connection file's TCP ports relay each client there through
a guard that checks the framing (crates/neurust-kernel/src/kernel/zmtp_guard.rs). This sends the same
signed requests to one kernel both ways, alternating: through the guarded TCP shell port, as
every Jupyter client does, and straight to the Unix socket behind it. The ratio is the relay's
and the guard's cost together, next to a cell's own latency.

Run through `tests/kernel/bench guard` (builds the release kernel, installs its spec).
"""
import os
import statistics
import sys
import time

import zmq
from jupyter_client.manager import start_new_kernel

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from listening import socket_dirs  # noqa: E402

SMALL_ROUNDS = 400
LARGE_ROUNDS = 6
LARGE_BYTES = 50 * 2**20


def round_trip(session, sock, content):
    """Seconds from sending a kernel_info_request to its reply on the same socket."""
    start = time.perf_counter()
    sent = session.send(sock, "kernel_info_request", content)
    while True:
        _, msg = session.feed_identities(sock.recv_multipart())
        if session.deserialize(msg, content=False)["parent_header"]["msg_id"] == \
                sent["header"]["msg_id"]:
            return time.perf_counter() - start


def compare(session, socks, content, rounds):
    """Alternates the two routes `rounds` times; returns {route: [seconds]}."""
    times = {name: [] for name in socks}
    for i in range(rounds):
        order = list(socks.items())
        for name, sock in order if i % 2 == 0 else reversed(order):
            times[name].append(round_trip(session, sock, content))
    return times


def main():
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    kc.execute_interactive("1 + 1", timeout=600, output_hook=lambda _m: None)  # preload done
    context = zmq.Context()
    socks = {}
    try:
        (sockdir,) = socket_dirs(km.provisioner.process.pid)
        for name, url in (("guarded TCP port", f"tcp://127.0.0.1:{km.shell_port}"),
                          ("ZeroMQ's Unix socket", f"ipc://{sockdir}/shell.sock")):
            socks[name] = context.socket(zmq.DEALER)
            socks[name].linger = 0
            socks[name].connect(url)
        compare(km.session, socks, {}, 20)  # connect and warm up both routes
        print("ZMTP guard benchmark: kernel_info round trips to one kernel, both routes "
              "alternating")
        for label, content, rounds in (
                ("small request", {}, SMALL_ROUNDS),
                (f"{LARGE_BYTES >> 20} MiB request", {"pad": "x" * LARGE_BYTES}, LARGE_ROUNDS)):
            times = compare(km.session, socks, content, rounds)
            medians = {name: statistics.median(ts) for name, ts in times.items()}
            guarded, direct = medians.values()
            cells = "  ".join(f"{name} {m * 1e3:8.3f} ms" for name, m in medians.items())
            print(f"  {label:<16} (median of {rounds}): {cells}  ratio x{guarded / direct:.2f}")
        cells = []
        for _ in range(5):
            start = time.perf_counter()
            kc.execute_interactive("1 + 1", timeout=600, output_hook=lambda _m: None)
            cells.append(time.perf_counter() - start)
        print(f"  for scale, a trivial cell `1 + 1` (median of 5): "
              f"{statistics.median(cells) * 1e3:.1f} ms")
    finally:
        for sock in socks.values():
            sock.close()
        context.term()
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
