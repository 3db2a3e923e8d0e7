"""The table-chapter helper: fit, record, compare, show and glue one table from the registry."""

import pytest

from coupproof.report.chapter import table_chapter, table_chapters
from coupproof.results import ResultsStore
from coupproof.tables import book_key, table_choices


@pytest.mark.data
def test_a_table_chapter_records_compares_and_numbers_its_table(raw_data, tmp_path, monkeypatch):
    monkeypatch.setenv("COUPPROOF_RESULTS_DIR", str(tmp_path))
    chapter = table_chapter(9, table_choices(9))
    assert chapter.is_book_run and chapter.path == tmp_path / "table09.csv"
    assert ResultsStore(tmp_path).read(9).key == book_key(9)
    numbers = chapter.numbers()
    assert numbers["coefs"] == str(len(chapter.comparison))
    for key in ("int_m2", "int_m2_se", "int_m2_p", "int_m2_paper", "int_m2_verdict", "int_m2_support",
                "N_m2", "N_paper_m2", "N_gap_m2", "sample_gap", "stars_note"):
        assert numbers[key], key
    assert numbers["int_m2_hypothesis"] == "H1b"
    for gt in (chapter.regression_table(), chapter.comparison_table(), chapter.stats_table(), chapter.tests_table()):
        assert "<table" in gt.as_raw_html()
    assert chapter.golden().startswith("Table 9, Model 1: N = ")


@pytest.mark.data
def test_tables_that_share_a_fit_are_fitted_once(raw_data):
    chapters = table_chapters(2, table_choices(2), record=False)
    assert set(chapters) == {2, 12} and chapters[2].path is None
    assert chapters[2].models["1"] is chapters[12].models["1"]
    assert chapters[2].fits["1"] is chapters[2].models["1"].zero
    assert chapters[12].fits["1"] is chapters[12].models["1"].count
