"""Comparison with the published record: flags, unmatched terms, thresholds, stats, atomic writes."""

import numpy as np
import pandas as pd
import pytest

from coupproof.report.compare import (
    compare,
    compare_stats,
    implied_crossing,
    model_key,
    published_estimates,
    published_model_stats,
    published_stat,
    published_text,
    published_text_values,
    published_value,
    star_thresholds,
)

PUBLISHED = pd.DataFrame(
    {
        "table": 1,
        "model": [1, 1, 1, 1],
        "dv": "def",
        "term": ["cb", "threatA", "cb:threatA", "const"],
        "coef": [1.678, 0.410, -1.077, -9.977],
        "se": [0.577, 2.416, 1.930, 0.677],
        "stars": [3, 0, 0, 3],
    }
)

OURS = pd.DataFrame(
    {
        "model": ["T1-M1", "T1-M1", "T1-M1", "T1-M1"],
        "term": ["cb", "threatA", "cb:threatA", "year[1962]"],
        "coef": [1.700, -0.500, -1.077, 0.3],
        "se": [0.580, 2.400, 0.500, 0.1],
    }
)


@pytest.fixture
def cmp():
    return compare(OURS, 1, published=PUBLISHED)


def test_columns_and_row_order(cmp):
    assert cmp.columns.tolist() == [
        "model", "term", "coef_paper", "se_paper", "stars_paper", "coef_ours", "se_ours",
        "stars_ours", "diff_in_paper_se", "sign_agree", "stars_agree", "flag",
    ]
    assert cmp["term"].tolist() == ["cb", "threatA", "cb:threatA", "const"]  # the paper's order


def test_agreement_sign_and_significance_flags(cmp):
    flags = dict(zip(cmp["term"], cmp["flag"]))
    assert flags["cb"] == ""  # z = 2.93: three stars, like the paper
    assert flags["threatA"] == "sign"
    assert flags["cb:threatA"] == "significance"  # same coefficient, SE 0.5: two stars vs none
    row = cmp.set_index("term").loc["cb:threatA"]
    assert row["stars_ours"] == 2 and row["stars_paper"] == 0
    assert bool(row["sign_agree"]) and not bool(row["stars_agree"])
    cb = cmp.set_index("term").loc["cb"]
    assert cb["diff_in_paper_se"] == pytest.approx((1.700 - 1.678) / 0.577)


def test_unmatched_published_terms_are_kept(cmp):
    const = cmp.set_index("term").loc["const"]
    assert np.isnan(const["coef_ours"]) and np.isnan(const["se_ours"])
    assert const["flag"] == "missing"
    assert pd.isna(const["sign_agree"]) and pd.isna(const["stars_agree"])
    assert "year[1962]" not in set(cmp["term"])


def test_extra_terms_on_request():
    out = compare(OURS, 1, published=PUBLISHED, keep_extra=True)
    extra = out.set_index("term").loc["year[1962]"]
    assert extra["flag"] == "extra" and np.isnan(extra["coef_paper"])
    assert out["term"].tolist()[-1] == "year[1962]"


def test_table5_uses_texreg_thresholds():
    assert star_thresholds(5) == (0.05, 0.01, 0.001)
    assert star_thresholds(1) == star_thresholds(12) == (0.1, 0.05, 0.01)
    pub = PUBLISHED.assign(table=5, coef=[0.5, 0.41, -1.077, -9.977], stars=[1, 0, 0, 3])
    ours = pd.DataFrame({"model": [1], "term": ["cb"], "coef": [0.5], "se": [0.25]})  # z = 2, p = .046
    t5 = compare(ours, 5, published=pub).set_index("term").loc["cb"]
    t1 = compare(ours, 1, published=pub).set_index("term").loc["cb"]
    assert t5["stars_ours"] == 1 and t5["flag"] == ""
    assert t1["stars_ours"] == 2 and t1["flag"] == "significance"


def test_a_zero_printed_coefficient_has_no_sign_verdict():
    pub = PUBLISHED.iloc[:1].assign(term="d_milexA", coef=-0.0, se=0.0, stars=3)
    ours = pd.DataFrame({"model": [1], "term": ["d_milexA"], "coef": [-2.1e-7], "se": [5e-8]})
    row = compare(ours, 13, published=pub).iloc[0]
    assert pd.isna(row["sign_agree"]) and np.isnan(row["diff_in_paper_se"])
    assert row["flag"] == ""  # both three stars


def test_model_keys():
    assert [model_key(v) for v in (2, "2", "M2", "T1-M2", "Model 2")] == [2] * 5
    with pytest.raises(ValueError):
        model_key("main")


def test_duplicated_rows_are_rejected():
    with pytest.raises(ValueError, match="duplicated"):
        compare(pd.concat([OURS, OURS]), 1, published=PUBLISHED)


def test_real_published_record_is_read_and_kept_whole():
    pub = published_estimates(1)
    assert len(pub) == 28 and set(pub["model"]) == {1, 2, 3, 4}
    ours = pd.DataFrame({"model": ["1"], "term": ["cb"], "coef": [1.6], "se": [0.6]})
    out = compare(ours, 1)
    assert len(out) == 28
    assert (out["flag"] == "missing").sum() == 27
    assert published_model_stats(5).query("model == 1 and stat == 'LL'")["value"].item() == -580.114


def test_compare_stats_keeps_every_published_statistic():
    out = compare_stats({"T5-M2": {"N": 420551, "LL": -574.0, "AIC": 1168.0}}, 5)
    assert len(out) == len(published_model_stats(5))
    m2 = out[out["model"] == 2].set_index("stat")
    assert m2.loc["N", "diff"] == 0
    assert m2.loc["LL", "diff"] == pytest.approx(-574.0 + 574.377)
    assert np.isnan(m2.loc["BIC", "ours"])
    assert out[out["model"] == 1]["ours"].isna().all()
    long = pd.DataFrame({"model": [2], "stat": ["N"], "value": [420551]})
    assert compare_stats(long, 5).set_index(["model", "stat"]).loc[(2, "N"), "diff"] == 0


def test_star_thresholds_come_from_the_registry():
    from coupproof.tables import TABLES

    assert star_thresholds(5) == TABLES[5].stars == (0.05, 0.01, 0.001)
    assert star_thresholds(1) == (0.1, 0.05, 0.01)
    assert star_thresholds(99) == (0.1, 0.05, 0.01)   # a table outside the registry: the default


def test_published_text_values_by_key():
    values = published_text_values()
    assert values["key"].is_unique and set(values.columns) >= {"key", "quantity", "value", "where"}
    assert published_text("mean_threatB") == values.set_index("key").loc["mean_threatB", "value"]
    with pytest.raises(KeyError, match="no published text value 'nope'"):
        published_text("nope")


def test_published_cells_and_the_crossing_they_imply():
    pub = published_estimates(1).set_index(["model", "term"])
    assert published_value(1, 4, "cb:threatB") == pub.loc[(4, "cb:threatB"), "coef"]
    assert published_value(1, "M4", "cb", "se") == pub.loc[(4, "cb"), "se"]
    expected = -pub.loc[(4, "cb"), "coef"] / pub.loc[(4, "cb:threatB"), "coef"]
    assert implied_crossing(1, 4, "cb", "cb:threatB") == pytest.approx(expected)
    assert published_stat(5, 1, "LL") == published_model_stats(5).query("model == 1 and stat == 'LL'")["value"].item()
    with pytest.raises(KeyError, match="prints no term"):
        published_value(1, 1, "threatB")
