"""Sample restrictions, each reporting rows in and out, and the model variable sets."""

from __future__ import annotations

import pandas as pd

from coupproof.panel.params import PanelParams
from coupproof.panel.transforms import Attrition

#: Columns that define the paper's Table 3 frame (its n for def, the threats, shared
#: defense pacts and recent coup).
BASE_COLUMNS = ["threat_l_A", "threat_l_B", "shared_def_l", "recent_coup_A"]
#: The controls of Table 1 Models 2 and 4.
CONTROLS = ["shared_def_l", "reg_diff_l", "recent_coup_A", "new_regime_A", "military_l_A"]


def restrict_sample(panel: pd.DataFrame, params: PanelParams,
                    attrition: Attrition | None = None) -> pd.DataFrame:
    """DV years, A's regime filter and the base-frame columns, in that order.

    Returns the frame on which the paper's summary statistics are computed (Table 3).
    Each step is recorded in ``attrition`` when one is given.
    """
    att = attrition if attrition is not None else Attrition()
    first, last = params.years
    df = att.start(panel[(panel["year"] >= first) & (panel["year"] <= last)],
                   f"all directed dyad-years {first}–{last} (COW system members)")
    if params.polity_max is not None:
        col = "polity2_A" if params.polity_filter_year == "t" else "polity2_l_A"
        df = att.apply(df, df[col] <= params.polity_max,
                       f"A non-democratic: {col} ≤ {params.polity_max}")
    df = att.apply(df, df[BASE_COLUMNS].notna().all(axis=1),
                   "lagged threats (A, B), shared defense pact (t−1) and recent coup present")
    return df


def model_attrition(frame: pd.DataFrame, steps: dict[str, list[str]],
                    attrition: Attrition) -> Attrition:
    """Continue an attrition table with nested listwise deletions (label -> columns)."""
    df = frame
    for label, cols in steps.items():
        df = attrition.apply(df, df[cols].notna().all(axis=1), label)
    return attrition
