"""Yearly counts on tiny hand-built tables: flows, the stock, ever established and UN membership,
with the boundary days (a spell starting or ending on the measuring day, a state joining or leaving
the UN in the year)."""
from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.analysis import counts

AS_OF = date(1952, 6, 30)


def states_table(rows):
    """iso3, un_member_from, un_member_to (years, None when missing) as the ingest types them (Int64)."""
    frame = pd.DataFrame(rows, columns=["iso3", "un_member_from", "un_member_to"])
    for col in ("un_member_from", "un_member_to"):
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    return frame


STATES = states_table([
    ("A", 1945, None),   # spell starts on 31 December 1950, the year's measuring day
    ("B", 1945, None),   # spell ends on 31 December 1951 (the day relations ended: not in force that day)
    ("C", 1945, 1951),   # left the UN in 1951: still a member at the end of 1951
    ("D", None, None),   # never a UN member
    ("E", 1952, None),   # joined the UN in 1952, no relations
])
SPELLS = pd.DataFrame([
    ("A", date(1950, 12, 31), None, "established", "ongoing"),
    ("B", date(1948, 1, 1), date(1951, 12, 31), "established", "severed"),
    ("C", date(1949, 1, 1), None, "established", "ongoing"),
    ("D", date(1949, 6, 1), None, "restored", "ongoing"),
], columns=["iso3", "start", "end", "start_reason", "end_reason"])
# only two kinds of event ever happen, in different years; one is after the cut-off
EVENTS = pd.DataFrame([
    dict(iso3="A", event="established", year=1950, date_latest=date(1950, 12, 31)),
    dict(iso3="B", event="severed", year=1952, date_latest=date(1952, 6, 30)),
    dict(iso3="E", event="established", year=1952, date_latest=date(1952, 12, 31)),
])
BASE_COLUMNS = ["year", "measured_on", "established", "suspended", "severed", "restored", "maintaining",
                "ever_established", "un_members", "un_members_maintaining", "share_of_un_members",
                "in_established", "in_restored", "in_continued", "out_severed", "out_suspended", "out_state_ended"]


def table(band=None):
    return counts.yearly_counts(EVENTS, SPELLS, STATES, AS_OF, 1950, band=band)


def test_a_state_admitted_in_the_year_counts_as_a_member_that_year_and_one_leaving_still_does():
    members = lambda year: dict(zip(STATES["iso3"], counts.un_members_on(STATES, year).tolist()))
    assert members(1950) == dict(A=True, B=True, C=True, D=False, E=False)
    assert members(1951) == dict(A=True, B=True, C=True, D=False, E=False)
    assert members(1952) == dict(A=True, B=True, C=False, D=False, E=True)
    assert members(1944) == dict(A=False, B=False, C=False, D=False, E=False)


def test_measuring_days_are_year_ends_and_the_cut_off_in_its_year():
    assert counts.measuring_days(1950, AS_OF) == [date(1950, 12, 31), date(1951, 12, 31), date(1952, 6, 30)]
    assert counts.year_end(1951, AS_OF) == date(1951, 12, 31)
    assert counts.year_end(1952, AS_OF) == AS_OF


def test_columns_come_in_order_and_the_band_adds_low_and_high_after_the_stock():
    assert list(table().columns) == BASE_COLUMNS
    t = table(band=(np.array([1, 2, 3]), np.array([5, 6, 7])))
    assert list(t.columns) == BASE_COLUMNS[:7] + ["maintaining_low", "maintaining_high"] + BASE_COLUMNS[7:]
    assert t["maintaining_low"].tolist() == [1, 2, 3]
    assert t["maintaining_high"].tolist() == [5, 6, 7]
    assert t["measured_on"].tolist() == ["1950-12-31", "1951-12-31", "1952-06-30"]


def test_flows_are_integers_with_zero_for_kinds_and_years_without_events():
    """A kind that never happens still gets a column of zeros; a year without events gets zeros, not NaN."""
    t = table()
    assert t["year"].tolist() == [1950, 1951, 1952]
    assert t["established"].tolist() == [1, 0, 0]  # E's 1952 establishment ends after the cut-off
    assert t["severed"].tolist() == [0, 0, 1]
    assert t["suspended"].tolist() == [0, 0, 0]
    assert t["restored"].tolist() == [0, 0, 0]
    for kind in counts.EVENT_KINDS:
        assert t[kind].dtype == np.int64


def test_the_stock_counts_a_spell_from_its_first_day_and_not_on_its_end_day():
    t = table()
    assert t["maintaining"].tolist() == [4, 3, 3]  # B's relations ended on 31 December 1951


def test_a_state_whose_relations_begin_on_the_measuring_day_is_ever_established_that_year():
    assert table()["ever_established"].tolist() == [4, 4, 4]


def test_un_members_counts_a_state_leaving_in_the_year_as_a_member_that_year():
    assert table()["un_members"].tolist() == [3, 3, 3]  # 1951 includes C (left 1951); 1952 adds E


def test_un_members_maintaining_follows_the_spell_and_membership_boundaries():
    t = table()
    # 1950: A (from the measuring day), B, C; 1951: A, C (B ended that day, C left the UN that year); 1952: A
    assert t["un_members_maintaining"].tolist() == [3, 2, 1]
    assert t["share_of_un_members"].tolist() == [1.0, round(2 / 3, 4), round(1 / 3, 4)]
