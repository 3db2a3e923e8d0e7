"""Find numbers typed into the book's prose instead of glued from code.

Every result-dependent number in a chapter's text must come from code (``{glue:text}`` and
``{glue}`` roles), so that a rerun with other data or choices cannot leave a stale number
behind.  :func:`typed_numbers` lists the numbers a page's markdown types by hand, except
those that are not results:

* years (1800–2099) and year ranges;
* numbers that name things: tables, models, figures, sections, footnotes, chapters, steps,
  exercises and data releases ("Table 1, Model 4", "Tables 2 and 12", "§2.3", "ATOP 5.1");
* integers from −10 to 10 (counts in words' stead, scale points, windows, thresholds);
* the paper's own published values, exactly as ``data/published/`` holds them (a
  coefficient, a standard error, a sample size, a number of its prose, Table 3's counts);
* reading times and distances ("20 minutes", "400 miles");
* anything inside code, math, roles (glue, cite, doc), link targets, HTML and URLs.

Everything else is reported with its line, so the test of the book's pages can name it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from coupproof import config

#: Words after which numbers name something (tables, models, releases, ...).
NAMING_WORDS = {
    "table", "tables", "model", "models", "figure", "figures", "column", "columns", "section",
    "sections", "§", "fn", "fn.", "footnote", "footnotes", "chapter", "chapters", "step", "steps",
    "exercise", "exercises", "appendix", "hypothesis", "hypotheses", "part", "parts", "page",
    "pages", "p.", "pp.", "atop", "nmc", "mid", "gml", "contiguity", "version", "versions",
    "release", "python", "v", "polity", "item", "stage", "equation", "wave", "level", "type",
    "types", "row", "rows",
}
#: Units after which a number is not a result.
UNIT_WORDS = {"minutes", "minute", "miles"}

_NUMBER = re.compile(r"(?<![\w.\-−/^_])([−-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\w.]\w|\w)")
_JOINER = re.compile(r"^(?:\s*(?:,|and|or|to|–|-|−|&)\s*|\s+)$")


@dataclass(frozen=True)
class TypedNumber:
    """A number typed into the prose of ``page`` at ``line``."""

    page: str
    line: int
    number: str
    context: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.number!r} in “{self.context}”"


# ---------------------------------------------------------------------------------------------
# what counts as prose
# ---------------------------------------------------------------------------------------------
_STRIP = [
    (re.compile(r"```.*?```", re.S), ""),                     # fenced code and directives
    (re.compile(r"~~~.*?~~~", re.S), ""),
    (re.compile(r"\$\$.*?\$\$", re.S), ""),                   # display math
    (re.compile(r"\\\[.*?\\\]", re.S), ""),
    (re.compile(r"<!--.*?-->", re.S), ""),                     # comments
]
_INLINE = [
    re.compile(r"\{[\w:.-]+\}`[^`]*`"),                        # roles: {glue:text}`k`, {cite:p}`k`
    re.compile(r"`[^`]*`"),                                    # inline code
    re.compile(r"(?<!\\)\$[^$\n]+\$"),                         # inline math
    re.compile(r"\\\(.*?\\\)"),
    re.compile(r"\]\([^)]*\)"),                                # link targets
    re.compile(r"<[^>]+>"),                                    # HTML
    re.compile(r"https?://\S+"),                               # URLs
]


def prose_lines(markdown: str) -> list[tuple[int, str]]:
    """``(line number, text)`` of the prose of a markdown string: code, math, roles, link
    targets, directive fences and options, HTML and URLs removed (line numbers kept)."""
    text = markdown
    for pattern, repl in _STRIP:
        text = pattern.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    out = []
    for i, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith((":::", "```", "~~~")) or re.match(r"^:[\w-]+:", stripped):
            continue                                            # directive fences and options
        line = re.sub(r"^\s*(?:\d+\.|[-*+])\s", " ", line)     # list markers
        for pattern in _INLINE:
            line = pattern.sub(" ", line)
        out.append((i, line))
    return out


# ---------------------------------------------------------------------------------------------
# what is allowed
# ---------------------------------------------------------------------------------------------
def canonical(text: str) -> str:
    """A number as a comparable string: no sign, no thousands separators, no trailing zeros."""
    t = text.replace(",", "").lstrip("−-+")
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    return t or "0"


def _csv_numbers(path: Path, columns: list[str] | None = None) -> set[str]:
    df = pd.read_csv(path, dtype=str)
    out = set()
    for c in (columns or df.columns):
        for v in df[c].dropna():
            try:
                Decimal(v)
            except Exception:
                continue
            out.add(canonical(v))
    return out


@lru_cache(maxsize=4)
def _published_numbers(folder: str) -> frozenset[str]:
    root = Path(folder)
    values = set()
    values |= _csv_numbers(root / "published_estimates.csv", ["coef", "se"])
    values |= _csv_numbers(root / "published_model_stats.csv", ["value"])
    values |= _csv_numbers(root / "published_summary_statistics.csv")
    text = pd.read_csv(root / "published_text_values.csv", dtype={"value": str})
    for v in text["value"]:
        values.add(canonical(v))
        d = Decimal(v)
        if abs(d) < 1:                                         # shares are also quoted as percentages
            values.add(canonical(str(d * 100)))
    return frozenset(values)


def published_numbers() -> frozenset[str]:
    """Every number of the published record, as :func:`canonical` strings."""
    return _published_numbers(str(config.published_dir()))


def _is_year(text: str) -> bool:
    return re.fullmatch(r"1[89]\d\d|20\d\d", text.lstrip("−-")) is not None and not text.startswith(("−", "-"))


def _is_small_integer(text: str) -> bool:
    return re.fullmatch(r"[−-]?\d+", text) is not None and abs(int(text.replace("−", "-"))) <= 10


def _named(line: str, start: int) -> bool:
    """True when the number at ``start`` follows a naming word, possibly through a list of
    other numbers ("Tables 2 and 12", "Models 1–2", "§2.3")."""
    before = line[:start]
    while True:
        m = re.search(r"([−-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[a-z]?)(\s*(?:,|and|or|to|–|-|&)\s*|\s+)$", before)
        if not m:
            break
        before = before[:m.start()]
    word = re.search(r"(§|[A-Za-z.]+)\s*$", before)
    return bool(word) and word.group(1).lower().rstrip(",") in NAMING_WORDS | {"§"}


def _unit_follows(line: str, end: int) -> bool:
    """True when a unit word follows the number, possibly after a list of other numbers
    ("12, 24, 150 and 400 miles")."""
    m = re.match(r"(?:\s*(?:,|and|or|to|–)\s*[−-]?[\d,]*\d(?:\.\d+)?)*\s*([A-Za-z]+)", line[end:])
    return bool(m) and m.group(1).lower() in UNIT_WORDS


def typed_numbers(markdown: str, page: str = "<markdown>",
                  published: frozenset[str] | None = None) -> list[TypedNumber]:
    """The numbers ``markdown`` types by hand that are not allowed (see the module)."""
    published = published_numbers() if published is None else published
    found = []
    for lineno, line in prose_lines(markdown):
        for m in _NUMBER.finditer(line):
            text = m.group(1)
            if (_is_year(text) or _is_small_integer(text) or canonical(text) in published
                    or _named(line, m.start()) or _unit_follows(line, m.end())):
                continue
            context = line[max(0, m.start() - 40): m.end() + 40].strip()
            found.append(TypedNumber(page, lineno, text, context))
    return found


def page_markdown(path: Path) -> str:
    """The markdown of a page: a ``.md`` file as it is, a notebook's markdown cells joined
    (cells separated by blank lines, so line numbers count within the joined text)."""
    path = Path(path)
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def page_typed_numbers(path: Path, root: Path | None = None) -> list[TypedNumber]:
    """:func:`typed_numbers` of one page of the book."""
    name = str(Path(path).relative_to(root)) if root else Path(path).name
    return typed_numbers(page_markdown(path), name)


__all__ = ["NAMING_WORDS", "TypedNumber", "UNIT_WORDS", "canonical", "page_markdown", "page_typed_numbers",
           "prose_lines", "published_numbers", "typed_numbers"]
