"""Typed choices: values derived from the types, strict coercion, flat names, stable keys."""

import dataclasses
import typing

import pytest

from coupproof import sources
from coupproof.params import (ChoiceError, Choices, DataChoices, EstimationChoices,
                              SampleChoices, TermChoices, ThreatChoices, allowed,
                              describe_allowed)

STAGES = (ThreatChoices, DataChoices, SampleChoices, TermChoices, EstimationChoices)


def test_allowed_values_come_from_the_declared_literal():
    hints = typing.get_type_hints(DataChoices, include_extras=True)
    assert allowed(DataChoices, "nmc_version") == typing.get_args(hints["nmc_version"])
    assert allowed(ThreatChoices, "s_coding") == ("atop_3210", "atop_release", "defense_only")
    assert allowed(ThreatChoices, "colonial") == (False, True)
    with pytest.raises(TypeError, match="no finite list"):
        allowed(SampleChoices, "polity_max")


@pytest.mark.parametrize("name, given, expected", [
    ("nmc_version", 5.0, "5.0"),          # papermill's -p nmc_version 5.0, YAML's 5.0
    ("nmc_version", "5.0", "5.0"),
    ("polity_version", 5, "5"),           # YAML's unquoted 5
    ("coups_version", 2015, "2015"),
    ("coup_window", [-5, -1], (-5, -1)),  # YAML lists become tuples
    ("polity_max", None, None),
    ("polity_max", 5, 5),
    ("s_mean_from", 1946, 1946),
])
def test_strict_coercion_accepts_what_a_user_types(name, given, expected):
    assert Choices.from_overrides({name: given}).value(name) == expected


@pytest.mark.parametrize("name, given, why", [
    ("polity_max", True, "must be an integer from -10 to 10 or None"),   # True is not 1
    ("polity_max", 5.5, "must be an integer"),
    ("polity_max", [5], "a list where a single value is expected"),
    ("polity_max", 11, "from -10 to 10"),
    ("max_conttype", True, "one of 1, 2, 3, 4, 5"),
    ("max_conttype", 6, "one of 1, 2, 3, 4, 5"),
    ("colonial", 1, "True or False"),
    ("colonial", "yes", "True or False"),
    ("nmc_version", 4.0, "one of '6.0', '5.0'"),
    ("nmc_version", ["5.0"], "a list where a single value is expected"),
    ("cluster", "dyad", "one of 'undirected', 'directed'"),
    ("s_coding", "cow", "one of 'atop_3210', 'atop_release', 'defense_only'"),
    ("coup_window", (-4, 1), "first <= last <= 0"),
    ("coup_window", -4, "a pair"),
    ("coup_window", "(-4, 0)", "a pair"),
    ("years", (1950, 2010), "1961 <= first <= last <= 2010"),
    ("s_mean_from", 1700, "from 1816 to 2010"),
])
def test_bad_values_fail_with_a_message_naming_the_allowed_ones(name, given, why):
    with pytest.raises(ChoiceError, match=name) as err:
        Choices.from_overrides({name: given})
    assert why in str(err.value)


def test_unknown_names_are_listed_with_a_near_miss():
    with pytest.raises(ChoiceError) as err:
        Choices.from_overrides({"poliy_max": 5})
    msg = str(err.value)
    assert "did you mean 'polity_max'?" in msg and "known: " in msg and "cluster" in msg


def test_bad_choices_fail_before_any_data_is_read():
    sources.clear()
    with pytest.raises(ChoiceError):
        Choices.from_overrides({"cluster": "pair", "polity_max": 6})
    assert sources.read_counts() == {}


def test_flat_names_are_unique_across_stages_and_cover_every_field():
    names = Choices.names()
    assert len(names) == len(set(names))
    fields = [f.name for cls in STAGES for f in dataclasses.fields(cls) if f.name != "threat"]
    assert sorted(fields) == sorted(names)


def test_every_field_has_a_default_that_passes_its_own_type():
    for cls in STAGES:
        cls()  # validates every default
        for f in dataclasses.fields(cls):
            assert describe_allowed(typing.get_type_hints(cls, include_extras=True)[f.name])


def test_replace_routes_flat_names_to_their_stage():
    c = Choices().replace(polity_max=5, max_conttype=1, cluster="directed", delta_timing="t-1")
    assert c.sample.polity_max == 5 and c.data.threat.max_conttype == 1
    assert c.estimation.cluster == "directed" and c.terms.delta_timing == "t-1"
    assert c.differences() == {"max_conttype": 1, "polity_max": 5, "delta_timing": "t-1",
                               "cluster": "directed"}
    assert Choices().is_default() and not c.is_default()


def test_keys_are_stable_and_stage_specific():
    a, b = Choices(), Choices.from_overrides({"polity_max": 5})
    assert a.key() == Choices().key() and a.key() != b.key()
    assert a.data.key() == b.data.key()          # the regime filter is not a data choice
    assert a.data.key() != Choices.from_overrides({"max_conttype": 1}).data.key()
    # fields given as list or tuple hash alike
    assert (Choices.from_overrides({"coup_window": [-5, -1]}).key()
            == Choices.from_overrides({"coup_window": (-5, -1)}).key())


def test_stage_objects_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Choices().sample.polity_max = 3


def test_implementation_tables_cover_every_declared_option():
    from coupproof.codebook import CONTROL_SETS
    from coupproof.panel.concessions import CONCESSION_ITEMS
    from coupproof.panel.states import MILITARY_TYPES
    from coupproof.panel.threat import CODINGS

    assert set(CODINGS) == set(allowed(ThreatChoices, "s_coding"))
    assert set(MILITARY_TYPES) == set(allowed(DataChoices, "military_types"))
    assert set(CONCESSION_ITEMS) == set(allowed(DataChoices, "concession_items"))
    assert set(CONTROL_SETS) == set(allowed(EstimationChoices, "controls"))
    for name, dataset in (("nmc_version", "nmc"), ("polity_version", "polity"),
                          ("coups_version", "coups"), ("mid_version", "mid_participants")):
        for v in allowed(DataChoices, name):
            assert sources.file_id(dataset, v)
