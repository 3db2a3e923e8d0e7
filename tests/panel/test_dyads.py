"""The dyad-year verbs on five-row frames: construction, DV, shared pacts, merges, regime difference."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel import alliances as al
from coupproof.panel.dyads import (add_alliance_ties, add_dyadic_measures, add_new_pacts,
                                   add_state_attributes, directed_dyad_years)


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
