"""The cut-off S̄ and the threat sum on toy systems, and the measure on the raw data."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel import threat as T
from coupproof.params import Choices

from .toys import PORTFOLIOS, TOY, TOY_SYSTEM, dyads, system, toy_s


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
    s = T.s_scores(T.valued_portfolios(d, idx, "atop_3210"))
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



# ------------------------------------------------------------------------------ real data

@pytest.mark.data
def test_threat_on_the_raw_data():
    # the values below were checked by hand under the 3-2-1 scale with consultation lowest
    comp = T.threat_components(Choices.from_overrides({"s_coding": "atop_3210"}).data)
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
