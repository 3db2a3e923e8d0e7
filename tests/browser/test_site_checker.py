"""The site checker can fail: on a tiny site with a missing image, a broken link, a missing
anchor and an error output, it reports each of them, and nothing on the healthy page."""

from __future__ import annotations

import base64

import pytest

pytestmark = pytest.mark.browser

# a valid 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

GOOD = """<!DOCTYPE html><html><body><h1 id="top">Good</h1>
<img src="_images/ok.png" alt="ok"><a href="index.html#intro">back</a>
<a href="https://example.org/">external, not checked</a><a href="#top">self</a></body></html>"""

BROKEN = """<!DOCTYPE html><html><body><h1 id="intro">Index</h1>
<img src="_images/missing.png" alt="missing">
<a href="nope.html">broken link</a><a href="good.html#nowhere">missing anchor</a>
<a href="good.html">fine</a></body></html>"""

ERROR = """<!DOCTYPE html><html><body><h1>Error</h1>
<div class="cell_output docutils container"><div class="output traceback highlight-ipythontb">
<pre>ValueError: boom</pre></div>
<div class="output stderr highlight-myst-ansi"><pre>Traceback (most recent call last):
  File "x.py", line 1
KeyError: 'cb'</pre></div></div></body></html>"""


@pytest.fixture()
def tiny_site(tmp_path):
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "ok.png").write_bytes(PNG)
    (tmp_path / "index.html").write_text(BROKEN)
    (tmp_path / "good.html").write_text(GOOD)
    (tmp_path / "error.html").write_text(ERROR)
    return tmp_path


def test_link_check_reports_broken_links_and_missing_image(sitecheck, tiny_site):
    problems = sitecheck.check_links(tiny_site)
    joined = "\n".join(problems)
    assert "'nope.html' is broken" in joined
    assert "'_images/missing.png' is broken" in joined
    assert "missing anchor #nowhere" in joined
    assert not [p for p in problems if p.startswith("good.html")], problems
    assert len(problems) == 3, problems


def test_browser_check_reports_missing_image_and_errors(sitecheck, driver, tiny_site):
    pages = sitecheck.html_pages(tiny_site)
    assert pages == ["error.html", "good.html", "index.html"]
    with sitecheck.serve(tiny_site) as base:
        reports = {r.page: r for r in sitecheck.inspect_pages(driver, base, pages)}
    assert reports["index.html"].broken_images == [
        "index.html: image '_images/missing.png' did not load"]
    assert reports["good.html"].images == 1
    assert reports["good.html"].broken_images == [] and reports["good.html"].errors == []
    errors = "\n".join(reports["error.html"].errors)
    assert "Traceback (most recent call last)" in errors
    assert ".output.traceback" in errors
    assert "stderr output with an error" in errors
