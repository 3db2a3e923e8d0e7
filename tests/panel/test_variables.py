"""From panel columns to model terms: each term reads the codebook's column under the timing
choices, and the cluster ids identify directed and undirected dyads."""

import numpy as np
import pandas as pd

from coupproof.codebook import CODEBOOK
from coupproof.panel.variables import CARRIED, analysis_columns, analysis_frame, term_columns
from coupproof.params import TermChoices


def frame():
    """Three dyad-years, every codebook column (and the timing alternatives) distinct."""
    cols = {v.column for v in CODEBOOK} | {v.column_lagged for v in CODEBOOK if v.column_lagged}
    base = pd.DataFrame({"ccode1": [2, 20, 365], "ccode2": [20, 2, 2], "year": [2000, 2000, 2001],
                         "def": np.array([1, 0, 0], dtype="int8"),
                         "concessionsA": [3.0, np.nan, np.nan]}, index=[7, 8, 9])
    for k, c in enumerate(sorted(cols)):
        base[c] = np.arange(3, dtype="int64") + 10 * k      # ints: terms must come out float
    base["new_cw_A"] = [1.0, 0.0, 0.0]
    base["new_cw_l_A"] = [0.0, 1.0, 1.0]
    base["d_milex_A"] = [5.0, -5.0, 0.0]
    base["d_milex_l_A"] = [7.0, 7.0, 7.0]
    return base


def test_default_timing_reads_t_columns():
    out = analysis_columns(frame())
    assert out["new_cw"].tolist() == [1.0, 0.0, 0.0]
    assert out["d_milexA"].tolist() == [5.0, -5.0, 0.0]
    assert out["cb"].dtype == "float64"
    np.testing.assert_array_equal(out["threatB"], frame()["threat_l_B"].to_numpy())


def test_lagged_timing_reads_the_t_minus_1_columns():
    out = analysis_columns(frame(), TermChoices(new_cw_timing="t-1", delta_timing="t-1"))
    assert out["new_cw"].tolist() == [0.0, 1.0, 1.0]
    assert out["d_milexA"].tolist() == [7.0, 7.0, 7.0]
    np.testing.assert_array_equal(out["d_milperA"], frame()["d_milper_l_A"].to_numpy())
    # one timing does not move the other
    only = analysis_columns(frame(), TermChoices(new_cw_timing="t-1"))
    assert only["new_cw"].tolist() == [0.0, 1.0, 1.0] and only["d_milexA"].tolist() == [5.0, -5.0, 0.0]
    assert term_columns(TermChoices(delta_timing="t-1"))["d_milexA"] == "d_milex_l_A"


def test_cluster_ids_directed_and_undirected():
    out = analysis_columns(frame())
    # (2, 20), (20, 2), (365, 2): directed A·1000 + B; undirected min·1000 + max
    assert out["dyad_directed"].tolist() == [2020, 20002, 365002]
    assert out["dyad_undirected"].tolist() == [2020, 2020, 2365]


def test_absent_terms_are_skipped_and_carried_columns_kept():
    small = frame()[["ccode1", "ccode2", "year", "def", "lncb_l_A", "threat_l_A"]]
    out = analysis_frame(small)
    assert list(out.columns) == ["cb", "threatA", "ccode1", "ccode2", "year", "def",
                                 "dyad_directed", "dyad_undirected"]
    assert list(out.index) == [7, 8, 9]
    assert out["def"].dtype == "int8"          # carried as it is
    assert set(CARRIED) == {"ccode1", "ccode2", "year", "def", "concessionsA", "concessionsB"}


def test_analysis_frame_has_one_column_per_codebook_term():
    out = analysis_frame(frame())
    assert {v.term for v in CODEBOOK} <= set(out.columns)
    assert out["concessionsA"].iloc[0] == 3.0
