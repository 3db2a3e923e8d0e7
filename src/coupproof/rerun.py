"""Rerun one chapter with other choices, checked before it runs.

    python -m coupproof.rerun 04 -p polity_max 5 -p cluster directed
    python -m coupproof.rerun 04_alliance_formation -f params/polity_le5.yaml -o /tmp/t9

Every name is checked against the chapter's ``parameters`` cell and the typed choices
(:mod:`coupproof.params`); every value against its type — an unknown or misspelt name is an
error that lists the chapter's parameters (with a "did you mean" for near misses), before
anything is executed.  Names of choices go into the chapter's ``choices`` mapping; the
chapter's own knobs are passed as they are.  The run writes the executed notebook and its
results into one output folder (default ``reruns/<chapter>-<key>/``, named by the key of the
parameter set) and never into the book's ``results/``.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import json
import os
import sys
from pathlib import Path

import nbformat
import yaml

from coupproof import config
from coupproof.params import ChoiceError, Choices, unknown_names_message


def local_kernels():
    """A kernel manager for papermill whose kernels talk over local (IPC) sockets rather than
    TCP ports: nothing is reachable from the network, and the kernels do not print a warning
    about unencrypted TCP into every run's log.  Used by this command and by the book's build
    (``scripts/run_notebooks.py``); each kernel gets sockets of its own name in the temporary
    folder, so kernels started at the same time never share one.

    jupyter_client interrupts a kernel (SIGINT) before asking it to shut down; papermill shuts
    kernels down only once the last cell has finished, so the interrupt finds an idle kernel,
    which logs "ERROR | KeyboardInterrupt caught in kernel" into the build's output.  This
    manager skips that interrupt: the shutdown request alone ends an idle kernel, and a kernel
    that does not answer it is still killed after ``shutdown_wait_time``."""
    import tempfile
    import uuid

    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(tempfile.gettempdir(),
                                                 f"coupproof-kernel-{uuid.uuid4().hex[:12]}"))
            super().__init__(**kwargs)

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        interrupt_kernel = _async_interrupt_kernel

    return LocalKernelManager


class RerunError(ValueError):
    """A chapter, parameter name or value that cannot be run."""


def notebooks_dir() -> Path:
    return config.project_dir() / "notebooks"


def find_chapter(chapter: str) -> Path:
    """The notebook for ``04``, ``04_alliance_formation`` or a path."""
    path = Path(chapter)
    if path.suffix == ".ipynb" and path.exists():
        return path.resolve()
    stem = path.name.removesuffix(".ipynb")
    found = sorted(p for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb")
                   if p.stem == stem or p.stem.startswith(f"{stem}_") or p.stem[:2] == stem)
    if len(found) == 1:
        return found[0]
    names = [p.stem for p in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))]
    near = difflib.get_close_matches(stem, names, n=2, cutoff=0.5)
    hint = f" (did you mean {' or '.join(near)}?)" if near else ""
    what = "is ambiguous" if found else "does not exist"
    raise RerunError(f"chapter {chapter!r} {what}{hint}; chapters: {', '.join(names)}")


def chapter_parameters(notebook: Path) -> dict:
    """The names and default values of the notebook's ``parameters`` cell."""
    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise RerunError(f"{notebook.name} has {len(cells)} cells tagged 'parameters', not one")
    out = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def parse_values(pairs: list[list[str]], files: list[Path]) -> dict:
    """``-f`` files (YAML mappings) then ``-p NAME VALUE`` pairs (values read as YAML)."""
    values: dict = {}
    for f in files:
        if not Path(f).exists():
            raise RerunError(f"parameter file {f} does not exist")
        loaded = yaml.safe_load(Path(f).read_text()) or {}
        if not isinstance(loaded, dict):
            raise RerunError(f"parameter file {f} must hold a mapping of names to values")
        nested = loaded.pop("choices", None) or {}
        values.update(nested)
        values.update(loaded)
    for name, text in pairs:
        values[name] = yaml.safe_load(text)
    return values


def _check_knob(name: str, value, default) -> None:
    """A chapter's own parameter keeps the kind of its default (no True for an integer)."""
    if default is None or value is None:
        return
    kind = type(default)
    if kind is bool and not isinstance(value, bool):
        raise RerunError(f"{name}: {value!r} is not allowed; {name} must be True or False")
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise RerunError(f"{name}: {value!r} is not allowed; {name} must be an integer")
    if kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise RerunError(f"{name}: {value!r} is not allowed; {name} must be a number")
    if kind is str and not isinstance(value, str):
        raise RerunError(f"{name}: {value!r} is not allowed; {name} must be a string")
    if kind in (list, dict) and not isinstance(value, kind):
        raise RerunError(f"{name}: {value!r} is not allowed; {name} must be a {kind.__name__}")


def plan(chapter: str, values: dict) -> tuple[Path, dict, Choices | None]:
    """Check everything; return the notebook, papermill's parameters and the choices."""
    notebook = find_chapter(chapter)
    cell = chapter_parameters(notebook)
    takes_choices = "choices" in cell
    knobs = {k: v for k, v in values.items() if k in cell and k != "choices"}
    choice_values = {k: v for k, v in values.items() if k not in cell}
    if choice_values and not takes_choices:
        raise RerunError(unknown_names_message(list(choice_values), list(cell))
                         .replace("known:", f"{notebook.stem} takes:"))
    if takes_choices:
        unknown = [k for k in choice_values if k not in Choices.names()]
        if unknown:
            known = [*[k for k in cell if k != "choices"], *Choices.names()]
            raise RerunError(unknown_names_message(unknown, known)
                             .replace("known:", f"{notebook.stem} takes:"))
    for name, value in knobs.items():
        _check_knob(name, value, cell[name])
    choices = None
    if takes_choices:
        merged = {**(cell.get("choices") or {}), **choice_values}
        try:
            choices = Choices.from_overrides(merged)
        except ChoiceError as err:
            raise RerunError(str(err)) from None
        parameters = {**knobs, "choices": {k: (list(v) if isinstance(v, tuple) else v)
                                           for k, v in merged.items()}}
    else:
        parameters = knobs
    return notebook, parameters, choices


def run_key(notebook: Path, parameters: dict) -> str:
    blob = json.dumps([notebook.stem, parameters], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m coupproof.rerun",
                                description="Rerun one chapter with other parameters, checked first.")
    p.add_argument("chapter", help="e.g. 04, 04_alliance_formation or notebooks/04_….ipynb")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="a parameter (value read as YAML)")
    p.add_argument("-f", "--file", action="append", default=[], type=Path,
                   help="a YAML file of parameters (repeatable)")
    p.add_argument("-o", "--output", type=Path, default=None,
                   help="output folder (default: reruns/<chapter>-<key>/)")
    p.add_argument("--check", action="store_true", help="check the parameters and stop")
    args = p.parse_args(argv)
    try:
        values = parse_values(args.parameter, args.file)
        notebook, parameters, choices = plan(args.chapter, values)
    except (RerunError, ChoiceError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    key = run_key(notebook, parameters)
    out_dir = args.output or config.project_dir() / "reruns" / f"{notebook.stem}-{key}"
    if choices is not None:
        print(f"{notebook.stem}: {choices.describe()}")
    print(f"parameters: {json.dumps(parameters, default=str)}")
    if args.check:
        return 0
    import papermill as pm

    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ["COUPPROOF_RESULTS_DIR"] = str((out_dir / "results").resolve())
    output = out_dir / notebook.name
    pm.execute_notebook(str(notebook), str(output), parameters=parameters, cwd=str(notebook.parent),
                        kernel_name="python3", progress_bar=False, kernel_manager_class=local_kernels())
    print(f"executed notebook: {output}\nits results: {out_dir / 'results'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
