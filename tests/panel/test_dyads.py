"""The dyad-year verbs on five-row frames: construction, DV and its pact ids, shared pacts,
merges by position and by key, regime difference."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel import alliances as al
from coupproof.panel.dyads import (add_alliance_ties, add_dyadic_measures, add_new_pacts,
                                   add_state_attributes, add_state_rows, directed_dyad_years,
                                   dyad_year_keys, pact_ids, regime_difference)


def system():
    # state 3 enters in 2001
    return pd.DataFrame({"ccode": [1, 2, 1, 2, 3], "year": [2000, 2000, 2001, 2001, 2001]})


def test_directed_dyads_are_all_ordered_pairs_of_members():
    d = directed_dyad_years(system(), 2000, 2001)
    assert len(d) == 2 + 6
    assert not d.duplicated().any()
    assert ((d["ccode1"] != d["ccode2"])).all()
    assert set(map(tuple, d.loc[d.year == 2000, ["ccode1", "ccode2"]].to_numpy())) == {(1, 2), (2, 1)}


def test_new_pact_is_coded_in_both_directions_only_in_its_year():
    d = directed_dyad_years(system(), 2000, 2001)
    pacts = pd.DataFrame({"atopid": [9], "ccode1": [1], "ccode2": [3], "year": [2001]})
    out = add_new_pacts(d, pacts)
    hits = out[out["def"] == 1]
    assert set(map(tuple, hits[["ccode1", "ccode2", "year"]].to_numpy())) == {(1, 3, 2001), (3, 1, 2001)}
    assert (hits["def_atopid"] == 9).all() and out["def"].sum() == 2


def test_two_pacts_same_pair_same_year_are_one_event():
    d = directed_dyad_years(system(), 2000, 2001)
    pacts = pd.DataFrame({"atopid": [9, 7], "ccode1": [1, 1], "ccode2": [2, 2], "year": [2000, 2000]})
    out = add_new_pacts(d, pacts)
    assert out["def"].sum() == 2 and set(out.loc[out["def"] == 1, "def_atopid"]) == {7}


def test_shared_defense_is_lagged_within_the_dyad():
    d = directed_dyad_years(system(), 2000, 2001)
    ties = pd.DataFrame({"ccode1": [1, 2], "ccode2": [2, 1], "year": [2000, 2000], "defense_any": [1, 1]})
    out = add_alliance_ties(d, ties).set_index(["ccode1", "ccode2", "year"])
    assert out.loc[(1, 2, 2001), "shared_def_l"] == 1
    assert out.loc[(1, 2, 2000), "shared_def_l"] != out.loc[(1, 2, 2000), "shared_def_l"]  # NaN
    assert np.isnan(out.loc[(1, 3, 2001), "shared_def_l"])  # dyad did not exist in 2000


def test_state_attributes_merge_for_both_sides_and_reject_duplicates():
    from coupproof.panel.dyads import STATE_COLUMNS_A, STATE_COLUMNS_B
    d = directed_dyad_years(system(), 2001, 2001)
    cols = sorted(set(STATE_COLUMNS_A) | set(STATE_COLUMNS_B))
    states = system().assign(**{c: 0.0 for c in cols})
    states.loc[states["ccode"] == 3, "polity2_l"] = 7.0
    out = add_state_attributes(d, states)
    assert len(out) == len(d)
    assert (out.loc[out["ccode2"] == 3, "polity2_l_B"] == 7).all()
    assert (out.loc[out["ccode1"] == 3, "polity2_l_A"] == 7).all()
    with pytest.raises(pd.errors.MergeError):
        add_state_attributes(d, pd.concat([states, states.tail(1)]))


def test_regime_difference_and_interregnum_rules():
    d = pd.DataFrame({"polity2_l_A": [-7.0, -7.0, 8.0], "polity2_l_B": [0.0, 9.0, 9.0],
                      "polity_l_A": [-7.0, -77.0, 8.0], "polity_l_B": [-77.0, 9.0, 9.0],
                      "democracy_l_A": [0.0, 0.0, 1.0], "democracy_l_B": [0.0, 1.0, 1.0]})
    assert add_dyadic_measures(d, "polity2")["reg_diff_l"].tolist() == [7, 16, 1]
    assert add_dyadic_measures(d, "B_missing")["reg_diff_l"].isna().tolist() == [True, False, False]
    assert add_dyadic_measures(d, "both_missing")["reg_diff_l"].isna().tolist() == [True, True, False]
    assert add_dyadic_measures(d)["joint_dem_l"].tolist() == [0, 0, 1]
    with pytest.raises(ValueError, match="allowed"):
        add_dyadic_measures(d, "zero")


def members_frame():
    # alliance 1: bilateral defense pact 1-2 (2000-2002); alliance 2: 3 members, consultation
    return pd.DataFrame({
        "atopid": [1, 1, 2, 2, 2], "member": [1, 2, 1, 2, 3], "phase": [1, 1, 1, 1, 1],
        "yrent": [2000, 2000, 2001, 2001, 2001], "yrexit": [2002, pd.NA, 2001, 2001, 2001],
        "defense": [1, 0, 0, 0, 0], "offense": 0, "neutral": 0, "nonagg": 0, "consul": [0, 0, 1, 1, 1],
        "notaiden": [1, pd.NA, pd.NA, pd.NA, pd.NA], "dipaid": pd.NA, "terrres": pd.NA,
        "seppeace": pd.NA, "thirdcom": pd.NA, "noothall": pd.NA,
    }).astype({"yrexit": "Int64"})


def test_alliance_dyad_years_from_members():
    out = al.alliance_dyad_years(members_frame(), last=2003)
    o = out.set_index(["ccode1", "ccode2", "year"])
    assert o.loc[(1, 2, 2000), "defense"] == 1 and o.loc[(2, 1, 2000), "defense"] == 0
    assert o.loc[(1, 3, 2001), "consul"] == 1 and (1, 3, 2002) not in o.index
    assert (2, 1, 2003) not in o.index  # member 1 left in 2002
    ties = al.symmetric_ties(out).set_index(["ccode1", "ccode2", "year"])
    assert ties.loc[(2, 1, 2000), "defense_any"] == 1 and ties.loc[(2, 1, 2000), "tie_level"] == 3
    assert ties.loc[(2, 3, 2001), "allied"] == 1 and ties.loc[(2, 3, 2001), "tie_level"] == 1


def test_new_defense_pacts_rules():
    alliances = pd.DataFrame({"atopid": [1, 2], "begyr": [2000, 2001], "defense": [1, 1]})
    m = members_frame()
    out = al.new_defense_pacts(alliances, m, rule="all")
    assert out[["atopid", "ccode1", "ccode2", "year"]].values.tolist() == [[1, 1, 2, 2000]]
    assert al.new_defense_pacts(alliances, m, rule="all", obligation="both").empty
    m2 = m.assign(notaiden=pd.NA)
    assert al.new_defense_pacts(alliances, m2, rule="concessions_coded").empty
    with pytest.raises(ValueError, match="allowed"):
        al.new_defense_pacts(alliances, m, rule="any")


# --- pact_ids -----------------------------------------------------------------------------


def pacts(rows):
    return pd.DataFrame(rows, columns=["atopid", "ccode1", "ccode2", "year"])


def ids_by_dyad(d, ids):
    return {(a, b, y): i for a, b, y, i in zip(d["ccode1"], d["ccode2"], d["year"], ids)
            if not np.isnan(i)}


def test_pact_ids_in_both_directions_and_the_first_atopid():
    d = directed_dyad_years(system(), 2000, 2001)
    # pact 5 is listed as (2, 1); pacts 9 and 4 are two pacts of 1 and 3 in 2001
    ids = pact_ids(d, pacts([(5, 2, 1, 2000), (9, 1, 3, 2001), (4, 1, 3, 2001)]))
    # both directions name pact 5 in 2000, and pact 4 (the first atopid) in 2001
    assert ids_by_dyad(d, ids) == {(1, 2, 2000): 5, (2, 1, 2000): 5,
                                   (1, 3, 2001): 4, (3, 1, 2001): 4}


def test_pact_ids_first_atopid_whatever_order_the_pair_is_listed_in():
    d = directed_dyad_years(system(), 2000, 2001)
    ids = pact_ids(d, pacts([(9, 1, 3, 2001), (4, 3, 1, 2001)]))
    # one event, pact 4 (the first atopid), in both directions
    assert ids_by_dyad(d, ids) == {(1, 3, 2001): 4, (3, 1, 2001): 4}


def test_pact_ids_ignore_members_that_are_not_states_and_years_outside():
    d = directed_dyad_years(system(), 2000, 2001)
    ids = pact_ids(d, pacts([(1, 1, 8152, 2000), (2, 12345, 1, 2000), (3, 1, 2, 1999),
                             (4, 2, 3, 2001)]))
    # 8152 and 12345 are ATOP non-state members (no dyad; 12345 would not even fit a key);
    # 1999 is outside the dyad-years; only pact 4 lands, in both directions
    assert ids_by_dyad(d, ids) == {(2, 3, 2001): 4, (3, 2, 2001): 4}
    assert np.isnan(pact_ids(d, pacts([]))).all()


def test_pact_ids_do_not_depend_on_the_dyads_row_order():
    d = directed_dyad_years(system(), 2000, 2001)
    p = pacts([(5, 1, 2, 2000), (4, 2, 3, 2001)])
    shuffled = d.sample(frac=1, random_state=3)
    assert not shuffled.index.is_monotonic_increasing
    assert ids_by_dyad(shuffled, pact_ids(shuffled, p)) == ids_by_dyad(d, pact_ids(d, p))


def test_dyad_year_keys_are_year_major_and_reject_wide_codes():
    keys = dyad_year_keys(pd.DataFrame({"ccode1": [2, 990], "ccode2": [20, 2], "year": [1999, 2000]}))
    assert keys.tolist() == [1999_0002_0020, 2000_0990_0002]
    with pytest.raises(ValueError, match="0..9999"):
        dyad_year_keys(pd.DataFrame({"ccode1": [10_000], "ccode2": [2], "year": [2000]}))


# --- regime difference ----------------------------------------------------------------------

def test_regime_difference_on_arrays():
    col = {"polity2_l_A": np.array([-7.0, 0.0, 5.0, np.nan]),
           "polity2_l_B": np.array([3.0, 0.0, -5.0, 1.0]),
           "polity_l_A": np.array([-7.0, -77.0, 5.0, -66.0]),
           "polity_l_B": np.array([3.0, -77.0, -5.0, 1.0])}
    # |−7 − 3| = 10; two interregna (both 0) = 0 under "polity2"; |5 − (−5)| = 10; A missing
    np.testing.assert_array_equal(regime_difference(col, "polity2"), [10, 0, 10, np.nan])
    np.testing.assert_array_equal(regime_difference(col, "B_missing"), [10, np.nan, 10, np.nan])
    np.testing.assert_array_equal(regime_difference(col, "both_missing"), [10, np.nan, 10, np.nan])
    col["polity_l_B"][1] = 0.0          # only A in interregnum
    np.testing.assert_array_equal(regime_difference(col, "B_missing"), [10, 0, 10, np.nan])
    np.testing.assert_array_equal(regime_difference(col, "both_missing"), [10, np.nan, 10, np.nan])
    with pytest.raises(ValueError, match="allowed"):
        regime_difference(col, "A_missing")


def test_dyadic_measures_need_their_inputs():
    with pytest.raises(KeyError, match="add_state_attributes"):
        add_dyadic_measures(pd.DataFrame({"polity2_l_A": [1.0]}))


# --- add_state_attributes: by position and by key give the same frame -----------------------

def state_table():
    s = system().copy()
    s = pd.concat([s, pd.DataFrame({"ccode": [3], "year": [2000]})], ignore_index=True)
    s = s.sort_values(["ccode", "year"]).reset_index(drop=True)   # canonical order
    s["polity2_l"] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    s["threat_l"] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    return s


def test_positional_and_key_paths_give_the_same_frame():
    # the state table has an extra row (3, 2000) that no dyad uses, and lacks (2, 2001), so
    # that B = 2 in 2001 has no match
    states = state_table()
    states = states[~((states["ccode"] == 2) & (states["year"] == 2001))].reset_index(drop=True)
    index = states[["ccode", "year"]]
    d = add_state_rows(directed_dyad_years(system(), 2000, 2001), index)
    by_position = add_state_attributes(d, states, ["polity2_l", "threat_l"], ["threat_l"], index=index)
    by_key = add_state_attributes(d, states, ["polity2_l", "threat_l"], ["threat_l"])
    pd.testing.assert_frame_equal(by_position, by_key)
    o = by_key.set_index(["ccode1", "ccode2", "year"])
    # (1, 2001) is row 1 of the states: polity2_l 2; B = 2 in 2001 has no state row -> missing
    assert o.loc[(1, 2, 2001), "polity2_l_A"] == 2.0 and np.isnan(o.loc[(1, 2, 2001), "threat_l_B"])
    assert list(by_key.columns[-3:]) == ["polity2_l_A", "threat_l_A", "threat_l_B"]


def test_rows_of_another_index_fall_back_to_the_key_path():
    states = state_table()
    index = states[["ccode", "year"]]
    d = add_state_rows(directed_dyad_years(system(), 2000, 2001), index)
    shuffled = states.sample(frac=1, random_state=1).reset_index(drop=True)
    # a_row/b_row point into `index`, not into the shuffled table: positions would be wrong,
    # so the verb must look the rows up by key
    out = add_state_attributes(d, shuffled, ["polity2_l"], [], index=index)
    ref = add_state_attributes(d, states, ["polity2_l"], [])
    pd.testing.assert_frame_equal(out, ref)
