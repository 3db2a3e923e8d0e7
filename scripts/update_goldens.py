"""Copy the outputs of golden cells (tag `nbval-check-output`) from the papermill runs in
_build/stage/notebooks/ back into notebooks/, leaving every other cell stripped.

Run after `make notebooks` when a change to the data or models is intended; review the diff.

    python scripts/update_goldens.py            # every notebook
    python scripts/update_goldens.py 04 15      # only those whose names start so
"""

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_goldens import golden_cells, matching_index, stale_runs  # noqa: E402
from run_notebooks import project_layout  # noqa: E402


def update(src: Path, executed: Path) -> bool:
    """Copy the stream outputs of ``executed``'s golden cells into ``src``; True if changed."""
    nb, ex = nbformat.read(src, 4), nbformat.read(executed, 4)
    changed = False
    for index, cell in golden_cells(nb):
        found = matching_index(ex, cell)
        if found is None:
            sys.exit(f"golden cell {index} of {src.name} is not in {executed}; rerun the notebook")
        outputs = [o for o in ex.cells[found].get("outputs", []) if o.get("output_type") == "stream"]
        if outputs != cell.get("outputs") or cell.get("execution_count") != 1:
            # nbval compares only cells that look executed, so the count is set to 1
            cell["outputs"], cell["execution_count"], changed = outputs, 1, True
    if changed:
        nbformat.write(nb, src)
    return changed


def main(prefixes: tuple[str, ...]) -> int:
    layout = project_layout()
    sources = [p for p in sorted(layout.sources.glob("*.ipynb"))
               if not prefixes or p.name.startswith(prefixes)]
    sources = [p for p in sources if layout.staged(p).exists()]
    stale = stale_runs(layout, sources)
    if stale:
        sys.exit("run `make notebooks` first; out of date: " + "; ".join(stale))
    for src in sources:
        if update(src, layout.staged(src)):
            print(f"updated goldens in {src.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(tuple(sys.argv[1:])))
