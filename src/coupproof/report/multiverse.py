"""Reading a multiverse: the specification curve, its summary, and which choices move it.

* :func:`curve_frame` ranks the specifications by their estimate and labels each by sign and
  significance;
* :func:`specification_curve` draws the curve (estimates with intervals, ranked) above an
  indicator panel with one row per option of each choice (specr's layout), in plotnine;
* :func:`curve_summary` gives what a reader asks first: the median estimate and the shares
  significant in each direction;
* :func:`choice_effects` and :func:`variance_by_choice` say which choices move the estimate:
  the median estimate under each option, and each choice's share of the variance of the
  estimates (type-II sums of squares of a linear model of the estimate on every choice).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from plotnine import (aes, element_blank, element_text, facet_grid, geom_hline, geom_linerange,
                      geom_point, geom_vline, ggplot, labs, scale_color_manual, theme, theme_bw)
from statsmodels.stats.anova import anova_lm

from coupproof.multiverse.space import BY_NAME

#: Colours of the three kinds of estimate.
CATEGORY_COLOURS = {"negative, p < .05": "#b2182b", "not significant": "#969696",
                    "positive, p < .05": "#2166ac"}


def choice_columns(records: pd.DataFrame) -> list[str]:
    """The choices that vary across ``records`` (``choice.<name>`` columns), in space order."""
    cols = [c for c in records.columns if c.startswith("choice.")]
    varying = [c for c in cols if records[c].nunique() > 1]
    order = list(BY_NAME)
    return sorted(varying, key=lambda c: order.index(c[7:]) if c[7:] in order else len(order))


def curve_frame(records: pd.DataFrame, estimate: str, se: str, p: str, level: float = 0.05,
                z: float = 1.959964) -> pd.DataFrame:
    """The specifications with an estimate, ranked: ``rank``, ``estimate``, ``lower``,
    ``upper``, ``category`` (sign and significance at ``level``), and the choice columns."""
    ok = records[records[estimate].notna()].copy()
    ok = ok.sort_values(estimate, kind="stable").reset_index(drop=True)
    ok["rank"] = np.arange(1, len(ok) + 1)
    ok["estimate"] = ok[estimate]
    ok["lower"] = ok[estimate] - z * ok[se]
    ok["upper"] = ok[estimate] + z * ok[se]
    sig = ok[p] < level
    ok["category"] = np.where(sig & (ok[estimate] < 0), "negative, p < .05",
                              np.where(sig & (ok[estimate] > 0), "positive, p < .05",
                                       "not significant"))
    ok["category"] = pd.Categorical(ok["category"], list(CATEGORY_COLOURS))
    return ok


def specification_curve(records: pd.DataFrame, estimate: str, se: str, p: str, *,
                        title: str, y_label: str, highlight: str | None = None,
                        choices: Sequence[str] | None = None, height: float = 12.0,
                        per_panel: int = 8):
    """The specification curve over its indicator panel (a plotnine composition).

    ``highlight`` is the key of a specification to mark (the book's default) with a vertical
    line through both panels.
    """
    frame = curve_frame(records, estimate, se, p)
    cols = list(choices) if choices is not None else choice_columns(frame)
    marked = frame.loc[frame["key"] == highlight, "rank"] if highlight else pd.Series(dtype=float)
    top = (ggplot(frame, aes("rank", "estimate", color="category"))
           + geom_hline(yintercept=0, linetype="dashed", color="#444444")
           + geom_linerange(aes(ymin="lower", ymax="upper"), alpha=0.35)
           + geom_point(size=0.9)
           + scale_color_manual(values=CATEGORY_COLOURS, drop=False)
           + labs(x="", y=y_label, color="", title=title)
           + theme_bw() + theme(legend_position="top", axis_text_x=element_blank(),
                                figure_size=(9, height)))
    labels = [BY_NAME[c[7:]].label if c[7:] in BY_NAME else c[7:] for c in cols]
    long = frame.melt(id_vars=["rank", "category"], value_vars=cols, var_name="choice",
                      value_name="option")
    long["choice"] = pd.Categorical(long["choice"].map(dict(zip(cols, labels))), labels)
    if len(marked):
        top = top + geom_vline(xintercept=float(marked.iloc[0]), color="#000000", alpha=0.6)
    # The indicator panel comes in chunks of about eight choices, each stacked as a plot of its
    # own, so that the choices get most of the figure's height (a composition shares it equally).
    chunks = [labels[i:i + per_panel] for i in range(0, len(labels), per_panel)] or [[]]
    composed = top
    for k, chunk in enumerate(chunks):
        part = (ggplot(long[long["choice"].isin(chunk)], aes("rank", "option", color="category"))
                + geom_point(shape="|", size=2.5)
                + scale_color_manual(values=CATEGORY_COLOURS, drop=False)
                + facet_grid("choice ~ .", scales="free_y", space="free_y")
                + labs(x="specifications, ranked by the estimate" if k == len(chunks) - 1 else "",
                       y="")
                + theme_bw() + theme(legend_position="none",
                                     strip_text_y=element_text(angle=0, ha="left", size=7),
                                     axis_text_y=element_text(size=7),
                                     axis_text_x=element_blank() if k < len(chunks) - 1 else None,
                                     figure_size=(9, height)))
        if len(marked):
            part = part + geom_vline(xintercept=float(marked.iloc[0]), color="#000000", alpha=0.6)
        composed = composed / part
    return composed


def curve_summary(records: pd.DataFrame, estimate: str, p: str, level: float = 0.05) -> dict:
    """Specifications (with and without an estimate), median estimate and the shares
    significant in each direction."""
    ok = records[records[estimate].notna()]
    sig = ok[p] < level
    return {"specifications": len(records), "with an estimate": len(ok),
            "median": float(ok[estimate].median()) if len(ok) else np.nan,
            "share negative": float((ok[estimate] < 0).mean()) if len(ok) else np.nan,
            "share significant negative": float((sig & (ok[estimate] < 0)).mean()) if len(ok) else np.nan,
            "share significant positive": float((sig & (ok[estimate] > 0)).mean()) if len(ok) else np.nan}


def choice_effects(records: pd.DataFrame, estimate: str, p: str, level: float = 0.05) -> pd.DataFrame:
    """For every varying choice and option: specifications, median estimate, share significant."""
    ok = records[records[estimate].notna()]
    rows = []
    for col in choice_columns(ok):
        for option, g in ok.groupby(col):
            sig = g[p] < level
            rows.append({"choice": BY_NAME[col[7:]].label if col[7:] in BY_NAME else col[7:],
                         "option": option, "specifications": len(g),
                         "median": float(g[estimate].median()),
                         "share significant negative": float((sig & (g[estimate] < 0)).mean()),
                         "share significant positive": float((sig & (g[estimate] > 0)).mean())})
    return pd.DataFrame(rows)


def variance_by_choice(records: pd.DataFrame, estimate: str) -> pd.DataFrame:
    """Each choice's share of the variance of the estimates.

    A linear model of the estimate on every varying choice (as categories) is fitted by
    OLS; a choice's share is its type-II sum of squares over the total sum of squares, and
    the residual row is what the choices' main effects leave unexplained (interactions
    between choices).  Sorted by share.
    """
    ok = records[records[estimate].notna()].copy()
    cols = choice_columns(ok)
    data = pd.DataFrame({"y": ok[estimate].to_numpy(),
                         **{f"c{i}": ok[c].astype(str).to_numpy() for i, c in enumerate(cols)}})
    formula = "y ~ " + " + ".join(f"C(c{i})" for i in range(len(cols))) if cols else "y ~ 1"
    fit = smf.ols(formula, data=data).fit()
    total = float(((data["y"] - data["y"].mean()) ** 2).sum())
    rows = []
    if cols:
        table = anova_lm(fit, typ=2)
        for i, c in enumerate(cols):
            name = c[7:]
            rows.append({"choice": BY_NAME[name].label if name in BY_NAME else name,
                         "share of variance": float(table.loc[f"C(c{i})", "sum_sq"]) / total})
    rows.append({"choice": "residual (interactions of choices)",
                 "share of variance": float(fit.ssr) / total if total else np.nan})
    out = pd.DataFrame(rows)
    return out.sort_values("share of variance", ascending=False, kind="stable").reset_index(drop=True)
