"""Build (or load from the cache) the directed dyad-year panel for one parameter set."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from coupproof import config, sources
from coupproof.panel import alliances
from coupproof.panel.concessions import add_concessions, concessions_by_member
from coupproof.panel.dyads import (add_alliance_ties, add_dyadic_measures, add_new_pacts,
                                   add_state_attributes, directed_dyad_years)
from coupproof.panel.params import PanelParams
from coupproof.panel.states import state_years

log = logging.getLogger("coupproof")


def alliance_dyads(params: PanelParams) -> pd.DataFrame:
    """Directed dyad-year obligations from the source named by ``params.alliance_dyads``."""
    if params.alliance_dyads == "ddyr":
        d = sources.read_atop_dyad_years("5.1")
        return d.astype({c: "int64" for c in ("ccode1", "ccode2", "year")})
    return alliances.alliance_dyad_years(sources.read_atop_members())


def threat_table(params: PanelParams, dyads: pd.DataFrame) -> pd.DataFrame | None:
    """External threat per state-year (None if the threat module is unavailable)."""
    try:
        from coupproof.panel.threat import ThreatParams, build_threat
    except ImportError:  # pragma: no cover - during development only
        return None
    settings = {"nmc_version": params.nmc_version, **params.threat}
    return build_threat(ThreatParams(**settings), alliance_dyads=dyads)


def build_panel(params: PanelParams = PanelParams()) -> pd.DataFrame:
    """Directed dyad-years for the DV years in ``params.years`` with every variable.

    The frame is *not* yet restricted to non-democratic A's; see
    :func:`coupproof.panel.sample.restrict_sample`.
    """
    first, last = params.years
    dyads_obl = alliance_dyads(params)
    threat = threat_table(params, dyads_obl)
    states = state_years(params, threat=threat, first=1946, last=last)
    ties = alliances.symmetric_ties(dyads_obl)
    pacts = alliances.new_defense_pacts(sources.read_atop_alliances(), sources.read_atop_members(),
                                        rule=params.def_rule, obligation=params.def_obligation)
    system = sources.cow_system_years(first=first - 1, last=last)
    panel = (
        directed_dyad_years(system, first=first - 1, last=last)
        .pipe(add_alliance_ties, ties)
        .pipe(add_new_pacts, pacts)
        .pipe(add_concessions, concessions_by_member(sources.read_atop_alliances(), sources.read_atop_members(),
                                                     params.concession_items))
        .pipe(add_state_attributes, states)
        .pipe(add_dyadic_measures, params.reg_diff_interregnum)
    )
    panel = panel[panel["year"] >= first].reset_index(drop=True)
    panel.attrs["params"] = params.to_dict()
    if threat is not None and "mean_s" in threat.attrs:
        panel.attrs["mean_s"] = float(threat.attrs["mean_s"])
    return panel


def code_fingerprint() -> str:
    """Hash of the source code that builds the panel, so a code change invalidates the cache."""
    import hashlib

    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for folder in ("sources", "panel"):
        for f in sorted((root / folder).glob("*.py")):
            h.update(f.read_bytes())
    h.update((root / "spells.py").read_bytes())
    h.update((config.registry_path()).read_bytes())
    return h.hexdigest()[:8]


def cache_path(params: PanelParams) -> Path:
    """``<cache>/panel-<parameter hash>-<code hash>.parquet``."""
    return config.cache_dir() / f"panel-{params.key()}-{code_fingerprint()}.parquet"


def load_panel(params: PanelParams = PanelParams(), rebuild: bool = False,
               verbose: bool = True) -> pd.DataFrame:
    """The panel for ``params``, built once and cached as parquet keyed by the parameters.

    The cache file is written atomically (temporary file, then rename), so an interrupted
    build never leaves a half-written panel behind.
    """
    path = cache_path(params)
    if path.exists() and not rebuild:
        t0 = time.perf_counter()
        panel = pd.read_parquet(path)
        meta = json.loads(path.with_suffix(".json").read_text())
        panel.attrs.update(meta.get("attrs", {}))
        if verbose:
            print(f"panel loaded from cache {path.name} ({len(panel):,} rows, "
                  f"{time.perf_counter() - t0:.2f} s)")
        return panel
    t0 = time.perf_counter()
    panel = build_panel(params)
    elapsed = time.perf_counter() - t0
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        panel.to_parquet(tmp, index=False)
        meta = {"params": params.to_dict(), "attrs": {k: v for k, v in panel.attrs.items()},
                "build_seconds": elapsed}
        path.with_suffix(".json").write_text(json.dumps(meta, indent=1, default=str))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    if verbose:
        print(f"panel built in {elapsed:.1f} s ({len(panel):,} rows) and cached as {path.name}")
    return panel
