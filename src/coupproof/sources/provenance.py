"""A provenance table of every raw input: what it is, where it comes from, what it holds."""

from __future__ import annotations

import pandas as pd

from coupproof.sources import datasets_of_files, read
from coupproof.sources.registry import fetch, registry, sources

#: Dataset -> columns holding years (for the "years covered" column).
YEAR_COLUMNS = {
    "atop_alliances": ["begyr"], "atop_members": ["yrent"], "cow_states": ["styear", "endyear"],
    "cow_majors": ["styear", "endyear"], "contdir": ["begin_year", "end_year"],
    "contcol": ["begin_year", "end_year"], "mid_participants": ["styear", "endyear"],
    "rivalries": ["styear", "endyear"],
}


def provenance() -> pd.DataFrame:
    """One row per registered data file: dataset, version, role, citation, licence, official
    URL, rows read, years covered, sha256 (verified against the registry on read).
    Documentation files (release notes) are listed in the registry but not read."""
    reg, src = registry(), sources()
    readable = datasets_of_files()
    rows = []
    for file_id, row in reg[reg.index.isin(list(readable))].iterrows():
        fetch(file_id)  # raises on a hash mismatch
        dataset, version = readable[file_id]
        df = read(dataset, version)
        years = pd.concat([df[c] for c in YEAR_COLUMNS.get(dataset, ["year"])]).dropna()
        s = src.loc[row["source"]]
        rows.append({
            "file": row["file"], "dataset": row["dataset"], "version": row["version"],
            "role": row["role"], "rows": len(df),
            "years": f"{int(years.min())}–{int(years.max())}",
            "sha256": row["sha256"][:16] + "…", "verified": True,
            "citation": s["citation"], "licence": s["licence"], "official_url": s["official_url"],
        })
    return pd.DataFrame(rows)
