"""Issue 19: a statement checked over a list (of states, members, missions, other statements) is never
"supported" when the data lack the value for one item of the list. Each case is a row of the claims
register checked by `claims.evaluate` on the tiny fixture dataset (tests/conftest.py): the statement over
items the data all have is supported; the same statement with one item the data lack is not.

France has no event and no act in the fixture; it is an EU member with no relations; Cuba has no
embassy closed; the 1974 list of DPRK embassies has none in Paris."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis import claims
from dprk_relations.rules.relations import build_spells
from dprk_relations.rules.status import NOT_CHECKABLE, SUPPORTED

AS_OF = date(2023, 10, 1)
COLUMNS = ["claim_id", "document", "section", "quote", "check", "arguments", "comparison", "expected", "tolerance",
           "claim_date", "subject_until", "note"]


def claim(claim_id: str, check: str, arguments: dict, comparison: str, expected=None, on: str = "2023-10-01") -> dict:
    return dict(claim_id=claim_id, document="bondaz_2023", section="s", quote=claim_id, check=check,
                arguments=json.dumps(arguments), comparison=comparison,
                expected="" if expected is None else json.dumps(expected), tolerance="", claim_date=on,
                subject_until=on, note="")


# Each case: the check, its comparison, the day it speaks for, and (arguments, expected) over items the
# data all have, then over the same items and one the data lack.
CASES = {
    "the year of each state's first establishment": (
        "event_year", "all", "2023-10-01",
        ({"states": ["CUB"], "kind": "established"}, 1960),
        ({"states": ["CUB", "FRA"], "kind": "established"}, 1960)),
    "the years of each state's establishment, over a period": (
        "event_year", "all", "2023-10-01",
        ({"states": ["CZE", "SVK"], "kind": "established"}, [1990, 1999]),
        ({"states": ["CZE", "FRA", "SVK"], "kind": "established"}, [1990, 1999])),
    "the year of each state's first act": (
        "act_year", "all", "2023-10-01",
        ({"states": ["AUS"], "kind": "embassy_closed", "actor": "dprk"}, 1975),
        ({"states": ["AUS", "FRA"], "kind": "embassy_closed", "actor": "dprk"}, 1975)),
    "a group's members all began relations in a period": (
        "group_event_years", "none", "2023-10-01",
        ({"group": "NORDIC", "kind": "established", "start_year": 1974, "end_year": 1974}, None),
        ({"group": "EU", "kind": "established", "start_year": 1991, "end_year": 1994}, None)),
    "each listed state has an act": (
        "acts_missing", "none", "1975-12-31",
        ({"kind": "embassy_closed", "states": ["AUS"], "start_year": 1975, "end_year": 1975, "actor": "dprk"}, None),
        ({"kind": "embassy_closed", "states": ["AUS", "CUB"], "start_year": 1975, "end_year": 1975, "actor": "dprk"}, None)),
    "the listed states are those with an act": (
        "states_with_acts", "eq", "1975-12-31",
        ({"kinds": ["embassy_closed"], "states": ["AUS"], "start_year": 1975, "end_year": 1975, "actor": "dprk"}, ["AUS"]),
        ({"kinds": ["embassy_closed"], "states": ["AUS", "CUB"], "start_year": 1975, "end_year": 1975, "actor": "dprk"},
         ["AUS", "CUB"])),
    "each listed mission is on the list": (
        "missions_missing", "none", "1974-12-31",
        ({"direction": "dprk_abroad", "missions": [["CUB", "Havana", "embassy"]]}, None),
        ({"direction": "dprk_abroad", "missions": [["CUB", "Havana", "embassy"], ["FRA", "Paris", "embassy"]]}, None)),
}


@pytest.fixture
def ctx(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, AS_OF)
    return claims.Context.from_dataset(dataset, spells, AS_OF)


def verdicts(rows: list[dict], ctx) -> dict[str, str]:
    checked = claims.evaluate(pd.DataFrame(rows, columns=COLUMNS), ctx)
    return dict(zip(checked["claim_id"], checked["verdict"]))


@pytest.mark.parametrize("case", list(CASES))
def test_a_statement_over_a_list_is_not_supported_when_the_data_lack_one_item(ctx, case):
    check, comparison, on, complete, lacking = CASES[case]
    found = verdicts([claim("complete", check, complete[0], comparison, complete[1], on),
                      claim("lacking", check, lacking[0], comparison, lacking[1], on)], ctx)
    assert found["complete"] == SUPPORTED
    assert found["lacking"] != SUPPORTED


def test_a_statement_combining_others_is_not_supported_when_one_of_them_cannot_be_checked(ctx):
    rows = [claim("cuba", "event_year", {"states": ["CUB"], "kind": "established"}, "all", 1960),
            claim("chile", "event_year", {"states": ["CHL"], "kind": "established"}, "all", 1970),
            claim("france", "event_year", {"states": ["FRA"], "kind": "established"}, "all", 1960),
            claim("both", "consistent_with", {"claims": ["cuba", "chile"]}, "all"),
            claim("with_france", "consistent_with", {"claims": ["cuba", "france"]}, "all")]
    found = verdicts(rows, ctx)
    assert found["france"] == NOT_CHECKABLE  # no establishment of France in the data
    assert found["both"] == SUPPORTED
    assert found["with_france"] != SUPPORTED


@pytest.mark.parametrize("value", [{"A": 1973, "B": None}, {"A": None, "B": 1973, "C": 1973}])
def test_comparing_every_item_with_one_missing_is_not_supported(value):
    assert claims.compare({k: 1973 for k in value}, "all", 1973, None) == SUPPORTED
    assert claims.compare(value, "all", 1973, None) != SUPPORTED
    assert claims.compare(value, "all", [1970, 1979], None) != SUPPORTED


def test_a_statement_combining_no_other_is_not_supported(ctx):
    found = verdicts([claim("nothing", "consistent_with", {"claims": []}, "all")], ctx)
    assert found["nothing"] != SUPPORTED
