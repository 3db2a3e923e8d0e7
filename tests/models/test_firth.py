"""Firth's penalised logit: its closed form on a 2 x 2 table, and its O(n^-2) agreement with King-Zeng."""

import numpy as np
import pytest

from coupproof.models.firth import fit_firth
from coupproof.models.logit import fit_logit
from coupproof.models.relogit import king_zeng


def _table(n0, e0, n1, e1):
    """Rows of a 2 x 2 table: n0 rows with x = 0 (e0 events), n1 with x = 1 (e1 events)."""
    x = np.r_[np.zeros(n0), np.ones(n1)]
    y = np.r_[np.ones(e0), np.zeros(n0 - e0), np.ones(e1), np.zeros(n1 - e1)]
    return y, np.column_stack([np.ones(n0 + n1), x])


@pytest.mark.parametrize("n0, e0, n1, e1", [(3, 0, 3, 3), (10, 2, 7, 5), (40, 1, 25, 25), (12, 6, 9, 0)])
def test_saturated_2x2_table_adds_one_half_to_every_cell(n0, e0, n1, e1):
    """Worked by hand: in a saturated logit Jeffreys' penalty adds 1/2 to each cell (Firth 1993;
    Heinze & Schemper 2002), so the intercept is the log odds of (e0 + 1/2) to (n0 - e0 + 1/2)
    and the slope the log odds ratio of the padded table, finite even under separation."""
    y, X = _table(n0, e0, n1, e1)
    res = fit_firth(y, X, ["const", "x"], gtol=1e-12, xtol=1e-12)
    a, b, c, d = e0 + 0.5, n0 - e0 + 0.5, e1 + 0.5, n1 - e1 + 0.5
    assert res.params["const"] == pytest.approx(np.log(a / b), abs=1e-9)
    assert res.params["x"] == pytest.approx(np.log(c * b / (d * a)), abs=1e-9)
    # Wald covariance as logistf: (X'WX)^-1 at the estimates, with p_g = (e_g + 1/2) / (n_g + 1)
    p0, p1 = a / (n0 + 1), c / (n1 + 1)
    i0, i1 = n0 * p0 * (1 - p0), n1 * p1 * (1 - p1)
    assert res.bse["const"] == pytest.approx(np.sqrt(1 / i0), rel=1e-7)
    assert res.bse["x"] == pytest.approx(np.sqrt(1 / i0 + 1 / i1), rel=1e-7)
    # the penalised log-likelihood adds 0.5 log|X'WX| = 0.5 log(i0 i1) to the ordinary one
    assert res.llf == pytest.approx(res.stats["LL_ml"] + 0.5 * np.log(i0 * i1), abs=1e-9)


def _simulate(n, rng):
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.binomial(1, 0.4, n)])
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ np.array([-2.0, 0.8, 0.6]))))).astype(float)
    return y, X


def test_firth_and_king_zeng_agree_to_second_order():
    """Both remove the O(1/n) bias; they differ by O(n^-2).  So |Firth - KZ| / |KZ - ML| falls like 1/n."""
    rng = np.random.default_rng(2001)
    ratios = {}
    for n in (200, 1600):
        num = den = 0.0
        for _ in range(12):
            y, X = _simulate(n, rng)
            ml = fit_logit(y, X, ["const", "x", "d"])
            kz = king_zeng(ml).params.to_numpy()
            fi = fit_firth(y, X, ["const", "x", "d"], gtol=1e-10, xtol=1e-10).params.to_numpy()
            num += np.abs(fi - kz).sum()
            den += np.abs(kz - ml.params.to_numpy()).sum()
        ratios[n] = num / den
    assert ratios[200] < 0.25  # already a small fraction of the correction itself
    assert ratios[1600] < ratios[200] / 4  # 8 times the rows: about 8 times closer
