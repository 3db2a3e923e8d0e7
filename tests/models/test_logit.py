"""ML logit: agreement with statsmodels, R's vcovCL cluster covariance, the fast path's
statsmodels results, separation and collinearity errors, year effects."""

import warnings

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from coupproof.models.design import build_design
from coupproof.models.diagnostics import CollinearityError, ConvergenceError, SeparationError
from coupproof.models.logit import (
    LeanLogit,
    absorb_years,
    case_control_start,
    cluster_codes,
    cluster_cov,
    dyad_ids,
    fit_logit,
    fit_logit_arrays,
    logit,
    statsmodels_cluster_factor,
    with_r_cluster_cov,
)
from coupproof.models.results import ModelResult


@pytest.fixture(scope="module")
def sim():
    """A small clustered logit data set (N = 600, K = 4, 60 clusters)."""
    rng = np.random.default_rng(20230101)
    n, G = 600, 60
    g = rng.integers(0, G, n)
    u = rng.normal(scale=0.8, size=G)[g]  # cluster effect, so clustering matters
    x1 = rng.normal(size=n)
    x2 = rng.binomial(1, 0.4, n).astype(float)
    x3 = rng.normal(size=n)
    X = np.column_stack([np.ones(n), x1, x2, x1 * x3])
    eta = -1.0 + 0.8 * x1 - 0.5 * x2 + 0.3 * x1 * x3 + u
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return y, X, g


def test_point_estimates_and_model_covariance_equal_statsmodels_newton(sim):
    y, X, _ = sim
    ours = fit_logit(y, X, ["const", "x1", "x2", "x1:x3"])
    ref = sm.Logit(y, X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    np.testing.assert_allclose(ours.params.to_numpy(), ref.params, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.cov_params().to_numpy(), ref.cov_params(), rtol=1e-8)
    assert ours.llf == pytest.approx(ref.llf, abs=1e-9)
    assert list(ours.params.index) == ["const", "x1", "x2", "x1:x3"]
    assert ours.nobs == len(y)


def _hand_cluster_cov(y, X, groups):
    """vcovCL(type = "HC0", cadjust = TRUE) written out with a loop over clusters."""
    ref = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    p = ref.predict(X)
    bread = np.linalg.inv(X.T @ np.diag(p * (1 - p)) @ X)
    meat = np.zeros((X.shape[1], X.shape[1]))
    labels = np.unique(groups)
    for lab in labels:
        rows = groups == lab
        s_g = ((y[rows] - p[rows])[:, None] * X[rows]).sum(axis=0)
        meat += np.outer(s_g, s_g)
    G = len(labels)
    return G / (G - 1) * bread @ meat @ bread


def test_cluster_covariance_equals_hand_computation(sim):
    y, X, g = sim
    ours = fit_logit(y, X, cov="cluster", groups=g)
    np.testing.assert_allclose(ours.cov_params().to_numpy(), _hand_cluster_cov(y, X, g), rtol=1e-9)
    assert ours.stats["clusters"] == len(np.unique(g))
    assert ours.cov_type == "cluster"
    # the model-based matrix stays available and differs from the clustered one
    assert not np.allclose(ours.info["cov_model"].to_numpy(), ours.cov_params().to_numpy(), rtol=0.05)


def test_cluster_covariance_differs_from_statsmodels_by_exactly_n_minus_1_over_n_minus_k(sim):
    y, X, g = sim
    n, k = X.shape
    ours = fit_logit(y, X, cov="cluster", groups=g).cov_params().to_numpy()
    sm_cl = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0, cov_type="cluster", cov_kwds={"groups": g})
    ratio = sm_cl.cov_params() / ours
    np.testing.assert_allclose(ratio, (n - 1) / (n - k), rtol=1e-8)
    assert statsmodels_cluster_factor(n, k) == pytest.approx((n - 1) / (n - k))
    assert (n - 1) / (n - k) > 1.004  # visible on this small sample


def test_cluster_cov_function_accepts_string_labels(sim):
    y, X, g = sim
    ours = fit_logit(y, X, cov="cluster", groups=g)
    p = 1 / (1 + np.exp(-(X @ ours.params.to_numpy())))
    bread = ours.info["cov_model"].to_numpy()
    V, G = cluster_cov(X, y - p, bread, np.array([f"dyad-{v}" for v in g]))
    np.testing.assert_allclose(V, ours.cov_params().to_numpy(), rtol=1e-10)


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


def _panel(seed=7, years=range(2000, 2010), dead=(2001, 2004)):
    rng = np.random.default_rng(seed)
    rows = []
    for yr in years:
        for d in range(150):
            rows.append((yr, d))
    df = pd.DataFrame(rows, columns=["year", "dyad"])
    df["x"] = rng.normal(size=len(df))
    df["z"] = rng.binomial(1, 0.3, len(df)).astype(float)
    eta = -2.5 + 0.9 * df["x"] - 0.6 * df["z"] + 0.05 * (df["year"] - 2000)
    df["y"] = (rng.random(len(df)) < 1 / (1 + np.exp(-eta))).astype(float)
    df.loc[df["year"].isin(dead), "y"] = 0.0  # years without events
    df.loc[rng.choice(len(df), 40, replace=False), "x"] = np.nan
    return df


def test_absorb_years_drops_eventless_years_and_matches_an_explicit_dummy_fit():
    df = _panel()
    design = build_design(df, "y", ["x", "z", "const"])
    fe, report = absorb_years(design, df["year"].to_numpy())
    assert report["years_dropped"] == [2001, 2004]
    used_years = design.align(df["year"].to_numpy())
    assert report["rows_dropped"] == int(np.isin(used_years, [2001, 2004]).sum())
    assert report["years_kept"] == 8 and report["reference"] == 2000
    assert fe.nobs == design.nobs - report["rows_dropped"]
    assert "year[2009]" in fe.terms and "year[2000]" not in fe.terms and "year[2001]" not in fe.terms

    ours = logit(fe, cov="cluster", groups=df["dyad"].to_numpy())  # full-length ids, aligned by the mask
    kept = df.loc[fe.index]
    dummies = pd.get_dummies(kept["year"], prefix="yr", dtype=float).drop(columns="yr_2000")
    Xref = np.column_stack([kept[["x", "z"]].to_numpy(), np.ones(len(kept)), dummies.to_numpy()])
    ref = sm.Logit(kept["y"].to_numpy(), Xref).fit(method="newton", tol=1e-12, disp=0)
    np.testing.assert_allclose(ours.params.to_numpy(), ref.params, atol=1e-8)
    hand = _hand_cluster_cov(kept["y"].to_numpy(), Xref, kept["dyad"].to_numpy())
    np.testing.assert_allclose(ours.cov_params().to_numpy(), hand, rtol=1e-8)


def test_absorb_years_limit_matches_r_style_fit_with_diverging_dummies():
    """R keeps the event-less years with dummies near minus infinity; the other coefficients agree."""
    df = _panel().dropna()
    design = build_design(df, "y", ["x", "z", "const"])
    fe, _ = absorb_years(design, df["year"].to_numpy())
    ours = fit_logit(fe.y, fe.X, fe.terms)
    # Penalise the dead-year dummies to -30 by fixing them as an offset: the ML estimate of
    # the rest with those rows kept equals the fit without them to within e^-30.
    dead = df["year"].isin([2001, 2004]).to_numpy()
    dummies = pd.get_dummies(df["year"], dtype=float).drop(columns=[2000, 2001, 2004]).to_numpy()
    X = np.column_stack([df[["x", "z"]].to_numpy(), np.ones(len(df)), dummies])
    offset = np.where(dead, -30.0, 0.0)
    ref = sm.Logit(df["y"].to_numpy(), X, offset=offset).fit(method="newton", tol=1e-12, disp=0)
    np.testing.assert_allclose(ours.params.to_numpy(), ref.params, atol=1e-7)


def test_logit_on_design_rejects_misaligned_groups():
    df = _panel().dropna()
    design = build_design(df, "y", ["x", "const"])
    with pytest.raises(ValueError, match="rows"):
        logit(design, cov="cluster", groups=np.arange(5))


def test_dyad_ids_directed_and_undirected():
    a = np.array([2, 365, 2])
    b = np.array([365, 2, 20])
    assert dyad_ids(a, b).tolist() == [2365, 365002, 2020]
    assert dyad_ids(a, b, directed=False).tolist() == [2365, 2365, 2020]


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
def test_statsmodels_cluster_without_correction_times_g_over_g_minus_1_is_rs_vcovcl(sim):
    """The one relation the book relies on: R's vcovCL = statsmodels' use_correction=False matrix x G/(G-1)."""
    y, X, g = sim
    G = len(np.unique(g))
    sm_plain = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0, cov_type="cluster",
                                  cov_kwds={"groups": g, "use_correction": False})
    np.testing.assert_allclose(sm_plain.cov_params() * G / (G - 1), _hand_cluster_cov(y, X, g), rtol=1e-8)
    ours = fit_logit(y, X, cov="cluster", groups=g)
    np.testing.assert_allclose(ours.cov_params().to_numpy(), sm_plain.cov_params() * G / (G - 1), rtol=1e-8)


def test_with_r_cluster_cov_on_a_statsmodels_fit(sim):
    y, X, g = sim
    fit = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    cl = with_r_cluster_cov(fit, groups=g)
    assert type(cl) is type(fit) and cl.cov_type == "cluster"
    np.testing.assert_allclose(cl.cov_params(), _hand_cluster_cov(y, X, g), rtol=1e-9)
    np.testing.assert_allclose(cl.bse, np.sqrt(np.diag(_hand_cluster_cov(y, X, g))), rtol=1e-9)
    np.testing.assert_allclose(fit.bse, np.sqrt(np.diag(fit.normalized_cov_params)))  # the original is untouched
    assert cl.t_test(np.eye(4)[1]).sd[0, 0] == pytest.approx(cl.bse[1], rel=1e-12)
    assert "cluster" in str(cl.summary())


def test_with_r_cluster_cov_on_a_probit_uses_its_scores(sim):
    y, X, g = sim
    fit = sm.Probit(y, X).fit(method="newton", tol=1e-12, disp=0)
    G = len(np.unique(g))
    ref = sm.Probit(y, X).fit(method="newton", tol=1e-12, disp=0, cov_type="cluster",
                              cov_kwds={"groups": g, "use_correction": False})
    np.testing.assert_allclose(with_r_cluster_cov(fit, g).cov_params(), ref.cov_params() * G / (G - 1), rtol=1e-8)


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


def test_lean_logit_contract(sim):
    y, X, g = sim
    codes, G = cluster_codes(g)
    fit = fit_logit_arrays(y, X, cluster_codes=codes, n_clusters=G)
    assert isinstance(fit, LeanLogit) and fit.converged and fit.nobs == len(y) and fit.n_clusters == G
    ref = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    np.testing.assert_allclose(fit.params, ref.params, atol=1e-9)
    np.testing.assert_allclose(fit.cov_model, ref.cov_params(), rtol=1e-8)
    np.testing.assert_allclose(fit.cov_cluster, _hand_cluster_cov(y, X, g), rtol=1e-8)
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
