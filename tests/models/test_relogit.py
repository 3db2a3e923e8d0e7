"""King-Zeng rare-events logit against the closed form, computed independently."""

import numpy as np
import pytest
import statsmodels.api as sm

from coupproof.models.logit import fit_logit
from coupproof.models.relogit import fit_relogit, king_zeng


@pytest.fixture(scope="module")
def tiny():
    rng = np.random.default_rng(5)
    n = 40
    x = rng.normal(size=n)
    d = rng.binomial(1, 0.5, n).astype(float)
    X = np.column_stack([np.ones(n), x, d])
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1.2 + 1.0 * x + 0.5 * d)))).astype(float)
    return y, X


def _king_zeng_by_hand(y, X):
    """beta_hat - (X'WX)^-1 X'W xi, with xi_i = 0.5 Q_ii (2 pi_i - 1), row by row."""
    ml = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    pi = ml.predict(X)
    W = np.diag(pi * (1 - pi))
    A_inv = np.linalg.inv(X.T @ W @ X)
    xi = np.array([0.5 * (X[i] @ A_inv @ X[i]) * (2 * pi[i] - 1) for i in range(len(y))])
    # the bias is the weighted least-squares regression of xi on X with weights pi(1 - pi)
    bias = sm.WLS(xi, X, weights=pi * (1 - pi)).fit().params
    return ml, ml.params - bias, bias


def test_coefficients_equal_the_closed_form(tiny):
    y, X = tiny
    ml, beta_tilde, bias = _king_zeng_by_hand(y, X)
    ours = fit_relogit(y, X, ["const", "x", "d"])
    np.testing.assert_allclose(ours.params.to_numpy(), beta_tilde, atol=1e-10)
    np.testing.assert_allclose(ours.info["bias"].to_numpy(), bias, atol=1e-10)
    np.testing.assert_allclose(ours.info["ml_params"].to_numpy(), ml.params, atol=1e-8)
    assert np.all(np.abs(bias) > 1e-3)  # on 40 rows the correction is visible


def test_standard_errors_and_fit_statistics_come_from_the_ml_fit(tiny):
    y, X = tiny
    ml = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    ours = fit_relogit(y, X)
    np.testing.assert_allclose(ours.bse.to_numpy(), ml.bse, rtol=1e-8)
    n, k = X.shape
    assert ours.llf == pytest.approx(ml.llf)
    assert ours.stats["deviance"] == pytest.approx(-2 * ml.llf)
    assert ours.stats["AIC"] == pytest.approx(-2 * ml.llf + 2 * k)
    assert ours.stats["BIC"] == pytest.approx(-2 * ml.llf + k * np.log(n))


def test_summary_relogit_scaling_is_optional(tiny):
    y, X = tiny
    n, k = X.shape
    plain = fit_relogit(y, X)
    scaled = fit_relogit(y, X, scale_se=True)
    np.testing.assert_allclose(scaled.bse.to_numpy(), plain.bse.to_numpy() * n / (n + k), rtol=1e-12)
    np.testing.assert_allclose(scaled.params.to_numpy(), plain.params.to_numpy())


def test_king_zeng_from_a_statsmodels_logit_result(tiny):
    """The correction takes the statsmodels fit a reader already has."""
    y, X = tiny
    ml, beta_tilde, _ = _king_zeng_by_hand(y, X)
    kz = king_zeng(ml)
    np.testing.assert_allclose(kz.params.to_numpy(), beta_tilde, atol=1e-10)
    np.testing.assert_allclose(kz.bse.to_numpy(), ml.bse, rtol=1e-10)
    assert kz.llf == pytest.approx(ml.llf) and kz.results.llf == pytest.approx(ml.llf)  # as Zelig/texreg print
    # predictions use the corrected coefficients
    x0 = X[:2]
    np.testing.assert_allclose(kz.get_prediction(x0).predicted, 1 / (1 + np.exp(-(x0 @ beta_tilde))), rtol=1e-10)
    # from the book's own clustered fit the bread is still the model-based covariance
    groups = np.arange(len(y)) % 8
    clustered = fit_logit(y, X, cov="cluster", groups=groups)
    np.testing.assert_allclose(king_zeng(clustered).params.to_numpy(), beta_tilde, atol=1e-9)
