"""Regression test: freezes *our* Table 1 estimates (not the paper's).

An unintended change to the data pipeline or the estimators moves these numbers and fails
the test.  When a change is intended, update the frozen values in the same commit and say
why.  The comparison with the published numbers is reported in the book, not asserted.
"""

import pytest

from coupproof.analysis import estimation_frame, fit_table
from coupproof.models.specs import TABLE1

pytestmark = pytest.mark.data

#: model -> (N, events, log-likelihood, {term: (coef, clustered SE)}), default parameters.
FROZEN = {
    "1": (504472, 96, -897.211, {"cb": (2.1302, 0.6901), "cb:threatA": (-2.2577, 2.1555),
                                 "const": (-10.2797, 0.8199)}),
    "2": (423269, 89, -605.209, {"cb": (1.1484, 0.6252), "cb:threatA": (0.3148, 2.0014),
                                 "threatB": (-5.3281, 1.0479), "shared_def": (4.7113, 0.3800),
                                 "regime_diff": (-0.1246, 0.0397), "const": (-7.8954, 0.7145)}),
    "3": (504472, 96, -897.099, {"cb": (2.5352, 0.5949), "cb:threatB": (-3.7991, 1.8344)}),
    "4": (423269, 89, -601.637, {"cb": (3.1998, 0.6421), "cb:threatB": (-5.8886, 1.8404),
                                 "threatA": (-2.5841, 1.1322), "shared_def": (4.7041, 0.3729),
                                 "new_regimeA": (-0.7030, 0.3090), "const": (-10.2831, 1.0340)}),
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
