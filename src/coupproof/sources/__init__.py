"""Raw inputs: the data registry and one typed reader per source.

Each reader fetches (and verifies) its registered file, reads the original format and
returns a tidy DataFrame with documented columns: COW codes and years as ``Int64``.

:func:`read` is the one entry point the rest of the package uses — "raw files → readers" as a
stage you can point at.  It parses each raw file once per process and hands out copies, so a
panel build that needs the ATOP member file in three places reads it once
(:func:`read_counts` says how often each file was parsed)::

    polity = sources.read("polity", version="IV")
    atop = sources.read("atop_members")
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pandas as pd

from coupproof.sources.atop import (DYAD_VERSIONS, read_atop_alliances, read_atop_dyad_years,
                                    read_atop_members)
from coupproof.sources.coups import COUP_VERSIONS, read_coups
from coupproof.sources.cow import (NMC_VERSIONS, cow_system_years, read_contcol, read_contdir,
                                   read_cow_majors, read_cow_states, read_nmc)
from coupproof.sources.gwf import read_gwf
from coupproof.sources.mids import MID_FILES, read_mid_participants
from coupproof.sources.polity import POLITY_VERSIONS, read_polity
from coupproof.sources.registry import fetch, fetch_all
from coupproof.sources.rivalries import read_rivalries
from coupproof.sources.ssf import read_ssf
from coupproof.sources.threat_series import THREAT_SERIES_FILES, read_threat_series

#: dataset -> (reader, raw file id(s) it reads: one id, or {version: id})
READERS: dict[str, tuple[Callable[..., pd.DataFrame], str | dict[str, str]]] = {
    "atop_alliances": (read_atop_alliances, "atop_alliances"),
    "atop_members": (read_atop_members, "atop_members"),
    "atop_dyad_years": (read_atop_dyad_years, DYAD_VERSIONS),
    "coups": (read_coups, COUP_VERSIONS),
    "cow_states": (read_cow_states, "cow_states"),
    "cow_majors": (read_cow_majors, "cow_majors"),
    "contdir": (read_contdir, "contdir"),
    "contcol": (read_contcol, "contcol"),
    "nmc": (read_nmc, NMC_VERSIONS),
    "gwf": (read_gwf, "gwf"),
    "mid_participants": (read_mid_participants, MID_FILES),
    "polity": (read_polity, POLITY_VERSIONS),
    "rivalries": (read_rivalries, "rivalries"),
    "ssf": (read_ssf, "ssf_counterweights"),
    "threat_series": (read_threat_series, THREAT_SERIES_FILES),
}

_PARSED: dict[tuple, pd.DataFrame] = {}
_COUNTS: dict[str, int] = {}


def _check(dataset: str) -> None:
    if dataset not in READERS:
        raise KeyError(f"unknown dataset {dataset!r}; known: {', '.join(READERS)}")


def default_version(dataset: str) -> str | None:
    """The version a dataset's reader reads when none is given (None: not versioned)."""
    _check(dataset)
    reader, ids = READERS[dataset]
    if isinstance(ids, str):
        return None
    param = inspect.signature(reader).parameters.get("version")
    default = None if param is None else param.default
    if default is None or default is inspect.Parameter.empty:
        return next(iter(ids))  # a reader without a default reads the first listed version
    return default


def file_id(dataset: str, version: str | None = None) -> str:
    """The registry id of the raw file behind ``dataset`` (and ``version``; default: the
    reader's own default version)."""
    _check(dataset)
    ids = READERS[dataset][1]
    if isinstance(ids, str):
        if version is not None:
            raise ValueError(f"dataset {dataset!r} has no versions")
        return ids
    if version is None:
        version = default_version(dataset)
    if version not in ids:
        raise ValueError(f"unknown {dataset} version {version!r}; allowed: {', '.join(ids)}")
    return ids[version]


def datasets_of_files() -> dict[str, tuple[str, str | None]]:
    """Registry id -> (dataset, version) for every file a reader reads."""
    out: dict[str, tuple[str, str | None]] = {}
    for dataset, (_, ids) in READERS.items():
        if isinstance(ids, str):
            out[ids] = (dataset, None)
        else:
            out.update({fid: (dataset, v) for v, fid in ids.items()})
    return out


def read(dataset: str, version: str | None = None) -> pd.DataFrame:
    """The typed frame of ``dataset`` (optionally a ``version``), parsed once per process.

    Returns a copy, so callers may modify it freely.
    """
    _check(dataset)
    if version is None:
        version = default_version(dataset)
    fid = file_id(dataset, version)
    key = (dataset, version)
    if key not in _PARSED:
        reader = READERS[dataset][0]
        _PARSED[key] = reader() if version is None else reader(version)
        _COUNTS[fid] = _COUNTS.get(fid, 0) + 1
    return _PARSED[key].copy()


def read_counts() -> dict[str, int]:
    """How many times each raw file (by registry id) has been parsed in this process."""
    return dict(_COUNTS)


def clear() -> None:
    """Forget the parsed frames (e.g. after replacing a raw file in a test)."""
    _PARSED.clear()
    _COUNTS.clear()


def system_years(first: int = 1816, last: int = 2016) -> pd.DataFrame:
    """COW state-years (``ccode``, ``year``), from the cached membership file."""
    return cow_system_years(first, last, states=read("cow_states"))


__all__ = [
    "READERS", "clear", "cow_system_years", "fetch", "fetch_all", "file_id", "read",
    "read_atop_alliances", "read_atop_dyad_years", "read_atop_members", "read_contcol",
    "read_contdir", "read_counts", "read_coups", "read_cow_majors", "read_cow_states", "read_gwf",
    "read_mid_participants", "read_nmc", "read_polity", "read_rivalries", "read_ssf",
    "read_threat_series", "system_years",
]
