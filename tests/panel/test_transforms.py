"""Lags across gaps, windows at their edges, validated merges and lookup joins, rows taken by
position, filters with attrition."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel.transforms import (Attrition, int_keys, lag_within, lookup_join, with_columns,
                                        lookup_positions, merge_validated, take_rows, window_any)


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


# --- lookup_join: the many-to-one left join by index lookup -------------------------------

RIGHT = pd.DataFrame({"ccode": [2, 20, 2], "year": [2000, 2000, 2001],
                      "x": [1.5, 2.5, 3.5], "n": [10, 20, 30], "flag": [True, False, True]})
# rows in an order that is neither sorted nor the right frame's; (365, 2000) has no match
LEFT = pd.DataFrame({"ccode": [2, 365, 20, 2, 2], "year": [2001, 2000, 2000, 2000, 2001],
                     "keep": list("abcde")}, index=[50, 40, 30, 20, 10])


def test_lookup_join_matches_by_key_keeps_left_rows_and_order():
    out = lookup_join(LEFT, RIGHT, ["ccode", "year"], ["ccode", "year"], ["x", "n"])
    assert list(out.index) == [50, 40, 30, 20, 10] and out["keep"].tolist() == list("abcde")
    # (2, 2001) -> 3.5/30 (twice: many-to-one), (365, 2000) -> missing, (20, 2000) -> 2.5/20
    assert out["x"].tolist()[::2] == [3.5, 2.5, 3.5] and np.isnan(out["x"].iloc[1])
    assert out["n"].tolist()[::2] == [30, 20, 30] and np.isnan(out["n"].iloc[1])
    assert out.loc[20, "x"] == 1.5
    # the same as pandas' validated left merge, value for value
    ref = LEFT.merge(RIGHT[["ccode", "year", "x", "n"]], on=["ccode", "year"], how="left",
                     validate="many_to_one")
    np.testing.assert_array_equal(out[["x", "n"]].to_numpy(), ref[["x", "n"]].to_numpy())


def test_lookup_join_rejects_duplicated_right_keys_on_both_paths():
    dup = pd.concat([RIGHT, RIGHT.iloc[[0]]], ignore_index=True)
    with pytest.raises(pd.errors.MergeError, match="not unique"):
        lookup_join(LEFT, dup, ["ccode", "year"], ["ccode", "year"], ["x"])
    as_text = dup.astype({"ccode": str})
    with pytest.raises(pd.errors.MergeError, match="not unique"):
        lookup_join(LEFT.astype({"ccode": str}), as_text, ["ccode", "year"], ["ccode", "year"], ["x"])


def test_integer_and_multiindex_paths_agree():
    # integer keys take the mixed-radix path; the same keys as strings (or with a missing
    # value, or too wide for 62 bits) force the MultiIndex path
    assert int_keys([RIGHT, LEFT], [["ccode", "year"]] * 2) is not None
    text_r, text_l = RIGHT.astype({"ccode": str}), LEFT.astype({"ccode": str})
    assert int_keys([text_r, text_l], [["ccode", "year"]] * 2) is None
    by_int = lookup_join(LEFT, RIGHT, ["ccode", "year"], ["ccode", "year"], ["x", "n"])
    by_text = lookup_join(text_l, text_r, ["ccode", "year"], ["ccode", "year"], ["x", "n"])
    pd.testing.assert_frame_equal(by_int[["x", "n"]], by_text[["x", "n"]])
    wide_r = RIGHT.assign(ccode=RIGHT["ccode"] * 2**54)
    wide_l = LEFT.assign(ccode=LEFT["ccode"] * 2**54)
    assert int_keys([wide_r, wide_l], [["ccode", "year"]] * 2) is None    # span ≥ 2**62
    by_wide = lookup_join(wide_l, wide_r, ["ccode", "year"], ["ccode", "year"], ["x", "n"])
    pd.testing.assert_frame_equal(by_int[["x", "n"]], by_wide[["x", "n"]])


def test_a_missing_key_on_the_left_gives_a_missing_row():
    left = pd.DataFrame({"ccode": pd.array([2, None], dtype="Int64"), "year": [2000, 2000]})
    assert lookup_positions(left, RIGHT, ["ccode", "year"], ["ccode", "year"]).tolist() == [0, -1]


def test_lookup_with_different_key_names():
    left = pd.DataFrame({"ccode1": [20, 2], "yr": [2000, 2001]})
    pos = lookup_positions(left, RIGHT, ["ccode1", "yr"], ["ccode", "year"])
    assert pos.tolist() == [1, 2]


# --- take_rows ----------------------------------------------------------------------------

def test_take_rows_gives_missing_rows_for_minus_one_like_a_left_merge():
    out = take_rows(RIGHT[["x", "n", "flag"]], np.array([2, -1, 0]), pd.Index([7, 8, 9]))
    assert list(out.columns) == ["x", "n", "flag"] and list(out.index) == [7, 8, 9]
    assert out["x"].tolist()[::2] == [3.5, 1.5] and np.isnan(out.loc[8, "x"])
    # an integer column becomes float where a row is missing; a boolean one becomes object
    # with NaN — both as in pandas' left merge
    assert out["n"].dtype == "float64" and out["n"].tolist()[::2] == [30.0, 10.0]
    ref = pd.DataFrame({"k": [2, 99, 0]}).merge(RIGHT[["x", "n", "flag"]].reset_index(),
                                               left_on="k", right_on="index", how="left")
    assert out.dtypes.to_dict() == ref[["x", "n", "flag"]].dtypes.to_dict()
    assert out["flag"].tolist()[::2] == [True, True] and pd.isna(out.loc[8, "flag"])


def test_take_rows_keeps_dtypes_when_every_row_is_found():
    out = take_rows(RIGHT[["x", "n", "flag"]], np.array([1, 1, 0]))
    assert out.dtypes.to_dict() == RIGHT[["x", "n", "flag"]].dtypes.to_dict()
    assert out["n"].tolist() == [20, 20, 10] and list(out.index) == [0, 1, 2]


def test_take_rows_from_an_empty_frame_is_all_missing():
    out = take_rows(RIGHT[["x", "n"]].iloc[:0], np.array([-1, -1]))
    assert len(out) == 2 and out.isna().all().all()


# --- lag_within, more cases -----------------------------------------------------------------

def test_lag_is_looked_up_by_year_whatever_the_row_order():
    df = pd.DataFrame({"ccode": [1, 2, 1, 1], "year": [2002, 2000, 2000, 2001],
                       "x": [12.0, 20.0, 10.0, 11.0]}, index=[3, 2, 1, 0])
    out = lag_within(df, "ccode", ["x"])
    # 2002 -> 11 (its 2001 row, listed last), 2001 -> 10; first years missing; index kept
    assert list(out.index) == [3, 2, 1, 0]
    assert out["x_l"].tolist()[0] == 11.0 and out["x_l"].tolist()[3] == 10.0
    assert out["x_l"].isna().tolist() == [False, True, True, False]
    assert "x_l" not in df.columns      # the input is not modified


def test_lag_suffix_and_years():
    df = pd.DataFrame({"ccode": [1, 1, 1], "year": [2000, 2001, 2002], "x": [1.0, 2.0, 3.0]})
    out = lag_within(df, "ccode", ["x"], years=2, suffix="_l2")
    assert out["x_l2"].isna().tolist() == [True, True, False] and out["x_l2"].iloc[2] == 1.0


# --- Attrition from counts --------------------------------------------------------------------

def test_attrition_record_from_counts():
    att = Attrition()
    att.record("all", rows=10, dropped=0, events=3)
    att.record("filter", rows=7, dropped=3, events=2.0)
    t = att.table()
    assert t.to_dict("list") == {"step": ["all", "filter"], "rows": [10, 7], "dropped": [0, 3],
                                 "events": [3, 2]}
    assert t["events"].dtype == "int64"


def test_attrition_without_an_event_column_has_no_events():
    att = Attrition(event=None)
    att.record("all", rows=4, dropped=0, events=2)
    df = att.apply(pd.DataFrame({"def": [1, 1, 0]}), [True, False, True], "half")
    assert "events" not in att.table().columns and len(df) == 2
    # a mask with missing values keeps only the rows that are True
    att2 = Attrition()
    frame = pd.DataFrame({"def": [1, 0, 1]})
    kept = att2.apply(frame, pd.array([True, None, False], dtype="boolean"), "na mask")
    assert kept.index.tolist() == [0] and att2.table()["events"].tolist() == [1]


def test_with_columns_adds_and_replaces_columns_without_copying():
    frame = pd.DataFrame({"a": np.arange(5.0), "b": [1, 2, 3, 4, 5], "c": list("vwxyz")},
                         index=[10, 11, 12, 13, 14])
    frame.attrs["source"] = "toy"
    new = pd.DataFrame({"b": np.zeros(5), "d": np.ones(5)})   # another index: taken by position
    out = with_columns(frame, new)
    assert list(out.columns) == ["a", "c", "b", "d"] and list(out.index) == list(frame.index)
    assert out["b"].tolist() == [0.0] * 5 and out["c"].tolist() == list("vwxyz")
    assert out.attrs == {"source": "toy"}
    assert np.shares_memory(out["a"].to_numpy(), frame["a"].to_numpy())
    assert np.shares_memory(out["d"].to_numpy(), new["d"].to_numpy())
    assert frame["b"].tolist() == [1, 2, 3, 4, 5]                    # the input is unchanged
    with pytest.raises(ValueError, match="4 rows, the frame 5"):
        with_columns(frame, new.iloc[:4])
