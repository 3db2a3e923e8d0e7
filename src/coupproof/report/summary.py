"""Summary statistics (the paper's Table 3) and their comparison with the printed table."""

from __future__ import annotations

import pandas as pd

from coupproof.codebook import table3_columns
from coupproof.report.compare import published_summary

#: The paper's variable names (Table 3) -> our panel columns, from the codebook.
TABLE3_VARIABLES: dict[str, str] = table3_columns()


def summary_statistics(frame: pd.DataFrame, variables: dict[str, str] = TABLE3_VARIABLES,
                       decimals: int = 3) -> pd.DataFrame:
    """n, mean, sd, median, min, max of each variable present in ``frame`` (rounded)."""
    rows = []
    for name, col in variables.items():
        if col not in frame:
            continue
        s = frame[col].astype("float64").dropna()
        rows.append({"variable": name, "column": col, "n": len(s), "mean": s.mean(),
                     "sd": s.std(), "median": s.median(), "min": s.min(), "max": s.max()})
    return pd.DataFrame(rows).round(decimals)


def compare_summary(ours: pd.DataFrame) -> pd.DataFrame:
    """Our Table 3 beside the printed one (which rounded everything to integers)."""
    paper = published_summary()
    both = paper.merge(ours.drop(columns="column"), on="variable", how="left",
                       suffixes=("_paper", "_ours"), validate="one_to_one")
    both["n_diff"] = both["n_ours"] - both["n_paper"]
    both["n_diff_pct"] = (100 * both["n_diff"] / both["n_paper"]).round(2)
    both["mean_ours_rounded"] = both["mean_ours"].round(0)
    cols = ["variable", "n_paper", "n_ours", "n_diff", "n_diff_pct", "mean_paper", "mean_ours",
            "mean_ours_rounded", "sd_paper", "sd_ours", "median_paper", "median_ours",
            "min_paper", "min_ours", "max_paper", "max_ours"]
    return both[cols]
