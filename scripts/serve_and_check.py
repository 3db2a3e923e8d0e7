"""Serve a built HTML book on localhost and check every page in headless Chromium.

Checks, page by page:

* **links** (read from the HTML files, no browser): every local ``href``/``src`` points to a
  file that exists inside the site, and every ``#fragment`` on a local HTML page names an
  ``id`` (or ``name``) on that page;
* **images** (in the browser): every ``<img>`` served from the site has loaded
  (``naturalWidth > 0``);
* **errors** (in the browser): no page shows a Python traceback or a rendered error output.

Used by ``tests/browser`` and runnable on its own::

    python scripts/serve_and_check.py                      # checks _build/html
    python scripts/serve_and_check.py path/to/html --screenshot \\
        book/executed/04_alliance_formation.html artifacts/table1.png

Chromium and its driver are Debian's ``chromium`` and ``chromium-driver`` packages
(``make browser-deps`` installs them).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

CHROMIUM = os.environ.get("COUPPROOF_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("COUPPROOF_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
    # keep the check hermetic: only the local server resolves, everything else fails fast
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)

#: Folders of the build that hold assets, not pages.
SKIP_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static", "_panels_static",
             ".doctrees", "jupyter_execute"}
#: Generated pages with nothing of ours on them.
SKIP_PAGES = {"genindex.html", "search.html", "py-modindex.html"}

TRACEBACK = "Traceback (most recent call last)"
#: A line such as "ValueError: ..." or "KeyboardInterrupt" at the start of an output.
_ERROR_LINE = re.compile(r"^\s*[A-Za-z_][\w.]*(Error|Exception)\b", re.MULTILINE)
#: Rendered error outputs of myst-nb (traceback) and nbsphinx/classic (error, stderr).
ERROR_SELECTORS = (".output.traceback", ".output.error", ".output_error", "div.ename")
STDERR_SELECTORS = (".output.stderr", ".output_area.stderr", ".output_stderr")


# --------------------------------------------------------------------------------------------
# pages and links, from the files
# --------------------------------------------------------------------------------------------
def html_pages(root: str | Path) -> list[str]:
    """Every page of the site as a POSIX path relative to ``root``, sorted."""
    root = Path(root)
    pages = []
    for path in root.rglob("*.html"):
        rel = path.relative_to(root)
        if rel.parts[0] in SKIP_DIRS or rel.as_posix() in SKIP_PAGES:
            continue
        pages.append(rel.as_posix())
    return sorted(pages)


class _RefParser(HTMLParser):
    """Collect link targets (href/src) and the ids/names a page defines."""

    REF_ATTRS = {"a": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
                 "source": ("src",), "iframe": ("src",), "area": ("href",)}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in self.REF_ATTRS.get(tag, ()):
            value = attrs.get(key)
            if value is not None:
                self.refs.append((tag, value.strip()))

    handle_startendtag = handle_starttag


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _RefParser:
    parser = _RefParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def _is_external(ref: str) -> bool:
    parts = urlsplit(ref)
    return bool(parts.scheme or parts.netloc) or ref.startswith("//")


def check_links(root: str | Path, pages: Iterable[str] | None = None, *,
                anchors: bool = True) -> list[str]:
    """Broken local links of ``pages`` (default: all pages), one message per problem.

    A local reference resolves relative to its page; ``dir/`` means ``dir/index.html``.  A
    reference that leaves the site folder counts as broken.  With ``anchors``, a fragment on
    a local HTML target must name an ``id`` or ``name`` on that page.
    """
    root = Path(root).resolve()
    _parse.cache_clear()
    problems: list[str] = []
    for page in (html_pages(root) if pages is None else pages):
        page_path = root / page
        parsed = _parse(page_path)
        for tag, ref in parsed.refs:
            if not ref or _is_external(ref) or ref.startswith(("mailto:", "javascript:", "data:",
                                                              "tel:")):
                continue
            parts = urlsplit(ref)
            if parts.path:
                rel = PurePosixPath(PurePosixPath(page).parent, unquote(parts.path))
                target = (root / rel).resolve()
                if parts.path.endswith("/") or target.is_dir():
                    target = target / "index.html"
            else:                       # "#fragment" on the same page
                target = page_path.resolve()
            try:
                target.relative_to(root)
            except ValueError:
                problems.append(f"{page}: <{tag}> {ref!r} points outside the site")
                continue
            if not target.is_file():
                problems.append(f"{page}: <{tag}> {ref!r} is broken "
                                f"(no file {target.relative_to(root).as_posix()})")
                continue
            frag = unquote(parts.fragment)
            if anchors and frag and target.suffix == ".html" and frag not in _parse(target).ids:
                problems.append(f"{page}: <{tag}> {ref!r} names a missing anchor #{frag}")
    return problems


# --------------------------------------------------------------------------------------------
# the local server
# --------------------------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def serve(root: str | Path) -> Iterator[str]:
    """Serve ``root`` on a free localhost port in a background thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(Path(root).resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------------------------
# the browser
# --------------------------------------------------------------------------------------------
def chromium_missing() -> str | None:
    """Why Chromium cannot run here, or None if it can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            return (f"{path} not found: install Debian's chromium and chromium-driver "
                    "(`make browser-deps`)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed in this environment"
    return None


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium WebDriver with a fresh profile, closed and cleaned up on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="coupproof-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver, url: str) -> None:
    from selenium.common.exceptions import TimeoutException

    try:
        driver.get(url)
    except TimeoutException:      # a slow asset; the checks below still see the document
        pass


_IMAGES_JS = """
return Array.from(document.images).map(function (img) {
  return {src: img.currentSrc || img.src, attr: img.getAttribute('src') || '',
          complete: img.complete, width: img.naturalWidth};
});
"""


@dataclass
class PageReport:
    """What the browser found on one page."""

    page: str
    images: int = 0
    broken_images: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def inspect_page(driver, base_url: str, page: str, *, image_timeout: float = 10.0) -> PageReport:
    """Load ``page`` and report images that did not load and any error output shown."""
    from selenium.webdriver.common.by import By

    _open(driver, base_url + page)
    report = PageReport(page)

    # images: wait (briefly) until every local image has finished loading, then judge
    deadline = time.monotonic() + image_timeout
    while True:
        images = [im for im in driver.execute_script(_IMAGES_JS)
                  if im["src"].startswith(base_url) or im["src"].startswith("data:")]
        if all(im["complete"] for im in images) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    report.images = len(images)
    for im in images:
        if not im["complete"] or im["width"] == 0:
            report.broken_images.append(f"{page}: image {im['attr'] or im['src'][:60]!r} did not load")

    # errors: a traceback anywhere in the text, or a rendered error / failing stderr output
    body = driver.find_element(By.TAG_NAME, "body").get_attribute("textContent") or ""
    if TRACEBACK in body:
        report.errors.append(f"{page}: page text contains {TRACEBACK!r}")
    for selector in ERROR_SELECTORS:
        for el in driver.find_elements(By.CSS_SELECTOR, selector):
            text = (el.get_attribute("textContent") or "").strip().splitlines()
            report.errors.append(f"{page}: error output {selector}: {text[0][:120] if text else ''!r}")
    for selector in STDERR_SELECTORS:
        for el in driver.find_elements(By.CSS_SELECTOR, selector):
            text = el.get_attribute("textContent") or ""
            if TRACEBACK in text or _ERROR_LINE.search(text):
                first = next((ln for ln in text.splitlines() if ln.strip()), "")
                report.errors.append(f"{page}: stderr output with an error: {first[:120]!r}")
    return report


def inspect_pages(driver, base_url: str, pages: Iterable[str]) -> list[PageReport]:
    return [inspect_page(driver, base_url, page) for page in pages]


def screenshot(driver, base_url: str, page: str, out: str | Path,
               *, prefer_text: str = "Counterbalancing") -> Path:
    """Screenshot the first table on ``page`` mentioning ``prefer_text`` (else the first
    table, else the window) to ``out``."""
    from selenium.webdriver.common.by import By

    out = Path(out)
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


# --------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", nargs="?", default="_build/html", help="built HTML folder")
    ap.add_argument("--screenshot", nargs=2, metavar=("PAGE", "PNG"),
                    help="also screenshot PAGE (relative to the site) into PNG")
    ap.add_argument("--no-anchors", action="store_true", help="do not check #fragments")
    args = ap.parse_args(argv)

    site = Path(args.site)
    if not (site / "index.html").exists():
        print(f"no {site / 'index.html'}: build the book first (make html)", file=sys.stderr)
        return 2
    pages = html_pages(site)
    problems = check_links(site, pages, anchors=not args.no_anchors)
    print(f"{len(pages)} pages; {len(problems)} link problem(s)")
    why = chromium_missing()
    if why:
        print(f"browser checks skipped: {why}", file=sys.stderr)
        return 1 if problems else 0
    with serve(site) as base, chromium() as driver:
        reports = inspect_pages(driver, base, pages)
        for r in reports:
            problems += r.broken_images + r.errors
        print(f"{sum(r.images for r in reports)} images checked in the browser")
        if args.screenshot:
            page, png = args.screenshot
            if (site / page).exists():
                print(f"screenshot: {screenshot(driver, base, page, png)}")
            else:
                print(f"screenshot skipped: no page {page}")
    for p in problems:
        print("  " + p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
