"""Notebooks are numbered, carry a `parameters` cell, and are stored without outputs
(except cells tagged `nbval-check-output`, whose outputs are the golden values nbval checks)."""

import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
GOLDEN = "nbval-check-output"


def test_chapter_numbers_are_unique():
    # chapters are cited by number ("chapter 05"); two files must never share one
    assert NOTEBOOKS, "no notebooks found under notebooks/"
    numbers = [p.name[:2] for p in NOTEBOOKS]
    shared = sorted({n for n in numbers if numbers.count(n) > 1})
    assert not shared, f"chapter numbers used twice: {shared}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_numbered_parameterised_and_stripped(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), "name must be NN_snake_case.ipynb"
    nb = nbformat.read(path, as_version=4)
    tags = [c.get("metadata", {}).get("tags", []) for c in nb.cells]
    assert sum("parameters" in t for t in tags) == 1, "exactly one cell tagged 'parameters'"
    for cell, t in zip(nb.cells, tags):
        if cell.cell_type != "code" or GOLDEN in t:
            continue
        assert not cell.get("outputs"), f"outputs stored in a non-golden cell: {cell.source[:60]!r}"
        assert cell.get("execution_count") is None, "execution counts must be stripped"


def test_every_notebook_is_in_the_table_of_contents_under_its_own_path():
    # the book renders the papermill run staged at the same path, so launch buttons open it
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    for path in NOTEBOOKS:
        assert f"notebooks/{path.stem}" in files, f"{path.name} missing from _toc.yml"
    chapters = {f for f in files if f.startswith("notebooks/")}
    assert chapters == {f"notebooks/{p.stem}" for p in NOTEBOOKS}, "_toc.yml names a missing notebook"
