"""What a process exposes, read from /proc: its listening TCP sockets and its socket directory."""
import glob
import ipaddress
import os
import tempfile

LISTEN = "0A"  # the TCP state in /proc/net/tcp


def socket_inodes(pid):
    """Inode numbers of the sockets a process has open."""
    found = set()
    for fd in glob.glob(f"/proc/{pid}/fd/*"):
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(int(target[len("socket:["):-1]))
    return found


def decode(hex_addr):
    """'0100007F:1F90' -> ('127.0.0.1', 8080); IPv6 addresses are four little-endian words."""
    addr, port = hex_addr.split(":")
    raw = bytes.fromhex(addr)
    raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(raw)), int(port, 16)


def listening_tcp(pid):
    """{(address, port)} of the TCP sockets in LISTEN state that the process holds."""
    mine, found = socket_inodes(pid), set()
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] == LISTEN and int(cols[9]) in mine:
                found.add(decode(cols[1]))
    return found


def socket_dirs(pid):
    """The kernel's private socket directories (`neurust-kernel-<uid>-<pid>-<random>`)."""
    pattern = os.path.join(tempfile.gettempdir(), f"neurust-kernel-{os.getuid()}-{pid}-*")
    return glob.glob(pattern)
