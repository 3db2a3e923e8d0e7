"""Shared fixtures.  Tests marked ``data`` need the raw files (COUPPROOF_DATA_DIR)."""

import os

import pytest

from coupproof.sources.registry import DataFileError, fetch_all


@pytest.fixture(scope="session")
def raw_data():
    """Skip a data test only when no raw data folder is configured at all."""
    if not os.environ.get("COUPPROOF_DATA_DIR") and not os.path.isdir("data/raw"):
        pytest.skip("set COUPPROOF_DATA_DIR to run tests on the raw data")
    try:
        fetch_all(verbose=False)
    except DataFileError as err:  # a broken data folder is a failure, not a skip
        pytest.fail(str(err))
    return True
