"""Inference under the null on a simulated frame: the draws impose a zero interaction, use one
uniform number per undirected dyad-year, and are reproducible from the seed."""

import numpy as np
import pandas as pd
import pytest

from coupproof.keys import dyad_ids, undirected_keys
from coupproof.multiverse.null import null_draws_frame, positions, stream, summarise_draws
from coupproof.params import EstimationChoices


def simulated_frame(n_pairs: int = 400, years: int = 25, interaction: float = -4.0,
                    seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Both directions of ``n_pairs`` pairs over ``years`` years, an outcome from a logit with
    ``interaction`` on cb × threatB (and cb × threatA), and the undirected dyad-year keys."""
    rng = np.random.default_rng(seed)
    a = np.arange(n_pairs) % 40 + 2
    b = a + 1 + np.arange(n_pairs) // 40
    pairs = pd.DataFrame({"ccode1": np.r_[a, b], "ccode2": np.r_[b, a]})
    frame = pairs.merge(pd.DataFrame({"year": 1961 + np.arange(years)}), how="cross")
    n = len(frame)
    frame["cb"] = rng.exponential(1.0, n)
    frame["threatA"], frame["threatB"] = rng.uniform(0, 1, n), rng.uniform(0, 1, n)
    frame["shared_def"] = rng.binomial(1, 0.3, n).astype(float)
    frame["regime_diff"] = rng.uniform(0, 10, n)
    for c in ("recent_coupA", "new_regimeA", "militaryA"):
        frame[c] = rng.binomial(1, 0.2, n).astype(float)
    eta = (-3.0 + 0.5 * frame["cb"] + frame["threatA"] + frame["threatB"]
           + interaction * frame["cb"] * (frame["threatA"] + frame["threatB"]) / 2)
    frame["def"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    frame["dyad_undirected"] = dyad_ids(frame["ccode1"], frame["ccode2"], directed=False)
    frame["dyad_directed"] = dyad_ids(frame["ccode1"], frame["ccode2"])
    keys = np.unique(undirected_keys(frame["ccode1"], frame["ccode2"], frame["year"]))
    return frame, keys


def test_a_dyad_year_gets_one_number_in_both_directions_and_every_specification():
    frame, keys = simulated_frame(n_pairs=40, years=3)

    def uniforms(rows, seed, draw, keys):   # as null_draws_frame reads the stream
        return stream(seed, draw, len(keys))[positions(rows, keys)]

    u = uniforms(frame, seed=5, draw=2, keys=keys)
    flipped = frame.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    np.testing.assert_array_equal(u, uniforms(flipped, seed=5, draw=2, keys=keys))
    subset = frame.iloc[::7]
    np.testing.assert_array_equal(uniforms(subset, 5, 2, keys), u[::7])
    assert not np.array_equal(u, uniforms(frame, 5, 3, keys))       # another draw, other numbers
    with pytest.raises(ValueError, match="not among the keys"):
        positions(frame.assign(year=1900), keys)


def test_the_draws_impose_a_zero_interaction_and_repeat_with_their_seed():
    frame, keys = simulated_frame()
    est = EstimationChoices()
    draws = null_draws_frame(frame, est, "k", draws=12, seed=3, keys=keys)
    assert len(draws) == 24 and set(draws["model"]) == {"M2", "M4"}
    assert draws["estimate"].notna().all()
    # the data have a strong negative interaction; the draws, simulated under the null, centre
    # on zero: their mean is within three standard errors of its own (12 draws) of zero
    for _, d in draws.groupby("model"):
        assert abs(d["estimate"].mean()) < 3 * d["se"].mean() / np.sqrt(len(d))
    again = null_draws_frame(frame, est, "k", draws=12, seed=3, keys=keys)
    pd.testing.assert_frame_equal(draws, again)
    other = null_draws_frame(frame, est, "k", draws=12, seed=4, keys=keys)
    assert not np.allclose(other["estimate"], draws["estimate"])
    curves = summarise_draws(draws)
    assert len(curves) == 24 and (curves["specifications"] == 1).all()
