"""The data registry: every raw input with its URL and sha256, fetched with pooch.

``data/registry.csv`` lists each raw file (id, source, relative path, sha256, bytes, role,
dataset, version, raw URL); ``data/sources.csv`` gives each source's citation, official
release URL and licence terms.  Raw files are never committed: :func:`fetch` finds a file in
``COUPPROOF_DATA_DIR`` (default ``data/raw``), checks its hash, and downloads it only when it is
missing.  A file with the wrong hash is an error (the file is left alone so it can be
inspected); a missing file that cannot be downloaded is an error saying how to point
``COUPPROOF_DATA_DIR`` at a folder that holds it.

:func:`fetch_all` checks every registered file in one pass and reports all problems at once
(:class:`DataProblemsError`): each missing or corrupted file with its expected and actual
sha256 and size.  A download goes to a temporary folder first and is moved into the data
folder only after its hash matched, so a failed download creates nothing there, not even an
empty folder.

Command line::

    python -m coupproof.sources.registry fetch     # fetch + verify every registered file
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from coupproof import config

ROLES_FETCHED = ("main", "alternative", "cross-check")

_HOW_TO_FIX = (
    "Delete a corrupted file to re-download it; for a missing file either connect to the "
    "internet, or set the environment variable COUPPROOF_DATA_DIR to a folder that already "
    "holds the registered files (e.g. `export COUPPROOF_DATA_DIR=/path/to/mirror`, laid out "
    "as data/registry.csv's 'file' column)."
)


@dataclass(frozen=True)
class FileProblem:
    """One registered file that is missing or whose content differs from the registry."""

    file_id: str
    path: Path
    expected_sha256: str
    expected_bytes: int
    actual_sha256: str | None = None      # None: no file
    actual_bytes: int | None = None
    detail: str = ""                      # e.g. why a download failed

    @property
    def kind(self) -> str:
        return "missing" if self.actual_sha256 is None else "corrupted"

    def sentence(self) -> str:
        """The problem in one sentence, as raised by :func:`fetch`."""
        detail = f" ({self.detail})" if self.detail else ""
        if self.kind == "missing":
            return (f"Raw data file '{self.file_id}' is not at {self.path} and could not be "
                    f"downloaded{detail}.")
        return (f"Raw data file '{self.file_id}' at {self.path} is corrupted or a different "
                f"version{detail}: expected sha256 {self.expected_sha256} "
                f"({self.expected_bytes} bytes), got {self.actual_sha256} "
                f"({self.actual_bytes} bytes).")

    def describe(self) -> str:
        """The problem as a block of the one-pass report of :func:`fetch_all`."""
        found = ("no file" if self.actual_sha256 is None
                 else f"sha256 {self.actual_sha256}, {self.actual_bytes} bytes")
        detail = f"\n      {self.detail}" if self.detail else ""
        return (f"  {self.kind:<9} {self.file_id} at {self.path}\n"
                f"      expected sha256 {self.expected_sha256}, {self.expected_bytes} bytes\n"
                f"      actual   {found}{detail}")


class DataFileError(RuntimeError):
    """Base class for problems with a raw input file."""


class _OneFileError(DataFileError):
    def __init__(self, problem: FileProblem):
        self.problem = problem
        super().__init__(f"{problem.sentence()} {_HOW_TO_FIX}")


class HashMismatchError(_OneFileError):
    """A raw file exists (or was downloaded) but its sha256 differs from the registry."""

    @property
    def expected(self) -> str:
        return self.problem.expected_sha256

    @property
    def actual(self) -> str | None:
        return self.problem.actual_sha256


class DataUnavailableError(_OneFileError):
    """A raw file is missing locally and could not be downloaded."""


class DataProblemsError(DataFileError):
    """Every problem found in one pass over the registry (see :func:`fetch_all`)."""

    def __init__(self, problems: list[FileProblem], data_dir: Path):
        self.problems = list(problems)
        kinds = [p.kind for p in self.problems]
        summary = ", ".join(f"{kinds.count(k)} {k}" for k in ("missing", "corrupted")
                            if k in kinds)
        super().__init__(
            f"{len(self.problems)} raw data file(s) under {data_dir} are not as registered "
            f"({summary}):\n" + "\n".join(p.describe() for p in self.problems) + "\n"
            + _HOW_TO_FIX
        )


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


def _local_path(row: pd.Series, data_dir: Path | None) -> Path:
    root = Path(data_dir) if data_dir is not None else config.data_dir()
    return root / row["file"]


def check(file_id: str, path: Path) -> FileProblem | None:
    """Compare the file at ``path`` with the registry entry ``file_id``; None if it matches."""
    row = entry(file_id)
    problem = FileProblem(file_id, path, row["sha256"], int(row["bytes"]))
    if not path.is_file():
        return problem
    st = path.stat()
    actual = _verified(str(path), st.st_mtime_ns, st.st_size, row["sha256"])
    if actual == row["sha256"]:
        return None
    return FileProblem(file_id, path, row["sha256"], int(row["bytes"]), actual, st.st_size)


def _download(file_id: str, path: Path) -> FileProblem | None:
    """Download ``file_id`` to ``path``; None on success, else what went wrong.

    The file is downloaded into a temporary folder and verified there; only a file whose
    sha256 matches is moved into place (creating its folder).  On any failure nothing is
    created beside ``path``.
    """
    import pooch

    row = entry(file_id)
    with tempfile.TemporaryDirectory(prefix="coupproof-download-") as tmp:
        try:
            fetched = Path(pooch.retrieve(
                url=row["url"], known_hash=None, fname=path.name, path=tmp,
                progressbar=False, downloader=pooch.HTTPDownloader(timeout=60),
            ))
        except Exception as err:  # network errors, HTTP errors
            return FileProblem(file_id, path, row["sha256"], int(row["bytes"]),
                               detail=f"download failed: {type(err).__name__}: {err}")
        got = check(file_id, fetched)
        if got is not None:
            return FileProblem(file_id, path, row["sha256"], int(row["bytes"]),
                               got.actual_sha256, got.actual_bytes,
                               detail=f"as downloaded from {row['url']}; not put in place")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        shutil.move(fetched, partial)          # may cross file systems: copy, then rename
        os.replace(partial, path)
    return None


def ensure(file_id: str, data_dir: Path | None = None, download: bool = True
           ) -> tuple[Path, FileProblem | None]:
    """The local path of ``file_id`` and the problem with it, if any (downloading if absent)."""
    path = _local_path(entry(file_id), data_dir)
    problem = check(file_id, path)
    if problem is not None and problem.kind == "missing" and download:
        problem = _download(file_id, path)
    return path, problem


def fetch(file_id: str, data_dir: Path | None = None, download: bool = True) -> Path:
    """Return the local path of a registered raw file, verified against its sha256.

    Looks in ``data_dir`` (default: :func:`coupproof.config.data_dir`).  If the file is absent
    and ``download`` is true, downloads it from the registry URL with pooch and checks the
    hash before the file is put in place, so nothing half-written is left behind.
    """
    path, problem = ensure(file_id, data_dir, download)
    if problem is None:
        return path
    raise (DataUnavailableError if problem.kind == "missing" else HashMismatchError)(problem)


def fetch_all(roles=ROLES_FETCHED, verbose: bool = True, data_dir: Path | None = None,
              download: bool = True) -> pd.DataFrame:
    """Fetch and verify every registered file of the given roles; return a status table.

    Every file is checked (and a missing one downloaded) before anything is reported: if any
    is missing or corrupted, one :class:`DataProblemsError` names all of them.
    """
    reg = registry()
    out, problems = [], []
    for file_id, row in reg[reg["role"].isin(roles)].iterrows():
        path, problem = ensure(file_id, data_dir, download)
        if problem is not None:
            problems.append(problem)
            if verbose:
                print(f"  BAD {file_id:<24} {row['file']:<45} {problem.kind}", flush=True)
            continue
        out.append({"id": file_id, "file": row["file"], "sha256": row["sha256"],
                    "bytes": path.stat().st_size, "verified": True})
        if verbose:
            print(f"  ok  {file_id:<24} {row['file']:<45} sha256 {row['sha256'][:12]}…",
                  flush=True)
    if problems:
        raise DataProblemsError(problems, Path(data_dir) if data_dir else config.data_dir())
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
