"""Two-way fixed-effects linear probability model via linearmodels."""

import numpy as np
import pandas as pd
import pytest

from coupproof.models.lpm import fit_lpm


@pytest.fixture(scope="module")
def panel():
    rng = np.random.default_rng(11)
    n_dyads, years = 80, list(range(1990, 2000))
    df = pd.DataFrame([(d, t) for d in range(n_dyads) for t in years], columns=["dyad", "year"])
    a = rng.normal(scale=0.1, size=n_dyads)[df["dyad"]]
    g = rng.normal(scale=0.05, size=len(years))[df["year"] - 1990]
    df["x"] = rng.normal(size=len(df))
    df["z"] = rng.normal(size=len(df))
    df["def"] = (rng.random(len(df)) < np.clip(0.2 + 0.05 * df["x"] + a + g, 0, 1)).astype(float)
    return df


def test_lpm_equals_ols_on_two_way_demeaned_data(panel):
    res = fit_lpm(panel, "def", ["x", "z", "x:z", "const"], entity="dyad", time="year")
    assert res.terms == ["x", "z", "x:z"]  # the constant is absorbed by the two-way effects
    assert res.cov_type == "cluster" and res.stats["clusters"] == 80
    # balanced panel: the within estimator is OLS on double-demeaned variables
    d = panel.assign(xz=panel["x"] * panel["z"])
    cols = ["def", "x", "z", "xz"]
    by_dyad = d.groupby("dyad")[cols].transform("mean")
    by_year = d.groupby("year")[cols].transform("mean")
    dm = d[cols] - by_dyad - by_year + d[cols].mean()
    beta = np.linalg.lstsq(dm[["x", "z", "xz"]].to_numpy(), dm["def"].to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(res.params.to_numpy(), beta, atol=1e-10)
    assert res.nobs == len(panel)
    assert np.all(res.bse > 0)


def test_lpm_drops_missing_rows(panel):
    df = panel.copy()
    df.loc[:9, "x"] = np.nan
    res = fit_lpm(df, "def", ["x", "z"], entity="dyad", time="year")
    assert res.nobs == len(df) - 10
