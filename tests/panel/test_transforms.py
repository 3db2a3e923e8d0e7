"""Lags across gaps, windows at their edges, validated merges, filters with attrition."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel.transforms import Attrition, lag_within, merge_validated, window_any


def test_lag_is_missing_across_a_gap_and_in_the_first_year():
    df = pd.DataFrame({"ccode": [1, 1, 1, 2, 2], "year": [2000, 2001, 2003, 2000, 2001],
                       "x": [10.0, 11.0, 13.0, 20.0, 21.0]})
    out = lag_within(df, "ccode", ["x"])
    assert out["x_l"].tolist()[:3] == [pytest.approx(np.nan, nan_ok=True), 10.0,
                                       pytest.approx(np.nan, nan_ok=True)]
    assert out["x_l"].isna().tolist() == [True, False, True, True, False]
    assert out.loc[4, "x_l"] == 20.0  # never borrows another unit's value


def test_lag_within_dyads_and_two_year_lag():
    df = pd.DataFrame({"a": [1, 1, 1, 2], "b": [2, 2, 2, 1], "year": [1, 2, 3, 3], "x": [1, 2, 3, 9]})
    out = lag_within(df, ["a", "b"], ["x"], years=2)
    assert out["x_l"].isna().tolist() == [True, True, False, True]
    assert out.loc[2, "x_l"] == 1


def test_lag_rejects_duplicated_keys():
    df = pd.DataFrame({"ccode": [1, 1], "year": [2000, 2000], "x": [1, 2]})
    with pytest.raises(ValueError, match="not unique"):
        lag_within(df, "ccode", ["x"])


def test_window_edges_are_inclusive():
    units = pd.DataFrame({"ccode": [1] * 8, "year": range(1995, 2003)})
    events = pd.DataFrame({"ccode": [1], "year": [1998]})
    flag = window_any(units, events, (-4, 0))
    # years 1998..2002 see the 1998 event within t-4..t; 1995-1997 do not
    assert dict(zip(units["year"], flag)) == {1995: 0, 1996: 0, 1997: 0, 1998: 1, 1999: 1,
                                               2000: 1, 2001: 1, 2002: 1}
    lagged = window_any(units, events, (-5, -1))
    assert dict(zip(units["year"], lagged))[1998] == 0
    assert dict(zip(units["year"], lagged))[1999] == 1
    assert dict(zip(units["year"], lagged))[2002] == 1


def test_window_ignores_other_units():
    units = pd.DataFrame({"ccode": [1, 2], "year": [2000, 2000]})
    events = pd.DataFrame({"ccode": [2], "year": [2000]})
    assert window_any(units, events, (-4, 0)).tolist() == [0, 1]


def test_merge_raises_on_duplicated_key_instead_of_multiplying_rows():
    left = pd.DataFrame({"ccode": [1, 2], "year": [2000, 2000]})
    right = pd.DataFrame({"ccode": [1, 1], "year": [2000, 2000], "x": [1, 2]})
    with pytest.raises(pd.errors.MergeError):
        merge_validated(left, right, on=["ccode", "year"], how="left", validate="many_to_one")


def test_attrition_records_rows_and_events():
    df = pd.DataFrame({"def": [1, 0, 0, 1], "x": [1, np.nan, 3, 4]})
    att = Attrition()
    df = att.start(df, "all")
    out = att.apply(df, df["x"].notna(), "x present")
    t = att.table()
    assert t["rows"].tolist() == [4, 3] and t["dropped"].tolist() == [0, 1]
    assert t["events"].tolist() == [2, 2] and len(out) == 3
