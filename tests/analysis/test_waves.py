"""Edge cases of the regional flows and waves (analysis.waves), on tiny hand-built tables.

Expected values are worked out by hand from conftest's EVENTS / GROUPS or from the tables built here."""

import json
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprk_relations.analysis import waves
from tests.core.test_dates import DAYS


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


AS_OF = date(2023, 10, 1)
PERIOD_COLUMNS = ["period", "start", "end", "narrative", "established", "restored", "severed", "suspended",
                  "maintaining_at_end", "detected_waves", "agreement"]


def yearly_of_cases(established: dict[int, int], first: int = 1960, last: int = 1980, **others: dict[int, int]) -> pd.DataFrame:
    """A yearly table as periods_table reads it; `maintaining` is the year's offset from `first`."""
    years = list(range(first, last + 1))
    table = {"year": years, "established": [established.get(y, 0) for y in years]}
    for column in ("restored", "severed", "suspended"):
        table[column] = [others.get(column, {}).get(y, 0) for y in years]
    table["maintaining"] = [y - first for y in years]
    return pd.DataFrame(table)


def events(*rows: tuple[str, str, str, date]) -> pd.DataFrame:
    """Events with just the columns the wave functions read: (iso3, continent, event, date_latest)."""
    frame = pd.DataFrame(rows, columns=["iso3", "continent", "event", "date_latest"])
    frame["year"] = [d.year for d in frame["date_latest"]]
    return frame


# --- flows_by -------------------------------------------------------------------------------------

def test_flows_are_counted_per_region_year_and_kind_in_sorted_long_format(dataset):
    flows = waves.flows_by(dataset.events, AS_OF, "continent")
    assert list(flows.columns) == ["continent", "year", "event", "count"]
    assert list(flows.index) == list(range(len(flows)))
    assert flows.values.tolist() == [
        ["America", 1960, "established", 1], ["America", 1970, "established", 1], ["America", 1973, "severed", 1],
        ["America", 1992, "restored", 1],
        ["Europe", 1948, "established", 2], ["Europe", 1993, "established", 2],
        ["Oceania", 1974, "established", 1], ["Oceania", 1975, "suspended", 1], ["Oceania", 2000, "restored", 1],
    ]


# --- establishments_by_decade ---------------------------------------------------------------------

def test_decade_matrix_counts_only_first_establishments_with_zeros_for_quiet_decades(dataset):
    """Restorations, breaks and suspensions are not establishments; every decade from the 1940s to the
    cut-off's is a column, zero where nothing happened; the default grouping is by continent."""
    matrix = waves.establishments_by_decade(dataset.events, AS_OF)
    decades = [1940, 1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020]
    assert list(matrix.columns) == decades
    assert list(matrix.index) == ["America", "Europe", "Oceania"]
    assert matrix.values.tolist() == [
        [0, 0, 1, 1, 0, 0, 0, 0, 0],  # Cuba 1960, Chile 1970 (its 1973 break and 1992 restoration not counted)
        [2, 0, 0, 0, 0, 2, 0, 0, 0],  # USSR and Czechoslovakia 1948, Czechia and Slovakia 1993
        [0, 0, 0, 1, 0, 0, 0, 0, 0],  # Australia 1974 (its suspension and restoration not counted)
    ]
    assert all(str(t) == "int64" for t in matrix.dtypes)


def test_decade_columns_end_with_the_cut_off_s_decade():
    est = events(("CUB", "America", "established", date(1960, 12, 31)))
    assert list(waves.establishments_by_decade(est, date(2020, 1, 1)).columns)[-1] == 2020
    assert list(waves.establishments_by_decade(est, date(2019, 12, 31)).columns)[-1] == 2010
    assert list(waves.establishments_by_decade(est, date(1969, 12, 31)).columns) == [1940, 1950, 1960]


def test_decade_matrix_leaves_out_events_after_the_cut_off():
    est = events(("CUB", "America", "established", date(1960, 12, 31)),
                 ("CHL", "America", "established", date(1965, 1, 1)))
    matrix = waves.establishments_by_decade(est, date(1964, 12, 31), "continent")
    assert matrix.values.tolist() == [[0, 0, 1]]


# --- detect_waves ---------------------------------------------------------------------------------

def test_a_threshold_of_one_establishment_is_allowed():
    found = waves.detect_waves(yearly_of_cases({1962: 1, 1970: 1}), min_establishments=1, max_gap=0)
    assert found.values.tolist() == [[1962, 1962, 1, 1962, 1], [1970, 1970, 1, 1970, 1]]


def test_bad_parameters_are_refused_with_the_value_named():
    with pytest.raises(ValueError, match=r"^min_establishments must be at least 1, got 0$"):
        waves.detect_waves(yearly_of_cases({}), min_establishments=0)
    with pytest.raises(ValueError, match=r"^max_gap must be 0 or more, got -1$"):
        waves.detect_waves(yearly_of_cases({}), max_gap=-1)


def test_a_wave_row_gives_its_span_total_and_peak_in_fixed_columns():
    found = waves.detect_waves(yearly_of_cases({1962: 6, 1963: 1, 1964: 7}), min_establishments=5, max_gap=1)
    assert list(found.columns) == waves.WAVE_COLUMNS
    # the quiet year inside the wave counts towards its total
    assert found.values.tolist() == [[1962, 1964, 14, 1964, 7]]


def test_no_wave_gives_an_empty_table_with_the_wave_columns():
    found = waves.detect_waves(yearly_of_cases({1962: 4}), min_establishments=5)
    assert len(found) == 0
    assert list(found.columns) == waves.WAVE_COLUMNS


# --- regional_waves -------------------------------------------------------------------------------

REGIONAL = events(
    ("E1", "Europe", "established", date(1950, 3, 1)),  # Europe listed first: the output is still sorted by region
    ("E2", "Europe", "established", date(1951, 3, 1)),
    ("E3", "Europe", "established", date(1951, 6, 1)),
    ("A1", "America", "established", date(1960, 5, 1)),
    ("A1", "America", "severed", date(1961, 5, 1)),
    ("A2", "America", "established", date(1962, 5, 1)),
    ("O1", "Oceania", "established", date(1955, 1, 1)),
    ("O2", "Oceania", "established", date(1968, 1, 1)),  # outside the years asked for
    ("A3", "America", "established", date(1971, 1, 1)),  # after the cut-off
)


def test_regional_waves_use_each_region_s_own_years_sorted_by_region():
    """Only the years asked for are scanned, a year with no establishment counts 0, the max_gap given is
    used (1960 and 1962 are not bridged with max_gap=0), regions come sorted, the index runs 0..n-1."""
    found = waves.regional_waves(REGIONAL, date(1970, 1, 1), list(range(1950, 1966)), min_establishments=1, max_gap=0)
    assert list(found.columns) == ["region"] + waves.WAVE_COLUMNS
    assert list(found.index) == [0, 1, 2, 3]
    assert found.values.tolist() == [
        ["America", 1960, 1960, 1, 1960, 1],
        ["America", 1962, 1962, 1, 1962, 1],
        ["Europe", 1950, 1951, 3, 1951, 2],
        ["Oceania", 1955, 1955, 1, 1955, 1],
    ]


def test_regional_waves_bridge_a_quiet_year_with_the_default_gap():
    found = waves.regional_waves(REGIONAL, date(1970, 1, 1), list(range(1950, 1966)), "continent", 1)
    assert found[found["region"] == "America"][["start", "end", "established"]].values.tolist() == [[1960, 1962, 2]]


def test_regional_waves_with_no_establishment_give_an_empty_table_with_the_columns():
    found = waves.regional_waves(REGIONAL, date(1949, 12, 31), list(range(1948, 1950)))
    assert len(found) == 0
    assert list(found.columns) == ["region"] + waves.WAVE_COLUMNS


# --- wave_makeup ----------------------------------------------------------------------------------

def test_wave_makeup_rows_carry_the_wave_s_span(dataset):
    found = pd.DataFrame([{"start": 1948, "end": 1960}, {"start": 1974, "end": 1993}])
    makeup = waves.wave_makeup(dataset.events, found, AS_OF)
    assert list(makeup.columns) == ["start", "end", "region", "established", "states"]
    # 1974-1993: Chile's 1992 restoration is not an establishment; Czechia and Slovakia on the same day, by code
    assert makeup.values.tolist() == [
        [1948, 1960, "America", 1, "CUB"], [1948, 1960, "Europe", 2, "SUHH CSHH"],
        [1974, 1993, "Europe", 2, "CZE SVK"], [1974, 1993, "Oceania", 1, "AUS"],
    ]


def test_wave_makeup_of_no_wave_is_an_empty_table_with_the_columns(dataset):
    makeup = waves.wave_makeup(dataset.events, pd.DataFrame(columns=["start", "end"]), AS_OF)
    assert len(makeup) == 0
    assert list(makeup.columns) == ["start", "end", "region", "established", "states"]


# --- agreement ------------------------------------------------------------------------------------

def test_agreement_lists_every_overlapping_wave_comma_separated():
    assert waves.agreement(waves.GROWTH, 9, 9, 0, 4, ["1972-1973", "1975-1975"], 2.0) == "agrees: wave 1972-1973, 1975-1975"
    assert waves.agreement(waves.SLOWDOWN, 5, 5, 0, 5, ["1981-1981", "1984-1985"], 2.0) == (
        "differs: 1.0 establishments a year against 2.0 on average, wave 1981-1981, 1984-1985")


def test_agreement_refuses_an_unknown_kind_of_period_by_name():
    with pytest.raises(ValueError, match=r"^unknown kind of period 'boom'$"):
        waves.agreement("boom", 1, 1, 0, 1, [], 1.0)


# --- periods_table --------------------------------------------------------------------------------

def test_periods_table_columns_boundaries_and_erosion_sums():
    """A wave touching a period only on its first or last year overlaps it; a period after the data is
    skipped without stopping the others; a period starting in the last year of data is kept;
    erosion weighs breaks plus suspensions against establishments plus restorations."""
    t = yearly_of_cases({1962: 6, 1964: 7, 1972: 9, 1973: 12}, restored={1974: 2}, severed={1976: 1}, suspended={1977: 3})
    found = pd.DataFrame([{"start": 1962, "end": 1964}, {"start": 1972, "end": 1973}])
    periods = [("edges", 1964, 1972, waves.GROWTH), ("after the data", 1981, 1990, waves.GROWTH),
               ("erosion", 1974, 1980, waves.EROSION), ("last year", 1980, 1985, waves.SLOWDOWN)]
    table = waves.periods_table(t, found, periods=periods)
    assert list(table.columns) == PERIOD_COLUMNS
    # mean: 34 establishments over 21 years = 1.6 a year; maintaining is the offset from 1960
    assert table.values.tolist() == [
        ["edges", 1964, 1972, waves.GROWTH, 16, 0, 0, 0, 12, "1962-1964; 1972-1973", "agrees: wave 1962-1964, 1972-1973"],
        ["erosion", 1974, 1980, waves.EROSION, 0, 2, 1, 3, 20, "none",
         "agrees: 4 suspensions or breaks against 2 establishments or restorations"],
        ["last year", 1980, 1985, waves.SLOWDOWN, 0, 0, 0, 0, 20, "none",
         "agrees: no wave, 0.0 establishments a year against 1.6 on average"],
    ]


def test_erosion_counts_restorations_as_openings():
    t = yearly_of_cases({1975: 1}, restored={1976: 2}, severed={1977: 2}, suspended={1978: 1})
    table = waves.periods_table(t, waves.detect_waves(t), periods=[("e", 1975, 1980, waves.EROSION)])
    assert table.loc[0, "agreement"] == "differs: 3 suspensions or breaks against 3 establishments or restorations"


def test_maintaining_at_end_is_the_last_year_of_the_period_within_the_data():
    t = yearly_of_cases({})
    table = waves.periods_table(t, waves.detect_waves(t), periods=[("a", 1961, 1965, waves.SLOWDOWN),
                                                                     ("b", 1975, 1999, waves.SLOWDOWN)])
    assert table["maintaining_at_end"].tolist() == [5, 20]


# --- group membership -----------------------------------------------------------------------------

def test_members_on_days_keeps_the_rows_index():
    groups = pd.DataFrame({"group": ["EU", "EU"], "iso3": ["GBR", "FRA"],
                           "joined_latest": [date(1973, 1, 1), None], "left_earliest": [date(2020, 1, 31), None]})
    rows = pd.DataFrame({"iso3": ["FRA", "GBR", "GBR", "DEU"],
                         "day": [date(1950, 1, 1), date(1972, 12, 31), date(1973, 1, 1), date(1990, 1, 1)]},
                        index=["x", "y", "z", "w"])
    hit = waves.members_on_days(groups, "EU", rows, "day")
    assert list(hit.index) == ["x", "y", "z", "w"]
    assert hit.tolist() == [True, False, True, False]


def test_establishments_by_group_uses_membership_at_the_cut_off(dataset):
    """Czechia and Slovakia count for the EU in 1993 because they are members at the cut-off; a group
    without joining dates (NORDIC) holds its members always; restorations are not establishments."""
    by_group = waves.establishments_by_group(dataset.events, dataset.groups, AS_OF)
    assert list(by_group.columns) == ["group", "year", "established"]
    assert by_group.values.tolist() == [["EU", 1993, 2], ["NORDIC", 1974, 1]]


def test_establishments_by_group_before_the_members_joined_or_the_events_happened(dataset):
    # on 1 January 2000 the EU's only member is France, which never established relations
    assert waves.establishments_by_group(dataset.events, dataset.groups, date(2000, 1, 1)).values.tolist() == [["NORDIC", 1974, 1]]
    # Australia's 31 July 1974 establishment is counted from that day, not before
    assert waves.establishments_by_group(dataset.events, dataset.groups, date(1974, 7, 31)).values.tolist() == [["NORDIC", 1974, 1]]
    empty = waves.establishments_by_group(dataset.events, dataset.groups, date(1974, 7, 30))
    assert len(empty) == 0
    assert list(empty.columns) == ["group", "year", "established"]


# --- properties, on random days (Hypothesis; the profile of tests/conftest.py) --------------------------

@given(DAYS, st.one_of(st.none(), st.integers(0, 20000)), DAYS)
def test_membership_includes_the_joining_day_and_the_last_day(joined, length, day):
    left = None if length is None else joined + timedelta(days=length)
    groups = pd.DataFrame({"group": ["G"], "iso3": ["X"], "joined_latest": [joined], "left_earliest": [left]})
    member = waves.group_members_on(groups, "G", day) == ["X"]
    assert member == (joined <= day and (left is None or day <= left))
