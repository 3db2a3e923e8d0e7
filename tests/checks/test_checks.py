"""The checks beyond the paper's tables, on small frames with known answers."""

import numpy as np
import pandas as pd
import pytest

from coupproof.checks.concessions import ItemListSearch, count_summary, half_up
from coupproof.checks.formation import events_both_ways, paper_cluster_ratio
from coupproof.checks.heckit import imr_collinearity
from coupproof.checks.lpm import pair_counts, pair_lpm, scaled, within_shares
from coupproof.report.compare import published_value


def test_events_seen_from_both_directions():
    frame = pd.DataFrame({"ccode1": [2, 20, 2, 40, 41], "ccode2": [20, 2, 30, 41, 40],
                          "year": [1970, 1970, 1971, 1980, 1981], "def": [1, 1, 1, 1, 0]})
    assert events_both_ways(frame) == {"events": 4, "both_ways": 2, "pairs": 3}


def test_the_papers_cluster_ratio_comes_from_its_own_tables():
    r = paper_cluster_ratio("shared_def")
    assert r["ratio"] == pytest.approx(published_value(1, 2, "shared_def", "se") / published_value(5, 1, "shared_def", "se"))


def test_rounding_half_up_and_count_summaries():
    assert half_up([0.5, 1.5, 2.4999, -0.5]).tolist() == [1.0, 2.0, 2.0, 0.0]
    s = count_summary(pd.Series([0, 1, 2, np.nan, 5]))
    assert s["n"] == 4 and s["max"] == 5 and s["share > 0"] == 0.75 and s["median"] == 1.5


def test_an_item_list_search_reports_what_all_matches_share():
    search = ItemListSearch(pool=("a", "b", "c", "d"), size=2, n_lists=6,
                            matching=(("a", "b"), ("a", "c")))
    assert search.common == ["a"] and search.contains(["c", "a"]) and not search.contains(["b", "c"])
    assert ItemListSearch(("a",), 1, 1, ()).common == []


def _panel(seed=0, pairs=40, years=12):
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(pairs):
        a, b = 100 + p, 500 + p
        pair_effect = rng.normal(0, 0.05)
        for y in range(2000, 2000 + years):
            for c1, c2 in ((a, b), (b, a)):
                cb = rng.integers(0, 3) * 0.5
                tb = rng.uniform(0, 1)
                p_def = 0.05 + pair_effect + 0.02 * cb - 0.03 * cb * tb
                rows.append({"ccode1": c1, "ccode2": c2, "year": y, "cb": cb, "threatB": tb,
                             "def": float(rng.uniform() < max(p_def, 0))})
    f = pd.DataFrame(rows)
    f["dyad_directed"] = f["ccode1"] * 1000 + f["ccode2"]
    f["dyad_undirected"] = np.minimum(f["ccode1"], f["ccode2"]) * 1000 + np.maximum(f["ccode1"], f["ccode2"])
    return f


def test_pair_lpm_absorbs_the_effects_it_names():
    f = _panel()
    terms = ["cb", "threatB", "cb:threatB", "const"]
    pooled, pair, directed = (pair_lpm(f, terms, e, e) for e in ("none", "pair", "directed"))
    assert "const" not in pair.params.index and pooled.nobs == len(f)
    assert pair.stats["clusters"] == f["dyad_undirected"].nunique()
    assert not np.allclose(pooled.params, pair.params)
    doubled = scaled(pair, 2.0)
    assert np.allclose(doubled.params, 2 * pair.params) and np.allclose(doubled.bse, 2 * pair.bse)
    with pytest.raises(ValueError, match="effects must be one of"):
        pair_lpm(f, terms, "state", "x")
    counts = pair_counts(f, pair.info["used_index"])
    assert counts["pairs"] == 40 and counts["pairs_with_event"] <= 40


def test_within_shares_are_zero_for_a_pair_constant():
    f = _panel()
    f["cb"] = f["dyad_undirected"] % 7 * 0.1      # constant within each pair
    shares = within_shares(f, f.index)
    assert shares.loc["cb", "within undirected pair"] == pytest.approx(0, abs=1e-12)
    assert 0 < shares.loc["threatB", "within directed dyad"] <= 1


def test_imr_collinearity_is_one_without_an_exclusion_restriction():
    from coupproof.models.heckit import heckit

    rng = np.random.default_rng(3)
    n = 4000
    z = rng.normal(size=n)
    x = rng.normal(size=n)
    u, e = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], size=n).T
    s = (0.3 + 0.8 * z + 0.5 * x + u > 0).astype(float)
    y = np.where(s == 1, 1.0 + 0.7 * x + e, np.nan)
    df = pd.DataFrame({"def": s, "y": y, "x": x, "z": z})
    with_excl = heckit(df, "def", ["x", "z", "const"], "y", ["x", "const"])
    r2 = imr_collinearity(df, with_excl)
    assert 0 < r2 < 0.99
    # λ is a function of the index x, z; with z excluded from the outcome it cannot be reproduced
    assert r2 < imr_collinearity(df, heckit(df, "def", ["x", "const"], "y", ["x", "const"]))
