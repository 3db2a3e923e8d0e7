"""Effects on the probability scale: against finite differences, hand formulas, a simulation with
known parameters and a parametric bootstrap; the binning check on linear and non-linear data."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from coupproof.models.interaction import (
    SAMPLE,
    average_probability,
    binned_effects,
    first_difference_arrays,
    interaction_rows,
    marginal_effect_arrays,
    probability_effect,
    second_difference,
    second_difference_arrays,
)
from coupproof.models.logit import fit_logit, fit_logit_arrays
from coupproof.models.margins import predicted_probability

TERMS = ["cb", "threatB", "cb:threatB", "shared_def", "const"]
BETA = np.array([0.8, 0.5, -1.5, 0.7, -2.0])
PROFILE = {"cb": 1.0, "threatB": 0.3, "shared_def": 1.0}


def _draw(n, rng, beta=BETA):
    cb = rng.gamma(2.0, 0.5, n)
    tb = rng.uniform(0, 1, n)
    sd = rng.binomial(1, 0.3, n).astype(float)
    X = np.column_stack([cb, tb, cb * tb, sd, np.ones(n)])
    y = (rng.random(n) < expit(X @ beta)).astype(float)
    return y, X


@pytest.fixture(scope="module")
def fitted():
    y, X = _draw(4000, np.random.default_rng(11))
    return fit_logit(y, X, TERMS, cov="cluster", groups=np.arange(4000) % 400)


def _numerical_gradient(f, b, h=1e-6):
    return np.array([(f(b + h * e) - f(b - h * e)) / (2 * h) for e in np.eye(len(b))])


def _rows(X, cb=None, tb=None):
    """A copy of the design with cb and/or threatB set and the product recomputed, by hand."""
    M = X.copy()
    if cb is not None:
        M[:, 0] = cb
    if tb is not None:
        M[:, 1] = tb
    M[:, 2] = M[:, 0] * M[:, 1]
    return M


def test_derivative_at_a_profile_equals_a_finite_difference_of_predicted_probabilities(fitted):
    grid = np.array([0.0, 0.25, 0.8])
    out = probability_effect(fitted, "cb", "threatB", grid, at=PROFILE)
    h = 1e-5
    for z, est in zip(grid, out["estimate"]):
        up = predicted_probability(fitted, {**PROFILE, "cb": PROFILE["cb"] + h, "threatB": z})["estimate"].iloc[0]
        dn = predicted_probability(fitted, {**PROFILE, "cb": PROFILE["cb"] - h, "threatB": z})["estimate"].iloc[0]
        assert est == pytest.approx((up - dn) / (2 * h), rel=1e-6)
    assert out.columns.tolist() == ["moderator", "estimate", "se", "lower", "upper", "p"]
    assert out.attrs["scale"] == "probability"


def test_sample_average_effects_equal_the_direct_computation(fitted):
    X = np.asarray(fitted.model.exog)
    b = fitted.params.to_numpy()
    z = 0.6
    h = 1e-5
    direct = np.mean((expit(_rows(X, cb=X[:, 0] + h, tb=z) @ b) - expit(_rows(X, cb=X[:, 0] - h, tb=z) @ b)) / (2 * h))
    out = probability_effect(fitted, "cb", "threatB", [z])
    assert out["estimate"].iloc[0] == pytest.approx(direct, rel=1e-6)
    diff = probability_effect(fitted, "cb", "threatB", [z], kind="difference", var_levels=(0.0, 1.28))
    assert diff["estimate"].iloc[0] == pytest.approx(
        np.mean(expit(_rows(X, cb=1.28, tb=z) @ b) - expit(_rows(X, cb=0.0, tb=z) @ b)), rel=1e-12)


def test_delta_method_standard_errors_equal_numerical_gradients(fitted):
    X = np.asarray(fitted.model.exog)
    b0 = fitted.params.to_numpy()
    V = fitted.cov_params().to_numpy()
    z = 0.6

    def ame(b):
        eta = _rows(X, tb=z) @ b
        p = expit(eta)
        return np.mean(p * (1 - p) * (b[0] + b[2] * z))

    g = _numerical_gradient(ame, b0)
    se = probability_effect(fitted, "cb", "threatB", [z])["se"].iloc[0]
    assert se == pytest.approx(np.sqrt(g @ V @ g), rel=1e-5)

    rows = [_rows(X, cb=c, tb=t) for c in (0.0, 1.5) for t in (0.1, 0.9)]

    def d2(b):
        p = [expit(r @ b).mean() for r in rows]
        return (p[3] - p[1]) - (p[2] - p[0])

    g2 = _numerical_gradient(d2, b0)
    res = second_difference_arrays(b0, V, *rows)
    assert res.estimate == pytest.approx(d2(b0), rel=1e-12)
    np.testing.assert_allclose(res.gradient, g2, rtol=1e-5, atol=1e-10)
    assert res.se == pytest.approx(np.sqrt(g2 @ V @ g2), rel=1e-5)
    assert res.lower == pytest.approx(res.estimate - 1.959963985 * res.se)


def test_second_difference_by_hand_and_without_a_product_term():
    """Four logistic values; with no product term the probability-scale interaction is still not zero (Ai & Norton 2003)."""
    b = np.array([0.9, 1.1, 0.0, 0.0, -2.0])  # beta for cb:threatB is zero
    V = np.eye(5) * 0.01
    rows = interaction_rows(TERMS, "cb", "threatB", (0.0, 1.0), (0.0, 1.0), profile={"shared_def": 0.0})
    np.testing.assert_allclose(rows[3], [1.0, 1.0, 1.0, 0.0, 1.0])
    res = second_difference_arrays(b, V, *rows)
    hand = expit(-2 + 0.9 + 1.1) - expit(-2 + 0.9) - expit(-2 + 1.1) + expit(-2)
    assert res.estimate == pytest.approx(hand, rel=1e-12) and abs(hand) > 0.03


def test_result_api_and_array_api_give_the_same_numbers(fitted):
    b, V = fitted.params.to_numpy(), fitted.cov_params().to_numpy()
    prof = {"shared_def": 1.0}
    by_result = second_difference(fitted, "cb", "threatB", var_levels=(0.0, 1.28), moderator_levels=(0.1, 0.9), at=prof)
    by_arrays = second_difference_arrays(b, V, *interaction_rows(TERMS, "cb", "threatB", (0.0, 1.28), (0.1, 0.9),
                                                                 profile=prof))
    assert by_result.estimate == pytest.approx(by_arrays.estimate, rel=1e-12)
    assert by_result.se == pytest.approx(by_arrays.se, rel=1e-10)
    X = np.asarray(fitted.model.exog)
    sample = second_difference(fitted, "cb", "threatB", var_levels=(0.0, 1.28), moderator_levels=(0.1, 0.9))
    full = second_difference_arrays(b, V, *interaction_rows(TERMS, "cb", "threatB", (0.0, 1.28), (0.1, 0.9), X=X))
    assert sample.estimate == pytest.approx(full.estimate, rel=1e-10)
    assert sample.se == pytest.approx(full.se, rel=1e-8)
    # the first difference and the average probability share the arithmetic
    lo, hi = interaction_rows(TERMS, "cb", "threatB", (0.0, 1.28), (0.9, 0.9), X=X)[1::2]
    fd = first_difference_arrays(b, V, lo, hi)
    assert fd.estimate == pytest.approx(average_probability(b, V, hi).estimate - average_probability(b, V, lo).estimate)
    # defaults: 10th and 90th percentiles of the sample
    q = np.quantile(X[:, 1], [0.1, 0.9])
    default = second_difference(fitted, "cb", "threatB", var_levels=(0.0, 1.28))
    explicit = second_difference(fitted, "cb", "threatB", var_levels=(0.0, 1.28), moderator_levels=tuple(q))
    assert default.estimate == explicit.estimate


def test_marginal_effect_arrays_at_a_row():
    b = np.array([0.8, 0.5, -1.5, 0.7, -2.0])
    x = np.array([1.2, 0.4, 0.48, 1.0, 1.0])
    dx = np.array([1.0, 0.0, 0.4, 0.0, 0.0])  # d x / d cb at threatB = 0.4
    me = marginal_effect_arrays(b, np.eye(5), x, dx)
    p = expit(x @ b)
    assert me.estimate == pytest.approx(p * (1 - p) * (0.8 - 1.5 * 0.4), rel=1e-12)


def test_intervals_cover_the_true_second_difference_in_a_simulation_with_known_parameters():
    rng = np.random.default_rng(20240601)
    rows = interaction_rows(TERMS, "cb", "threatB", (0.0, 1.5), (0.1, 0.9), profile={"shared_def": 1.0})
    truth = second_difference_arrays(BETA, np.eye(5), *rows).estimate
    hits, estimates = 0, []
    reps = 200
    for _ in range(reps):
        y, X = _draw(1500, rng)
        fit = fit_logit_arrays(y, X)
        d = second_difference_arrays(fit.params, fit.cov_model, *rows)
        hits += d.lower <= truth <= d.upper
        estimates.append(d.estimate)
    assert 0.91 <= hits / reps <= 0.99
    assert abs(np.mean(estimates) - truth) < 3 * np.std(estimates) / np.sqrt(reps) + 0.1 * abs(truth)


def test_delta_method_interval_agrees_with_a_parametric_bootstrap_on_a_small_sample():
    rng = np.random.default_rng(7)
    y, X = _draw(500, rng)
    fit = fit_logit_arrays(y, X)
    rows = interaction_rows(TERMS, "cb", "threatB", (0.0, 1.5), (0.1, 0.9), X=X)  # averaged over the sample
    delta = second_difference_arrays(fit.params, fit.cov_model, *rows)
    p_hat = expit(X @ fit.params)
    draws = []
    for _ in range(400):
        y_star = (rng.random(len(y)) < p_hat).astype(float)
        try:
            b_star = fit_logit_arrays(y_star, X, start=fit.params).params
        except Exception:  # a rare separated resample
            continue
        draws.append(second_difference_arrays(b_star, fit.cov_model, *rows).estimate)
    boot_se = np.std(draws, ddof=1)
    assert len(draws) > 380
    assert 0.85 < delta.se / boot_se < 1.15
    lo, hi = np.quantile(draws, [0.025, 0.975])
    assert abs(delta.lower - lo) < 0.25 * (hi - lo) and abs(delta.upper - hi) < 0.25 * (hi - lo)


def _binned_data(effect, seed, n=6000):
    rng = np.random.default_rng(seed)
    cb = rng.gamma(2.0, 0.5, n)
    tb = rng.uniform(0, 1, n)
    sd = rng.binomial(1, 0.3, n).astype(float)
    eta = -1.5 + effect(tb) * cb + 0.5 * tb + 0.7 * sd
    y = (rng.random(n) < expit(eta)).astype(float)
    X = np.column_stack([cb, tb, cb * tb, sd, np.ones(n)])
    return fit_logit(y, X, TERMS, cov="cluster", groups=np.arange(n) % 500)


def test_binning_check_accepts_a_linear_interaction():
    res = binned_effects(_binned_data(lambda z: 0.8 - 1.2 * z, seed=3), "cb", "threatB")
    t = res.table
    assert t["bin"].tolist() == [1, 2, 3] and t["n"].sum() == 6000
    assert res.wald["df"] == 8 and res.wald["pvalue"] > 0.05
    # every bin's estimate is within three standard errors of the truth and of the linear fit
    truth = 0.8 - 1.2 * t["moderator"]
    assert (np.abs(t["estimate"] - truth) < 3 * t["se"]).all()
    assert np.all(np.diff(t["estimate"]) < 0)  # and falls with the moderator, as the truth does
    assert (np.abs(t["estimate"] - t["linear"]) < 3 * t["se"]).all()
    assert res.fit.cov_type == "cluster"


def test_binning_check_rejects_a_non_linear_interaction():
    res = binned_effects(_binned_data(lambda z: np.where((z > 0.33) & (z < 0.67), -1.0, 1.0), seed=4), "cb", "threatB")
    assert res.wald["pvalue"] < 0.01
    middle = res.table.iloc[1]
    assert middle["upper"] < middle["linear"]  # the linear model misses the middle bin


def test_bad_requests_are_errors(fitted):
    with pytest.raises(ValueError, match="kind"):
        probability_effect(fitted, "cb", "threatB", [0.1], kind="ratio")
    with pytest.raises(KeyError, match="shared_def"):
        probability_effect(fitted, "cb", "threatB", [0.1], at={"cb": 1.0})
    with pytest.raises(ValueError, match="at must be"):
        second_difference(fitted, "cb", "threatB", at="mean")
    assert SAMPLE == "sample"
