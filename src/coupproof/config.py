"""Where things live: the project folder, the raw-data cache, the panel cache and results.

Every location can be overridden with an environment variable, so the same code runs from
a notebook, from papermill, from pytest and from CI:

``COUPPROOF_DATA_DIR``
    Folder holding (or receiving) the raw input files, laid out as in ``data/registry.csv``
    (e.g. ``atop/atop5_1a.csv``).  Default: ``<project>/data/raw``.
``COUPPROOF_CACHE_DIR``
    Folder for derived, rebuildable files (the dyad-year panel as parquet).
    Default: ``<project>/data/cache``.
``COUPPROOF_RESULTS_DIR``
    Folder for machine-readable results (one CSV per table).  Default: ``<project>/results``.
"""

from __future__ import annotations

import os
from pathlib import Path

_MARKER = "_toc.yml"


def project_dir() -> Path:
    """The project's top folder (the one holding ``_toc.yml`` and ``data/``)."""
    env = os.environ.get("COUPPROOF_PROJECT_DIR")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:  # editable install: src/coupproof/config.py
        if (parent / _MARKER).exists() and (parent / "data" / "registry.csv").exists():
            return parent
    cwd = Path.cwd().resolve()
    for parent in (cwd, *cwd.parents):
        if (parent / _MARKER).exists():
            return parent
    raise RuntimeError(
        "Cannot find the project folder (the one with _toc.yml); set COUPPROOF_PROJECT_DIR."
    )


def _dir_from_env(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).expanduser().resolve() if value else default


def data_dir() -> Path:
    """Raw-data folder (``COUPPROOF_DATA_DIR``)."""
    return _dir_from_env("COUPPROOF_DATA_DIR", project_dir() / "data" / "raw")


def cache_dir() -> Path:
    """Derived-data cache (``COUPPROOF_CACHE_DIR``)."""
    return _dir_from_env("COUPPROOF_CACHE_DIR", project_dir() / "data" / "cache")


def results_dir() -> Path:
    """Per-table results files (``COUPPROOF_RESULTS_DIR``)."""
    return _dir_from_env("COUPPROOF_RESULTS_DIR", project_dir() / "results")


def registry_path() -> Path:
    return project_dir() / "data" / "registry.csv"


def sources_path() -> Path:
    return project_dir() / "data" / "sources.csv"


def published_dir() -> Path:
    """The published record of the paper (estimates, model statistics, summary statistics)."""
    return project_dir() / "data" / "published"
