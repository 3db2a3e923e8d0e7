"""Valued portfolios and allied pairs on toy systems worked by hand."""

import numpy as np
import pytest

from coupproof.panel import threat as T

from .toys import PORTFOLIOS, TOY, TOY_SYSTEM, dyads, system, toy_s


# ------------------------------------------------------------------------------ portfolios

def test_portfolios_take_max_over_directions_and_top_value_on_diagonal():
    p = T.valued_portfolios(TOY, TOY_SYSTEM, "atop_3210")
    np.testing.assert_array_equal(p[2000], PORTFOLIOS)


def test_scale_values_follow_the_strongest_obligation():
    d = dyads([(1, 2, 2000, "consul", "defense"), (1, 2, 2001, "nonagg"),
               (1, 2, 2002, "consul"), (1, 2, 2003, "offense"), (1, 2, 2004)])
    assert T.CODINGS["atop_3210"].values(d).tolist() == [3, 2, 1, 3, 0]
    assert T.CODINGS["defense_only"].values(d).tolist() == [1, 0, 0, 0, 0]
    # the ATOP release notes' scale: consultation above non-aggression
    d = dyads([(1, 2, 2000, "consul", "nonagg"), (1, 2, 2001, "nonagg"), (1, 2, 2002, "consul"),
               (1, 2, 2003, "neutral"), (1, 2, 2004, "defense", "consul")])
    assert T.CODINGS["atop_release"].values(d).tolist() == [2, 1, 2, 2, 3]


def test_unknown_scale_is_rejected():
    with pytest.raises(ValueError, match="atop_3210"):
        T.valued_portfolios(TOY, TOY_SYSTEM, coding="cow_valued")



