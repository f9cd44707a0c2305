"""Issue 17, point 7: every raw table is checked against what the data can be. Each kind of bad row below
used to pass ingest (and change outputs) or fail late with a raw exception; now it is refused, naming file,
line and field, with one message for one cause."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dprk_relations.data import ingest
from dprk_relations.rules.rawdata import RawDataError

from .test_ingest_errors import assert_named, first_row, problems_of, rewrite


def append_row(**values):
    def edit(rows, header):
        rows.append({**{k: "" for k in header}, **values})
        return rows, header
    return edit


def edit_json(path: Path, change) -> None:
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")


def resource(package: dict, name: str) -> dict:
    return next(r for r in package["resources"] if r["name"] == name)


@pytest.mark.parametrize("file, changes, field, words", [
    ("acts.csv", {"date": "2030-01-01", "precision": "day"}, "date", "is in the future (today is 2024-01-01)"),
    ("acts.csv", {"date": "1947", "precision": "year"}, "date", "is before the DPRK existed"),
    ("mission_snapshots.csv", {"snapshot_date": "2031-05", "precision": "month"}, "snapshot_date", "is in the future"),
    ("mission_snapshots.csv", {"snapshot_date": "1948-08", "precision": "month"}, "snapshot_date", "is before the DPRK existed"),
    ("published_counts.csv", {"count_date": "2099"}, "count_date", "is in the future"),
    ("published_counts.csv", {"count_date": "1930"}, "count_date", "is before the DPRK existed"),
    ("claims.csv", {"claim_date": "2030-01-01", "subject_until": "2030-01-01"}, "claim_date", "is not between the DPRK's founding"),
    ("claims.csv", {"claim_date": "2023-02-30"}, "claim_date", "is not a date YYYY-MM-DD"),
    ("dprk_memberships.csv", {"joined": "1901", "joined_precision": "year"}, "joined", "is before the DPRK existed"),
    ("groups.csv", {"joined": "2090-01-01"}, "joined", "is in the future"),
    ("successions.csv", {"date": "2077-01-01"}, "date", "is in the future"),
])
def test_a_date_that_cannot_be_is_refused(raw_dir, file, changes, field, words):
    rewrite(raw_dir / file, first_row(**changes))
    assert_named(problems_of(raw_dir), file, 2, field, words)


def test_a_source_other_than_the_chosen_one_dated_in_the_future_is_refused(raw_dir):
    rewrite(raw_dir / "sources.csv", append_row(event_id="CUB-established-1", citation="Later book", url="https://example.org/b",
                                                origin="book", date_given="2999", precision_given="year", reading="differs"))
    problems = problems_of(raw_dir)
    assert any(p.startswith("sources.csv, line") and "field 'date_given': 2999 is in the future" in p for p in problems), problems


def test_a_negative_or_absurd_count_is_refused(raw_dir):
    rewrite(raw_dir / "published_counts.csv", first_row(count="-3"))
    problems = problems_of(raw_dir)
    assert_named(problems, "published_counts.csv", 2, "count", "-3 is not a count from 0 to 9")
    rewrite(raw_dir / "published_counts.csv", first_row(count="10"))  # the fixture's universe has 9 states
    assert_named(problems_of(raw_dir), "published_counts.csv", 2, "count", "10 is not a count from 0 to 9")


def test_a_complete_list_must_add_up_to_its_stated_total_and_have_rows(raw_dir):
    rewrite(raw_dir / "mission_snapshots.csv", first_row(stated_total="5"))
    assert_named(problems_of(raw_dir), "mission_snapshots.csv", 2, "stated_total",
                 "the complete list 'fixture-1974-12' states 5 but missions.csv has 3 of its missions")
    rewrite(raw_dir / "mission_snapshots.csv", first_row(stated_total="3"))
    rewrite(raw_dir / "mission_snapshots.csv", append_row(snapshot="empty-list", snapshot_date="1980", precision="year",
                                                          direction="dprk_abroad", listing="resident", coverage="complete",
                                                          stated_scope="s", citation="c", url="https://example.org/l"))
    assert_named(problems_of(raw_dir), "mission_snapshots.csv", 3, "coverage", "missions.csv has no row of the list 'empty-list'")


def test_a_membership_that_ends_before_it_starts_is_refused(raw_dir):
    rewrite(raw_dir / "dprk_memberships.csv", first_row(joined="1991-09-17", joined_precision="day",
                                                        left="1990-01-01", left_precision="day"))
    assert_named(problems_of(raw_dir), "dprk_memberships.csv", 2, "left", "ends (1990-01-01) before joined (1991-09-17)")
    rewrite(raw_dir / "dprk_memberships.csv", first_row(left="", left_precision=""))
    rewrite(raw_dir / "groups.csv", first_row(left="2000-01-01", left_precision="day"))  # joined 2004-05-01
    assert_named(problems_of(raw_dir), "groups.csv", 2, "left", "ends (2000-01-01) before joined (2004-05-01)")


def test_un_membership_that_ends_before_it_starts_is_refused(raw_dir):
    rewrite(raw_dir / "states.csv", first_row(un_member_from="1990", un_member_to="1945"))
    assert_named(problems_of(raw_dir), "states.csv", 2, "un_member_to", "1945 is before un_member_from 1990")


@pytest.mark.parametrize("arguments, words", [
    ({"kind": "established", "states": "CUB"}, 'states: "CUB" is not of the type event_year takes (list[str])'),
    ({"kind": ["established"], "states": ["CUB"]}, 'kind: ["established"] is not of the type event_year takes (str)'),
])
def test_a_claim_argument_of_the_wrong_type_is_refused_not_read_letter_by_letter(raw_dir, arguments, words):
    rewrite(raw_dir / "claims.csv", first_row(arguments=json.dumps(arguments)))
    problems = problems_of(raw_dir)
    assert_named(problems, "claims.csv", 2, "arguments", words)
    assert not any("is not a known state" in p for p in problems)  # "C", "U", "B" are not looked up


@pytest.mark.parametrize("changes, field, words", [
    ({"comparison": "ge", "expected": '"many"'}, "expected", "comparison 'ge' needs a number"),
    ({"comparison": "in_range", "expected": "[1970, 1960]"}, "expected", "needs [low, high] with low <= high"),
    ({"comparison": "all", "expected": '"1960"'}, "expected", "needs a year or [first, last] years"),
    ({"comparison": "approx", "expected": "1960", "tolerance": "-1"}, "tolerance", "must be a number of 0 or more"),
    ({"subject_until": "1959-12-31"}, "subject_until", "is before 1960-12-31, the last day the statement's arguments"),
    ({"subject_until": "2024-01-01"}, "subject_until", "is after the claim's date 2023-10-01"),
])
def test_a_claims_expectation_or_subject_that_cannot_be_checked_is_refused(raw_dir, changes, field, words):
    rewrite(raw_dir / "claims.csv", first_row(**changes))
    assert_named(problems_of(raw_dir), "claims.csv", 2, field, words)


def test_a_field_type_the_reader_does_not_check_is_refused(raw_dir):
    edit_json(raw_dir / "datapackage.json", lambda p: resource(p, "events")["schema"]["fields"][4].update(type="date"))
    problems = problems_of(raw_dir)
    assert len(problems) == 1
    assert "resource 'events', field 'date'" in problems[0] and "type 'date' is not one this reader checks" in problems[0]


def test_a_bad_pattern_in_the_schema_is_named_not_a_traceback(raw_dir):
    edit_json(raw_dir / "datapackage.json",
              lambda p: resource(p, "events")["schema"]["fields"][4]["constraints"].update(pattern="[0-9"))
    problems = problems_of(raw_dir)
    assert len(problems) == 1 and "field 'date'" in problems[0] and "is not a regular expression" in problems[0]


def test_a_resource_path_that_leaves_the_raw_folder_is_refused_and_not_read(raw_dir, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("first line of someone's file\n", encoding="utf-8")
    edit_json(raw_dir / "datapackage.json", lambda p: resource(p, "events").update(path="../secret.csv"))
    problems = problems_of(raw_dir)
    assert len(problems) == 1 and "path '../secret.csv' leaves the raw folder" in problems[0]
    assert "someone" not in problems[0]


def test_a_symbolic_link_out_of_the_raw_folder_is_named_as_such_and_not_followed(raw_dir, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("password,hunter2\n", encoding="utf-8")
    (raw_dir / "no_relations.csv").unlink()
    os.symlink(outside, raw_dir / "no_relations.csv")
    problems = problems_of(raw_dir)
    assert problems == ["no_relations.csv: is a symbolic link to a file outside the raw folder; copy the file into the raw folder instead"]


def test_a_directory_in_place_of_a_table_is_named_as_a_directory(raw_dir):
    (raw_dir / "acts.csv").unlink()
    (raw_dir / "acts.csv").mkdir()
    assert problems_of(raw_dir) == ["acts.csv: is a directory, not a CSV file"]


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\u202e", "\u2066", "\x85"])
def test_control_and_bidirectional_characters_in_text_are_refused(raw_dir, char):
    rewrite(raw_dir / "acts.csv", first_row(note=f"a note{char}with a trick"))
    assert_named(problems_of(raw_dir), "acts.csv", 2, "note", f"contains the control character U+{ord(char):04X} at position 7")


def test_a_trailing_comma_on_a_header_is_one_problem_not_one_per_row(raw_dir):
    path = raw_dir / "sources.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([lines[0] + ","] + lines[1:]), encoding="utf-8")
    problems = problems_of(raw_dir)
    assert [p for p in problems if p.startswith("sources.csv")] == [
        "sources.csv, line 1: the header has an empty column name at position 11 (a trailing comma?); expected the columns "
        "event_id, citation, url, origin, date_given, precision_given, quote, quote_en, via, reading"]


def test_a_repeated_state_code_is_one_problem_not_a_crash(raw_dir):
    def duplicate(rows, header):
        return rows + [dict(rows[5])], header  # Cuba twice
    rewrite(raw_dir / "states.csv", duplicate)
    problems = problems_of(raw_dir)
    assert problems == ["states.csv, line 11, field 'iso3': CUB repeats line 7 (the same entry twice)"]


def test_the_real_data_pass_every_check():
    from dprk_relations.core import paths

    try:
        ingest.load(paths.DATA_RAW)
    except RawDataError as exc:  # pragma: no cover - the message is the point
        pytest.fail(str(exc))


# --- a verbatim quote behind every chosen date (issue 18) ----------------------------------------

def test_a_chosen_source_without_a_quote_is_refused(raw_dir):
    def drop_quote(rows, header):
        next(r for r in rows if r["reading"] == "chosen")["quote"] = ""
        return rows, header
    rewrite(raw_dir / "sources.csv", drop_quote)
    assert_named(problems_of(raw_dir), "sources.csv", 2, "quote", "is empty; the chosen source needs a short verbatim quote")


@pytest.mark.parametrize("quote, date_given, precision, gap", [
    ("established diplomatic relations on 26 December 1973", "1973-12-26", "day", ""),
    ("on December 26, 1973", "1973-12-26", "day", ""),
    ("le 26 décembre 1973", "1973-12-26", "day", ""),
    ("el 26 de diciembre de 1973", "1973-12-26", "day", ""),
    ("am 26. Dezember 1973", "1973-12-26", "day", ""),
    ("1973년 12월 26일 수교", "1973-12-26", "day", ""),
    ("1973年12月26日", "1973-12-26", "day", ""),
    ("1992. 1. 21 외교관계 수립", "1992-01-21", "day", ""),
    ("79년 9월 수교했으나", "1979-09", "month", ""),
    ("broke off relations on Nov. 4, 1983", "1983-11-04", "day", ""),
    ("몬테네그로(7.16) … 2007년", "2007-07-16", "day", ""),
    ("북한은 13일 아르메니아와 외교관계를 수립했다", "1992-02-13", "day", "the year"),
    ("relations since 1973", "1973-12-26", "day", "the month"),
    ("in December 1973", "1973-12-26", "day", "the day"),
    ("relations established in 1973", "1973", "year", ""),
])
def test_a_quote_is_read_for_its_date_in_the_usual_written_forms(quote, date_given, precision, gap):
    from dprk_relations.rules.evidence import quote_gap

    assert quote_gap(quote, date_given, precision) == gap


def test_a_quote_that_shows_its_date_only_through_its_context_is_reported_not_refused(raw_dir):
    def vague(rows, header):
        next(r for r in rows if r["event_id"] == "CUB-established-1")["quote"] = "Cuba and the DPRK: relations established"
        return rows, header
    rewrite(raw_dir / "sources.csv", vague)
    sources = ingest.load(raw_dir).sources.set_index("event_id")
    assert sources.loc["CUB-established-1", "quote_lacks"] == "the year"
    assert sources.loc["CHL-severed-1", "quote_lacks"] == ""
