"""The ready parameter files in params/ name parameters that the notebooks really have."""

from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def parameter_names(notebook: Path) -> set[str]:
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", []))
    names = set()
    for line in cell.source.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            names.add(line.split("=")[0].strip())
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "params").glob("*.yaml")), ids=lambda p: p.name)
def test_parameter_file_matches_the_formation_chapter(path):
    values = yaml.safe_load(path.read_text())
    assert isinstance(values, dict) and values
    known = parameter_names(ROOT / "notebooks" / "04_alliance_formation.ipynb")
    assert set(values) <= known, f"{path.name} sets unknown parameters {set(values) - known}"
