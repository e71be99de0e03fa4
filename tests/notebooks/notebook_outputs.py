"""Running a committed notebook on a fresh copy, and reading its outputs: the code cell of a step,
its text and its images."""
import base64
import os
import pathlib
import re
import shutil
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The notebooks to run: the committed ones, or copies elsewhere (for trying out edits).
SOURCE = pathlib.Path(os.environ.get("NEURUST_NOTEBOOKS_DIR", ROOT / "notebooks"))


def execute(name, work, timeout):
    """Runs a copy of notebook `name` in directory `work` with the neurust kernel (each cell
    within `timeout` seconds; errors recorded as outputs, never raised); returns it."""
    path = work / name
    shutil.copy(SOURCE / name, path)
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    client = NotebookClient(nb, kernel_name="neurust", timeout=timeout, startup_timeout=900,
                            allow_errors=True, resources={"metadata": {"path": str(work)}})
    start = time.perf_counter()
    client.execute()
    print(f"\n{name}: executed in {time.perf_counter() - start:.1f} s (kernel start included)")
    nbformat.write(nb, path)
    return nb


def cell(nb, step):
    """The code cell of a step (ids are written by notebooks/make_notebooks.py)."""
    matches = [c for c in nb.cells if c.get("id") == f"step-{step:02d}-code"]
    assert len(matches) == 1, f"no code cell step-{step:02d}-code"
    return matches[0]


def step_of(nb, needle):
    """The step number of the code cell whose source contains `needle`."""
    for c in nb.cells:
        if c.cell_type == "code" and needle in c.source:
            return int(c.id.split("-")[1])
    raise AssertionError(f"no code cell contains {needle!r}")


def stream_text(c):
    return "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")


def data_outputs(c):
    return [o for o in c.outputs if o.output_type in ("display_data", "execute_result")]


def all_text(c):
    parts = [stream_text(c)]
    for o in data_outputs(c):
        for mime in ("text/plain", "text/html"):
            value = o.get("data", {}).get(mime)
            if value:
                parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def images(c):
    """(mime, payload) of every image output of a cell."""
    found = []
    for o in data_outputs(c):
        for mime, value in o.get("data", {}).items():
            if mime.startswith("image/"):
                found.append((mime, value if isinstance(value, str) else "".join(value)))
    return found


def embedded_pngs(svg):
    """The PNG images embedded in an SVG figure (one per imshow)."""
    pngs = re.findall(r'data:image/png;base64,([A-Za-z0-9+/=]+)', svg)
    return [base64.b64decode(p) for p in pngs]
