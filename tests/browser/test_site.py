"""Drive headless Chromium over every page of the built book (``_build/html``).

Checks: no broken internal link or anchor, every image loads, no page shows a traceback or
an error output; and a screenshot of the Table 1 page goes to ``artifacts/table1.png``.
Build the book first (``make html``); ``make browser`` runs this module.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
#: The built site; COUPPROOF_SITE_DIR points the checks at another build.
SITE = Path(os.environ.get("COUPPROOF_SITE_DIR", PROJECT / "_build" / "html"))
ARTIFACTS = PROJECT / "artifacts"

pytestmark = pytest.mark.browser

if not (SITE / "index.html").exists():
    pytest.skip(f"no built book at {SITE / 'index.html'}: run `make html` (or `make book`) "
                "before the browser tests", allow_module_level=True)

TABLE1_PAGE = "book/executed/04_alliance_formation.html"


@pytest.fixture(scope="module")
def pages(sitecheck):
    found = sitecheck.html_pages(SITE)
    assert "index.html" in found
    return found


@pytest.fixture(scope="module")
def base_url(sitecheck):
    with sitecheck.serve(SITE) as url:
        yield url


@pytest.fixture(scope="module")
def reports(sitecheck, driver, base_url, pages):
    """Each page loaded once in the browser."""
    return sitecheck.inspect_pages(driver, base_url, pages)


def _fail_on(problems: list[str], what: str) -> None:
    if problems:
        pytest.fail(f"{len(problems)} {what}:\n  " + "\n  ".join(problems), pytrace=False)


def test_the_book_has_its_pages(pages):
    # the root page plus the chapters in _toc.yml that have been built
    assert len(pages) >= 2, pages


def test_no_broken_internal_links(sitecheck, pages):
    _fail_on(sitecheck.check_links(SITE, pages, anchors=True), "broken internal link(s)")


def test_every_image_loads(reports):
    _fail_on([p for r in reports for p in r.broken_images], "image(s) that did not load")


def test_no_tracebacks_or_error_outputs(reports):
    _fail_on([p for r in reports for p in r.errors], "page(s) with an error")


def test_every_page_was_inspected(reports, pages):
    assert [r.page for r in reports] == pages


def test_table1_screenshot(sitecheck, driver, base_url):
    if not (SITE / TABLE1_PAGE).exists():
        pytest.skip(f"{TABLE1_PAGE} is not built yet; no Table 1 screenshot")
    out = sitecheck.screenshot(driver, base_url, TABLE1_PAGE, ARTIFACTS / "table1.png")
    assert out.exists() and out.stat().st_size > 1000
