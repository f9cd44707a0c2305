"""The claim checks, one rule at a time, on the tiny hand-built fixtures of conftest.py.

Each check's whole Result (value, evidence, detail, alternative) is compared with one worked out by hand
from conftest.EVENTS, ACTS, MISSIONS and GROUPS. Event lines in events.csv: SUHH established 2,
CSHH established 3, CUB established 4, CHL established 5, CHL severed 6, AUS established 7,
AUS suspended 8, CHL restored 9, CZE established 10, SVK established 11, AUS restored 12.
Spells: SUHH 1948-10-12..1991-12-26, CSHH 1948-10-21..1993-01-01, CUB from 1960-12-31,
CHL 1970-11-16..1973-12-31 and from 1992-09-25, AUS 1974-07-31..1975-10-31 and from 2000-05-31,
RUS from 1991-12-26, CZE and SVK from 1993-01-01.
"""
import dataclasses
import importlib.util
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dprk_relations.analysis import claims
from dprk_relations.data import ingest
from dprk_relations.rules.relations import build_spells

SRC = "Fixture source, p. 1"
AS_OF = date(2023, 10, 1)


def cite(iso3, event, when, line):
    return f"{iso3} {event} {when} (events.csv line {line}; {SRC})"


SUHH_EST = cite("SUHH", "established", "1948-10-12", 2)
CSHH_EST = cite("CSHH", "established", "1948-10-21", 3)
CUB_EST = cite("CUB", "established", "1960", 4)
CHL_EST = cite("CHL", "established", "1970-11-16", 5)
CHL_SEV = cite("CHL", "severed", "1973", 6)
AUS_EST = cite("AUS", "established", "1974-07-31", 7)
AUS_SUS = cite("AUS", "suspended", "1975-10", 8)
CHL_RES = cite("CHL", "restored", "1992-09-25", 9)
CZE_EST = cite("CZE", "established", "1993-01-01", 10)
SVK_EST = cite("SVK", "established", "1993-01-01", 11)
CUB_EXPELLED = f"CUB ambassador_expelled 2017-09-07 (acts.csv line 3; {SRC})"
LIST_1974 = f"list fixture-1974-12 (1974-12; mission_snapshots.csv line 2; {SRC})"
CANBERRA_OUT = f"AUS Canberra embassy taken out: embassy_closed 1975-10-01..1975-10-31 ({SRC})"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    """Built once: the checks only read the context, and a test that changes a table makes a new one.
    conftest.py's build_raw is loaded by path: `import conftest` finds the project's root conftest.py."""
    spec = importlib.util.spec_from_file_location("claims_checks_fixture", Path(__file__).with_name("conftest.py"))
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    dataset = ingest.load(fixtures.build_raw(tmp_path_factory.mktemp("claims") / "raw"))
    spells = build_spells(dataset.events, dataset.states, dataset.successions, AS_OF)
    context = claims.Context.from_dataset(dataset, spells, AS_OF)
    # the pipeline's own reading only: the sources' other readings are tested apart (test_claims_readings.py)
    context.sources = context.successions = None
    return context


def windowed(events: pd.DataFrame, iso3: str, kind: str, earliest: str, latest: str, last_day: date) -> pd.DataFrame:
    """The events with one of them turned into an undated window (as ingest reads precision 'window')."""
    events = events.copy()
    i = events.index[(events["iso3"] == iso3) & (events["event"] == kind)][0]
    events.loc[i, ["date", "precision", "earliest", "latest"]] = ["", "window", earliest, latest]
    events.at[i, "date_latest"] = last_day
    events.at[i, "year"] = last_day.year
    return events


def act_row(ctx, **fields) -> pd.DataFrame:
    base = ctx.acts.iloc[[0]].copy()
    for name, value in fields.items():
        base[name] = [value]
    return base


# --- the context -----------------------------------------------------------------------------------

def test_an_event_on_the_day_itself_is_certainly_by_that_day(ctx):
    assert list(ctx.events_until(date(1970, 11, 16))["line"]) == [2, 3, 4, 5]
    assert list(ctx.events_until(date(1970, 11, 15))["line"]) == [2, 3, 4]
    assert claims.count_events(ctx, "established", 1970, 1970, "1970-11-16").value == 1
    assert claims.count_events(ctx, "established", 1970, 1970, "1970-11-15").value == 0


def test_a_state_has_had_relations_from_the_first_day_of_its_first_spell(ctx):
    assert ctx.had_relations_by(date(1960, 12, 31)) == {"SUHH", "CSHH", "CUB"}
    assert ctx.had_relations_by(date(1960, 12, 30)) == {"SUHH", "CSHH"}


# --- stock and counts ------------------------------------------------------------------------------

def test_stock_at_says_how_many_states_and_on_which_day(ctx):
    assert claims.stock_at(ctx, "1993-12-31") == claims.Result(5, detail="5 states maintaining relations on 1993-12-31")


def test_ever_established_names_its_restrictions_in_the_detail(ctx):
    by_2000 = "states had established relations by 2000-12-31"
    assert claims.ever_established_at(ctx, "2000-12-31") == claims.Result(8, detail=f"8 {by_2000}")
    assert claims.ever_established_at(ctx, "2000-12-31", existing_only=True) == claims.Result(
        6, detail=f"6 {by_2000} (states existing on that day)")
    # the USSR and Czechoslovakia are of kind 'dissolved'; no state is an observer
    assert claims.ever_established_at(ctx, "2000-12-31", exclude_kinds=["dissolved", "observer"]) == claims.Result(
        6, detail=f"6 {by_2000} (without kinds dissolved, observer)")
    assert claims.ever_established_at(ctx, "2000-12-31", existing_only=True, exclude_kinds=["dissolved", "observer"]) == claims.Result(
        6, detail=f"6 {by_2000} (states existing on that day, without kinds dissolved, observer)")
    assert claims.ever_established_at(ctx, "1993-12-31", exclude_kinds=["un_member"]).value == 2


def test_a_state_still_exists_on_its_last_day(ctx):
    """The USSR existed to 1991-12-25: on that day it still counts among existing states."""
    assert claims.ever_established_at(ctx, "1991-12-25", existing_only=True).value == 5
    # the next day Russia has begun and the USSR is gone
    assert claims.ever_established_at(ctx, "1991-12-26", existing_only=True).value == 5
    assert claims.ever_established_at(ctx, "1991-12-26").value == 6


def test_share_of_un_members_gives_the_counts_behind_it(ctx):
    # UN members at the end of 1948: USSR, Czechoslovakia, Cuba, Chile, Australia, France; in force: the first two
    assert claims.share_of_un_members_at(ctx, "1948-12-31") == claims.Result(0.3333, detail="2 of 6 UN members other than the DPRK")


def test_count_events_cites_each_event_in_date_order(ctx):
    assert claims.count_events(ctx, "established", 1948, 1960, "2023-10-01") == claims.Result(
        3, [SUHH_EST, CSHH_EST, CUB_EST], "3 established events 1948-1960")


def test_ratio_of_stock_is_rounded_to_two_decimals_and_none_from_zero(ctx):
    assert claims.ratio_of_stock(ctx, "1961-01-01", "1971-01-01") == claims.Result(1.33, detail="3 on 1961-01-01, 4 on 1971-01-01")
    assert claims.ratio_of_stock(ctx, "1959-12-31", "1993-12-31").value == 2.5
    assert claims.ratio_of_stock(ctx, "1948-01-01", "1950-01-01") == claims.Result(None, detail="0 on 1948-01-01, 2 on 1950-01-01")


def test_period_ratio_gives_both_counts_and_none_when_the_earlier_period_is_empty(ctx):
    assert claims.period_ratio(ctx, "established", [1948, 1959], [1970, 1993], "2023-10-01") == claims.Result(
        2.0, detail="2 in 1948-1959, 4 in 1970-1993")
    assert claims.period_ratio(ctx, "established", [1949, 1959], [1960, 1960], "2023-10-01") == claims.Result(
        None, detail="0 in 1949-1959, 1 in 1960-1960")


# --- years of events --------------------------------------------------------------------------------

def test_event_year_goes_on_past_a_state_with_no_event_and_has_no_alternative_without_alt_dates(ctx):
    assert claims.event_year(ctx, ["FRA", "CUB"], "established", "2023-10-01") == claims.Result(
        {"FRA": None, "CUB": 1960}, ["FRA: no 'established' event in the data", CUB_EST])


def test_event_year_of_an_undated_window_is_none_with_its_bounds_as_evidence(ctx):
    events = windowed(ctx.events, "CUB", "established", "1959", "1961", date(1961, 12, 31))
    wctx = dataclasses.replace(ctx, events=events)
    assert claims.event_year(wctx, ["CUB"], "established", "2023-10-01") == claims.Result(
        {"CUB": None}, [f"CUB: established undated, between 1959 and 1961 ({SRC})"])


def test_event_year_gives_the_other_sources_dates_as_the_alternative(ctx):
    events = ctx.events.copy()
    cub = events.index[(events["iso3"] == "CUB") & (events["event"] == "established")][0]
    chl = events.index[(events["iso3"] == "CHL") & (events["event"] == "established")][0]
    events.loc[cub, ["alt_date", "alt_precision", "alt_source"]] = ["1961-01", "month", "Announcement, p. 2"]
    events.loc[chl, ["alt_date", "alt_precision", "alt_source"]] = ["1971", "year", "Memoir, p. 3"]
    actx = dataclasses.replace(ctx, events=events)
    assert claims.event_year(actx, ["CUB", "CHL"], "established", "2023-10-01") == claims.Result(
        {"CUB": 1960, "CHL": 1970},
        [CUB_EST, "CUB: another source gives 1961-01 (Announcement, p. 2)",
         CHL_EST, "CHL: another source gives 1971 (Memoir, p. 3)"],
        alternative={"CUB": 1961, "CHL": 1971},
        alternative_reading="CUB 1961-01 (Announcement, p. 2); CHL 1971 (Memoir, p. 3)")


def test_membership_year_cites_the_row_or_says_there_is_no_date(ctx):
    assert claims.membership_year(ctx, "UN") == claims.Result(
        1991, [f"UN joined 1991-09-17 (dprk_memberships.csv line 2; {SRC})"])
    assert claims.membership_year(ctx, "FAO") == claims.Result(None, ["FAO: no joining date in dprk_memberships.csv"])
    memberships = ctx.memberships.copy()
    memberships.loc[memberships["acronym"] == "WHO", "joined"] = ""
    assert claims.membership_year(dataclasses.replace(ctx, memberships=memberships), "WHO") == claims.Result(
        None, ["WHO: no joining date in dprk_memberships.csv"])


def test_duration_years_counts_julian_years_between_the_first_events(ctx):
    # 1970-11-16 to 1992-09-25: 7984 days, 21.86 years of 365.25 days
    assert claims.duration_years(ctx, "CHL", "established", "restored", "2023-10-01") == claims.Result(21.9, [CHL_EST, CHL_RES])


def test_duration_years_is_none_when_either_event_is_missing(ctx):
    missing = claims.Result(None, ["CUB: missing established or severed event"])
    assert claims.duration_years(ctx, "CUB", "established", "severed", "2023-10-01") == missing
    assert claims.duration_years(ctx, "CUB", "severed", "established", "2023-10-01") == claims.Result(
        None, ["CUB: missing severed or established event"])


def test_events_before_a_year_leave_that_year_out(ctx):
    assert claims.events_before_outside(ctx, "established", 1960, ["SUHH"], "2023-10-01") == claims.Result(["CSHH"], [CSHH_EST])
    assert claims.events_before_outside(ctx, "established", 1961, ["SUHH"], "2023-10-01") == claims.Result(
        ["CSHH", "CUB"], [CSHH_EST, CUB_EST])


# --- states and groups ------------------------------------------------------------------------------

def test_states_without_relations_lists_the_missing_with_evidence_and_counts_the_pool(ctx):
    assert claims.states_without_relations(ctx, "2023-10-01", states=["FRA", "CUB"]) == claims.Result(
        ["FRA"], ["FRA: no relation in force at any time up to 2023-10-01"], "1 of 2 have had relations")
    # listed states and the EU's members on the day (CZE, FRA, SVK) together
    assert claims.states_without_relations(ctx, "2023-10-01", states=["CUB"], group="EU") == claims.Result(
        ["FRA"], ["FRA: no relation in force at any time up to 2023-10-01"], "3 of 4 have had relations")
    assert claims.states_without_relations(ctx, "1960-12-31", states=["CUB"]) == claims.Result([], [], "1 of 1 have had relations")
    assert claims.states_without_relations(ctx, "1960-12-30", states=["CUB"]).value == ["CUB"]


def test_group_event_years_counts_both_ends_of_the_period(ctx):
    assert claims.group_event_years(ctx, "EU", "established", "2023-10-01", 1993, 1993) == claims.Result(
        ["FRA"], ["CZE: relations from 1993", "FRA: never", "SVK: relations from 1993"], "2 of 3 in 1993-1993")


@pytest.fixture
def gctx(ctx):
    """A made-up group G: the USSR joins on the day of its establishment, Czechoslovakia the day after
    its own, Cuba (America) in 1950, Czechia in 1990; Slovakia is a member only until the end of 1992."""
    groups = pd.DataFrame([
        dict(group="G", iso3="SUHH", joined_latest=date(1948, 10, 12), left_earliest=None),
        dict(group="G", iso3="CSHH", joined_latest=date(1948, 10, 22), left_earliest=None),
        dict(group="G", iso3="CUB", joined_latest=date(1950, 1, 1), left_earliest=None),
        dict(group="G", iso3="CZE", joined_latest=date(1990, 1, 1), left_earliest=None),
        dict(group="G", iso3="SVK", joined_latest=date(1990, 1, 1), left_earliest=date(1992, 12, 31)),
    ])
    return dataclasses.replace(ctx, groups=groups)


def test_group_members_among_events_keeps_members_on_the_event_day_of_the_continent_and_period(gctx):
    assert claims.group_members_among_events(gctx, "G", "established", 1948, 1960, "Europe", "2023-10-01") == claims.Result(
        ["SUHH"], [SUHH_EST], "2 established events in Europe 1948-1960, 1 by G members")
    # Czechia was a member on 1993-01-01, Slovakia no longer; evidence in the order of the state codes
    assert claims.group_members_among_events(gctx, "G", "established", 1948, 1993, "Europe", "2023-10-01") == claims.Result(
        ["CZE", "SUHH"], [CZE_EST, SUHH_EST], "4 established events in Europe 1948-1993, 2 by G members")
    assert claims.group_members_among_events(gctx, "G", "established", 1960, 1960, "America", "2023-10-01") == claims.Result(
        ["CUB"], [CUB_EST], "1 established events in America 1960-1960, 1 by G members")
    assert claims.group_members_among_events(gctx, "G", "severed", 1948, 2023, "Europe", "2023-10-01") == claims.Result(
        [], [], "0 severed events in Europe 1948-2023, 0 by G members")


def test_group_members_among_events_counts_only_events_certainly_by_the_day(gctx):
    assert claims.group_members_among_events(gctx, "G", "established", 1948, 1993, "Europe", "1992-12-31").value == ["SUHH"]


# --- first and last ---------------------------------------------------------------------------------

def test_first_among_takes_the_earliest_then_the_first_code(ctx):
    assert claims.first_among(ctx, "established", 1990, 1999, "Europe", "2023-10-01") == claims.Result("CZE", [CZE_EST, SVK_EST])
    assert claims.first_among(ctx, "established", 1990, 1999, "Africa", "2023-10-01") == claims.Result(
        None, ["no established event in Africa 1990-1999"])


def test_last_event_cites_the_last_three_dated_events(ctx):
    assert claims.last_event(ctx, "established", "2023-10-01") == claims.Result("SVK", [AUS_EST, CZE_EST, SVK_EST])


def test_last_event_leaves_undated_events_out_of_the_order_and_names_them(ctx):
    events = windowed(ctx.events, "CUB", "established", "1990", "1995", date(1995, 12, 31))
    events = windowed(events, "SUHH", "established", "1948", "1950", date(1950, 12, 31))
    wctx = dataclasses.replace(ctx, events=events)
    assert claims.last_event(wctx, "established", "2023-10-01") == claims.Result(
        "SVK", [AUS_EST, CZE_EST, SVK_EST, "not ordered, date unknown: CUB, SUHH"])


# --- acts --------------------------------------------------------------------------------------------

def test_a_check_on_acts_needs_a_context_built_from_the_dataset(ctx):
    bare = claims.Context(ctx.events, ctx.spells, ctx.states, ctx.groups, ctx.memberships, AS_OF)
    with pytest.raises(ValueError) as err:
        claims.acts_missing(bare, "ambassador_expelled", ["CUB"], 2017, 2017, "2023-10-01")
    assert str(err.value) == "this check reads acts.csv: build the Context with Context.from_dataset"
    with pytest.raises(ValueError) as err:
        claims.missions_count(bare, "dprk_abroad", ["embassy"], "1974-12-15")
    assert str(err.value) == "this check reads missions.csv: build the Context with Context.from_dataset"


def test_acts_missing_gives_evidence_for_found_and_missing_and_the_count(ctx):
    assert claims.acts_missing(ctx, "ambassador_expelled", ["CUB", "CHL"], 2017, 2017, "2023-10-01") == claims.Result(
        ["CHL"], [CUB_EXPELLED, "CHL: no 'ambassador_expelled' act by the partner in 2017-2017 in acts.csv"],
        "1 of 2 with a 'ambassador_expelled' act in 2017-2017")


def test_acts_are_selected_by_row_whatever_the_order_of_the_table(ctx):
    """The year mask is aligned on the acts' own index, not on their position."""
    shuffled = dataclasses.replace(ctx, acts=ctx.acts.iloc[[2, 0, 1]])
    assert claims.acts_missing(shuffled, "ambassador_expelled", ["CUB", "CHL"], 2017, 2017, "2023-10-01").value == ["CHL"]
    assert claims.states_with_acts(shuffled, ["economic_ties_suspended"], ["CUB", "CHL"], 1973, 1973, "2023-10-01").value == ["CHL"]


def test_an_act_told_twice_is_cited_once(ctx):
    second = act_row(ctx, line=5, iso3="CUB", state="Cuba", actor="partner", kind="ambassador_expelled", mission="", city="",
                     date="2017-09-07", precision="day", citation="Second source, p. 9",
                     date_earliest=date(2017, 9, 7), date_latest=date(2017, 9, 7))
    dctx = dataclasses.replace(ctx, acts=pd.concat([ctx.acts, second], ignore_index=True))
    assert claims.acts_missing(dctx, "ambassador_expelled", ["CUB"], 2017, 2017, "2023-10-01") == claims.Result(
        [], [CUB_EXPELLED], "1 of 1 with a 'ambassador_expelled' act in 2017-2017")
    assert claims.states_with_acts(dctx, ["ambassador_expelled"], ["CUB"], 2017, 2017, "2023-10-01") == claims.Result(
        ["CUB"], [CUB_EXPELLED], "1 of 1 with such an act in 2017-2017")


def test_states_with_acts_says_so_when_none_has_one(ctx):
    # Australia's embassy was closed by the DPRK, not by the partner
    assert claims.states_with_acts(ctx, ["embassy_closed", "economic_ties_suspended"], ["CUB", "AUS"], 1948, 2023, "2023-10-01") == claims.Result(
        [], ["none of CUB, AUS with an act of embassy_closed, economic_ties_suspended in acts.csv"], "0 of 2 with such an act in 1948-2023")
    assert claims.states_with_acts(ctx, ["economic_ties_suspended"], ["CUB", "CHL"], 1948, 2023, "2023-10-01") == claims.Result(
        ["CHL"], [f"CHL economic_ties_suspended 1973 (acts.csv line 4; {SRC})"], "1 of 2 with such an act in 1948-2023")


def test_act_year_goes_on_past_a_state_without_the_act(ctx):
    assert claims.act_year(ctx, ["CHL", "CUB"], "ambassador_expelled", "2023-10-01") == claims.Result(
        {"CHL": None, "CUB": 2017}, ["CHL: no 'ambassador_expelled' act by the partner in acts.csv", CUB_EXPELLED])


def test_act_year_counts_acts_from_1948(ctx):
    early = act_row(ctx, line=5, iso3="CSHH", state="Czechoslovakia", actor="partner", kind="ambassador_expelled", mission="",
                    city="", date="1948-12", precision="month", date_earliest=date(1948, 12, 1), date_latest=date(1948, 12, 31))
    ectx = dataclasses.replace(ctx, acts=pd.concat([ctx.acts, early], ignore_index=True))
    assert claims.act_year(ectx, ["CSHH"], "ambassador_expelled", "2023-10-01") == claims.Result(
        {"CSHH": 1948}, [f"CSHH ambassador_expelled 1948-12 (acts.csv line 5; {SRC})"])


def test_breaks_among_cites_the_breaks_and_whether_relations_are_in_force_on_the_day(ctx):
    assert claims.breaks_among(ctx, ["CUB", "CHL", "AUS"], 1970, 1979, "1980-01-01") == claims.Result(
        ["AUS", "CHL"],
        [CHL_SEV, AUS_SUS, "CUB: relations in force on 1980-01-01", "CHL: no relations in force on 1980-01-01",
         "AUS: no relations in force on 1980-01-01"],
        "2 of 3 broke relations in 1970-1979")


# --- missions ----------------------------------------------------------------------------------------

@pytest.fixture
def mctx(ctx):
    """More lists and missions: two partial lists of the DPRK's missions (one stating a total, one not)
    listed before the complete one, a partial list of the other direction, and in December 1974 an embassy
    in Moscow, a consulate in Santiago de Cuba and a mission to the UN (not a state)."""
    snap = ctx.mission_snapshots.iloc[0]

    def snapshot(line, name, year, direction, total, scope):
        return {**snap.to_dict(), "line": line, "snapshot": name, "snapshot_date": str(year), "precision": "year",
                "direction": direction, "coverage": "partial", "stated_total": total, "stated_scope": scope,
                "snapshot_date_earliest": date(year, 1, 1), "snapshot_date_latest": date(year, 12, 31)}

    snapshots = pd.DataFrame([
        snapshot(3, "fixture-1980", 1980, "dprk_abroad", "5", "embassies named in a speech"),
        snap.to_dict(),
        snapshot(4, "fixture-1985", 1985, "dprk_abroad", None, "a partial list"),
        snapshot(5, "fixture-fip", 1980, "foreign_in_pyongyang", "7", "embassies in Pyongyang"),
    ])
    extra = pd.DataFrame([dict(line=5, snapshot="fixture-1974-12", iso3="SUHH", city="Moscow", kind="embassy", note=""),
                          dict(line=6, snapshot="fixture-1974-12", iso3="CUB", city="Santiago de Cuba", kind="consulate", note=""),
                          dict(line=7, snapshot="fixture-1974-12", iso3="UNO", city="New York", kind="permanent_mission", note="")])
    return dataclasses.replace(ctx, mission_snapshots=snapshots, missions=pd.concat([ctx.missions, extra], ignore_index=True))


def test_missions_count_counts_missions_or_states_holding_one(mctx):
    kinds = ["embassy", "consulate", "permanent_mission"]
    evidence = [LIST_1974, "fixture-1980 (1980, partial) states 5: embassies named in a speech"]
    # Havana, Santiago de Cuba, Canberra, Prague, Moscow, New York
    assert claims.missions_count(mctx, "dprk_abroad", kinds, "1974-12-15") == claims.Result(
        6, evidence, "6 embassy or consulate or permanent_mission (dprk_abroad) on 1974-12-15, from the list fixture-1974-12")
    # Cuba, Australia, Czechoslovakia, the USSR: the UN is not a state, Cuba counts once
    assert claims.missions_count(mctx, "dprk_abroad", kinds, "1974-12-15", count="states") == claims.Result(
        4, evidence, "4 states with embassy or consulate or permanent_mission (dprk_abroad) on 1974-12-15, from the list fixture-1974-12")


def test_a_list_stating_no_total_is_not_shown_beside_the_count_however_its_empty_cell_was_read(mctx):
    """ingest reads an empty stated_total as "", the processed table as NaN: neither is a total."""
    kinds = ["embassy"]
    for empty in ("", " ", float("nan"), None):
        snapshots = mctx.mission_snapshots.copy()
        snapshots.loc[snapshots["snapshot"] == "fixture-1985", "stated_total"] = empty
        found = claims.missions_count(dataclasses.replace(mctx, mission_snapshots=snapshots), "dprk_abroad", kinds, "1974-12-15")
        assert not [e for e in found.evidence if e.startswith("fixture-1985")], (empty, found.evidence)


def test_missions_count_names_the_dated_changes_it_applied(ctx):
    assert claims.missions_count(ctx, "dprk_abroad", ["embassy"], "1976-01-01") == claims.Result(
        2, [LIST_1974, CANBERRA_OUT], "2 embassy (dprk_abroad) on 1976-01-01, from the list fixture-1974-12 and 1 dated change(s)")


def test_missions_count_uses_only_lists_dated_by_not_after(ctx):
    assert claims.missions_count(ctx, "dprk_abroad", ["embassy"], "1976-01-01", not_after="1974-06-30") == claims.Result(
        None, ["no complete list of resident missions (dprk_abroad) dated by 1974-06-30"])
    assert claims.missions_count(ctx, "dprk_abroad", ["embassy"], "1976-01-01", not_after="1974-12-31").value == 2


def test_with_no_list_the_mission_checks_give_the_reason(ctx):
    no_list = claims.Result(None, ["no complete list of resident missions (foreign_in_pyongyang)"])
    assert claims.missions_missing(ctx, "foreign_in_pyongyang", [["CUB", "Havana", "embassy"]], "2019-12-31") == no_list
    assert claims.continents_without_missions(ctx, "foreign_in_pyongyang", "2019-12-31") == no_list


def test_missions_missing_names_the_absent_missions_and_counts_the_present(ctx, mctx):
    assert claims.missions_missing(ctx, "dprk_abroad", [["AUS", "Canberra", "embassy"]], "1976-01-01") == claims.Result(
        ["AUS Canberra embassy"], [LIST_1974, CANBERRA_OUT], "0 of 1 present on 1976-01-01")
    # the evidence names only the list used, not the other lists' stated totals
    assert claims.missions_missing(mctx, "dprk_abroad", [["CUB", "Havana", "embassy"], ["AUS", "Canberra", "embassy"]], "1974-12-15") == claims.Result(
        [], [LIST_1974], "2 of 2 present on 1974-12-15")


def test_continents_without_missions_lists_the_states_of_each_covered_continent(ctx, mctx):
    assert claims.continents_without_missions(ctx, "dprk_abroad", "1976-01-01") == claims.Result(
        ["Oceania"], [LIST_1974, CANBERRA_OUT, "America: CUB", "Europe: CSHH"], "missions in 2 of 3 continents on 1976-01-01")
    assert claims.continents_without_missions(mctx, "dprk_abroad", "1974-12-15") == claims.Result(
        [], [LIST_1974, "America: CUB", "Europe: CSHH, SUHH", "Oceania: AUS"], "missions in 3 of 3 continents on 1974-12-15")


# --- the register's rows -----------------------------------------------------------------------------

KNOWN = {"state": {"AUS", "CHL", "CUB"}, "event": {"established", "severed"}, "act": {"ambassador_expelled"},
         "mission": {"embassy"}, "direction": {"dprk_abroad"}, "actor": {"partner", "dprk"}, "continent": {"Europe"},
         "group": {"EU"}, "acronym": {"UN"}, "claim": {"c1"}}
ALL_CHECKS = ", ".join(sorted(set(claims.CHECKS) | {"consistent_with", "not_checkable"}))


def row(**kw):
    base = dict(check="stock_at", comparison="eq", arguments="{}", expected="5", tolerance="", claim_date="2023-10-01",
                subject_until="2023-10-01")
    return {**base, **{k: json.dumps(v) if k == "arguments" and not isinstance(v, str) else v for k, v in kw.items()}}


def test_each_argument_name_has_its_vocabulary():
    assert claims._vocabulary("event_year", "states") == "state"
    assert claims._vocabulary("duration_years", "state") == "state"
    assert [claims._vocabulary("duration_years", a) for a in ("kind", "from_kind", "to_kind")] == ["event"] * 3
    assert claims._vocabulary("act_year", "kind") == "act"
    assert claims._vocabulary("missions_count", "kinds") == "mission"
    assert claims._vocabulary("states_with_acts", "kinds") == "act"
    assert [claims._vocabulary("x", a) for a in ("direction", "actor", "continent", "group", "acronym", "claims")] == \
        ["direction", "actor", "continent", "group", "acronym", "claim"]
    assert claims._vocabulary("x", "start_year") is None


def test_known_values_are_listed_up_to_twelve_then_summarised():
    twelve = [f"v{i:02d}" for i in range(12)]
    assert claims._known({"x": set(twelve)}, "x") == ", ".join(twelve)
    thirteen = [f"v{i:02d}" for i in range(13)]
    assert claims._known({"x": set(thirteen)}, "x") == "13 values, e.g. v00, v01, v02, v03, v04"


def test_an_unknown_check_lists_the_known_ones_and_suggests_the_nearest():
    assert claims.row_problems(row(check="zzz_qqq"), KNOWN) == [("check", f"'zzz_qqq' is not a check; known: {ALL_CHECKS}")]
    assert claims.row_problems(row(check="stok_at"), KNOWN) == [
        ("check", f"'stok_at' is not a check (did you mean 'stock_at'?); known: {ALL_CHECKS}")]
    assert ALL_CHECKS.startswith("act_year, acts_missing, breaks_among, consistent_with, continents_without_missions")


def test_an_unknown_comparison_lists_the_known_ones():
    assert claims.row_problems(row(comparison="between"), KNOWN) == [
        ("comparison", "'between' is not one of all, approx, eq, ge, in_range, le, none, not_checkable")]


def test_each_json_field_that_does_not_parse_is_named():
    assert claims.row_problems(row(arguments="{", expected="[1,", tolerance="x"), KNOWN) == [
        ("arguments", "is not valid JSON (Expecting property name enclosed in double quotes at character 1): '{'"),
        ("expected", "is not valid JSON (Expecting value at character 3): '[1,'"),
        ("tolerance", "is not valid JSON (Expecting value at character 0): 'x'"),
        ("expected", "is empty; comparison 'eq' needs a value to compare with"),
    ]


def test_a_long_bad_value_is_quoted_to_sixty_characters():
    text = "{" + "a" * 80
    assert claims.row_problems(row(arguments=text), KNOWN) == [
        ("arguments", f"is not valid JSON (Expecting property name enclosed in double quotes at character 1): {text[:60]!r}")]
    listed = json.dumps(list(range(30)))
    assert claims.row_problems(row(arguments=listed), KNOWN) == [
        ("arguments", f"must be a JSON object of argument names and values, got {listed[:60]!r}")]


def test_an_expectation_is_needed_unless_the_row_is_not_checked():
    assert claims.row_problems(row(expected=""), KNOWN) == [("expected", "is empty; comparison 'eq' needs a value to compare with")]
    assert claims.row_problems(row(check="not_checkable", comparison="eq", expected="", arguments=""), KNOWN) == []
    assert claims.row_problems(row(comparison="not_checkable", expected="", arguments=""), KNOWN) == []
    assert claims.row_problems(row(comparison="none", expected="", arguments=""), KNOWN) == []
    assert claims.row_problems(row(check="consistent_with", comparison="eq", expected="", arguments={"claims": ["c1"]}), KNOWN) == []


def test_approx_needs_a_tolerance():
    assert claims.row_problems(row(comparison="approx"), KNOWN) == [("tolerance", "is empty; comparison 'approx' needs a tolerance")]
    assert claims.row_problems(row(comparison="approx", tolerance="2"), KNOWN) == []


def test_an_argument_the_check_does_not_take_is_named_with_what_it_takes():
    days = {"from_day": "1990-01-01", "to_day": "1991-01-01"}
    assert claims.row_problems(row(check="ratio_of_stock", arguments={**days, "zzz": 1}), KNOWN) == [
        ("arguments", "ratio_of_stock takes no argument 'zzz'; it takes from_day, to_day")]
    assert claims.row_problems(row(check="ratio_of_stock", arguments={"from_day": "1990-01-01", "to_dy": "1991-01-01"}), KNOWN) == [
        ("arguments", "ratio_of_stock takes no argument 'to_dy' (did you mean 'to_day'?); it takes from_day, to_day"),
        ("arguments", "ratio_of_stock needs the argument 'to_day'")]


def test_each_mission_is_a_known_state_a_city_and_a_known_kind():
    arguments = {"missions": [["CUB", "Havana"], ["XXX", "Paris", "palace"]], "direction": "nowhere", "day": "1990-01-01"}
    assert claims.row_problems(row(check="missions_missing", arguments=arguments, comparison="between"), KNOWN) == [
        ("comparison", "'between' is not one of all, approx, eq, ge, in_range, le, none, not_checkable"),
        ("arguments", "each of 'missions' must be [state code, city, kind], got ['CUB', 'Havana']"),
        ("arguments", "missions: 'XXX' is not a known state (AUS, CHL, CUB)"),
        ("arguments", "missions: 'palace' is not a known mission (embassy)"),
        ("arguments", "direction: 'nowhere' is not a known direction (dprk_abroad)"),
    ]


def test_a_vocabulary_not_given_is_not_checked():
    partial = {k: v for k, v in KNOWN.items() if k not in ("mission", "group")}
    arguments = {"missions": [["CUB", "Havana", "palace"]], "direction": "dprk_abroad"}
    assert claims.row_problems(row(check="missions_missing", arguments=arguments), partial) == []
    assert claims.row_problems(row(check="states_without_relations", arguments={"group": "NOPE"}), partial) == []


def test_every_date_argument_must_be_a_date():
    assert claims.row_problems(row(check="ratio_of_stock", arguments={"from_day": "1990-13-01", "to_day": "1991-02-30"}), KNOWN) == [
        ("arguments", "from_day: '1990-13-01' is not a date YYYY-MM-DD"),
        ("arguments", "to_day: '1991-02-30' is not a date YYYY-MM-DD")]
    not_after = {"direction": "dprk_abroad", "kinds": ["embassy"], "not_after": "soon"}
    assert claims.row_problems(row(check="missions_count", arguments=not_after), KNOWN) == [
        ("arguments", "not_after: 'soon' is not a date YYYY-MM-DD")]
    assert claims.row_problems(row(arguments={"day": None}), KNOWN) == [("arguments", "day: null is not of the type stock_at takes (str)")]


def test_arguments_after_a_date_or_a_free_value_are_still_checked():
    arguments = {"day": "2000-01-01", "states": ["XXX"], "kind": "established"}
    assert claims.row_problems(row(check="event_year", arguments=arguments), KNOWN) == [
        ("arguments", "states: 'XXX' is not a known state (AUS, CHL, CUB)")]
    arguments = {"start_year": 1990, "end_year": 1999, "kind": "crowned"}
    assert claims.row_problems(row(check="count_events", arguments=arguments), KNOWN) == [
        ("arguments", "kind: 'crowned' is not a known event (established, severed)")]


# --- verdicts ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, comparison, expected, tolerance, verdict", [
    (["FRA"], "eq", ["EST", "FRA"], None, claims.CONTRADICTED),
    (5, "eq", 5, None, claims.SUPPORTED),
    (5, "eq", 6, None, claims.CONTRADICTED),
    (52, "ge", 52, None, claims.SUPPORTED),
    (51, "le", 52, None, claims.SUPPORTED),
    (52, "le", 52, None, claims.SUPPORTED),
    (53, "le", 52, None, claims.CONTRADICTED),
    (0.77, "in_range", [0.75, 0.80], None, claims.SUPPORTED),
    (0.75, "in_range", [0.75, 0.80], None, claims.SUPPORTED),
    (0.80, "in_range", [0.75, 0.80], None, claims.SUPPORTED),
    (155, "approx", 160, 5, claims.SUPPORTED),
    (150, "approx", 160, 5, claims.PARTLY),
    (146, "approx", 160, 5, claims.CONTRADICTED),
    ({"A": 1973, "B": 1975}, "all", [1973, 1975], None, claims.SUPPORTED),
    ({"A": 1973, "B": 1976}, "all", [1973, 1975], None, claims.PARTLY),
])
def test_compare_at_the_boundaries(value, comparison, expected, tolerance, verdict):
    assert claims.compare(value, comparison, expected, tolerance) == verdict


def test_an_unknown_comparison_in_compare_is_named():
    with pytest.raises(ValueError) as err:
        claims.compare(5, "between", 5, None)
    assert str(err.value) == "unknown comparison 'between'"


def claim(**kw):
    base = dict(claim_id="c", document="bondaz_2023", section="s", quote="q", check="stock_at", arguments="{}",
                comparison="eq", expected="", tolerance="", claim_date="2023-10-01", note="")
    merged = {**base, **kw}
    merged.setdefault("subject_until", merged["claim_date"])  # a statement about the day it speaks for
    return merged


def base_of(c):
    return {k: c[k] for k in ("claim_id", "document", "section", "quote", "check", "claim_date", "subject_until", "expected")}


def test_evaluate_returns_the_claim_fields_then_value_verdict_detail_evidence(ctx):
    c = claim(claim_id="s1", check="stock_at", expected="5", claim_date="1993-12-31", note="as counted", arguments="")
    out = claims.evaluate(pd.DataFrame([c]), ctx)
    assert list(out.columns) == ["claim_id", "document", "section", "quote", "check", "claim_date", "subject_until", "expected",
                                 "value", "verdict", "detail", "evidence"]
    assert out.iloc[0].to_dict() == {**base_of(c), "value": "5", "verdict": claims.SUPPORTED,
                                     "detail": "5 states maintaining relations on 1993-12-31; as counted", "evidence": ""}


def test_unchecked_and_future_claims_have_empty_value_and_evidence(ctx):
    unchecked = claim(claim_id="u", check="not_checkable", comparison="not_checkable", note="not in the data")
    future = claim(claim_id="f", expected="6", claim_date="2030-01-01")
    out = claims.evaluate(pd.DataFrame([unchecked, future]), ctx)
    assert out.iloc[0].to_dict() == {**base_of(unchecked), "value": "", "verdict": claims.NOT_CHECKABLE,
                                     "detail": "not in the data", "evidence": ""}
    assert out.iloc[1].to_dict() == {**base_of(future), "value": "", "verdict": claims.AFTER_CUT_OFF,
                                     "detail": "the statement concerns facts up to 2030-01-01, after this run's cut-off 2023-10-01",
                                     "evidence": ""}


def test_a_consistency_row_is_evaluated_after_the_claims_it_names_even_when_listed_first(ctx):
    both = claim(claim_id="both", check="consistent_with", arguments=json.dumps({"claims": ["s1", "s2"]}), comparison="all")
    s1 = claim(claim_id="s1", expected="5", claim_date="1993-12-31")
    s2 = claim(claim_id="s2", expected="[3, 8]", comparison="in_range", claim_date="1993-12-31")
    out = claims.evaluate(pd.DataFrame([both, s1, s2]), ctx)
    assert list(out["claim_id"]) == ["both", "s1", "s2"]
    assert out.iloc[0].to_dict() == {**base_of(both), "value": '["supported", "supported"]', "verdict": claims.SUPPORTED,
                                     "detail": "s1: supported; s2: supported.", "evidence": ""}


@pytest.mark.parametrize("expectations, verdict", [
    (["5", "6"], claims.CONTRADICTED),          # supported, contradicted
    (["5", None], claims.PARTLY),               # supported, not checkable
    (["5", "approx"], claims.PARTLY),           # supported, partly
])
def test_a_consistency_row_is_contradicted_by_any_contradiction_else_partly(ctx, expectations, verdict):
    s1 = claim(claim_id="s1", expected=expectations[0], claim_date="1993-12-31")
    if expectations[1] is None:
        s2 = claim(claim_id="s2", check="not_checkable", comparison="not_checkable")
    elif expectations[1] == "approx":
        s2 = claim(claim_id="s2", expected="7", comparison="approx", tolerance="1", claim_date="1993-12-31")
    else:
        s2 = claim(claim_id="s2", expected=expectations[1], claim_date="1993-12-31")
    both = claim(claim_id="both", check="consistent_with", arguments=json.dumps({"claims": ["s1", "s2"]}), comparison="all",
                 note="read together")
    out = claims.evaluate(pd.DataFrame([s1, s2, both]), ctx).set_index("claim_id")
    assert out.loc["both", "verdict"] == verdict
    assert out.loc["both", "detail"] == f"s1: {out.loc['s1', 'verdict']}; s2: {out.loc['s2', 'verdict']}. read together"


def test_approx_uses_the_row_s_tolerance(ctx):
    # 5 states on 1993-12-31: 2 from 7 is twice the tolerance of 1, 1 from 6 within it
    register = pd.DataFrame([claim(claim_id="a", expected="7", comparison="approx", tolerance="1", claim_date="1993-12-31"),
                             claim(claim_id="b", expected="6", comparison="approx", tolerance="1", claim_date="1993-12-31")])
    assert list(claims.evaluate(register, ctx)["verdict"]) == [claims.PARTLY, claims.SUPPORTED]


def test_the_value_is_json_with_sorted_keys_and_dates_as_text(ctx, monkeypatch):
    register = pd.DataFrame([claim(claim_id="years", check="event_year", comparison="all", expected="[1960, 1974]",
                                   arguments=json.dumps({"states": ["CUB", "AUS"], "kind": "established"}))])
    out = claims.evaluate(register, ctx).iloc[0]
    assert out["value"] == '{"AUS": 1974, "CUB": 1960}'
    assert out["verdict"] == claims.SUPPORTED
    assert out["evidence"] == f"{CUB_EST} | {AUS_EST}"
    monkeypatch.setitem(claims.CHECKS, "a_date", lambda ctx: claims.Result(date(1993, 1, 1)))
    out = claims.evaluate(pd.DataFrame([claim(check="a_date", expected='"1993-01-01"')]), ctx).iloc[0]
    assert out["value"] == '"1993-01-01"'


def test_the_alternative_reading_matters_only_when_the_value_is_not_supported(ctx, monkeypatch):
    monkeypatch.setitem(claims.CHECKS, "same_both_ways", lambda ctx: claims.Result(5, alternative=5, alternative_reading="r"))
    monkeypatch.setitem(claims.CHECKS, "close_otherwise", lambda ctx: claims.Result(10, alternative=13, alternative_reading="X 13 (other)"))
    register = pd.DataFrame([claim(claim_id="same", check="same_both_ways", expected="5"),
                             claim(claim_id="close", check="close_otherwise", expected="13", comparison="approx", tolerance="1")])
    out = claims.evaluate(register, ctx).set_index("claim_id")
    assert out.loc["same", "verdict"] == claims.SUPPORTED and out.loc["same", "detail"] == ""
    assert out.loc["close", "verdict"] == claims.PARTLY
    assert out.loc["close", "detail"] == "supported only under the alternative dates other sources give: X 13 (other)"


def test_an_unknown_check_in_evaluate_lists_the_known_checks(ctx):
    with pytest.raises(ValueError) as err:
        claims.evaluate(pd.DataFrame([claim(claim_id="x", check="stok_at")]), ctx)
    assert str(err.value) == f"claims.csv, claim x: unknown check 'stok_at'; known: {', '.join(sorted(claims.CHECKS))}"
