"""Each figure builds, draws and saves on small synthetic frames; bad input fails loudly."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from plotnine import ggplot

from coupproof.report import figures as F


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _effects(n: int = 25) -> pd.DataFrame:
    grid = np.linspace(0, 1, n)
    frames = []
    for panel, b0, b1 in [(F.PANEL_A, 0.436, 2.018), (F.PANEL_B, 3.493, -7.668)]:
        est = b0 + b1 * grid
        frames.append(pd.DataFrame({"panel": panel, "moderator": grid, "estimate": est,
                                    "lower": est - 1.0, "upper": est + 1.0}))
    return pd.concat(frames, ignore_index=True)


def _moderators(n: int = 500) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.concat([
        pd.DataFrame({"panel": F.PANEL_A, "value": rng.beta(1, 6, n)}),
        pd.DataFrame({"panel": F.PANEL_B, "value": rng.beta(2, 5, n)}),
    ], ignore_index=True)


def _pred(n: int = 25) -> pd.DataFrame:
    grid = np.linspace(0, 1, n)
    frames = []
    for label, cb in [("No counterbalancing (0)", 0.0), ("Mean + 1 sd (1.28)", 1.28),
                      ("Mean (0.78)", 0.78)]:           # deliberately out of order
        eta = -6 + 3.5 * cb + 5.8 * grid - 7.7 * cb * grid
        p = 1 / (1 + np.exp(-eta))
        frames.append(pd.DataFrame({"level": label, "value": cb, "moderator": grid, "estimate": p,
                                    "lower": p * 0.5, "upper": np.minimum(p * 1.5, 1)}))
    return pd.concat(frames, ignore_index=True)


def _comparison() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    pub = rng.normal(0, 3, 30)
    return pd.DataFrame({"table": np.repeat([1, 2, 5], 10), "term": "x",
                         "published": pub, "ours": pub + rng.normal(0, 0.3, 30)})


def _draws(fig: ggplot) -> None:
    assert isinstance(fig, ggplot)
    drawn = fig.draw()
    assert drawn.axes, "the figure has no axes"


def test_figure1_theory_draws_four_panels():
    fig = F.figure1_theory()
    assert isinstance(fig, ggplot)
    assert len(fig.draw().axes) == 4


@pytest.mark.parametrize("distribution", ["hist", "rug", "none"])
def test_figure2_draws_two_panels(distribution):
    fig = F.figure2_marginal_effects(_effects(), _moderators(), distribution=distribution)
    assert isinstance(fig, ggplot)
    assert len(fig.draw().axes) == 2
    assert fig.labels.y == "Marginal effect of counterbalancing (log-odds)"


def test_figure2_panel_order_follows_the_paper():
    eff = _effects().iloc[::-1]                      # B rows first
    fig = F.figure2_marginal_effects(eff, _moderators())
    assert list(fig.data["panel"].cat.categories) == [F.PANEL_A, F.PANEL_B]


def test_figure3_levels_labels_and_save(tmp_path):
    fig = F.figure3_predicted_probabilities(_pred())
    levels = list(fig.data["level"].cat.categories)
    assert levels == ["No counterbalancing (0)", "Mean (0.78)", "Mean + 1 sd (1.28)"]
    out = F.save(fig, tmp_path / "fig3.png")
    assert out.exists() and out.stat().st_size > 1000
    assert fig.labels.x == "External threat, B"
    assert fig.labels.y == "Pr(new defense pact)"


def test_figure3_orders_levels_by_value_not_by_their_labels():
    pred = _pred()
    relabelled = pred.assign(level=pred["level"].map({"No counterbalancing (0)": "none",
                                                      "Mean (0.78)": "moderate", "Mean + 1 sd (1.28)": "high"}))
    fig = F.figure3_predicted_probabilities(relabelled)
    assert list(fig.data["level"].cat.categories) == ["none", "moderate", "high"]
    # without a value column the levels keep the order in which they appear
    fig = F.figure3_predicted_probabilities(pred.drop(columns="value"))
    assert list(fig.data["level"].cat.categories) == list(dict.fromkeys(pred["level"]))


def test_figure3_colours_follow_the_text():
    fig = F.figure3_predicted_probabilities(_pred())
    fig.draw()
    line = next(layer for layer in fig.layers if type(layer.geom).__name__ == "geom_line")
    # groups follow the level order: none, moderate (green), high (blue)
    colours = line.data.sort_values("group").drop_duplicates("group")["color"].tolist()
    assert colours == [F.FIG3_COLOURS["none"], F.FIG3_COLOURS["moderate"],
                       F.FIG3_COLOURS["high"]]


def test_coef_scatter_draws_and_saves(tmp_path):
    fig = F.coef_scatter(_comparison())
    _draws(fig)
    assert list(fig.data["Table"].cat.categories) == ["Table 1", "Table 2", "Table 5"]
    assert F.save(fig, tmp_path / "scatter.png").stat().st_size > 1000


def test_coef_scatter_accepts_other_column_names():
    cmp = _comparison().rename(columns={"published": "paper", "ours": "mine"})
    _draws(F.coef_scatter(cmp, published="paper", ours="mine"))


def test_coef_scatter_reads_the_compare_columns():
    # the column names of coupproof.report.compare.compare, plus a table column
    cmp = _comparison().rename(columns={"published": "coef_paper", "ours": "coef_ours"})
    fig = F.coef_scatter(cmp)
    _draws(fig)
    assert len(fig.data) == len(cmp)


@pytest.mark.parametrize(
    "call, frame_name",
    [
        (lambda: F.figure2_marginal_effects(_effects().drop(columns="upper"), _moderators()),
         "effects"),
        (lambda: F.figure2_marginal_effects(_effects(), _moderators().rename(
            columns={"value": "threat"})), "moderator_values"),
        (lambda: F.figure3_predicted_probabilities(_pred().rename(columns={"level": "cb"})),
         "pred"),
        (lambda: F.coef_scatter(_comparison().drop(columns="ours")), "comparison"),
    ],
)
def test_missing_columns_raise_a_clear_error(call, frame_name):
    with pytest.raises(ValueError, match=rf"{frame_name} is missing column"):
        call()


def test_other_bad_inputs():
    with pytest.raises(TypeError, match="DataFrame"):
        F.figure3_predicted_probabilities(_pred().to_dict())
    with pytest.raises(ValueError, match="exactly three"):
        F.figure3_predicted_probabilities(_pred().query("level != 'Mean (0.78)'"))
    with pytest.raises(ValueError, match="no rows"):
        F.coef_scatter(_comparison().iloc[:0])
    with pytest.raises(ValueError, match="numeric"):
        F.figure2_marginal_effects(_effects().assign(estimate="x"), _moderators())


def _binned() -> pd.DataFrame:
    return pd.DataFrame({"panel": [F.PANEL_A] * 3 + [F.PANEL_B] * 3,
                         "moderator": [0.2, 0.3, 0.45] * 2,
                         "estimate": [1.0, 1.6, -0.1, 1.4, 2.5, 0.6],
                         "lower": [0.5, 0.8, -0.7, 0.7, 1.6, -0.5],
                         "upper": [1.5, 2.4, 0.5, 2.0, 3.4, 1.8]})


@pytest.mark.parametrize("distribution", ["hist", "rug"])
def test_figure2_probability_scale_draws_two_panels_in_percentage_points(distribution):
    eff = _effects()
    eff[["estimate", "lower", "upper"]] /= 1000.0  # probabilities
    fig = F.figure2_probability_scale(eff, _moderators(), distribution=distribution)
    assert len(fig.draw().axes) == 2
    assert "Pr(new pact)" in fig.labels.y
    np.testing.assert_allclose(fig.data["estimate"].to_numpy(), 100 * eff["estimate"].to_numpy())
    assert list(fig.data["panel"].cat.categories) == [F.PANEL_A, F.PANEL_B]


def test_figure2_binned_check_lays_the_bins_over_the_line(tmp_path):
    fig = F.figure2_binned_check(_effects(), _binned(), _moderators())
    assert len(fig.draw().axes) == 2
    point = next(layer for layer in fig.layers if type(layer.geom).__name__ == "geom_point")
    assert len(point.data) == 6 and fig.labels.y == "Marginal effect of counterbalancing (log-odds)"
    fresh = F.figure2_binned_check(_effects(), _binned(), _moderators(), distribution="rug")
    assert F.save(fresh, tmp_path / "bins.png").stat().st_size > 1000
    with pytest.raises(ValueError, match="binned"):
        F.figure2_binned_check(_effects(), _binned().drop(columns="upper"), _moderators())
