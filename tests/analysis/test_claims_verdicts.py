"""The verdicts (claims_verdicts): comparisons, the rule across the sources' readings, and the evaluation of
a register built by hand, on the fixture of conftest.py.

Issue 19: a statement checked over a list (of states, members, missions, other statements) is never
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
from dprk_relations.analysis.claims_checks import CHECKS
from dprk_relations.analysis.claims_context import Context, Result
from dprk_relations.analysis.claims_registry import check
from dprk_relations.analysis.claims_verdicts import (
    across_readings,
    compare,
    evaluate,
    verdict_counts,
)
from dprk_relations.rules.relations import build_spells
from dprk_relations.rules.status import (
    AFTER_CUT_OFF,
    CONTRADICTED,
    NOT_CHECKABLE,
    PARTLY,
    SUPPORTED,
)
from tests.conftest import AUS_EST, CUB_EST


def claim(**kw):
    base = dict(claim_id="c", document="bondaz_2023", section="s", quote="q", check="stock_at", arguments="{}",
                comparison="eq", expected="", tolerance="", claim_date="2023-10-01", note="")
    merged = {**base, **kw}
    merged.setdefault("subject_until", merged["claim_date"])  # a statement about the day it speaks for
    return merged


def base_of(c):
    return {k: c[k] for k in ("claim_id", "document", "section", "quote", "check", "claim_date", "subject_until", "expected")}


# --- compare ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, comparison, expected, tolerance, verdict", [
    (157, "approx", 160, 5, SUPPORTED),
    (152, "approx", 160, 5, PARTLY),
    (140, "approx", 160, 5, CONTRADICTED),
    (47, "ge", 52, None, CONTRADICTED),
    (0.81, "in_range", [0.75, 0.80], None, CONTRADICTED),
    ({"A": 1973, "B": 1973}, "all", 1973, None, SUPPORTED),
    ({"A": 1973, "B": 1982}, "all", 1973, None, PARTLY),
    ({"A": 1975}, "all", 1974, None, CONTRADICTED),
    ({"A": None}, "all", 1974, None, NOT_CHECKABLE),
    (["DNK"], "none", None, None, CONTRADICTED),
    ([], "none", None, None, SUPPORTED),
    (["FRA", "EST"], "eq", ["EST", "FRA"], None, SUPPORTED),
    (None, "eq", 3, None, NOT_CHECKABLE),
])
def test_compare(value, comparison, expected, tolerance, verdict):
    assert compare(value, comparison, expected, tolerance) == verdict


@pytest.mark.parametrize("value, comparison, expected, tolerance, verdict", [
    (["FRA"], "eq", ["EST", "FRA"], None, CONTRADICTED),
    (5, "eq", 5, None, SUPPORTED),
    (5, "eq", 6, None, CONTRADICTED),
    (52, "ge", 52, None, SUPPORTED),
    (51, "le", 52, None, SUPPORTED),
    (52, "le", 52, None, SUPPORTED),
    (53, "le", 52, None, CONTRADICTED),
    (0.77, "in_range", [0.75, 0.80], None, SUPPORTED),
    (0.75, "in_range", [0.75, 0.80], None, SUPPORTED),
    (0.80, "in_range", [0.75, 0.80], None, SUPPORTED),
    (155, "approx", 160, 5, SUPPORTED),
    (150, "approx", 160, 5, PARTLY),
    (146, "approx", 160, 5, CONTRADICTED),
    ({"A": 1973, "B": 1975}, "all", [1973, 1975], None, SUPPORTED),
    ({"A": 1973, "B": 1976}, "all", [1973, 1975], None, PARTLY),
])
def test_compare_at_the_boundaries(value, comparison, expected, tolerance, verdict):
    assert compare(value, comparison, expected, tolerance) == verdict


def test_an_unknown_comparison_in_compare_is_named():
    with pytest.raises(ValueError) as err:
        compare(5, "between", 5, None)
    assert str(err.value) == "unknown comparison 'between'"


# --- across the sources' readings ------------------------------------------------------------------------

def test_across_readings_checks_the_bounds_of_what_the_comparison_admits_inside_the_range():
    # 'approximately 10 (within 1)': 7 and 13 are contradicted, but 9 to 11 lie between them
    assert across_readings(CONTRADICTED, 7, 13, "approx", 10, 1)[0] == PARTLY
    assert across_readings(SUPPORTED, 10, 10, "approx", 10, 1) == (SUPPORTED, "")
    assert across_readings(SUPPORTED, 9, 11, "in_range", [8, 12], None) == (
        SUPPORTED, "the sources' readings give 9 to 11, supported under every one")
    assert across_readings(SUPPORTED, 9, 13, "le", 12, None)[0] == PARTLY


@pytest.mark.parametrize("expected, verdict, words", [
    ("1", "partly supported", "the sources' readings give 0 to 1: contradicted at 0, supported at 1"),
    ("0", "contradicted", None),
])
def test_a_statement_that_holds_under_some_readings_only_is_partly_supported(readings_ctx, expected, words, verdict):
    register = pd.DataFrame([claim(claim_id="c", check="count_events", comparison="ge", expected=expected,
                                   arguments=json.dumps({"kind": "established", "start_year": 1959, "end_year": 1965}))])
    out = evaluate(register, readings_ctx).iloc[0]
    if words:
        assert out["verdict"] == verdict and words in out["detail"]
    else:  # 'at least 0': every reading agrees
        assert out["verdict"] == "supported" and "supported under every one" in out["detail"]


# --- the evaluation, as the pipeline checks ------------------------------------------------------------------

def test_evaluate_finds_a_contradiction_and_keeps_evidence(claims_ctx):
    register = pd.DataFrame([
        claim(claim_id="cuba_1961", check="event_year", arguments=json.dumps({"states": ["CUB"], "kind": "established"}), comparison="all", expected="1961"),
        claim(claim_id="stock_6", check="stock_at", expected="6"),
        claim(claim_id="both", check="consistent_with", arguments=json.dumps({"claims": ["cuba_1961", "stock_6"]}), comparison="all"),
        claim(claim_id="embassies", check="not_checkable", comparison="not_checkable", note="not in the data"),
        claim(claim_id="future", check="stock_at", expected="6", claim_date="2030-01-01"),
    ])
    out = evaluate(register, claims_ctx).set_index("claim_id")
    assert out.loc["cuba_1961", "verdict"] == CONTRADICTED
    assert json.loads(out.loc["cuba_1961", "value"]) == {"CUB": 1960}
    assert "CUB established 1960" in out.loc["cuba_1961", "evidence"]
    assert out.loc["stock_6", "verdict"] == SUPPORTED
    assert out.loc["both", "verdict"] == CONTRADICTED
    assert out.loc["embassies", "verdict"] == NOT_CHECKABLE
    assert out.loc["future", "verdict"] == AFTER_CUT_OFF
    assert "after this run's cut-off" in out.loc["future", "detail"]
    counts = verdict_counts(out.reset_index()).set_index("verdict")["claims"]
    assert counts.to_dict() == {SUPPORTED: 1, PARTLY: 0, CONTRADICTED: 2, NOT_CHECKABLE: 1, AFTER_CUT_OFF: 1}


def test_unknown_check_is_a_clear_error(claims_ctx):
    with pytest.raises(ValueError, match="unknown check 'stok_at'"):
        evaluate(pd.DataFrame([claim(check="stok_at")]), claims_ctx)


def test_a_register_field_that_is_not_json_is_a_clear_error(claims_ctx):
    with pytest.raises(ValueError) as err:
        evaluate(pd.DataFrame([claim(claim_id="x", expected="[5,")]), claims_ctx)
    assert str(err.value) == "claims.csv, claim x: expected is not valid JSON (Expecting value at character 3): '[5,'"


def test_a_claim_right_only_under_another_source_s_date_is_partly_supported_and_says_so(dataset):
    events = dataset.events.copy()
    cuba = events.index[(events["iso3"] == "CUB")][0]
    events.loc[cuba, ["alt_date", "alt_precision", "alt_source"]] = ["1961-01", "month", "Announcement, p. 2"]
    spells = build_spells(events, dataset.states, dataset.successions, date(2023, 10, 1))
    ctx = Context(events, spells, dataset.states, dataset.groups, dataset.memberships, date(2023, 10, 1))
    register = pd.DataFrame([claim(claim_id="cuba_1961", check="event_year", comparison="all", expected="1961",
                                   arguments=json.dumps({"states": ["CUB"], "kind": "established"}))])
    out = evaluate(register, ctx).iloc[0]
    assert out["verdict"] == PARTLY
    assert "only under the alternative dates" in out["detail"] and "CUB 1961-01 (Announcement, p. 2)" in out["detail"]


def test_the_claim_date_is_passed_only_to_checks_that_take_a_day(claims_ctx, scratch_checks):
    @check(kinds={})
    def no_day_parameter(ctx):
        day = "a local variable, not a parameter"
        return Result(len(day))
    out = evaluate(pd.DataFrame([claim(claim_id="local", check="no_day_parameter", comparison="ge", expected="1")]), claims_ctx)
    assert out.iloc[0]["verdict"] == SUPPORTED


# --- the evaluation, whole rows under the pipeline's own reading ----------------------------------------------

def test_evaluate_returns_the_claim_fields_then_value_verdict_detail_evidence(own_reading_ctx):
    c = claim(claim_id="s1", check="stock_at", expected="5", claim_date="1993-12-31", note="as counted", arguments="")
    out = evaluate(pd.DataFrame([c]), own_reading_ctx)
    assert list(out.columns) == ["claim_id", "document", "section", "quote", "check", "claim_date", "subject_until", "expected",
                                 "value", "verdict", "detail", "evidence"]
    assert out.iloc[0].to_dict() == {**base_of(c), "value": "5", "verdict": SUPPORTED,
                                     "detail": "5 states maintaining relations on 1993-12-31; as counted", "evidence": ""}


def test_unchecked_and_future_claims_have_empty_value_and_evidence(own_reading_ctx):
    unchecked = claim(claim_id="u", check="not_checkable", comparison="not_checkable", note="not in the data")
    future = claim(claim_id="f", expected="6", claim_date="2030-01-01")
    out = evaluate(pd.DataFrame([unchecked, future]), own_reading_ctx)
    assert out.iloc[0].to_dict() == {**base_of(unchecked), "value": "", "verdict": NOT_CHECKABLE,
                                     "detail": "not in the data", "evidence": ""}
    assert out.iloc[1].to_dict() == {**base_of(future), "value": "", "verdict": AFTER_CUT_OFF,
                                     "detail": "the statement concerns facts up to 2030-01-01, after this run's cut-off 2023-10-01",
                                     "evidence": ""}


def test_a_consistency_row_is_evaluated_after_the_claims_it_names_even_when_listed_first(own_reading_ctx):
    both = claim(claim_id="both", check="consistent_with", arguments=json.dumps({"claims": ["s1", "s2"]}), comparison="all")
    s1 = claim(claim_id="s1", expected="5", claim_date="1993-12-31")
    s2 = claim(claim_id="s2", expected="[3, 8]", comparison="in_range", claim_date="1993-12-31")
    out = evaluate(pd.DataFrame([both, s1, s2]), own_reading_ctx)
    assert list(out["claim_id"]) == ["both", "s1", "s2"]
    assert out.iloc[0].to_dict() == {**base_of(both), "value": '["supported", "supported"]', "verdict": SUPPORTED,
                                     "detail": "s1: supported; s2: supported.", "evidence": ""}


@pytest.mark.parametrize("expectations, verdict", [
    (["5", "6"], CONTRADICTED),          # supported, contradicted
    (["5", None], PARTLY),               # supported, not checkable
    (["5", "approx"], PARTLY),           # supported, partly
])
def test_a_consistency_row_is_contradicted_by_any_contradiction_else_partly(own_reading_ctx, expectations, verdict):
    s1 = claim(claim_id="s1", expected=expectations[0], claim_date="1993-12-31")
    if expectations[1] is None:
        s2 = claim(claim_id="s2", check="not_checkable", comparison="not_checkable")
    elif expectations[1] == "approx":
        s2 = claim(claim_id="s2", expected="7", comparison="approx", tolerance="1", claim_date="1993-12-31")
    else:
        s2 = claim(claim_id="s2", expected=expectations[1], claim_date="1993-12-31")
    both = claim(claim_id="both", check="consistent_with", arguments=json.dumps({"claims": ["s1", "s2"]}), comparison="all",
                 note="read together")
    out = evaluate(pd.DataFrame([s1, s2, both]), own_reading_ctx).set_index("claim_id")
    assert out.loc["both", "verdict"] == verdict
    assert out.loc["both", "detail"] == f"s1: {out.loc['s1', 'verdict']}; s2: {out.loc['s2', 'verdict']}. read together"


def test_approx_uses_the_row_s_tolerance(own_reading_ctx):
    # 5 states on 1993-12-31: 2 from 7 is twice the tolerance of 1, 1 from 6 within it
    register = pd.DataFrame([claim(claim_id="a", expected="7", comparison="approx", tolerance="1", claim_date="1993-12-31"),
                             claim(claim_id="b", expected="6", comparison="approx", tolerance="1", claim_date="1993-12-31")])
    assert list(evaluate(register, own_reading_ctx)["verdict"]) == [PARTLY, SUPPORTED]


def test_the_value_is_json_with_sorted_keys_and_dates_as_text(own_reading_ctx, scratch_checks):
    register = pd.DataFrame([claim(claim_id="years", check="event_year", comparison="all", expected="[1960, 1974]",
                                   arguments=json.dumps({"states": ["CUB", "AUS"], "kind": "established"}))])
    out = evaluate(register, own_reading_ctx).iloc[0]
    assert out["value"] == '{"AUS": 1974, "CUB": 1960}'
    assert out["verdict"] == SUPPORTED
    assert out["evidence"] == f"{CUB_EST} | {AUS_EST}"

    @check(kinds={})
    def a_date(ctx):
        return Result(date(1993, 1, 1))
    out = evaluate(pd.DataFrame([claim(check="a_date", expected='"1993-01-01"')]), own_reading_ctx).iloc[0]
    assert out["value"] == '"1993-01-01"'


def test_the_alternative_reading_matters_only_when_the_value_is_not_supported(own_reading_ctx, scratch_checks):
    @check(kinds={})
    def same_both_ways(ctx):
        return Result(5, alternative=5, alternative_reading="r")

    @check(kinds={})
    def close_otherwise(ctx):
        return Result(10, alternative=13, alternative_reading="X 13 (other)")
    register = pd.DataFrame([claim(claim_id="same", check="same_both_ways", expected="5"),
                             claim(claim_id="close", check="close_otherwise", expected="13", comparison="approx", tolerance="1")])
    out = evaluate(register, own_reading_ctx).set_index("claim_id")
    assert out.loc["same", "verdict"] == SUPPORTED and out.loc["same", "detail"] == ""
    assert out.loc["close", "verdict"] == PARTLY
    assert out.loc["close", "detail"] == "supported only under the alternative dates other sources give: X 13 (other)"


def test_an_unknown_check_in_evaluate_lists_the_known_checks(own_reading_ctx):
    with pytest.raises(ValueError) as err:
        evaluate(pd.DataFrame([claim(claim_id="x", check="stok_at")]), own_reading_ctx)
    assert str(err.value) == f"claims.csv, claim x: unknown check 'stok_at'; known: {', '.join(sorted(CHECKS))}"


AS_OF = date(2023, 10, 1)
COLUMNS = ["claim_id", "document", "section", "quote", "check", "arguments", "comparison", "expected", "tolerance",
           "claim_date", "subject_until", "note"]


def claim_of_cases(claim_id: str, check: str, arguments: dict, comparison: str, expected=None, on: str = "2023-10-01") -> dict:
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
    found = verdicts([claim_of_cases("complete", check, complete[0], comparison, complete[1], on),
                      claim_of_cases("lacking", check, lacking[0], comparison, lacking[1], on)], ctx)
    assert found["complete"] == SUPPORTED
    assert found["lacking"] != SUPPORTED


def test_a_statement_combining_others_is_not_supported_when_one_of_them_cannot_be_checked(ctx):
    rows = [claim_of_cases("cuba", "event_year", {"states": ["CUB"], "kind": "established"}, "all", 1960),
            claim_of_cases("chile", "event_year", {"states": ["CHL"], "kind": "established"}, "all", 1970),
            claim_of_cases("france", "event_year", {"states": ["FRA"], "kind": "established"}, "all", 1960),
            claim_of_cases("both", "consistent_with", {"claims": ["cuba", "chile"]}, "all"),
            claim_of_cases("with_france", "consistent_with", {"claims": ["cuba", "france"]}, "all")]
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
    found = verdicts([claim_of_cases("nothing", "consistent_with", {"claims": []}, "all")], ctx)
    assert found["nothing"] != SUPPORTED
