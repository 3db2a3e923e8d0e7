"""The results store: results belong to a parameter set, and readers check what they read."""

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from coupproof.params import Choices
from coupproof.results import (ForeignResultsError, MissingResultsError, ResultsStore, StaleResultsError,
                               TableResults, book_results, check_results, record_results, reruns_dir,
                               store_for)
from coupproof.tables import book_key, fit_code, table_choices


def _record(table=9, spec=None, code=None, options=None):
    spec = spec or table_choices(table)
    tidy = pd.DataFrame({"model": ["1", "1"], "term": ["cb", "const"], "coef": [1.0, -9.0], "se": [0.5, 0.6]})
    stats = pd.DataFrame({"model": ["1"], "stat": ["N"], "value": [100.0]})
    from coupproof.tables import parameter_key, table as registry_table
    return TableResults(table=table, tidy=tidy, stats=stats, key=parameter_key(spec, options),
                        choices=spec.flat(), differences=spec.differences(), options=dict(options or {}),
                        code=fit_code() if code is None else code, chapter=registry_table(table).chapter)


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder of its own: the book's results/ and the cache live under tmp_path."""
    (tmp_path / "_toc.yml").write_text("root: intro\n")
    monkeypatch.setenv("COUPPROOF_PROJECT_DIR", str(tmp_path))
    monkeypatch.setenv("COUPPROOF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COUPPROOF_RESULTS_DIR", raising=False)
    return tmp_path


def test_a_record_round_trips(tmp_path):
    store = ResultsStore(tmp_path)
    rec = _record()
    path = store.write(rec)
    assert path.name == "table09.csv" and store.tables() == [9]
    back = store.read(9)
    pd.testing.assert_frame_equal(back.tidy, rec.tidy)
    pd.testing.assert_frame_equal(back.stats, rec.stats)
    assert (back.key, back.differences, back.code, back.chapter) == (rec.key, rec.differences, rec.code, rec.chapter)
    assert json.loads((tmp_path / "table09.json").read_text())["differences"] == {"polity_max": 5}


def test_the_book_run_writes_results_and_a_rerun_never_touches_them(project):
    record_results(_record(9))
    book = project / "results"
    before = _snapshot(book)
    assert before and "table09.csv" in before
    other = table_choices(9, Choices.from_overrides({"cluster": "directed"}))
    path = record_results(_record(9, spec=other))
    assert _snapshot(book) == before                      # byte-identical
    assert path.parent == project / "cache" / "reruns" / other.key()
    assert store_for(other.key(), book_key(9)).read(9).differences == {"polity_max": 5, "cluster": "directed"}


def test_a_rerun_under_the_rerun_commands_folder_goes_below_it(project, monkeypatch):
    out = project / "reruns" / "12_table09_polity5-abc" / "results"
    monkeypatch.setenv("COUPPROOF_RESULTS_DIR", str(out))
    assert reruns_dir() == out.resolve()
    other = table_choices(9, Choices.from_overrides({"polity_max": 4}))
    assert record_results(_record(9, spec=other)).parent == out.resolve() / other.key()
    assert not (project / "results").exists()


def test_the_book_results_folder_named_explicitly_is_still_protected(project, monkeypatch):
    monkeypatch.setenv("COUPPROOF_RESULTS_DIR", str(project / "results"))
    assert reruns_dir() == (project / "cache" / "reruns").resolve()


def test_the_scorecard_refuses_another_parameter_set(tmp_path):
    store = ResultsStore(tmp_path)
    store.write(_record(9, spec=table_choices(9, Choices.from_overrides({"polity_max": 4}))))
    with pytest.raises(ForeignResultsError, match=r"Table 9: .*another parameter set.*polity_max = 4"):
        book_results([9], store=store)


def test_the_scorecard_refuses_results_of_older_code(tmp_path):
    store = ResultsStore(tmp_path)
    store.write(_record(9, code="0" * 16))
    with pytest.raises(StaleResultsError, match="Table 9: .*other estimation code.*rerun chapter 12_table09_polity5"):
        book_results([9], store=store)
    assert book_results([9], store=store, check_code=False)[9].code == "0" * 16


def test_a_missing_table_is_an_error_that_names_it(tmp_path):
    store = ResultsStore(tmp_path)
    store.write(_record(9))
    with pytest.raises(MissingResultsError, match="Table 1: no results .* run chapter 04_alliance_formation"):
        book_results([9, 1], store=store)


def test_the_scorecard_page_fails_instead_of_printing_stale_counts(tmp_path, monkeypatch):
    from coupproof.report.scorecard import coefficient_scorecard

    monkeypatch.setenv("COUPPROOF_RESULTS_DIR", str(tmp_path))
    ResultsStore(tmp_path).write(_record(9))
    with pytest.raises(MissingResultsError, match="Table 1"):
        coefficient_scorecard()


def test_check_results_accepts_its_own_parameter_set():
    rec = _record(6)
    assert check_results(rec, expected_key=book_key(6), code=fit_code()) is rec


@pytest.mark.data
def test_a_real_rerun_with_other_choices_leaves_the_book_results_byte_identical(raw_data, tmp_path, monkeypatch):
    from coupproof.tables import fit_results

    book = fit_results(9)                     # fitted from the project's panel cache
    rerun = fit_results(9, Choices.from_overrides({"cluster": "directed"}))
    (tmp_path / "_toc.yml").write_text("root: intro\n")   # then recorded into a project of its own
    monkeypatch.setenv("COUPPROOF_PROJECT_DIR", str(tmp_path))
    monkeypatch.setenv("COUPPROOF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COUPPROOF_RESULTS_DIR", raising=False)
    project = tmp_path
    record_results(book)
    before = _snapshot(project / "results")
    path = record_results(rerun)
    assert _snapshot(project / "results") == before
    assert path.is_relative_to(project / "cache" / "reruns")
    assert book_results([9], store=ResultsStore(project / "results"))[9].key == book.key
