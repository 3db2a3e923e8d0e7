"""A provenance table of every raw input: what it is, where it comes from, what it holds."""

from __future__ import annotations

import pandas as pd

from coupproof.sources import atop, coups, cow, gwf, mids, polity, rivalries, ssf
from coupproof.sources.registry import fetch, registry, sources

#: Registered file id -> (reader, columns holding years).
READERS = {
    "atop_alliances": (atop.read_atop_alliances, ["begyr"]),
    "atop_members": (atop.read_atop_members, ["yrent"]),
    "atop_dyad_summary": (lambda: atop.read_atop_dyad_years("5.1"), ["year"]),
    "atop_dyad_summary_v50": (lambda: atop.read_atop_dyad_years("5.0"), ["year"]),
    "ssf_counterweights": (ssf.read_ssf, ["year"]),
    "polity4": (lambda: polity.read_polity("IV"), ["year"]),
    "polity5": (lambda: polity.read_polity("5"), ["year"]),
    "coups": (lambda: coups.read_coups("2022"), ["year"]),
    "coups_2015": (lambda: coups.read_coups("2015"), ["year"]),
    "gwf": (gwf.read_gwf, ["year"]),
    "cow_states": (cow.read_cow_states, ["styear", "endyear"]),
    "cow_majors": (cow.read_cow_majors, ["styear", "endyear"]),
    "contdir": (cow.read_contdir, ["begin_year", "end_year"]),
    "contcol": (cow.read_contcol, ["begin_year", "end_year"]),
    "nmc6": (lambda: cow.read_nmc("6.0"), ["year"]),
    "nmc5": (lambda: cow.read_nmc("5.0"), ["year"]),
    "mid_participants": (lambda: mids.read_mid_participants("cow4.3"), ["styear", "endyear"]),
    "gml_participants": (lambda: mids.read_mid_participants("gml2.2.1"), ["styear", "endyear"]),
    "rivalries": (rivalries.read_rivalries, ["styear", "endyear"]),
}


def provenance() -> pd.DataFrame:
    """One row per registered file: dataset, version, role, citation, licence, official URL,
    rows read, years covered, sha256 (verified against the registry on read)."""
    reg, src = registry(), sources()
    rows = []
    for file_id, row in reg.iterrows():
        fetch(file_id)  # raises on a hash mismatch
        reader, year_cols = READERS[file_id]
        df = reader()
        years = pd.concat([df[c] for c in year_cols]).dropna()
        s = src.loc[row["source"]]
        rows.append({
            "file": row["file"], "dataset": row["dataset"], "version": row["version"],
            "role": row["role"], "rows": len(df),
            "years": f"{int(years.min())}–{int(years.max())}",
            "sha256": row["sha256"][:16] + "…", "verified": True,
            "citation": s["citation"], "licence": s["licence"], "official_url": s["official_url"],
        })
    return pd.DataFrame(rows)
