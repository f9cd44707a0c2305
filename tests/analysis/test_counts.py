"""Yearly counts on tiny hand-built tables: flows, the stock, ever established and UN membership,
with the boundary days (a spell starting or ending on the measuring day, a state joining or leaving
the UN in the year)."""

from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dprk_relations.analysis import counts
from dprk_relations.analysis.counts import yearly_counts
from dprk_relations.rules.relations import build_spells


def table(dataset, as_of=date(2023, 10, 1)):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, as_of)
    return yearly_counts(dataset.events, spells, dataset.states, as_of, 1948).set_index("year")


def test_flows_per_year(dataset):
    t = table(dataset)
    assert t.loc[1948, "established"] == 2
    assert t.loc[1973, "severed"] == 1
    assert t.loc[1975, "suspended"] == 1
    assert t.loc[1992, "restored"] == 1
    assert t.loc[1993, "established"] == 2
    assert t.loc[2000, "restored"] == 1
    assert t["established"].sum() == 7


def test_ever_established_counts_successors_and_dissolved_states(dataset):
    t = table(dataset)
    assert t.loc[1948, "ever_established"] == 2
    assert t.loc[1991, "ever_established"] == 6  # USSR, CS, Cuba, Chile, Australia, Russia
    assert t.loc[1993, "ever_established"] == 8  # + Czechia, Slovakia


def test_un_members_and_share(dataset):
    t = table(dataset)
    # 1948: Cuba, Chile, Australia, France, USSR, Czechoslovakia; with relations: USSR, CS.
    assert (t.loc[1948, "un_members"], t.loc[1948, "un_members_maintaining"]) == (6, 2)
    assert t.loc[1948, "share_of_un_members"] == round(2 / 6, 4)
    # 1993: Cuba, Chile, Australia, France, Russia, Czechia, Slovakia; Australia suspended.
    assert (t.loc[1993, "un_members"], t.loc[1993, "un_members_maintaining"]) == (7, 5)


def test_last_row_is_measured_on_the_cut_off(dataset):
    t = table(dataset, as_of=date(2016, 8, 1))
    assert t.index.max() == 2016
    assert t.loc[2016, "measured_on"] == "2016-08-01"


def _identity_breaks(table, spells, first_year):
    """Years whose stock is not the year before's plus that year's flows (each kind in its own column)."""
    from dprk_relations.analysis.counts import INFLOWS, OUTFLOWS
    from dprk_relations.rules.relations import stock_on

    before = int(stock_on(spells, [date(first_year - 1, 12, 31)])[0])
    breaks = []
    for row in table.itertuples():
        flows = sum(int(getattr(row, c)) for c in INFLOWS) - sum(int(getattr(row, c)) for c in OUTFLOWS)
        if int(row.maintaining) != before + flows:
            breaks.append(int(row.year))
        before = int(row.maintaining)
    return breaks


def test_every_years_stock_is_the_year_before_plus_its_flows_on_the_fixture(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, date(2023, 10, 1))
    table = yearly_counts(dataset.events, spells, dataset.states, date(2023, 10, 1), 1948)
    assert _identity_breaks(table, spells, 1948) == []
    by_year = table.set_index("year")
    # worked by hand: Chile breaks in 1973; Australia suspends in October 1975; the USSR's relations pass to
    # Russia in 1991 (one spell ends, another opens the next day); Czechoslovakia ends at 1992's end and its
    # successors open theirs on 1 January 1993
    assert by_year.loc[1973, "out_severed"] == 1 and by_year.loc[1975, "out_suspended"] == 1
    assert (by_year.loc[1991, "out_state_ended"], by_year.loc[1991, "in_continued"]) == (1, 1)
    assert (by_year.loc[1993, "out_state_ended"], by_year.loc[1993, "in_established"]) == (1, 2)
    assert (by_year.loc[1992, "in_restored"], by_year.loc[2000, "in_restored"]) == (1, 1)
    # a table that starts later carries the stock in from the day before its first year
    later = yearly_counts(dataset.events, spells, dataset.states, date(2023, 10, 1), 1976)
    assert _identity_breaks(later, spells, 1976) == []


def test_every_years_stock_is_the_year_before_plus_its_flows_in_the_real_data():
    """Issue 18: 1977, 1990, 1991 and 1993 used not to add up from the events' columns alone."""
    from dprk_relations.core import paths
    from dprk_relations.data import store

    table = store.read_table(paths.DATA_PROCESSED, "yearly_counts")
    spells = store.read_table(paths.DATA_PROCESSED, "spells")
    assert len(table) == 2023 - 1948 + 1
    assert _identity_breaks(table, spells, 1948) == []


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


def table_of_cases(band=None):
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
    assert list(table_of_cases().columns) == BASE_COLUMNS
    t = table_of_cases(band=(np.array([1, 2, 3]), np.array([5, 6, 7])))
    assert list(t.columns) == BASE_COLUMNS[:7] + ["maintaining_low", "maintaining_high"] + BASE_COLUMNS[7:]
    assert t["maintaining_low"].tolist() == [1, 2, 3]
    assert t["maintaining_high"].tolist() == [5, 6, 7]
    assert t["measured_on"].tolist() == ["1950-12-31", "1951-12-31", "1952-06-30"]


def test_flows_are_integers_with_zero_for_kinds_and_years_without_events():
    """A kind that never happens still gets a column of zeros; a year without events gets zeros, not NaN."""
    t = table_of_cases()
    assert t["year"].tolist() == [1950, 1951, 1952]
    assert t["established"].tolist() == [1, 0, 0]  # E's 1952 establishment ends after the cut-off
    assert t["severed"].tolist() == [0, 0, 1]
    assert t["suspended"].tolist() == [0, 0, 0]
    assert t["restored"].tolist() == [0, 0, 0]
    for kind in counts.EVENT_KINDS:
        assert t[kind].dtype == np.int64


def test_the_stock_counts_a_spell_from_its_first_day_and_not_on_its_end_day():
    t = table_of_cases()
    assert t["maintaining"].tolist() == [4, 3, 3]  # B's relations ended on 31 December 1951


def test_a_state_whose_relations_begin_on_the_measuring_day_is_ever_established_that_year():
    assert table_of_cases()["ever_established"].tolist() == [4, 4, 4]


def test_un_members_counts_a_state_leaving_in_the_year_as_a_member_that_year():
    assert table_of_cases()["un_members"].tolist() == [3, 3, 3]  # 1951 includes C (left 1951); 1952 adds E


def test_un_members_maintaining_follows_the_spell_and_membership_boundaries():
    t = table_of_cases()
    # 1950: A (from the measuring day), B, C; 1951: A, C (B ended that day, C left the UN that year); 1952: A
    assert t["un_members_maintaining"].tolist() == [3, 2, 1]
    assert t["share_of_un_members"].tolist() == [1.0, round(2 / 3, 4), round(1 / 3, 4)]


# --- properties, on random cut-offs (Hypothesis; the profile of tests/conftest.py) ----------------------

@given(st.integers(1948, 2030), st.integers(1, 12), st.integers(1, 28))
def test_a_year_is_measured_on_its_last_day_or_the_cut_off(year, month, day):
    as_of = date(year, month, day)
    assert counts.year_end(year, as_of) == as_of
    assert counts.year_end(year - 1, as_of) == date(year - 1, 12, 31)
    assert counts.measuring_days(year - 1, as_of) == [date(year - 1, 12, 31), as_of]
    assert np.all(np.diff([d.toordinal() for d in counts.measuring_days(1948, as_of)]) > 0)
