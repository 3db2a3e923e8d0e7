"""Hurdle model (pscl::hurdle defaults) on simulated data with known parameters."""

import warnings

import numpy as np
import pytest
from scipy import optimize
from scipy.special import expit, gammaln
from statsmodels.discrete.truncated_model import TruncatedLFPoisson

from coupproof.models.diagnostics import ConvergenceError, SeparationError
from coupproof.models.hurdle import fit_hurdle, fit_truncated_poisson, truncated_poisson_loglik

GAMMA = np.array([-0.3, 0.8, -0.5])  # zero hurdle (logit of P(y > 0))
BETA = np.array([0.4, 0.35, -0.25])  # truncated Poisson (log mean)
NAMES = ["const", "x1", "x2"]


@pytest.fixture(scope="module")
def sim():
    rng = np.random.default_rng(2024)
    n = 5000
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.binomial(1, 0.4, n)])
    crosses = rng.random(n) < expit(X @ GAMMA)
    mu = np.exp(X @ BETA)
    counts = rng.poisson(mu)
    while (bad := counts == 0).any():  # zero-truncated draws by rejection
        counts[bad] = rng.poisson(mu[bad])
    y = np.where(crosses, counts, 0).astype(float)
    return y, X


@pytest.fixture(scope="module")
def fitted(sim):
    y, X = sim
    return fit_hurdle(y, X, NAMES)


def test_total_loglik_is_the_sum_of_the_parts(fitted, sim):
    y, _ = sim
    assert fitted.llf == pytest.approx(fitted.zero.llf + fitted.count.llf, abs=1e-12)
    assert fitted.nobs == len(y)
    assert fitted.zero.nobs == len(y) and fitted.count.nobs == int((y > 0).sum())


def test_count_part_recovers_the_true_parameters(fitted):
    est, se = fitted.count.params.to_numpy(), fitted.count.bse.to_numpy()
    assert np.all(np.abs(est - BETA) < 4 * se)
    assert np.all(se < 0.06)  # the test has power: the parameters are pinned down
    est_z, se_z = fitted.zero.params.to_numpy(), fitted.zero.bse.to_numpy()
    assert np.all(np.abs(est_z - GAMMA) < 4 * se_z)


def test_count_part_is_statsmodels_truncated_poisson(sim, fitted):
    y, X = sim
    pos = y > 0
    ref = TruncatedLFPoisson(y[pos], X[pos], truncation=0).fit(method="newton", maxiter=200, disp=0)
    assert isinstance(fitted.count.model, TruncatedLFPoisson)
    np.testing.assert_allclose(fitted.count.params.to_numpy(), ref.params, atol=1e-7)
    np.testing.assert_allclose(fitted.count.bse.to_numpy(), ref.bse, rtol=1e-5)
    assert fitted.count.llf == pytest.approx(ref.llf, abs=1e-7)


def test_count_part_score_is_zero_and_its_covariance_is_the_analytic_inverse_information(sim, fitted):
    """Checked by hand: score X'(y - mu/(1 - e^-mu)) and information X' diag(r (1 + mu - r)) X, r = E(y | y > 0)."""
    y, X = sim
    pos = y > 0
    Xp, yp = X[pos], y[pos]
    mu = np.exp(Xp @ fitted.count.params.to_numpy())
    ratio = mu / -np.expm1(-mu)
    assert np.max(np.abs(Xp.T @ (yp - ratio))) < 1e-6
    info = (Xp * (ratio * (1 + mu - ratio))[:, None]).T @ Xp
    # statsmodels' Hessian for this model is numerical; it agrees with the analytic one
    np.testing.assert_allclose(fitted.count.bse.to_numpy(), np.sqrt(np.diag(np.linalg.inv(info))), rtol=1e-5)


def _hurdle_negloglik(theta, y, X):
    k = X.shape[1]
    g, b = theta[:k], theta[k:]
    pos = y > 0
    p = expit(X @ g)
    eta = X[pos] @ b
    mu = np.exp(eta)
    ll = np.log1p(-p[~pos]).sum() + np.log(p[pos]).sum()
    ll += np.sum(y[pos] * eta - mu - np.log(-np.expm1(-mu)) - gammaln(y[pos] + 1))
    return -ll


def _hurdle_negscore(theta, y, X):
    k = X.shape[1]
    g, b = theta[:k], theta[k:]
    pos = y > 0
    mu = np.exp(X[pos] @ b)
    s_zero = X.T @ (pos - expit(X @ g))
    s_count = X[pos].T @ (y[pos] - mu / -np.expm1(-mu))
    return -np.r_[s_zero, s_count]


def test_matches_a_direct_mle_of_the_full_hurdle_likelihood(sim, fitted):
    y, X = sim
    opt = optimize.minimize(_hurdle_negloglik, np.zeros(6), args=(y, X), jac=_hurdle_negscore,
                            method="BFGS", options={"gtol": 1e-7, "maxiter": 2000})
    # BFGS may stop with "precision loss" at the optimum; check that it is one
    assert np.max(np.abs(_hurdle_negscore(opt.x, y, X))) < 1e-3
    ours = np.r_[fitted.zero.params.to_numpy(), fitted.count.params.to_numpy()]
    np.testing.assert_allclose(ours, opt.x, atol=1e-4)
    assert fitted.llf == pytest.approx(-opt.fun, abs=1e-6)
    assert fitted.llf >= -opt.fun - 1e-9  # Newton reaches at least the BFGS maximum


def test_truncated_loglik_helper_and_input_checks(sim, fitted):
    y, X = sim
    pos = y > 0
    eta = X[pos] @ fitted.count.params.to_numpy()
    assert truncated_poisson_loglik(y[pos], eta) == pytest.approx(fitted.count.llf)
    with pytest.raises(ValueError):
        fit_truncated_poisson(np.array([0.0, 1.0, 2.0, 3.0]), np.ones((4, 1)))
    with pytest.raises(ValueError):
        fit_hurdle(np.array([0.0, -1.0, 2.0, 3.0]), np.ones((4, 1)))


def test_tidy_stacks_both_parts(fitted):
    t = fitted.tidy()
    assert t["part"].tolist() == ["count"] * 3 + ["zero"] * 3
    assert set(t["llf"]) == {fitted.llf}


def test_a_dummy_that_is_one_only_where_y_is_one_is_named_before_fitting(sim):
    """Such a dummy drives its coefficient to minus infinity (pscl prints about -20 with a huge SE)."""
    y, X = sim
    pos = np.flatnonzero(y > 0)
    yp, Xp = y[pos].copy(), X[pos]
    lonely = np.zeros(len(yp))
    lonely[0], yp[0] = 1.0, 1.0
    with pytest.raises(SeparationError, match="lonely"):
        fit_truncated_poisson(yp, np.column_stack([Xp, lonely]), [*NAMES, "lonely"])
    assert issubclass(SeparationError, ConvergenceError)


def test_name_keyword_and_its_deprecated_alias(sim):
    y, X = sim
    assert fit_hurdle(y, X, NAMES, name="2").tidy()["model"].unique().tolist() == ["2"]
    with pytest.warns(PendingDeprecationWarning):
        assert fit_hurdle(y, X, NAMES, model="12").name == "12"
