"""Numbers and verdicts for the prose: formatting, significance levels, verdicts from estimates."""

import math

from coupproof.report import prose


def test_numbers_have_a_true_minus_and_fixed_decimals():
    assert prose.number(-7.3104) == "−7.310"
    assert prose.number(0.0004, 3) == "0.000" and prose.number(-0.0004, 3) == "0.000"
    assert prose.number(float("nan")) == "—" and prose.number(None) == "—"
    assert prose.count(423269) == "423,269"
    assert prose.signed_count(2718) == "+2,718" and prose.signed_count(-931) == "−931"
    assert prose.signed_count(0) == "0"
    assert prose.percent(0.00646) == "0.6 %" and prose.percent(-0.0018, 2, signed=True) == "−0.18 %"


def test_p_values_and_lists():
    assert prose.pvalue(0.0004) == "< 0.001" and prose.p_phrase(0.0004) == "p < 0.001"
    assert prose.p_phrase(0.0312) == "p = 0.031"
    assert prose.join(["1", "3"]) == "1 and 3" and prose.join(["a", "b", "c"]) == "a, b and c"
    assert prose.join(["x"]) == "x" and prose.join([]) == ""


def test_significance_at_a_tables_own_thresholds():
    assert prose.significance(3) == "significant at 1 %"
    assert prose.significance(0) == "not significant at 10 %"
    assert prose.significance(1, (0.05, 0.01, 0.001)) == "significant at 5 %"
    assert prose.significance(3, (0.05, 0.01, 0.001)) == "significant at 0.1 %"


def test_verdicts_follow_the_estimates():
    assert prose.verdict(-7.3, 1.8, -7.668, 1.897).startswith("the paper's sign and significance level")
    weaker = prose.verdict(-3.0, 1.8, -7.668, 1.897)           # z = 1.67: one star against three
    assert weaker.startswith("the paper's sign but not its significance level")
    assert "significant at 10 % here, significant at 1 % in the paper" in weaker
    assert prose.verdict(0.3, 2.0, -1.0, 2.0).startswith("the opposite sign")
    # the paper's printed stars win over a recomputation from its rounded numbers
    assert "significant at 5 % in the paper" in prose.verdict(-3.0, 1.8, -3.9, 1.9, stars_paper=2)


def test_support_for_a_hypothesis():
    assert prose.support(-5.9, 1.8, -1, "H1b") == "in line with H1b"
    assert prose.support(-1.5, 1.3, -1, "H1b") == "the sign H1b predicts, but not significant at 5 %"
    assert prose.support(0.3, 2.0, -1, "H1a") == "the opposite of what H1a predicts"
    assert math.isclose(float(prose.number(1.0, 1)), 1.0)
