"""Design matrices: products, the constant, aliases, listwise deletion and the row mask."""

import numpy as np
import pandas as pd
import pytest

from coupproof.models.design import build_design, split_term, term_matrix


@pytest.fixture
def frame():
    return pd.DataFrame(
        {
            "def": [0, 1, 0, np.nan, 0, 1],
            "lncb": [0.0, 1.0, 2.0, 1.0, np.nan, 0.5],
            "t_b": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            "prev": pd.array([1, 0, None, 0, 1, 1], dtype="Int64"),
        },
        index=[10, 11, 12, 13, 14, 15],
    )


def test_split_term():
    assert split_term("cb:threatB") == ["cb", "threatB"]
    assert split_term("const") == []
    with pytest.raises(ValueError):
        split_term("cb::x")


def test_products_constant_and_names(frame):
    aliases = {"cb": "lncb", "threatB": "t_b"}
    d = build_design(frame, "def", ["cb", "threatB", "cb:threatB", "const"], aliases=aliases)
    assert d.terms == ["cb", "threatB", "cb:threatB", "const"]
    np.testing.assert_allclose(d.X[:, 2], d.X[:, 0] * d.X[:, 1])
    np.testing.assert_allclose(d.X[:, 3], 1.0)
    # row 13 (def missing) and 14 (lncb missing) go; prev is not used so its NA does not matter
    assert d.index.tolist() == [10, 11, 12, 15]
    assert d.mask.tolist() == [True, True, True, False, False, True]
    assert (d.rows_in, d.nobs, d.rows_dropped) == (6, 4, 2)
    assert d.missing == {"def": 1, "lncb": 1}
    assert d.report() == "6 rows in; 2 dropped for missing values (def: 1, lncb: 1); 4 used"


def test_listwise_deletion_covers_nullable_integer_columns(frame):
    d = build_design(frame, "def", ["prev", "const"])
    assert d.index.tolist() == [10, 11, 14, 15]
    assert d.missing == {"def": 1, "prev": 1}


def test_sample_restriction_and_alignment(frame):
    rows = frame["t_b"] < 0.55
    d = build_design(frame, "def", ["t_b", "const"], rows=rows)
    assert d.rows_in == 5 and d.index.tolist() == [10, 11, 12, 14]
    ids = np.array([1, 2, 3, 4, 5, 6])
    assert d.align(ids).tolist() == [1, 2, 3, 5]  # full-length ids follow the mask
    assert d.align(np.array([9, 9, 9, 9])).tolist() == [9, 9, 9, 9]  # already aligned
    with pytest.raises(ValueError):
        d.align(np.arange(3))


def test_subset_keeps_mask_consistent(frame):
    d = build_design(frame, "def", ["t_b", "const"])
    s = d.subset(np.array([True, False, True, True, False]), note="dropped two")
    assert s.index.tolist() == [10, 12, 14]
    assert s.mask.sum() == s.nobs == 3
    assert frame.index[s.mask].tolist() == s.index.tolist()
    assert (s.rows_dropped, s.rows_missing, s.dropped_later) == (3, 1, 2)
    assert s.report() == "6 rows in; 1 dropped for missing values (def: 1); dropped two; 3 used"


def test_missing_column_and_duplicate_terms_are_errors(frame):
    with pytest.raises(KeyError, match="nope"):
        build_design(frame, "def", ["nope"])
    with pytest.raises(ValueError, match="duplicated"):
        term_matrix(frame, ["t_b", "t_b"])


def test_endog_and_exog_are_labelled_for_statsmodels(frame):
    import statsmodels.api as sm

    d = build_design(frame.assign(x2=[0.3, 0.1, 0.7, 0.2, 0.9, 0.4]), "def", ["lncb", "x2", "const"])
    assert d.endog.name == "def" and list(d.exog.columns) == ["lncb", "x2", "const"]
    assert list(d.exog.index) == list(d.index)
    model = sm.OLS(d.endog, d.exog)
    assert model.exog_names == ["lncb", "x2", "const"] and model.endog_names == "def"


def test_the_design_is_column_major_and_stays_so_when_rows_or_columns_change(frame):
    d = build_design(frame, "def", ["lncb", "t_b", "lncb:t_b", "const"])
    assert d.X.flags.f_contiguous
    assert d.subset(np.arange(d.nobs) % 2 == 0).X.flags.f_contiguous
    assert d.with_columns(np.ones(d.nobs), ["one"]).X.flags.f_contiguous
