"""Year fixed effects: event-less years dropped, equal to an explicit dummy fit and to R's
diverging-dummy fit."""

import numpy as np
import pandas as pd
import statsmodels.api as sm

from coupproof.models.design import build_design
from coupproof.models.fixed_effects import absorb_years
from coupproof.models.logit import fit_logit, logit


def test_absorb_years_drops_eventless_years_and_matches_an_explicit_dummy_fit(hand_cluster_cov, panel):
    df = panel()
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
    hand = hand_cluster_cov(kept["y"].to_numpy(), Xref, kept["dyad"].to_numpy())
    np.testing.assert_allclose(ours.cov_params().to_numpy(), hand, rtol=1e-8)


def test_absorb_years_limit_matches_r_style_fit_with_diverging_dummies(panel):
    """R keeps the event-less years with dummies near minus infinity; the other coefficients agree."""
    df = panel().dropna()
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
