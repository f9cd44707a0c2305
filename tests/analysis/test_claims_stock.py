"""The checks on the stock and on counts of events (claims_stock), on the hand-built fixture of conftest.py.

A check's whole Result is compared with one worked out by hand from conftest.EVENTS (own_reading_ctx); the
sources' readings (claims_ctx, readings_ctx) add the lowest and highest value."""
from __future__ import annotations

from dprk_relations.analysis.claims_context import Result
from dprk_relations.analysis.claims_stock import (count_events, ever_established_at, period_ratio, ratio_of_stock,
                                                  share_of_un_members_at, stock_at)

from tests.conftest import CSHH_EST, CUB_EST, SUHH_EST


# --- under the sources' readings, as the pipeline checks ------------------------------------------

def test_stock_and_ever_established(claims_ctx):
    assert stock_at(claims_ctx, "1993-12-31").value == 5
    assert ever_established_at(claims_ctx, "2000-12-31").value == 8
    # existing states only: the USSR and Czechoslovakia drop out
    assert ever_established_at(claims_ctx, "2000-12-31", existing_only=True).value == 6


def test_share_and_ratio(claims_ctx):
    assert share_of_un_members_at(claims_ctx, "1948-12-31").value == round(2 / 6, 4)
    assert ratio_of_stock(claims_ctx, "1959-12-31", "1970-12-31").value == 2.0  # 2 -> 4


def test_count_events_with_evidence(claims_ctx):
    result = count_events(claims_ctx, "established", 1948, 1960, "2023-10-01")
    assert result.value == 3
    assert any("CUB established 1960" in e for e in result.evidence)


def test_period_ratio(claims_ctx):
    assert period_ratio(claims_ctx, "established", [1948, 1969], [1990, 1999], "2023-10-01").value == round(2 / 3, 2)


def test_a_count_of_events_carries_the_range_of_the_readings(readings_ctx):
    result = count_events(readings_ctx, "established", 1959, 1965, "2023-10-01")
    assert (result.value, result.low, result.high) == (1, 0, 1)  # Cuba: 1960 here, 1958 in the other source


def test_a_stock_carries_the_band_and_a_suspension_read_both_ways(readings_ctx):
    result = stock_at(readings_ctx, "1976-12-31")
    # the USSR, Czechoslovakia and Cuba; Australia's suspension (October 1975) read as in force too
    assert (result.value, result.low, result.high) == (3, 3, 4)


def test_a_ratio_of_stocks_is_bounded_by_the_extremes_of_both_stocks(readings_ctx):
    """The lowest ratio is the later day's lowest stock over the earlier day's highest, the highest the other
    way round. On 1959-12-31: 2 (the USSR, Czechoslovakia), 3 when Cuba's 1958 reading is taken; on
    1993-12-31: 5 (Cuba, Chile, Russia, Czechia, Slovakia), 6 with Australia's suspension read as in force."""
    result = ratio_of_stock(readings_ctx, "1959-12-31", "1993-12-31")
    assert (result.value, result.low, result.high) == (2.5, 1.67, 3.0)  # 5/2; 5/3 rounded; 6/2
    assert result.detail == "2 on 1959-12-31, 5 on 1993-12-31"
    # from a day with no state in force: no ratio, and no range either
    empty = ratio_of_stock(readings_ctx, "1948-01-01", "1993-12-31")
    assert (empty.value, empty.low, empty.high) == (None, None, None)


def test_a_ratio_of_periods_is_bounded_by_the_extremes_of_both_counts(readings_ctx):
    """Establishments in 1948-1959: 2 (3 with Cuba's 1958 reading); in 1960-1993: 5 (4 without Cuba)."""
    result = period_ratio(readings_ctx, "established", [1948, 1959], [1960, 1993], "2023-10-01")
    assert (result.value, result.low, result.high) == (2.5, 1.33, 2.5)  # 5/2; 4/3 rounded; 5/2
    # an earlier period that some reading leaves empty (Cuba's 1960 is its only event): the ratio, no range
    unbounded = period_ratio(readings_ctx, "established", [1959, 1965], [1970, 1993], "2023-10-01")
    assert (unbounded.value, unbounded.low, unbounded.high) == (4.0, None, None)
    # an earlier period empty in the pipeline's reading: no ratio at all
    none = period_ratio(readings_ctx, "established", [1957, 1959], [1960, 1993], "2023-10-01")
    assert (none.value, none.low, none.high) == (None, None, None)


# --- under the pipeline's own reading, whole results ----------------------------------------------

def test_stock_at_says_how_many_states_and_on_which_day(own_reading_ctx):
    assert stock_at(own_reading_ctx, "1993-12-31") == Result(5, detail="5 states maintaining relations on 1993-12-31")


def test_ever_established_names_its_restrictions_in_the_detail(own_reading_ctx):
    ctx = own_reading_ctx
    by_2000 = "states had established relations by 2000-12-31"
    assert ever_established_at(ctx, "2000-12-31") == Result(8, detail=f"8 {by_2000}")
    assert ever_established_at(ctx, "2000-12-31", existing_only=True) == Result(
        6, detail=f"6 {by_2000} (states existing on that day)")
    # the USSR and Czechoslovakia are of kind 'dissolved'; no state is an observer
    assert ever_established_at(ctx, "2000-12-31", exclude_kinds=["dissolved", "observer"]) == Result(
        6, detail=f"6 {by_2000} (without kinds dissolved, observer)")
    assert ever_established_at(ctx, "2000-12-31", existing_only=True, exclude_kinds=["dissolved", "observer"]) == Result(
        6, detail=f"6 {by_2000} (states existing on that day, without kinds dissolved, observer)")
    assert ever_established_at(ctx, "1993-12-31", exclude_kinds=["un_member"]).value == 2


def test_a_state_still_exists_on_its_last_day(own_reading_ctx):
    """The USSR existed to 1991-12-25: on that day it still counts among existing states."""
    assert ever_established_at(own_reading_ctx, "1991-12-25", existing_only=True).value == 5
    # the next day Russia has begun and the USSR is gone
    assert ever_established_at(own_reading_ctx, "1991-12-26", existing_only=True).value == 5
    assert ever_established_at(own_reading_ctx, "1991-12-26").value == 6


def test_share_of_un_members_gives_the_counts_behind_it(own_reading_ctx):
    # UN members at the end of 1948: USSR, Czechoslovakia, Cuba, Chile, Australia, France; in force: the first two
    assert share_of_un_members_at(own_reading_ctx, "1948-12-31") == Result(0.3333, detail="2 of 6 UN members other than the DPRK")


def test_count_events_cites_each_event_in_date_order(own_reading_ctx):
    assert count_events(own_reading_ctx, "established", 1948, 1960, "2023-10-01") == Result(
        3, [SUHH_EST, CSHH_EST, CUB_EST], "3 established events 1948-1960")


def test_ratio_of_stock_is_rounded_to_two_decimals_and_none_from_zero(own_reading_ctx):
    ctx = own_reading_ctx
    assert ratio_of_stock(ctx, "1961-01-01", "1971-01-01") == Result(1.33, detail="3 on 1961-01-01, 4 on 1971-01-01")
    assert ratio_of_stock(ctx, "1959-12-31", "1993-12-31").value == 2.5
    assert ratio_of_stock(ctx, "1948-01-01", "1950-01-01") == Result(None, detail="0 on 1948-01-01, 2 on 1950-01-01")


def test_period_ratio_gives_both_counts_and_none_when_the_earlier_period_is_empty(own_reading_ctx):
    assert period_ratio(own_reading_ctx, "established", [1948, 1959], [1970, 1993], "2023-10-01") == Result(
        2.0, detail="2 in 1948-1959, 4 in 1970-1993")
    assert period_ratio(own_reading_ctx, "established", [1949, 1959], [1960, 1960], "2023-10-01") == Result(
        None, detail="0 in 1949-1959, 1 in 1960-1960")
