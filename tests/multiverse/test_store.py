"""The results store: atomic partitions, one per specification, generations by code."""

import pandas as pd

from coupproof.multiverse.store import ResultStore


def test_records_round_trip_and_rewrites_do_not_duplicate(tmp_path):
    store = ResultStore(tmp_path, code="c1")
    store.write({"key": "ab12", "x": 1.0})
    store.write({"key": "cd34", "x": 2.0})
    store.write({"key": "ab12", "x": 1.0})     # the same specification again
    out = store.read()
    assert sorted(out["key"]) == ["ab12", "cd34"] and store.done() == {"ab12", "cd34"}
    assert ResultStore(tmp_path, code="c2").done() == set()   # a new code version starts empty


def test_a_partition_holds_one_specification(tmp_path):
    store = ResultStore(tmp_path, code="c1")
    store.write(pd.DataFrame({"key": ["ab12"] * 3, "draw": [0, 1, 2]}))
    assert len(store.read(["ab12"])) == 3
    try:
        store.write(pd.DataFrame({"key": ["ab12", "cd34"]}))
    except ValueError as err:
        assert "one specification" in str(err)
    else:
        raise AssertionError("two keys in one partition were accepted")


def test_temporary_files_are_not_results_and_old_ones_are_cleaned(tmp_path):
    import os
    import time

    store = ResultStore(tmp_path, code="c1")
    store.write({"key": "ab12", "x": 1.0})
    tmp = store.path("ab12").with_name(".ab12.parquet.123.456.tmp")
    tmp.write_bytes(b"half")
    assert store.done() == {"ab12"}
    old = time.time() - 3600
    os.utime(tmp, (old, old))
    assert store.clean() == 1 and not tmp.exists()
