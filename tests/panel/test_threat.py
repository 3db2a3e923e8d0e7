"""External threat: S scores, PRIE membership and the threat sum on toy systems worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coupproof.panel import threat as T

OBL = ["defense", "offense", "neutral", "nonagg", "consul"]


def dyads(rows):
    """Directed alliance dyad-years: (ccode1, ccode2, year, *obligation names)."""
    out = []
    for c1, c2, year, *obls in rows:
        out.append({"ccode1": c1, "ccode2": c2, "year": year, **{o: int(o in obls) for o in OBL}})
    return pd.DataFrame(out, columns=["ccode1", "ccode2", "year", *OBL])


def system(codes, years):
    return T.system_index(pd.DataFrame([(c, y) for y in years for c in codes],
                                       columns=["ccode", "year"]))


# Four states A=2, B=20, C=200, D=365 in 2000.  Ties (either direction, max taken):
#   A–B defense (A→B only: one direction is enough)           -> 3
#   A–C neutrality (A→C) and consultation (C→A)               -> max(2, 1) = 2
#   B–D consultation                                          -> 1
#   C–D non-aggression                                        -> 2
# plus a tie to a state outside the system (8152), which must be ignored.
TOY = dyads([
    (2, 20, 2000, "defense"),
    (2, 200, 2000, "neutral"), (200, 2, 2000, "consul"),
    (20, 365, 2000, "consul"), (365, 20, 2000, "consul"),
    (200, 365, 2000, "nonagg"), (365, 200, 2000, "nonagg"),
    (2, 8152, 2000, "defense"),
])
TOY_SYSTEM = system([2, 20, 200, 365], [2000])
# Portfolios (columns A, B, C, D; own entry = 3):
#   A = [3, 3, 2, 0]   B = [3, 3, 0, 1]   C = [2, 0, 3, 2]   D = [0, 1, 2, 3]
PORTFOLIOS = np.array([[3, 3, 2, 0], [3, 3, 0, 1], [2, 0, 3, 2], [0, 1, 2, 3]])


def toy_s(**kw):
    return T.s_scores(T.valued_portfolios(TOY, TOY_SYSTEM), **kw)[2000]


# ------------------------------------------------------------------------------ portfolios

def test_portfolios_take_max_over_directions_and_top_value_on_diagonal():
    p = T.valued_portfolios(TOY, TOY_SYSTEM)
    np.testing.assert_array_equal(p[2000], PORTFOLIOS)


def test_scale_values_follow_the_strongest_obligation():
    d = dyads([(1, 2, 2000, "consul", "defense"), (1, 2, 2001, "nonagg"),
               (1, 2, 2002, "consul"), (1, 2, 2003, "offense"), (1, 2, 2004)])
    assert T.SCALES["atop_3210"].values(d).tolist() == [3, 2, 1, 3, 0]
    assert T.SCALES["atop_defense"].values(d).tolist() == [1, 0, 0, 0, 0]


def test_unknown_scale_is_rejected():
    with pytest.raises(ValueError, match="atop_3210"):
        T.valued_portfolios(TOY, TOY_SYSTEM, scale="cow_valued")


# ------------------------------------------------------------------------------ S scores

def test_identical_portfolios_give_one():
    # three states all allied by defense pacts: every portfolio is [3, 3, 3]
    d = dyads([(2, 20, 2000, "defense"), (2, 200, 2000, "defense"), (20, 200, 2000, "defense")])
    s = T.s_scores(T.valued_portfolios(d, system([2, 20, 200], [2000])))[2000]
    np.testing.assert_allclose(s, np.ones((3, 3)))


def test_opposite_portfolios_give_minus_one():
    # two unallied states: A = [3, 0], B = [0, 3]; Σ|Δ| = 6 = K·Δ, so S = 1 − 2·6/6 = −1
    s = T.s_scores(T.valued_portfolios(dyads([]), system([2, 20], [2000])))[2000]
    assert s[0, 1] == pytest.approx(-1.0)
    assert s[1, 0] == pytest.approx(-1.0)


def test_s_worked_by_hand():
    s = toy_s()
    # A vs B: |3−3| + |3−3| + |2−0| + |0−1| = 3;  S = 1 − 2·3/(4·3) = 0.5
    assert s[0, 1] == pytest.approx(0.5)
    # A vs C: 1 + 3 + 1 + 2 = 7;  S = 1 − 14/12 = −1/6
    assert s[0, 2] == pytest.approx(-1 / 6)
    # A vs D: 3 + 2 + 0 + 3 = 8;  S = 1 − 16/12 = −1/3
    assert s[0, 3] == pytest.approx(-1 / 3)
    # C vs D: 2 + 1 + 1 + 1 = 5;  S = 1 − 10/12 = 1/6
    assert s[2, 3] == pytest.approx(1 / 6)
    np.testing.assert_allclose(s, s.T)
    np.testing.assert_allclose(np.diag(s), 1.0)


def test_weighted_s_worked_by_hand():
    w = pd.DataFrame({"ccode": [2, 20, 200, 365], "year": 2000, "cinc": [0.4, 0.3, 0.2, 0.1]})
    s = toy_s(weighted=True, weights=T.state_values(w, "cinc", TOY_SYSTEM))
    # A vs B differ by 2 on C (w 0.2) and 1 on D (w 0.1): Σ w|Δ| = 0.5, Σ w = 1
    # S_w = 1 − 2·0.5/(1·3) = 2/3
    assert s[0, 1] == pytest.approx(2 / 3)
    # A vs C: 0.4·1 + 0.3·3 + 0.2·1 + 0.1·2 = 1.7;  S_w = 1 − 3.4/3 = −2/15
    assert s[0, 2] == pytest.approx(-2 / 15)


def test_weighted_s_needs_weights():
    with pytest.raises(ValueError, match="weights"):
        toy_s(weighted=True)


def test_squared_s_worked_by_hand():
    s = toy_s(distance="squared")
    # A vs B: 0 + 0 + 2² + 1² = 5;  S = 1 − 2·5/(4·3²) = 1 − 10/36 = 13/18
    assert s[0, 1] == pytest.approx(13 / 18)
    # A vs C: 1 + 9 + 1 + 4 = 15;  S = 1 − 30/36 = 1/6
    assert s[0, 2] == pytest.approx(1 / 6)


def test_unknown_distance_is_rejected():
    with pytest.raises(ValueError, match="absolute"):
        toy_s(distance="euclidean")


def test_s_long_frame_and_lookup_agree():
    s = T.s_scores(T.valued_portfolios(TOY, TOY_SYSTEM))
    long = s.to_long()
    assert len(long) == 6 and (long["ccode1"] < long["ccode2"]).all()
    row = long[(long["ccode1"] == 2) & (long["ccode2"] == 200)]
    assert row["s"].item() == pytest.approx(-1 / 6)
    assert s.pair_values([200, 2, 2], [2, 365, 999], 2000).tolist()[:2] == pytest.approx(
        [-1 / 6, -1 / 3])
    assert np.isnan(s.pair_values(2, 999, 2000))


# ------------------------------------------------------------------------------ PRIE

PRIE_SYSTEM = system([2, 20, 200, 365, 666], [1999, 2000, 2001])
CONTDIR = pd.DataFrame(
    [(2, 20, 1, 1999, 2000),      # land, ends in 2000
     (200, 365, 4, 2000, 2001),   # 150 miles of water, begins in 2000
     (2, 666, 5, 1999, 2001)],    # 400 miles of water
    columns=["state1", "state2", "conttype", "begin_year", "end_year"])
CONTCOL = pd.DataFrame(
    [(20, 666, 0, 0, 1, 1999, 2001),     # through a colonial holding, by land
     (200, 666, 5, 0, 5, 1999, 2001)],   # through a colonial holding, 400 miles of water
    columns=["state1", "state2", "dependl", "dependh", "conttype", "begin_year", "end_year"])
MAJORS = pd.DataFrame({"ccode": [365], "styear": [2000], "endyear": [2001]})


def prie_of(ccode, year, **kw):
    prie = T.politically_relevant(PRIE_SYSTEM, CONTDIR, CONTCOL, MAJORS, **kw)
    codes = PRIE_SYSTEM.codes(year)
    return set(codes[prie[year][PRIE_SYSTEM.locate(ccode, year)]].tolist())


def test_spell_edges_are_inclusive():
    assert 20 in prie_of(2, 2000)        # last year of the land spell
    assert 20 not in prie_of(2, 2001)    # the year after it ends
    assert 365 not in prie_of(200, 1999)  # the year before the water spell (365 not yet major)
    assert 365 in prie_of(200, 2000)     # its first year


def test_conttype_cut_off():
    assert 666 in prie_of(2, 1999, max_conttype=5)
    assert 666 not in prie_of(2, 1999, max_conttype=4)
    assert 20 in prie_of(2, 1999, max_conttype=1)


def test_colonial_contiguity_is_a_parameter():
    assert 666 in prie_of(20, 1999)
    assert 666 not in prie_of(20, 1999, colonial=False)


def test_conttype_cut_off_applies_to_colonial_contiguity_too():
    assert 666 in prie_of(200, 1999)
    assert 666 not in prie_of(200, 1999, max_conttype=4)
    assert 666 in prie_of(20, 1999, max_conttype=1)


def test_major_power_is_in_every_prie_from_its_first_year():
    assert 365 not in prie_of(20, 1999)
    for state in (2, 20, 200, 666):
        assert 365 in prie_of(state, 2000)


def test_major_power_global_rule():
    # 365 is a major power from 2000: with the global rule every state is in its PRIE
    assert prie_of(365, 2000) == {2, 20, 200, 666}
    # without it, only its neighbours (200) and other major powers (none) are
    assert prie_of(365, 2000, major_power_global=False) == {200}


def test_prie_never_contains_the_state_itself():
    prie = T.politically_relevant(PRIE_SYSTEM, CONTDIR, CONTCOL, MAJORS)
    for year in (1999, 2000, 2001):
        assert not np.diag(prie[year]).any()


def test_mean_s_over_relevant_pairs_by_hand():
    # 3 states in one year; only pairs (0, 1) and (1, 2) are relevant, one direction each
    idx = system([1, 2, 3], [2000])
    s = T.YearArrays(idx, (np.array([[1.0, 0.2, 0.9], [0.2, 1.0, 0.5], [0.9, 0.5, 1.0]]),), "s")
    prie = T.YearArrays(idx, (np.array([[0, 1, 0], [0, 0, 0], [0, 1, 0]], dtype=bool),), "prie")
    assert T.mean_s(s, prie) == pytest.approx((0.2 + 0.5) / 2)


# ------------------------------------------------------------------------------ threat sum

def test_threat_sums_cinc_of_unallied_prie_members_below_the_cut_off():
    # state 2's PRIE: 20 (allied, S 0.1), 200 (S 0.2 < 0.5), 365 (S 0.8), 666 (S = 0.5 exactly);
    # 700 is outside the PRIE despite S 0.0.  Threat(2) = CINC(200) = 0.25.
    idx = system([2, 20, 200, 365, 666, 700], [2000])
    s = np.full((6, 6), 0.9)
    s[0, 1:] = s[1:, 0] = [0.1, 0.2, 0.8, 0.5, 0.0]
    prie = np.zeros((6, 6), dtype=bool)
    prie[0, 1:5] = True
    allied = np.zeros((6, 6), dtype=bool)
    allied[0, 1] = allied[1, 0] = True
    cinc = np.array([0.05, 0.3, 0.25, 0.15, 0.1, 0.15])
    out = T.external_threat(T.YearArrays(idx, (s,), "s"), T.YearArrays(idx, (prie,), "prie"),
                            T.YearArrays(idx, (allied,), "allied"),
                            T.YearArrays(idx, (cinc,), "cinc"), s_bar=0.5)
    row = out.set_index("ccode").loc[2]
    assert row["threat"] == pytest.approx(0.25)
    assert row["n_adversaries"] == 1 and row["n_prie"] == 4
    # states with an empty PRIE have threat 0, not NA
    assert (out.set_index("ccode").loc[[20, 200, 365, 666, 700], "threat"] == 0).all()
    assert out.attrs["mean_s"] == 0.5


def test_non_aggression_does_not_make_allies():
    d = dyads([(2, 20, 2000, "nonagg"), (2, 200, 2000, "consul"), (365, 2, 2000, "neutral")])
    allied = T.alliance_ties(d, system([2, 20, 200, 365], [2000]))[2000]
    assert not allied[0, 1]
    assert allied[0, 2] and allied[2, 0]
    assert allied[0, 3] and allied[3, 0]   # one direction is enough


def test_threat_end_to_end_on_toy_year():
    # A=2 neighbours B=20 (non-aggression only) and C=200 (defense pact); D=365 and E=666
    # are allied with each other.  Portfolios (own entry 3):
    #   A=[3,2,3,0,0]  B=[2,3,0,0,0]  C=[3,0,3,0,0]  D=[0,0,0,3,3]  E=[0,0,0,3,3]
    # S(A,B) = 1 − 2·(1+1+3)/(5·3) = 1/3;  S(A,C) = 1 − 2·2/15 = 11/15.
    # With S̄ = 0.5: B is a non-ally (non-aggression does not count) with S < S̄ -> adversary;
    # C is allied.  Threat(A) = CINC(B) = 0.2.
    d = dyads([(2, 20, 2000, "nonagg"), (2, 200, 2000, "defense"), (365, 666, 2000, "defense")])
    idx = system([2, 20, 200, 365, 666], [2000])
    contdir = pd.DataFrame([(2, 20, 1, 1990, 2010), (2, 200, 1, 1990, 2010)],
                           columns=["state1", "state2", "conttype", "begin_year", "end_year"])
    no_majors = pd.DataFrame({"ccode": [], "styear": [], "endyear": []})
    s = T.s_scores(T.valued_portfolios(d, idx))
    assert s[2000][0, 1] == pytest.approx(1 / 3)
    assert s[2000][0, 2] == pytest.approx(11 / 15)
    prie = T.politically_relevant(idx, contdir, None, no_majors)
    cinc = T.state_values(pd.DataFrame({"ccode": [2, 20, 200, 365, 666], "year": 2000,
                                        "cinc": [0.1, 0.2, 0.3, 0.25, 0.15]}), "cinc", idx)
    out = T.external_threat(s, prie, T.alliance_ties(d, idx), cinc, s_bar=0.5)
    assert out.set_index("ccode").loc[2, "threat"] == pytest.approx(0.2)
    # the same with a cut-off above S(A,C) changes nothing (C is allied) ...
    out = T.external_threat(s, prie, T.alliance_ties(d, idx), cinc, s_bar=0.9)
    assert out.set_index("ccode").loc[2, "threat"] == pytest.approx(0.2)
    # ... and a cut-off below S(A,B) leaves no adversary
    out = T.external_threat(s, prie, T.alliance_ties(d, idx), cinc, s_bar=0.3)
    assert out.set_index("ccode").loc[2, "threat"] == 0


# ------------------------------------------------------------------------------ parameters

@pytest.mark.parametrize("field, value", [
    ("max_conttype", 6), ("max_conttype", 0), ("max_conttype", True), ("max_conttype", 5.0),
    ("colonial", 1), ("colonial", "yes"), ("major_power_global", None),
    ("s_scale", "cow"), ("s_weighted", 0), ("s_distance", "euclidean"),
    ("nmc_version", "4.0"), ("nmc_version", 6.0),
])
def test_unknown_parameter_values_list_the_allowed_ones(field, value):
    with pytest.raises(ValueError, match=f"{field}; allowed: "):
        T.ThreatParams(**{field: value})


@pytest.mark.parametrize("period", [(2000, 1990), (1800, 2010), (1816, 2011), (1946,), "1946"])
def test_bad_mean_period_is_rejected(period):
    with pytest.raises(ValueError, match="s_mean_period"):
        T.ThreatParams(s_mean_period=period)


def test_params_defaults_replace_and_variants():
    p = T.ThreatParams()
    assert (p.max_conttype, p.colonial, p.major_power_global, p.s_scale, p.s_weighted,
            p.s_distance, p.s_mean_period, p.nmc_version) == (
        5, True, True, "atop_3210", False, "absolute", (1816, 2010), "6.0")
    q = p.replace(s_mean_period=[1946, 2010])
    assert q.s_mean_period == (1946, 2010) and q.differences() == {"s_mean_period": (1946, 2010)}
    assert q.key() != p.key()
    with pytest.raises(ValueError):
        p.replace(s_distance="manhattan")
    variants = T.threat_variants()
    assert variants["baseline"] == p
    assert all(len(v.differences()) == 1 for k, v in variants.items() if k != "baseline")
    land = T.threat_variants(q)["land contiguity only"]
    assert land.differences() == {"s_mean_period": (1946, 2010), "max_conttype": 1}


# ------------------------------------------------------------------------------ real data

@pytest.mark.data
def test_threat_on_the_raw_data():
    comp = T.threat_components()
    out = comp.threat()
    # one row per COW system state-year 1816–2010, none missing
    assert len(out) == 14781
    assert out["threat"].notna().all()
    assert ((out["threat"] >= 0) & (out["threat"] < 1)).all()
    assert (out["n_adversaries"] <= out["n_prie"]).all()
    # S̄ over politically relevant dyad-years 1816–2010 (ATOP 5.1, valued 3-2-1-0 portfolios)
    assert comp.mean_s == pytest.approx(0.6595, abs=5e-4)
    assert out.attrs["mean_s"] == comp.mean_s

    # Israel 1970: neighbours Egypt, Syria, Jordan, Lebanon, Cyprus (water), Saudi Arabia
    # (water), Turkey (water), and the five major powers
    env = comp.environment(666, 1970)
    assert {651, 652, 663, 660, 2, 200, 220, 365, 710} <= set(env["ccode"])
    # Israel's few alliances (non-aggression pacts) leave its portfolio close to its Arab
    # neighbours' by S, so the adversaries are the western major powers with their big
    # alliance portfolios: the United States, the United Kingdom and France.
    assert set(env.loc[env["adversary"], "ccode"]) == {2, 200, 220}
    israel = out[(out["ccode"] == 666) & (out["year"] == 1970)].iloc[0]
    assert israel["threat"] == pytest.approx(0.2355, abs=5e-4)
    assert israel["n_adversaries"] == 3 and israel["n_prie"] == 12
