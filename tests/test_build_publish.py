"""The publishing workflow builds the book with the README's command on every push and pull
request, deploys to GitHub Pages only from main, and caches the data, the environment and the
derived files whose entries are verified on load; the citation file names the work and the
article it replicates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
MAIN_ONLY = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


@pytest.fixture(scope="module")
def workflow() -> dict:
    wf = yaml.safe_load(WORKFLOW.read_text())
    wf["on"] = wf.pop(True, wf.get("on"))   # YAML 1.1 reads the key `on` as true
    return wf


def readme_book_command() -> str:
    """The command the README's quick start gives for building the book."""
    quick_start = ROOT.joinpath("README.md").read_text().split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", quick_start, re.S).group(1)
    commands = [ln.split("#")[0].strip() for ln in block.splitlines()]
    return next(c for c in commands if c.startswith("make") and "book" in c.split())


def steps(wf: dict, job: str) -> list[dict]:
    return wf["jobs"][job]["steps"]


def uses(step: dict, action: str) -> bool:
    return step.get("uses", "").split("@")[0] == action


def test_it_runs_on_every_push_and_pull_request(workflow):
    assert "push" in workflow["on"] and "pull_request" in workflow["on"]
    for event in ("push", "pull_request"):
        assert not (workflow["on"][event] or {}).get("branches"), f"{event} limited to branches"


def test_it_builds_with_the_readme_command(workflow):
    command = readme_book_command()
    assert command == "make book"
    runs = [s.get("run", "").strip() for s in steps(workflow, "build")]
    assert command in runs, runs


def test_it_deploys_to_pages_only_from_main(workflow):
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    package = [s for s in build["steps"] if uses(s, "actions/upload-pages-artifact")]
    assert len(package) == 1 and package[0]["if"] == MAIN_ONLY
    assert package[0]["with"]["path"] == "_build/html"
    assert deploy["if"] == MAIN_ONLY and deploy["needs"] == "build"
    assert [s for s in deploy["steps"] if uses(s, "actions/deploy-pages")]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    # nothing else may write to Pages
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in build


def test_pull_requests_get_the_built_html_as_an_artifact(workflow):
    artifact = [s for s in steps(workflow, "build") if uses(s, "actions/upload-artifact")]
    assert len(artifact) == 1
    assert artifact[0]["if"] == "github.event_name == 'pull_request'"
    assert artifact[0]["with"]["path"] == "_build/html"


def test_it_caches_the_raw_data_on_the_registry_and_the_environment_on_the_lock(workflow):
    caches = {s["with"]["path"]: s["with"]["key"] for s in steps(workflow, "build")
              if uses(s, "actions/cache")}
    assert "hashFiles('data/registry.csv')" in caches["data/raw"]
    assert "requirements.lock" in caches[".venv"] and "hashFiles(" in caches[".venv"]


def test_it_caches_derived_files_under_the_code_that_made_them(workflow):
    derived = [s for s in steps(workflow, "build") if uses(s, "actions/cache")
               and "data/cache" in s["with"]["path"]]
    assert len(derived) == 1
    paths = derived[0]["with"]["path"].split()
    assert paths == ["data/cache", "results/multiverse"]   # never results/ (the book's tables)
    key = derived[0]["with"]["key"]
    assert "src/**/*.py" in key and "data/registry.csv" in key and "requirements.lock" in key
    assert derived[0]["with"]["restore-keys"] == "derived-"


def test_the_steps_come_before_the_build_in_the_right_order(workflow):
    names = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(workflow, "build")]
    build = names.index("make book")
    assert names.index("actions/checkout") < names.index("actions/cache") < build
    assert build < names.index("actions/upload-pages-artifact")


def test_the_citation_file_names_the_work_and_the_article():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "license", "repository-code"):
        assert cff.get(key), f"CITATION.cff lacks {key}"
    article = cff["references"][0]
    assert [a["family-names"] for a in article["authors"]] == ["McWard", "Yoon"]
    assert article["year"] == 2023 and article["journal"] == "Journal of Conflict Resolution"
