"""Execute every notebook in notebooks/ with papermill into book/executed/.

The book renders these executed copies (jupyter-book's own execution is off), so what a
reader sees is exactly this run.  Notebooks 00–03 run first, in order (02 builds and caches
the panel); the rest run two at a time; 17_scorecard and 99_status run last because
they read the results files and the run times written by the others.

    python scripts/run_notebooks.py                 # all notebooks
    python scripts/run_notebooks.py 04 06           # only those whose names start so
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import papermill as pm

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "notebooks"
OUT = ROOT / "book" / "executed"
SERIAL = ("00_", "01_", "02_", "03_")
LAST = ("17_", "99_")  # the scorecard reads every results file; the status page reads timings


def run(nb: Path) -> tuple[str, float]:
    t0 = time.perf_counter()
    print(f"  running {nb.name} …", flush=True)
    pm.execute_notebook(str(nb), str(OUT / nb.name), cwd=str(SRC), kernel_name="python3",
                        progress_bar=False, request_save_on_cell_execute=False)
    elapsed = time.perf_counter() - t0
    print(f"  done    {nb.name} in {elapsed:.1f} s", flush=True)
    return nb.name, elapsed


def main(prefixes: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    notebooks = sorted(SRC.glob("[0-9][0-9]_*.ipynb"))
    if prefixes:
        notebooks = [nb for nb in notebooks if nb.name.startswith(tuple(prefixes))]
    serial = [nb for nb in notebooks if nb.name.startswith(SERIAL)]
    last = [nb for nb in notebooks if nb.name.startswith(LAST)]
    parallel = [nb for nb in notebooks if nb not in serial and nb not in last]
    timings_path = OUT / "timings.json"
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    t0 = time.perf_counter()
    for nb in serial:
        name, s = run(nb)
        timings[name] = round(s, 1)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for name, s in pool.map(run, parallel):
            timings[name] = round(s, 1)
    timings_path.write_text(json.dumps(timings, indent=1, sort_keys=True))
    for nb in last:
        name, s = run(nb)
        timings[name] = round(s, 1)
    timings_path.write_text(json.dumps(timings, indent=1, sort_keys=True))
    print(f"{len(notebooks)} notebooks executed in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
