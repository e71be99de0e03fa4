"""Kernel latency benchmark (not a test). Prints a readable table on stderr and one JSON line on
stdout with, from one run on one machine:

  * launch to the first neurust result: without a standby (the kernel loads in-process), and
    with a ready standby (median and max of --launches launches);
  * restart (Kernel > Restart) to the first result, with the successor ready;
  * trivial (`1 + 1`) and variable-defining cells: median and p95;
  * each cell of --cells FILE: wall time and overhead (wall time less evcxr's "Execution"
    phase, which is the cell's own work plus loading its library);
  * the tutorial notebook under nbclient, kernel start included (--notebook): its cells that
    mirror the Keras tutorial (those not tagged `beyond-keras`), and the same tutorial as a
    Keras notebook (--keras-python PATH: a venv set up as ../shared/anchors says).

Run through tests/kernel/bench, which builds the release kernel and installs its spec.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

NEURUST_CELL = "neurust::nn::num_threads()"


def say(*args):
    print(*args, file=sys.stderr, flush=True)


def environment(standby):
    env = dict(os.environ)
    env["NEURUST_STANDBY"] = "1" if standby else "0"
    env["NEURUST_BENCH_RUN"] = RUN  # this run's standbys serve only this run's kernels
    return env


RUN = uuid.uuid4().hex


def standby(command):
    binary = KernelSpecManager().get_kernel_spec("neurust").argv[0]
    out = subprocess.run([binary, "standby", command], env=environment(True),
                         capture_output=True, text=True, timeout=60)
    lines = out.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def wait_for_standby(timeout=900):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if standby("status").get("state") == "ready":
            return
        time.sleep(0.25)
    raise SystemExit("no standby became ready")


def run(kc, code, timeout=900):
    streams = []
    start = time.perf_counter()
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=streams.append)
    elapsed = time.perf_counter() - start
    if reply["content"]["status"] != "ok":
        say(f"  ! {code!r} -> {reply['content'].get('evalue', '')}")
    text = "".join(m["content"].get("text", "") for m in streams if m["msg_type"] == "stream")
    return elapsed, text


def launch(standby_on, cwd):
    """Seconds from launch to the first neurust result, and the running kernel."""
    start = time.perf_counter()
    km = KernelManager(kernel_name="neurust")
    km.start_kernel(env=environment(standby_on), cwd=cwd)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=900)
    run(kc, NEURUST_CELL)
    return time.perf_counter() - start, km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel()


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def overhead(kc, code):
    """(wall, overhead) of one cell, with evcxr's `:timing` on."""
    wall, text = run(kc, code)
    match = re.search(r"Execution: (\d+)ms", text)
    work = int(match.group(1)) / 1000 if match else 0.0
    return wall, wall - work


def keras_part(path):
    """A copy of notebook `path` holding only the cells that mirror the Keras tutorial."""
    with open(path) as f:
        nb = json.load(f)
    nb["cells"] = [c for c in nb["cells"]
                   if "beyond-keras" not in c.get("metadata", {}).get("tags", [])]
    out = tempfile.NamedTemporaryFile("w", suffix=".ipynb", delete=False)
    json.dump(nb, out)
    out.close()
    return out.name, sum(c["cell_type"] == "code" for c in nb["cells"])


def notebook_seconds(python, path, kernel, env=None):
    runner = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "anchors",
                          "run_notebook.py")
    out = subprocess.run([python, runner, path, kernel], capture_output=True, text=True,
                         env=env, timeout=1800)
    if out.returncode != 0:
        say(out.stderr[-2000:])
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])["total_s"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--cells", help="JSON file: a list of cell sources to time in order")
    parser.add_argument("--notebook", help="a neurust notebook to run under nbclient")
    parser.add_argument("--keras-python", help="python of a venv with keras, jax, nbclient")
    parser.add_argument("--keras-notebook", help="the tutorial as a Keras notebook")
    args = parser.parse_args()
    result = {"machine": os.uname().machine, "cores": os.cpu_count(),
              "date": time.strftime("%Y-%m-%d")}
    cwd = tempfile.mkdtemp(prefix="neurust-bench-")

    cold, km, kc = launch(False, cwd)
    stop(km, kc)
    result["launch_without_standby_s"] = round(cold, 3)
    say(f"launch to first result, no standby: {cold:.2f} s")

    standby("start")
    launches = []
    for _ in range(args.launches):
        wait_for_standby()
        seconds, km, kc = launch(True, cwd)
        launches.append(seconds)
        say(f"launch to first result, standby ready: {seconds:.2f} s")
        stop(km, kc)
    result["launch_s"] = {"median": round(statistics.median(launches), 3),
                          "max": round(max(launches), 3)}

    wait_for_standby()
    _, km, kc = launch(True, cwd)
    run(kc, "let before_restart = 1;")
    wait_for_standby()
    start = time.perf_counter()
    km.restart_kernel()
    kc.wait_for_ready(timeout=900)
    run(kc, NEURUST_CELL)
    restart = time.perf_counter() - start
    result["restart_s"] = round(restart, 3)
    say(f"restart to first result, successor ready: {restart:.2f} s")

    trivial = [run(kc, "1 + 1")[0] for _ in range(args.repeat)]
    variables = [run(kc, f"let bench_v{i} = {i} * 2;")[0] for i in range(args.repeat)]
    result["trivial_cell_s"] = {"median": round(statistics.median(trivial), 3),
                                "p95": round(p95(trivial), 3)}
    result["variable_cell_s"] = {"median": round(statistics.median(variables), 3),
                                 "p95": round(p95(variables), 3)}
    say(f"trivial cell: median {statistics.median(trivial):.3f} s, p95 {p95(trivial):.3f} s")
    say(f"variable cell: median {statistics.median(variables):.3f} s, "
        f"p95 {p95(variables):.3f} s")
    if args.cells:
        run(kc, ":timing")
        cells = []
        with open(args.cells) as f:
            for code in json.load(f):
                wall, extra = overhead(kc, code)
                cells.append({"cell": code.strip().splitlines()[0][:60], "wall_s": round(wall, 3),
                              "overhead_s": round(extra, 3)})
                say(f"  {wall:6.3f} s (overhead {extra:.3f} s)  {cells[-1]['cell']}")
        overheads = [c["overhead_s"] for c in cells]
        result["cells"] = cells
        result["cell_overhead_s"] = {"median": round(statistics.median(overheads), 3),
                                     "p95": round(p95(overheads), 3), "max": max(overheads)}
    stop(km, kc)

    if args.notebook:
        wait_for_standby()
        path, cells = keras_part(args.notebook)
        seconds = notebook_seconds(sys.executable, path, "neurust", environment(True))
        os.unlink(path)
        result["notebook_s"] = seconds
        result["notebook_cells"] = cells
        say(f"notebook {args.notebook}, its {cells} Keras-tutorial cells under nbclient, "
            f"kernel start included: {seconds} s")
    if args.keras_python and args.keras_notebook:
        env = dict(os.environ, KERAS_BACKEND="jax",
                   JUPYTER_PATH=os.path.join(os.path.dirname(os.path.dirname(args.keras_python)),
                                             "share", "jupyter"))
        seconds = notebook_seconds(args.keras_python, args.keras_notebook, "keras", env)
        result["keras_jax_notebook_s"] = seconds
        say(f"Keras notebook on JAX under nbclient: {seconds} s")
        if seconds and result.get("notebook_s"):
            result["notebook_ratio_to_keras_jax"] = round(result["notebook_s"] / seconds, 3)
    standby("stop")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
