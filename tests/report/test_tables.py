"""Regression and comparison tables: labels, cells, statistics rows, HTML rendering."""

import numpy as np
import pandas as pd
import pytest
from great_tables import GT

from coupproof.models.results import ModelResult
from coupproof.report.compare import compare
from coupproof.report.tables import (
    comparison_table,
    format_number,
    label_map,
    regression_frame,
    regression_table,
    star_note,
    term_label,
)


def test_term_labels_follow_the_paper():
    assert term_label("cb") == "Counterbalancing, A"
    assert term_label("threatB") == "External threat, B"
    assert term_label("cb:threatB") == "Counterbalancing, A × External threat, B"
    assert term_label("shared_def") == "Shared defense pacts"
    assert term_label("regime_diff") == "Regime difference"
    assert term_label("recent_coupA") == "Recent coup, A"
    assert term_label("new_regimeA") == "New regime, A"
    assert term_label("militaryA") == "Military regime, A"
    assert term_label("const") == "Constant"
    assert term_label("const", table=5) == "Intercept"
    assert term_label("cb:threat", table=15) == "Counterbalancing × External threat"
    assert term_label("mystery:cb") == "mystery × Counterbalancing, A"
    assert label_map(15)["polity2"] == "Polity2 score"


def test_number_format_and_star_note():
    assert format_number(1.6784) == "1.678"
    assert format_number(-2.1e-7) == "-2.10e-07"  # would print as -0.000
    assert format_number(0.0) == "0.000"
    assert format_number(np.nan) == ""
    assert star_note() == "***p < .01; **p < .05; *p < .1"
    assert star_note((0.05, 0.01, 0.001)) == "***p < .001; **p < .01; *p < .05"


@pytest.fixture
def results():
    names = ["cb", "threatA", "cb:threatA", "const"]
    m1 = ModelResult.from_arrays([1.678, 0.41, -1.077, -9.977], np.diag([0.577, 2.416, 1.93, 0.677]) ** 2,
                                 names, nobs=505403, llf=-600.1234, name="x")
    m3 = ModelResult.from_arrays([2.468, 6.086, -3.781, -11.665], np.diag([0.53, 1.857, 1.47, 0.693]) ** 2,
                                 ["cb", "threatB", "cb:threatB", "const"], nobs=505403, llf=-590.5)
    return {"Model 1": m1, "Model 3": m3}


def test_regression_frame_cells(results):
    f = regression_frame(results, table=1)
    assert f.columns.tolist() == ["label", "term", "row", "Model 1", "Model 3"]
    cb = f[(f["term"] == "cb")].set_index("row")
    assert cb.loc["coef", "Model 1"] == "1.678***" and cb.loc["se", "Model 1"] == "(0.577)"
    assert cb.loc["coef", "label"] == "Counterbalancing, A" and cb.loc["se", "label"] == ""
    inter = f[(f["term"] == "cb:threatB") & (f["row"] == "coef")].iloc[0]
    assert inter["Model 3"] == "-3.781**" and inter["Model 1"] == ""
    stats = f[f["row"] == "stat"].set_index("term")
    assert stats.loc["N", "Model 1"] == "505,403"
    assert stats.loc["LL", "Model 3"] == "-590.500" and stats.loc["LL", "label"] == "Log likelihood"


def test_regression_frame_thresholds_order_and_hidden_terms(results):
    f5 = regression_frame(results, table=5, term_order=["const", "cb"], hide_terms=["const"])
    assert f5["term"].tolist()[:2] == ["cb", "cb"]
    assert f5.loc[0, "Model 3"] == "2.468***"  # p < .001
    cells = regression_frame(results, table=5).set_index(["term", "row"])
    assert cells.loc[("cb:threatB", "coef"), "Model 3"] == "-3.781*"  # p = .010: one star at .05


def test_regression_frame_from_tidy(results):
    tidy = pd.concat([r.renamed(k).tidy() for k, r in results.items()])
    f = regression_frame(tidy, table=1)
    assert f.set_index(["term", "row"]).loc[("cb", "coef"), "Model 3"] == "2.468***"


def test_regression_table_renders_html(results):
    gt = regression_table(results, table=1, title="Table 1", dv_label="Defense pacts",
                          notes=["Standard errors clustered by the dyad (in parentheses)."])
    assert isinstance(gt, GT)
    html = gt.as_raw_html()
    for text in ("Counterbalancing, A × External threat, A", "1.678***", "(0.577)", "505,403",
                 "Defense pacts", "Standard errors clustered", "p &lt; .01"):
        assert text in html, text


def test_comparison_table_renders_and_marks_flags():
    pub = pd.DataFrame({"table": 1, "model": [1, 1, 1], "dv": "def", "term": ["cb", "threatA", "const"],
                        "coef": [1.678, 0.41, -9.977], "se": [0.577, 2.416, 0.677], "stars": [3, 0, 3]})
    ours = pd.DataFrame({"model": [1, 1], "term": ["cb", "threatA"], "coef": [1.7, -0.5], "se": [0.58, 2.4]})
    cmp = compare(ours, 1, published=pub)
    html = comparison_table(cmp, table=1, title="Table 1 vs ours").as_raw_html()
    assert "External threat, A" in html and "sign" in html and "missing" in html
    assert "#f4c7c3" in html.lower()  # the sign disagreement is shaded


def test_default_row_order_follows_the_paper_with_the_constant_last():
    from coupproof.report.tables import default_term_order

    order = default_term_order(["const", "cb:threatB", "cb", "threatB", "extra"], 1)
    assert order == ["cb", "threatB", "cb:threatB", "extra", "const"]
    assert default_term_order(["cb", "const"], 5) == ["const", "cb"]  # Table 5 prints it first
    assert default_term_order(["b", "const", "a"]) == ["b", "a", "const"]
