"""Regression and comparison tables for the book, rendered with great_tables.

A regression table has one column per model: each term gets a coefficient row (with the
table's stars) and a standard-error row in parentheses beneath it, followed by N and the
log-likelihood (and any other requested statistic).  Term names are mapped to the paper's
row labels by :func:`term_label`; interactions are joined with " × ".

The builders return a plain DataFrame (:func:`regression_frame`, easy to test and to save)
and a ``great_tables.GT`` object (:func:`regression_table`, :func:`comparison_table`),
which a Jupyter notebook displays as HTML.
"""

from __future__ import annotations

import warnings
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from great_tables import GT, loc, style

from coupproof.codebook import labels as codebook_labels
from coupproof.models.results import DEFAULT_STARS, ModelResult, stars_from_p, tidy_many, two_sided_normal_p
from coupproof.report.compare import published_estimates, star_thresholds
from coupproof.tables import MONADIC_LABELS as REGISTRY_MONADIC_LABELS
from coupproof.tables import TABLES

TERM_LABELS: dict[str, str] = codebook_labels()
"""Row labels of the dyadic tables, as printed in the paper (from the codebook)."""

MONADIC_LABELS: dict[str, str] = dict(REGISTRY_MONADIC_LABELS)
"""Row labels of Table 15 (monadic design), from the table registry."""

STAT_LABELS: dict[str, str] = {
    "N": "N",
    "LL": "Log likelihood",
    "AIC": "AIC",
    "BIC": "BIC",
    "deviance": "Deviance",
    "rho": "ρ",
    "sigma": "σ",
    "events": "Events",
    "IMR": "Inverse Mills ratio",
    "clusters": "Clusters",
}

INTERACTION_SEP = " × "


def label_map(table: int | str | None = None) -> dict[str, str]:
    """The term-to-label map for a table: the codebook's labels with the table's own
    overrides from the registry (Table 15's monadic names, Table 5's "Intercept")."""
    if table is not None and int(table) in TABLES:
        return TABLES[int(table)].label_map()
    return dict(TERM_LABELS)


def term_label(term: str, table: int | str | None = None, labels: Mapping[str, str] | None = None) -> str:
    """The paper's label for a term; ``"cb:threatB"`` -> "Counterbalancing, A × External threat, B".

    Unknown components keep their own name, so a label never fails.
    """
    lab = label_map(table) if labels is None else dict(labels)
    if term in lab:
        return lab[term]
    return INTERACTION_SEP.join(lab.get(part, part) for part in term.split(":"))


def format_number(x: float, digits: int = 3) -> str:
    """Fixed decimals, or scientific notation when a non-zero value would print as 0.000."""
    if x is None or not np.isfinite(x):
        return ""
    if x != 0 and abs(x) < 0.5 * 10.0**-digits:
        return f"{x:.2e}"
    return f"{x:.{digits}f}"


def star_note(thresholds: Sequence[float] = DEFAULT_STARS) -> str:
    """The note under a table: "***p < .01; **p < .05; *p < .1" for the given thresholds."""
    cut = sorted(thresholds)
    parts = [f"{'*' * (len(cut) - i)}p < {str(c).lstrip('0') if c < 1 else c}" for i, c in enumerate(cut)]
    return "; ".join(parts)


def _as_tidy(results: Mapping[str, ModelResult] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(results, pd.DataFrame):
        return results.copy()
    with warnings.catch_warnings():  # equations without a log-likelihood (NaN) stack with others
        warnings.filterwarnings("ignore", category=FutureWarning,
                                message="The behavior of DataFrame concatenation with empty or all-NA")
        return tidy_many(results)


def default_term_order(terms: Iterable[str], table: int | str | None = None) -> list[str]:
    """Row order of a regression table: the paper's printed order for ``table`` (terms in
    order of first appearance across its models), then any terms of ours it does not
    print; the constant goes last unless the paper prints it first (Table 5)."""
    ours = list(dict.fromkeys(terms))
    paper: list[str] = []
    const_first = False
    if table is not None:
        paper = list(dict.fromkeys(published_estimates(table)["term"]))
        const_first = int(table) in TABLES and TABLES[int(table)].const_first
    order = [t for t in paper if t in ours] + [t for t in ours if t not in paper]
    if "const" in order:
        order.remove("const")
        order = ["const", *order] if const_first else [*order, "const"]
    return order


def regression_frame(
    results: Mapping[str, ModelResult] | pd.DataFrame,
    *,
    table: int | str | None = None,
    stats: Sequence[str] = ("N", "LL"),
    extra_stats: Mapping[str, Mapping[str, float]] | None = None,
    term_order: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    digits: int = 3,
    hide_terms: Iterable[str] = (),
) -> pd.DataFrame:
    """A regression table as a DataFrame of strings.

    Parameters
    ----------
    results
        ``{column title: ModelResult}`` or a tidy frame with ``model, term, coef, se`` (and
        ``nobs``, ``llf``); the column titles are the model labels.
    table
        The paper's table number: picks its star thresholds and labels.
    stats
        Model statistics to add below the coefficients, from each result's ``glance()``
        (``"N"``, ``"LL"``, ``"AIC"``, ``"BIC"``, ``"deviance"``, ``"rho"``, ``"IMR"`` ...).
    extra_stats
        Statistics supplied by hand: ``{stat: {model: value}}`` (override ``glance()``).
    term_order
        Row order; default: :func:`default_term_order` (the paper's order for ``table``).
    hide_terms
        Terms not to print (e.g. the year dummies and constant of Table 4).

    Returns
    -------
    DataFrame
        Column ``label`` (the row label; empty on standard-error rows), ``term``, ``row``
        (``"coef"``, ``"se"`` or ``"stat"``) and one column per model.
    """
    tidy = _as_tidy(results)
    models = list(dict.fromkeys(tidy["model"].astype(str)))
    tidy["model"] = tidy["model"].astype(str)
    thresholds = star_thresholds(table) if table is not None else DEFAULT_STARS
    p = two_sided_normal_p(tidy["coef"].to_numpy(float) / tidy["se"].to_numpy(float))
    tidy["_stars"] = stars_from_p(p, thresholds)
    hidden = set(hide_terms)
    prefixes = TABLES[int(table)].hide_prefixes if table is not None and int(table) in TABLES else ()
    terms = list(term_order) if term_order is not None else default_term_order(tidy["term"], table)
    terms = [t for t in terms if t not in hidden and not any(t.startswith(p) for p in prefixes)
             and t in set(tidy["term"])]
    cells = tidy.set_index(["term", "model"])

    rows: list[dict[str, str]] = []
    for t in terms:
        coef_row = {"label": term_label(t, table, labels), "term": t, "row": "coef"}
        se_row = {"label": "", "term": t, "row": "se"}
        for m in models:
            if (t, m) in cells.index:
                c = cells.loc[(t, m)]
                coef_row[m] = format_number(c["coef"], digits) + "*" * int(c["_stars"])
                se_row[m] = f"({format_number(c['se'], digits)})"
            else:
                coef_row[m] = se_row[m] = ""
        rows += [coef_row, se_row]

    glance: dict[str, dict[str, float]] = {}
    if not isinstance(results, pd.DataFrame):
        glance = {str(k): r.glance() for k, r in results.items()}
    else:
        for m, g in tidy.groupby("model", sort=False):
            glance[m] = {"N": g["nobs"].iloc[0] if "nobs" in g else np.nan,
                         "LL": g["llf"].iloc[0] if "llf" in g else np.nan}
    for s in stats:
        row = {"label": STAT_LABELS.get(s, s), "term": s, "row": "stat"}
        for m in models:
            v = (extra_stats or {}).get(s, {}).get(m, glance.get(m, {}).get(s, np.nan))
            v = np.nan if v is None else float(v)
            if not np.isfinite(v):
                row[m] = ""
            elif s in ("N", "clusters"):
                row[m] = f"{int(round(v)):,}"
            else:
                row[m] = format_number(v, digits)
        if any(row[m] for m in models):
            rows.append(row)
    return pd.DataFrame(rows, columns=["label", "term", "row", *models])


def regression_table(
    results: Mapping[str, ModelResult] | pd.DataFrame,
    *,
    table: int | str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    dv_label: str | None = None,
    notes: Sequence[str] = (),
    **frame_kwargs,
) -> GT:
    """The regression table as a great_tables ``GT`` (displays as HTML in a notebook).

    ``dv_label`` (e.g. "Defense pacts") becomes a spanner over the model columns; the star
    thresholds of ``table`` and any ``notes`` go below the table.
    """
    frame = regression_frame(results, table=table, **frame_kwargs)
    models = [c for c in frame.columns if c not in ("label", "term", "row")]
    gt = GT(frame.drop(columns=["term", "row"]), rowname_col="label")
    if title:
        gt = gt.tab_header(title=title, subtitle=subtitle)
    if dv_label:
        gt = gt.tab_spanner(label=dv_label, columns=models)
    gt = gt.cols_align(align="center", columns=models)
    thresholds = star_thresholds(table) if table is not None else DEFAULT_STARS
    for note in [star_note(thresholds), *notes]:
        gt = gt.tab_source_note(note)
    stat_rows = [i for i, r in enumerate(frame["row"]) if r == "stat"]
    if stat_rows:
        gt = gt.tab_style(style=style.borders(sides="top", weight="1px"), locations=loc.body(rows=[stat_rows[0]]))
    return gt


def comparison_frame(cmp: pd.DataFrame, *, table: int | str | None = None, digits: int = 3) -> pd.DataFrame:
    """A compare() result as display strings: Model, Term, Paper, Ours, Δ (paper SEs), Flag."""
    def cell(coef: float, se: float, stars: object) -> str:
        if pd.isna(coef):
            return "—"
        n = 0 if pd.isna(stars) else int(stars)
        return f"{format_number(coef, digits)}{'*' * n} ({format_number(se, digits)})"

    return pd.DataFrame(
        {
            "Model": cmp["model"].astype(str),
            "Term": [term_label(t, table) for t in cmp["term"]],
            "Paper": [cell(c, s, k) for c, s, k in zip(cmp["coef_paper"], cmp["se_paper"], cmp["stars_paper"])],
            "Ours": [cell(c, s, k) for c, s, k in zip(cmp["coef_ours"], cmp["se_ours"], cmp["stars_ours"])],
            "Δ (paper SEs)": [format_number(v, 2) if pd.notna(v) else "" for v in cmp["diff_in_paper_se"]],
            "Flag": cmp["flag"].fillna(""),
        }
    )


def comparison_table(
    cmp: pd.DataFrame,
    *,
    table: int | str | None = None,
    title: str | None = None,
    digits: int = 3,
) -> GT:
    """The output of :func:`coupproof.report.compare.compare` as a GT table.

    Rows grouped by model; rows whose sign differs are shaded red, rows whose stars differ
    amber, and published terms we did not estimate grey.
    """
    frame = comparison_frame(cmp, table=table, digits=digits)
    gt = GT(frame, groupname_col="Model", rowname_col="Term")
    if title:
        gt = gt.tab_header(title=title)
    colours = {"sign": "#f4c7c3", "significance": "#fce8b2", "missing": "#e0e0e0"}
    for flag, colour in colours.items():
        rows = np.flatnonzero(frame["Flag"].to_numpy() == flag).tolist()
        if rows:
            gt = gt.tab_style(style=style.fill(color=colour), locations=loc.body(rows=rows))
    thresholds = star_thresholds(table) if table is not None else DEFAULT_STARS
    gt = gt.tab_source_note(
        f"Stars for both columns at the table's thresholds: {star_note(thresholds)}. "
        "Δ = (ours − paper) / paper SE."
    )
    return gt


PAPER_FILL = "#f3f0e6"
"""Background of the columns that hold the published record in a comparison table."""


def _is_paper_column(name: object) -> bool:
    return "paper" in str(name).lower()


def frame_table(
    frame: pd.DataFrame,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    decimals: int | Mapping[str, int] = 3,
    notes: Sequence[str] = (),
    rowname_col: str | None = None,
    groupname_col: str | None = None,
    percent: Sequence[str] = (),
) -> GT:
    """Any small results frame as a great_tables ``GT``: the book's one way to show a table.

    A named (or multi-level) index becomes ordinary leading columns; numbers are formatted
    with ``decimals`` (one value, or per column), integers with thousands separators,
    ``percent`` columns (shares) as percentages; missing values print as "—".  Columns whose
    name mentions the paper are shaded, so the published record stands beside ours.
    """
    df = frame.copy()
    if not isinstance(df.index, pd.RangeIndex) or any(n is not None for n in df.index.names):
        df = df.reset_index()
    df.columns = [str(c) for c in df.columns]
    gt = GT(df, rowname_col=rowname_col, groupname_col=groupname_col)
    if title:
        gt = gt.tab_header(title=title, subtitle=subtitle)
    shown = [c for c in df.columns if c not in (rowname_col, groupname_col)]
    for c in shown:
        col = df[c]
        if c in percent:
            gt = gt.fmt_percent(columns=[c], decimals=1)
        elif pd.api.types.is_bool_dtype(col) or pd.api.types.is_object_dtype(col):
            continue
        elif pd.api.types.is_integer_dtype(col):
            gt = gt.fmt_integer(columns=[c])
        elif pd.api.types.is_float_dtype(col):
            d = decimals.get(c, 3) if isinstance(decimals, Mapping) else decimals
            whole = col.dropna()
            if len(whole) and (whole == whole.round()).all() and whole.abs().max() >= 1000:
                gt = gt.fmt_integer(columns=[c])
            else:
                gt = gt.fmt_number(columns=[c], decimals=d)
    gt = gt.sub_missing(missing_text="—")
    paper = [c for c in shown if _is_paper_column(c)]
    if paper:
        gt = gt.tab_style(style=style.fill(color=PAPER_FILL), locations=loc.body(columns=paper))
    for note in notes:
        gt = gt.tab_source_note(note)
    return gt


def stats_comparison_table(cmp: pd.DataFrame, *, table: int | str | None = None,
                           title: str | None = None) -> GT:
    """The output of :func:`coupproof.report.compare.compare_stats` as a GT table:
    Model, statistic, paper, ours, difference and relative difference."""
    shown = pd.DataFrame({
        "Model": cmp["model"].astype(str),
        "Statistic": [STAT_LABELS.get(s, s) for s in cmp["stat"]],
        "Paper": cmp["paper"].astype(float),
        "Ours": cmp["ours"].astype(float),
        "Ours − paper": cmp["diff"].astype(float),
        "Relative difference": cmp["rel_diff"].astype(float),
    })
    return frame_table(shown, title=title, percent=("Relative difference",),
                       notes=["Relative difference = (ours − paper) / |paper|."])
