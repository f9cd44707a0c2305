"""Property-based tests (Hypothesis) for the day arithmetic every count rests on: partial dates, the
"in force on a day" rule and its fast count, the spells a sequence of events makes, group membership."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_relations.core import dates
from dprk_relations.rules import relations
from dprk_relations.analysis import counts, waves

DAYS = st.dates(min_value=date(1948, 9, 9), max_value=date(2030, 12, 31))
settings.register_profile("project", max_examples=200, deadline=None, derandomize=True, database=None)  # the same cases every run; nothing written
settings.load_profile("project")


@given(DAYS, st.sampled_from(dates.PRECISIONS))
def test_a_partial_date_bounds_the_day_it_was_written_from(day, precision):
    text = day.isoformat()[: {"day": 10, "month": 7, "year": 4}[precision]]
    parsed = dates.parse_partial(text, precision)
    assert parsed.earliest <= day <= parsed.latest
    assert parsed.earliest.isoformat().startswith(text) and parsed.latest.isoformat().startswith(text)
    # the bounds are tight: the day before the earliest and after the latest are written otherwise
    assert not (parsed.earliest - timedelta(days=1)).isoformat().startswith(text)
    assert not (parsed.latest + timedelta(days=1)).isoformat().startswith(text)


@given(st.integers(1948, 2030), st.integers(13, 99))
def test_a_month_out_of_range_is_refused(year, month):
    try:
        dates.parse_partial(f"{year}-{month:02d}", "month")
    except ValueError as exc:
        assert f"month {month:02d}" in str(exc)
    else:
        raise AssertionError("accepted")


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


@given(DAYS, st.one_of(st.none(), st.integers(0, 20000)), DAYS)
def test_membership_includes_the_joining_day_and_the_last_day(joined, length, day):
    left = None if length is None else joined + timedelta(days=length)
    groups = pd.DataFrame({"group": ["G"], "iso3": ["X"], "joined_latest": [joined], "left_earliest": [left]})
    member = waves.group_members_on(groups, "G", day) == ["X"]
    assert member == (joined <= day and (left is None or day <= left))


@given(st.integers(1948, 2030), st.integers(1, 12), st.integers(1, 28))
def test_a_year_is_measured_on_its_last_day_or_the_cut_off(year, month, day):
    as_of = date(year, month, day)
    assert counts.year_end(year, as_of) == as_of
    assert counts.year_end(year - 1, as_of) == date(year - 1, 12, 31)
    assert counts.measuring_days(year - 1, as_of) == [date(year - 1, 12, 31), as_of]
    assert np.all(np.diff([d.toordinal() for d in counts.measuring_days(1948, as_of)]) > 0)
