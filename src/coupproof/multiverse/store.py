"""An append-only store of multiverse results: one parquet partition per specification.

``<store>/<code>/<key[:2]>/<key>.parquet`` holds the record of the specification whose
:meth:`~coupproof.params.Choices.key` is ``key``, computed by the code whose fingerprint is
``<code>`` (the package's data, model and multiverse modules and the data registry: a change
to any of them starts a new, empty generation instead of mixing old and new records).  A partition is written to a temporary file
and renamed into place, so a run killed half-way leaves every finished specification whole
and no half-written partition; a rerun skips the keys already there, and two runs of the
same space write the same files, so no row is ever duplicated.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

#: The modules whose code the records depend on.
RECORD_MODULES = ("coupproof.sources", "coupproof.panel", "coupproof.models", "coupproof.multiverse",
                  "coupproof.params", "coupproof.codebook", "coupproof.analysis", "coupproof.cache",
                  "coupproof.calibration")


def code_version() -> str:
    """Fingerprint of the code (and data registry) that produces the records."""
    import hashlib

    from coupproof import config
    from coupproof.cache import code_fingerprint

    h = hashlib.sha256(code_fingerprint(RECORD_MODULES).encode())
    h.update(config.registry_path().read_bytes())
    return h.hexdigest()[:12]


class ResultStore:
    """Multiverse records under ``root`` (a folder every worker can see)."""

    def __init__(self, root: Path | str, code: str | None = None):
        self.base = Path(root)
        self.code = code or code_version()
        self.root = self.base / self.code

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.parquet"

    def done(self) -> set[str]:
        """Keys of the specifications already stored."""
        if not self.root.exists():
            return set()
        return {p.stem for p in self.root.glob("*/*.parquet")}

    def write(self, record: dict | pd.DataFrame) -> Path:
        """Store one specification's record (a dict) or rows (a frame whose ``key`` column
        holds one key) atomically: write a temporary file, then rename it into place."""
        frame = pd.DataFrame([record]) if isinstance(record, dict) else record
        keys = frame["key"].unique()
        if len(keys) != 1:
            raise ValueError(f"a partition holds one specification; got keys {list(keys)[:3]}")
        path = self.path(str(keys[0]))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
        try:
            frame.to_parquet(tmp, index=False)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return path

    def read(self, keys: Iterable[str] | None = None) -> pd.DataFrame:
        """All stored records (or those of ``keys``), one row per specification."""
        if keys is None:
            paths = sorted(self.root.glob("*/*.parquet")) if self.root.exists() else []
        else:
            paths = [self.path(k) for k in keys if self.path(k).exists()]
        if not paths:
            return pd.DataFrame()
        frames = [pd.read_parquet(p) for p in paths]
        return pd.concat(frames, ignore_index=True)

    def clean(self, older_than: float = 600.0) -> int:
        """Remove temporary files left by killed writes (older than ``older_than`` seconds,
        so that a run going on elsewhere keeps its in-flight files); returns how many."""
        n, now = 0, time.time()
        for tmp in self.root.glob("*/.*.tmp") if self.root.exists() else []:
            with contextlib.suppress(FileNotFoundError):
                if now - tmp.stat().st_mtime > older_than:
                    tmp.unlink()
                    n += 1
        return n
