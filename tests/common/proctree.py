"""The kernel's process tree, read from /proc: shared by the hostile, fault and soak suites.

Import it after putting this directory on sys.path (each suite's harness does).
"""
import os


def children(pid):
    """Direct children of a process, from /proc/<pid>/task/*/children."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return found


def descendants(pid):
    """Every process below `pid`, children first."""
    found, todo = [], [pid]
    while todo:
        for child in children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def user_code_child(pid):
    """The evcxr user-code process: a direct child running the kernel's own executable."""
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None
    for child in children(pid):
        try:
            if os.readlink(f"/proc/{child}/exe") == exe:
                return child
        except OSError:
            pass
    return None


def gone(pid):
    """The process no longer exists (or is a zombie waiting to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True
