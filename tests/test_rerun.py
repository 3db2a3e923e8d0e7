"""The rerun command checks names and values before it runs, and keeps the book's results."""

import hashlib
from pathlib import Path

import pytest

from coupproof import rerun

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("argv, message", [
    (["04", "-p", "clusterr", "directed"], "did you mean 'cluster'"),
    (["04", "-p", "poliy_max", "5"], "did you mean 'polity_max'"),
    (["04", "-p", "polity_max", "true"], "polity_max must be an integer"),
    (["04", "-p", "nmc_version", "4.0"], "nmc_version must be one of '6.0', '5.0'"),
    (["04", "-p", "figure3_shared_def", "yes"], "figure3_shared_def must be an integer"),
    (["00", "-p", "polity_max", "5"], "00_theory takes: save_figures"),
    (["4x"], "does not exist"),
])
def test_bad_names_and_values_fail_before_anything_runs(tmp_path, capsys, argv, message):
    out = tmp_path / "out"
    assert rerun.main([*argv, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and not out.exists()


def test_unknown_names_list_the_chapters_parameters(capsys):
    assert rerun.main(["04", "-p", "clusterr", "directed", "--check"]) == 2
    err = capsys.readouterr().err
    assert "figure3_shared_def" in err and "max_conttype" in err


def test_files_and_flags_combine_into_the_choices_mapping(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("polity_max: 5\nfigure3_shared_def: 0\n")
    nb, params, choices = rerun.plan("04", rerun.parse_values([["cluster", "directed"]], [f]))
    assert nb.name == "04_alliance_formation.ipynb"
    assert params == {"figure3_shared_def": 0, "choices": {"polity_max": 5, "cluster": "directed"}}
    assert choices.differences() == {"polity_max": 5, "cluster": "directed"}


@pytest.mark.parametrize("path", sorted((ROOT / "params").glob("*.yaml")), ids=lambda p: p.name)
def test_the_ready_parameter_files_pass_the_check(path):
    rerun.plan("04", rerun.parse_values([], [path]))


def _digest(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.data
def test_a_rerun_with_other_choices_leaves_the_books_results_untouched(raw_data, tmp_path, monkeypatch):
    book = tmp_path / "book_results"
    book.mkdir()
    (book / "table07.csv").write_text("model,term,coef\n1,cb,0.1\n")
    monkeypatch.setenv("COUPPROOF_RESULTS_DIR", str(book))
    before = _digest(book)
    out = tmp_path / "rerun"
    assert rerun.main(["10", "-p", "polity_max", "5", "-o", str(out)]) == 0
    assert _digest(book) == before
    assert (out / "10_table07_raw_count.ipynb").exists()
    assert any((out / "results").iterdir())


def test_the_local_kernels_are_not_interrupted_at_shutdown_but_still_can_be():
    """The build's kernel manager skips jupyter_client's interrupt before a shutdown (an idle
    kernel logs it as an error) and still interrupts a busy kernel on request."""
    import asyncio
    import signal

    async def main():
        km = rerun.local_kernels()(kernel_name="python3")
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        sent = []
        send = km.provisioner.send_signal

        async def spy(signum):
            sent.append(signum)
            await send(signum)

        km.provisioner.send_signal = spy
        msg_id = kc.execute("import time; time.sleep(60)")
        await asyncio.sleep(1.0)
        await km.interrupt_kernel()
        while True:
            reply = await kc.get_shell_msg(timeout=20)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        assert sent == [signal.SIGINT]
        kc.stop_channels()
        await km.shutdown_kernel()
        assert sent == [signal.SIGINT], "the shutdown sent a signal before its shutdown request"
        assert not await km.is_alive()

    asyncio.run(main())
