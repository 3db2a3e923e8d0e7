"""Regression test: freezes *our* Table 1 estimates (not the paper's).

An unintended change to the data pipeline or the estimators moves these numbers and fails
the test.  When a change is intended, update the frozen values in the same commit and say
why.  The comparison with the published numbers is reported in the book, not asserted.
"""

import pytest

from coupproof.analysis import estimation_frame, fit_table
from coupproof.models.specs import TABLE1

pytestmark = pytest.mark.data

#: model -> (N, events, log-likelihood, {term: (coef, clustered SE)}), default parameters
#: (S coded on the ATOP release notes' scale since the calibration chapter).
FROZEN = {
    "1": (504472, 96, -896.688, {"cb": (1.6457, 0.7289), "cb:threatA": (-0.8118, 2.3082),
                                 "const": (-9.6115, 0.8493)}),
    "2": (423269, 89, -605.693, {"cb": (0.6537, 0.5825), "cb:threatA": (1.4059, 1.9353),
                                 "threatB": (-4.3005, 1.0035), "shared_def": (4.6398, 0.3615),
                                 "regime_diff": (-0.1185, 0.0412), "const": (-7.7923, 0.6150)}),
    "3": (504472, 96, -897.827, {"cb": (2.1115, 0.5665), "cb:threatB": (-2.7062, 1.7754)}),
    "4": (423269, 89, -603.036, {"cb": (2.7646, 0.6729), "cb:threatB": (-5.1211, 1.9584),
                                 "threatA": (-2.4532, 0.8902), "shared_def": (4.5875, 0.3526),
                                 "new_regimeA": (-0.7320, 0.3074), "const": (-10.2647, 0.9882)}),
}


@pytest.fixture(scope="module")
def table1(raw_data):
    return fit_table(estimation_frame(), TABLE1)


@pytest.mark.parametrize("model", sorted(FROZEN))
def test_table1_estimates_are_unchanged(table1, model):
    nobs, events, llf, coefs = FROZEN[model]
    res = table1[model]
    assert res.nobs == nobs and res.info["events"] == events
    assert res.llf == pytest.approx(llf, abs=1e-3)
    for term, (coef, se) in coefs.items():
        assert res.params[term] == pytest.approx(coef, abs=1e-4), term
        assert res.bse[term] == pytest.approx(se, abs=1e-4), term
