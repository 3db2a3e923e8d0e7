"""The results store: each table's results, recorded with the parameter set that produced them.

A chapter that fits a table records a :class:`TableResults`: the tidy coefficients, the
model statistics (N, log-likelihood, ρ, ...), the table id, the parameter set (the key of
the construction, its differences from the book's defaults and any estimator options) and
a fingerprint of the estimation code.  One folder holds one parameter set:

``results/`` (:func:`coupproof.config.results_dir`)
    the book's own parameter set, written only by a run with the book's choices;
``<COUPPROOF_CACHE_DIR>/reruns/<key>/``
    any other parameter set (or ``$COUPPROOF_RESULTS_DIR/<key>/`` when the rerun command
    points ``COUPPROOF_RESULTS_DIR`` at its own output folder) — never the book's
    ``results/``.

Per table a folder holds ``tableNN.csv`` (tidy), ``tableNN.stats.csv`` (``model, stat,
value``) and ``tableNN.json`` (the parameter set and the fingerprint).  Readers check what
they read: :func:`book_results` refuses a file of another parameter set or of older code,
and a missing table is an error that names the table and the chapter that writes it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from coupproof import config


class ResultsError(RuntimeError):
    """Results that cannot be used (missing, of another parameter set, of older code)."""


class MissingResultsError(ResultsError, FileNotFoundError):
    """No results for a table in the store that was read."""


class ForeignResultsError(ResultsError):
    """Results of another parameter set than the one asked for."""


class StaleResultsError(ResultsError):
    """Results computed by other estimation code than the current one."""


@dataclass
class TableResults:
    """One table's results and where they come from.

    ``tidy``: one row per model and term (``model, term, coef, se, ...``); ``stats``: one
    row per model statistic (``model, stat, value``); ``key``: the parameter key (see
    :func:`coupproof.tables.parameter_key`); ``choices``: every choice by flat name;
    ``differences``: the choices that differ from the book's defaults; ``options``: the
    estimator options (Table 15's sample rules); ``code``: the estimation code's
    fingerprint; ``chapter``: the notebook that presents the table.
    """

    table: int | str
    tidy: pd.DataFrame
    stats: pd.DataFrame
    key: str
    choices: dict[str, Any] = field(default_factory=dict)
    differences: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    code: str = ""
    chapter: str = ""

    @property
    def label(self) -> str:
        return table_label(self.table)

    def glance(self) -> dict[str, dict[str, float]]:
        """``{model: {stat: value}}``."""
        out: dict[str, dict[str, float]] = {}
        for m, s, v in self.stats[["model", "stat", "value"]].itertuples(index=False):
            out.setdefault(str(m), {})[str(s)] = float(v)
        return out

    def metadata(self) -> dict[str, Any]:
        return {"table": self.table, "key": self.key, "differences": self.differences,
                "options": self.options, "code": self.code, "chapter": self.chapter,
                "choices": self.choices}


def table_label(table: int | str) -> str:
    """``5`` -> "Table 5"; other ids as they are."""
    return f"Table {int(table)}" if str(table).isdigit() else str(table)


def file_stem(table: int | str) -> str:
    """``5`` -> ``table05``; other ids (``"lpm"``) as they are."""
    return f"table{int(table):02d}" if str(table).isdigit() else str(table)


def _write_atomic(path: Path, write: Callable[[Any], None], newline: str | None = "") -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline=newline, encoding="utf-8") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ResultsStore:
    """The results of one parameter set: a folder with three files per table."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:  # pragma: no cover - convenience
        return f"ResultsStore({str(self.root)!r})"

    def paths(self, table: int | str) -> dict[str, Path]:
        stem = file_stem(table)
        return {"tidy": self.root / f"{stem}.csv", "stats": self.root / f"{stem}.stats.csv",
                "meta": self.root / f"{stem}.json"}

    def write(self, results: TableResults) -> Path:
        """Record ``results`` (metadata last, so a reader never sees a half-written record);
        return the path of the tidy file."""
        p = self.paths(results.table)
        _write_atomic(p["tidy"], lambda fh: results.tidy.to_csv(fh, index=False))
        _write_atomic(p["stats"], lambda fh: results.stats.to_csv(fh, index=False))
        _write_atomic(p["meta"], lambda fh: fh.write(
            json.dumps(results.metadata(), indent=1, sort_keys=True, default=str) + "\n"), newline=None)
        return p["tidy"]

    def has(self, table: int | str) -> bool:
        return all(path.exists() for path in self.paths(table).values())

    def tables(self) -> list[int | str]:
        """The table ids with a complete record here."""
        ids = []
        for meta in sorted(self.root.glob("*.json")):
            stem = meta.stem
            tid: int | str = int(stem[5:]) if stem.startswith("table") and stem[5:].isdigit() else stem
            if self.has(tid):
                ids.append(tid)
        return ids

    def read(self, table: int | str) -> TableResults:
        """The record of ``table``; :class:`MissingResultsError` names it if it is not here."""
        p = self.paths(table)
        missing = [path.name for path in p.values() if not path.exists()]
        if missing:
            raise MissingResultsError(
                f"{table_label(table)}: no results in {self.root} (missing {', '.join(missing)})")
        meta = json.loads(p["meta"].read_text(encoding="utf-8"))
        tidy = pd.read_csv(p["tidy"], dtype={"model": str})
        stats = pd.read_csv(p["stats"], dtype={"model": str})
        return TableResults(table=meta.get("table", table), tidy=tidy, stats=stats, key=meta["key"],
                            choices=meta.get("choices", {}), differences=meta.get("differences", {}),
                            options=meta.get("options", {}), code=meta.get("code", ""),
                            chapter=meta.get("chapter", ""))


def book_results_dir() -> Path:
    """The folder of the book's own results (``results/`` or ``COUPPROOF_RESULTS_DIR``)."""
    return config.results_dir()


def _is_project_results(path: Path) -> bool:
    try:
        return path.resolve() == (config.project_dir() / "results").resolve()
    except RuntimeError:  # no project folder: nothing to protect
        return False


def reruns_dir() -> Path:
    """Where results of other parameter sets go: ``$COUPPROOF_RESULTS_DIR`` when it points
    somewhere other than the book's ``results/`` (the rerun command sets it to its own
    output folder), else ``<COUPPROOF_CACHE_DIR>/reruns``."""
    results = config.results_dir()
    if os.environ.get("COUPPROOF_RESULTS_DIR") and not _is_project_results(results):
        return results
    return config.cache_dir() / "reruns"


def store_for(key: str, book_key: str) -> ResultsStore:
    """The store of the parameter set ``key``: the book's results folder when it is the book's
    own parameter set ``book_key``, else a folder named by the key under :func:`reruns_dir`."""
    if key == book_key:
        return ResultsStore(book_results_dir())
    return ResultsStore(reruns_dir() / key)


def record_results(results: TableResults, book_key: str | None = None) -> Path:
    """Record ``results`` in the store of their parameter set; return the tidy file's path.

    ``book_key`` is the book's parameter key for this table (default: from the table
    registry, :func:`coupproof.tables.book_key`)."""
    if book_key is None:
        from coupproof.tables import book_key as registry_key

        book_key = registry_key(int(results.table))
    return store_for(results.key, book_key).write(results)


def check_results(results: TableResults, *, expected_key: str, code: str | None = None,
                  where: Path | str = "") -> TableResults:
    """``results`` if they belong to the parameter set ``expected_key`` (and, given ``code``,
    to the current estimation code); else a :class:`ForeignResultsError` or
    :class:`StaleResultsError` that says which table, what differs and what to run."""
    label = table_label(results.table)
    rerun = f"rerun chapter {results.chapter}" if results.chapter else "rerun its chapter"
    if results.key != expected_key:
        diff = ", ".join(f"{k} = {v!r}" for k, v in results.differences.items()) or "other options"
        opts = f"; options {results.options}" if results.options else ""
        raise ForeignResultsError(
            f"{label}: the results in {where or 'the store'} belong to another parameter set "
            f"(key {results.key}: {diff}{opts}), not the book's (key {expected_key}); {rerun} "
            "with the book's parameters, or read the rerun's own folder")
    if code is not None and results.code != code:
        raise StaleResultsError(
            f"{label}: the results in {where or 'the store'} were computed by other estimation code "
            f"(fingerprint {results.code or 'none'}, now {code}); {rerun}")
    return results


def book_results(tables: Iterable[int] | None = None, *, store: ResultsStore | None = None,
                 check_code: bool = True) -> dict[int, TableResults]:
    """Every table's results of the book's own parameter set, checked.

    Reads ``store`` (default: the book's results folder) and raises, naming the table, when
    a table's results are missing, belong to another parameter set, or (``check_code``)
    were computed by other estimation code.  ``tables``: the table numbers (default: every
    table in the registry)."""
    from coupproof import tables as registry

    store = store or ResultsStore(book_results_dir())
    wanted = list(tables) if tables is not None else list(registry.TABLES)
    code = registry.fit_code() if check_code else None
    out = {}
    for number in wanted:
        t = registry.table(number)
        try:
            res = store.read(t.number)
        except MissingResultsError as err:
            raise MissingResultsError(f"{err}; run chapter {t.chapter} to write them") from None
        out[t.number] = check_results(res, expected_key=registry.book_key(t.number), code=code,
                                      where=store.root)
    return out


def results_frames(results: Mapping[int | str, TableResults | pd.DataFrame]) -> dict[int | str, pd.DataFrame]:
    """``{table: tidy}`` from records or tidy frames."""
    return {k: (v.tidy if isinstance(v, TableResults) else v) for k, v in results.items()}


__all__ = [
    "ForeignResultsError", "MissingResultsError", "ResultsError", "ResultsStore", "StaleResultsError",
    "TableResults", "book_results", "book_results_dir", "check_results", "file_stem", "record_results",
    "reruns_dir", "results_frames", "store_for", "table_label",
]
