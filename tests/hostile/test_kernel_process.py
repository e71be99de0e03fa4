"""The kernel process's own defences, as SECURITY.md states them: it listens only on the address
and ports of its connection file, behind a private socket directory that goes when it exits; it
never writes the key to its log; an empty key is accepted only with a loud warning; it makes no
network request that a cell did not ask for.

The kernel with Jupyter's "every interface" address and an empty key comes first and stops at
once, so that the logged kernel after it finds the warm build-cache slot free.
"""
import json
import os
import socket
import stat
import subprocess
import threading

import pytest
from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from harness import STARTUP_TIMEOUT  # (also puts tests/common on sys.path)
from wire import Wire
from listening import listening_tcp, socket_dirs

PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def test_every_interface_and_an_empty_key(tmp_path):
    """ip "*" binds the five ports on 0.0.0.0 (and nothing else); an empty key is served, as the
    protocol allows, with a warning in the log."""
    spec = KernelSpecManager().get_kernel_spec("neurust")
    info = dict(zip(PORTS, free_ports(5)), ip="*", key="", transport="tcp",
                signature_scheme="hmac-sha256")
    conn = tmp_path / "connection.json"
    conn.write_text(json.dumps(info))
    argv = [a.replace("{connection_file}", str(conn)) for a in spec.argv]
    log = tmp_path / "kernel.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                                env={**os.environ, **spec.env})
    kc = BlockingKernelClient()
    kc.load_connection_info({**info, "ip": "127.0.0.1", "key": b""})
    kc.start_channels()
    try:
        reply = kc.kernel_info(reply=True, timeout=STARTUP_TIMEOUT)
        assert reply["content"]["status"] == "ok"
        assert listening_tcp(proc.pid) == {("0.0.0.0", info[p]) for p in PORTS}
        kc.shutdown()
        proc.wait(timeout=60)
    finally:
        kc.stop_channels()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log.read_text(errors="replace")
    assert "WARNING: the connection file has an empty key, so messages are NOT signed" in text, text
    assert socket_dirs(proc.pid) == [], "the socket directory is removed at exit"


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """A kernel started by jupyter_client with its log (stdout and stderr) kept in a file."""
    log = tmp_path_factory.mktemp("kernel") / "kernel.log"
    km = KernelManager(kernel_name="neurust")
    with open(log, "wb") as out:
        km.start_kernel(stdout=out, stderr=out)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        yield km, kc, log
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)


def test_listens_only_on_the_connection_file_address(logged):
    km, _, _ = logged
    want = {(km.ip, getattr(km, p)) for p in PORTS}
    assert km.ip == "127.0.0.1"
    assert listening_tcp(km.provisioner.process.pid) == want


def test_zeromq_sockets_are_in_a_private_directory(logged):
    km, _, _ = logged
    dirs = socket_dirs(km.provisioner.process.pid)
    assert len(dirs) == 1, dirs
    st = os.stat(dirs[0])
    assert stat.S_IMODE(st.st_mode) == 0o700 and st.st_uid == os.getuid(), oct(st.st_mode)
    socks = sorted(os.listdir(dirs[0]))
    assert socks == sorted(f"{n}.sock" for n in ("control", "heartbeat", "iopub", "shell",
                                                 "stdin")), socks


def test_the_key_never_reaches_the_log(logged):
    """After a session with rejected messages and errors (which the kernel logs), shutdown
    removes the socket directory and the log does not hold the key."""
    km, kc, log = logged
    wire = Wire(km)
    bad = wire.frames("execute_request", {"code": "1"}, signature=b"0" * 64)
    wire.exchange("shell", bad)
    assert kc.execute_interactive("let x: u8 = 300;", timeout=300)["content"]["status"] == "error"
    pid = km.provisioner.process.pid
    km.shutdown_kernel(now=False)
    text = log.read_text(errors="replace")
    assert "dropped a message" in text, f"the rejected message was logged: {text[-2000:]}"
    key = km.session.key.decode()
    assert len(key) >= 16 and key not in text
    assert socket_dirs(pid) == [], "the socket directory is removed at exit"


class Canary:
    """An HTTP proxy that forwards nothing: it records each connection's first line (`CONNECT
    index.crates.io:443 ...`) and closes it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.seen = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    self.seen.append(conn.recv(200).split(b"\r\n")[0].decode(errors="replace"))
                except OSError:
                    self.seen.append("(nothing sent)")

    def env(self):
        names = ("CARGO_HTTP_PROXY", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
                 "ALL_PROXY", "all_proxy")
        return {**{n: self.url for n in names}, "NO_PROXY": "", "no_proxy": "",
                "CARGO_NET_RETRY": "0"}


def test_no_network_request_unless_a_cell_asks():
    """Start-up (the preload builds and loads neurust) and ordinary cells go nowhere on the
    network; a cell's own `:dep` on a crate not yet downloaded does (through the canary, which
    shows the canary sees cargo's requests), fails clearly, and leaves the session usable."""
    canary = Canary()
    km = KernelManager(kernel_name="neurust")
    km.start_kernel(env={**os.environ, **canary.env()})
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        for code in ("let kept = vec![1u8, 2, 3];",
                     'display(&Table::new(["a"]).row([1]));',
                     "let mut m = Sequential::with_seed(1);\n"
                     "m.add(Flatten::new().input_shape([2]));\n"
                     'm.add(Dense::new(2).activation("softmax"));\n'
                     'm.compile("adam", "sparse_categorical_crossentropy", &["accuracy"])?;\n'
                     "m.fit(&Array2::<f32>::zeros((4, 2)), &Array1::<u8>::zeros(4))"
                     ".epochs(1).verbose(0).run()?;"):
            reply = kc.execute_interactive(code, timeout=300, output_hook=lambda _m: None)
            assert reply["content"]["status"] == "ok", reply["content"]
        assert canary.seen == [], f"requests without a cell asking: {canary.seen}"
        reply = kc.execute_interactive(':dep neurust_canary_not_a_crate = "9.9"', timeout=300,
                                       output_hook=lambda _m: None)
        assert reply["content"]["status"] == "error", reply["content"]
        assert canary.seen, "the cell's :dep went through the canary"
        reply = kc.execute_interactive("kept.len()", timeout=300, output_hook=lambda _m: None)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        canary.server.close()
