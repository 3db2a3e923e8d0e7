"""The result object: statsmodels results underneath, normal p-values, stars and tidy output."""

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
    return ModelResult.from_arrays([1.0, -4.0, -0.45], cov, names, nobs=100, llf=-50.0, name="M4")


def test_accessors(result):
    assert result.bse.tolist() == pytest.approx([0.5, 2.0, 0.25])
    assert result.zvalues.tolist() == pytest.approx([2.0, -2.0, -1.8])
    assert result.pvalues["cb"] == pytest.approx(0.0455, abs=1e-4)
    assert isinstance(result.cov_params(), pd.DataFrame)
    assert result.cov_params().loc["cb", "cb:threatB"] == 0.1
    ci = result.conf_int()  # columns 0 and 1, as statsmodels names them
    assert ci.loc["cb", 0] == pytest.approx(1.0 - 1.959964 * 0.5, abs=1e-6)
    assert ci.loc["cb", 1] == pytest.approx(1.0 + 1.959964 * 0.5, abs=1e-6)
    assert result.model is None and result.results is None and result.name == "M4"
    with pytest.raises(AttributeError, match="not fitted by statsmodels"):
        result.get_prediction


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


@pytest.fixture(scope="module")
def logit_fit():
    rng = np.random.default_rng(8)
    X = pd.DataFrame(sm.add_constant(rng.normal(size=(300, 2))), columns=["const", "a", "b"])
    y = pd.Series((rng.random(300) < 1 / (1 + np.exp(-(X.to_numpy() @ [-0.5, 1.0, -0.7])))).astype(float), name="y")
    return sm.Logit(y, X).fit(method="newton", disp=0)


def test_from_statsmodels_keeps_the_statsmodels_api(logit_fit):
    res = ModelResult.from_statsmodels(logit_fit, name="m", stats={"AIC": logit_fit.aic})
    np.testing.assert_allclose(res.params, logit_fit.params)
    np.testing.assert_allclose(res.bse, logit_fit.bse)
    np.testing.assert_allclose(res.pvalues, logit_fit.pvalues, rtol=1e-10)
    np.testing.assert_allclose(res.conf_int(), logit_fit.conf_int(), rtol=1e-10)
    assert res.model is logit_fit.model and res.llf == logit_fit.llf and res.nobs == 300
    assert res.prsquared == logit_fit.prsquared  # delegated
    assert res.cov_type == "model" and res.glance()["AIC"] == logit_fit.aic
    assert "Logit Regression Results" in str(res.summary())


def test_with_cov_changes_the_statsmodels_inference_too(logit_fit):
    res = ModelResult.from_statsmodels(logit_fit)
    V = res.cov_params() * 4
    wide = res.with_cov(V, "cluster", clusters=7)
    np.testing.assert_allclose(wide.bse, 2 * res.bse)
    np.testing.assert_allclose(wide.results.bse, 2 * logit_fit.bse)  # summary(), t_test() agree
    assert float(wide.t_test("a = 0").sd[0, 0]) == pytest.approx(2 * logit_fit.bse["a"])
    assert wide.results.cov_type == "cluster" and wide.stats["clusters"] == 7
    np.testing.assert_allclose(res.bse, logit_fit.bse)  # the original is unchanged


def test_model_keyword_maps_to_name_with_a_pending_deprecation_warning():
    with pytest.warns(PendingDeprecationWarning):
        r = ModelResult(pd.Series([1.0], index=["a"]), np.eye(1), nobs=3, model="old")
    assert r.name == "old" and r.model is None
    with pytest.raises(TypeError):
        ModelResult(pd.Series([1.0], index=["a"]), np.eye(1), nobs=3, model="x", name="y")


def test_renamed_shares_the_fit(logit_fit):
    res = ModelResult.from_statsmodels(logit_fit, name="a")
    other = res.renamed("b")
    assert other.name == "b" and res.name == "a" and other.results is res.results
    assert tidy_many({"z": res})["model"].unique().tolist() == ["z"]


def test_a_result_pickles_with_its_statsmodels_fit(logit_fit):
    import pickle

    res = ModelResult.from_statsmodels(logit_fit, name="p", info={"events": 3})
    back = pickle.loads(pickle.dumps(res))
    np.testing.assert_allclose(back.params, res.params)
    assert back.name == "p" and back.info["events"] == 3 and back.llf == res.llf
    np.testing.assert_allclose(back.results.bse, logit_fit.bse)
