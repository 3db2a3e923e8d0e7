"""ML logit: agreement with statsmodels, the fast path's statsmodels results, separation and
collinearity errors (the covariance is tested in test_clustered, year effects in
test_fixed_effects)."""

import warnings

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from coupproof.models.design import build_design
from coupproof.models.diagnostics import CollinearityError, ConvergenceError, SeparationError
from coupproof.models.clustered import cluster_codes, with_r_cluster_cov
from coupproof.models.logit import LeanLogit, case_control_start, fit_logit, fit_logit_arrays, logit
from coupproof.models.results import ModelResult


def test_point_estimates_and_model_covariance_equal_statsmodels_newton(sim):
    y, X, _ = sim
    ours = fit_logit(y, X, ["const", "x1", "x2", "x1:x3"])
    ref = sm.Logit(y, X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    np.testing.assert_allclose(ours.params.to_numpy(), ref.params, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.cov_params().to_numpy(), ref.cov_params(), rtol=1e-8)
    assert ours.llf == pytest.approx(ref.llf, abs=1e-9)
    assert list(ours.params.index) == ["const", "x1", "x2", "x1:x3"]
    assert ours.nobs == len(y)


def test_cluster_needs_groups_and_rejects_unknown_cov(sim):
    y, X, g = sim
    with pytest.raises(ValueError, match="groups"):
        fit_logit(y, X, cov="cluster")
    with pytest.raises(ValueError, match="cov must be"):
        fit_logit(y, X, cov="robust")


def test_gof_rows_follow_glm_arithmetic(sim):
    y, X, _ = sim
    r = fit_logit(y, X)
    n, k = X.shape
    assert r.stats["deviance"] == pytest.approx(-2 * r.llf)
    assert r.stats["AIC"] == pytest.approx(-2 * r.llf + 2 * k)
    assert r.stats["BIC"] == pytest.approx(-2 * r.llf + k * np.log(n))


def test_separating_dummy_raises_a_clear_error(sim):
    y, X, _ = sim
    d = np.zeros(len(y))
    d[np.flatnonzero(y == 0)[:30]] = 1.0  # a dummy whose rows have no events
    with pytest.raises(SeparationError, match="dead"):
        fit_logit(y, np.column_stack([X, d]), ["const", "x1", "x2", "x1:x3", "dead"])


def test_complete_separation_by_a_continuous_regressor_does_not_converge():
    x = np.linspace(-1, 1, 50)
    y = (x > 0).astype(float)
    with pytest.raises(ConvergenceError):
        fit_logit(y, np.column_stack([np.ones(50), x]))


def test_collinear_design_is_reported_with_the_column_and_its_combination(sim):
    y, X, _ = sim
    names = ["const", "x1", "x2", "x1:x3", "twice_x1"]
    with pytest.raises(CollinearityError, match=r"'twice_x1' is a linear combination of \['x1'\]"):
        fit_logit(y, np.column_stack([X, 2 * X[:, 1]]), names)
    assert issubclass(CollinearityError, ConvergenceError)  # one except clause catches every failure


def test_logit_on_design_rejects_misaligned_groups(panel):
    df = panel().dropna()
    design = build_design(df, "y", ["x", "const"])
    with pytest.raises(ValueError, match="rows"):
        logit(design, cov="cluster", groups=np.arange(5))


def test_large_rare_event_fit_uses_a_subsample_start_and_still_matches_statsmodels():
    rng = np.random.default_rng(99)
    n = 80_000
    X = np.column_stack([rng.normal(size=n), rng.binomial(1, 0.2, n), np.ones(n)])
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ np.array([0.7, 1.5, -7.0]))))).astype(float)
    start = case_control_start(y, X)
    assert start is not None
    ours = fit_logit(y, X, ["x", "d", "const"])
    assert ours.info["start"] == "case-control"
    np.testing.assert_allclose(start, ours.params.to_numpy(), atol=0.5)  # close, not equal
    ref = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    np.testing.assert_allclose(ours.params.to_numpy(), ref.params, atol=1e-8)
    default = fit_logit_arrays(y, X, start=np.array([0.0, 0.0, np.log(y.mean() / (1 - y.mean()))]))
    assert default.iterations > ours.info["iterations"]


def test_convergence_is_scale_free(sim):
    """A regressor in huge units (military spending in dollars) is estimated as precisely."""
    y, X, _ = sim
    base = fit_logit(y, X)
    big = X.copy()
    big[:, 1] *= 1e7
    scaled = fit_logit(y, big)
    assert scaled.params.iloc[1] * 1e7 == pytest.approx(base.params.iloc[1], rel=1e-10)
    assert scaled.bse.iloc[1] * 1e7 == pytest.approx(base.bse.iloc[1], rel=1e-8)


# --- the fast path and the statsmodels results it hands over ------------------------------


def test_fast_path_result_is_the_statsmodels_result_of_the_teaching_path(sim):
    """fit_logit (lean Newton + to_results) and sm.Logit(...).fit() + with_r_cluster_cov agree and behave alike."""
    y, X, g = sim
    names = ["const", "x1", "x2", "x1:x3"]
    fast = fit_logit(y, X, names, cov="cluster", groups=g, name="M")
    exog = pd.DataFrame(X, columns=names)
    teach = with_r_cluster_cov(sm.Logit(pd.Series(y, name="y"), exog).fit(method="newton", disp=0), groups=g)
    assert isinstance(fast, ModelResult) and fast.name == "M"
    assert isinstance(fast.model, sm.Logit) and type(fast.results) is type(teach)
    np.testing.assert_allclose(fast.params, teach.params, atol=1e-9)
    np.testing.assert_allclose(fast.cov_params(), teach.cov_params(), rtol=1e-7)
    np.testing.assert_allclose(fast.results.bse, teach.bse, rtol=1e-7)
    assert fast.llf == pytest.approx(teach.llf, abs=1e-9) and fast.results.llf == pytest.approx(teach.llf, abs=1e-9)
    assert fast.llnull == pytest.approx(teach.llnull, abs=1e-6)  # statsmodels attributes pass through
    tt_fast, tt_teach = fast.t_test("x1 = 0"), teach.t_test("x1 = 0")
    assert float(tt_fast.effect[0]) == pytest.approx(float(tt_teach.effect[0]), abs=1e-9)
    assert float(tt_fast.sd[0, 0]) == pytest.approx(float(tt_teach.sd[0, 0]), rel=1e-7)
    x0 = exog.iloc[:3]
    np.testing.assert_allclose(fast.get_prediction(x0).summary_frame(), teach.get_prediction(x0).summary_frame(),
                               rtol=1e-6)
    text = str(fast.summary())
    assert "cluster" in text and "x1:x3" in text
    np.testing.assert_allclose(fast.info["cov_model"].to_numpy(), teach.normalized_cov_params, rtol=1e-7)


def test_lean_logit_contract(sim, hand_cluster_cov):
    y, X, g = sim
    codes, G = cluster_codes(g)
    fit = fit_logit_arrays(y, X, cluster_codes=codes, n_clusters=G)
    assert isinstance(fit, LeanLogit) and fit.converged and fit.nobs == len(y) and fit.n_clusters == G
    ref = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    np.testing.assert_allclose(fit.params, ref.params, atol=1e-9)
    np.testing.assert_allclose(fit.cov_model, ref.cov_params(), rtol=1e-8)
    np.testing.assert_allclose(fit.cov_cluster, hand_cluster_cov(y, X, g), rtol=1e-8)
    assert fit.llf == pytest.approx(ref.llf, abs=1e-9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.llf = 0.0
    # a warm start at the estimates needs no Newton step; a rough one needs a few
    again = fit_logit_arrays(y, X, start=fit.params, cluster_codes=codes, n_clusters=G)
    assert again.iterations == 0 and again.start == "given"
    np.testing.assert_allclose(again.cov_cluster, fit.cov_cluster, rtol=1e-12)
    rough = fit_logit_arrays(y, X, start=fit.params * 1.3)
    assert 0 < rough.iterations <= 6 and rough.cov_cluster is None
    np.testing.assert_allclose(rough.params, fit.params, atol=1e-9)
    # Fortran-ordered input gives the same answer
    np.testing.assert_allclose(fit_logit_arrays(y, np.asfortranarray(X)).params, fit.params, atol=1e-12)
    res = fit.to_results(["const", "x1", "x2", "x1:x3"], y, X, name="m")
    assert res.cov_type == "cluster" and res.stats["clusters"] == G and res.results.cov_type == "cluster"
    with pytest.raises(ValueError, match="fitted arrays"):
        fit.to_results(["a", "b", "c", "d"], y[:-1], X[:-1])
    with pytest.raises(ValueError, match="cluster_codes"):
        fit_logit_arrays(y, X, cluster_codes=codes[:-1], n_clusters=G)
    with pytest.raises(ValueError, match="start"):
        fit_logit_arrays(y, X, start=np.zeros(3))


def test_lean_logit_names_a_separating_dummy_even_without_the_pre_check(sim):
    y, X, _ = sim
    d = np.zeros(len(y))
    d[np.flatnonzero(y == 0)[:30]] = 1.0
    Xd = np.column_stack([X, d])
    names = ["const", "x1", "x2", "x1:x3", "dead"]
    with pytest.raises(SeparationError, match="dead"):
        fit_logit_arrays(y, Xd, names=names)                       # before fitting
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(SeparationError, match="dead"):
            fit_logit_arrays(y, Xd, names=names, check=False)      # after the fit runs off


def test_complete_separation_is_diagnosed_by_the_linear_program():
    x = np.linspace(-1, 1, 50)
    y = (x > 0).astype(float)
    with pytest.raises(SeparationError, match=r"x \(\+Inf\)"):
        fit_logit_arrays(y, np.column_stack([np.ones(50), x]), names=["const", "x"])


def test_model_keyword_is_a_deprecated_alias_of_name(sim):
    y, X, _ = sim
    df = pd.DataFrame(X[:, 1:3], columns=["a", "b"]).assign(y=y)
    design = build_design(df, "y", ["a", "b", "const"])
    with pytest.warns(PendingDeprecationWarning, match="name="):
        old = logit(design, model="T1")
    assert old.name == "T1" and logit(design, name="T1").name == "T1"
    with pytest.raises(TypeError):
        logit(design, name="a", model="b")
