"""Soak test: many cells against one kernel, watching memory and latency. Not part of
scripts/test; run it with `scripts/soak [cells]` (which builds and installs the kernel first).

After every cell it samples VmRSS (split into anonymous and file-backed pages) of the kernel and
of its user-code process, and reports peak and final memory, growth after warm-up, and the
latency of the first and last 100 cells.
"""
import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter

from jupyter_client.manager import start_new_kernel

import procmem
from cells import SETUP, schedule

GROWTH_TARGET = 10.0  # % RSS growth allowed after warm-up
FLAT_TARGET = 1.25  # last-100 median latency over first-100 median


def run(kc, code, timeout=300):
    start = time.perf_counter()
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda _m: None)
    return time.perf_counter() - start, reply["content"]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def sample(i, kind, seconds, pid, child):
    s = {"cell": i, "kind": kind, "seconds": round(seconds, 4),
         "load1": round(os.getloadavg()[0], 2)}
    for who, p in (("kernel", pid), ("child", child)):
        for field, kb in procmem.status(p).items():
            s[f"{who}_{field}"] = kb
    s["cell_libraries"], s["cell_library_bytes"] = procmem.cell_libraries(child)
    return s


def per_library(at_warm, at_end):
    """Where the user-code process's growth went, per cell library loaded after warm-up (KiB):
    the libraries' relocated pages and file pages (smaps), and the rest of its RSS (the
    loader's records, the heap)."""
    libs = at_end["libraries"] - at_warm["libraries"] if at_warm else 0
    if libs <= 0:
        return None
    grown = {k: at_end[k] - at_warm[k] for k in ("total", "rss", "dirty")}
    return {"libraries": libs,
            "relocated_kib": round(grown["dirty"] / libs, 1),
            "file_kib": round((grown["rss"] - grown["dirty"]) / libs, 1),
            "other_kib": round((grown["total"] - grown["rss"]) / libs, 1)}


def library_snapshot(child):
    return {"libraries": procmem.cell_libraries(child)[0],
            "total": procmem.status(child).get("VmRSS", 0), **procmem.cell_library_pages(child)}


def soak(cells, warm):
    plan = schedule(cells)
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    pid = km.provisioner.process.pid
    samples, unexpected, children = [], [], set()
    at_warm = None
    try:
        for code in SETUP:
            _, reply = run(kc, code)
            assert reply["status"] == "ok", f"set-up failed: {code!r}: {reply}"
        started = time.monotonic()
        for i, (kind, want, code) in enumerate(plan):
            seconds, reply = run(kc, code)
            if reply["status"] != want:
                unexpected.append({"cell": i, "kind": kind, "status": reply["status"],
                                   "error": f"{reply.get('ename')}: {reply.get('evalue')}"})
            child = procmem.user_code_child(pid)
            children.add(child)
            samples.append(sample(i, kind, seconds, pid, child))
            if i + 1 == warm:
                at_warm = library_snapshot(child)
            if (i + 1) % 100 == 0:
                s = samples[-1]
                print(f"  cell {i + 1:5}: kernel {s.get('kernel_VmRSS', 0) / 1024:7.1f} MiB, "
                      f"user code {s.get('child_VmRSS', 0) / 1024:7.1f} MiB "
                      f"({s['cell_libraries']} cell libraries), "
                      f"{time.monotonic() - started:5.0f} s", flush=True)
        at_end = library_snapshot(child)
        alive = km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    first = [s["seconds"] for s in samples[:100]]
    last = [s["seconds"] for s in samples[-100:]]
    return {
        "cells": len(samples), "warmup_cells": warm, "kinds": dict(Counter(k for k, _, _ in plan)),
        "unexpected": unexpected, "kernel_alive_at_end": alive,
        "user_code_processes_seen": len(children - {None}),
        "memory": {f"{who}_{field}": procmem.summary(samples, f"{who}_{field}", warm)
                   for who in ("kernel", "child") for field in ("VmRSS", "RssAnon", "RssFile")},
        "peak_kb": {"kernel_VmHWM": samples[-1].get("kernel_VmHWM"),
                    "child_VmHWM": samples[-1].get("child_VmHWM")},
        "cell_libraries": {"loaded": samples[-1]["cell_libraries"],
                           "bytes_on_disk": samples[-1]["cell_library_bytes"]},
        "user_code_growth_per_library": per_library(at_warm, at_end),
        "latency_s": {
            "first_100_median": statistics.median(first), "first_100_p95": pct(first, 0.95),
            "last_100_median": statistics.median(last), "last_100_p95": pct(last, 0.95),
        },
        # The machine's 1-minute load average meanwhile: latency on shared cores follows it.
        "load_average": {"first_100": statistics.mean(s["load1"] for s in samples[:100]),
                         "last_100": statistics.mean(s["load1"] for s in samples[-100:])},
        "samples": samples,
    }


def mib(kb):
    return f"{kb / 1024:.1f} MiB" if kb else "n/a"


def print_report(r, warm):
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(r["kinds"].items()))
    print(f"soak: {r['cells']} cells ({kinds})")
    for who, name in (("kernel", "kernel"), ("child", "user code")):
        m = r["memory"]
        rss, anon, file = (m[f"{who}_{f}"] for f in ("VmRSS", "RssAnon", "RssFile"))
        print(f"  {name:<9}: RSS after cell {warm} {mib(rss['after_warmup_kb'])}, final "
              f"{mib(rss['final_kb'])}, peak {mib(r['peak_kb'][f'{who}_VmHWM'])} (VmHWM); growth "
              f"{rss['growth_after_warmup_pct']}% (anonymous {mib(anon['after_warmup_kb'])} -> "
              f"{mib(anon['final_kb'])}, file-backed {mib(file['after_warmup_kb'])} -> "
              f"{mib(file['final_kb'])})")
    lib = r["cell_libraries"]
    print(f"  cell libraries loaded in the user-code process: {lib['loaded']} "
          f"({lib['bytes_on_disk'] / 2**20:.0f} MiB on disk)")
    per = r["user_code_growth_per_library"]
    if per:
        print(f"  user-code growth per library loaded after warm-up ({per['libraries']}): "
              f"{per['relocated_kib']} KiB relocated pages, {per['file_kib']} KiB file pages, "
              f"{per['other_kib']} KiB elsewhere (loader records, heap)")
    lat = r["latency_s"]
    print(f"  latency  : first 100 median {lat['first_100_median']:.3f} s, p95 "
          f"{lat['first_100_p95']:.3f} s; last 100 median {lat['last_100_median']:.3f} s, "
          f"p95 {lat['last_100_p95']:.3f} s (load average {r['load_average']['first_100']:.1f} "
          f"then {r['load_average']['last_100']:.1f} on {os.cpu_count()} cores)")
    print(f"  user-code processes seen: {r['user_code_processes_seen']}; "
          f"unexpected replies: {len(r['unexpected'])}")
    for u in r["unexpected"][:10]:
        print(f"    cell {u['cell']} ({u['kind']}): {u['status']} {u['error'][:120]}")
    for name, ok in r["checks"].items():
        print(f"  {'PASS' if ok else 'FAIL'}: {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cells", nargs="?", type=int, default=1000)
    parser.add_argument("--out", help="JSON report (default: $CARGO_TARGET_DIR or target/)")
    args = parser.parse_args()
    warm = min(100, args.cells // 5)
    report = soak(args.cells, warm)

    lat, m = report["latency_s"], report["memory"]
    growth = [m[f"{who}_VmRSS"]["growth_after_warmup_pct"] for who in ("kernel", "child")]
    report["checks"] = {
        f"memory growth after cell {warm} < {GROWTH_TARGET:g}% (kernel and user code)":
            all(g is not None and g < GROWTH_TARGET for g in growth),
        f"latency flat (last-100 median <= {FLAT_TARGET:g} x first-100 median)":
            lat["last_100_median"] <= FLAT_TARGET * lat["first_100_median"],
        "every cell answered as expected": not report["unexpected"],
        "kernel alive at the end": report["kernel_alive_at_end"],
    }
    print_report(report, warm)
    target = os.environ.get("CARGO_TARGET_DIR") or "target"
    out = args.out or os.path.join(target, "soak-report.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(report, f, indent=1)
    print(f"  report: {out}")
    return 0 if all(report["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
