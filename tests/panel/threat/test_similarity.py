"""Signorino–Ritter S on toy portfolios worked by hand."""

import numpy as np
import pandas as pd
import pytest

from coupproof.panel import threat as T

from .toys import PORTFOLIOS, TOY, TOY_SYSTEM, dyads, system, toy_s


# ------------------------------------------------------------------------------ S scores

def test_identical_portfolios_give_one():
    # three states all allied by defense pacts: every portfolio is [3, 3, 3]
    d = dyads([(2, 20, 2000, "defense"), (2, 200, 2000, "defense"), (20, 200, 2000, "defense")])
    s = T.s_scores(T.valued_portfolios(d, system([2, 20, 200], [2000]), "atop_3210"))[2000]
    np.testing.assert_allclose(s, np.ones((3, 3)))


def test_opposite_portfolios_give_minus_one():
    # two unallied states: A = [3, 0], B = [0, 3]; Σ|Δ| = 6 = K·Δ, so S = 1 − 2·6/6 = −1
    s = T.s_scores(T.valued_portfolios(dyads([]), system([2, 20], [2000]), "atop_3210"))[2000]
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
    s = T.s_scores(T.valued_portfolios(TOY, TOY_SYSTEM, "atop_3210"))
    long = s.to_long()
    assert len(long) == 6 and (long["ccode1"] < long["ccode2"]).all()
    row = long[(long["ccode1"] == 2) & (long["ccode2"] == 200)]
    assert row["s"].item() == pytest.approx(-1 / 6)
    assert s.pair_values([200, 2, 2], [2, 365, 999], 2000).tolist()[:2] == pytest.approx(
        [-1 / 6, -1 / 3])
    assert np.isnan(s.pair_values(2, 999, 2000))


