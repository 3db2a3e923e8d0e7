"""Links of the built book, checked offline without a browser.

* Local links, images and ``#anchors`` on every page resolve: pytest-check-links over
  ``_build/html`` with external URLs ignored (the check runs without network).
* Every launch (Colab, Binder), download and repository-file link points at a file tracked in
  git, in the repository named by ``_config.yml``; every chapter page offers Colab and a
  download of its notebook.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2]

#: pytest-check-links, offline: local targets and anchors only.
LINKCHECK_ARGS = ("-p", "no:cacheprovider", "--check-links", "--check-anchors",
                  "--links-ext", "html", "--check-links-ignore", r"https?://.*",
                  "-q", "--no-header", "-rf")


def run_link_check(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", *LINKCHECK_ARGS, str(site)],
                          capture_output=True, text=True, timeout=600)


def _failures(result: subprocess.CompletedProcess) -> str:
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))]
    return "\n  ".join(lines) or result.stdout[-3000:] + result.stderr[-2000:]


def test_local_links_images_and_anchors_resolve(site):
    result = run_link_check(site)
    assert result.returncode == 0, f"broken links or anchors:\n  {_failures(result)}"
    assert re.search(r"\d+ passed", result.stdout), result.stdout[-500:]


def test_the_link_check_reports_broken_links_missing_anchors_and_images(tmp_path):
    (tmp_path / "good.html").write_text(
        '<html><body><h1 id="top">Good</h1><a href="#top">self</a>'
        '<a href="https://example.org/">external: not checked offline</a></body></html>')
    (tmp_path / "index.html").write_text(
        '<html><body><img src="_images/missing.png"><a href="nope.html">broken</a>'
        '<a href="good.html#nowhere">missing anchor</a><a href="good.html#top">fine</a>'
        '</body></html>')
    result = run_link_check(tmp_path)
    assert result.returncode == 1, result.stdout
    failures = _failures(result)
    for target in ("nope.html", "good.html#nowhere", "_images/missing.png"):
        assert target in failures, failures
    assert "good.html::" not in failures and "good.html#top" not in failures, failures
    assert "3 failed" in result.stdout, result.stdout[-500:]


# --------------------------------------------------------------------------------------------
# launch and download links
# --------------------------------------------------------------------------------------------
REMOTE_FILE_LINKS = (
    ("Colab", re.compile(r"https://colab\.research\.google\.com/github/(?P<repo>[^/]+/[^/]+)"
                         r"/blob/(?P<branch>[^/]+)/(?P<path>[^?#]+)")),
    ("Binder", re.compile(r"https://mybinder\.org/v2/gh/(?P<repo>[^/]+/[^/]+)/(?P<branch>[^?]+)"
                          r"\?urlpath=(?:lab/)?tree/(?P<path>[^&#]+)")),
    ("GitHub", re.compile(r"https://github\.com/(?P<repo>[^/]+/[^/]+)/(?:blob|edit)"
                          r"/(?P<branch>[^/]+)/(?P<path>[^?#]+)")),
)


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href.strip())


def file_links(page: Path, site: Path) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, repository path, repository, branch) of each launch/download link on ``page``."""
    parser = _Hrefs()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    out = []
    for href in parser.hrefs:
        for kind, pattern in REMOTE_FILE_LINKS:
            m = pattern.match(href)
            if m:
                out.append((kind, unquote(m["path"]), m["repo"], m["branch"]))
        if not urlsplit(href).scheme and "_sources/" in href:
            target = (page.parent / unquote(urlsplit(href).path)).resolve()
            rel = PurePosixPath(target.relative_to(site.resolve()).as_posix())
            out.append(("download", str(PurePosixPath(*rel.parts[1:])), None, None))
    return out


@pytest.fixture(scope="module")
def tracked() -> set[str]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError) as err:
        pytest.skip(f"not a git checkout, cannot list tracked files: {err}")
    return set(out.splitlines())


@pytest.fixture(scope="module")
def repository() -> tuple[str, str]:
    config = yaml.safe_load((PROJECT / "_config.yml").read_text())["repository"]
    return urlsplit(config["url"]).path.strip("/"), config.get("branch", "main")


def test_launch_and_download_links_point_at_tracked_files(site, tracked, repository):
    problems, seen = [], 0
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0].startswith("_"):
            continue
        for kind, path, repo, branch in file_links(page, site):
            seen += 1
            where = f"{page.relative_to(site)}: {kind} link to {path}"
            if path not in tracked:
                problems.append(f"{where} is not a file tracked in git")
            if repo is not None and (repo, branch) != repository:
                problems.append(f"{where} names {repo}@{branch}, not {'@'.join(repository)} "
                                "(_config.yml's repository)")
    assert seen > 0, "no launch or download link found at all"
    assert not problems, f"{len(problems)} link(s):\n  " + "\n  ".join(problems)


def test_every_chapter_offers_colab_and_a_download_of_its_notebook(site):
    chapters = sorted((site / "notebooks").glob("*.html"))
    assert chapters, f"no chapter pages in {site / 'notebooks'}"
    for page in chapters:
        notebook = f"notebooks/{page.stem}.ipynb"
        kinds = {kind for kind, path, *_ in file_links(page, site) if path == notebook}
        assert {"Colab", "download"} <= kinds, f"{page.name}: only {sorted(kinds)} for {notebook}"
