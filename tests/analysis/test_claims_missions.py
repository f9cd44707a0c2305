"""The checks on resident missions (claims_missions), on the hand-built fixture of conftest.py.

A check's whole Result is compared with one worked out by hand from conftest's list of December 1974 and
ACTS (own_reading_ctx); claims_ctx is the context as the pipeline builds it."""
from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis.claims_context import Context, Result
from dprk_relations.analysis.claims_missions import continents_without_missions, missions_count, missions_missing
from dprk_relations.analysis.claims_verdicts import compare
from dprk_relations.rules.status import NOT_CHECKABLE

from tests.conftest import CLAIMS_AS_OF, SRC

LIST_1974 = f"list fixture-1974-12 (1974-12; mission_snapshots.csv line 2; {SRC['source']})"
CANBERRA_OUT = f"AUS Canberra embassy taken out: embassy_closed 1975-10-01..1975-10-31 ({SRC['source']})"


# --- as the pipeline checks -----------------------------------------------------------------------

def test_missions_counted_from_the_list_and_the_dated_closures(claims_ctx):
    ctx = claims_ctx
    # the list of December 1974 has three embassies; Canberra closed in October 1975
    assert missions_count(ctx, "dprk_abroad", ["embassy"], "1974-06-01").value == 3
    after = missions_count(ctx, "dprk_abroad", ["embassy"], "1976-01-01")
    assert after.value == 2
    assert any("AUS Canberra embassy taken out" in e for e in after.evidence)
    assert missions_count(ctx, "dprk_abroad", ["embassy"], "1976-01-01", count="states").value == 2
    assert missions_missing(ctx, "dprk_abroad", [["AUS", "Canberra", "embassy"]], "1976-01-01").value == ["AUS Canberra embassy"]
    assert missions_missing(ctx, "dprk_abroad", [["AUS", "Canberra", "embassy"]], "1975-01-01").value == []
    assert continents_without_missions(ctx, "dprk_abroad", "1976-01-01").value == ["Oceania"]


def test_a_count_with_no_list_is_not_checkable(claims_ctx):
    result = missions_count(claims_ctx, "foreign_in_pyongyang", ["embassy"], "2019-12-31")
    assert result.value is None and "no complete list" in result.evidence[0]
    assert compare(result.value, "ge", 24, None) == NOT_CHECKABLE


# --- whole results ----------------------------------------------------------------------------------

def test_a_check_on_missions_needs_a_context_built_from_the_dataset(own_reading_ctx):
    ctx = own_reading_ctx
    bare = Context(ctx.events, ctx.spells, ctx.states, ctx.groups, ctx.memberships, CLAIMS_AS_OF)
    with pytest.raises(ValueError) as err:
        missions_count(bare, "dprk_abroad", ["embassy"], "1974-12-15")
    assert str(err.value) == "this check reads missions.csv: build the Context with Context.from_dataset"


@pytest.fixture
def mctx(own_reading_ctx):
    """More lists and missions: two partial lists of the DPRK's missions (one stating a total, one not)
    listed before the complete one, a partial list of the other direction, and in December 1974 an embassy
    in Moscow, a consulate in Santiago de Cuba and a mission to the UN (not a state)."""
    ctx = own_reading_ctx
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
    assert missions_count(mctx, "dprk_abroad", kinds, "1974-12-15") == Result(
        6, evidence, "6 embassy or consulate or permanent_mission (dprk_abroad) on 1974-12-15, from the list fixture-1974-12")
    # Cuba, Australia, Czechoslovakia, the USSR: the UN is not a state, Cuba counts once
    assert missions_count(mctx, "dprk_abroad", kinds, "1974-12-15", count="states") == Result(
        4, evidence, "4 states with embassy or consulate or permanent_mission (dprk_abroad) on 1974-12-15, from the list fixture-1974-12")


def test_a_list_stating_no_total_is_not_shown_beside_the_count_however_its_empty_cell_was_read(mctx):
    """ingest reads an empty stated_total as "", the processed table as NaN: neither is a total."""
    kinds = ["embassy"]
    for empty in ("", " ", float("nan"), None):
        snapshots = mctx.mission_snapshots.copy()
        snapshots.loc[snapshots["snapshot"] == "fixture-1985", "stated_total"] = empty
        found = missions_count(dataclasses.replace(mctx, mission_snapshots=snapshots), "dprk_abroad", kinds, "1974-12-15")
        assert not [e for e in found.evidence if e.startswith("fixture-1985")], (empty, found.evidence)


def test_missions_count_names_the_dated_changes_it_applied(own_reading_ctx):
    assert missions_count(own_reading_ctx, "dprk_abroad", ["embassy"], "1976-01-01") == Result(
        2, [LIST_1974, CANBERRA_OUT], "2 embassy (dprk_abroad) on 1976-01-01, from the list fixture-1974-12 and 1 dated change(s)")


def test_missions_count_uses_only_lists_dated_by_not_after(own_reading_ctx):
    assert missions_count(own_reading_ctx, "dprk_abroad", ["embassy"], "1976-01-01", not_after="1974-06-30") == Result(
        None, ["no complete list of resident missions (dprk_abroad) dated by 1974-06-30"])
    assert missions_count(own_reading_ctx, "dprk_abroad", ["embassy"], "1976-01-01", not_after="1974-12-31").value == 2


def test_with_no_list_the_mission_checks_give_the_reason(own_reading_ctx):
    no_list = Result(None, ["no complete list of resident missions (foreign_in_pyongyang)"])
    assert missions_missing(own_reading_ctx, "foreign_in_pyongyang", [["CUB", "Havana", "embassy"]], "2019-12-31") == no_list
    assert continents_without_missions(own_reading_ctx, "foreign_in_pyongyang", "2019-12-31") == no_list


def test_missions_missing_names_the_absent_missions_and_counts_the_present(own_reading_ctx, mctx):
    assert missions_missing(own_reading_ctx, "dprk_abroad", [["AUS", "Canberra", "embassy"]], "1976-01-01") == Result(
        ["AUS Canberra embassy"], [LIST_1974, CANBERRA_OUT], "0 of 1 present on 1976-01-01")
    # the evidence names only the list used, not the other lists' stated totals
    assert missions_missing(mctx, "dprk_abroad", [["CUB", "Havana", "embassy"], ["AUS", "Canberra", "embassy"]], "1974-12-15") == Result(
        [], [LIST_1974], "2 of 2 present on 1974-12-15")


def test_continents_without_missions_lists_the_states_of_each_covered_continent(own_reading_ctx, mctx):
    assert continents_without_missions(own_reading_ctx, "dprk_abroad", "1976-01-01") == Result(
        ["Oceania"], [LIST_1974, CANBERRA_OUT, "America: CUB", "Europe: CSHH"], "missions in 2 of 3 continents on 1976-01-01")
    assert continents_without_missions(mctx, "dprk_abroad", "1974-12-15") == Result(
        [], [LIST_1974, "America: CUB", "Europe: CSHH, SUHH", "Oceania: AUS"], "missions in 3 of 3 continents on 1974-12-15")
