"""The registry rejects corrupted and missing files with errors that name the problem."""

import shutil

import pytest

from coupproof.sources import registry as reg


def test_registry_lists_every_manifest_role():
    r = reg.registry()
    assert set(r["role"]) == {"main", "alternative", "cross-check"}
    assert r["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert r["url"].str.startswith("https://").all()
    assert set(r["source"]) <= set(reg.sources().index)


def test_corrupted_file_is_rejected_with_both_hashes(tmp_path, raw_data):
    good = reg.fetch("rivalries")
    bad_dir = tmp_path / "mirror"
    target = bad_dir / reg.entry("rivalries")["file"]
    target.parent.mkdir(parents=True)
    shutil.copy(good, target)
    with open(target, "ab") as fh:
        fh.write(b"\0")
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
