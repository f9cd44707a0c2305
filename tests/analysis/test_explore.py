"""Each state's status on the cut-off and its first establishment (fixture: tests/conftest.py).

The states table at its edges: every column of a row, dates of events known only as a window,
the day a state ceased to exist, a successor whose inherited relations were broken (fixture: tests/conftest.py)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis import explore
from dprk_relations.analysis.counts import measuring_days, yearly_counts
from dprk_relations.data import ingest
from dprk_relations.rules.relations import build_spells
from tests.conftest import EVENTS, build_raw


def status_on(dataset, day: date):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, day)
    return explore.state_status(dataset.states, dataset.events, spells, dataset.successions, day,
                                measuring_days(1948, day)).set_index("iso3")


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


def table_of(states, events, successions, day: date) -> pd.DataFrame:
    spells = build_spells(events, states, successions, day)
    return explore.state_status(states, events, spells, successions, day, measuring_days(1948, day))


def status_on_of_cases(dataset, day: date) -> pd.DataFrame:
    return table_of(dataset.states, dataset.events, dataset.successions, day).set_index("iso3")


def test_the_table_has_its_columns_in_order_one_row_per_state_sorted_and_first_year_as_nullable_int(dataset):
    table = table_of(dataset.states, dataset.events, dataset.successions, date(2023, 10, 1))
    assert list(table.columns) == explore.STATUS_COLUMNS
    assert table["iso3"].tolist() == ["AUS", "CHL", "CSHH", "CUB", "CZE", "FRA", "RUS", "SUHH", "SVK"]
    assert str(table["first_year"].dtype) == "Int64"
    assert table["first_year"].isna().tolist() == [iso3 == "FRA" for iso3 in table["iso3"]]


def test_every_field_of_a_row_with_events_without_events_and_continuing_a_predecessor(dataset):
    table = status_on_of_cases(dataset, date(2023, 10, 1))
    assert table.loc["CHL"].tolist() == ["Chile", "South America", "America", "in force", "1970-11-16", "day", 1970, "",
                                         "1960-1971", "restored", "1992-09-25", 3, "1970-1972 1992-2023"]
    assert table.loc["AUS"].tolist() == ["Australia", "Australia and New Zealand", "Oceania", "in force", "1974-07-31",
                                         "day", 1974, "", "1972-1975", "restored", "2000-05", 3, "1974 2000-2023"]
    assert table.loc["CUB"].tolist() == ["Cuba", "Caribbean", "America", "in force", "1960", "year", 1960, "",
                                         "1960-1971", "established", "1960", 1, "1960-2023"]
    # no event at all: empty texts, a missing year and no events
    france = table.loc["FRA"]
    assert france.drop("first_year").tolist() == ["France", "Western Europe", "Europe", "never", "", "", "", "", "", "",
                                                  0, ""]
    assert france["first_year"] is pd.NA
    # Russia's first establishment is the USSR's; its own last event and count stay empty
    assert table.loc["RUS"].tolist() == ["Russia", "Eastern Europe", "Europe", "in force", "1948-10-12", "day", 1948,
                                         "SUHH", "1948-1959", "", "", 0, "1991-2023"]


def test_only_events_up_to_the_day_give_the_last_event_and_the_count(dataset):
    table = status_on_of_cases(dataset, date(1980, 1, 1))
    assert table.loc["CHL", ["last_event", "last_event_date", "events"]].tolist() == ["severed", "1973", 2]
    assert table.loc["AUS", ["last_event", "last_event_date", "events"]].tolist() == ["suspended", "1975-10", 2]
    assert table.loc["CZE", ["last_event", "last_event_date", "events", "first_established"]].tolist() == ["", "", 0, ""]


def test_an_event_dated_only_by_a_window_shows_its_bounds(dataset):
    """An undated event is written earliest..latest, as its first establishment and as its last event."""
    events = dataset.events.copy()
    cuba = events["event_id"] == "CUB-established-1"
    events.loc[cuba, ["date", "precision", "earliest", "latest"]] = ["", "window", "1959-11", "1960-02"]
    table = table_of(dataset.states, events, dataset.successions, date(2023, 10, 1)).set_index("iso3")
    assert table.loc["CUB", ["first_established", "first_precision", "first_year", "last_event_date"]].tolist() == [
        "1959-11..1960-02", "window", 1960, "1959-11..1960-02"]


def test_a_state_that_ceased_to_exist_is_dissolved_from_the_day_after_its_last_day(dataset):
    states = dataset.states.copy()
    states.loc[states["iso3"] == "FRA", "existed_to_latest"] = date(2000, 1, 1)
    assert status_on_states(dataset, states, date(1999, 12, 31)) == "never"
    assert status_on_states(dataset, states, date(2000, 1, 1)) == "never"  # its last day: it still exists
    assert status_on_states(dataset, states, date(2000, 1, 2)) == "dissolved"
    # before it had relations, a state that later dissolved is not yet dissolved
    assert status_on_of_cases(dataset, date(1948, 10, 20)).loc["CSHH", "status"] == "never"
    assert status_on_of_cases(dataset, date(1948, 10, 21)).loc["CSHH", "status"] == "in force"


def status_on_states(dataset, states, day: date) -> str:
    return table_of(states, dataset.events, dataset.successions, day).set_index("iso3").loc["FRA", "status"]


def test_a_successor_whose_inherited_relations_were_broken_is_broken(tmp_path):
    """Russia continues the USSR; if the USSR broke relations before it dissolved, Russia's are broken."""
    data = ingest.load(build_raw(tmp_path / "raw", events=[*EVENTS, ("SUHH", "Soviet Union", "severed", "1990-01-01", "day")]))
    table = table_of(data.states, data.events, data.successions, date(2000, 1, 1)).set_index("iso3")
    assert table.loc["RUS", ["status", "first_established", "first_via", "period", "last_event", "events"]].tolist() == [
        "broken", "1948-10-12", "SUHH", "1948-1959", "", 0]
    assert table.loc["SUHH", ["status", "last_event", "last_event_date", "events"]].tolist() == [
        "dissolved", "severed", "1990-01-01", 2]


def test_no_states_give_an_empty_table_with_the_columns(dataset):
    table = table_of(dataset.states.iloc[0:0], dataset.events, dataset.successions, date(2023, 10, 1))
    assert list(table.columns) == explore.STATUS_COLUMNS and table.empty
    assert str(table["first_year"].dtype) == "Int64"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_a_missing_year_has_no_period(missing):
    assert explore.period_of(missing) == ""


def test_the_refusal_names_the_year_and_the_first_period_s_start():
    with pytest.raises(ValueError) as err:
        explore.period_of(1947)
    assert str(err.value) == "year 1947 is before the first establishment period (1948)"
    assert explore.period_of(1999) == "1990-1999" and explore.period_of(9999) == "2000 and later"


def test_the_years_in_force_are_runs_of_the_chart_s_years_and_add_up_to_its_stock(dataset):
    # fixture: Chile 1970-11-16 to 1973 and from 1992-09-25; the USSR to 1991-12-26, then Russia continues
    day = date(2023, 10, 1)
    spells = build_spells(dataset.events, dataset.states, dataset.successions, day)
    table = explore.state_status(dataset.states, dataset.events, spells, dataset.successions, day,
                                 measuring_days(1948, day)).set_index("iso3")
    assert table.loc["CHL", "years_in_force"] == "1970-1972 1992-2023"
    assert table.loc["SUHH", "years_in_force"] == "1948-1990" and table.loc["RUS", "years_in_force"] == "1991-2023"
    assert table.loc["FRA", "years_in_force"] == ""
    yearly = yearly_counts(dataset.events, spells, dataset.states, day, 1948)
    held = {y: 0 for y in yearly["year"]}
    for runs in table["years_in_force"]:
        for run in runs.split():
            first, _, last = run.partition("-")
            first, last = int(first), int(last or first)
            for y in range(first, last + 1):
                held[y] += 1
    assert [held[y] for y in yearly["year"]] == yearly["maintaining"].tolist()
