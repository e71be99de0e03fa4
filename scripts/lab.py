"""Helper of scripts/lab, run with the project venv's Python.

  lab.py mnist                       find MNIST, or fetch it through the kernel's own loader
  lab.py run NOTEBOOK... [--html-dir DIR] [--out-dir DIR]
                                     execute notebooks with nbclient and the neurust kernel,
                                     write them back (or into --out-dir) plus an HTML copy,
                                     print how long each took
"""
import argparse
import os
import pathlib
import sys
import time

MNIST_FILES = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]
HOW_TO_PROVIDE = """\
To use MNIST offline, put the four files
    train-images-idx3-ubyte.gz  train-labels-idx1-ubyte.gz
    t10k-images-idx3-ubyte.gz   t10k-labels-idx1-ubyte.gz
(or Keras's single mnist.npz) in a directory and run again with
    NEURUST_DATA_DIR=/that/directory scripts/lab
or copy them into {cache}."""


def holds_mnist(path: pathlib.Path) -> bool:
    if path.is_file():
        return path.suffix == ".npz"
    if not path.is_dir():
        return False
    if (path / "mnist.npz").is_file():
        return True
    return all((path / f).is_file() or (path / (f + ".gz")).is_file() for f in MNIST_FILES)


def user_cache() -> pathlib.Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = pathlib.Path(xdg) if xdg and os.path.isabs(xdg) else pathlib.Path.home() / ".cache"
    return base / "neurust" / "datasets" / "mnist"


def keras_cache() -> pathlib.Path:
    base = os.environ.get("KERAS_HOME") or str(pathlib.Path.home() / ".keras")
    return pathlib.Path(base) / "datasets" / "mnist.npz"


def mnist(_args) -> int:
    """Same look-up order as neurust's loader; a download goes through the loader itself."""
    data_dir = os.environ.get("NEURUST_DATA_DIR")
    if data_dir:
        if holds_mnist(pathlib.Path(data_dir)):
            print(f"MNIST: {data_dir} (NEURUST_DATA_DIR)")
            return 0
        print(f"MNIST: NEURUST_DATA_DIR={data_dir} does not hold the MNIST files.", file=sys.stderr)
        print(HOW_TO_PROVIDE.format(cache=user_cache()), file=sys.stderr)
        return 1
    for place in (user_cache(), keras_cache()):
        if holds_mnist(place):
            print(f"MNIST: {place} (cache)")
            return 0
    print("MNIST: not found locally; downloading it into the cache through the neurust kernel...")
    error = fetch_through_kernel()
    if error is None and holds_mnist(user_cache()):
        print(f"MNIST: downloaded to {user_cache()}")
        return 0
    print("MNIST could not be loaded or downloaded (offline?):\n", file=sys.stderr)
    print(error, file=sys.stderr)
    print("\n" + HOW_TO_PROVIDE.format(cache=user_cache()), file=sys.stderr)
    return 1


def fetch_through_kernel():
    """Runs `mnist::load_data()` in a neurust kernel; returns None or the error text."""
    from jupyter_client.manager import start_new_kernel

    code = ('match mnist::load_data() { Ok(_) => println!("NEURUST-MNIST-OK"), '
            'Err(e) => println!("NEURUST-MNIST-ERROR {e}") }')
    km, kc = start_new_kernel(kernel_name="neurust", startup_timeout=900)
    output = []

    def hook(msg):
        content = msg["content"]
        if msg["msg_type"] == "stream":
            output.append(content["text"])
        elif msg["msg_type"] == "error":
            output.append("\n".join(content.get("traceback") or [content.get("evalue", "")]))

    try:
        kc.execute_interactive(code, timeout=900, output_hook=hook)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    text = "".join(output)
    if "NEURUST-MNIST-OK" in text:
        return None
    return text.replace("NEURUST-MNIST-ERROR ", "").strip() or "the kernel gave no answer"


def run(args) -> int:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    failures = 0
    summary = []
    for name in args.notebooks:
        path = pathlib.Path(name).resolve()
        nb = nbformat.read(path, as_version=4)
        out_path = pathlib.Path(args.out_dir).resolve() / path.name if args.out_dir else path
        times = {}

        def started(cell, cell_index, **_):
            times[cell_index] = [time.perf_counter(), None]

        def finished(cell, cell_index, **_):
            times[cell_index][1] = time.perf_counter()

        client = NotebookClient(
            nb,
            kernel_name="neurust",
            timeout=args.timeout,
            startup_timeout=900,
            record_timing=False,
            resources={"metadata": {"path": str(out_path.parent)}},
            on_cell_start=started,
            on_cell_executed=finished,
        )
        print(f"executing {path.name} ...", flush=True)
        t0 = time.perf_counter()
        error = None
        try:
            client.execute()
        except CellExecutionError as e:
            error = e
        total = time.perf_counter() - t0

        out_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_path)
        html_dir = pathlib.Path(args.html_dir).resolve()
        html_dir.mkdir(parents=True, exist_ok=True)
        body, _ = HTMLExporter().from_notebook_node(nb)
        html_path = html_dir / (path.stem + ".html")
        html_path.write_text(body, encoding="utf-8")

        cells = nb.cells
        first = min(times) if times else None
        kernel_start = (times[first][0] - t0) if first is not None else total
        done = {i: t[1] - t[0] for i, t in times.items() if t[1] is not None}
        keras_part = sum(s for i, s in done.items()
                         if "beyond-keras" not in cells[i].metadata.get("tags", []))
        beyond = sum(done.values()) - keras_part
        if args.verbose:
            for i in sorted(done):
                first_line = cells[i].source.splitlines()
                label = next((l for l in first_line if not l.startswith("//")), "")[:60]
                print(f"    {done[i]:6.2f} s  {label}")
        print(f"  wrote {out_path}")
        print(f"  wrote {html_path}")
        if error is not None:
            failures += 1
            print(f"  FAILED: {str(error).strip().splitlines()[-1] if str(error).strip() else error}",
                  file=sys.stderr)
            print(str(error), file=sys.stderr)
        summary.append((path.name, total, kernel_start, keras_part, beyond, error is None))

    print()
    print("tutorial timings (nbclient, kernel start included):")
    for name, total, start, keras_part, beyond, ok in summary:
        status = "" if ok else "  (FAILED)"
        print(f"  {name:<28} {total:6.1f} s in all: kernel start {start:.1f} s, "
              f"the Keras tutorial's cells {keras_part:.1f} s, the extra steps {beyond:.1f} s"
              f"{status}")
    print("  (beside Keras: tests/kernel/bench --notebook ... --keras-python ... runs both in one go)")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/lab.py")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("mnist").set_defaults(func=mnist)
    r = sub.add_parser("run")
    r.add_argument("notebooks", nargs="+")
    r.add_argument("--html-dir", required=True)
    r.add_argument("--out-dir")
    r.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    r.add_argument("--verbose", action="store_true", help="print each cell's time")
    r.set_defaults(func=run)
    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
