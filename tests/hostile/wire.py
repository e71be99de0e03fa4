"""Raw Jupyter wire traffic for the hostile-input suite: frames built and signed by hand, sent
on fresh pyzmq sockets, and whatever comes back collected for a while.
"""
import hashlib
import hmac
import json
import socket
import time
import uuid

import zmq

DELIM = b"<IDS|MSG>"
SESSION = uuid.uuid4().hex


def header(msg_type, msg_id=None):
    return {
        "msg_id": msg_id or uuid.uuid4().hex, "session": SESSION, "username": "hostile",
        "date": "2026-01-01T00:00:00.000000Z", "msg_type": msg_type, "version": "5.3",
    }


def pack(value):
    return value if isinstance(value, bytes) else json.dumps(value).encode()


class Wire:
    """Builds frames for one kernel (its connection key) and exchanges them on raw sockets."""

    def __init__(self, km):
        self.km = km
        self.key = km.session.key

    def parts(self, msg_type, content=None, head=None, parent=b"{}", metadata=b"{}"):
        """The four JSON frames (bytes); any of them may be given as raw bytes."""
        head = header(msg_type) if head is None else head
        content = {} if content is None else content
        return [pack(head), pack(parent), pack(metadata), pack(content)]

    def sign(self, parts, key=None):
        mac = hmac.new(self.key if key is None else key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode()

    def frames(self, msg_type, content=None, signature=None, buffers=(), **kw):
        """[DELIM, signature, header, parent, metadata, content, *buffers]; signed unless a
        signature is given."""
        parts = self.parts(msg_type, content, **kw)
        sig = self.sign(parts) if signature is None else signature
        return [DELIM, sig, *parts, *buffers]

    def socket(self, channel, identity=None):
        sock = getattr(self.km, f"connect_{channel}")(identity=identity)
        sock.linger = 0
        return sock

    def exchange(self, channel, *messages, identity=None, sentinel=True, expect=None, done=None,
                 wait=10.0, grace=0.3):
        """Sends each multipart message on one fresh socket and returns the decoded replies.

        With `sentinel`, a signed kernel_info_request follows them on the same socket; the
        kernel reads a socket in order, so once the sentinel is answered every earlier message
        has been dealt with (its reply, if any, already sent unless it went to the engine).
        Collects until `done(replies)` (default: the sentinel answered, and an `expect` reply
        if given: the engine answers after the sentinel) or `wait` seconds, then
        for `grace` seconds more. Returns (replies to the messages, whether the sentinel was
        answered)."""
        sock = self.socket(channel, identity)
        probe = header("kernel_info_request")
        try:
            for frames in messages:
                sock.send_multipart(frames, copy=False)
            if sentinel:
                sock.send_multipart(self.frames("kernel_info_request", head=probe))
            if done is None:
                done = lambda rs: (any(r.get("parent") == probe["msg_id"] for r in rs)
                                   and (expect is None or any(r["msg_type"] == expect for r in rs)))
            replies = collect(sock, done, wait, grace)
        finally:
            sock.close(linger=0)
        answered = any(r.get("parent") == probe["msg_id"] for r in replies)
        return [r for r in replies if r.get("parent") != probe["msg_id"]], answered


    def execute(self, sock, code, timeout=120):
        """Sends an execute_request (stop_on_error) on `sock`; returns its reply's status."""
        return self.status_of(sock, self.send_execute(sock, code), timeout)

    def send_execute(self, sock, code):
        """Sends an execute_request (stop_on_error) on `sock` without waiting; returns its id."""
        head = header("execute_request")
        content = {"code": code, "silent": False, "store_history": True,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        sock.send_multipart(self.frames("execute_request", content, head=head))
        return head["msg_id"]

    def status_of(self, sock, msg_id, timeout=120):
        """Waits on `sock` for the execute_reply to `msg_id`; returns its status. Replies to
        other requests that arrive first are passed over."""
        deadline = time.monotonic() + timeout
        while sock.poll(max(0, int((deadline - time.monotonic()) * 1000))):
            reply = decode(sock.recv_multipart())
            if reply["msg_type"] == "execute_reply" and reply["parent"] == msg_id:
                return reply["content"].get("status")
        raise TimeoutError(f"no execute_reply to {msg_id} within {timeout} s")


def collect(sock, done, wait, grace):
    replies = []
    deadline = time.monotonic() + wait
    finished = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not sock.poll(int(left * 1000)):
            return replies
        replies.append(decode(sock.recv_multipart()))
        if not finished and done(replies):
            finished = True
            deadline = time.monotonic() + grace


def decode(frames):
    """A received message as a dict (msg_type, parent msg_id, content), or the raw frames."""
    try:
        i = frames.index(DELIM)
        head, parent, _meta, content = (json.loads(f) for f in frames[i + 2:i + 6])
        return {"msg_type": head["msg_type"], "parent": parent.get("msg_id"),
                "content": content, "identities": frames[:i]}
    except (ValueError, KeyError, IndexError) as error:
        return {"msg_type": None, "error": repr(error), "frames": frames}


def tcp_garbage(port, payload, host="127.0.0.1"):
    """Opens a plain TCP connection, writes bytes that are not ZMTP, and hangs up."""
    with socket.create_connection((host, port), timeout=5) as conn:
        try:
            conn.sendall(payload)
            conn.settimeout(0.5)
            conn.recv(1024)
        except OSError:
            pass


def wrong_socket_type(km, channel, kind=zmq.PUB):
    """Connects a ZeroMQ socket of a type the channel does not pair with and sends on it."""
    sock = km.context.socket(kind)
    sock.linger = 0
    try:
        sock.connect(km._make_url(channel))
        time.sleep(0.3)
        if kind in (zmq.PUB, zmq.PUSH, zmq.DEALER):
            sock.send_multipart([b"x", DELIM, b"nonsense"], flags=zmq.NOBLOCK)
        time.sleep(0.3)
    except zmq.ZMQError:
        pass
    finally:
        sock.close(linger=0)


def heartbeat_ok(km, timeout=5.0):
    sock = km.connect_hb()
    sock.linger = 0
    try:
        sock.send(b"ping")
        return bool(sock.poll(int(timeout * 1000))) and sock.recv() == b"ping"
    finally:
        sock.close(linger=0)
