"""Memory of the kernel and of its user-code process, read from /proc."""
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from proctree import user_code_child  # noqa: E402,F401

FIELDS = ("VmRSS", "VmHWM", "RssAnon", "RssFile")


def status(pid):
    """{field: kB} for FIELDS, or {} when the process is gone."""
    found = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in FIELDS:
                    found[name] = int(rest.split()[0])
    except (OSError, TypeError):
        pass
    return found


def cell_libraries(pid):
    """(count, total bytes on disk) of the cell libraries (evcxr's libcode_N.so) mapped into a
    process: evcxr loads every compiled cell as a shared library and never unloads it."""
    paths = set()
    try:
        with open(f"/proc/{pid}/maps") as f:
            for line in f:
                path = line.split(maxsplit=5)[-1].strip()
                if "/libcode_" in path and path.endswith(".so"):
                    paths.add(path)
    except OSError:
        return 0, 0
    return len(paths), sum(os.path.getsize(p) for p in paths if os.path.exists(p))


def cell_library_pages(pid):
    """{kB of the cell libraries' mappings}: "rss" (resident), of which "dirty" (pages the
    dynamic loader relocated, kept for good); the rest are pages of the files. Summed from
    /proc/<pid>/smaps."""
    found = {"rss": 0, "dirty": 0}
    inside = False
    try:
        with open(f"/proc/{pid}/smaps") as f:
            for line in f:
                first = line.split(maxsplit=1)[0]
                if "-" in first and not first.endswith(":"):
                    path = line.split(maxsplit=5)[-1].strip()
                    inside = "/libcode_" in path and path.endswith(".so")
                elif inside and first == "Rss:":
                    found["rss"] += int(line.split()[1])
                elif inside and first in ("Private_Dirty:", "Shared_Dirty:"):
                    found["dirty"] += int(line.split()[1])
    except OSError:
        pass
    return found


def summary(samples, key, warm):
    """Peak and final of one sampled series, and its growth from just after warm-up to the end
    (medians of ten samples at each end, so one noisy sample does not decide)."""
    values = [s.get(key) for s in samples]
    base = [v for v in values[warm:warm + 10] if v]
    end = [v for v in values[-10:] if v]
    growth = None
    if base and end:
        b, e = statistics.median(base), statistics.median(end)
        growth = round(100.0 * (e - b) / b, 2)
    return {"after_warmup_kb": statistics.median(base) if base else None,
            "final_kb": values[-1], "peak_kb": max((v for v in values if v), default=None),
            "growth_after_warmup_pct": growth}
