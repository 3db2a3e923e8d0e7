"""The book's figures, drawn with plotnine.

Every function takes tidy ``pandas.DataFrame`` inputs (one row per plotted point), checks
that the columns it needs are there, and returns a ``plotnine.ggplot``.  Nothing is drawn
or saved until the caller asks: in a notebook the returned object renders itself; elsewhere
call ``fig.draw()`` or ``fig.save(path)`` (or :func:`save` below).

==========================================  ==============================================
Function                                    Paper
==========================================  ==============================================
:func:`figure1_theory`                      Figure 1, the theoretical expectations (no data)
:func:`figure2_marginal_effects`            Figure 2, conditional effect of counterbalancing
:func:`figure2_probability_scale`           none: Figure 2's effect on Pr(new pact), its companion
:func:`figure2_binned_check`                none: Figure 2 with the three-bin linearity check
:func:`figure3_predicted_probabilities`     Figure 3, Pr(new defense pact) over threat to B
:func:`coef_scatter`                        none: our coefficients against the published ones
==========================================  ==============================================

This module is longer than most because it is the one home of the book's figures: each
function is one figure of the paper or one companion, and splitting them would scatter a shared
set of scales and labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from plotnine import (
    aes,
    annotate,
    coord_cartesian,
    element_blank,
    element_text,
    facet_grid,
    facet_wrap,
    geom_abline,
    geom_hline,
    geom_linerange,
    geom_line,
    geom_point,
    geom_rect,
    geom_ribbon,
    geom_rug,
    geom_text,
    ggplot,
    labs,
    scale_color_manual,
    scale_fill_manual,
    scale_x_continuous,
    scale_y_continuous,
    theme,
    theme_bw,
)

__all__ = [
    "PANEL_A",
    "PANEL_B",
    "FIG3_COLOURS",
    "figure1_theory",
    "figure2_marginal_effects",
    "figure2_probability_scale",
    "figure2_binned_check",
    "figure3_predicted_probabilities",
    "coef_scatter",
    "PUBLISHED_COLUMNS",
    "OURS_COLUMNS",
    "save",
]

#: Facet labels of Figure 2, in the paper's left-to-right order.
PANEL_A = "External threat, A"
PANEL_B = "External threat, B"

#: Figure 3 colours, from no to high counterbalancing.  The paper's text calls the high
#: curve blue and the moderate curve green; the third colour is ours (Okabe-Ito palette).
FIG3_COLOURS = {"none": "#D55E00", "moderate": "#009E73", "high": "#0072B2"}

_BASE_SIZE = 11


# --------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------
def _check_frame(df: object, required: Iterable[str], what: str) -> pd.DataFrame:
    """Raise a readable error unless ``df`` is a non-empty DataFrame with ``required``."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    required = list(required)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ValueError(
            f"{what} is missing column(s) {missing}; it needs {required} "
            f"and has {list(df.columns)}"
        )
    if df.empty:
        raise ValueError(f"{what} has no rows")
    return df


def _check_numeric(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    for c in columns:
        if not pd.api.types.is_numeric_dtype(df[c]):
            raise ValueError(f"{what}: column {c!r} must be numeric, got dtype {df[c].dtype}")


def _theme():
    return theme_bw(base_size=_BASE_SIZE) + theme(
        panel_grid_minor=element_blank(),
        strip_text=element_text(weight="bold"),
        legend_position="bottom",
    )


# --------------------------------------------------------------------------------------
# Figure 1: the theory
# --------------------------------------------------------------------------------------
def figure1_theory() -> ggplot:
    """Figure 1: what the argument expects, drawn as a schematic (no data).

    Four panels.  Columns: external threat to the coup-proofing state A (the entanglement
    mechanism) and to the potential ally B (the aggregate-capabilities mechanism).  Rows:
    the outcome, alliance formation (H1a, H1b) and concessions in the treaty (H2a, H2b).
    Each line is the expected *effect of counterbalancing* on that outcome as the threat
    moves from low to high; the units are arbitrary, only the sign and slope carry meaning.
    """
    threat = np.linspace(0.0, 1.0, 51)
    cols = ("Threat to A (entanglement)", "Threat to B (aggregate capabilities)")
    rows = ("Alliance formation", "Concessions")
    # (row, col, hypothesis label, intercept, slope, label x, label y)
    spec = [
        (rows[0], cols[0], "H1a", 0.6, -1.2, 0.80, -0.05),
        (rows[0], cols[1], "H1b", 0.6, -1.2, 0.80, -0.05),
        (rows[1], cols[0], "H2a: A offers more", -0.55, 1.1, 0.62, -0.35),
        (rows[1], cols[1], "H2b: A receives fewer", 0.55, -1.1, 0.62, 0.35),
    ]
    lines, labels = [], []
    for row, col, hyp, a, b, lx, ly in spec:
        lines.append(pd.DataFrame({"outcome": row, "mechanism": col, "threat": threat,
                                   "effect": a + b * threat}))
        labels.append({"outcome": row, "mechanism": col, "threat": lx, "effect": ly,
                       "label": hyp})
    line_df = pd.concat(lines, ignore_index=True)
    label_df = pd.DataFrame(labels)
    # shaded halves: above zero the demand for allies wins, below it the supply constraint
    band_df = pd.DataFrame({
        "ymin": [0.0, -0.9], "ymax": [0.9, 0.0], "side": ["positive", "negative"],
    })
    side_df = pd.DataFrame({
        "outcome": [rows[0], rows[0], rows[1], rows[1]],
        "mechanism": [cols[0]] * 4,
        "threat": [0.02] * 4, "effect": [0.8, -0.8, 0.8, -0.8],
        "label": ["more likely to ally", "less likely to ally",
                  "more concessions", "fewer concessions"],
    })
    for frame in (line_df, label_df, side_df):
        frame["outcome"] = pd.Categorical(frame["outcome"], categories=rows)
        frame["mechanism"] = pd.Categorical(frame["mechanism"], categories=cols)

    return (
        ggplot(line_df, aes("threat", "effect"))
        + geom_rect(band_df, aes(xmin=-np.inf, xmax=np.inf, ymin="ymin", ymax="ymax", fill="side"),
                    inherit_aes=False, alpha=0.12)
        + geom_hline(yintercept=0, linetype="dashed", color="grey")
        + geom_line(size=1.3, color="black")
        + geom_text(label_df, aes(label="label"), size=8.5, color="black")
        + geom_text(side_df, aes(label="label"), size=7.5, ha="left", color="#555555",
                    fontstyle="italic")
        + facet_grid("outcome ~ mechanism")
        + scale_fill_manual(values={"positive": "#0072B2", "negative": "#D55E00"}, guide=None)
        + scale_x_continuous(breaks=[0.08, 0.92], labels=["low", "high"], limits=(0, 1))
        + scale_y_continuous(breaks=[0], labels=["0"])
        + coord_cartesian(ylim=(-0.9, 0.9))
        + labs(x="External threat", y="Effect of counterbalancing (schematic)")
        + _theme()
    )


# --------------------------------------------------------------------------------------
# Figure 2: conditional (log-odds) effect of counterbalancing
# --------------------------------------------------------------------------------------
def _moderator_histogram(moderator_values: pd.DataFrame, effects: pd.DataFrame,
                         bins: int, height: float) -> pd.DataFrame:
    """Bars for the moderator's distribution, scaled into the bottom of each panel."""
    rows = []
    for panel, vals in moderator_values.groupby("panel", observed=True)["value"]:
        vals = vals.dropna().to_numpy(dtype=float)
        eff = effects.loc[effects["panel"] == panel]
        if vals.size == 0 or eff.empty:
            continue
        lo = float(np.nanmin(eff["lower"]))
        hi = float(np.nanmax(eff["upper"]))
        span = (hi - lo) or 1.0
        base = lo - 0.05 * span          # bars sit just under the ribbon
        counts, edges = np.histogram(vals, bins=bins)
        scale = height * span / counts.max() if counts.max() > 0 else 0.0
        for c, left, right in zip(counts, edges[:-1], edges[1:]):
            if c == 0:
                continue
            rows.append({"panel": panel, "xmin": left, "xmax": right,
                         "ymin": base - c * scale, "ymax": base})
    return pd.DataFrame(rows, columns=["panel", "xmin", "xmax", "ymin", "ymax"])


def figure2_marginal_effects(
    effects: pd.DataFrame,
    moderator_values: pd.DataFrame,
    *,
    distribution: str = "hist",
    bins: int = 40,
    panels: Sequence[str] = (PANEL_A, PANEL_B),
) -> ggplot:
    """Figure 2: the effect of counterbalancing on the log-odds of a new defense pact.

    Parameters
    ----------
    effects
        One row per grid point and panel: ``panel`` (``"External threat, A"`` or
        ``"External threat, B"``), ``moderator`` (the threat value), ``estimate``,
        ``lower``, ``upper`` (the confidence band).
    moderator_values
        The observed moderator in the estimation sample: ``panel``, ``value``.  Drawn as a
        small histogram under each curve (``distribution="hist"``, cheap for 400,000 rows)
        or as a rug of the distinct values (``distribution="rug"``).
    panels
        Facet order; any panel present in ``effects`` but not listed is appended.
    """
    fig, _ = _effect_panels(effects, moderator_values, distribution=distribution, bins=bins,
                            panels=panels, colour="#0072B2")
    return (
        fig
        + facet_wrap("panel", scales="free")
        + labs(x="External threat (CINC sum of potential adversaries)",
               y="Marginal effect of counterbalancing (log-odds)")
        + _theme()
        + theme(figure_size=(9, 4))
    )


def _effect_panels(effects: pd.DataFrame, moderator_values: pd.DataFrame, *, distribution: str, bins: int,
                   panels: Sequence[str], colour: str) -> tuple[ggplot, list[str]]:
    """The shared body of Figure 2 and its companions: line, band, zero line, distribution."""
    _check_frame(effects, ["panel", "moderator", "estimate", "lower", "upper"], "effects")
    _check_frame(moderator_values, ["panel", "value"], "moderator_values")
    _check_numeric(effects, ["moderator", "estimate", "lower", "upper"], "effects")
    _check_numeric(moderator_values, ["value"], "moderator_values")
    if distribution not in ("hist", "rug", "none"):
        raise ValueError("distribution must be 'hist', 'rug' or 'none'")
    present = set(effects["panel"].astype(str))
    order = [p for p in list(panels) + sorted(present - set(panels)) if p in present]
    eff = effects.assign(panel=pd.Categorical(effects["panel"].astype(str), categories=order))
    mod = moderator_values.assign(panel=pd.Categorical(moderator_values["panel"].astype(str), categories=order))
    mod = mod[mod["panel"].notna()]
    fig = (
        ggplot(eff, aes("moderator", "estimate"))
        + geom_hline(yintercept=0, linetype="dashed", color="grey")
        + geom_ribbon(aes(ymin="lower", ymax="upper"), fill=colour, alpha=0.25)
        + geom_line(color=colour, size=1)
    )
    if distribution == "hist":
        hist = _moderator_histogram(mod, eff, bins=bins, height=0.15)
        if not hist.empty:
            hist["panel"] = pd.Categorical(hist["panel"].astype(str), categories=order)
            fig += geom_rect(hist, aes(xmin="xmin", xmax="xmax", ymin="ymin", ymax="ymax"),
                             inherit_aes=False, fill="grey", color="white", size=0.2)
    elif distribution == "rug":
        rug = mod.assign(value=mod["value"].round(3)).drop_duplicates(["panel", "value"])
        fig += geom_rug(rug, aes(x="value"), inherit_aes=False, sides="b", alpha=0.3)
    return fig, order


def figure2_probability_scale(
    effects: pd.DataFrame,
    moderator_values: pd.DataFrame,
    *,
    distribution: str = "hist",
    bins: int = 40,
    panels: Sequence[str] = (PANEL_A, PANEL_B),
) -> ggplot:
    """Figure 2's companion: the effect of counterbalancing on Pr(new defense pact) itself.

    ``effects`` as for :func:`figure2_marginal_effects`, on the probability scale (e.g. from
    :func:`coupproof.models.interaction.probability_effect`: ``dPr/dcb`` averaged over the
    sample, or at a profile), one row per grid point and panel; ``moderator_values`` the
    observed moderator, drawn under each curve as a histogram or a rug.  The y axis is in
    percentage points per unit of counterbalancing.
    """
    _check_frame(effects, ["panel", "moderator", "estimate", "lower", "upper"], "effects")
    _check_numeric(effects, ["estimate", "lower", "upper"], "effects")
    points = effects.assign(**{c: 100.0 * effects[c] for c in ("estimate", "lower", "upper")})
    fig, _ = _effect_panels(points, moderator_values, distribution=distribution, bins=bins, panels=panels,
                            colour="#009E73")
    return (
        fig
        + facet_wrap("panel", scales="free")
        + labs(x="External threat (CINC sum of potential adversaries)",
               y="Effect of counterbalancing on Pr(new pact), percentage points")
        + _theme()
        + theme(figure_size=(9, 4))
    )


def figure2_binned_check(
    effects: pd.DataFrame,
    binned: pd.DataFrame,
    moderator_values: pd.DataFrame,
    *,
    distribution: str = "hist",
    bins: int = 40,
    panels: Sequence[str] = (PANEL_A, PANEL_B),
) -> ggplot:
    """Figure 2 with Hainmueller, Mummolo & Xu's (2019) three-bin estimates laid over the line.

    ``effects`` and ``moderator_values`` as for :func:`figure2_marginal_effects`;
    ``binned`` one row per panel and bin: ``panel``, ``moderator`` (the bin's median),
    ``estimate``, ``lower``, ``upper`` (e.g. the ``table`` of
    :func:`coupproof.models.interaction.binned_effects`).  Where the points leave the band,
    the linear interaction misdescribes the effect.
    """
    _check_frame(binned, ["panel", "moderator", "estimate", "lower", "upper"], "binned")
    _check_numeric(binned, ["moderator", "estimate", "lower", "upper"], "binned")
    fig, order = _effect_panels(effects, moderator_values, distribution=distribution, bins=bins,
                                panels=panels, colour="#0072B2")
    pts = binned.assign(panel=pd.Categorical(binned["panel"].astype(str), categories=order))
    pts = pts[pts["panel"].notna()]
    return (
        fig
        + geom_linerange(pts, aes(x="moderator", ymin="lower", ymax="upper"), inherit_aes=False,
                         color="#D55E00", size=1)
        + geom_point(pts, aes(x="moderator", y="estimate"), inherit_aes=False, color="#D55E00", size=3)
        + facet_wrap("panel", scales="free")
        + labs(x="External threat (CINC sum of potential adversaries)",
               y="Marginal effect of counterbalancing (log-odds)",
               caption="Points: effect within terciles of the moderator (binning estimator)")
        + _theme()
        + theme(figure_size=(9, 4))
    )


# --------------------------------------------------------------------------------------
# Figure 3: predicted probabilities at three levels of counterbalancing
# --------------------------------------------------------------------------------------
def _level_order(pred: pd.DataFrame) -> list[str]:
    """Level labels ordered by their numeric counterbalancing value (column ``value``); in
    the order given when there is no such column.  Labels are never parsed for numbers."""
    levels = list(dict.fromkeys(pred["level"].astype(str)))
    if "value" not in pred:
        return levels
    values = pred.groupby(pred["level"].astype(str), sort=False)["value"].first()
    return sorted(levels, key=lambda lv: float(values[lv]))


def figure3_predicted_probabilities(pred: pd.DataFrame) -> ggplot:
    """Figure 3: Pr(new defense pact) over threat to B at three levels of counterbalancing.

    ``pred`` has one row per grid point and level: ``level`` (a label such as
    ``"No counterbalancing (0)"``, ``"Mean (0.78)"``, ``"Mean + 1 sd (1.28)"``),
    ``moderator`` (threat to B), ``estimate``, ``lower``, ``upper`` (the confidence band,
    drawn as a ribbon) and optionally ``value`` (the level of counterbalancing).  Levels are
    ordered by ``value`` (else as they first appear) and coloured none / moderate / high as
    in the paper's text (high = blue, moderate = green).
    """
    _check_frame(pred, ["level", "moderator", "estimate", "lower", "upper"], "pred")
    _check_numeric(pred, ["moderator", "estimate", "lower", "upper"], "pred")
    levels = list(dict.fromkeys(pred["level"].astype(str)))
    if len(levels) != 3:
        raise ValueError(
            f"pred must hold exactly three counterbalancing levels (none, moderate, high); "
            f"got {len(levels)}: {levels}"
        )
    order = _level_order(pred)
    colours = dict(zip(order, (FIG3_COLOURS["none"], FIG3_COLOURS["moderate"],
                               FIG3_COLOURS["high"])))
    df = pred.assign(level=pd.Categorical(pred["level"].astype(str), categories=order))

    return (
        ggplot(df, aes("moderator", "estimate", color="level", fill="level"))
        + geom_ribbon(aes(ymin="lower", ymax="upper"), alpha=0.15, color="none")
        + geom_line(size=1.1)
        + scale_color_manual(values=colours, name="Counterbalancing, A")
        + scale_fill_manual(values=colours, name="Counterbalancing, A")
        + labs(x="External threat, B", y="Pr(new defense pact)")
        + _theme()
        + theme(figure_size=(7, 4.5))
    )


# --------------------------------------------------------------------------------------
# Scorecard: our coefficients against the published ones
# --------------------------------------------------------------------------------------
def _table_label(value: object) -> str:
    text = str(value)
    return f"Table {text}" if text.isdigit() else text


#: Column names tried, in order, when ``coef_scatter`` is not told which to use.  The first
#: pair matches :func:`coupproof.report.compare.compare`.
PUBLISHED_COLUMNS = ("coef_paper", "published")
OURS_COLUMNS = ("coef_ours", "ours")


def _pick(df: pd.DataFrame, given: str | None, candidates: Sequence[str]) -> str:
    if given is not None:
        return given
    return next((c for c in candidates if c in df.columns), candidates[0])


def coef_scatter(
    comparison: pd.DataFrame,
    *,
    published: str | None = None,
    ours: str | None = None,
    table: str = "table",
) -> ggplot:
    """Our coefficient estimates against the published ones, one point per coefficient.

    ``comparison`` needs a ``table`` column (e.g. 1, 2, 4, ... or "Table 1") and the two
    estimates: by default ``coef_paper`` and ``coef_ours`` (the columns of
    :func:`coupproof.report.compare.compare`) or else ``published`` and ``ours``; other
    names can be passed as keyword arguments.  Points on the dashed 45-degree line are exact
    replications.
    """
    if isinstance(comparison, pd.DataFrame):
        published = _pick(comparison, published, PUBLISHED_COLUMNS)
        ours = _pick(comparison, ours, OURS_COLUMNS)
    _check_frame(comparison, [table, published or PUBLISHED_COLUMNS[0],
                              ours or OURS_COLUMNS[0]], "comparison")
    _check_numeric(comparison, [published, ours], "comparison")
    df = comparison[[table, published, ours]].dropna(subset=[published, ours]).copy()
    if df.empty:
        raise ValueError("comparison has no rows with both a published and our estimate")
    raw = list(dict.fromkeys(df[table]))
    if all(isinstance(v, (int, np.integer)) for v in raw):   # table numbers: in numeric order
        raw = sorted(raw)
    order = list(dict.fromkeys(_table_label(v) for v in raw))
    df["Table"] = pd.Categorical(df[table].map(_table_label), categories=order)
    df = df.rename(columns={published: "published_", ours: "ours_"})
    lo = float(min(df["published_"].min(), df["ours_"].min()))
    hi = float(max(df["published_"].max(), df["ours_"].max()))
    pad = 0.05 * ((hi - lo) or 1.0)

    return (
        ggplot(df, aes("published_", "ours_", color="Table"))
        + geom_abline(intercept=0, slope=1, linetype="dashed", color="grey")
        + geom_point(alpha=0.8, size=2)
        + annotate("text", x=hi, y=hi, label="45°", ha="right", va="bottom", size=8,
                   color="grey")
        + coord_cartesian(xlim=(lo - pad, hi + pad), ylim=(lo - pad, hi + pad))
        + labs(x="Published coefficient", y="Our coefficient", color="")
        + _theme()
        + theme(figure_size=(6.5, 6.5), legend_position="right")
    )


# --------------------------------------------------------------------------------------
def save(fig: ggplot, path: str | Path, *, width: float | None = None,
         height: float | None = None, dpi: int = 150) -> Path:
    """Save ``fig`` to ``path`` (format from the suffix), creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    kwargs = {"dpi": dpi, "verbose": False}
    if width is not None and height is not None:
        kwargs.update(width=width, height=height, units="in")
    fig.save(path, **kwargs)
    return path
