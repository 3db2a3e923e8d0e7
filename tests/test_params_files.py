"""The ready parameter files in params/ name real choices with allowed values."""

from pathlib import Path

import pytest
import yaml

from coupproof.params import Choices

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", sorted((ROOT / "params").glob("*.yaml")), ids=lambda p: p.name)
def test_parameter_file_names_known_choices_with_allowed_values(path):
    values = yaml.safe_load(path.read_text())
    assert isinstance(values, dict) and values
    choices = Choices.from_overrides(values)  # raises on an unknown name or value
    assert set(choices.differences()) == set(values), "a file should change something"
