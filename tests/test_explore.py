"""Each state's status on the cut-off and its first establishment (fixture: tests/conftest.py)."""
from __future__ import annotations

from datetime import date

import pytest

from dprk_relations.analysis import explore
from dprk_relations.rules.relations import build_spells


def status_on(dataset, day: date):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, day)
    return explore.state_status(dataset.states, dataset.events, spells, dataset.successions, day).set_index("iso3")


def test_statuses_on_the_report_s_date(dataset):
    table = status_on(dataset, date(2023, 10, 1))
    assert table["status"].to_dict() == {
        "AUS": "in force", "CHL": "in force", "CSHH": "dissolved", "CUB": "in force", "CZE": "in force",
        "FRA": "never", "RUS": "in force", "SUHH": "dissolved", "SVK": "in force"}
    # Russia has no event of its own: it continues the USSR's relations, first established in 1948
    assert (table.loc["RUS", "first_established"], table.loc["RUS", "first_via"]) == ("1948-10-12", "SUHH")
    assert table.loc["RUS", "period"] == "1948-1959" and table.loc["FRA", "period"] == ""


def test_statuses_in_the_middle_of_breaks(dataset):
    table = status_on(dataset, date(1980, 1, 1))
    assert table.loc["CHL", "status"] == "broken" and table.loc["AUS", "status"] == "suspended"
    assert table.loc["CZE", "status"] == "never"  # established only in 1993
    assert table.loc["SUHH", "status"] == "in force"


def test_an_event_on_the_cut_off_day_counts(dataset):
    assert status_on(dataset, date(1992, 9, 25)).loc["CHL", "status"] == "in force"
    assert status_on(dataset, date(1992, 9, 24)).loc["CHL", "status"] == "broken"


@pytest.mark.parametrize("year, period", [(1948, "1948-1959"), (1959, "1948-1959"), (1960, "1960-1971"),
                                          (1975, "1972-1975"), (1976, "1976-1989"), (2023, "2000 and later"), (None, "")])
def test_period_edges(year, period):
    assert explore.period_of(year) == period


def test_a_year_before_the_first_period_is_refused():
    with pytest.raises(ValueError, match="before the first establishment period"):
        explore.period_of(1947)
