"""Checks before and after a fit: each names the offending column."""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm

from coupproof.models.diagnostics import (
    CollinearityError,
    ConvergenceError,
    IllConditionedWarning,
    SeparationError,
    check_count_boundary,
    check_design,
    check_dummy_separation,
    checked_fit,
    collinear_columns,
    column_profile,
    column_reduce,
    find_separation,
    warn_if_ill_conditioned,
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(4)
    n = 3001  # not a multiple of the reduction block
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.binomial(1, 0.3, n), rng.uniform(size=n)])
    y = (rng.random(n) < 0.3).astype(float)
    return y, X


def test_column_reduce_equals_numpy(data):
    _, X = data
    for uf in (np.minimum, np.maximum, np.add):
        np.testing.assert_allclose(column_reduce(uf, X), uf.reduce(X, axis=0), rtol=1e-12)
    np.testing.assert_array_equal(column_reduce(np.add, X[:10]), X[:10].sum(axis=0))


def test_column_profile_finds_constant_and_exact_01_columns(data):
    _, X = data
    Z = np.column_stack([X, X[:, 2].copy(), np.zeros(len(X))])
    Z[5, 4] = 1 - 2**-52  # almost 0/1, but not
    p = column_profile(Z)
    assert p.ones.tolist() == [True, False, False, False, False, False]
    assert p.binary.tolist() == [False, False, True, False, False, False]
    np.testing.assert_allclose(p.rms, np.sqrt((Z**2).mean(axis=0)))


def test_collinear_columns_names_the_later_column_and_its_sources(data):
    _, X = data
    Z = np.column_stack([X, 3 * X[:, 1] - X[:, 0], np.zeros(len(X))])
    names = ["const", "x", "d", "u", "combo", "zero"]
    assert collinear_columns(Z, names) == {"combo": ["const", "x"], "zero": []}
    assert collinear_columns(X, names[:4]) == {}
    with pytest.raises(CollinearityError, match="'combo' is a linear combination of \\['const', 'x'\\]"):
        check_design(data[0], Z, names)


def test_dummy_separation_both_directions(data):
    y, X = data
    names = ["const", "x", "d", "u"]
    check_dummy_separation(y, X, names)  # fine as drawn
    y1 = y.copy()
    y1[X[:, 2] == 1] = 0.0  # no event where d = 1
    with pytest.raises(SeparationError, match="'d'"):
        check_dummy_separation(y1, X, names)
    y2 = y.copy()
    y2[X[:, 2] == 0] = 0.0  # no event where d = 0
    with pytest.raises(SeparationError, match="'d'"):
        check_dummy_separation(y2, X, names)


def test_find_separation_by_linear_programming():
    x = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])
    y = (x > 0).astype(float)
    assert find_separation(y, np.column_stack([np.ones(6), x]), ["const", "x"])["x"] == "+Inf"
    y_ok = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    assert find_separation(y_ok, np.column_stack([np.ones(6), x]), ["const", "x"]) == {}


def test_count_boundary(data):
    _, X = data
    y = np.full(len(X), 2.0)
    y[X[:, 2] == 1] = 1.0
    with pytest.raises(SeparationError, match="d = 1"):
        check_count_boundary(y, X, ["const", "x", "d", "u"])
    y[np.flatnonzero(X[:, 2] == 1)[0]] = 3.0
    check_count_boundary(y, X, ["const", "x", "d", "u"])


def test_checked_fit_turns_statsmodels_failures_into_errors():
    x = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0, -3.0])
    y = (x > 0).astype(float)
    model = sm.Logit(y, np.column_stack([np.ones(8), x]))
    with pytest.raises(ConvergenceError, match="x"):
        checked_fit(model, what="logit", names=["const", "x"], method="newton", maxiter=50)


def test_checked_fit_passes_a_good_fit_through_and_warns_on_weak_identification(data):
    y, X = data
    res = checked_fit(sm.Logit(y, X), what="logit", method="newton")
    ref = sm.Logit(y, X).fit(method="newton", disp=0)
    np.testing.assert_allclose(res.params, ref.params)


def test_ill_conditioning_warning_names_the_unidentified_coefficient_and_ignores_units():
    H = np.diag([4.0, 2.0, 1e-14])  # the third coefficient has (almost) no information
    cov = np.linalg.inv(H)
    with pytest.warns(IllConditionedWarning, match="lonely"):
        assert warn_if_ill_conditioned(H, cov, np.array([1.0, 2.0, -25.0]), ["a", "b", "lonely"], np.ones(3), "m")
    # a regressor measured in huge units has tiny information per unit but is well identified
    scale = np.array([1.0, 1.0, 1e-7])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not warn_if_ill_conditioned(H, cov, np.array([1.0, 2.0, 3.0]), ["a", "b", "dollars"], scale, "m")
