"""Fixtures for the checks of the built book (``_build/html``): the site, a local server and
headless Chromium.

Links and anchors are checked by pytest-check-links (``test_links.py``, no browser); the
browser is used only for what a link checker cannot see (``test_pages.py``).

Chromium and its driver are looked up on PATH (``chromium``/``chromium-browser``/
``google-chrome`` and ``chromedriver``), or named by ``COUPPROOF_CHROMIUM`` and
``COUPPROOF_CHROMEDRIVER``.  Without them the browser tests are skipped with a message saying
how to install them; ``COUPPROOF_REQUIRE_BROWSER=1`` (set by CI) makes that a failure instead.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
#: The built site; COUPPROOF_SITE_DIR points the checks at another build.
SITE = Path(os.environ.get("COUPPROOF_SITE_DIR", PROJECT / "_build" / "html"))

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
HOW_TO_INSTALL = (
    "install Chromium and its driver to run them: Debian/Ubuntu `sudo apt-get install chromium "
    "chromium-driver`, Fedora `sudo dnf install chromium chromedriver`, macOS `brew install "
    "--cask chromium chromedriver`; or point COUPPROOF_CHROMIUM and COUPPROOF_CHROMEDRIVER at "
    "existing binaries"
)
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


def find_chromium() -> tuple[str | None, str | None]:
    """Paths of the browser and its driver (None where not found)."""
    browser = os.environ.get("COUPPROOF_CHROMIUM") or next(
        filter(None, (shutil.which(n) for n in CHROMIUM_NAMES)), None)
    driver = os.environ.get("COUPPROOF_CHROMEDRIVER") or shutil.which("chromedriver")
    return (browser if browser and Path(browser).exists() else None,
            driver if driver and Path(driver).exists() else None)


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    browser, driver = find_chromium()
    missing = [name for name, path in (("Chromium", browser), ("chromedriver", driver))
               if path is None]
    if missing:
        return f"{' and '.join(missing)} not found; {HOW_TO_INSTALL}"
    return None


@pytest.fixture(scope="session")
def site() -> Path:
    """The built book; skipped with a message when it has not been built."""
    if not (SITE / "index.html").exists():
        pytest.skip(f"no built book at {SITE / 'index.html'}: run `make html` (or `make book`) "
                    "before the site checks")
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def _serve(root: Path) -> Iterator[str]:
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


@pytest.fixture(scope="session")
def serve():
    """``with serve(folder) as base_url:`` serves a folder on localhost."""
    return _serve


@pytest.fixture(scope="session")
def driver():
    """One headless Chromium for the whole session (fresh profile, removed afterwards)."""
    why = chromium_missing()
    if why:
        if os.environ.get("COUPPROOF_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (COUPPROOF_REQUIRE_BROWSER=1) but {why}",
                        pytrace=False)
        pytest.skip(f"browser tests skipped: {why}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, chromedriver = find_chromium()
    profile = tempfile.mkdtemp(prefix="coupproof-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile}")
    drv = webdriver.Chrome(service=Service(chromedriver), options=options)
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)
