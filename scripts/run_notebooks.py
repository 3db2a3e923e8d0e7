"""Bring the book's staging folder up to date: copy its pages, execute the notebooks that changed.

jupyter-book renders ``_build/stage/``, laid out like the repository: ``_config.yml``,
``_toc.yml`` and ``book/`` are copied, and ``notebooks/NN_*.ipynb`` is the papermill run of the
committed notebook of the same path (so a page's Colab and download buttons name the real
notebook).  A run is moved into the stage only when it finished without error; the rendered
book is exactly that file.

A notebook is executed only when one of its inputs changed since its last successful run:

``notebook``     its cells (sources and tags; stored outputs such as golden values excluded)
``code``         every module of the package it imports, directly or through other modules
                 (found with the standard library's ``modulefinder``)
``data``         the tracked files under ``data/``: the registry (the sha256 of every raw file),
                 the sources and the published numbers
``environment``  the lock file and the Python version
``reads``        for the groups that read what earlier groups wrote (see ``SCHEDULE``)

The hashes of a notebook's inputs are kept in ``_build/stamps/<name>.json``; ``--dry-run`` says
what would run and why.  Groups in ``SCHEDULE`` run one after another; inside a group up to
``jobs`` notebooks run at once, the longest first (by the run times of the last build).

    python scripts/run_notebooks.py                 # bring every notebook up to date
    python scripts/run_notebooks.py 04 06           # only those whose names start so
    python scripts/run_notebooks.py --force 04      # execute even if up to date
    python scripts/run_notebooks.py --dry-run       # say what would run, and why
    python scripts/run_notebooks.py --jobs 1        # one notebook at a time
"""

from __future__ import annotations

import argparse
import hashlib
import json
import modulefinder
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Group:
    """Notebooks that may run together, after every earlier group has finished.

    ``prefixes`` selects notebooks by the start of their names; an empty tuple takes every
    notebook no other group names.  ``reads`` lists files or folders (relative to the project)
    that earlier groups write and these notebooks read; their contents are inputs too.  With
    ``after_any_run`` the group also runs whenever any earlier notebook was executed.
    """

    name: str
    prefixes: tuple[str, ...] = ()
    jobs: int = 1
    reads: tuple[str, ...] = ()
    after_any_run: bool = False


#: The build order.  02 builds and caches the panel pieces the chapters read; the multiverse
#: and calibration chapters start their own worker processes (one per core), so each runs
#: alone rather than beside another chapter, which would only add its memory; the scorecard
#: reads the results files every chapter writes; the status page reads the run times of all
#: the others.
SCHEDULE = (
    Group("setup", ("00_", "01_", "02_", "03_"), jobs=2),
    Group("chapters", (), jobs=2),
    Group("multiverse", ("18_", "19_"), jobs=1),
    Group("scorecard", ("17_",), reads=("results",)),
    Group("status", ("99_",), after_any_run=True),
)

#: Chapters known to run longest; on a first build (no run times recorded yet) they start first
#: in their group, so they do not end the group running alone.
LONGEST = ("05_", "16_")


@dataclass(frozen=True)
class Layout:
    """Where the build reads and writes; :func:`project_layout` gives the project's own."""

    root: Path
    sources: Path                       # committed notebooks
    stage: Path                         # what jupyter-book renders
    state: Path                         # stamps, run times, runs in progress and failed runs
    code: tuple[Path, ...]              # folders searched for imported modules
    data: Path                          # every file under it is an input (except `data_skip`)
    data_skip: tuple[str, ...] = ()
    environment: tuple[Path, ...] = ()
    pages: tuple[str, ...] = ()         # copied into the stage as they are
    schedule: tuple[Group, ...] = SCHEDULE
    kernel: str = "python3"

    @property
    def stamps(self) -> Path:
        return self.state / "stamps"

    @property
    def timings(self) -> Path:
        return self.state / "timings.json"

    def staged(self, notebook: Path) -> Path:
        """Where the run of ``notebook`` goes: the same path, inside the stage."""
        return self.stage / notebook.relative_to(self.root)

    @property
    def staged_notebooks(self) -> Path:
        return self.stage / self.sources.relative_to(self.root)


def project_layout(root: Path = ROOT) -> Layout:
    return Layout(
        root=root,
        sources=root / "notebooks",
        stage=root / "_build" / "stage",
        state=root / "_build",
        code=(root / "src",),
        data=root / "data",
        data_skip=("raw", "cache"),
        environment=(root / "requirements.lock",),
        pages=("_config.yml", "_toc.yml", "book"),
    )


# --------------------------------------------------------------------------------------------
# inputs and stamps
# --------------------------------------------------------------------------------------------
def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def file_digests(paths: Iterable[Path], relative_to: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file at or under ``paths`` (missing paths omitted)."""
    out = {}
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in filter(Path.is_file, files):
            out[f.relative_to(relative_to).as_posix()] = digest(f.read_bytes())
    return out


def notebook_cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def notebook_digest(path: Path) -> str:
    """Hash of what a notebook runs and shows: cells without stored outputs or counts."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return digest(json.dumps(nb, sort_keys=True).encode())


def notebook_script(path: Path) -> str:
    """The notebook's code cells as plain Python (IPython magics turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell
    return "\n".join(transform("".join(c["source"])) for c in notebook_cells(path)
                     if c["cell_type"] == "code")


def imported_files(path: Path, code: Sequence[Path]) -> list[Path]:
    """Source files under ``code`` that the notebook imports, directly or indirectly."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / f"{path.stem}.py"
        script.write_text(notebook_script(path), encoding="utf-8")
        finder = modulefinder.ModuleFinder(path=[str(c) for c in code])
        finder.run_script(str(script))
    roots = [c.resolve() for c in code]
    found = {Path(m.__file__).resolve() for m in finder.modules.values() if m.__file__}
    return sorted(f for f in found if any(f.is_relative_to(r) for r in roots))


def data_files(layout: Layout) -> list[Path]:
    skip = [layout.data / s for s in layout.data_skip]
    return [p for p in sorted(layout.data.rglob("*"))
            if p.is_file() and not any(p.is_relative_to(s) for s in skip)]


def shared_inputs(layout: Layout) -> dict[str, dict[str, str]]:
    """The inputs every notebook has: the data and the environment."""
    env = file_digests(layout.environment, layout.root)
    env["python"] = sys.version.split()[0]
    return {"data": file_digests(data_files(layout), layout.root), "environment": env}


def inputs(notebook: Path, layout: Layout, group: Group,
           shared: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, str]]:
    """Every input of ``notebook`` with its hash, by kind."""
    return {
        "notebook": {notebook.relative_to(layout.root).as_posix(): notebook_digest(notebook)},
        "code": file_digests(imported_files(notebook, layout.code), layout.root),
        **(shared if shared is not None else shared_inputs(layout)),
        "reads": file_digests([layout.root / r for r in group.reads], layout.root),
    }


def stamp_path(notebook: Path, layout: Layout) -> Path:
    return layout.stamps / f"{notebook.stem}.json"


def changes(old: dict, new: dict) -> list[str]:
    """What differs between two sets of inputs, e.g. ``code: src/coupproof/analysis.py``."""
    out = []
    for kind in new:
        before, after = old.get(kind, {}), new[kind]
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        if changed:
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3
                                              else "")
            out.append(f"{kind}: {shown}")
    return out


def why_run(notebook: Path, layout: Layout, current: dict) -> list[str]:
    """Reasons to execute ``notebook`` now; empty when its staged run is up to date."""
    stamp = stamp_path(notebook, layout)
    if not layout.staged(notebook).exists() or not stamp.exists():
        return ["never run successfully"]
    return changes(json.loads(stamp.read_text())["inputs"], current)


# --------------------------------------------------------------------------------------------
# the stage
# --------------------------------------------------------------------------------------------
def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds it (keeping its time stamp for Sphinx)."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def stage_pages(layout: Layout) -> int:
    """Copy the book's pages and configuration into the stage; remove pages deleted since.

    Returns the number of files written."""
    written, keep = 0, set()
    for name in layout.pages:
        src = layout.root / name
        files = [p for p in sorted(src.rglob("*")) if p.is_file()] if src.is_dir() else [src]
        for f in files:
            rel = f.relative_to(layout.root)
            keep.add(rel)
            written += write_if_changed(layout.stage / rel, f.read_bytes())
    for name in layout.pages:
        staged = layout.stage / name
        if staged.is_dir():
            for f in [p for p in staged.rglob("*") if p.is_file()]:
                if f.relative_to(layout.stage) not in keep:
                    f.unlink()
    return written


def remove_orphans(layout: Layout, notebooks: Sequence[Path]) -> None:
    """Drop staged runs and stamps of notebooks that no longer exist."""
    names = {nb.name for nb in notebooks}
    for f in layout.staged_notebooks.glob("*.ipynb"):
        if f.name not in names:
            f.unlink()
            stamp_path(f, layout).unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# execution
# --------------------------------------------------------------------------------------------
@dataclass
class Run:
    notebook: Path
    reasons: list[str]
    inputs: dict
    seconds: float = 0.0
    error: str | None = None


def execute(run: Run, layout: Layout) -> Run:
    """Execute one notebook with papermill; stage the output and its stamp only on success."""
    import papermill as pm

    from coupproof.rerun import local_kernels

    nb = run.notebook
    running = layout.state / "running" / nb.name
    failed = layout.state / "failed" / nb.name
    running.parent.mkdir(parents=True, exist_ok=True)
    print(f"  running {nb.name} ({'; '.join(run.reasons)})", flush=True)
    t0 = time.perf_counter()
    try:
        pm.execute_notebook(str(nb), str(running), cwd=str(nb.parent), kernel_name=layout.kernel,
                            progress_bar=False, request_save_on_cell_execute=False,
                            kernel_manager_class=local_kernels())
    except Exception as err:  # papermill's execution error, or a kernel that died
        run.seconds = time.perf_counter() - t0
        lines = str(err).strip().splitlines()    # papermill ends with the cell's exception
        run.error = f"{type(err).__name__}: {lines[-1] if lines else ''}"
        failed.parent.mkdir(parents=True, exist_ok=True)
        if running.exists():
            os.replace(running, failed)
        layout.staged(nb).unlink(missing_ok=True)
        stamp_path(nb, layout).unlink(missing_ok=True)
        print(f"  FAILED  {nb.name} after {run.seconds:.1f} s: {run.error}\n"
              f"          the failed run is in {failed.relative_to(layout.root)}", flush=True)
        return run
    run.seconds = time.perf_counter() - t0
    staged = layout.staged(nb)
    staged.parent.mkdir(parents=True, exist_ok=True)
    os.replace(running, staged)
    failed.unlink(missing_ok=True)
    stamp = stamp_path(nb, layout)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"inputs": run.inputs, "seconds": round(run.seconds, 1)},
                                indent=1, sort_keys=True))
    print(f"  done    {nb.name} in {run.seconds:.1f} s", flush=True)
    return run


def read_timings(layout: Layout) -> dict[str, float]:
    return json.loads(layout.timings.read_text()) if layout.timings.exists() else {}


def longest_first(runs: list[Run], timings: dict[str, float]) -> list[Run]:
    """Order runs by their last recorded time, longest first; unknown ones by ``LONGEST``."""
    def key(run: Run):
        name = run.notebook.name
        known = timings.get(name)
        return (-(known if known is not None else (1e6 if name.startswith(LONGEST) else 0)),
                name)
    return sorted(runs, key=key)


def assign_groups(notebooks: Sequence[Path], schedule: Sequence[Group]) -> list[tuple[Group, list[Path]]]:
    named = [(g, [nb for nb in notebooks if g.prefixes and nb.name.startswith(g.prefixes)])
             for g in schedule]
    taken = {nb for _, nbs in named for nb in nbs}
    rest = [nb for nb in notebooks if nb not in taken]
    return [(g, nbs if g.prefixes else rest) for g, nbs in named]


@dataclass
class Report:
    executed: list[Run] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    not_run: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[Run]:
        return [r for r in self.executed if r.error]


def build(layout: Layout, prefixes: Sequence[str] = (), *, force: bool = False,
          dry_run: bool = False, jobs: int | None = None) -> Report:
    """Stage the pages, then execute every selected notebook whose inputs changed."""
    notebooks = sorted(layout.sources.glob("[0-9][0-9]_*.ipynb"))
    if not dry_run:
        stage_pages(layout)
        remove_orphans(layout, notebooks)
    selected = [nb for nb in notebooks if not prefixes or nb.name.startswith(tuple(prefixes))]
    report = Report()
    shared = shared_inputs(layout)
    for group, members in assign_groups(selected, layout.schedule):
        if report.failed:
            report.not_run += members
            continue
        runs = []
        for nb in members:
            current = inputs(nb, layout, group, shared)
            reasons = ["forced"] if force else why_run(nb, layout, current)
            if not reasons and group.after_any_run and report.executed:
                reasons = [f"{len(report.executed)} earlier notebook(s) ran"]
            if reasons:
                runs.append(Run(nb, reasons, current))
            else:
                report.up_to_date.append(nb)
        if dry_run:
            for run in runs:
                print(f"  would run {run.notebook.name} ({'; '.join(run.reasons)})")
            report.executed += runs
            continue
        timings = read_timings(layout)
        with ThreadPoolExecutor(max_workers=max(1, jobs or group.jobs)) as pool:
            done = list(pool.map(lambda r: execute(r, layout), longest_first(runs, timings)))
        report.executed += done
        timings.update({r.notebook.name: round(r.seconds, 1) for r in done if not r.error})
        if done:
            write_if_changed(layout.timings,
                             json.dumps(timings, indent=1, sort_keys=True).encode())
    return report


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("prefixes", nargs="*", help="only notebooks whose names start so (e.g. 04)")
    ap.add_argument("--force", action="store_true", help="execute even when up to date")
    ap.add_argument("--dry-run", action="store_true", help="say what would run and why")
    ap.add_argument("--jobs", type=int, default=None,
                    help="notebooks at once in every group (default: as in SCHEDULE, or "
                         "the COUPPROOF_JOBS environment variable)")
    ap.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this one)")
    args = ap.parse_args(argv)
    env_jobs = os.environ.get("COUPPROOF_JOBS")
    jobs = args.jobs or (int(env_jobs) if env_jobs else None)

    layout = project_layout(args.root.resolve())
    t0 = time.perf_counter()
    report = build(layout, args.prefixes, force=args.force, dry_run=args.dry_run, jobs=jobs)
    verb = "would execute" if args.dry_run else "executed"
    print(f"{len(report.executed)} notebook(s) {verb}, {len(report.up_to_date)} up to date "
          f"({time.perf_counter() - t0:.0f} s); the book renders {layout.stage}")
    if report.failed:
        print(f"{len(report.failed)} notebook(s) failed: "
              + ", ".join(r.notebook.name for r in report.failed), file=sys.stderr)
        if report.not_run:
            print("not run because an earlier group failed: "
                  + ", ".join(nb.name for nb in report.not_run), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
