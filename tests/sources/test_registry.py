"""The registry rejects corrupted and missing files with errors that name the problem."""

import pytest

from coupproof.sources import registry as reg


def test_registry_lists_every_manifest_role():
    r = reg.registry()
    assert set(r["role"]) == {"main", "alternative", "cross-check", "documentation"}
    assert r["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert r["url"].str.startswith("https://").all()
    assert set(r["source"]) <= set(reg.sources().index)


def test_corrupted_file_is_rejected_with_both_hashes(tmp_path, raw_data):
    good = reg.fetch("rivalries")
    bad_dir = tmp_path / "mirror"
    target = bad_dir / reg.entry("rivalries")["file"]
    target.parent.mkdir(parents=True)
    # the bytes, not shutil.copy: a mirror's files may be read-only, and so would the copy be
    target.write_bytes(good.read_bytes() + b"\0")
    with pytest.raises(reg.HashMismatchError) as err:
        reg.fetch("rivalries", data_dir=bad_dir)
    msg = str(err.value)
    assert "rivalries" in msg and reg.entry("rivalries")["sha256"] in msg
    assert reg.sha256(target) in msg


def test_missing_file_without_network_says_how_to_set_the_variable(tmp_path, monkeypatch):
    import pooch

    def offline(*args, **kwargs):
        raise ConnectionError("network unreachable")

    monkeypatch.setattr(pooch, "retrieve", offline)
    with pytest.raises(reg.DataUnavailableError) as err:
        reg.fetch("cow_majors", data_dir=tmp_path)
    assert "COUPPROOF_DATA_DIR" in str(err.value)
    assert not any(tmp_path.rglob("*")), "nothing half-written is left behind"


def test_unknown_file_id_lists_the_registered_ones():
    with pytest.raises(KeyError, match="atop_alliances"):
        reg.entry("no_such_file")


# --------------------------------------------------------------------------------------------
# one pass over a whole folder: every problem reported at once, nothing created on failure
# --------------------------------------------------------------------------------------------
FILES = {"good": b"intact contents\n", "bent": b"first original\n", "torn": b"second original\n",
         "gone": b"never arrives\n"}


def _fake_registry(tmp_path, monkeypatch):
    """A four-file registry, its mirror folder with two corrupted files and one missing."""
    import hashlib

    import pandas as pd

    rows = [{"id": name, "file": path, "sha256": hashlib.sha256(FILES[name]).hexdigest(),
             "bytes": len(FILES[name]), "role": "main",
             "url": f"https://example.org/{name}.csv"}
            for name, path in (("good", "a/good.csv"), ("bent", "a/bent.csv"),
                               ("torn", "b/torn.csv"), ("gone", "c/gone.csv"))]
    monkeypatch.setattr(reg, "registry", lambda: pd.DataFrame(rows).set_index("id"))
    mirror = tmp_path / "mirror"
    for name, content in (("good", FILES["good"]), ("bent", b"first 0riginal\n"),
                          ("torn", FILES["torn"][:5])):
        path = mirror / reg.entry(name)["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return mirror


def _tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_one_report_names_every_corrupted_and_missing_file(tmp_path, monkeypatch):
    import pooch
    import requests

    mirror = _fake_registry(tmp_path, monkeypatch)
    before = _tree(mirror)

    def offline(self, url, output_file, pooch_obj, check_only=False):
        raise requests.ConnectionError(f"network unreachable for {url}")

    # pooch really runs (and creates its download folder); only the HTTP request fails
    monkeypatch.setattr(pooch.HTTPDownloader, "__call__", offline)
    with pytest.raises(reg.DataProblemsError) as err:
        reg.fetch_all(data_dir=mirror, verbose=False)

    assert [(p.file_id, p.kind) for p in err.value.problems] == [
        ("bent", "corrupted"), ("torn", "corrupted"), ("gone", "missing")]
    msg = str(err.value)
    assert "3 raw data file(s)" in msg and "(1 missing, 2 corrupted)" in msg
    for name, found in (("bent", b"first 0riginal\n"), ("torn", FILES["torn"][:5])):
        expected = reg.entry(name)
        assert f"expected sha256 {expected['sha256']}, {expected['bytes']} bytes" in msg
        assert f"actual   sha256 {reg.sha256(mirror / expected['file'])}, {len(found)} bytes" in msg
    gone = reg.entry("gone")
    assert f"expected sha256 {gone['sha256']}, {gone['bytes']} bytes" in msg
    assert "network unreachable for https://example.org/gone.csv" in msg
    assert "good" not in [p.file_id for p in err.value.problems]
    assert _tree(mirror) == before, "a failed download must not create files or folders"
    assert not (tmp_path / "mirror" / "c").exists()


def test_a_download_is_put_in_place_only_when_its_hash_matches(tmp_path, monkeypatch):
    import pooch

    mirror = _fake_registry(tmp_path, monkeypatch)
    served = {"content": b"not what was registered\n"}

    def serve(self, url, output_file, pooch_obj, check_only=False):
        with open(output_file, "wb") as fh:
            fh.write(served["content"])

    monkeypatch.setattr(pooch.HTTPDownloader, "__call__", serve)
    with pytest.raises(reg.HashMismatchError) as err:
        reg.fetch("gone", data_dir=mirror)
    assert reg.entry("gone")["sha256"] in str(err.value)
    assert "not put in place" in str(err.value)
    assert not (mirror / "c").exists()

    served["content"] = FILES["gone"]
    path = reg.fetch("gone", data_dir=mirror)
    assert path == mirror / "c" / "gone.csv" and path.read_bytes() == FILES["gone"]
    assert _tree(mirror / "c") == ["gone.csv"], "no partial file is left beside it"


def test_the_command_line_prints_the_whole_report(tmp_path, monkeypatch, capsys):
    import pooch

    mirror = _fake_registry(tmp_path, monkeypatch)
    monkeypatch.setenv("COUPPROOF_DATA_DIR", str(mirror))

    def offline(self, url, output_file, pooch_obj, check_only=False):
        raise OSError("offline")

    monkeypatch.setattr(pooch.HTTPDownloader, "__call__", offline)
    assert reg.main(["fetch"]) == 1
    err = capsys.readouterr().err
    assert all(f" {name} at " in err for name in ("bent", "torn", "gone"))
