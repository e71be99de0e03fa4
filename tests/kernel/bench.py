"""Kernel latency benchmark (not a test). Prints, in one run:

  * kernel start to its kernel_info reply, and the first cell (which waits for the preload),
  * a trivial cell and a variable-defining cell (medians),
  * a fresh kernel's first neurust result, measured from launch (warm cache),
  * optionally, each cell of a notebook-like JSON list given with --cells FILE.

Run through tests/kernel/bench, which builds the release kernel and installs its spec.
"""
import argparse
import json
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel


def run(kc, code, timeout=600):
    start = time.perf_counter()
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda _m: None)
    elapsed = time.perf_counter() - start
    status = reply["content"]["status"]
    if status != "ok":
        print(f"  ! {code!r} -> {status}: {reply['content'].get('evalue', '')}", file=sys.stderr)
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernel", default="neurust")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--neurust-cell", default="neurust::nn::num_threads()")
    parser.add_argument("--cells", help="JSON file: a list of cell sources to time in order")
    args = parser.parse_args()

    t = time.perf_counter()
    km, kc = start_new_kernel(kernel_name=args.kernel, startup_timeout=900)
    start_to_ready = time.perf_counter() - t
    # The kernel answers kernel_info at once and preloads neurust in the background; the
    # first cell waits for that.
    first_cell = run(kc, "1 + 1")
    trivial = [run(kc, "1 + 1") for _ in range(args.repeat)]
    variables = [run(kc, f"let bench_v{i} = {i} * 2;") for i in range(args.repeat)]
    cells = []
    if args.cells:
        with open(args.cells) as f:
            for code in json.load(f):
                cells.append((code, run(kc, code)))
    kc.stop_channels()
    km.shutdown_kernel(now=True)

    t = time.perf_counter()
    km, kc = start_new_kernel(kernel_name=args.kernel, startup_timeout=900)
    ready = time.perf_counter() - t
    first = run(kc, args.neurust_cell)
    fresh_total = time.perf_counter() - t
    kc.stop_channels()
    km.shutdown_kernel(now=True)

    def row(name, value, target=None):
        goal = f"(target <= {target} s)" if target else ""
        print(f"{name:<48} {value:7.3f} s  {goal}")

    print("neurust kernel benchmark")
    row("kernel start to kernel_info reply", start_to_ready)
    row("first cell `1 + 1` (waits for the preload)", first_cell)
    row(f"trivial cell `1 + 1` (median of {args.repeat})", statistics.median(trivial), 0.2)
    row(f"variable-defining cell (median of {args.repeat})", statistics.median(variables), 0.8)
    row("variable-defining cell (first)", variables[0])
    row("fresh kernel: launch to ready", ready)
    row(f"fresh kernel: first `{args.neurust_cell}`", first)
    row("fresh kernel: launch to first neurust result", fresh_total, 3)
    for code, seconds in cells:
        row("cell: " + code.strip().splitlines()[0][:40], seconds)


if __name__ == "__main__":
    main()
