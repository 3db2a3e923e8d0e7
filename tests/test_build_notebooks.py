"""The book build executes a notebook only when its inputs changed, and the golden check
(nbval against the papermill runs) fails when a change to the code moves a golden value.

Runs the build's own scripts on a toy project laid out like this one: two notebooks, a small
package, a data folder and a book page.  The toy is built once per module and copied for each
test, so most tests need no kernel; those that execute say so.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

PROJECT = Path(__file__).resolve().parents[1]
SCRIPTS = PROJECT / "scripts"


def _load(name: str):
    if name in sys.modules:
        return sys.modules[name]
    sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


rn = _load("run_notebooks")

SETUP = 'import sys\nsys.path.insert(0, "../src")\n'


def _notebook(cells: list[tuple[str, str, list[str], str | None]]) -> nbformat.NotebookNode:
    """cells: (kind, source, tags, golden stdout or None)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, source, tags, golden in cells:
        cell = (nbformat.v4.new_markdown_cell(source) if kind == "md"
                else nbformat.v4.new_code_cell(source))
        if tags:
            cell.metadata["tags"] = tags
        if golden is not None:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=golden)]
            cell.execution_count = 1
        nb.cells.append(cell)
    return nb


def _write_toy(root: Path) -> None:
    (root / "src" / "toypkg").mkdir(parents=True)
    (root / "src" / "toypkg" / "__init__.py").write_text("")
    (root / "src" / "toypkg" / "values.py").write_text("def answer():\n    return 41 + 1\n")
    (root / "src" / "toypkg" / "unrelated.py").write_text("GREETING = 'hello'\n")
    (root / "data" / "published").mkdir(parents=True)
    (root / "data" / "registry.csv").write_text("id,sha256\nvalues,abc\n")
    (root / "data" / "published" / "values.csv").write_text("1\n2\n3\n")
    (root / "data" / "cache").mkdir()
    (root / "requirements.lock").write_text("toy==1.0\n")
    (root / "book").mkdir()
    (root / "book" / "intro.md").write_text("# Toy\n\nSee {doc}`../notebooks/04_toy`.\n")
    (root / "_config.yml").write_text("title: toy\n")
    (root / "_toc.yml").write_text("root: book/intro\n")
    (root / "notebooks").mkdir()
    nbformat.write(_notebook([
        ("md", "# A toy chapter", [], None),
        ("code", "scale = 1", ["parameters"], None),
        ("code", SETUP + "from toypkg.values import answer\n"
                 "rows = open('../data/published/values.csv').read().split()", [], None),
        ("code", "print(answer() * scale, len(rows))", ["nbval-check-output"], "42 3\n"),
    ]), root / "notebooks" / "04_toy.ipynb")
    nbformat.write(_notebook([
        ("code", SETUP + "from toypkg import unrelated\nprint(unrelated.GREETING)", [], None),
    ]), root / "notebooks" / "05_other.ipynb")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The toy project after one full build (two notebooks executed)."""
    root = tmp_path_factory.mktemp("toy") / "project"
    _write_toy(root)
    report = rn.build(rn.project_layout(root))
    assert not report.failed, [r.error for r in report.failed]
    assert sorted(r.notebook.name for r in report.executed) == ["04_toy.ipynb", "05_other.ipynb"]
    return root


@pytest.fixture()
def toy(built, tmp_path):
    """A private copy of the built toy project."""
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def _would_run(root: Path) -> dict[str, list[str]]:
    report = rn.build(rn.project_layout(root), dry_run=True)
    return {r.notebook.name: r.reasons for r in report.executed}


def _edit_cell(path: Path, index: int, source: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells[index].source = source
    nbformat.write(nb, path)


def test_the_build_stages_the_runs_under_the_notebooks_own_paths(built):
    stage = built / "_build" / "stage"
    assert (stage / "notebooks" / "04_toy.ipynb").exists()
    assert (stage / "_toc.yml").exists() and (stage / "book" / "intro.md").exists()
    run = nbformat.read(stage / "notebooks" / "04_toy.ipynb", as_version=4)
    assert run.cells[3].outputs[0]["text"] == "42 3\n"
    timings = json.loads((built / "_build" / "timings.json").read_text())
    assert set(timings) == {"04_toy.ipynb", "05_other.ipynb"}


def test_an_unchanged_rebuild_executes_nothing_and_rewrites_nothing(toy):
    stage = toy / "_build" / "stage"
    before = {p: p.stat().st_mtime_ns for p in stage.rglob("*") if p.is_file()}
    report = rn.build(rn.project_layout(toy))      # a real build, not a dry run
    assert report.executed == []
    assert sorted(nb.name for nb in report.up_to_date) == ["04_toy.ipynb", "05_other.ipynb"]
    assert {p: p.stat().st_mtime_ns for p in stage.rglob("*") if p.is_file()} == before


def test_a_code_change_reruns_only_the_notebooks_that_import_that_code(toy):
    (toy / "src" / "toypkg" / "values.py").write_text("def answer():\n    return 43\n")
    assert _would_run(toy) == {"04_toy.ipynb": ["code: src/toypkg/values.py"]}
    (toy / "src" / "toypkg" / "values.py").write_text("def answer():\n    return 41 + 1\n")
    (toy / "src" / "toypkg" / "unrelated.py").write_text("GREETING = 'hi'\n")
    assert _would_run(toy) == {"05_other.ipynb": ["code: src/toypkg/unrelated.py"]}


def test_a_parameter_change_reruns_that_notebook_alone(toy):
    _edit_cell(toy / "notebooks" / "04_toy.ipynb", 1, "scale = 2")
    assert _would_run(toy) == {"04_toy.ipynb": ["notebook: notebooks/04_toy.ipynb"]}


def test_data_and_environment_changes_rerun_every_notebook(toy):
    (toy / "data" / "registry.csv").write_text("id,sha256\nvalues,def\n")
    assert set(_would_run(toy)) == {"04_toy.ipynb", "05_other.ipynb"}
    assert _would_run(toy)["05_other.ipynb"] == ["data: data/registry.csv"]
    (toy / "data" / "registry.csv").write_text("id,sha256\nvalues,abc\n")
    (toy / "requirements.lock").write_text("toy==2.0\n")
    assert _would_run(toy)["04_toy.ipynb"] == ["environment: requirements.lock"]


def test_derived_files_under_data_are_not_inputs(toy):
    (toy / "data" / "cache" / "panel.parquet").write_bytes(b"derived")
    assert _would_run(toy) == {}


def test_a_changed_golden_value_fails_the_golden_check(toy):
    def check() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(SCRIPTS / "check_goldens.py"), "--root",
                               str(toy)], capture_output=True, text=True, timeout=300)

    ok = check()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "checking 1 golden cell(s)" in ok.stdout

    # the code behind the golden value changes: the check refuses the stale run ...
    (toy / "src" / "toypkg" / "values.py").write_text("def answer():\n    return 43\n")
    stale = check()
    assert stale.returncode != 0 and "out of date" in stale.stderr
    assert "04_toy.ipynb (code: src/toypkg/values.py)" in stale.stderr

    # ... and once the notebook is rerun (one notebook), nbval reports the moved value
    report = rn.build(rn.project_layout(toy))
    assert [r.notebook.name for r in report.executed] == ["04_toy.ipynb"]
    failed = check()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "golden cell 3 of notebooks/04_toy.ipynb" in failed.stdout
    assert "42 3" in failed.stdout and "43 3" in failed.stdout


def test_a_golden_cell_without_a_stored_value_is_named_and_not_compared(toy):
    nb = nbformat.read(toy / "notebooks" / "04_toy.ipynb", as_version=4)
    nb.cells[3].outputs, nb.cells[3].execution_count = [], None
    nbformat.write(nb, toy / "notebooks" / "04_toy.ipynb")
    result = subprocess.run([sys.executable, str(SCRIPTS / "check_goldens.py"), "--root",
                             str(toy)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notebooks/04_toy.ipynb cell 3 is tagged nbval-check-output but stores no golden" \
        in result.stdout


def test_a_failing_notebook_is_not_staged_and_stops_later_groups(toy):
    layout = rn.project_layout(toy)
    _edit_cell(toy / "notebooks" / "05_other.ipynb", 0, "raise ValueError('broken chapter')")
    (toy / "notebooks" / "17_last.ipynb").write_text(
        nbformat.writes(_notebook([("code", "print('last')", [], None)])))
    report = rn.build(layout)
    assert [r.notebook.name for r in report.failed] == ["05_other.ipynb"]
    assert "broken chapter" in report.failed[0].error
    assert not (toy / "_build" / "stage" / "notebooks" / "05_other.ipynb").exists()
    assert not rn.stamp_path(toy / "notebooks" / "05_other.ipynb", layout).exists()
    assert (toy / "_build" / "failed" / "05_other.ipynb").exists()
    assert [nb.name for nb in report.not_run] == ["17_last.ipynb"]


def test_pages_are_staged_as_they_are_and_deleted_pages_removed(toy):
    staged = toy / "_build" / "stage" / "book" / "intro.md"
    assert staged.read_bytes() == (toy / "book" / "intro.md").read_bytes()
    (toy / "book" / "intro.md").unlink()
    rn.stage_pages(rn.project_layout(toy))
    assert not (toy / "_build" / "stage" / "book" / "intro.md").exists()


def test_longest_first_uses_recorded_times_then_the_known_long_chapters():
    runs = [rn.Run(Path(n), [], {}) for n in ("04_a.ipynb", "09_b.ipynb", "16_long.ipynb")]
    assert [r.notebook.name for r in rn.longest_first(runs, {})] == [
        "16_long.ipynb", "04_a.ipynb", "09_b.ipynb"]
    timed = {"04_a.ipynb": 5.0, "09_b.ipynb": 50.0, "16_long.ipynb": 20.0}
    assert [r.notebook.name for r in rn.longest_first(runs, timed)] == [
        "09_b.ipynb", "16_long.ipynb", "04_a.ipynb"]


def test_the_project_schedule_runs_the_multiverse_alone_before_the_scorecard():
    notebooks = [Path(n) for n in ("00_a.ipynb", "02_panel.ipynb", "04_t1.ipynb",
                                   "17_scorecard.ipynb", "18_multiverse.ipynb", "99_status.ipynb")]
    groups = [(g.name, g.jobs, [nb.name for nb in nbs])
              for g, nbs in rn.assign_groups(notebooks, rn.SCHEDULE)]
    assert groups == [("setup", 2, ["00_a.ipynb", "02_panel.ipynb"]),
                      ("chapters", 2, ["04_t1.ipynb"]),
                      ("multiverse", 1, ["18_multiverse.ipynb"]),
                      ("scorecard", 1, ["17_scorecard.ipynb"]),
                      ("status", 1, ["99_status.ipynb"])]
