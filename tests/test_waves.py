import json
from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis import waves


def yearly(counts: dict[int, int]) -> pd.DataFrame:
    years = list(range(1960, 1981))
    return pd.DataFrame({
        "year": years, "established": [counts.get(y, 0) for y in years], "restored": 0, "severed": 0,
        "suspended": 0, "maintaining": list(range(len(years))),
    })


def test_wave_years_are_grouped_with_gaps_bridged():
    t = yearly({1962: 6, 1963: 1, 1964: 7, 1972: 9, 1973: 12, 1979: 5})
    found = waves.detect_waves(t, min_establishments=5, max_gap=1)
    assert found[["start", "end", "established"]].values.tolist() == [[1962, 1964, 14], [1972, 1973, 21], [1979, 1979, 5]]
    assert found.loc[1, "peak_year"] == 1973


def test_no_gap_allowed_splits_the_wave():
    t = yearly({1962: 6, 1964: 7})
    assert len(waves.detect_waves(t, min_establishments=5, max_gap=0)) == 2


def test_threshold_is_checked():
    with pytest.raises(ValueError, match="min_establishments"):
        waves.detect_waves(yearly({}), min_establishments=0)


def test_periods_table_sets_report_periods_beside_waves():
    t = yearly({1972: 9, 1973: 12})
    found = waves.detect_waves(t, 5, 1)
    table = waves.periods_table(t, found, periods=[("surge", 1972, 1975, waves.GROWTH), ("quiet", 1960, 1965, waves.GROWTH),
                                                   ("slow", 1976, 1980, waves.SLOWDOWN)])
    assert table["established"].tolist() == [21, 0, 0]
    assert table["detected_waves"].tolist() == ["1972-1973", "none", "none"]
    assert table["agreement"].tolist() == ["agrees: wave 1972-1973", "differs: no wave found (0 establishments in 6 years)",
                                           "agrees: no wave, 0.0 establishments a year against 1.0 on average"]


@pytest.mark.parametrize("kind, args, words", [
    (waves.SLOWDOWN, (10, 10, 0, 5, [], 2.0), "differs: 2.0 establishments a year against 2.0 on average"),  # not below the mean
    (waves.SLOWDOWN, (5, 5, 0, 5, ["1981-1981"], 2.0), "differs: 1.0 establishments a year against 2.0 on average, wave 1981-1981"),
    (waves.EROSION, (0, 1, 1, 10, [], 2.0), "differs: 1 suspensions or breaks against 1 establishments or restorations"),
    (waves.EROSION, (0, 1, 2, 10, [], 2.0), "agrees: 2 suspensions or breaks against 1 establishments or restorations"),
])
def test_agreement_rule_at_its_edges(kind, args, words):
    assert waves.agreement(kind, *args) == words


def test_regional_waves_and_the_make_up_of_a_wave(dataset):
    years = list(range(1948, 2024))
    regional = waves.regional_waves(dataset.events, date(2023, 10, 1), years, "continent", min_establishments=2, max_gap=0)
    # Europe: USSR and Czechoslovakia in 1948, Czechia and Slovakia in 1993; America never has two in a year
    assert regional[["region", "start", "end", "established"]].values.tolist() == [["Europe", 1948, 1948, 2], ["Europe", 1993, 1993, 2]]
    found = pd.DataFrame([{"start": 1960, "end": 1993}])
    makeup = waves.wave_makeup(dataset.events, found, date(2023, 10, 1))
    assert makeup[["region", "established", "states"]].values.tolist() == [["America", 2, "CUB CHL"], ["Europe", 2, "CZE SVK"],
                                                                          ["Oceania", 1, "AUS"]]


def test_decade_matrix_and_regional_flows(dataset):
    matrix = waves.establishments_by_decade(dataset.events, date(2023, 10, 1), "continent")
    assert matrix.loc["Europe", 1940] == 2  # USSR, Czechoslovakia
    assert matrix.loc["Europe", 1990] == 2  # Czechia, Slovakia
    assert matrix.loc["America", 1960] == 1  # Cuba
    flows = waves.flows_by(dataset.events, date(2023, 10, 1), "continent")
    assert flows[(flows["event"] == "severed")]["count"].sum() == 1


def test_group_membership_on_a_day(dataset):
    assert waves.group_members_on(dataset.groups, "EU", date(2000, 1, 1)) == ["FRA"]
    assert waves.group_members_on(dataset.groups, "EU", date(2005, 1, 1)) == ["CZE", "FRA", "SVK"]


def test_a_group_s_left_date_is_the_last_day_as_a_member():
    """The schema's convention (groups.csv `left`): the United Kingdom 'left on 31 January 2020'."""
    from dprk_relations.core import paths

    groups = pd.DataFrame({"group": ["EU", "EU"], "iso3": ["GBR", "FRA"],
                           "joined_latest": [date(1973, 1, 1), None], "left_earliest": [date(2020, 1, 31), None]})
    assert waves.group_members_on(groups, "EU", date(2020, 1, 31)) == ["FRA", "GBR"]
    assert waves.group_members_on(groups, "EU", date(2020, 2, 1)) == ["FRA"]
    assert waves.group_members_on(groups, "EU", date(1973, 1, 1)) == ["FRA", "GBR"]
    assert waves.group_members_on(groups, "EU", date(1972, 12, 31)) == ["FRA"]
    rows = pd.DataFrame({"iso3": ["GBR", "GBR", "DEU"], "day": [date(2020, 1, 31), date(2020, 2, 1), date(2020, 1, 31)]})
    assert waves.members_on_days(groups, "EU", rows, "day").tolist() == [True, False, False]
    schema = json.loads((paths.DATA_RAW / "datapackage.json").read_text(encoding="utf-8"))
    left = next(f for r in schema["resources"] if r["name"] == "groups" for f in r["schema"]["fields"] if f["name"] == "left")
    assert "last day of membership" in left["description"].lower()
