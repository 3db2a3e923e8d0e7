"""Headless Chromium over every page of the built book: what a link checker cannot see.

Every page renders without a traceback or an error output, every image the browser was asked
to show has loaded, and the Table 1 page is screenshot to ``artifacts/table1.png``.  A tiny
site with a missing image and an error output shows that these checks can fail.
"""

from __future__ import annotations

import base64
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[2]
TABLE1_PAGE = "notebooks/04_alliance_formation.html"
ARTIFACTS = PROJECT / "artifacts"

#: Folders of the build that hold assets, not pages; generated pages with nothing of ours.
SKIP_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static", "_panels_static"}
SKIP_PAGES = {"genindex.html", "search.html", "py-modindex.html"}

TRACEBACK = "Traceback (most recent call last)"
#: A line such as "ValueError: ..." at the start of an output.
_ERROR_LINE = re.compile(r"^\s*[A-Za-z_][\w.]*(Error|Exception)\b", re.MULTILINE)
#: Rendered error outputs of myst-nb (traceback) and nbsphinx/classic (error, stderr).
ERROR_SELECTORS = (".output.traceback", ".output.error", ".output_error", "div.ename")
STDERR_SELECTORS = (".output.stderr", ".output_area.stderr", ".output_stderr")

_IMAGES_JS = """
return Array.from(document.images).map(function (img) {
  return {src: img.currentSrc || img.src, attr: img.getAttribute('src') || '',
          complete: img.complete, width: img.naturalWidth};
});
"""


def html_pages(root: Path) -> list[str]:
    """Every page of the site as a POSIX path relative to ``root``, sorted."""
    pages = []
    for path in root.rglob("*.html"):
        rel = path.relative_to(root)
        if rel.parts[0] not in SKIP_DIRS and rel.as_posix() not in SKIP_PAGES:
            pages.append(rel.as_posix())
    return sorted(pages)


@dataclass
class PageReport:
    """What the browser found on one page."""

    page: str
    images: int = 0
    broken_images: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _open(driver, url: str) -> None:
    from selenium.common.exceptions import TimeoutException

    try:
        driver.get(url)
    except TimeoutException:      # a slow asset; the checks below still see the document
        pass


def _local_images(driver, base_url: str, timeout: float) -> list[dict]:
    """The page's images served by the site, once all have finished loading (or timed out)."""
    deadline = time.monotonic() + timeout
    while True:
        images = [im for im in driver.execute_script(_IMAGES_JS)
                  if im["src"].startswith((base_url, "data:"))]
        if all(im["complete"] for im in images) or time.monotonic() > deadline:
            return images
        time.sleep(0.2)


def _error_outputs(driver, page: str) -> list[str]:
    from selenium.webdriver.common.by import By

    errors = []
    body = driver.find_element(By.TAG_NAME, "body").get_attribute("textContent") or ""
    if TRACEBACK in body:
        errors.append(f"{page}: page text contains {TRACEBACK!r}")
    for selector in ERROR_SELECTORS:
        for el in driver.find_elements(By.CSS_SELECTOR, selector):
            text = (el.get_attribute("textContent") or "").strip().splitlines()
            errors.append(f"{page}: error output {selector}: {text[0][:120] if text else ''!r}")
    for selector in STDERR_SELECTORS:
        for el in driver.find_elements(By.CSS_SELECTOR, selector):
            text = el.get_attribute("textContent") or ""
            if TRACEBACK in text or _ERROR_LINE.search(text):
                first = next((ln for ln in text.splitlines() if ln.strip()), "")
                errors.append(f"{page}: stderr output with an error: {first[:120]!r}")
    return errors


def inspect_page(driver, base_url: str, page: str, *, image_timeout: float = 10.0) -> PageReport:
    """Load ``page``; report images that did not load and any error output shown."""
    _open(driver, base_url + page)
    images = _local_images(driver, base_url, image_timeout)
    report = PageReport(page, images=len(images), errors=_error_outputs(driver, page))
    report.broken_images = [f"{page}: image {im['attr'] or im['src'][:60]!r} did not load"
                            for im in images if not im["complete"] or im["width"] == 0]
    return report


def screenshot(driver, base_url: str, page: str, out: Path, *,
               prefer_text: str = "Counterbalancing") -> Path:
    """Screenshot the first table on ``page`` mentioning ``prefer_text`` (else the first
    table, else the window) to ``out``."""
    from selenium.webdriver.common.by import By

    out.parent.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(1600, 1400)
    _open(driver, base_url + page)
    tables = driver.find_elements(By.CSS_SELECTOR, "table")
    target = next((t for t in tables if prefer_text in (t.get_attribute("textContent") or "")),
                  tables[0] if tables else None)
    if target is not None and target.size.get("width", 0) > 0 and target.size.get("height", 0) > 0:
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", target)
        target.screenshot(str(out))
    else:
        driver.save_screenshot(str(out))
    return out


def _fail_on(problems: list[str], what: str) -> None:
    if problems:
        pytest.fail(f"{len(problems)} {what}:\n  " + "\n  ".join(problems), pytrace=False)


# --------------------------------------------------------------------------------------------
# the built book
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pages(site):
    found = html_pages(site)
    assert "index.html" in found and TABLE1_PAGE in found, found
    return found


@pytest.fixture(scope="module")
def base_url(site, serve):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def reports(driver, base_url, pages):
    """Each page loaded once in the browser."""
    return [inspect_page(driver, base_url, page) for page in pages]


def test_every_page_was_inspected(reports, pages):
    assert [r.page for r in reports] == pages


def test_every_image_loads(reports):
    _fail_on([p for r in reports for p in r.broken_images], "image(s) that did not load")
    assert sum(r.images for r in reports) > 0, "the book shows no image at all"


def test_no_tracebacks_or_error_outputs(reports):
    _fail_on([p for r in reports for p in r.errors], "page(s) with an error")


def test_table1_screenshot(driver, base_url, pages):
    out = screenshot(driver, base_url, TABLE1_PAGE, ARTIFACTS / "table1.png")
    assert out.exists() and out.stat().st_size > 1000


# --------------------------------------------------------------------------------------------
# the checks can fail
# --------------------------------------------------------------------------------------------
PNG = base64.b64decode(  # a valid 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
GOOD = '<!DOCTYPE html><html><body><h1>Good</h1><img src="_images/ok.png" alt="ok"></body></html>'
BROKEN = ('<!DOCTYPE html><html><body><h1>Index</h1>'
          '<img src="_images/missing.png" alt="missing"></body></html>')
ERROR = """<!DOCTYPE html><html><body><h1>Error</h1>
<div class="cell_output docutils container"><div class="output traceback highlight-ipythontb">
<pre>ValueError: boom</pre></div>
<div class="output stderr highlight-myst-ansi"><pre>Traceback (most recent call last):
  File "x.py", line 1
KeyError: 'cb'</pre></div></div></body></html>"""


def test_the_browser_checks_report_a_missing_image_and_error_outputs(driver, serve, tmp_path):
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "ok.png").write_bytes(PNG)
    for name, html in (("index.html", BROKEN), ("good.html", GOOD), ("error.html", ERROR)):
        (tmp_path / name).write_text(html)
    pages = html_pages(tmp_path)
    assert pages == ["error.html", "good.html", "index.html"]
    with serve(tmp_path) as base:
        reports = {p: inspect_page(driver, base, p) for p in pages}
    assert reports["index.html"].broken_images == [
        "index.html: image '_images/missing.png' did not load"]
    assert reports["good.html"].images == 1
    assert reports["good.html"].broken_images == [] and reports["good.html"].errors == []
    errors = "\n".join(reports["error.html"].errors)
    assert TRACEBACK in errors and ".output.traceback" in errors
    assert "stderr output with an error" in errors
