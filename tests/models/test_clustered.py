"""R's cluster-robust covariance (vcovCL): by hand, against statsmodels' factors, on logit and
probit fits."""

import numpy as np
import pytest
import statsmodels.api as sm

from coupproof.models.clustered import (
    cluster_cov,
    statsmodels_cluster_factor,
    with_r_cluster_cov,
)
from coupproof.models.logit import fit_logit


def test_cluster_covariance_equals_hand_computation(sim, hand_cluster_cov):
    y, X, g = sim
    ours = fit_logit(y, X, cov="cluster", groups=g)
    np.testing.assert_allclose(ours.cov_params().to_numpy(), hand_cluster_cov(y, X, g), rtol=1e-9)
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



def test_statsmodels_cluster_without_correction_times_g_over_g_minus_1_is_rs_vcovcl(sim, hand_cluster_cov):
    """The one relation the book relies on: R's vcovCL = statsmodels' use_correction=False matrix x G/(G-1)."""
    y, X, g = sim
    G = len(np.unique(g))
    sm_plain = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0, cov_type="cluster",
                                  cov_kwds={"groups": g, "use_correction": False})
    np.testing.assert_allclose(sm_plain.cov_params() * G / (G - 1), hand_cluster_cov(y, X, g), rtol=1e-8)
    ours = fit_logit(y, X, cov="cluster", groups=g)
    np.testing.assert_allclose(ours.cov_params().to_numpy(), sm_plain.cov_params() * G / (G - 1), rtol=1e-8)


def test_with_r_cluster_cov_on_a_statsmodels_fit(sim, hand_cluster_cov):
    y, X, g = sim
    fit = sm.Logit(y, X).fit(method="newton", tol=1e-12, disp=0)
    cl = with_r_cluster_cov(fit, groups=g)
    assert type(cl) is type(fit) and cl.cov_type == "cluster"
    np.testing.assert_allclose(cl.cov_params(), hand_cluster_cov(y, X, g), rtol=1e-9)
    np.testing.assert_allclose(cl.bse, np.sqrt(np.diag(hand_cluster_cov(y, X, g))), rtol=1e-9)
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
