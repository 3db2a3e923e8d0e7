"""The result object: statsmodels-like accessors, normal p-values, stars and tidy output."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from coupproof.models.results import ModelResult, stars_from_p, tidy_many


@pytest.fixture
def result():
    names = ["cb", "cb:threatB", "const"]
    cov = np.diag([0.5, 2.0, 0.25]) ** 2
    cov[0, 1] = cov[1, 0] = 0.1
    return ModelResult.from_arrays([1.0, -4.0, -0.45], cov, names, nobs=100, llf=-50.0, model="M4")


def test_accessors(result):
    assert result.bse.tolist() == pytest.approx([0.5, 2.0, 0.25])
    assert result.zvalues.tolist() == pytest.approx([2.0, -2.0, -1.8])
    assert result.pvalues["cb"] == pytest.approx(0.0455, abs=1e-4)
    assert isinstance(result.cov_params(), pd.DataFrame)
    assert result.cov_params().loc["cb", "cb:threatB"] == 0.1
    ci = result.conf_int()
    assert ci.loc["cb", "lower"] == pytest.approx(1.0 - 1.959964 * 0.5, abs=1e-6)


def test_pvalues_match_statsmodels_logit():
    rng = np.random.default_rng(1)
    X = sm.add_constant(rng.normal(size=(200, 2)))
    y = (rng.random(200) < 0.4).astype(float)
    ref = sm.Logit(y, X).fit(disp=0)
    ours = ModelResult.from_arrays(ref.params, ref.cov_params(), ["const", "a", "b"], nobs=200)
    np.testing.assert_allclose(ours.pvalues.to_numpy(), ref.pvalues, rtol=1e-10)


def test_stars_use_strict_thresholds():
    p = np.array([0.2, 0.1, 0.0999, 0.04, 0.009, 0.0009, np.nan])
    assert stars_from_p(p).tolist() == [0, 0, 1, 2, 3, 3, 0]
    assert stars_from_p(p, (0.05, 0.01, 0.001)).tolist() == [0, 0, 0, 1, 2, 3, 0]


def test_tidy_columns_and_values(result):
    t = result.tidy()
    assert t.columns.tolist() == ["model", "term", "coef", "se", "z", "p", "stars", "nobs", "llf"]
    assert t["stars"].tolist() == [2, 2, 1]
    assert t["stars"].dtype.kind == "i"
    assert set(t["model"]) == {"M4"} and set(t["nobs"]) == {100}
    assert result.tidy(stars=(0.05, 0.01, 0.001))["stars"].tolist() == [1, 1, 0]


def test_tidy_many_renames_by_key(result):
    t = tidy_many({"1": result, "2": result.with_cov(np.eye(3), "model")})
    assert t["model"].tolist() == ["1"] * 3 + ["2"] * 3
    assert t.loc[t["model"] == "2", "se"].tolist() == [1.0, 1.0, 1.0]


def test_covariance_shape_is_checked():
    with pytest.raises(ValueError):
        ModelResult.from_arrays([1.0, 2.0], np.eye(3), ["a", "b"], nobs=10)
