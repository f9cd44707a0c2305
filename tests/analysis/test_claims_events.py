"""The checks on events and the states they concern (claims_events), on the hand-built fixture of conftest.py.

A check's whole Result is compared with one worked out by hand from conftest.EVENTS and GROUPS
(own_reading_ctx); claims_ctx is the context as the pipeline builds it."""
from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis.claims_context import Result
from dprk_relations.analysis.claims_events import (duration_years, event_year, events_before_outside, first_among,
                                                   group_event_years, group_members_among_events, last_event,
                                                   membership_year, states_without_relations)

from tests.conftest import AUS_EST, CHL_EST, CHL_RES, CSHH_EST, CUB_EST, CZE_EST, SRC, SUHH_EST, SVK_EST


def windowed(events: pd.DataFrame, iso3: str, kind: str, earliest: str, latest: str, last_day: date) -> pd.DataFrame:
    """The events with one of them turned into an undated window (as ingest reads precision 'window')."""
    events = events.copy()
    i = events.index[(events["iso3"] == iso3) & (events["event"] == kind)][0]
    events.loc[i, ["date", "precision", "earliest", "latest"]] = ["", "window", earliest, latest]
    events.at[i, "date_latest"] = last_day
    events.at[i, "year"] = last_day.year
    return events


# --- as the pipeline checks -----------------------------------------------------------------------

def test_event_year_and_membership_year(claims_ctx):
    assert event_year(claims_ctx, ["CUB", "CHL", "FRA"], "established", "2023-10-01").value == {"CUB": 1960, "CHL": 1970, "FRA": None}
    assert membership_year(claims_ctx, "WHO").value == 1973
    assert membership_year(claims_ctx, "FAO").value is None


def test_states_without_relations_by_list_and_group(claims_ctx):
    assert states_without_relations(claims_ctx, "2023-10-01", states=["FRA", "CUB"]).value == ["FRA"]
    assert states_without_relations(claims_ctx, "2023-10-01", group="EU").value == ["FRA"]


def test_group_event_years_lists_members_outside_the_period(claims_ctx):
    # EU members on 2023-10-01: Czechia and Slovakia (1993, inside 1991-1994) and France (never)
    assert group_event_years(claims_ctx, "EU", "established", "2023-10-01", 1991, 1994).value == ["FRA"]
    assert group_event_years(claims_ctx, "EU", "established", "2023-10-01", 1994, 2000).value == ["CZE", "FRA", "SVK"]


def test_first_last_and_duration(claims_ctx):
    assert first_among(claims_ctx, "established", 1990, 1999, "Europe", "2023-10-01").value in {"CZE", "SVK"}
    assert last_event(claims_ctx, "established", "2023-10-01").value == "SVK"


def test_with_no_dated_event_of_the_kind_there_is_no_last_one_and_the_check_says_so(claims_ctx):
    assert last_event(claims_ctx, "severed", "1960-01-01") == Result(None, ["no dated severed event by 1960-01-01"])
    assert duration_years(claims_ctx, "CHL", "established", "severed", "2023-10-01").value == 3.1


def test_events_before_outside(claims_ctx):
    assert events_before_outside(claims_ctx, "established", 1961, ["SUHH", "CSHH"], "2023-10-01").value == ["CUB"]


# --- years of events, whole results ---------------------------------------------------------------

def test_event_year_goes_on_past_a_state_with_no_event_and_has_no_alternative_without_alt_dates(own_reading_ctx):
    assert event_year(own_reading_ctx, ["FRA", "CUB"], "established", "2023-10-01") == Result(
        {"FRA": None, "CUB": 1960}, ["FRA: no 'established' event in the data", CUB_EST])


def test_event_year_of_an_undated_window_is_none_with_its_bounds_as_evidence(own_reading_ctx):
    events = windowed(own_reading_ctx.events, "CUB", "established", "1959", "1961", date(1961, 12, 31))
    wctx = dataclasses.replace(own_reading_ctx, events=events)
    assert event_year(wctx, ["CUB"], "established", "2023-10-01") == Result(
        {"CUB": None}, [f"CUB: established undated, between 1959 and 1961 ({SRC['source']})"])


def test_event_year_gives_the_other_sources_dates_as_the_alternative(own_reading_ctx):
    events = own_reading_ctx.events.copy()
    cub = events.index[(events["iso3"] == "CUB") & (events["event"] == "established")][0]
    chl = events.index[(events["iso3"] == "CHL") & (events["event"] == "established")][0]
    events.loc[cub, ["alt_date", "alt_precision", "alt_source"]] = ["1961-01", "month", "Announcement, p. 2"]
    events.loc[chl, ["alt_date", "alt_precision", "alt_source"]] = ["1971", "year", "Memoir, p. 3"]
    actx = dataclasses.replace(own_reading_ctx, events=events)
    assert event_year(actx, ["CUB", "CHL"], "established", "2023-10-01") == Result(
        {"CUB": 1960, "CHL": 1970},
        [CUB_EST, "CUB: another source gives 1961-01 (Announcement, p. 2)",
         CHL_EST, "CHL: another source gives 1971 (Memoir, p. 3)"],
        alternative={"CUB": 1961, "CHL": 1971},
        alternative_reading="CUB 1961-01 (Announcement, p. 2); CHL 1971 (Memoir, p. 3)")


def test_membership_year_cites_the_row_or_says_there_is_no_date(own_reading_ctx):
    ctx = own_reading_ctx
    assert membership_year(ctx, "UN") == Result(1991, [f"UN joined 1991-09-17 (dprk_memberships.csv line 2; {SRC['source']})"])
    assert membership_year(ctx, "FAO") == Result(None, ["FAO: no joining date in dprk_memberships.csv"])
    memberships = ctx.memberships.copy()
    memberships.loc[memberships["acronym"] == "WHO", "joined"] = ""
    assert membership_year(dataclasses.replace(ctx, memberships=memberships), "WHO") == Result(
        None, ["WHO: no joining date in dprk_memberships.csv"])


def test_duration_years_counts_julian_years_between_the_first_events(own_reading_ctx):
    # 1970-11-16 to 1992-09-25: 7984 days, 21.86 years of 365.25 days
    assert duration_years(own_reading_ctx, "CHL", "established", "restored", "2023-10-01") == Result(21.9, [CHL_EST, CHL_RES])


def test_duration_years_is_none_when_either_event_is_missing(own_reading_ctx):
    missing = Result(None, ["CUB: missing established or severed event"])
    assert duration_years(own_reading_ctx, "CUB", "established", "severed", "2023-10-01") == missing
    assert duration_years(own_reading_ctx, "CUB", "severed", "established", "2023-10-01") == Result(
        None, ["CUB: missing severed or established event"])


def test_events_before_a_year_leave_that_year_out(own_reading_ctx):
    assert events_before_outside(own_reading_ctx, "established", 1960, ["SUHH"], "2023-10-01") == Result(["CSHH"], [CSHH_EST])
    assert events_before_outside(own_reading_ctx, "established", 1961, ["SUHH"], "2023-10-01") == Result(
        ["CSHH", "CUB"], [CSHH_EST, CUB_EST])


# --- states and groups ------------------------------------------------------------------------------

def test_states_without_relations_lists_the_missing_with_evidence_and_counts_the_pool(own_reading_ctx):
    ctx = own_reading_ctx
    assert states_without_relations(ctx, "2023-10-01", states=["FRA", "CUB"]) == Result(
        ["FRA"], ["FRA: no relation in force at any time up to 2023-10-01"], "1 of 2 have had relations")
    # listed states and the EU's members on the day (CZE, FRA, SVK) together
    assert states_without_relations(ctx, "2023-10-01", states=["CUB"], group="EU") == Result(
        ["FRA"], ["FRA: no relation in force at any time up to 2023-10-01"], "3 of 4 have had relations")
    assert states_without_relations(ctx, "1960-12-31", states=["CUB"]) == Result([], [], "1 of 1 have had relations")
    assert states_without_relations(ctx, "1960-12-30", states=["CUB"]).value == ["CUB"]


def test_group_event_years_counts_both_ends_of_the_period(own_reading_ctx):
    assert group_event_years(own_reading_ctx, "EU", "established", "2023-10-01", 1993, 1993) == Result(
        ["FRA"], ["CZE: relations from 1993", "FRA: never", "SVK: relations from 1993"], "2 of 3 in 1993-1993")


@pytest.fixture
def gctx(own_reading_ctx):
    """A made-up group G: the USSR joins on the day of its establishment, Czechoslovakia the day after
    its own, Cuba (America) in 1950, Czechia in 1990; Slovakia is a member only until the end of 1992."""
    groups = pd.DataFrame([
        dict(group="G", iso3="SUHH", joined_latest=date(1948, 10, 12), left_earliest=None),
        dict(group="G", iso3="CSHH", joined_latest=date(1948, 10, 22), left_earliest=None),
        dict(group="G", iso3="CUB", joined_latest=date(1950, 1, 1), left_earliest=None),
        dict(group="G", iso3="CZE", joined_latest=date(1990, 1, 1), left_earliest=None),
        dict(group="G", iso3="SVK", joined_latest=date(1990, 1, 1), left_earliest=date(1992, 12, 31)),
    ])
    return dataclasses.replace(own_reading_ctx, groups=groups)


def test_group_members_among_events_keeps_members_on_the_event_day_of_the_continent_and_period(gctx):
    assert group_members_among_events(gctx, "G", "established", 1948, 1960, "Europe", "2023-10-01") == Result(
        ["SUHH"], [SUHH_EST], "2 established events in Europe 1948-1960, 1 by G members")
    # Czechia was a member on 1993-01-01, Slovakia no longer; evidence in the order of the state codes
    assert group_members_among_events(gctx, "G", "established", 1948, 1993, "Europe", "2023-10-01") == Result(
        ["CZE", "SUHH"], [CZE_EST, SUHH_EST], "4 established events in Europe 1948-1993, 2 by G members")
    assert group_members_among_events(gctx, "G", "established", 1960, 1960, "America", "2023-10-01") == Result(
        ["CUB"], [CUB_EST], "1 established events in America 1960-1960, 1 by G members")
    assert group_members_among_events(gctx, "G", "severed", 1948, 2023, "Europe", "2023-10-01") == Result(
        [], [], "0 severed events in Europe 1948-2023, 0 by G members")


def test_group_members_among_events_counts_only_events_certainly_by_the_day(gctx):
    assert group_members_among_events(gctx, "G", "established", 1948, 1993, "Europe", "1992-12-31").value == ["SUHH"]


# --- first and last ---------------------------------------------------------------------------------

def test_first_among_takes_the_earliest_then_the_first_code(own_reading_ctx):
    assert first_among(own_reading_ctx, "established", 1990, 1999, "Europe", "2023-10-01") == Result("CZE", [CZE_EST, SVK_EST])
    assert first_among(own_reading_ctx, "established", 1990, 1999, "Africa", "2023-10-01") == Result(
        None, ["no established event in Africa 1990-1999"])


def test_last_event_cites_the_last_three_dated_events(own_reading_ctx):
    assert last_event(own_reading_ctx, "established", "2023-10-01") == Result("SVK", [AUS_EST, CZE_EST, SVK_EST])


def test_last_event_leaves_undated_events_out_of_the_order_and_names_them(own_reading_ctx):
    events = windowed(own_reading_ctx.events, "CUB", "established", "1990", "1995", date(1995, 12, 31))
    events = windowed(events, "SUHH", "established", "1948", "1950", date(1950, 12, 31))
    wctx = dataclasses.replace(own_reading_ctx, events=events)
    assert last_event(wctx, "established", "2023-10-01") == Result(
        "SVK", [AUS_EST, CZE_EST, SVK_EST, "not ordered, date unknown: CUB, SUHH"])
