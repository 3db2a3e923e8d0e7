"""Shared data for the model tests: a small clustered logit sample, a dyad-year panel, and
R's vcovCL written out by hand."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm


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


@pytest.fixture(scope="module")
def hand_cluster_cov():
    """R's vcovCL on a logit, computed with a loop over clusters (a function of y, X, groups)."""
    return _hand_cluster_cov


@pytest.fixture(scope="module")
def panel():
    """A function returning a toy dyad-year panel with two event-less years."""
    return _panel
