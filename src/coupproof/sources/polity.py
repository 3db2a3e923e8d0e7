"""Polity IV (p4v2018, main) and Polity5 (p5v2018, alternative) annual country-years.

Polity uses its own country codes.  :data:`POLITY_TO_COW` moves them to COW codes, and
where Polity has two rows for one COW state in a transition year (e.g. Sudan and
Sudan-North in 2011) the successor polity's row is kept, i.e. the one whose series starts
in that year.  Polity's special codes stay visible in ``polity``: −66 foreign interruption,
−77 interregnum, −88 transition; ``polity2`` is Polity's own combined score (−77 → 0, −88
prorated, −66 missing).
"""

from __future__ import annotations

import pandas as pd

from coupproof.sources._common import read_rda, typed

POLITY_VERSIONS = {"IV": "polity4", "5": "polity5"}

#: Polity code -> COW code (all years): the cases where the two systems differ.
POLITY_TO_COW = {
    324: 325,  # Sardinia -> Italy
    341: 347,  # Kosovo
    342: 345,  # Serbia (2006-) -> COW's Yugoslavia/Serbia
    347: 345,  # Yugoslavia 1991-2002, Serbia and Montenegro 2003-2006
    348: 341,  # Montenegro
    364: 365,  # USSR -> Russia
    525: 626,  # South Sudan
    529: 530,  # Ethiopia (1993-)
    626: 625,  # Sudan-North (2011-)
    769: 770,  # Pakistan (1947-1971)
    818: 816,  # Vietnam (1976-)
}
#: Polity entities with no COW counterpart (pre-1840 federations, Orange Free State).
POLITY_NO_COW = {89, 99, 564}


def read_polity(version: str = "IV") -> pd.DataFrame:
    """Polity annual data on COW codes, one row per (ccode, year).

    Columns: ``ccode`` (Int64, COW), ``year`` (Int64), ``polity_ccode`` (Int64, Polity's own
    code), ``country`` (string), ``polity`` (raw score with −66/−77/−88), ``polity2``,
    ``durable`` (float), ``byear`` (Int64; non-missing only in a year in which a new polity
    begins — Polity's "begin year" of the regime).
    """
    if version not in POLITY_VERSIONS:
        raise ValueError(f"unknown Polity version {version!r}; allowed: {', '.join(POLITY_VERSIONS)}")
    raw = read_rda(POLITY_VERSIONS[version])
    if version == "IV":
        raw = raw.rename(columns={"polityIV_ccode": "polity_ccode", "polityIV_country": "country"})
    else:
        raw = raw.rename(columns={"ccode": "polity_ccode"})
    df = raw[["polity_ccode", "country", "year", "polity", "polity2", "durable", "byear"]].copy()
    df = df[~df["polity_ccode"].isin(POLITY_NO_COW)]
    df["ccode"] = df["polity_ccode"].replace(POLITY_TO_COW)
    df = typed(df, ints=["ccode", "polity_ccode", "year", "byear"],
               floats=["polity", "polity2", "durable"], strings=["country"])
    # transition years: keep the successor (the polity whose series starts in that year)
    first = df.groupby("polity_ccode")["year"].transform("min")
    df = df.assign(_successor=(df["year"] == first)).sort_values(["ccode", "year", "_successor"])
    df = df.drop_duplicates(["ccode", "year"], keep="last").drop(columns="_successor")
    cols = ["ccode", "year", "polity_ccode", "country", "polity", "polity2", "durable", "byear"]
    return df[cols].sort_values(["ccode", "year"]).reset_index(drop=True)
