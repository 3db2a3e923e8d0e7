"""Conditional effects and predicted probabilities: formulas, delta method, numerical gradients."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from coupproof.models.margins import (
    conditional_effect,
    effect_gradient,
    moderator_grid,
    predicted_probability,
    profile_matrix,
)
from coupproof.models.results import ModelResult

TERMS = ["cb", "threatA", "threatB", "cb:threatB", "shared_def", "const"]


@pytest.fixture
def result():
    rng = np.random.default_rng(3)
    A = rng.normal(size=(6, 6))
    cov = A @ A.T / 10 + np.eye(6) * 0.05
    return ModelResult.from_arrays([3.5, -2.7, 5.8, -7.7, 4.3, -11.4], cov, TERMS, nobs=1000)


def _numerical_gradient(f, b, h=1e-6):
    return np.array([(f(b + h * e) - f(b - h * e)) / (2 * h) for e in np.eye(len(b))])


def test_conditional_effect_formula_and_band(result):
    grid = np.array([0.0, 0.27, 0.456, 1.0])
    out = conditional_effect(result, "cb", "threatB", grid)
    assert out.columns.tolist() == ["moderator", "estimate", "se", "lower", "upper"]
    b, V = result.params, result.cov_params()
    np.testing.assert_allclose(out["estimate"], b["cb"] + b["cb:threatB"] * grid)
    se = np.sqrt(V.loc["cb", "cb"] + grid**2 * V.loc["cb:threatB", "cb:threatB"]
                 + 2 * grid * V.loc["cb", "cb:threatB"])
    np.testing.assert_allclose(out["se"], se)
    np.testing.assert_allclose(out["upper"] - out["estimate"], 1.959963985 * se, rtol=1e-8)


def test_conditional_effect_band_agrees_with_numerical_gradient(result):
    grid = np.linspace(0, 1, 7)
    out = conditional_effect(result, "cb", "threatB", grid)
    b0 = result.params.to_numpy()
    V = result.cov_params().to_numpy()
    for z, se in zip(grid, out["se"]):
        def effect(b, z=z):  # d eta / d cb by finite differences in cb
            def eta(cb):
                x = np.array([cb, 0.1, z, cb * z, 1.0, 1.0])
                return x @ b
            return (eta(0.8 + 1e-4) - eta(0.8 - 1e-4)) / 2e-4
        g = _numerical_gradient(effect, b0)
        assert se == pytest.approx(np.sqrt(g @ V @ g), rel=1e-5)


def test_conditional_effect_uses_the_given_covariance(result):
    V2 = result.cov_params() * 4
    a = conditional_effect(result, "cb", "threatB", [0.3])
    b = conditional_effect(result, "cb", "threatB", [0.3], cov=V2)
    assert b["se"].iloc[0] == pytest.approx(2 * a["se"].iloc[0])
    assert b["estimate"].iloc[0] == pytest.approx(a["estimate"].iloc[0])


def test_effect_gradient_of_a_square_term():
    G = effect_gradient(["x", "x:x", "z"], "x", "z", [0.0, 1.0], at={"x": 2.0})
    np.testing.assert_allclose(G, [[1.0, 4.0, 0.0], [1.0, 4.0, 0.0]])


PROFILE = {"cb": 1.28, "threatA": 0.1, "threatB": 0.0, "shared_def": 1.0}


def test_predicted_probability_is_logistic_of_x0_beta(result):
    out = predicted_probability(result, PROFILE)
    x0 = np.array([1.28, 0.1, 0.0, 1.28 * 0.0, 1.0, 1.0])
    eta = x0 @ result.params.to_numpy()
    assert out["estimate"].iloc[0] == pytest.approx(1 / (1 + np.exp(-eta)))
    assert out["eta"].iloc[0] == pytest.approx(eta)
    se = np.sqrt(x0 @ result.cov_params().to_numpy() @ x0)
    assert out["se"].iloc[0] == pytest.approx(se)
    assert out["lower"].iloc[0] == pytest.approx(expit(eta - 1.959963985 * se))
    assert out["upper"].iloc[0] == pytest.approx(expit(eta + 1.959963985 * se))


def test_predicted_probability_over_a_grid_computes_products(result):
    grid = np.linspace(0, 1, 5)
    out = predicted_probability(result, PROFILE, over="threatB", grid=grid)
    X0 = profile_matrix(TERMS, PROFILE, over="threatB", grid=grid)
    np.testing.assert_allclose(X0[:, 3], 1.28 * grid)  # cb:threatB from its components
    np.testing.assert_allclose(out["estimate"], expit(X0 @ result.params.to_numpy()))
    assert ((out["lower"] > 0) & (out["lower"] <= out["estimate"]) & (out["estimate"] <= out["upper"])
            & (out["upper"] < 1)).all()
    np.testing.assert_allclose(out["moderator"], grid)


def test_missing_profile_component_is_an_error(result):
    with pytest.raises(KeyError, match="shared_def"):
        predicted_probability(result, {"cb": 1.0, "threatA": 0.0, "threatB": 0.0})


def test_moderator_grid_spans_the_observed_range():
    g = moderator_grid(pd.Series([0.3, np.nan, 0.1, 0.9]), n=5)
    np.testing.assert_allclose(g, [0.1, 0.3, 0.5, 0.7, 0.9])
