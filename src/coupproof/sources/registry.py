"""The data registry: every raw input with its URL and sha256, fetched with pooch.

``data/registry.csv`` lists each raw file (id, source, relative path, sha256, bytes, role,
dataset, version, raw URL); ``data/sources.csv`` gives each source's citation, official
release URL and licence terms.  Raw files are never committed: :func:`fetch` finds a file in
``COUPPROOF_DATA_DIR`` (default ``data/raw``), checks its hash, and downloads it only when it is
missing.  A file with the wrong hash is an error (the file is left alone so it can be
inspected); a missing file that cannot be downloaded is an error saying how to point
``COUPPROOF_DATA_DIR`` at a folder that holds it.

Command line::

    python -m coupproof.sources.registry fetch     # fetch + verify every registered file
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

import pandas as pd

from coupproof import config

ROLES_FETCHED = ("main", "alternative", "cross-check")


class DataFileError(RuntimeError):
    """Base class for problems with a raw input file."""


class HashMismatchError(DataFileError):
    """A raw file exists but its sha256 differs from the registry."""

    def __init__(self, file_id: str, path: Path, expected: str, actual: str):
        self.file_id, self.path, self.expected, self.actual = file_id, path, expected, actual
        super().__init__(
            f"Raw data file '{file_id}' at {path} is corrupted or a different version: "
            f"expected sha256 {expected}, got {actual}. Delete it to re-download, or point "
            f"COUPPROOF_DATA_DIR at a folder with the registered file."
        )


class DataUnavailableError(DataFileError):
    """A raw file is missing locally and could not be downloaded."""


@functools.lru_cache(maxsize=1)
def registry() -> pd.DataFrame:
    """The registry as a DataFrame indexed by file id."""
    reg = pd.read_csv(config.registry_path(), dtype=str).set_index("id")
    reg["bytes"] = reg["bytes"].astype(int)
    return reg


@functools.lru_cache(maxsize=1)
def sources() -> pd.DataFrame:
    """Citation, official URL and licence of each source, indexed by source id."""
    return pd.read_csv(config.sources_path(), dtype=str).set_index("id")


def sha256(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def _verified(path: str, mtime_ns: int, size: int, expected: str) -> str:
    """Hash of a file, memoised on (path, mtime, size) so readers can verify cheaply."""
    return sha256(Path(path))


def entry(file_id: str) -> pd.Series:
    reg = registry()
    if file_id not in reg.index:
        raise KeyError(
            f"Unknown data file id '{file_id}'. Registered ids: {', '.join(reg.index)}"
        )
    return reg.loc[file_id]


def fetch(file_id: str, data_dir: Path | None = None, download: bool = True) -> Path:
    """Return the local path of a registered raw file, verified against its sha256.

    Looks in ``data_dir`` (default: :func:`coupproof.config.data_dir`).  If the file is absent
    and ``download`` is true, downloads it from the registry URL with pooch (3 retries) and
    checks the hash before the file is put in place, so nothing half-written is left behind.
    """
    row = entry(file_id)
    root = Path(data_dir) if data_dir is not None else config.data_dir()
    path = root / row["file"]
    if path.exists():
        st = path.stat()
        actual = _verified(str(path), st.st_mtime_ns, st.st_size, row["sha256"])
        if actual != row["sha256"]:
            raise HashMismatchError(file_id, path, row["sha256"], actual)
        return path
    if not download:
        raise DataUnavailableError(_missing_message(file_id, path, None))
    try:
        import pooch

        fetched = pooch.retrieve(
            url=row["url"],
            known_hash=f"sha256:{row['sha256']}",
            fname=path.name,
            path=path.parent,
            progressbar=False,
            downloader=pooch.HTTPDownloader(timeout=60),
        )
    except ValueError as err:  # pooch's hash mismatch after download
        raise DataFileError(
            f"Downloaded '{file_id}' from {row['url']} but its hash does not match the registry "
            f"(expected sha256 {row['sha256']}): {err}"
        ) from err
    except Exception as err:  # network errors, HTTP errors, read-only folders
        raise DataUnavailableError(_missing_message(file_id, path, err)) from err
    return Path(fetched)


def _missing_message(file_id: str, path: Path, err: Exception | None) -> str:
    why = f" Download failed: {type(err).__name__}: {err}." if err else ""
    return (
        f"Raw data file '{file_id}' is not at {path} and could not be downloaded.{why} "
        f"Either connect to the internet, or set the environment variable COUPPROOF_DATA_DIR "
        f"to a folder that already holds the registered files (e.g. "
        f"`export COUPPROOF_DATA_DIR=/path/to/mirror`, laid out as data/registry.csv's "
        f"'file' column)."
    )


def fetch_all(roles=ROLES_FETCHED, verbose: bool = True) -> pd.DataFrame:
    """Fetch and verify every registered file of the given roles; return a status table."""
    reg = registry()
    out = []
    for file_id, row in reg[reg["role"].isin(roles)].iterrows():
        path = fetch(file_id)
        out.append({"id": file_id, "file": row["file"], "sha256": row["sha256"],
                    "bytes": path.stat().st_size, "verified": True})
        if verbose:
            print(f"  ok  {file_id:<24} {row['file']:<45} sha256 {row['sha256'][:12]}…",
                  flush=True)
    return pd.DataFrame(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["fetch"]:
        print("usage: python -m coupproof.sources.registry fetch", file=sys.stderr)
        return 2
    print(f"data folder: {config.data_dir()}")
    try:
        table = fetch_all()
    except DataFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{len(table)} raw files present and verified")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
