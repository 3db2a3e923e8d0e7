"""The piece cache: keyed by what a piece reads, verified on load, atomic, ordinary files."""

import json
import os
import stat
import warnings

import numpy as np
import pandas as pd
import pytest

from coupproof.cache import CacheWarning, PieceCache


def frame():
    return pd.DataFrame({"a": np.arange(5, dtype="int64"), "b": np.linspace(0, 1, 5)})


class Builder:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def test_a_piece_is_built_once_then_loaded_and_verified(tmp_path):
    b = Builder(frame())
    cache = PieceCache(tmp_path)
    first = cache.get("toy", {"x": 1}, b)
    again = PieceCache(tmp_path).get("toy", {"x": 1}, b)   # a new process: from disk
    assert b.calls == 1
    pd.testing.assert_frame_equal(first, again)
    data, meta = cache.paths("toy", cache.key("toy", {"x": 1}), "frame")
    assert json.loads(meta.read_text())["sha256"] and data.exists()


def test_the_key_holds_only_what_the_piece_reads(tmp_path):
    cache = PieceCache(tmp_path)
    assert cache.key("toy", {"x": 1}) == cache.key("toy", {"x": 1})
    assert cache.key("toy", {"x": 1}) != cache.key("toy", {"x": 2})
    assert cache.key("toy", {"x": 1}) != cache.key("other", {"x": 1})
    assert cache.key("toy", {"x": 1}, sources=["rivalries"]) != cache.key("toy", {"x": 1})


def _entry(tmp_path):
    cache = PieceCache(tmp_path)
    cache.get("toy", {"x": 1}, Builder(frame()))
    return cache.paths("toy", cache.key("toy", {"x": 1}), "frame")


@pytest.mark.parametrize("damage", ["flip_bytes", "truncate", "drop_sidecar", "bad_sidecar"])
def test_a_damaged_entry_warns_with_its_path_and_is_rebuilt(tmp_path, damage):
    data, meta = _entry(tmp_path)
    if damage == "flip_bytes":
        blob = bytearray(data.read_bytes())
        blob[len(blob) // 2] ^= 0xFF
        blob[len(blob) // 2 + 1] ^= 0xFF
        data.write_bytes(bytes(blob))
    elif damage == "truncate":
        data.write_bytes(data.read_bytes()[:100])
    elif damage == "drop_sidecar":
        meta.unlink()
    else:
        meta.write_text("{not json")
    b = Builder(frame())
    with pytest.warns(CacheWarning, match=str(data.name)):
        out = PieceCache(tmp_path).get("toy", {"x": 1}, b)
    assert b.calls == 1
    pd.testing.assert_frame_equal(out, frame())
    # the rebuilt entry is whole again: the next process loads it without a warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        PieceCache(tmp_path).get("toy", {"x": 1}, Builder(None))


def test_a_missing_data_file_with_a_sidecar_is_rebuilt(tmp_path):
    data, meta = _entry(tmp_path)
    data.unlink()
    b = Builder(frame())
    with pytest.warns(CacheWarning, match="missing"):
        PieceCache(tmp_path).get("toy", {"x": 1}, b)
    assert b.calls == 1


def test_orphaned_temporary_files_are_removed_and_files_are_ordinary(tmp_path):
    data, meta = _entry(tmp_path)
    orphan = data.with_name(f".{data.name}.{os.uname().nodename.replace('.', '_')}.999999999.1.tmp")
    orphan.write_bytes(b"half a file")
    PieceCache(tmp_path).get("toy", {"x": 2}, Builder(frame()))
    assert not orphan.exists()
    umask = os.umask(0)
    os.umask(umask)
    for f in (data, meta):
        assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~umask


def test_a_temporary_file_renamed_away_during_the_cleanup_is_skipped(tmp_path, monkeypatch):
    # another worker finishes its write (renames its temporary file) between our listing of
    # the folder and our look at the file: the cleanup must pass over it, not fail
    data, _ = _entry(tmp_path)
    gone = data.with_name(f".{data.name}.otherhost.{os.getpid()}.1.tmp")  # listed, then renamed
    real_glob = type(data).glob
    monkeypatch.setattr(type(data), "glob",
                        lambda self, pattern: [gone, *real_glob(self, pattern)])
    value = PieceCache(tmp_path).get("toy", {"x": 1}, Builder(None))
    pd.testing.assert_frame_equal(value, frame())


def test_arrays_pieces_round_trip_and_are_read_only(tmp_path):
    arrays = {"values": np.arange(6.0), "shapes": np.array([[2, 3]])}
    out = PieceCache(tmp_path).get("arr", {}, Builder(arrays), kind="arrays")
    again = PieceCache(tmp_path).get("arr", {}, Builder(None), kind="arrays")
    np.testing.assert_array_equal(again["values"], arrays["values"])
    with pytest.raises(ValueError):
        out["values"][0] = 1.0


def test_callers_cannot_change_the_cached_frame(tmp_path):
    cache = PieceCache(tmp_path)
    first = cache.get("toy", {}, Builder(frame()))
    first["c"] = 1
    assert "c" not in cache.get("toy", {}, Builder(None)).columns
