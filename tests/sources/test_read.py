"""The one reader entry point: each raw file parsed once per process, independent copies,
file ids checked against the registry, and counts a test can rely on."""

import inspect

import pandas as pd
import pytest

from coupproof import sources
from coupproof.sources.registry import entry


@pytest.fixture
def fresh():
    """No parsed frames before or after (a toy reader must not leak into other tests)."""
    sources.clear()
    yield
    sources.clear()


class CountingReader:
    def __init__(self):
        self.calls = []

    def __call__(self, version=None):
        self.calls.append(version)
        return pd.DataFrame({"ccode": pd.array([2, 20], dtype="Int64"), "x": [1.0, 2.0],
                             "version": [version, version]})


def test_a_dataset_is_parsed_once_and_copies_are_independent(monkeypatch, fresh):
    reader = CountingReader()
    monkeypatch.setitem(sources.READERS, "rivalries", (lambda: reader(), "rivalries"))
    first = sources.read("rivalries")
    first.loc[0, "x"] = 99.0
    first["new"] = 1
    second = sources.read("rivalries")
    assert reader.calls == [None]                         # parsed once
    assert second["x"].tolist() == [1.0, 2.0] and "new" not in second.columns
    assert second is not first
    assert sources.read_counts() == {"rivalries": 1}


def test_versions_are_parsed_and_counted_by_their_own_file(monkeypatch, fresh):
    reader = CountingReader()
    monkeypatch.setitem(sources.READERS, "polity", (reader, {"IV": "polity4", "5": "polity5"}))
    assert sources.read("polity", "5")["version"].tolist() == ["5", "5"]
    sources.read("polity", "IV")
    sources.read("polity", "5")
    assert reader.calls == ["5", "IV"]
    assert sources.read_counts() == {"polity5": 1, "polity4": 1}


def test_clear_forgets_frames_and_counts(monkeypatch, fresh):
    reader = CountingReader()
    monkeypatch.setitem(sources.READERS, "rivalries", (lambda: reader(), "rivalries"))
    sources.read("rivalries")
    sources.clear()
    assert sources.read_counts() == {}
    sources.read("rivalries")
    assert len(reader.calls) == 2 and sources.read_counts() == {"rivalries": 1}


def test_read_counts_is_a_copy(monkeypatch, fresh):
    monkeypatch.setitem(sources.READERS, "rivalries", (lambda: CountingReader()(), "rivalries"))
    sources.read("rivalries")
    counts = sources.read_counts()
    counts["rivalries"] = 5
    assert sources.read_counts() == {"rivalries": 1}


def test_file_id_validation():
    assert sources.file_id("rivalries") == "rivalries"
    assert sources.file_id("polity", "5") == "polity5"
    assert sources.file_id("nmc", "5.0") == "nmc5"
    with pytest.raises(ValueError, match="'rivalries' has no versions"):
        sources.file_id("rivalries", "2012")
    with pytest.raises(ValueError, match="unknown polity version '6'; allowed: IV, 5"):
        sources.file_id("polity", "6")
    with pytest.raises(KeyError, match="unknown dataset 'polyty'; known: atop_alliances"):
        sources.file_id("polyty")
    with pytest.raises(KeyError, match="unknown dataset"):
        sources.read("polyty")


def test_every_file_a_reader_reads_is_registered():
    files = sources.datasets_of_files()
    assert files["polity5"] == ("polity", "5") and files["rivalries"] == ("rivalries", None)
    for fid in files:
        assert len(str(entry(fid)["sha256"])) == 64, fid


VERSIONED = [d for d, (_, ids) in sources.READERS.items() if isinstance(ids, dict)]


@pytest.mark.parametrize("dataset", [
    *VERSIONED])
def test_the_default_version_is_the_file_counted_for_it(dataset):
    reader, ids = sources.READERS[dataset]
    default = inspect.signature(reader).parameters["version"].default
    # read(dataset) calls the reader without a version and counts file_id(dataset)
    assert sources.file_id(dataset) == ids[default]


def test_the_default_version_and_its_name_share_one_parse(monkeypatch, fresh):
    reader = CountingReader()
    monkeypatch.setitem(sources.READERS, "polity", (reader, {"IV": "polity4", "5": "polity5"}))
    sources.read("polity")
    sources.read("polity", "IV")
    assert sources.read_counts() == {"polity4": 1}
