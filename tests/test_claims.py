import json
from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis import claims
from dprk_relations.rules.relations import build_spells


@pytest.fixture
def ctx(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, date(2023, 10, 1))
    return claims.Context.from_dataset(dataset, spells, date(2023, 10, 1))


def test_stock_and_ever_established(ctx):
    assert claims.stock_at(ctx, "1993-12-31").value == 5
    assert claims.ever_established_at(ctx, "2000-12-31").value == 8
    # existing states only: the USSR and Czechoslovakia drop out
    assert claims.ever_established_at(ctx, "2000-12-31", existing_only=True).value == 6


def test_share_and_ratio(ctx):
    assert claims.share_of_un_members_at(ctx, "1948-12-31").value == round(2 / 6, 4)
    assert claims.ratio_of_stock(ctx, "1959-12-31", "1970-12-31").value == 2.0  # 2 -> 4


def test_count_events_with_evidence(ctx):
    result = claims.count_events(ctx, "established", 1948, 1960, "2023-10-01")
    assert result.value == 3
    assert any("CUB established 1960" in e for e in result.evidence)


def test_event_year_and_membership_year(ctx):
    assert claims.event_year(ctx, ["CUB", "CHL", "FRA"], "established", "2023-10-01").value == {"CUB": 1960, "CHL": 1970, "FRA": None}
    assert claims.membership_year(ctx, "WHO").value == 1973
    assert claims.membership_year(ctx, "FAO").value is None


def test_states_without_relations_by_list_and_group(ctx):
    assert claims.states_without_relations(ctx, "2023-10-01", states=["FRA", "CUB"]).value == ["FRA"]
    assert claims.states_without_relations(ctx, "2023-10-01", group="EU").value == ["FRA"]


def test_group_event_years_lists_members_outside_the_period(ctx):
    # EU members on 2023-10-01: Czechia and Slovakia (1993, inside 1991-1994) and France (never)
    assert claims.group_event_years(ctx, "EU", "established", "2023-10-01", 1991, 1994).value == ["FRA"]
    assert claims.group_event_years(ctx, "EU", "established", "2023-10-01", 1994, 2000).value == ["CZE", "FRA", "SVK"]


def test_first_last_and_duration(ctx):
    assert claims.first_among(ctx, "established", 1990, 1999, "Europe", "2023-10-01").value in {"CZE", "SVK"}
    assert claims.last_event(ctx, "established", "2023-10-01").value == "SVK"


def test_with_no_dated_event_of_the_kind_there_is_no_last_one_and_the_check_says_so(ctx):
    assert claims.last_event(ctx, "severed", "1960-01-01") == claims.Result(None, ["no dated severed event by 1960-01-01"])
    assert claims.duration_years(ctx, "CHL", "established", "severed", "2023-10-01").value == 3.1


def test_events_before_outside_and_period_ratio(ctx):
    assert claims.events_before_outside(ctx, "established", 1961, ["SUHH", "CSHH"], "2023-10-01").value == ["CUB"]
    assert claims.period_ratio(ctx, "established", [1948, 1969], [1990, 1999], "2023-10-01").value == round(2 / 3, 2)


@pytest.mark.parametrize("value, comparison, expected, tolerance, verdict", [
    (157, "approx", 160, 5, claims.SUPPORTED),
    (152, "approx", 160, 5, claims.PARTLY),
    (140, "approx", 160, 5, claims.CONTRADICTED),
    (47, "ge", 52, None, claims.CONTRADICTED),
    (0.81, "in_range", [0.75, 0.80], None, claims.CONTRADICTED),
    ({"A": 1973, "B": 1973}, "all", 1973, None, claims.SUPPORTED),
    ({"A": 1973, "B": 1982}, "all", 1973, None, claims.PARTLY),
    ({"A": 1975}, "all", 1974, None, claims.CONTRADICTED),
    ({"A": None}, "all", 1974, None, claims.NOT_CHECKABLE),
    (["DNK"], "none", None, None, claims.CONTRADICTED),
    ([], "none", None, None, claims.SUPPORTED),
    (["FRA", "EST"], "eq", ["EST", "FRA"], None, claims.SUPPORTED),
    (None, "eq", 3, None, claims.NOT_CHECKABLE),
])
def test_compare(value, comparison, expected, tolerance, verdict):
    assert claims.compare(value, comparison, expected, tolerance) == verdict


def claim(**kw):
    base = dict(claim_id="c", document="bondaz_2023", section="s", quote="q", check="stock_at", arguments="{}",
                comparison="eq", expected="", tolerance="", claim_date="2023-10-01", note="")
    merged = {**base, **kw}
    merged.setdefault("subject_until", merged["claim_date"])  # a statement about the day it speaks for
    return merged


def test_evaluate_finds_a_contradiction_and_keeps_evidence(ctx):
    register = pd.DataFrame([
        claim(claim_id="cuba_1961", check="event_year", arguments=json.dumps({"states": ["CUB"], "kind": "established"}), comparison="all", expected="1961"),
        claim(claim_id="stock_6", check="stock_at", expected="6"),
        claim(claim_id="both", check="consistent_with", arguments=json.dumps({"claims": ["cuba_1961", "stock_6"]}), comparison="all"),
        claim(claim_id="embassies", check="not_checkable", comparison="not_checkable", note="not in the data"),
        claim(claim_id="future", check="stock_at", expected="6", claim_date="2030-01-01"),
    ])
    out = claims.evaluate(register, ctx).set_index("claim_id")
    assert out.loc["cuba_1961", "verdict"] == claims.CONTRADICTED
    assert json.loads(out.loc["cuba_1961", "value"]) == {"CUB": 1960}
    assert "CUB established 1960" in out.loc["cuba_1961", "evidence"]
    assert out.loc["stock_6", "verdict"] == claims.SUPPORTED
    assert out.loc["both", "verdict"] == claims.CONTRADICTED
    assert out.loc["embassies", "verdict"] == claims.NOT_CHECKABLE
    assert out.loc["future", "verdict"] == claims.AFTER_CUT_OFF
    assert "after this run's cut-off" in out.loc["future", "detail"]
    counts = claims.verdict_counts(out.reset_index()).set_index("verdict")["claims"]
    assert counts.to_dict() == {claims.SUPPORTED: 1, claims.PARTLY: 0, claims.CONTRADICTED: 2, claims.NOT_CHECKABLE: 1,
                                claims.AFTER_CUT_OFF: 1}


def test_unknown_check_is_a_clear_error(ctx):
    with pytest.raises(ValueError, match="unknown check 'stok_at'"):
        claims.evaluate(pd.DataFrame([claim(check="stok_at")]), ctx)


def test_a_claim_right_only_under_another_source_s_date_is_partly_supported_and_says_so(dataset):
    events = dataset.events.copy()
    cuba = events.index[(events["iso3"] == "CUB")][0]
    events.loc[cuba, ["alt_date", "alt_precision", "alt_source"]] = ["1961-01", "month", "Announcement, p. 2"]
    spells = build_spells(events, dataset.states, dataset.successions, date(2023, 10, 1))
    ctx = claims.Context(events, spells, dataset.states, dataset.groups, dataset.memberships, date(2023, 10, 1))
    register = pd.DataFrame([claim(claim_id="cuba_1961", check="event_year", comparison="all", expected="1961",
                                   arguments=json.dumps({"states": ["CUB"], "kind": "established"}))])
    out = claims.evaluate(register, ctx).iloc[0]
    assert out["verdict"] == claims.PARTLY
    assert "only under the alternative dates" in out["detail"] and "CUB 1961-01 (Announcement, p. 2)" in out["detail"]


def test_acts_by_state_and_kind(ctx):
    expelled = claims.acts_missing(ctx, "ambassador_expelled", ["CUB", "CHL"], 2017, 2017, "2023-10-01")
    assert expelled.value == ["CHL"]
    assert any("acts.csv line 3" in e for e in expelled.evidence)
    assert claims.states_with_acts(ctx, ["economic_ties_suspended"], ["CUB", "CHL"], 1948, 2023, "2023-10-01").value == ["CHL"]
    assert claims.act_year(ctx, ["CUB", "CHL"], "ambassador_expelled", "2023-10-01").value == {"CUB": 2017, "CHL": None}
    # the DPRK's own acts are apart from the partner's
    assert claims.act_year(ctx, ["AUS"], "embassy_closed", "2023-10-01").value == {"AUS": None}
    assert claims.act_year(ctx, ["AUS"], "embassy_closed", "2023-10-01", actor="dprk").value == {"AUS": 1975}


def test_an_act_after_the_day_a_claim_speaks_for_is_not_counted(ctx):
    assert claims.act_year(ctx, ["CUB"], "ambassador_expelled", "2017-09-06").value == {"CUB": None}
    assert claims.act_year(ctx, ["CUB"], "ambassador_expelled", "2017-09-07").value == {"CUB": 2017}


def test_an_expulsion_is_not_a_break(ctx):
    # Cuba expelled the ambassador in 2017: relations stay in force, and only Chile and Australia broke
    assert claims.breaks_among(ctx, ["CUB", "CHL", "AUS"], 1970, 2023, "2023-10-01").value == ["AUS", "CHL"]
    assert claims.breaks_among(ctx, ["CUB"], 2017, 2017, "2023-10-01").value == []
    assert "CUB" in ctx.in_force_on(date(2023, 10, 1))


def test_missions_counted_from_the_list_and_the_dated_closures(ctx):
    # the list of December 1974 has three embassies; Canberra closed in October 1975
    assert claims.missions_count(ctx, "dprk_abroad", ["embassy"], "1974-06-01").value == 3
    after = claims.missions_count(ctx, "dprk_abroad", ["embassy"], "1976-01-01")
    assert after.value == 2
    assert any("AUS Canberra embassy taken out" in e for e in after.evidence)
    assert claims.missions_count(ctx, "dprk_abroad", ["embassy"], "1976-01-01", count="states").value == 2
    assert claims.missions_missing(ctx, "dprk_abroad", [["AUS", "Canberra", "embassy"]], "1976-01-01").value == ["AUS Canberra embassy"]
    assert claims.missions_missing(ctx, "dprk_abroad", [["AUS", "Canberra", "embassy"]], "1975-01-01").value == []
    assert claims.continents_without_missions(ctx, "dprk_abroad", "1976-01-01").value == ["Oceania"]


def test_a_count_with_no_list_is_not_checkable(ctx):
    result = claims.missions_count(ctx, "foreign_in_pyongyang", ["embassy"], "2019-12-31")
    assert result.value is None and "no complete list" in result.evidence[0]
    assert claims.compare(result.value, "ge", 24, None) == claims.NOT_CHECKABLE


def test_the_claim_date_is_passed_only_to_checks_that_take_a_day(ctx, monkeypatch):
    def no_day_parameter(ctx):
        day = "a local variable, not a parameter"
        return claims.Result(len(day))
    monkeypatch.setitem(claims.CHECKS, "no_day_parameter", no_day_parameter)
    out = claims.evaluate(pd.DataFrame([claim(claim_id="local", check="no_day_parameter", comparison="ge", expected="1")]), ctx)
    assert out.iloc[0]["verdict"] == claims.SUPPORTED
