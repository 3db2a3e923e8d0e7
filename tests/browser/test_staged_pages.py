"""The executed chapters the book renders (``_build/stage``), checked after the build: tables
reach the reader through great_tables, never as raw DataFrame dumps.  Run with the site
checks, after the notebooks were executed (``make notebooks``)."""

import json
import re
from pathlib import Path

import pytest


def dataframe_outputs(nb: dict) -> list[str]:
    """Sources of the cells of an executed notebook that display a raw pandas DataFrame."""
    found = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            html = "".join(out.get("data", {}).get("text/html", ""))
            if 'class="dataframe"' in html:
                found.append("".join(cell["source"])[:80])
    return found


def test_a_raw_dataframe_display_is_recognised():
    nb = {"cells": [{"source": "df", "outputs": [{"data": {"text/html": '<table class="dataframe">'}}]},
                    {"source": "gt", "outputs": [{"data": {"text/html": '<table class="gt_table">'}}]}]}
    assert dataframe_outputs(nb) == ["df"]


STAGE = Path(__file__).resolve().parents[2] / "_build" / "stage" / "notebooks"
STAGED = sorted(STAGE.glob("*.ipynb"))


@pytest.mark.skipif(not STAGED, reason="no staged runs (make notebooks)")
@pytest.mark.parametrize("path", [p for p in STAGED if re.match(r"(0\d|1[0-7]|99)_", p.name)],
                         ids=lambda p: p.name)
def test_staged_pages_show_tables_through_great_tables(path):
    assert not dataframe_outputs(json.loads(path.read_text())), "raw DataFrame output on the page"
