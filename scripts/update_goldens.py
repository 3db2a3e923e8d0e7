"""Copy the outputs of golden cells (tag `nbval-check-output`) from the executed notebooks in
book/executed/ back into notebooks/, leaving every other cell stripped.

Run after `make notebooks` when a change to the data or models is intended; review the diff.

    python scripts/update_goldens.py            # every notebook
    python scripts/update_goldens.py 04 15      # only those whose names start so
"""

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TAG = "nbval-check-output"

prefixes = tuple(sys.argv[1:])
for src in sorted((ROOT / "notebooks").glob("*.ipynb")):
    if prefixes and not src.name.startswith(prefixes):
        continue
    executed = ROOT / "book" / "executed" / src.name
    if not executed.exists():
        continue
    nb, ex = nbformat.read(src, 4), nbformat.read(executed, 4)
    changed = False
    for cell, done in zip(nb.cells, ex.cells):
        if cell.cell_type == "code" and TAG in cell.get("metadata", {}).get("tags", []):
            outputs = [o for o in done.get("outputs", []) if o.get("output_type") == "stream"]
            if outputs != cell.get("outputs") or cell.get("execution_count") != 1:
                # nbval compares only cells that look executed, so the count is set to 1
                cell["outputs"], cell["execution_count"], changed = outputs, 1, True
    if changed:
        nbformat.write(nb, src)
        print(f"updated goldens in {src.name}")
