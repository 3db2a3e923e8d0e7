"""The scorecard keeps every published row: none is silently dropped."""

import pandas as pd

from coupproof.report.compare import published_estimates, published_model_stats
from coupproof.report.scorecard import coefficient_scorecard, our_model_stats, stats_scorecard


def test_every_published_coefficient_has_a_row_even_without_results():
    card = coefficient_scorecard(tables={})
    pub = published_estimates()
    assert len(card) == len(pub) == 310
    assert (card["flag"] == "missing").all()
    keys = set(zip(card["table"], card["model"].astype(int), card["term"]))
    assert keys == set(zip(pub["table"], pub["model"], pub["term"]))


def test_matched_rows_and_one_missing_table():
    pub = published_estimates(1)
    ours = pub[["model", "term", "coef", "se"]].assign(coef=lambda d: d["coef"] * 1.0001)
    card = coefficient_scorecard(tables={1: ours})
    t1 = card[card["table"] == 1]
    assert len(t1) == len(pub) and (t1["flag"] == "").all() and t1["sign_agree"].all()
    assert (card.loc[card["table"] != 1, "flag"] == "missing").all()


def test_every_published_statistic_has_a_row():
    stats = stats_scorecard(tables={})
    assert len(stats) == len(published_model_stats())


def test_model_stats_use_total_n_and_imr():
    tidy = pd.DataFrame({"model": [2, 2], "term": ["cb", "imr"], "coef": [1.0, 0.5],
                         "se": [0.1, 0.2], "nobs": [89, 89], "nobs_total": [420000, 420000],
                         "llf": [float("nan")] * 2})
    s = our_model_stats(10, tidy)[2]
    assert s == {"N": 420000.0, "IMR": 0.5, "IMR_se": 0.2}
