"""The one codebook: unique terms, columns and labels; the paper's Table 3 names; control
sets; and agreement with the panel and the tables that read it."""

import pandas as pd
import pytest

from coupproof import codebook as cb
from coupproof.codebook import (CODEBOOK, CONTROL_SETS, OUTCOMES, column, control_columns, label,
                                labels, table3_columns, variable)
from coupproof.config import published_dir
from coupproof.panel.build import DYAD_COLUMNS
from coupproof.panel.dyads import STATE_COLUMNS_A, STATE_COLUMNS_B
from coupproof.params import EstimationChoices, TermChoices, allowed

#: Every column the dyad-year panel can have.
PANEL_COLUMNS = {"ccode1", "ccode2", "year", *DYAD_COLUMNS, *(c + "_A" for c in STATE_COLUMNS_A),
                 *(c + "_B" for c in STATE_COLUMNS_B)}


def test_terms_and_columns_are_unique():
    terms = [v.term for v in (*CODEBOOK, *OUTCOMES)]
    assert len(terms) == len(set(terms))
    columns = [v.column for v in CODEBOOK]
    assert len(columns) == len(set(columns))
    lagged = [v.column_lagged for v in CODEBOOK if v.column_lagged]
    assert not set(lagged) & set(columns)


def test_labels_are_unique_except_the_raw_count_of_table_7():
    # Table 7 prints the raw counterweight count under the log's label, by design
    by_label: dict[str, list[str]] = {}
    for term, lab in labels().items():
        by_label.setdefault(lab, []).append(term)
    shared = {lab: terms for lab, terms in by_label.items() if len(terms) > 1}
    assert shared == {"Counterbalancing, A": ["cb", "cb_count"]}


def test_every_codebook_column_is_a_panel_column():
    for v in CODEBOOK:
        assert v.column in PANEL_COLUMNS, v.term
        if v.column_lagged:
            assert v.column_lagged in PANEL_COLUMNS, v.term
            assert v.timing in TermChoices.names(), v.term
    for v in OUTCOMES:
        assert v.column in PANEL_COLUMNS, v.term


def test_table3_names_map_to_panel_columns_and_cover_the_published_table():
    t3 = table3_columns()
    assert list(t3) == sorted(t3)
    assert t3["lncbcount1_l"] == "lncb_l_A" and t3["threat2_l"] == "threat_l_B"
    assert t3["prev_def"] == "shared_def_l" and t3["concessions2"] == "concessionsB"
    assert set(t3.values()) <= PANEL_COLUMNS
    published = pd.read_csv(published_dir() / "published_summary_statistics.csv")
    assert set(t3) == set(published["variable"])


def test_control_sets_are_the_estimation_options_and_codebook_terms():
    assert set(CONTROL_SETS) == set(allowed(EstimationChoices, "controls"))
    terms = {v.term for v in CODEBOOK}
    for name, controls in CONTROL_SETS.items():
        assert set(controls) <= terms, name
        assert set(controls) <= set(CONTROL_SETS["paper"]), name
    assert set(CONTROL_SETS["paper"]) - set(CONTROL_SETS["no_military"]) == {"militaryA"}
    assert set(CONTROL_SETS["paper"]) - set(CONTROL_SETS["no_regime_diff"]) == {"regime_diff"}
    assert control_columns("paper") == ["shared_def_l", "reg_diff_l", "recent_coup_A",
                                        "new_regime_A", "military_l_A"]
    assert control_columns("none") == []


def test_labels_of_terms_and_products():
    assert label("cb:threatB") == "Counterbalancing, A × External threat, B"
    assert label("new_cw:threatA:threatB") == ("New counterweights, A × External threat, A × "
                                               "External threat, B")
    assert label("const") == "Constant" and label("imr") == "Inverse Mills ratio"
    assert label("cb:unknown") == "Counterbalancing, A × unknown"   # unknown parts as they are


def test_columns_follow_the_timing_choices():
    assert column("new_cw") == "new_cw_A"
    assert column("new_cw", TermChoices(new_cw_timing="t-1")) == "new_cw_l_A"
    assert column("d_milperA", TermChoices(delta_timing="t-1")) == "d_milper_l_A"
    assert column("cb", TermChoices(new_cw_timing="t-1", delta_timing="t-1")) == "lncb_l_A"
    with pytest.raises(KeyError, match="unknown term 'cbb'"):
        variable("cbb")


def test_the_tables_print_the_codebook_labels():
    from coupproof.report.tables import TERM_LABELS

    assert TERM_LABELS == labels(), "report.tables.TERM_LABELS and the codebook disagree"
    assert cb.EXTRA_LABELS == {"imr": "Inverse Mills ratio", "const": "Constant"}
