"""The distance to the published record: zero at the published numbers, hand-computable."""

import numpy as np
import pandas as pd
import pytest

from coupproof.calibration.distance import (COUNT_TOLERANCE, LL_TOLERANCE, THREAT_TOLERANCE,
                                            distance_components, published_record, total_distance)


def as_ours(record):
    """A construction whose every statistic equals the published one."""
    return {"coefficients": {m: pub["coef"].copy() for m, pub in record["coefficients"].items()},
            "log_likelihood": dict(record["log_likelihood"]),
            "model_n": dict(record["model_n"]),
            "mean_threat_b": record["mean_threat_b"],
            "table3_counts": dict(record["table3_counts"])}


def test_the_published_numbers_are_read_from_the_record():
    rec = published_record()
    assert rec["log_likelihood"] == {"M2": -580.114, "M4": -574.377}
    assert rec["mean_threat_b"] == 0.27 and rec["model_n"]["M4"] == 420551
    assert rec["coefficients"]["M4"].loc["cb:threatB", "coef"] == -7.668
    assert rec["table3_counts"]["def"] == 754286 and len(rec["coefficients"]["M2"]) == 10


def test_a_construction_equal_to_the_published_numbers_scores_zero():
    rec = published_record()
    comps = distance_components(as_ours(rec), rec)
    assert all(v == 0 for v in comps.values()) and total_distance(comps) == 0


def test_a_perturbed_construction_scores_what_the_formula_gives_by_hand():
    rec = published_record()
    ours = as_ours(rec)
    # one coefficient two published SEs off (cb:threatB in Model 4: -7.668 + 2 x 1.897)
    ours["coefficients"]["M4"]["cb:threatB"] = -7.668 + 2 * 1.897
    # Model 2's log-likelihood 3 % worse, the mean threat 0.04 too high, one count 2 % short
    ours["log_likelihood"]["M2"] = -580.114 * 1.03
    ours["mean_threat_b"] = 0.31
    ours["table3_counts"]["reg_diff_l"] = 663148 * 0.98
    comps = distance_components(ours, rec)
    assert comps["coefficients"] == pytest.approx(4 / 20)          # one z = 2 among 20
    assert comps["log_likelihood"] == pytest.approx(1 / 2)         # one gap of 1 unit, one of 0
    assert comps["mean_threat_b"] == pytest.approx((0.04 / THREAT_TOLERANCE) ** 2)   # 4
    assert comps["table3_counts"] == pytest.approx(4 / 5)          # one gap of 2 units among 5
    assert comps["model_n"] == 0
    assert total_distance(comps) == pytest.approx(0.2 + 0.5 + 4 + 0.8)
    assert LL_TOLERANCE == 0.03 and COUNT_TOLERANCE == 0.01


def test_missing_parts_are_missing_not_zero():
    rec = published_record()
    comps = distance_components({"mean_threat_b": 0.29}, rec)
    assert np.isnan(comps["coefficients"]) and comps["mean_threat_b"] == pytest.approx(1.0)
    assert total_distance(comps) == pytest.approx(1.0)
