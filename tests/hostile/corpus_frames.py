"""Hostile inputs at the frame level: signatures, replays, truncation, size, bad UTF-8.

Each input takes the Kernel and returns a list of problems (an empty list: it behaved).
Code that must never run increments `breached`, which the check after every input reads.
"""
from harness import run
from wire import DELIM, header

POISON = {"code": "breached += 1;", "silent": False, "store_history": True,
          "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
MB50 = 50 * 1024 * 1024


def ignored(channel, make, **kw):
    """An input that must be dropped without an answer (and the socket must stay usable)."""
    def attack(k):
        replies, answered = k.wire.exchange(channel, *make(k.wire), **kw)
        problems = [f"unexpected reply {r.get('msg_type')}" for r in replies]
        if kw.get("sentinel", True) and not answered:
            problems.append("the kernel_info sent after it on the same socket was not answered")
        return problems
    return attack


def answered(channel, make, msg_type, **kw):
    """A valid (if odd) input that must get exactly one `msg_type` reply."""
    def attack(k):
        replies, ok = k.wire.exchange(channel, *make(k.wire), expect=msg_type, **kw)
        kinds = [r.get("msg_type") for r in replies]
        problems = [] if kinds == [msg_type] else [f"expected one {msg_type}, got {kinds}"]
        return problems if ok else problems + ["the sentinel kernel_info was not answered"]
    return attack


def signed_parts(w, head, parent, meta, content):
    parts = [head, parent, meta, content]
    return [[DELIM, w.sign(parts), *parts]]


def one(frames_of):
    return lambda w: [frames_of(w)]


def replayed(first, second, alter=lambda frames: frames):
    """The same signed execute_request sent twice (on two connections, the copy perhaps
    altered without re-signing): it must run once."""
    def attack(k):
        frames = k.wire.frames("execute_request", POISON)
        replied = lambda rs: any(r["msg_type"] == "execute_reply" for r in rs)
        got, _ = k.wire.exchange(first, frames, sentinel=False, wait=60, done=replied, grace=0)
        again, _ = k.wire.exchange(second, alter(frames))
        kinds = [r["msg_type"] for r in got + again]
        _, ran = run(k.kc, "std::mem::take(&mut breached)")
        problems = [] if kinds == ["execute_reply"] else [f"replies to the copies: {kinds}"]
        return problems + ([] if ran == "1" else [f"the message ran {ran} times, not once"])
    return attack


def replayed_info(k):
    frames = k.wire.frames("kernel_info_request")
    got, _ = k.wire.exchange("shell", frames, frames, frames)
    kinds = [r["msg_type"] for r in got]
    return [] if kinds == ["kernel_info_reply"] else [f"replies to 3 copies: {kinds}"]


def big_code(k):
    code = "// " + "a" * MB50 + "\n1 + 1"
    frames = k.wire.frames("execute_request", dict(POISON, code=code))
    got, _ = k.wire.exchange("shell", frames, sentinel=False, wait=600, grace=0.5,
                             done=lambda rs: any(r["msg_type"] == "execute_reply" for r in rs))
    status = [r["content"].get("status") for r in got if r["msg_type"] == "execute_reply"]
    return [] if status == ["ok"] else [f"50 MB cell: execute_reply statuses {status}"]


def nested(depth, key=b"code", opener=b"[", inner=b"", closer=b"]", rest=b""):
    return b'{"' + key + b'": ' + opener * depth + inner + closer * depth + rest + b"}"


BAD = b"\xff\xfe\xc3\x28 \xed\xa0\x80"  # invalid UTF-8, including an encoded surrogate

INPUTS = [
    ("unsigned kernel_info_request (empty signature)",
     ignored("shell", one(lambda w: w.frames("kernel_info_request", signature=b"")))),
    ("unsigned execute_request",
     ignored("shell", one(lambda w: w.frames("execute_request", POISON, signature=b"")))),
    ("unsigned shutdown_request on control",
     ignored("control", one(lambda w: w.frames("shutdown_request", {"restart": False},
                                               signature=b"")))),
    ("execute_request signed with another key",
     ignored("shell", one(lambda w: w.frames(
         "execute_request", POISON, signature=w.sign(w.parts("execute_request", POISON),
                                                     key=b"not-the-key"))))),
    ("execute_request with one signature digit changed",
     ignored("shell", lambda w: [_flip(w.frames("execute_request", POISON))])),
    ("execute_request with a non-hex signature",
     ignored("shell", one(lambda w: w.frames("execute_request", POISON, signature=b"z" * 64)))),
    ("execute_request with a truncated signature",
     ignored("shell", lambda w: [_truncate_sig(w.frames("execute_request", POISON))])),
    ("signature of a kernel_info_request on an execute_request",
     ignored("shell", one(lambda w: w.frames(
         "execute_request", POISON, signature=w.sign(w.parts("kernel_info_request")))))),
    ("replayed execute_request on shell (same frames twice)", replayed("shell", "shell")),
    ("execute_request replayed on control", replayed("shell", "control")),
    ("replay with the signature in upper case", replayed(
        "shell", "shell", lambda f: [f[0], f[1].upper(), *f[2:]])),
    ("replay with an unsigned buffer frame added", replayed(
        "shell", "shell", lambda f: [*f, b"extra buffer"])),
    ("kernel_info_request sent three times", replayed_info),
    ("only the delimiter", ignored("shell", lambda w: [[DELIM]])),
    ("delimiter, signature and header only",
     ignored("shell", lambda w: [w.frames("kernel_info_request")[:3]])),
    ("content frame missing", ignored("shell", lambda w: [w.frames("kernel_info_request")[:5]])),
    ("five frames, no delimiter",
     ignored("shell", lambda w: [w.frames("kernel_info_request")[1:]])),
    ("one empty frame", ignored("shell", lambda w: [[b""]])),
    ("200 frames of noise, no delimiter", ignored("shell", lambda w: [[b"noise"] * 200])),
    ("delimiters only", ignored("shell", lambda w: [[DELIM] * 6])),
    ("50 MB unsigned frame",
     ignored("shell", lambda w: [[DELIM, b"", b"{" + b" " * MB50, b"{}", b"{}", b"{}"]],
             wait=120)),
    ("50 MB code string (signed, a comment: runs)", big_code),
    ("content nested 100k deep", ignored("shell", lambda w: signed_parts(
        w, w.parts("execute_request")[0], b"{}", b"{}", nested(100_000)))),
    ("header nested 100k deep", ignored("shell", lambda w: signed_parts(
        w, nested(100_000, b"msg_id", rest=b', "msg_type": "kernel_info_request"'), b"{}", b"{}",
        b"{}"))),
    ("metadata of 100k nested objects", ignored("shell", lambda w: signed_parts(
        w, w.parts("kernel_info_request")[0], b"{}", nested(100_000, b"a", b'{"a":', b"1", b"}"),
        b"{}"))),
    ("invalid UTF-8 routing identity",
     answered("shell", one(lambda w: w.frames("kernel_info_request")), "kernel_info_reply",
              identity=BAD)),
    ("invalid UTF-8 extra identity frame",
     answered("shell", one(lambda w: [BAD] + w.frames("kernel_info_request")),
              "kernel_info_reply")),
    ("invalid UTF-8 delimiter", ignored("shell", lambda w: [[BAD] + w.frames(
        "execute_request", POISON)[1:]])),
    ("invalid UTF-8 signature",
     ignored("shell", one(lambda w: w.frames("execute_request", POISON, signature=BAD)))),
    ("invalid UTF-8 header (signed)", ignored("shell", lambda w: signed_parts(
        w, b'{"msg_id": "' + BAD + b'", "msg_type": "execute_request"}', b"{}", b"{}",
        w.parts("execute_request", POISON)[3]))),
    ("invalid UTF-8 parent header (signed)", ignored("shell", lambda w: signed_parts(
        w, *w.parts("execute_request", POISON)[:1], BAD, b"{}",
        w.parts("execute_request", POISON)[3]))),
    ("invalid UTF-8 metadata (signed)", ignored("shell", lambda w: signed_parts(
        w, *w.parts("execute_request", POISON)[:1], b"{}", BAD,
        w.parts("execute_request", POISON)[3]))),
    ("invalid UTF-8 inside the code string (signed)", ignored("shell", lambda w: signed_parts(
        w, *w.parts("execute_request")[:3], b'{"code": "breached += 1; // ' + BAD + b'"}'))),
    ("lone surrogate escape in the code (signed)", ignored("shell", lambda w: signed_parts(
        w, *w.parts("execute_request")[:3], b'{"code": "breached += 1; // \\ud800"}'))),
    ("invalid UTF-8 buffer frames on kernel_info_request",
     answered("shell", one(lambda w: w.frames("kernel_info_request", buffers=[BAD] * 3)),
              "kernel_info_reply")),
]


def _flip(frames):
    sig = bytearray(frames[1])
    sig[10] = ord("0") if sig[10] != ord("0") else ord("1")
    return [frames[0], bytes(sig), *frames[2:]]


def _truncate_sig(frames):
    return [frames[0], frames[1][:32], *frames[2:]]


assert len({name for name, _ in INPUTS}) == len(INPUTS)
assert header("x")["msg_type"] == "x"
