"""The table registry: one entry per published table, its own choices layered like a chapter's."""

import pandas as pd
import pytest

from coupproof.params import Choices
from coupproof.report.compare import published_estimates, published_model_stats
from coupproof.tables import (TABLES, UnknownTableError, all_results, book_key, fit_results, fit_table_results,
                              group_tables, parameter_key, table, table_choices, table_options)


def test_the_registry_holds_every_published_table_and_model():
    pub = published_estimates()
    assert set(TABLES) == set(pub["table"])
    for n, t in TABLES.items():
        assert set(t.models) == {str(m) for m in pub.loc[pub["table"] == n, "model"]}, f"Table {n}"
        assert set(t.dvs) == set(t.models)
        assert set(published_model_stats(n)["model"].astype(str)) <= set(t.models)


@pytest.mark.parametrize("n", sorted(TABLES))
def test_every_published_term_is_in_the_registered_model(n):
    pub = published_estimates(n)
    t = table(n)
    for m, g in pub.groupby("model"):
        missing = set(g["term"]) - set(t.models[str(m)])
        assert not missing, f"Table {n}, Model {m} prints {sorted(missing)} the registry does not fit"


def test_each_hypothesis_test_names_a_term_of_its_model():
    for n, t in TABLES.items():
        for test in t.tests:
            assert test.term in t.models[test.model], (n, test)
            assert test.expected_sign in (-1, 1)


def test_shared_fits_and_lookup():
    assert group_tables("hurdle") == [2, 12] and group_tables("heckit") == [10, 11]
    assert table("table09") is table(9) is table("9")
    with pytest.raises(UnknownTableError, match="no Table 3 in the registry"):
        table(3)


def test_a_tables_own_choices_sit_between_the_defaults_and_the_readers():
    assert table_choices(9).sample.polity_max == 5
    assert table_choices(6).sample.polity_max is None
    assert table_choices(5).estimation.estimator == "relogit"
    assert table_choices(1) == Choices()
    reader = Choices.from_overrides({"polity_max": 4, "cluster": "directed"})
    assert table_choices(9, reader).sample.polity_max == 4          # the reader wins
    assert table_choices(9, reader).estimation.cluster == "directed"
    assert table_choices(5, reader).estimation.estimator == "relogit"


def test_parameter_keys_name_the_parameter_set():
    assert book_key(1) == Choices().key()
    assert book_key(9) == Choices.from_overrides({"polity_max": 5}).key() != book_key(1)
    assert book_key(15) != Choices().key()                 # Table 15's options are part of its key
    spec = table_choices(15)
    assert parameter_key(spec, table(15).options) == book_key(15)
    assert parameter_key(spec, {**table(15).options, "dv_rule": "bilateral"}) != book_key(15)
    with pytest.raises(KeyError, match="Table 15 has no option dv"):
        table_options(15, {"dv": "bilateral"})
    assert table_options(15, {"dv_rule": "bilateral"})["dv_rule"] == "bilateral"


@pytest.mark.data
def test_fit_results_is_the_chapters_fit_and_records_its_parameter_set(raw_data):
    from coupproof.analysis import estimation_frame, fit_table

    res = fit_results(9)
    spec = table_choices(9)
    direct = fit_table(estimation_frame(spec), table(9).models, spec.estimation)
    for m, r in direct.items():
        ours = res.tidy[res.tidy["model"] == m].set_index("term")
        pd.testing.assert_series_equal(ours["coef"], r.params.rename("coef"), check_names=False)
        assert res.glance()[m]["N"] == r.nobs
    assert res.key == book_key(9) and res.differences == {"polity_max": 5} and res.chapter == "12_table09_polity5"


@pytest.mark.data
def test_all_results_fits_shared_models_once_and_layers_each_table(raw_data):
    reader = Choices.from_overrides({"cluster": "directed"})
    out = all_results(reader, tables=[12, 2])
    assert list(out) == [12, 2]
    assert out[2].glance() == out[12].glance()        # one hurdle fit: same N and log-likelihood
    assert set(out[2].tidy["part"]) != set(out[12].tidy["part"])
    assert out[2].differences == {"cluster": "directed"}
    fit = fit_table_results(2, table_choices(2, reader))
    assert fit.results().key == out[2].key


def test_all_results_can_leave_out_tables_without_an_estimate(monkeypatch):
    from coupproof import tables as registry
    from coupproof.models.diagnostics import ConvergenceError

    fitted = []

    class Fit:
        def __init__(self, n):
            self.n = n

        def results(self):
            return f"results of {self.n}"

    def fake_fit_group(number, spec, *, options=None, frames=None):
        fitted.append(number)
        if number in (6, 2):   # Table 2 fails with its partner Table 12 (one hurdle fit)
            raise ConvergenceError("a dummy separates the outcome")
        return {n: Fit(n) for n in registry.group_tables(registry.table(number).fit_group)}

    monkeypatch.setattr(registry, "fit_group", fake_fit_group)
    with pytest.raises(ConvergenceError):
        registry.all_results(tables=[4, 6, 7])
    fitted.clear()
    out = registry.all_results(tables=[4, 6, 2, 12, 7], skip_failed=True)
    assert out == {4: "results of 4", 7: "results of 7"}
    assert fitted == [4, 6, 2, 7]          # Table 12 is not tried again after Table 2 failed
