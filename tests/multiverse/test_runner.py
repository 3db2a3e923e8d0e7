"""The multiverse on the real data: estimates equal the chapters' fits and a build from
scratch; runs resume without duplicates or recomputation; a remote scheduler works."""

import os

import numpy as np
import pytest

from coupproof import cache as cache_module
from coupproof.analysis import estimation_frame, fit_table
from coupproof.models.specs import TABLE1
from coupproof.multiverse import space
from coupproof.multiverse.cli import main
from coupproof.multiverse.evaluate import evaluate
from coupproof.multiverse.runner import run
from coupproof.multiverse.store import ResultStore
from coupproof.params import Choices

pytestmark = pytest.mark.data

SPECS = [Choices(), Choices.from_overrides({"s_coding": "atop_release", "cluster": "directed",
                                            "coup_window": (-5, -1)})]


@pytest.mark.parametrize("choices", SPECS, ids=["default", "variant"])
def test_the_lean_path_equals_the_chapters_fit(raw_data, choices):
    record = evaluate(choices)
    fit = fit_table(estimation_frame(choices), {4: TABLE1[4]}, choices.estimation)["4"]
    assert record["M4.N"] == fit.nobs
    assert record["M4.llf"] == pytest.approx(fit.llf, rel=1e-9)
    assert record["M4.interaction"] == pytest.approx(fit.params["cb:threatB"], rel=1e-7)
    assert record["M4.interaction_se"] == pytest.approx(fit.bse["cb:threatB"], rel=1e-6)


@pytest.mark.parametrize("choices", SPECS, ids=["default", "variant"])
def test_pieces_from_the_cache_give_the_estimates_of_a_build_from_scratch(raw_data, tmp_path,
                                                                          monkeypatch, choices):
    warm = evaluate(choices)
    monkeypatch.setenv("COUPPROOF_CACHE_DIR", str(tmp_path / "empty"))
    cache_module.CACHE.clear_memory()
    try:
        fresh = evaluate(choices)
    finally:
        cache_module.CACHE.clear_memory()
    assert any((tmp_path / "empty" / "pieces").iterdir())   # it really built from scratch
    for k, v in warm.items():
        if isinstance(v, float) and k != "seconds":
            assert fresh[k] == pytest.approx(v, rel=1e-12, nan_ok=True), k


def test_an_interrupted_run_resumes_without_duplicates_or_recomputation(raw_data, tmp_path):
    specs = space.sample(4, seed=11)
    store = ResultStore(tmp_path)
    run(specs[:2], store, workers=1, progress=False)            # a run "killed" after two
    stamps = {p: p.stat().st_mtime_ns for p in store.root.glob("*/*.parquet")}
    out = run(specs, store, workers=1, progress=False)
    assert list(out["key"]) == [c.key() for c in specs]          # all four, in order, once each
    assert all(p.stat().st_mtime_ns == t for p, t in stamps.items())   # the two were not redone
    again = run(specs, store, workers=1, progress=False)
    assert len(again) == 4 and again["key"].is_unique


def test_the_scheduler_option_runs_on_an_existing_cluster(raw_data, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        code = main(["--design", "sample", "-n", "2", "--seed", "3", "--vary", "cluster",
                     "--scheduler", cluster.scheduler_address, "--store", str(tmp_path),
                     "--no-progress"])
    assert code == 0
    assert len(ResultStore(tmp_path).done()) == 2


@pytest.mark.parametrize("argv, message", [
    (["--fix", "clusterr=directed"], "did you mean 'cluster'"),
    (["--fix", "cluster=pair"], "one of 'undirected', 'directed'"),
    (["--fix", "polity_max=true"], "must be an integer"),
    (["--vary", "s_codin"], "did you mean 's_coding'"),
    (["--scheduler", "tcp://127.0.0.1:9", "--timeout", "1", "-n", "2"], "within 1 s"),
])
def test_bad_input_fails_before_any_work(tmp_path, capsys, argv, message):
    from coupproof import sources

    sources.clear()
    assert main([*argv, "--store", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err
    assert sources.read_counts() == {} and not any(tmp_path.iterdir())
