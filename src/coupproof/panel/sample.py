"""Sample restrictions, each reporting rows in and out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coupproof.panel.transforms import Attrition
from coupproof.params import SampleChoices

#: Columns that define the paper's Table 3 frame (its n for def, the threats, shared
#: defense pacts and recent coup).
BASE_COLUMNS = ["threat_l_A", "threat_l_B", "shared_def_l", "recent_coup_A"]


def filter_column(sample: SampleChoices) -> str:
    """The panel column of A's regime filter: polity2 in t or in t−1."""
    return "polity2_A" if sample.polity_filter_year == "t" else "polity2_l_A"


def sample_columns(sample: SampleChoices) -> list[str]:
    """Panel columns :func:`restrict_sample` reads."""
    return ["year", "def", filter_column(sample), *BASE_COLUMNS]


def sample_rows(columns, sample: SampleChoices = SampleChoices(),
                attrition: Attrition | None = None) -> np.ndarray:
    """Positions of the rows that pass DV years, A's regime filter and the base-frame
    columns, in that order.

    ``columns`` gives the columns of :func:`sample_columns`: a mapping of arrays over all
    rows, or a function ``columns(names, rows)`` returning those columns at the positions
    ``rows`` (all rows when None).  With a function each filter reads its columns only on the
    rows still in, so the later filters gather fewer values.

    Each step is recorded in ``attrition`` (rows in and out, events) when one is given.
    """
    take = columns if callable(columns) else (
        lambda names, at: {c: np.asarray(columns[c]) if at is None else np.asarray(columns[c])[at]
                           for c in names})
    att = attrition if attrition is not None else Attrition()
    first, last = sample.years
    base = take(["year", "def"], None)
    year = base["year"]
    rows = np.flatnonzero((year >= first) & (year <= last))
    event = np.asarray(base["def"])[rows].astype("float64")
    event[np.isnan(event)] = 0.0
    att.record(f"all directed dyad-years {first}–{last} (COW system members)", len(rows), 0,
               event.sum())

    def step(label: str, keep: np.ndarray) -> None:
        nonlocal rows, event
        att.record(label, int(keep.sum()), int(keep.size - keep.sum()), event[keep].sum())
        rows, event = rows[keep], event[keep]

    if sample.polity_max is not None:
        col = filter_column(sample)
        step(f"A non-democratic: {col} ≤ {sample.polity_max}",
             np.asarray(take([col], rows)[col], dtype="float64") <= sample.polity_max)
    values = take(BASE_COLUMNS, rows)
    keep = np.ones(len(rows), dtype=bool)
    for c in BASE_COLUMNS:
        keep &= ~np.isnan(np.asarray(values[c], dtype="float64"))
    step("lagged threats (A, B), shared defense pact (t−1) and recent coup present", keep)
    return rows


def restrict_sample(panel: pd.DataFrame, sample: SampleChoices = SampleChoices(),
                    attrition: Attrition | None = None) -> pd.DataFrame:
    """DV years, A's regime filter and the base-frame columns, in that order (see
    :func:`sample_rows`).

    Returns the frame on which the paper's summary statistics are computed (Table 3).
    Each step is recorded in ``attrition`` when one is given.
    """
    cols = {c: panel[c].to_numpy() for c in sample_columns(sample)}
    return panel.iloc[sample_rows(cols, sample, attrition)]


def model_attrition(frame: pd.DataFrame, steps: dict[str, list[str]],
                    attrition: Attrition) -> Attrition:
    """Continue an attrition table with nested listwise deletions (label -> columns)."""
    df = frame
    for label, cols in steps.items():
        df = attrition.apply(df, df[cols].notna().all(axis=1), label)
    return attrition
