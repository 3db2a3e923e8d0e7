"""One helper runs a table chapter: fit, record, compare, show, glue.

A chapter about one of the paper's tables does the same five things: fit the table's
models under its construction, record the results in the results store, set them beside
the published ones, show both with great_tables and glue the numbers its prose quotes.
:func:`table_chapter` does all five from the table registry, so the chapter keeps only its
own story::

    spec = notebook_choices(choices, globals(), table=TABLES[9].choices)
    chapter = table_chapter(9, spec)
    chapter.regression_table()          # our Table 9 (great_tables)
    chapter.comparison_table()          # the paper's estimates beside ours
    chapter.glue()                      # t9_... numbers and verdicts for the prose

The glued keys (prefix ``tNN_``, e.g. ``t9_``) are listed by :meth:`TableChapter.numbers`:
``coefs``, ``sign``, ``stars``, ``close`` (counts over the table's published coefficients),
``sample_gap`` (a sentence on N against the paper's), per model ``N_m2``, ``N_paper_m2``,
``N_gap_m2``, ``N_gap_pct_m2``, ``events_m2``, and per hypothesis test ``int_m2``,
``int_m2_se``, ``int_m2_p``, ``int_m2_paper``, ``int_m2_paper_se``, ``int_m2_verdict``,
``int_m2_support``, ``int_m2_label``, ``int_m2_hypothesis``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from great_tables import GT

from coupproof.params import Choices
from coupproof.report import prose
from coupproof.report.compare import compare, compare_stats
from coupproof.report.tables import (
    comparison_table,
    frame_table,
    regression_table,
    stats_comparison_table,
    term_label,
)
from coupproof.results import TableResults, record_results
from coupproof.tables import TableFit, TableSpec, book_key, fit_group, table


@dataclass
class TableChapter:
    """A table's fits, their record and their comparison with the paper (see the module)."""

    fit: TableFit
    record: TableResults
    path: Path | None = None
    comparison: pd.DataFrame = field(init=False)
    stats_comparison: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        self.comparison = compare(self.fit.tidy, self.table.number)
        self.stats_comparison = compare_stats(self.fit.stats, self.table.number)

    # --- what it is -------------------------------------------------------------------
    @property
    def table(self) -> TableSpec:
        return self.fit.table

    @property
    def fits(self) -> dict[str, Any]:
        """One result per printed column (statsmodels-backed :class:`ModelResult` objects)."""
        return self.fit.fits

    @property
    def models(self) -> dict[str, Any]:
        """The whole model behind each column (hurdle or Heckman results, else the fits)."""
        return self.fit.models

    @property
    def frame(self) -> pd.DataFrame | None:
        return self.fit.frame

    @property
    def spec(self) -> Choices:
        return self.fit.spec

    @property
    def is_book_run(self) -> bool:
        """True when this run has the book's own parameter set (its results go to ``results/``)."""
        return self.record.key == book_key(self.table.number)

    @property
    def prefix(self) -> str:
        return f"t{self.table.number}_"

    # --- tables ----------------------------------------------------------------------
    def column_titles(self) -> dict[str, str]:
        return {m: f"Model {m}" for m in self.fits}

    def regression_table(self, *, title: str | None = None, **kwargs: Any) -> GT:
        """Our estimates as the paper prints the table (great_tables)."""
        t = self.table
        stats = {s: {self.column_titles()[m]: v for m, v in self.stat(s).items()} for s in t.stats}
        results = {self.column_titles()[m]: r for m, r in self.fits.items()}
        kwargs.setdefault("stats", t.stats)
        kwargs.setdefault("extra_stats", stats)
        notes = [t.se_note, *t.notes, *kwargs.pop("notes", [])]
        return regression_table(results, table=t.number, title=title or f"Table {t.number}. {t.title} (ours)",
                                dv_label=t.dv_label, notes=notes, **kwargs)

    def comparison_table(self, *, title: str | None = None) -> GT:
        """The paper's estimates beside ours, with sign and significance flags."""
        return comparison_table(self.comparison, table=self.table.number,
                                title=title or f"Table {self.table.number}: the paper's estimates and ours")

    def stats_table(self, *, title: str | None = None) -> GT:
        """The paper's model statistics (N, log-likelihood, ...) beside ours."""
        return stats_comparison_table(self.stats_comparison, table=self.table.number,
                                      title=title or f"Table {self.table.number}: model statistics, paper and ours")

    def tests_frame(self) -> pd.DataFrame:
        """One row per hypothesis test of the table: ours and the paper's interaction."""
        rows = []
        cmp = self.comparison.assign(model=self.comparison["model"].astype(str))
        for test in self.table.tests:
            row = cmp[(cmp["model"] == test.model) & (cmp["term"] == test.term)].iloc[0]
            rows.append({"model": f"Model {test.model}", "hypothesis": test.hypothesis,
                         "term": term_label(test.term, self.table.number),
                         "coef (paper)": row["coef_paper"], "se (paper)": row["se_paper"],
                         "coef (ours)": row["coef_ours"], "se (ours)": row["se_ours"],
                         "p (ours)": float(self.fits[test.model].pvalues[test.term]),
                         "against the paper": self._verdict(row),
                         "for the hypothesis": self._support(test)})
        return pd.DataFrame(rows)

    def tests_table(self, *, title: str | None = None) -> GT:
        """The hypothesis tests of the table, the paper's estimate beside ours (great_tables)."""
        return frame_table(self.tests_frame(), title=title or f"Table {self.table.number}: the hypothesis tests",
                           notes=[f"Significance at the table's thresholds ({prose.join([prose.percent_label(c) for c in sorted(self.table.stars, reverse=True)])})."])

    # --- numbers for the prose ------------------------------------------------------
    def stat(self, stat: str) -> dict[str, float]:
        s = self.fit.stats
        return {str(m): float(v) for m, v in s.loc[s["stat"] == stat, ["model", "value"]].itertuples(index=False)}

    def _verdict(self, row: pd.Series) -> str:
        return prose.verdict(row["coef_ours"], row["se_ours"], row["coef_paper"], row["se_paper"],
                             self.table.stars, stars_paper=int(row["stars_paper"]))

    def _support(self, test) -> str:
        r = self.fits[test.model]
        return prose.support(float(r.params[test.term]), float(r.bse[test.term]), test.expected_sign,
                             test.hypothesis)

    def sample_gap(self) -> str:
        """N against the paper's, grouping models with the same pair of sizes: "Models 2 and 4:
        423,269 dyad-years against the paper's 420,551 (+2,718, +0.6 %)"."""
        sc = self.stats_comparison
        n = sc[sc["stat"] == "N"]
        unit = "state-years" if self.table.estimator == "monadic" else "dyad-years"
        groups: dict[tuple[float, float], list[str]] = {}
        for m, paper, ours in n[["model", "paper", "ours"]].itertuples(index=False):
            groups.setdefault((float(ours), float(paper)), []).append(str(m))
        parts = []
        for (ours, paper), models in groups.items():
            label = ("Model " if len(models) == 1 else "Models ") + prose.join(models)
            gap = ours - paper
            tail = "the same count" if gap == 0 else \
                f"{prose.signed_count(gap)}, {prose.percent(gap / paper, 2, signed=True)}"
            parts.append(f"{label}: {prose.count(ours)} {unit} against the paper's {prose.count(paper)} ({tail})")
        if len(groups) == 1:
            return parts[0].split(": ", 1)[1]
        return "; ".join(parts)

    def numbers(self) -> dict[str, str]:
        """The strings the chapter's prose glues, by key without the ``tNN_`` prefix."""
        t, cmp = self.table, self.comparison
        out = {
            "coefs": prose.count(len(cmp)),
            "sign": prose.count((cmp["flag"] == "sign").sum()),
            "stars": prose.count((cmp["flag"] == "significance").sum()),
            "agree": prose.count(((cmp["flag"] == "")).sum()),
            "close": prose.count(self._close().sum()),
            "sample_gap": self.sample_gap(),
            "stars_note": prose.join([prose.percent_label(c) for c in sorted(t.stars, reverse=True)]),
        }
        ns = self.stats_comparison[self.stats_comparison["stat"] == "N"].set_index("model")
        events = self.stat("events")
        for m in self.fits:
            key = int(m)
            if key in ns.index:
                ours, paper = float(ns.loc[key, "ours"]), float(ns.loc[key, "paper"])
                out[f"N_m{m}"] = prose.count(ours)
                out[f"N_paper_m{m}"] = prose.count(paper)
                out[f"N_gap_m{m}"] = prose.signed_count(ours - paper)
                out[f"N_gap_pct_m{m}"] = prose.percent((ours - paper) / paper, 2, signed=True)
            if m in events:
                out[f"events_m{m}"] = prose.count(events[m])
        cmp_s = cmp.assign(model=cmp["model"].astype(str))
        for test in t.tests:
            row = cmp_s[(cmp_s["model"] == test.model) & (cmp_s["term"] == test.term)].iloc[0]
            r = self.fits[test.model]
            k = f"int_m{test.model}"
            out.update({
                k: prose.number(r.params[test.term]), f"{k}_se": prose.number(r.bse[test.term]),
                f"{k}_p": prose.p_phrase(r.pvalues[test.term]),
                f"{k}_paper": prose.number(row["coef_paper"]), f"{k}_paper_se": prose.number(row["se_paper"]),
                f"{k}_verdict": self._verdict(row), f"{k}_support": self._support(test),
                f"{k}_label": term_label(test.term, t.number), f"{k}_hypothesis": test.hypothesis,
            })
        return out

    def _close(self, band: float = 0.15) -> pd.Series:
        cmp = self.comparison
        return (cmp["coef_ours"] - cmp["coef_paper"]).abs() <= (band * cmp["coef_paper"].abs()).clip(lower=0.1)

    def glue(self, prefix: str | None = None, extra: Mapping[str, Any] | None = None) -> dict[str, str]:
        """Glue every entry of :meth:`numbers` (and ``extra``) as ``<prefix><key>``."""
        from myst_nb import glue as myst_glue

        prefix = self.prefix if prefix is None else prefix
        values = {**self.numbers(), **dict(extra or {})}
        for k, v in values.items():
            myst_glue(f"{prefix}{k}", v, display=False)
        return values

    def golden(self) -> str:
        """Key numbers as the golden cell prints them (N, log-likelihood, each test's estimate)."""
        lines = []
        ll = self.stat("LL")
        for m, r in self.fits.items():
            test = self.table.test_for(m)
            parts = [f"Table {self.table.number}, Model {m}: N = {r.nobs}"]
            if m in ll:
                parts.append(f"logL = {ll[m]:.1f}")
            if test is not None:
                parts.append(f"{test.term} = {r.params[test.term]:.2f} ({r.bse[test.term]:.2f})")
            lines.append(", ".join(parts))
        return "\n".join(lines)


def _chapter(fit: TableFit, record: bool) -> TableChapter:
    results = fit.results()
    path = record_results(results, book_key(fit.table.number)) if record else None
    return TableChapter(fit, results, path)


def table_chapters(number: int, spec: Choices, *, options: Mapping[str, Any] | None = None,
                   record: bool = True) -> dict[int, TableChapter]:
    """:func:`table_chapter` for every table that shares ``number``'s fit (Tables 2 and 12,
    Tables 10 and 11), fitted once."""
    return {n: _chapter(f, record) for n, f in fit_group(number, spec, options=options).items()}


def table_chapter(number: int, spec: Choices, *, options: Mapping[str, Any] | None = None,
                  record: bool = True) -> TableChapter:
    """Fit Table ``number`` under the chapter's resolved construction ``spec`` (and estimator
    ``options``), record its results in the store of that parameter set (the book's
    ``results/`` only for the book's own), and compare them with the paper."""
    return table_chapters(number, spec, options=options, record=record)[table(number).number]


__all__ = ["TableChapter", "table_chapter", "table_chapters"]
