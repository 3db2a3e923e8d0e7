"""The held-out scorecard counts, on a hand-made card."""

import numpy as np
import pandas as pd
import pytest

from coupproof.calibration.heldout import scorecard_counts


def test_counts_follow_the_card():
    card = pd.DataFrame({
        "coef_ours": [1.0, -2.0, 0.5, np.nan],
        "sign_agree": pd.array([True, False, True, pd.NA], dtype="boolean"),
        "stars_agree": pd.array([True, True, False, pd.NA], dtype="boolean"),
        "diff_in_paper_se": [0.5, -3.0, 1.0, np.nan],
    })
    out = scorecard_counts(card)
    assert out["coefficients"] == 4 and out["estimated"] == 3
    assert out["same sign"] == pytest.approx(2 / 3)
    assert out["same stars"] == pytest.approx(2 / 3)
    assert out["within one published SE"] == pytest.approx(2 / 3)   # |0.5|, |1.0| ≤ 1
