"""The band of other readings and the published counts, on the hand-built fixture (see conftest).

The band of other readings, rule by rule: families of a state and its continuing successor, the
readings enumerated (or only the extremes above MAX_READINGS_PER_FAMILY), the order a reading must keep,
and the band on the hand-built fixture of conftest.py edited one event at a time."""

from datetime import date
from itertools import islice

import numpy as np
import pandas as pd

from dprk_relations.analysis import published, uncertainty
from dprk_relations.data import ingest
from dprk_relations.rules import evidence
from dprk_relations.rules.relations import build_spells, stock_on
from tests.conftest import EVENTS, build_raw

AS_OF = date(2023, 10, 1)


def band_on(data, days):
    return uncertainty.stock_band(data.events, data.sources, data.states, data.successions, AS_OF, days)


def test_a_year_precision_break_widens_the_band_within_its_year(dataset):
    # Chile 'severed 1973': counted until 31 December 1973, but it may have been 1 January
    low, high = band_on(dataset, [date(1973, 6, 30)])
    spells = build_spells(dataset.events, dataset.states, dataset.successions, AS_OF)
    assert int(stock_on(spells, [date(1973, 6, 30)])[0]) == 4
    assert (int(low[0]), int(high[0])) == (3, 4)


def test_a_suspension_counted_as_in_force_raises_the_top_of_the_band(dataset):
    low, high = band_on(dataset, [date(1975, 12, 31), date(1999, 12, 31)])
    assert list(low) == [3, 5] and list(high) == [4, 6]  # Australia, suspended 1975 to 2000


def test_the_band_always_contains_the_pipelines_own_reading(dataset):
    days = [date(y, 12, 31) for y in range(1948, 2023)]
    low, high = band_on(dataset, days)
    main = stock_on(build_spells(dataset.events, dataset.states, dataset.successions, AS_OF), days)
    assert (low <= main).all() and (main <= high).all()


def _with_source(dataset, event_id: str, given: str, precision: str) -> pd.DataFrame:
    extra = pd.DataFrame([dict(event_id=event_id, citation="Other", url="https://example.org/o", origin="other",
                               date_given=given, precision_given=precision, quote="", reading="differs", line=99)])
    return pd.concat([dataset.sources, extra], ignore_index=True)


def test_another_sources_date_moves_the_band(dataset):
    sources = _with_source(dataset, "CUB-established-1", "1959-01-02", "day")
    low, high = uncertainty.stock_band(dataset.events, sources, dataset.states, dataset.successions, AS_OF, [date(1959, 6, 30)])
    assert (int(low[0]), int(high[0])) == (2, 3)  # USSR, Czechoslovakia; Cuba too under the other source's date


def test_a_date_from_before_the_state_existed_is_no_reading(dataset):
    # as the ROK foreign ministry's list (kdiplo) dates Czechia's relations from Czechoslovakia's 1948: Czechia exists
    # from 1993 (its succession)
    sources = _with_source(dataset, "CZE-established-1", "1948", "year")
    days = [date(1948, 12, 31), date(1960, 12, 31), date(1992, 12, 31)]
    with_it = uncertainty.stock_band(dataset.events, sources, dataset.states, dataset.successions, AS_OF, days)
    without = uncertainty.stock_band(dataset.events, dataset.sources, dataset.states, dataset.successions, AS_OF, days)
    assert with_it[1].tolist() == without[1].tolist()  # not counted beside Czechoslovakia
    ordered = dataset.events[dataset.events["event_id"] == "CZE-established-1"]
    assert uncertainty.candidate_days(ordered, sources, dataset.states) == [[date(1993, 1, 1)]]


def test_a_date_that_begins_before_the_state_existed_is_read_from_its_first_day(dataset):
    states = dataset.states.copy()
    states.loc[states["iso3"] == "CZE", "existed_from_earliest"] = date(1992, 7, 1)  # as if it had existed from mid-1992
    sources = _with_source(dataset, "CZE-established-1", "1992", "year")
    ordered = dataset.events[dataset.events["event_id"] == "CZE-established-1"]
    assert uncertainty.candidate_days(ordered, sources, states) == [[date(1992, 7, 1), date(1992, 12, 31), date(1993, 1, 1)]]
    low, high = uncertainty.stock_band(dataset.events, sources, states, dataset.successions, AS_OF,
                                       [date(1992, 6, 30), date(1992, 8, 1)])
    base = uncertainty.stock_band(dataset.events, dataset.sources, states, dataset.successions, AS_OF,
                                  [date(1992, 6, 30), date(1992, 8, 1)])
    assert (high - base[1]).tolist() == [0, 1]  # in force from 1 July 1992 under that reading, not from 1 January


def test_the_band_is_the_same_whether_its_readings_are_counted_in_one_block_or_one_family_at_a_time(dataset, monkeypatch):
    days = [date(y, 12, 31) for y in range(1948, 2023)]
    whole = band_on(dataset, days)
    monkeypatch.setattr(uncertainty, "READINGS_PER_BLOCK", 1)  # every family its own block
    one_by_one = band_on(dataset, days)
    assert whole[0].tolist() == one_by_one[0].tolist() and whole[1].tolist() == one_by_one[1].tolist()
    assert (whole[0] < whole[1]).any()  # the fixture has uncertain families: the blocks hold something


def test_published_count_beside_the_data(dataset):
    days = published.band_days(dataset.published_counts, AS_OF)
    assert days == [date(1975, 12, 31)]
    spells = build_spells(dataset.events, dataset.states, dataset.successions, AS_OF)
    table = published.compare(dataset.published_counts, spells, dataset.states, AS_OF, band_on(dataset, days))
    row = table.iloc[0]
    assert (row["published"], row["derived"], row["derived_low"], row["derived_high"], row["difference"]) == (4, 3, 3, 4, 1)
    assert bool(row["within_band"]) and row["explanation"] == ""


def test_a_large_difference_names_the_states_nearest_in_time(dataset):
    counts = dataset.published_counts.assign(count="6")
    spells = build_spells(dataset.events, dataset.states, dataset.successions, AS_OF)
    row = published.compare(counts, spells, dataset.states, AS_OF).iloc[0]
    assert row["difference"] == 3
    assert row["explanation"].endswith("nearest in time: AUS (until 1975-10-31), CHL (until 1973-12-31)")


def test_a_lower_bound_differs_only_when_the_data_fall_below_it():
    assert published.difference(160, 165, "at_least") == 0
    assert published.difference(160, 157, "at_least") == 3
    assert published.difference(160, 165, "approximate") == 0  # 'approximately 160' admits 155 to 165
    assert published.difference(160, 166, "approximate") == -1


def test_a_count_after_the_cut_off_is_left_out(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, date(1970, 1, 1))
    assert published.compare(dataset.published_counts, spells, dataset.states, date(1970, 1, 1)).empty


def test_formal_act_needs_a_note_and_a_window_no_chosen_source():
    event = dict(date="1960", precision="year", date_rule="formal_act", note="", earliest="", latest="")
    source = dict(reading="chosen", date_given="1960", precision_given="year", citation="c")
    assert evidence.rule_problems(event, [source]) == [("note", "is empty; 'formal_act' needs the note to say which act the other sources date")]
    window = dict(date="", precision="window", date_rule="window", note="n", earliest="1959", latest="1961")
    bounds = [dict(reading="earliest", date_given="1959"), dict(reading="latest", date_given="1961"), dict(source, date_given="1960")]
    assert evidence.rule_problems(window, bounds) == [("date_rule", "a window has no chosen source; a source that dates the event makes it a dated event")]


D1, D2, D3 = date(1970, 1, 1), date(1970, 6, 30), date(1971, 1, 1)


def band(data, days, as_of=AS_OF):
    return uncertainty.stock_band(data.events, data.sources, data.states, data.successions, as_of, days)


def load_with(tmp_path, replace: dict[tuple[str, str], tuple[str, str]]):
    """The fixture with the (iso3, kind) events in `replace` given another (date, precision)."""
    events = [(i, s, k, *replace.get((i, k), (d, p))) for i, s, k, d, p in EVENTS]
    return ingest.load(build_raw(tmp_path / "raw", events=events))


def as_sorted(groups):
    return sorted(tuple(sorted(g)) for g in groups)


def test_families_join_a_state_with_the_successors_continuing_it_even_without_events(dataset):
    """Russia has no events of its own but belongs with the USSR; new states (Czechia) stand alone."""
    assert as_sorted(uncertainty.families(dataset.events, dataset.successions)) == [
        ("AUS",), ("CHL",), ("CSHH",), ("CUB",), ("CZE",), ("RUS", "SUHH"), ("SVK",)]


def test_families_follow_a_chain_of_continuations_to_its_root():
    events = pd.DataFrame({"iso3": ["A", "X"]})
    successions = pd.DataFrame([("A", "B", "continuation"), ("B", "C", "continuation"), ("D", "E", "new_state")],
                               columns=["predecessor", "successor", "kind"])
    assert as_sorted(uncertainty.families(events, successions)) == [("A", "B", "C"), ("X",)]


def test_every_reading_is_enumerated_up_to_the_limit_included():
    candidates = [[0, 1]] * 12  # 2 ** 12 == MAX_READINGS_PER_FAMILY
    readings = list(uncertainty._readings(candidates))
    assert len(readings) == uncertainty.MAX_READINGS_PER_FAMILY == 4096
    assert len(set(readings)) == 4096


def test_above_the_limit_only_the_all_earliest_and_all_latest_readings_are_taken():
    assert list(uncertainty._readings([[1, 2, 3]] * 8)) == [(1,) * 8, (3,) * 8]  # 3 ** 8 = 6561 readings


def test_the_number_of_readings_does_not_overflow_for_a_very_large_family():
    """2 ** 64 readings wrap to 0 in 64-bit integers; the count must still be seen as above the limit."""
    first = list(islice(uncertainty._readings([[0, 1]] * 64), 3))
    assert first == [(0,) * 64, (1,) * 64]


def test_events_by_state_keep_those_on_the_cut_off_day_and_drop_later_ones():
    kinds = ["established", "severed", "established"]
    assert uncertainty._by_state(["A", "A", "B"], kinds, [D1, D2, D3], as_of=D2) == {
        "A": [("established", D1), ("severed", D2)]}
    assert uncertainty._by_state(["A", "A", "B"], kinds, [D1, D2, D3], as_of=D3) == {
        "A": [("established", D1), ("severed", D2)], "B": [("established", D3)]}


def test_a_reading_must_keep_each_states_events_in_order_but_not_across_states():
    assert uncertainty._keeps_order(["A", "A"], (D2, D1)) is False
    assert uncertainty._keeps_order(["A", "B"], (D2, D1)) is True
    assert uncertainty._keeps_order(["A", "A", "B"], (D2, D1, D3)) is False
    assert uncertainty._keeps_order(["A", "B", "B"], (D3, D1, D2)) is True
    assert uncertainty._keeps_order(["A", "A"], (D1, D1)) is True  # two events on the same day keep their order


def test_a_year_precision_event_is_read_on_its_first_day_too(dataset):
    """Cuba 'established 1960': the pipeline counts it from 31 December, a reading from 1 January."""
    low, high = band(dataset, [date(1960, 6, 30)])
    assert (low.tolist(), high.tolist()) == ([2], [3])
    assert low.dtype == np.int64 and high.dtype == np.int64


def test_a_suspension_is_read_as_breaking_relations_from_its_first_possible_day(dataset):
    """Australia 'suspended 1975-10': on 15 October it may already be suspended (low) or not yet (high)."""
    low, high = band(dataset, [date(1975, 10, 15)])
    assert (int(low[0]), int(high[0])) == (3, 4)  # USSR, Czechoslovakia, Cuba; Australia in the high only


def test_a_suspension_dated_to_the_day_still_widens_the_band(tmp_path):
    """Every date is certain, but a suspension may be counted as in force: the family is not 'certain'."""
    data = load_with(tmp_path, {("AUS", "established"): ("1974-07-31", "day"), ("AUS", "suspended"): ("1975-10-15", "day"),
                                ("AUS", "restored"): ("2000-05-10", "day")})
    low, high = band(data, [date(1980, 12, 31)])
    assert (int(low[0]), int(high[0])) == (3, 4)


def test_an_uncertain_family_keeps_its_dissolution_and_its_continuing_successor(tmp_path):
    """USSR and Czechoslovakia established 'in 1948': their families are read event by event, and still the
    USSR ends on 25 December 1991 and Russia carries its relations on; Czechoslovakia ends in 1992."""
    data = load_with(tmp_path, {("SUHH", "established"): ("1948", "year"), ("CSHH", "established"): ("1948", "year")})
    low, high = band(data, [date(1948, 6, 30), date(1995, 12, 31)])
    # 1995: Russia, Czechia, Slovakia, Cuba, Chile; Australia (suspended 1975-2000) in the high only
    assert (low.tolist(), high.tolist()) == ([0, 5], [2, 6])


def test_a_reading_out_of_order_is_skipped_and_the_next_readings_still_count(tmp_path):
    """Chile established '1970-03' and severed '1970': reading the break on 1 January with the
    establishment in March is impossible and skipped, but establishment 1 March, break 31 December is read."""
    data = load_with(tmp_path, {("CHL", "established"): ("1970-03", "month"), ("CHL", "severed"): ("1970", "year")})
    low, high = band(data, [date(1970, 3, 15)])
    assert (int(low[0]), int(high[0])) == (3, 4)  # USSR, Czechoslovakia, Cuba; Chile in the high only
