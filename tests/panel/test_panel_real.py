"""Invariants of the real panel (default parameters) and the targets it must keep meeting."""

import pytest

from coupproof.panel import diagnostics
from coupproof.codebook import control_columns
from coupproof.panel.build import load_panel
from coupproof.panel.sample import restrict_sample

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def panel(raw_data):
    return load_panel()


def test_structural_invariants(panel):
    checks = diagnostics.invariants(panel).set_index("check")["result"]
    assert checks["(A, B, year) is unique"] is True
    assert checks["A is never B"] is True
    assert checks["A and B are COW system members in the year"] is True
    assert checks["every dyad-year appears in both directions"] is True
    assert checks["every def event is coded in both directions"] is True


def test_lags_are_missing_in_a_states_first_year(panel):
    # South Sudan (626) entered the system in 2011, outside the panel; Eritrea (531) in 1993:
    first = panel[(panel["ccode1"] == 531) & (panel["year"] == 1993)]
    assert len(first) > 0 and first["shared_def_l"].isna().all() and first["threat_l_A"].isna().all()


def test_frame_and_sample_sizes_stay_near_the_paper(panel):
    frame = restrict_sample(panel)
    assert abs(len(frame) - 754_286) <= 50                  # Table 3 frame
    assert int(frame["def"].sum()) == 114                   # event rows (n of concessions)
    n_m2 = int(frame[["lncb_l_A", *control_columns("paper")]].notna().all(axis=1).sum())
    assert abs(n_m2 - 420_551) / 420_551 < 0.01             # Table 1, Models 2 and 4
