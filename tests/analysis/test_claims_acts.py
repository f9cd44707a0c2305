"""The checks on other diplomatic acts and on breaks (claims_acts), on the hand-built fixture of conftest.py.

A check's whole Result is compared with one worked out by hand from conftest.ACTS and EVENTS
(own_reading_ctx); claims_ctx is the context as the pipeline builds it."""
from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis.claims_acts import act_year, acts_missing, breaks_among, states_with_acts
from dprk_relations.analysis.claims_context import Context, Result

from tests.conftest import AUS_SUS, CHL_SEV, CLAIMS_AS_OF, SRC

CUB_EXPELLED = f"CUB ambassador_expelled 2017-09-07 (acts.csv line 3; {SRC['source']})"


def act_row(ctx, **fields) -> pd.DataFrame:
    base = ctx.acts.iloc[[0]].copy()
    for name, value in fields.items():
        base[name] = [value]
    return base


# --- as the pipeline checks -----------------------------------------------------------------------

def test_acts_by_state_and_kind(claims_ctx):
    expelled = acts_missing(claims_ctx, "ambassador_expelled", ["CUB", "CHL"], 2017, 2017, "2023-10-01")
    assert expelled.value == ["CHL"]
    assert any("acts.csv line 3" in e for e in expelled.evidence)
    assert states_with_acts(claims_ctx, ["economic_ties_suspended"], ["CUB", "CHL"], 1948, 2023, "2023-10-01").value == ["CHL"]
    assert act_year(claims_ctx, ["CUB", "CHL"], "ambassador_expelled", "2023-10-01").value == {"CUB": 2017, "CHL": None}
    # the DPRK's own acts are apart from the partner's
    assert act_year(claims_ctx, ["AUS"], "embassy_closed", "2023-10-01").value == {"AUS": None}
    assert act_year(claims_ctx, ["AUS"], "embassy_closed", "2023-10-01", actor="dprk").value == {"AUS": 1975}


def test_an_act_after_the_day_a_claim_speaks_for_is_not_counted(claims_ctx):
    assert act_year(claims_ctx, ["CUB"], "ambassador_expelled", "2017-09-06").value == {"CUB": None}
    assert act_year(claims_ctx, ["CUB"], "ambassador_expelled", "2017-09-07").value == {"CUB": 2017}


def test_an_expulsion_is_not_a_break(claims_ctx):
    # Cuba expelled the ambassador in 2017: relations stay in force, and only Chile and Australia broke
    assert breaks_among(claims_ctx, ["CUB", "CHL", "AUS"], 1970, 2023, "2023-10-01").value == ["AUS", "CHL"]
    assert breaks_among(claims_ctx, ["CUB"], 2017, 2017, "2023-10-01").value == []
    assert "CUB" in claims_ctx.in_force_on(date(2023, 10, 1))


# --- whole results ----------------------------------------------------------------------------------

def test_a_check_on_acts_needs_a_context_built_from_the_dataset(own_reading_ctx):
    ctx = own_reading_ctx
    bare = Context(ctx.events, ctx.spells, ctx.states, ctx.groups, ctx.memberships, CLAIMS_AS_OF)
    with pytest.raises(ValueError) as err:
        acts_missing(bare, "ambassador_expelled", ["CUB"], 2017, 2017, "2023-10-01")
    assert str(err.value) == "this check reads acts.csv: build the Context with Context.from_dataset"


def test_acts_missing_gives_evidence_for_found_and_missing_and_the_count(own_reading_ctx):
    assert acts_missing(own_reading_ctx, "ambassador_expelled", ["CUB", "CHL"], 2017, 2017, "2023-10-01") == Result(
        ["CHL"], [CUB_EXPELLED, "CHL: no 'ambassador_expelled' act by the partner in 2017-2017 in acts.csv"],
        "1 of 2 with a 'ambassador_expelled' act in 2017-2017")


def test_acts_are_selected_by_row_whatever_the_order_of_the_table(own_reading_ctx):
    """The year mask is aligned on the acts' own index, not on their position."""
    shuffled = dataclasses.replace(own_reading_ctx, acts=own_reading_ctx.acts.iloc[[2, 0, 1]])
    assert acts_missing(shuffled, "ambassador_expelled", ["CUB", "CHL"], 2017, 2017, "2023-10-01").value == ["CHL"]
    assert states_with_acts(shuffled, ["economic_ties_suspended"], ["CUB", "CHL"], 1973, 1973, "2023-10-01").value == ["CHL"]


def test_an_act_told_twice_is_cited_once(own_reading_ctx):
    ctx = own_reading_ctx
    second = act_row(ctx, line=5, iso3="CUB", state="Cuba", actor="partner", kind="ambassador_expelled", mission="", city="",
                     date="2017-09-07", precision="day", citation="Second source, p. 9",
                     date_earliest=date(2017, 9, 7), date_latest=date(2017, 9, 7))
    dctx = dataclasses.replace(ctx, acts=pd.concat([ctx.acts, second], ignore_index=True))
    assert acts_missing(dctx, "ambassador_expelled", ["CUB"], 2017, 2017, "2023-10-01") == Result(
        [], [CUB_EXPELLED], "1 of 1 with a 'ambassador_expelled' act in 2017-2017")
    assert states_with_acts(dctx, ["ambassador_expelled"], ["CUB"], 2017, 2017, "2023-10-01") == Result(
        ["CUB"], [CUB_EXPELLED], "1 of 1 with such an act in 2017-2017")


def test_states_with_acts_says_so_when_none_has_one(own_reading_ctx):
    # Australia's embassy was closed by the DPRK, not by the partner
    assert states_with_acts(own_reading_ctx, ["embassy_closed", "economic_ties_suspended"], ["CUB", "AUS"], 1948, 2023, "2023-10-01") == Result(
        [], ["none of CUB, AUS with an act of embassy_closed, economic_ties_suspended in acts.csv"], "0 of 2 with such an act in 1948-2023")
    assert states_with_acts(own_reading_ctx, ["economic_ties_suspended"], ["CUB", "CHL"], 1948, 2023, "2023-10-01") == Result(
        ["CHL"], [f"CHL economic_ties_suspended 1973 (acts.csv line 4; {SRC['source']})"], "1 of 2 with such an act in 1948-2023")


def test_act_year_goes_on_past_a_state_without_the_act(own_reading_ctx):
    assert act_year(own_reading_ctx, ["CHL", "CUB"], "ambassador_expelled", "2023-10-01") == Result(
        {"CHL": None, "CUB": 2017}, ["CHL: no 'ambassador_expelled' act by the partner in acts.csv", CUB_EXPELLED])


def test_act_year_counts_acts_from_1948(own_reading_ctx):
    ctx = own_reading_ctx
    early = act_row(ctx, line=5, iso3="CSHH", state="Czechoslovakia", actor="partner", kind="ambassador_expelled", mission="",
                    city="", date="1948-12", precision="month", date_earliest=date(1948, 12, 1), date_latest=date(1948, 12, 31))
    ectx = dataclasses.replace(ctx, acts=pd.concat([ctx.acts, early], ignore_index=True))
    assert act_year(ectx, ["CSHH"], "ambassador_expelled", "2023-10-01") == Result(
        {"CSHH": 1948}, [f"CSHH ambassador_expelled 1948-12 (acts.csv line 5; {SRC['source']})"])


def test_breaks_among_cites_the_breaks_and_whether_relations_are_in_force_on_the_day(own_reading_ctx):
    assert breaks_among(own_reading_ctx, ["CUB", "CHL", "AUS"], 1970, 1979, "1980-01-01") == Result(
        ["AUS", "CHL"],
        [CHL_SEV, AUS_SUS, "CUB: relations in force on 1980-01-01", "CHL: no relations in force on 1980-01-01",
         "AUS: no relations in force on 1980-01-01"],
        "2 of 3 broke relations in 1970-1979")
