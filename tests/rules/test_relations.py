"""Edge cases of the spells of relations (rules.relations): cut-off days, successions, day numbers.

Expected values are worked out by hand from conftest's EVENTS / STATES / SUCCESSIONS or the tuples here."""

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dprk_relations.rules import relations
from dprk_relations.rules.relations import (
    FAR_FUTURE,
    SPELL_COLUMNS,
    build_spells,
    in_force_on,
    included_events,
    ordinal,
    ordinals,
    spells_of,
    state_ends,
    states_in_force,
    pack_readings,
    stocks_of_readings,
    stock_on,
)
from tests.core.test_dates import DAYS


def stock(dataset, day, as_of=date(2023, 10, 1)):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, as_of)
    return int(stock_on(spells, [day])[0])


def test_stock_at_year_ends_worked_by_hand(dataset):
    # 1948: USSR, Czechoslovakia. 1960: + Cuba. 1970: + Chile. 1973: Chile severed.
    # 1974: + Australia. 1975: Australia suspended. 1991: USSR -> Russia (continued).
    # 1992: Chile restored. 1993: Czechoslovakia -> Czechia + Slovakia. 2000: Australia restored.
    expected = {1948: 2, 1959: 2, 1960: 3, 1970: 4, 1973: 3, 1974: 4, 1975: 3, 1991: 3, 1992: 4, 1993: 5, 2000: 6}
    assert {y: stock(dataset, date(y, 12, 31)) for y in expected} == expected


def test_continuation_counts_the_successor_once_and_never_both(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, date(2023, 10, 1))
    russia = spells[spells["iso3"] == "RUS"].iloc[0]
    ussr = spells[spells["iso3"] == "SUHH"].iloc[0]
    assert russia["start_reason"] == "continued"
    assert ussr["end_reason"] == "dissolved"
    assert russia["start"] == ussr["end"] == date(1991, 12, 26)
    for day in (date(1991, 12, 25), date(1991, 12, 26)):
        assert stock(dataset, day) == 3


def test_a_year_precision_event_counts_from_its_last_possible_day(dataset):
    # Cuba "1960": not yet on 30 June 1960, counted on 31 December 1960.
    assert stock(dataset, date(1960, 6, 30)) == 2
    assert stock(dataset, date(1960, 12, 31)) == 3


def test_events_after_the_cut_off_are_left_out(dataset):
    as_of = date(2000, 5, 15)  # Australia's restoration, "2000-05", may not have happened yet
    kept, left = included_events(dataset.events, as_of)
    assert list(left["iso3"]) == ["AUS"]
    spells = build_spells(dataset.events, dataset.states, dataset.successions, as_of)
    assert int(stock_on(spells, [as_of])[0]) == 5


def test_counting_suspensions_as_maintained_is_a_switch(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, date(2023, 10, 1), count_suspended=True)
    assert int(stock_on(spells, [date(1980, 12, 31)])[0]) == 4  # Australia kept during its suspension


AS_OF = date(2023, 10, 1)


def spells(dataset, as_of=AS_OF) -> pd.DataFrame:
    return build_spells(dataset.events, dataset.states, dataset.successions, as_of)


def test_spells_of_the_fixture_worked_by_hand(dataset):
    frame = spells(dataset)
    assert list(frame.columns) == SPELL_COLUMNS
    assert list(frame.index) == list(range(10))
    assert frame.values.tolist() == [
        ["AUS", date(1974, 7, 31), date(1975, 10, 31), "established", "suspended"],
        ["AUS", date(2000, 5, 31), None, "restored", "ongoing"],
        ["CHL", date(1970, 11, 16), date(1973, 12, 31), "established", "severed"],
        ["CHL", date(1992, 9, 25), None, "restored", "ongoing"],
        ["CSHH", date(1948, 10, 21), date(1993, 1, 1), "established", "dissolved"],
        ["CUB", date(1960, 12, 31), None, "established", "ongoing"],
        ["CZE", date(1993, 1, 1), None, "established", "ongoing"],
        ["RUS", date(1991, 12, 26), None, "continued", "ongoing"],
        ["SUHH", date(1948, 10, 12), date(1991, 12, 26), "established", "dissolved"],
        ["SVK", date(1993, 1, 1), None, "established", "ongoing"],
    ]


def test_a_state_on_its_last_day_of_existence_is_not_yet_dissolved(dataset):
    """Cut-off on the USSR's last day (25 December 1991): its spell is still ongoing, Russia has none yet."""
    frame = spells(dataset, date(1991, 12, 25))
    ussr = frame[frame["iso3"] == "SUHH"]
    assert ussr[["start", "end", "start_reason", "end_reason"]].values.tolist() == [
        [date(1948, 10, 12), None, "established", "ongoing"]]
    assert "RUS" not in set(frame["iso3"])


def test_a_continuation_starting_on_the_cut_off_day_is_counted(dataset):
    frame = spells(dataset, date(1991, 12, 26))
    assert frame[frame["iso3"] == "SUHH"][["end", "end_reason"]].values.tolist() == [[date(1991, 12, 26), "dissolved"]]
    assert frame[frame["iso3"] == "RUS"][["start", "end", "start_reason", "end_reason"]].values.tolist() == [
        [date(1991, 12, 26), None, "continued", "ongoing"]]


def test_state_ends_leaves_out_states_without_a_last_day():
    states = pd.DataFrame({"iso3": ["SUHH", "RUS", "XNA", "XNT"],
                           "existed_to_latest": [date(1991, 12, 25), None, np.nan, pd.NaT]}, dtype=object)
    assert state_ends(states) == {"SUHH": date(1991, 12, 25)}


def test_existence_is_read_at_its_widest_and_an_unknown_bound_is_no_bound():
    """README, "A state's first day": the one reading of existence (race, band, ingest's check)."""
    states = pd.DataFrame({"iso3": ["SYC", "SUHH", "FRA", "XNA"],
                           "existed_from_earliest": [date(1976, 6, 1), None, None, pd.NaT],
                           "existed_from_latest": [date(1976, 6, 30), None, None, pd.NaT],
                           "existed_to_earliest": [None, date(1991, 12, 25), None, np.nan],
                           "existed_to_latest": [None, date(1991, 12, 25), None, np.nan]}, dtype=object)
    first, last = relations.existence_days(states, ["SUHH", "SYC", "ZZZ", "FRA", "XNA", "SYC"])
    day = relations.ordinal
    assert first.tolist() == [relations.FAR_PAST, day(date(1976, 6, 1)), relations.FAR_PAST, relations.FAR_PAST,
                              relations.FAR_PAST, day(date(1976, 6, 1))]  # a month's first day; ZZZ: not in the table
    assert last.tolist() == [day(date(1991, 12, 25)), FAR_FUTURE, FAR_FUTURE, FAR_FUTURE, FAR_FUTURE, FAR_FUTURE]
    assert relations.date_of(first[1]) == date(1976, 6, 1) and relations.date_of(last[0]) == date(1991, 12, 25)


def test_a_successor_takes_over_the_day_after_the_predecessor_s_last_day():
    """Even when the succession is dated earlier than the predecessor's last day, no day counts twice."""
    got = spells_of({"SUHH": [("established", date(1948, 10, 12))]}, {"SUHH": date(1991, 12, 25)},
                    {"RUS": ("SUHH", date(1991, 12, 20))}, AS_OF)
    assert got == [("SUHH", date(1948, 10, 12), date(1991, 12, 26), "established", "dissolved"),
                   ("RUS", date(1991, 12, 26), None, "continued", "ongoing")]


def test_a_continuation_of_a_predecessor_without_a_last_day_starts_on_the_succession_day():
    """The successor (listed first alphabetically) continues relations still open at its predecessor."""
    got = spells_of({"PRE": [("established", date(1950, 1, 1))]}, {}, {"AAA": ("PRE", date(1960, 1, 1))}, AS_OF)
    assert sorted(got) == [("AAA", date(1960, 1, 1), None, "continued", "ongoing"),
                           ("PRE", date(1950, 1, 1), None, "established", "ongoing")]


def test_a_successor_inherits_nothing_from_a_predecessor_whose_relations_had_ended():
    got = spells_of({"PRE": [("established", date(1950, 1, 1)), ("severed", date(1960, 1, 1))]},
                    {"PRE": date(1991, 12, 25)}, {"SUC": ("PRE", date(1991, 12, 26))}, AS_OF)
    assert got == [("PRE", date(1950, 1, 1), date(1960, 1, 1), "established", "severed")]


def test_a_successor_inherits_nothing_before_its_first_day():
    """The predecessor is still in force at the cut-off (its last day is after it): no continuation yet."""
    got = spells_of({"PRE": [("established", date(1950, 1, 1))]}, {"PRE": date(2030, 1, 1)},
                    {"SUC": ("PRE", date(2030, 1, 2))}, AS_OF)
    assert got == [("PRE", date(1950, 1, 1), None, "established", "ongoing")]


def test_stocks_of_readings_count_a_spell_from_its_first_day_to_the_day_before_its_end_reading_by_reading():
    first = [("A", date(2000, 1, 1), date(2000, 1, 10), "established", "severed"),
             ("B", date(2000, 1, 5), None, "established", "ongoing")]
    second = [("A", date(2000, 1, 9), None, "established", "ongoing")]
    days = ordinals([date(1999, 12, 31), date(2000, 1, 1), date(2000, 1, 5), date(2000, 1, 9), date(2000, 1, 10)])
    # a reading with no spell in force counts none, wherever it falls among the others
    got = stocks_of_readings(*pack_readings([[], first, [], second, []]), days)
    assert got.tolist() == [[0] * 5, [0, 1, 2, 2, 1], [0] * 5, [0, 0, 0, 1, 1], [0] * 5]


def test_in_force_on_keeps_the_spells_index_and_states_in_force_lists_codes(dataset):
    frame = spells(dataset).set_index(pd.Index(range(100, 110)))
    mask = in_force_on(frame, date(1975, 10, 30))
    assert list(mask.index) == list(range(100, 110))
    assert frame.loc[mask, "iso3"].tolist() == ["AUS", "CSHH", "CUB", "SUHH"]
    # Australia's suspension ("1975-10") takes effect on 31 October 1975
    assert states_in_force(frame, date(1975, 10, 30)) == ["AUS", "CSHH", "CUB", "SUHH"]
    assert states_in_force(frame, date(1975, 10, 31)) == ["CSHH", "CUB", "SUHH"]
    assert states_in_force(frame, date(2023, 1, 1)) == ["AUS", "CHL", "CUB", "CZE", "RUS", "SVK"]
    assert states_in_force(frame, date(1948, 10, 11)) == []


def test_ordinals_turn_missing_dates_into_the_far_future_as_integers():
    out = ordinals([None, pd.NaT, date(1970, 1, 2)])
    assert out.dtype == np.int64
    assert out.tolist() == [FAR_FUTURE, FAR_FUTURE, 1]


def test_ordinal_is_a_day_number_even_for_a_datetime():
    assert ordinal(date(1970, 1, 1)) == 0
    assert ordinal(datetime(1970, 1, 2, 12, 30)) == 1
    assert isinstance(ordinal(date(2000, 1, 1)), int)


# --- properties, on random spells and events (Hypothesis; the profile of tests/conftest.py) -------------

spell = st.tuples(DAYS, st.one_of(st.none(), st.integers(1, 20000))).map(
    lambda t: (t[0], None if t[1] is None else t[0] + timedelta(days=t[1])))


@given(st.lists(spell, max_size=30), st.lists(DAYS, min_size=1, max_size=10))
def test_the_fast_stock_is_the_count_of_spells_in_force(spells, days):
    frame = pd.DataFrame([(f"S{i}", s, e) for i, (s, e) in enumerate(spells)], columns=["iso3", "start", "end"])
    fast = relations.stock_on(frame, days)
    for day, n in zip(days, fast):
        assert n == int(relations.in_force_on(frame, day).sum())
        assert n == sum(s <= day and (e is None or day < e) for s, e in spells)


@given(DAYS, st.integers(1, 5000))
def test_a_spell_is_in_force_on_its_first_day_and_not_on_its_end_day(start, length):
    end = start + timedelta(days=length)
    frame = pd.DataFrame({"iso3": ["X"], "start": [start], "end": [end]})
    assert relations.in_force_on(frame, start).all() and relations.in_force_on(frame, end - timedelta(days=1)).all()
    assert not relations.in_force_on(frame, end).any() and not relations.in_force_on(frame, start - timedelta(days=1)).any()


def _sequence(draw_days, kinds):
    """A valid sequence of events for one state: the state machine decides what may come next."""
    status, events = relations.NONE, []
    for day, wish in zip(draw_days, kinds):
        allowed = [k for k in relations.ALLOWED_FROM if status in relations.ALLOWED_FROM[k]]
        kind = allowed[wish % len(allowed)]
        events.append((kind, day))
        status = relations.STATUS_AFTER[kind]
    return events


@given(st.lists(DAYS, min_size=1, max_size=8, unique=True).map(sorted), st.lists(st.integers(0, 3), min_size=8, max_size=8),
       st.lists(DAYS, min_size=1, max_size=8))
def test_spells_follow_the_last_event_on_or_before_each_day(event_days, kinds, probes):
    events = _sequence(event_days, kinds)
    frame = pd.DataFrame({"iso3": "X", "state": "X", "event": [k for k, _ in events], "date_latest": [d for _, d in events],
                          "order_date": [d for _, d in events], "line": range(2, 2 + len(events))})
    states = pd.DataFrame({"iso3": ["X"], "existed_to_latest": [None]})
    successions = pd.DataFrame(columns=["predecessor", "successor", "kind", "date_earliest"])
    as_of = date(2030, 12, 31)
    spells = relations.build_spells(frame, states, successions, as_of)
    for day in probes:
        before = [k for k, d in events if d <= day]
        expected = bool(before) and relations.STATUS_AFTER[before[-1]] == relations.IN_FORCE
        assert int(relations.stock_on(spells, [day])[0]) == int(expected), (events, day)
