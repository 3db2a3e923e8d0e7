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
    columns, in that order, from arrays ``columns[name]`` (see :func:`sample_columns`).

    Each step is recorded in ``attrition`` (rows in and out, events) when one is given.
    """
    att = attrition if attrition is not None else Attrition()
    first, last = sample.years
    year = np.asarray(columns["year"])
    rows = np.flatnonzero((year >= first) & (year <= last))
    event = np.nan_to_num(np.asarray(columns["def"], dtype="float64"))
    att.record(f"all directed dyad-years {first}–{last} (COW system members)", len(rows), 0,
               event[rows].sum())
    steps = []
    if sample.polity_max is not None:
        col = filter_column(sample)
        steps.append((f"A non-democratic: {col} ≤ {sample.polity_max}",
                      lambda r: np.asarray(columns[col], dtype="float64")[r] <= sample.polity_max))
    steps.append(("lagged threats (A, B), shared defense pact (t−1) and recent coup present",
                  lambda r: np.all([~np.isnan(np.asarray(columns[c], dtype="float64")[r])
                                    for c in BASE_COLUMNS], axis=0)))
    for label, test in steps:
        keep = test(rows)
        att.record(label, int(keep.sum()), int((~keep).sum()), event[rows[keep]].sum())
        rows = rows[keep]
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
