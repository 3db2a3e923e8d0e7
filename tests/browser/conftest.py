"""Fixtures for the browser tests: the site checker, a local server and headless Chromium.

The checking code lives in ``scripts/serve_and_check.py`` (also a command-line tool); it is
loaded here as the module ``serve_and_check``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def _load_checker():
    name = "serve_and_check"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PROJECT / "scripts" / "serve_and_check.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def sitecheck():
    """The checker module (``scripts/serve_and_check.py``)."""
    return _load_checker()


@pytest.fixture(scope="session")
def driver(sitecheck):
    """One headless Chromium for the whole session (fresh profile, removed afterwards)."""
    why = sitecheck.chromium_missing()
    if why:
        pytest.skip(f"browser tests need Chromium: {why}")
    with sitecheck.chromium() as drv:
        yield drv
