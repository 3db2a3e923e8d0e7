"""The panel from cached pieces: read each raw file once, equal to a build from scratch,
and shared by every specification that differs only in sample or estimation choices."""

import numpy as np
import pandas as pd
import pytest

from coupproof import sources
from coupproof.cache import PieceCache
from coupproof.panel.build import build_panel
from coupproof.params import Choices

pytestmark = pytest.mark.data

VARIANTS = {
    "default": {},
    "land contiguity, ATOP-release S coding": {"max_conttype": 1, "s_coding": "atop_release"},
    "Polity5, every new pact, 2015 coups": {"polity_version": "5", "def_rule": "all",
                                            "coups_version": "2015"},
}


@pytest.fixture(scope="module")
def scratch_cache(tmp_path_factory, raw_data):
    return tmp_path_factory.mktemp("pieces")


def test_a_build_from_scratch_reads_each_raw_file_once(scratch_cache):
    sources.clear()
    build_panel(Choices().data, cache=PieceCache(scratch_cache))
    counts = sources.read_counts()
    assert counts and set(counts.values()) == {1}, counts
    assert {"atop_alliances", "atop_members", "atop_dyad_summary", "polity4", "nmc6",
            "cow_states"} <= set(counts)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_pieces_from_the_cache_equal_a_build_from_scratch(scratch_cache, tmp_path, name):
    data = Choices.from_overrides(VARIANTS[name]).data
    cached = build_panel(data, cache=PieceCache(scratch_cache))      # warm after a first call
    cached = build_panel(data, cache=PieceCache(scratch_cache))
    fresh = build_panel(data, cache=PieceCache(tmp_path / "empty"))
    pd.testing.assert_frame_equal(cached, fresh)


def test_sample_and_estimation_choices_reuse_the_data_panel(scratch_cache):
    default = Choices()
    other = Choices.from_overrides({"polity_max": 5, "polity_filter_year": "t-1",
                                    "cluster": "directed", "years": (1970, 2000)})
    assert other.data == default.data and other.data.key() == default.data.key()
    cache = PieceCache(scratch_cache)
    build_panel(default.data, cache=cache)
    build_panel(other.data, cache=PieceCache(scratch_cache))
    assert PieceCache(scratch_cache).builds == {}
    fresh = PieceCache(scratch_cache)
    build_panel(other.data, cache=fresh)
    assert fresh.builds == {} and sum(fresh.loads.values()) > 0


def test_changing_one_choice_rebuilds_only_its_pieces(scratch_cache):
    build_panel(Choices().data, cache=PieceCache(scratch_cache))
    cache = PieceCache(scratch_cache)
    build_panel(Choices.from_overrides({"coup_window": (-5, -1)}).data, cache=cache)
    assert set(cache.builds) == {"state_coups"}


FRAME_VARIANTS = {
    "default": {},
    "polity2 <= 5 in t-1, directed, Polity5": {"polity_max": 5, "polity_filter_year": "t-1",
                                              "polity_version": "5", "cluster": "directed"},
    "no regime filter, 1970-2000, every new pact": {"polity_max": None, "years": (1970, 2000),
                                                    "def_rule": "all"},
}


@pytest.mark.parametrize("name", list(FRAME_VARIANTS))
def test_the_estimation_frame_equals_the_verb_pipeline(name):
    """The fast path (filters on state-years, then only the kept rows' columns) gives the
    frame and the attrition of build_panel -> restrict_sample -> analysis_frame."""
    from coupproof.analysis import estimation_frame
    from coupproof.panel.sample import restrict_sample
    from coupproof.panel.transforms import Attrition
    from coupproof.panel.variables import analysis_frame

    choices = Choices.from_overrides(FRAME_VARIANTS[name])
    slow_att, fast_att = Attrition(), Attrition()
    slow = analysis_frame(restrict_sample(build_panel(choices.data), choices.sample, slow_att),
                          choices.terms)
    fast = estimation_frame(choices, attrition=fast_att)
    assert fast_att.table().equals(slow_att.table())
    assert fast.index.equals(slow.index) and set(fast.columns) <= set(slow.columns)
    for c in fast.columns:
        np.testing.assert_array_equal(fast[c].to_numpy(), slow[c].to_numpy(), err_msg=c)
