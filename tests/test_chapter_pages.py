"""What the reader sees: hidden glue and golden cells, collapsed setup cells, exercises with
collapsed solutions, a summary and a pointer onward in every chapter.  (That the executed
chapters show great_tables rather than raw DataFrame dumps is checked after the build, with
the site: ``tests/browser/test_staged_pages.py``.)"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The chapters these rules cover: 00-17 (the multiverse and calibration chapters have their own).
CHAPTERS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if re.match(r"(0\d|1[0-7])_", p.name))
GOLDEN, HIDDEN = "nbval-check-output", "remove-cell"


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def markdown(path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


def test_the_chapters_are_found():
    assert len(CHAPTERS) == 18


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_glue_and_golden_cells_are_removed_from_the_page(path):
    for cell in code_cells(path):
        if re.search(r"(?<![\w.])glue\(|\.glue\(", cell.source):
            assert HIDDEN in tags(cell), f"a glue cell must be tagged {HIDDEN}: {cell.source[:80]!r}"
        if GOLDEN in tags(cell):
            assert HIDDEN in tags(cell), f"golden cell shown on the page: {cell.source[:80]!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_long_setup_cells_are_collapsed(path):
    for cell in code_cells(path):
        long_setup = len(re.findall(r"^(?:from \S+ )?import ", cell.source, re.M)) >= 3
        if long_setup and not {"colab-setup", HIDDEN} & set(tags(cell)):
            assert "hide-input" in tags(cell), f"setup cell not collapsed: {cell.source[:80]!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_has_exercises_with_collapsed_solutions(path):
    text = markdown(path)
    labels = re.findall(r":::\{exercise\}\s*\n:label: (\S+)", text)
    assert labels, "no exercise"
    for label in labels:
        solution = re.search(r":::\{solution\} " + re.escape(label) + r"\s*\n((?::[\w-]+:.*\n)*)", text)
        assert solution, f"exercise {label} has no solution"
        assert ":class: dropdown" in solution.group(1), f"the solution of {label} is not collapsed"


def test_exercise_labels_are_unique_across_the_book():
    labels = [l for p in CHAPTERS for l in re.findall(r":label: (ex-\S+)", markdown(p))]
    labels += re.findall(r":label: (ex-\S+)", "\n".join(p.read_text() for p in (ROOT / "book").glob("*.md")))
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_has_the_promised_shape(path):
    text = markdown(path)
    assert re.search(r"Overview|you will learn", text, re.I), "no overview"
    assert re.search(r"\{admonition\} Summary|^## Summary", text, re.M), "no summary"
    assert re.search(r"What next", text), "no pointer to what comes next"


def test_table15_knobs_default_to_the_registry():
    from coupproof.rerun import chapter_parameters
    from coupproof.tables import TABLES

    knobs = chapter_parameters(ROOT / "notebooks" / "15_table15_monadic.ipynb")
    for name in TABLES[15].options:
        assert knobs[name] is None, f"{name}: the default lives in the registry, not in the notebook"
