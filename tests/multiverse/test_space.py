"""The declared space: options from the types, the default inside, reproducible samples."""

import math

import pytest

from coupproof.multiverse import space as S
from coupproof.params import ChoiceError, Choices


def test_every_dimension_is_a_parameter_with_its_default_first():
    S.check_space()
    for d in S.SPACE:
        assert d.values()[0] == Choices().value(d.name)
        assert len(d.values()) == len(set(d.values())) >= 2


def test_size_is_the_product_of_the_options():
    assert S.size() == math.prod(len(d.values()) for d in S.SPACE)
    assert S.size(S.SPACE[:2]) == 3 * 2  # S-score coding × weighting


def test_the_sample_is_reproducible_from_its_seed_and_distinct():
    a = [c.key() for c in S.sample(40, seed=7)]
    b = [c.key() for c in S.sample(40, seed=7)]
    c = [c.key() for c in S.sample(40, seed=8)]
    assert a == b and a != c and len(set(a)) == 40
    assert a[0] == Choices().key()                      # the book's default comes first
    assert [x.key() for x in S.sample(60, seed=7)][:40] == a  # a larger n extends the list


def test_neighbours_change_exactly_one_choice():
    specs = S.neighbours()
    assert specs[0].is_default()
    assert all(len(c.differences()) == 1 for c in specs[1:])
    assert len(specs) == 1 + sum(len(d.values()) - 1 for d in S.SPACE)


def test_full_space_of_a_small_subspace():
    dims = (S.BY_NAME["cluster"], S.BY_NAME["estimator"])
    keys = {c.key() for c in S.full(dims)}
    assert len(keys) == 4


def test_a_space_whose_options_omit_the_default_is_rejected():
    bad = S.Dimension("max_conttype", "x", "threat", "test", (1, 2))
    with pytest.raises(ChoiceError, match="omit the book's default"):
        S.check_space((bad,))
