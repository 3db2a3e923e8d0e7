"""No page of the book types a number that the code computes."""

from pathlib import Path

import pytest

from coupproof.report.typed_numbers import page_typed_numbers, prose_lines, published_numbers, typed_numbers

ROOT = Path(__file__).resolve().parents[2]
#: Every page of the book this test covers (the multiverse and calibration chapters excepted).
PAGES = sorted([*ROOT.glob("book/*.md"),
                *(p for p in ROOT.glob("notebooks/*.ipynb") if not p.name.startswith(("18_", "19_")))])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_page_types_no_computed_number(page):
    found = page_typed_numbers(page, ROOT)
    assert not found, "numbers typed instead of glued:\n" + "\n".join(map(str, found))


def test_a_computed_number_typed_into_a_page_is_found(tmp_path):
    page = tmp_path / "chapter.md"
    page.write_text("# A chapter\n\nModel 4 has 89 events and a log-likelihood of −601.6 here.\n")
    found = page_typed_numbers(page, tmp_path)
    assert [f.number for f in found] == ["89", "−601.6"]
    assert found[0].line == 3 and "89 events" in found[0].context


def test_what_may_be_typed():
    allowed = ("Table 1, Model 4; Tables 2 and 12; Models 1–2 and 3; §2.3; fn. 15; footnote 25; "
               "1961–2010 and 1816; ATOP 5.1 and NMC 6.0; H1b; t−1 and x_{t−1}; polity2 ≤ 6; a 2 × 2 "
               "table; the paper's −7.668 (1.897), its 420,551 rows, its 0.27 and its 2.5 %; "
               "Time to read: 30 minutes; 12, 24, 150 and 400 miles of water.")
    assert typed_numbers(allowed) == []


def test_code_math_roles_and_links_are_not_prose():
    text = ("The value {glue:text}`t1_int_m4` and `0.32` and $0.5 x$ and [Table 5](06_table05_rare_events) "
            "and {cite:p}`kingzeng2001pa`\n```python\nx = 123.4\n```\n:::{exercise}\n:label: ex-1\n:::\n")
    assert typed_numbers(text) == []
    assert all("123.4" not in line for _, line in prose_lines(text))


def test_a_rounded_published_value_is_not_the_published_value():
    # the paper prints -7.668; a computed -7.7 typed as if it were the paper's still counts as typed
    assert [f.number for f in typed_numbers("about −7.7 in the paper")] == ["−7.7"]
    assert "7.668" in published_numbers()
