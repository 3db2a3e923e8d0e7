"""Check the golden cells of every notebook against its papermill run, with nbval.

A golden cell (tag ``nbval-check-output``) stores the value a chapter must keep producing.  The
book's run of each notebook is already in ``_build/stage/notebooks/`` (``make notebooks``), so the
notebooks are not executed a second time: this script writes ``_build/goldens/goldens.ipynb``,
one cell per golden cell, whose stored output is the committed golden value and whose code
replays the output of that cell in the staged run; nbval then compares the two with its usual
rules (``--nbval-lax``: only the tagged cells).  A stale run (a notebook whose inputs changed
since it was executed) is refused, so the check always sees the current code and data.

    python scripts/check_goldens.py            # every notebook with golden cells
    python scripts/check_goldens.py 04 15      # only those whose names start so
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_notebooks as rn  # noqa: E402  (the build's layout and stamps)

TAG = "nbval-check-output"

REPLAY = '''\
# Replays the outputs of one cell of a staged papermill run (see scripts/check_goldens.py).
import json
import sys

from IPython.display import publish_display_data


def replay(path, index):
    with open(path, encoding="utf-8") as fh:
        cell = json.load(fh)["cells"][index]
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            stream = getattr(sys, out["name"])
            stream.write("".join(out["text"]))
            stream.flush()
        elif out["output_type"] in ("display_data", "execute_result"):
            publish_display_data(out["data"], out.get("metadata", {}))
        elif out["output_type"] == "error":
            sys.stderr.write("\\n".join(out["traceback"]))
'''


class GoldenCheckError(RuntimeError):
    """The golden cells cannot be checked (no run, a stale run, a cell missing from the run)."""


def golden_cells(nb: nbformat.NotebookNode) -> list[tuple[int, nbformat.NotebookNode]]:
    return [(i, c) for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and TAG in c.get("metadata", {}).get("tags", [])]


def matching_index(executed: nbformat.NotebookNode, cell) -> int | None:
    """Index of ``cell`` in the executed copy: same cell id, else the same source."""
    for i, c in enumerate(executed.cells):
        if cell.get("id") and c.get("id") == cell.get("id"):
            return i
    same = [i for i, c in enumerate(executed.cells) if c.source == cell.source]
    return same[0] if len(same) == 1 else None


def stale_runs(layout: rn.Layout, notebooks: Sequence[Path]) -> list[str]:
    """Notebooks whose staged run does not reflect their current inputs, with the reasons."""
    out, shared = [], rn.shared_inputs(layout)
    for group, members in rn.assign_groups(notebooks, layout.schedule):
        for nb in members:
            reasons = rn.why_run(nb, layout, rn.inputs(nb, layout, group, shared))
            if reasons:
                out.append(f"{nb.name} ({'; '.join(reasons)})")
    return out


def replay_notebook(layout: rn.Layout, notebooks: Sequence[Path], out: Path
                    ) -> nbformat.NotebookNode:
    """The notebook nbval checks: the goldens as stored outputs, the runs' outputs replayed."""
    cells = [nbformat.v4.new_code_cell(REPLAY)]
    for src in notebooks:
        nb = nbformat.read(src, as_version=4)
        goldens = golden_cells(nb)
        if not goldens:
            continue
        staged = layout.staged(src)
        executed = nbformat.read(staged, as_version=4)
        rel_src = src.relative_to(layout.root).as_posix()
        for index, cell in goldens:
            found = matching_index(executed, cell)
            if found is None:
                raise GoldenCheckError(
                    f"golden cell {index} of {rel_src} is not in its run {staged}; "
                    f"run `make notebooks`")
            check = nbformat.v4.new_code_cell(
                f"# golden cell {index} of {rel_src}, against the papermill run\n"
                f"replay({os.path.relpath(staged, out.parent)!r}, {found})",
                metadata={"tags": [TAG]})
            check.outputs = [nbformat.from_dict(o) for o in cell.get("outputs", [])]
            # nbval compares only cells that look executed: a golden cell never filled in
            # (no execution count) stays unchecked, as it would be under nbval itself
            check.execution_count = cell.get("execution_count")
            cells.append(check)
    replay = nbformat.v4.new_notebook(cells=cells)
    replay.metadata["kernelspec"] = {"name": layout.kernel, "display_name": "Python 3",
                                     "language": "python"}
    return replay


def unfilled(notebooks: Sequence[Path], layout: rn.Layout) -> list[str]:
    """Golden cells that store no value yet (so nbval does not compare them)."""
    return [f"{nb.relative_to(layout.root).as_posix()} cell {i}"
            for nb in notebooks for i, c in golden_cells(nbformat.read(nb, as_version=4))
            if c.get("execution_count") is None]


def write_replay(layout: rn.Layout, prefixes: Sequence[str] = ()) -> tuple[Path, int]:
    """Write the replay notebook; return its path and the number of golden cells in it."""
    notebooks = [nb for nb in sorted(layout.sources.glob("[0-9][0-9]_*.ipynb"))
                 if not prefixes or nb.name.startswith(tuple(prefixes))]
    with_goldens = [nb for nb in notebooks if golden_cells(nbformat.read(nb, as_version=4))]
    missing = [nb.name for nb in with_goldens if not layout.staged(nb).exists()]
    if missing:
        raise GoldenCheckError(f"no papermill run of {', '.join(missing)} in "
                               f"{layout.stage}: run `make notebooks` first")
    stale = stale_runs(layout, with_goldens)
    if stale:
        raise GoldenCheckError("the staged runs of these notebooks are out of date, run "
                               "`make notebooks` first: " + "; ".join(stale))
    out = layout.state / "goldens" / "goldens.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    replay = replay_notebook(layout, with_goldens, out)
    nbformat.write(replay, out)
    return out, len(replay.cells) - 1


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("prefixes", nargs="*", help="only notebooks whose names start so (e.g. 04)")
    ap.add_argument("--root", type=Path, default=rn.ROOT, help="the project folder")
    args = ap.parse_args(argv)
    layout = rn.project_layout(args.root.resolve())
    try:
        path, n = write_replay(layout, args.prefixes)
    except GoldenCheckError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"checking {n} golden cell(s) against the papermill runs with nbval ({path})",
          flush=True)
    notebooks = sorted(layout.sources.glob("[0-9][0-9]_*.ipynb"))
    for where in unfilled(notebooks, layout):
        print(f"  notice: {where} is tagged {TAG} but stores no golden value, so nothing is "
              f"compared; fill it with scripts/update_goldens.py", flush=True)
    import pytest

    return int(pytest.main(["--nbval-lax", str(path), "-q", "-p", "no:cacheprovider"]))


if __name__ == "__main__":
    raise SystemExit(main())
