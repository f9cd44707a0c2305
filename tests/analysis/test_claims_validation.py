"""The register's validation (claims_validation): each row of claims.csv against the registry's checks and
the kinds of their arguments, row by row (row_problems) and at ingest, where a problem names the file, the
line and the field."""
from __future__ import annotations

import json

from dprk_relations.analysis.claims_checks import CHECKS
from dprk_relations.analysis.claims_context import Result, parse_day
from dprk_relations.analysis.claims_registry import CHECKED_ON, STATE, check
from dprk_relations.analysis.claims_validation import parse_fields, register_problems, row_problems, subject_floor

from tests.conftest import build_raw
from tests.data.test_ingest import assert_named, problems_of

KNOWN = {"state": {"AUS", "CHL", "CUB"}, "event": {"established", "severed"}, "act": {"ambassador_expelled"},
         "mission": {"embassy"}, "direction": {"dprk_abroad"}, "actor": {"partner", "dprk"}, "continent": {"Europe"},
         "group": {"EU"}, "acronym": {"UN"}, "claim": {"c1"}}
ALL_CHECKS = ", ".join(sorted(set(CHECKS) | {"consistent_with", "not_checkable"}))


def row(**kw):
    base = dict(check="stock_at", comparison="eq", arguments="{}", expected="5", tolerance="", claim_date="2023-10-01",
                subject_until="2023-10-01")
    return {**base, **{k: json.dumps(v) if k == "arguments" and not isinstance(v, str) else v for k, v in kw.items()}}


def register_row(claim_id: str, check: str, arguments: dict, **kw) -> dict:
    """A whole row of claims.csv, for ingest."""
    return dict(dict(claim_id=claim_id, document="bondaz_2023", section="s", quote="q", check=check,
                     arguments=json.dumps(arguments), comparison="eq", expected="1", claim_date="2023-10-01",
                     subject_until="2023-10-01"), **kw)


# --- a row's fields ----------------------------------------------------------------------------------

def test_a_row_s_json_fields_are_parsed_once_into_what_the_validation_and_the_evaluation_read():
    fields = parse_fields(row(arguments={"day": "1990-01-01"}, expected="[1, 2]", tolerance="0.5"))
    assert (fields.arguments, fields.expected, fields.tolerance, fields.problems) == ({"day": "1990-01-01"}, [1, 2], 0.5, [])
    empty = parse_fields(row(arguments="", expected="", tolerance=""))
    assert (empty.arguments, empty.expected, empty.tolerance, empty.problems) == ({}, None, None, [])


def test_arguments_that_are_not_an_object_are_refused_even_null():
    assert row_problems(row(arguments="null"), KNOWN) == [("arguments", "must be a JSON object of argument names and values, got 'null'")]


def test_empty_arguments_are_no_arguments_and_a_check_that_needs_some_says_so():
    assert row_problems(row(check="ratio_of_stock", arguments=""), KNOWN) == [
        ("arguments", "ratio_of_stock needs the argument 'from_day'"), ("arguments", "ratio_of_stock needs the argument 'to_day'")]
    assert row_problems(row(arguments=""), KNOWN) == []  # the day is the claim's


# --- one row -----------------------------------------------------------------------------------------

def test_an_unknown_check_lists_the_known_ones_and_suggests_the_nearest():
    assert row_problems(row(check="zzz_qqq"), KNOWN) == [("check", f"'zzz_qqq' is not a check; known: {ALL_CHECKS}")]
    assert row_problems(row(check="stok_at"), KNOWN) == [
        ("check", f"'stok_at' is not a check (did you mean 'stock_at'?); known: {ALL_CHECKS}")]
    assert ALL_CHECKS.startswith("act_year, acts_missing, breaks_among, consistent_with, continents_without_missions")


def test_an_unknown_comparison_lists_the_known_ones():
    assert row_problems(row(comparison="between"), KNOWN) == [
        ("comparison", "'between' is not one of all, approx, eq, ge, in_range, le, none, not_checkable")]


def test_each_json_field_that_does_not_parse_is_named():
    assert row_problems(row(arguments="{", expected="[1,", tolerance="x"), KNOWN) == [
        ("arguments", "is not valid JSON (Expecting property name enclosed in double quotes at character 1): '{'"),
        ("expected", "is not valid JSON (Expecting value at character 3): '[1,'"),
        ("tolerance", "is not valid JSON (Expecting value at character 0): 'x'"),
        ("expected", "is empty; comparison 'eq' needs a value to compare with"),
    ]


def test_a_long_bad_value_is_quoted_to_sixty_characters():
    text = "{" + "a" * 80
    assert row_problems(row(arguments=text), KNOWN) == [
        ("arguments", f"is not valid JSON (Expecting property name enclosed in double quotes at character 1): {text[:60]!r}")]
    listed = json.dumps(list(range(30)))
    assert row_problems(row(arguments=listed), KNOWN) == [
        ("arguments", f"must be a JSON object of argument names and values, got {listed[:60]!r}")]


def test_an_expectation_is_needed_unless_the_row_is_not_checked():
    assert row_problems(row(expected=""), KNOWN) == [("expected", "is empty; comparison 'eq' needs a value to compare with")]
    assert row_problems(row(check="not_checkable", comparison="eq", expected="", arguments=""), KNOWN) == []
    assert row_problems(row(comparison="not_checkable", expected="", arguments=""), KNOWN) == []
    assert row_problems(row(comparison="none", expected="", arguments=""), KNOWN) == []
    assert row_problems(row(check="consistent_with", comparison="eq", expected="", arguments={"claims": ["c1"]}), KNOWN) == []


def test_approx_needs_a_tolerance():
    assert row_problems(row(comparison="approx"), KNOWN) == [("tolerance", "is empty; comparison 'approx' needs a tolerance")]
    assert row_problems(row(comparison="approx", tolerance="2"), KNOWN) == []



def test_a_tolerance_is_refused_where_the_comparison_would_ignore_it():
    for comparison in ("eq", "ge"):
        assert row_problems(row(comparison=comparison, tolerance="-1"), KNOWN) == [
            ("tolerance", f"is '-1', but only comparison 'approx' reads a tolerance; comparison '{comparison}' would ignore it "
                          "(empty it, or compare 'approx')")]
    assert row_problems(row(comparison="eq", tolerance=""), KNOWN) == []


def test_an_argument_the_check_does_not_take_is_named_with_what_it_takes():
    days = {"from_day": "1990-01-01", "to_day": "1991-01-01"}
    assert row_problems(row(check="ratio_of_stock", arguments={**days, "zzz": 1}), KNOWN) == [
        ("arguments", "ratio_of_stock takes no argument 'zzz'; it takes from_day, to_day")]
    assert row_problems(row(check="ratio_of_stock", arguments={"from_day": "1990-01-01", "to_dy": "1991-01-01"}), KNOWN) == [
        ("arguments", "ratio_of_stock takes no argument 'to_dy' (did you mean 'to_day'?); it takes from_day, to_day"),
        ("arguments", "ratio_of_stock needs the argument 'to_day'")]


def test_each_mission_is_a_known_state_a_city_and_a_known_kind():
    arguments = {"missions": [["CUB", "Havana"], ["XXX", "Paris", "palace"]], "direction": "nowhere", "day": "1990-01-01"}
    assert row_problems(row(check="missions_missing", arguments=arguments, comparison="between"), KNOWN) == [
        ("comparison", "'between' is not one of all, approx, eq, ge, in_range, le, none, not_checkable"),
        ("arguments", "each of 'missions' must be [state code, city, kind], got ['CUB', 'Havana']"),
        ("arguments", "missions: 'XXX' is not a known state (AUS, CHL, CUB)"),
        ("arguments", "missions: 'palace' is not a known mission (embassy)"),
        ("arguments", "direction: 'nowhere' is not a known direction (dprk_abroad)"),
    ]


def test_a_vocabulary_not_given_is_not_checked():
    partial = {k: v for k, v in KNOWN.items() if k not in ("mission", "group")}
    arguments = {"missions": [["CUB", "Havana", "palace"]], "direction": "dprk_abroad"}
    assert row_problems(row(check="missions_missing", arguments=arguments), partial) == []
    assert row_problems(row(check="states_without_relations", arguments={"group": "NOPE"}), partial) == []


def test_every_date_argument_must_be_a_date():
    assert row_problems(row(check="ratio_of_stock", arguments={"from_day": "1990-13-01", "to_day": "1991-02-30"}), KNOWN) == [
        ("arguments", "from_day: '1990-13-01' is not a date YYYY-MM-DD"),
        ("arguments", "to_day: '1991-02-30' is not a date YYYY-MM-DD")]
    not_after = {"direction": "dprk_abroad", "kinds": ["embassy"], "not_after": "soon"}
    assert row_problems(row(check="missions_count", arguments=not_after), KNOWN) == [
        ("arguments", "not_after: 'soon' is not a date YYYY-MM-DD")]
    assert row_problems(row(arguments={"day": None}), KNOWN) == [("arguments", "day: null is not of the type stock_at takes (str)")]


def test_arguments_after_a_date_or_a_free_value_are_still_checked():
    arguments = {"day": "2000-01-01", "states": ["XXX"], "kind": "established"}
    assert row_problems(row(check="event_year", arguments=arguments), KNOWN) == [
        ("arguments", "states: 'XXX' is not a known state (AUS, CHL, CUB)")]
    arguments = {"start_year": 1990, "end_year": 1999, "kind": "crowned"}
    assert row_problems(row(check="count_events", arguments=arguments), KNOWN) == [
        ("arguments", "kind: 'crowned' is not a known event (established, severed)")]


def test_the_earliest_subject_is_the_last_day_the_kinds_of_the_arguments_and_the_expected_years_name():
    assert subject_floor("period_ratio", {"kind": "established", "earlier": [1948, 1959], "later": [1970, 1993]}, 2.0,
                         "2023-10-01") == "1993-12-31"
    assert subject_floor("events_before_outside", {"kind": "established", "before_year": 1960, "exclude": []}, [],
                         "2023-10-01") == "1959-12-31"
    assert subject_floor("event_year", {"states": ["CUB"], "kind": "established"}, [1960, 1961], "2023-10-01") == "1961-12-31"
    assert subject_floor("ratio_of_stock", {"from_day": "1990-01-01", "to_day": "2030-01-01"}, 2, "2023-10-01") == "2023-10-01"
    assert subject_floor("stock_at", {}, 5, "2023-10-01") is None


# --- the register, at ingest ------------------------------------------------------------------------------

def test_values_no_argument_name_gave_away_are_refused_naming_file_line_and_field(tmp_path):
    """`exclude` and `exclude_kinds` went unchecked when the validator knew vocabularies by argument name."""
    good = register_row("good", "events_before_outside", {"kind": "established", "before_year": 1960, "exclude": ["SUHH"]},
                        expected='["CSHH"]', subject_until="1959-12-31")
    bad = dict(good, claim_id="bad", arguments=json.dumps({"kind": "established", "before_year": 1960, "exclude": ["SUH"]}))
    bad_kind = register_row("bad_kind", "ever_established_at", {"exclude_kinds": ["observr"]})
    problems = problems_of(build_raw(tmp_path / "raw", claims=[good, bad, bad_kind]))
    assert_named(problems, "claims.csv", 3, "arguments", "exclude: 'SUH' is not a known state (")
    assert_named(problems, "claims.csv", 4, "arguments",
                 "exclude_kinds: 'observr' is not a known kind of state (dissolved, observer, un_member)")
    assert len(problems) == 2, problems


def test_a_count_counts_missions_or_states_and_nothing_else():
    arguments = {"direction": "dprk_abroad", "kinds": ["embassy"], "count": "state"}
    assert row_problems(row(check="missions_count", arguments=arguments), KNOWN) == [
        ("arguments", "count: 'state' is not a known count (missions, states)")]


def test_a_newly_registered_check_s_arguments_are_checked_by_their_kinds(tmp_path, scratch_checks):
    @check(kinds={"country": STATE, "day": CHECKED_ON})
    def in_force_with(ctx, country: str, day: str) -> Result:
        """Whether relations with `country` were in force on `day`."""
        return Result(country in ctx.in_force_on(parse_day(day)))

    good = register_row("good", "in_force_with", {"country": "CUB"}, expected="true")
    bad = register_row("bad", "in_force_with", {"country": "KUB"}, expected="true")
    problems = problems_of(build_raw(tmp_path / "raw", claims=[good, bad]))
    assert_named(problems, "claims.csv", 3, "arguments", "country: 'KUB' is not a known state (")
    assert len(problems) == 1, problems


def test_a_combining_row_concerns_facts_up_to_the_last_of_the_statements_it_combines():
    rows = [dict(row(expected="5", subject_until="1993-12-31", claim_date="1993-12-31"), claim_id="s1"),
            dict(row(expected="5", subject_until="2000-12-31", claim_date="2000-12-31"), claim_id="s2"),
            dict(row(check="consistent_with", arguments={"claims": ["s1", "s2"]}, comparison="all", expected="",
                     subject_until="1995-12-31", claim_date="2000-12-31"), claim_id="both")]
    known = dict(KNOWN, claim={"s1", "s2", "both"})
    assert register_problems(rows, known) == [
        (2, "subject_until", "1995-12-31 is before 2000-12-31, the subject_until of a statement it combines")]
    rows[2]["subject_until"] = "2000-12-31"
    assert register_problems(rows, known) == []


def test_a_statement_combining_no_other_statement_is_refused():
    # all() over no verdict is true: without this, {"claims": []} would be "supported" by nothing
    assert row_problems(row(check="consistent_with", arguments='{"claims": []}', comparison="all", expected="1"), KNOWN) == [
        ("arguments", "consistent_with needs at least one value in 'claims'")]
