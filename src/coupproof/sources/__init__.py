"""Raw inputs: the data registry and one typed reader per source.

Each reader fetches (and verifies) its registered file, reads the original format and
returns a tidy DataFrame with documented columns: COW codes and years as ``Int64``.
"""

from coupproof.sources.atop import read_atop_alliances, read_atop_dyad_years, read_atop_members
from coupproof.sources.coups import read_coups
from coupproof.sources.cow import (
    cow_system_years,
    read_contcol,
    read_contdir,
    read_cow_majors,
    read_cow_states,
    read_nmc,
)
from coupproof.sources.gwf import read_gwf
from coupproof.sources.mids import read_mid_participants
from coupproof.sources.polity import read_polity
from coupproof.sources.registry import fetch, fetch_all
from coupproof.sources.rivalries import read_rivalries
from coupproof.sources.ssf import read_ssf

__all__ = [
    "cow_system_years", "fetch", "fetch_all", "read_atop_alliances", "read_atop_dyad_years",
    "read_atop_members", "read_contcol", "read_contdir", "read_coups", "read_cow_majors",
    "read_cow_states", "read_gwf", "read_mid_participants", "read_nmc", "read_polity",
    "read_rivalries", "read_ssf",
]
