"""A cache of derived pieces on disk, keyed by what each piece reads and verified on load.

A *piece* is anything derived from the raw files that is worth keeping: a state-year table
of Polity variables, the threat measure under one set of threat choices, the dyad skeleton.
:meth:`PieceCache.get` names each entry by a hash of

* the piece's name,
* the parameter values it reads (and only those: the Polity piece does not read the
  threat settings, so changing them reuses it),
* the source code it runs (a fingerprint of the modules it names), and
* the registered sha256 of every raw file it reads,

and stores it as ``<cache>/pieces/<name>/<key>.parquet`` (a DataFrame) or ``.npz`` (a dict of
numpy arrays), with a sidecar ``<key>.json`` recording the data file's sha256 and size.

Trust, but verify:

* an entry is used only when its sidecar exists and the data file's sha256 matches the one
  recorded when it was written; a truncated file, a changed byte or a missing sidecar gives
  a warning naming the path, and the piece is rebuilt (never a crash, never a silent load);
* writes are atomic — data to a temporary file, fsync, rename; then the sidecar the same way
  — so a killed process leaves at most a temporary file, which the next process removes;
* a lock per entry keeps two processes (say two multiverse workers) from building the same
  piece at once; the second waits and then loads what the first wrote;
* files get ordinary permissions (the process umask), not the 0600 of ``mkstemp``.

Within a process, entries are also kept in a small in-memory LRU, so a piece is read from
disk (and hashed) once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import io
import json
import os
import socket
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from coupproof import config

#: Modules whose code every piece depends on (readers, registry, shared helpers, this file).
BASE_MODULES = ("coupproof.sources", "coupproof.spells", "coupproof.panel.transforms",
                "coupproof.cache", "coupproof.params")
_HOST = socket.gethostname().replace(".", "_")


class CacheWarning(UserWarning):
    """A cache entry was missing its sidecar, failed its hash check or could not be read."""


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


_FINGERPRINTS: dict[tuple[str, ...], str] = {}


def code_fingerprint(modules: Iterable[str]) -> str:
    """Hash of the source files of ``modules`` (a package counts with all its ``.py`` files)."""
    names = tuple(sorted(set(modules)))
    if names in _FINGERPRINTS:
        return _FINGERPRINTS[names]
    h = hashlib.sha256()
    for name in names:
        mod = importlib.import_module(name)
        path = Path(mod.__file__)
        files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
        for f in files:
            h.update(str(f.relative_to(path.parent.parent)).encode())
            h.update(f.read_bytes())
    _FINGERPRINTS[names] = h.hexdigest()[:16]
    return _FINGERPRINTS[names]


def source_hashes(file_ids: Iterable[str]) -> dict[str, str]:
    """The registered sha256 of each raw file id (the reader verifies the file against it)."""
    from coupproof.sources.registry import entry

    return {f: str(entry(f)["sha256"]) for f in sorted(set(file_ids))}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _open_new(path: Path):
    """Create ``path`` for writing with the process umask (ordinary permissions)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    return os.fdopen(fd, "wb")


class PieceCache:
    """Derived pieces on disk under ``root`` (default ``<COUPPROOF_CACHE_DIR>/pieces``)."""

    def __init__(self, root: Path | str | None = None, memory_mb: float | None = None):
        self._root = Path(root) if root is not None else None
        self._memory: OrderedDict[tuple[str, str], object] = OrderedDict()
        self._memory_bytes: dict[tuple[str, str], int] = {}
        if memory_mb is None:
            memory_mb = float(os.environ.get("COUPPROOF_CACHE_MEMORY_MB", 512))
        self._memory_budget = int(memory_mb * 1e6)
        self._cleaned: set[Path] = set()
        self._keys: dict[tuple, str] = {}
        self.builds: dict[str, int] = {}
        self.loads: dict[str, int] = {}

    @property
    def root(self) -> Path:
        return self._root if self._root is not None else config.cache_dir() / "pieces"

    # --- keys ---------------------------------------------------------------------------
    def key(self, name: str, reads: Mapping, modules: Iterable[str] = (),
            sources: Iterable[str] = ()) -> str:
        memo = (name, json.dumps(dict(reads), sort_keys=True, default=str), tuple(modules),
                tuple(sources))
        if memo not in self._keys:
            blob = json.dumps({"piece": name, "reads": dict(reads),
                               "code": code_fingerprint((*BASE_MODULES, *modules)),
                               "sources": source_hashes(sources)}, sort_keys=True, default=str)
            self._keys[memo] = hashlib.sha256(blob.encode()).hexdigest()[:16]
        return self._keys[memo]

    def paths(self, name: str, key: str, kind: str) -> tuple[Path, Path]:
        folder = self.root / name
        suffix = {"frame": ".parquet", "arrays": ".npz"}[kind]
        return folder / f"{key}{suffix}", folder / f"{key}.json"

    # --- the one public verb ------------------------------------------------------------
    def get(self, name: str, reads: Mapping, build: Callable[[], object], *,
            modules: Iterable[str] = (), sources: Iterable[str] = (), kind: str = "frame"):
        """The piece ``name`` for the parameter values ``reads``: from memory, from a verified
        file, or built by ``build()`` and stored.

        ``kind`` is "frame" (``build`` returns a DataFrame; its ``attrs`` are kept) or
        "arrays" (a dict of numpy arrays).  ``modules`` and ``sources`` name the code and
        the raw files the piece depends on.
        """
        if kind not in ("frame", "arrays"):
            raise ValueError(f"unknown piece kind {kind!r}; allowed: 'frame', 'arrays'")
        key = self.key(name, reads, modules, sources)
        mem_key = (name, key)
        if mem_key in self._memory:
            self._memory.move_to_end(mem_key)
            return _share(self._memory[mem_key])
        data_path, meta_path = self.paths(name, key, kind)
        self._clean_orphans(data_path.parent)
        value = self._load(data_path, meta_path, kind)
        if value is None:
            data_path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock(data_path):
                value = self._load(data_path, meta_path, kind, quiet=True)  # built meanwhile?
                if value is None:
                    t0 = time.perf_counter()
                    value = build()
                    self._store(value, data_path, meta_path, kind,
                                {"piece": name, "reads": dict(reads),
                                 "build_seconds": round(time.perf_counter() - t0, 3)})
                    self.builds[name] = self.builds.get(name, 0) + 1
        else:
            self.loads[name] = self.loads.get(name, 0) + 1
        self._remember(mem_key, value)
        return _share(value)

    def clear_memory(self) -> None:
        self._memory.clear()
        self._memory_bytes.clear()

    def inventory(self) -> pd.DataFrame:
        """One row per piece on disk: entries, megabytes, and the seconds their builds took."""
        rows = []
        for meta_path in sorted(self.root.glob("*/*.json")):
            try:
                meta = json.loads(meta_path.read_text())
            except (OSError, ValueError):
                continue
            rows.append({"piece": meta_path.parent.name, "bytes": meta.get("bytes", 0),
                         "build_seconds": meta.get("build_seconds", float("nan"))})
        if not rows:
            return pd.DataFrame(columns=["piece", "entries", "MB", "build seconds (total)"])
        df = pd.DataFrame(rows)
        out = df.groupby("piece").agg(entries=("bytes", "size"), MB=("bytes", "sum"),
                                      build=("build_seconds", "sum")).reset_index()
        out["MB"] = (out["MB"] / 1e6).round(1)
        return out.rename(columns={"build": "build seconds (total)"}).round(1)

    # --- internals ----------------------------------------------------------------------
    def _remember(self, mem_key, value) -> None:
        self._memory[mem_key] = value
        self._memory_bytes[mem_key] = _nbytes(value)
        while len(self._memory) > 1 and sum(self._memory_bytes.values()) > self._memory_budget:
            old, _ = self._memory.popitem(last=False)
            self._memory_bytes.pop(old, None)

    def _load(self, data_path: Path, meta_path: Path, kind: str, quiet: bool = False):
        if not data_path.exists():
            if meta_path.exists() and not quiet:
                warnings.warn(f"cache entry {data_path} is missing (its sidecar exists); "
                              "rebuilding it", CacheWarning, stacklevel=3)
            return None
        if not meta_path.exists():
            if not quiet:
                warnings.warn(f"cache entry {data_path} has no sidecar {meta_path.name} with its "
                              "hash; rebuilding it", CacheWarning, stacklevel=3)
            return None
        try:
            meta = json.loads(meta_path.read_text())
            expected = meta["sha256"]
        except (OSError, ValueError, KeyError) as err:
            warnings.warn(f"cache sidecar {meta_path} is unreadable ({err}); rebuilding "
                          f"{data_path.name}", CacheWarning, stacklevel=3)
            return None
        blob = data_path.read_bytes()
        actual = hashlib.sha256(blob).hexdigest()
        if actual != expected:
            warnings.warn(f"cache entry {data_path} does not match the sha256 recorded when it "
                          f"was written (expected {expected[:12]}…, found {actual[:12]}…, "
                          f"{len(blob):,} bytes); rebuilding it", CacheWarning, stacklevel=3)
            return None
        try:
            if kind == "frame":
                value = pd.read_parquet(io.BytesIO(blob))
                value.attrs.update(meta.get("attrs", {}))
                return value
            with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
                return {k: npz[k] for k in npz.files}
        except Exception as err:  # a file whose hash matches but that cannot be parsed
            warnings.warn(f"cache entry {data_path} could not be read ({type(err).__name__}: "
                          f"{err}); rebuilding it", CacheWarning, stacklevel=3)
            return None

    def _store(self, value, data_path: Path, meta_path: Path, kind: str, info: dict) -> None:
        tag = f"{_HOST}.{os.getpid()}.{time.monotonic_ns()}"
        tmp = data_path.with_name(f".{data_path.name}.{tag}.tmp")
        meta_tmp = meta_path.with_name(f".{meta_path.name}.{tag}.tmp")
        try:
            with _open_new(tmp) as fh:
                if kind == "frame":
                    if not isinstance(value, pd.DataFrame):
                        raise TypeError(f"piece {info['piece']} built a {type(value).__name__}, "
                                        "not a DataFrame")
                    value.to_parquet(fh, index=False)
                else:
                    np.savez(fh, **{k: np.asarray(v) for k, v in value.items()})
                fh.flush()
                os.fsync(fh.fileno())
            digest, size = sha256_file(tmp), tmp.stat().st_size
            os.replace(tmp, data_path)
            attrs = dict(value.attrs) if kind == "frame" else {}
            meta = {**info, "sha256": digest, "bytes": size, "attrs": attrs,
                    "written": time.strftime("%Y-%m-%dT%H:%M:%S")}
            with _open_new(meta_tmp) as fh:
                fh.write(json.dumps(meta, indent=1, default=str).encode())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(meta_tmp, meta_path)
        except OSError as err:  # a read-only or full disk: use the piece, do not cache it
            warnings.warn(f"could not write cache entry {data_path} ({err}); continuing "
                          "without caching it", CacheWarning, stacklevel=3)
        finally:
            for t in (tmp, meta_tmp):
                with contextlib.suppress(FileNotFoundError):
                    t.unlink()

    @contextlib.contextmanager
    def _lock(self, data_path: Path):
        lock_path = data_path.with_name(f".{data_path.stem}.lock")
        try:
            fh = open(lock_path, "a")
        except OSError:  # cannot lock (read-only folder): build without a lock
            yield
            return
        with fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _clean_orphans(self, folder: Path) -> None:
        """Remove temporary files left by killed writes (this host's dead processes, or any
        older than a day)."""
        if folder in self._cleaned or not folder.exists():
            return
        self._cleaned.add(folder)
        now = time.time()
        for tmp in folder.glob(".*.tmp"):
            parts = tmp.name.split(".")
            try:
                host, pid = parts[-4], int(parts[-3])
            except (IndexError, ValueError):
                host, pid = "", -1
            try:  # another process may rename its finished file away at any moment
                stale = (host == _HOST and not _pid_alive(pid)) or now - tmp.stat().st_mtime > 86400
                if stale:
                    tmp.unlink()
            except FileNotFoundError:
                continue


def _nbytes(value) -> int:
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=False, deep=False).sum())
    if isinstance(value, dict):
        return int(sum(np.asarray(v).nbytes for v in value.values()))
    return 0


def _share(value):
    """What callers get: a shallow copy of a frame (new columns do not touch the cache),
    read-only views of arrays."""
    if isinstance(value, pd.DataFrame):
        out = value.copy(deep=False)
        out.attrs = dict(value.attrs)
        return out
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            view = np.asarray(v).view()
            view.flags.writeable = False
            out[k] = view
        return out
    return value


#: The process-wide cache that the panel and the threat measure use.
CACHE = PieceCache()
