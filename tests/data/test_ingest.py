"""Every kind of mistake a person makes in the raw tables gets an error naming file, line and field.

Ingest, rule by rule: every cross-table check with its exact message (file, line, field), and the
derived columns of the dataset, on the tiny fixture of conftest.py edited one row at a time.

Line numbers: the header is line 1. states.csv: SUHH 2, RUS 3, CSHH 4, CZE 5, SVK 6, CUB 7, CHL 8,
AUS 9, FRA 10. events.csv and sources.csv: EVENTS[i] on line i + 2 (CUB 4, CHL severed 6, AUS
suspended 8, CHL restored 9, AUS restored 12), appended events from line 13. groups.csv: EU CZE 2,
EU SVK 3, EU FRA 4, NORDIC AUS 5. acts.csv: AUS 2, CUB 3, CHL 4. missions.csv: CUB 2, AUS 3, CSHH 4.

Issue 17, point 7: every raw table is checked against what the data can be. Each kind of bad row below
used to pass ingest (and change outputs) or fail late with a raw exception; now it is refused, naming file,
line and field, with one message for one cause."""
from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import fields
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dprk_relations.core import paths
from dprk_relations.data import ingest
from dprk_relations.rules import evidence
from dprk_relations.rules.problems import RawDataError
from tests.conftest import EVENTS, SRC, build_raw


def rewrite(path: Path, edit) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    header = list(rows[0].keys())
    rows, header = edit(rows, header)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_field(iso3: str, event: str, field: str, value: str):
    def edit(rows, header):
        for row in rows:
            if row["iso3"] == iso3 and row["event"] == event:
                row[field] = value
        return rows, header
    return edit


def first_row(**changes):
    """An edit for `rewrite`: the first data row takes these values."""
    def edit(rows, header):
        rows[0].update(changes)
        return rows, header
    return edit


def problems_of(raw: Path, today: date = date(2024, 1, 1)) -> list[str]:
    with pytest.raises(RawDataError) as info:
        ingest.load(raw, today=today)
    # the fixture lives in a temporary folder: keep the file name, drop the folder
    return [re.sub(r"^\S*/(?=[^/\s]+\.csv)", "", str(p)) for p in info.value.problems]


def assert_named(problems: list[str], file: str, line: int, field: str, words: str) -> None:
    expected = f"{file}, line {line}, field '{field}'"
    hits = [p for p in problems if p.startswith(expected) or (line == 0 and p.startswith(file) and f"'{field}'" in p)]
    assert hits, f"no problem at {expected}; got {problems}"
    assert any(words in p for p in hits), f"{words!r} not in {hits}"


def assert_named_line(problems: list[str], where: str, words: str) -> None:
    assert any(p.startswith(where) and words in p for p in problems), problems


# line numbers: the header is line 1; EVENTS[i] is on line i + 2
CUBA, CHILE_SEVERED = 4, 6


def test_a_clean_fixture_loads(raw_dir):
    assert len(ingest.load(raw_dir, today=date(2024, 1, 1)).events) == len(EVENTS)


def test_missing_column(raw_dir):
    rewrite(raw_dir / "events.csv", lambda rows, h: ([{k: v for k, v in r.items() if k != "date_rule"} for r in rows], [c for c in h if c != "date_rule"]))
    assert_named(problems_of(raw_dir), "events.csv", 1, "date_rule", "column is missing")


def test_a_column_repeated_in_the_header_is_refused(raw_dir):
    path = raw_dir / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",note"] + [line + "," for line in lines[1:]]) + "\n", encoding="utf-8")
    assert_named(problems_of(raw_dir), "events.csv", 1, "note", "appears 2 times in the header")


def test_misspelt_column_is_named_with_its_likely_meaning(raw_dir):
    rewrite(raw_dir / "events.csv", lambda rows, h: ([{("precison" if k == "precision" else k): v for k, v in r.items()} for r in rows],
                                                     ["precison" if c == "precision" else c for c in h]))
    assert_named(problems_of(raw_dir), "events.csv", 1, "precision", "found 'precison': misspelt?")


def test_empty_required_field(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "state", ""))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "state", "is empty; a value is required")


def test_date_that_does_not_parse(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "date", "1960-02-30"))
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "precision", "day"))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "date", "has day 30")


def test_date_with_the_wrong_form_for_its_precision(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "date", "1960-08"))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "date", "does not have the form YYYY")


def test_date_before_1948(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "date", "1947"))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "date", "before the DPRK existed")


def test_date_in_the_future(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "date", "2030"))
    assert_named(problems_of(raw_dir, today=date(2024, 1, 1)), "events.csv", CUBA, "date", "in the future")


def test_date_after_the_cut_off_is_not_an_error(raw_dir):
    from dprk_relations.rules.relations import included_events

    data = ingest.load(raw_dir, today=date(2024, 1, 1))
    _, left = included_events(data.events, date(1990, 1, 1))
    assert "CZE" in set(left["iso3"])


def test_unknown_event_type(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "event", "recognised"))
    problems = problems_of(raw_dir)
    assert_named(problems, "events.csv", CUBA, "event", "'recognised' is not one of established")
    # named once, by the schema: the checks of each state's sequence of events leave the row out
    assert len([p for p in problems if p.startswith(f"events.csv, line {CUBA}, field 'event'")]) == 1, problems


def test_unknown_country_code(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "iso3", "CUX"))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "iso3", "'CUX' is not a code in")


def test_unknown_country_name(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "state", "Kuba"))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "state", "'Kuba' is not the name of CUB")


def test_the_same_event_id_twice(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CHL", "restored", "event_id", "CHL-severed-1"))
    restored_line = 2 + EVENTS.index(("CHL", "Chile", "restored", "1992-09-25", "day"))
    assert_named(problems_of(raw_dir), "events.csv", restored_line, "event_id", f"repeats line {CHILE_SEVERED}")


def test_event_id_that_names_another_state_or_kind(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "event_id", "CUB-severed-1"))
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "event_id", "CUB-severed-1"))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "event_id", "should start with 'CUB-established-'")


def test_the_same_event_twice(tmp_path):
    raw = build_raw(tmp_path / "raw", events=EVENTS + [("CUB", "Cuba", "established", "1960", "year")])
    assert_named(problems_of(raw), "events.csv", len(EVENTS) + 2, "event", "'established' at 1960, but relations are in force")


def test_severance_with_no_relation_in_force(tmp_path):
    raw = build_raw(tmp_path / "raw", events=EVENTS + [("FRA", "France", "severed", "1980", "year")])
    problems = problems_of(raw)
    assert_named(problems, "events.csv", len(EVENTS) + 2, "event", "'severed' at 1980, but no relation had been established")


def test_suspension_while_severed(tmp_path):
    raw = build_raw(tmp_path / "raw", events=EVENTS + [("CHL", "Chile", "suspended", "1980", "year")])
    assert_named(problems_of(raw), "events.csv", len(EVENTS) + 2, "event", "'suspended' at 1980, but relations are severed")


def test_restoration_with_no_earlier_break(tmp_path):
    raw = build_raw(tmp_path / "raw", events=EVENTS + [("CUB", "Cuba", "restored", "1980", "year")])
    assert_named(problems_of(raw), "events.csv", len(EVENTS) + 2, "event", "'restored' at 1980, but relations are in force")


def test_establishing_again_after_a_break_asks_for_restored(tmp_path):
    events = [e for e in EVENTS if not (e[0] == "CHL" and e[2] == "restored")] + [("CHL", "Chile", "established", "1990", "year")]
    raw = build_raw(tmp_path / "raw", events=events)
    assert_named(problems_of(raw), "events.csv", len(events) + 1, "event", "use 'restored' after a break")


def test_event_after_the_state_ceased_to_exist(tmp_path):
    raw = build_raw(tmp_path / "raw", events=EVENTS + [("SUHH", "Soviet Union", "severed", "1995", "year")])
    assert_named(problems_of(raw), "events.csv", len(EVENTS) + 2, "date", "after SUHH ceased to exist (1991-12-25)")


def test_event_before_the_state_existed(tmp_path):
    events = [("SVK", "Slovakia", "established", "1990", "year") if e[0] == "SVK" else e for e in EVENTS]
    raw = build_raw(tmp_path / "raw", events=events)
    line = 2 + [e[0] for e in events].index("SVK")
    assert_named(problems_of(raw), "events.csv", line, "date", "before SVK existed (from 1993-01-01)")


def set_source(event_id: str, field: str, value: str):
    def edit(rows, header):
        for row in rows:
            if row["event_id"] == event_id:
                row[field] = value
        return rows, header
    return edit


# sources.csv has one row per fixture event, in the same order: the source of EVENTS[i] is on line i + 2
def test_source_missing(raw_dir):
    rewrite(raw_dir / "sources.csv", set_source("CHL-severed-1", "citation", ""))
    rewrite(raw_dir / "sources.csv", set_source("CHL-severed-1", "url", ""))
    problems = problems_of(raw_dir)
    assert_named(problems, "sources.csv", CHILE_SEVERED, "citation", "is empty")
    assert_named(problems, "sources.csv", CHILE_SEVERED, "url", "is empty")


def test_source_url_that_is_not_a_url(raw_dir):
    rewrite(raw_dir / "sources.csv", set_source("CHL-severed-1", "url", "see the book"))
    assert_named(problems_of(raw_dir), "sources.csv", CHILE_SEVERED, "url", "does not match")


def test_event_without_a_source(raw_dir):
    rewrite(raw_dir / "sources.csv", lambda rows, h: ([r for r in rows if r["event_id"] != "CUB-established-1"], h))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "event_id", "has no row in sources.csv")


def test_source_of_an_event_that_does_not_exist(raw_dir):
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "event_id", "CUB-established-9"))
    assert_named(problems_of(raw_dir), "sources.csv", CUBA, "event_id", "'CUB-established-9' is not a code in")


def test_date_that_its_chosen_source_does_not_give(raw_dir):
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "date_given", "1961"))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "date", "is not what the chosen source gives ('1961', year, sources.csv line")


def add_cuban_source(date_given: str, precision_given: str, reading: str):
    """An edit adding a second source, of another origin, for Cuba's establishment."""
    def edit(rows, header):
        return rows + [dict(rows[CUBA - 2], url="https://example.org/other", origin="other", date_given=date_given,
                            precision_given=precision_given, reading=reading)], header
    return edit


def test_most_specific_rule_with_a_finer_source_is_refused(raw_dir):
    rewrite(raw_dir / "sources.csv", add_cuban_source("1960-07-28", "day", "agrees"))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "date_rule", "gives the finer date 1960-07-28")


def test_an_agreeing_source_must_contain_the_date(raw_dir):
    rewrite(raw_dir / "sources.csv", add_cuban_source("1959", "year", "agrees"))
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "reading", "read it as 'differs'")


def test_undated_event_needs_sourced_bounds(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "date", ""))
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "precision", "window"))
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "date_rule", "window"))
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "latest", "1961"))
    problems = problems_of(raw_dir)
    assert_named(problems, "events.csv", CUBA, "earliest", "precision 'window' needs both bounds")


def test_window_bound_without_its_source(raw_dir):
    for field, value in (("date", ""), ("precision", "window"), ("date_rule", "window"), ("earliest", "1959"), ("latest", "1961")):
        rewrite(raw_dir / "events.csv", set_field("CUB", "established", field, value))
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "reading", "latest"))
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "date_given", "1961"))
    problems = problems_of(raw_dir)
    assert_named(problems, "events.csv", CUBA, "earliest", "no source row with reading 'earliest'")
    assert not any("field 'latest'" in p for p in problems), problems


def test_a_window_counts_from_its_latest_day(raw_dir):
    for field, value in (("date", ""), ("precision", "window"), ("date_rule", "window"), ("earliest", "1959"), ("latest", "1961-06")):
        rewrite(raw_dir / "events.csv", set_field("CUB", "established", field, value))
    def bounds(rows, header):
        cuba = rows[CUBA - 2]
        return rows + [dict(cuba, date_given="1961-06", precision_given="month", reading="latest")], header
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "reading", "earliest"))
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "date_given", "1959"))
    rewrite(raw_dir / "sources.csv", bounds)
    events = ingest.load(raw_dir, today=date(2024, 1, 1)).events.set_index("event_id")
    assert events.loc["CUB-established-1", "date_earliest"] == date(1959, 1, 1)
    assert events.loc["CUB-established-1", "date_latest"] == date(1961, 6, 30)
    assert events.loc["CUB-established-1", "year"] == 1961


def test_overlong_cell_is_named(raw_dir):
    rewrite(raw_dir / "sources.csv", set_source("CHL-severed-1", "quote", "x" * 401))
    assert_named(problems_of(raw_dir), "sources.csv", CHILE_SEVERED, "quote", "has 401 characters, at most 400")


def test_published_count_with_a_bad_quantity_and_number(raw_dir):
    def bad(rows, header):
        rows[0]["quantity"], rows[0]["count"] = "maintained", "about 4"
        return rows, header
    rewrite(raw_dir / "published_counts.csv", bad)
    problems = problems_of(raw_dir)
    assert_named(problems, "published_counts.csv", 2, "quantity", "'maintained' is not one of in_force, ever")
    assert_named(problems, "published_counts.csv", 2, "count", "is not a whole number")


def test_file_in_another_encoding(raw_dir):
    path = raw_dir / "sources.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Fixture source, p. 1", "Fixture source, p. 1, Côte", 1).encode("latin-1"))
    problems = problems_of(raw_dir)
    assert_named_line(problems, "sources.csv, line 2", "is not UTF-8")


def test_a_file_saved_by_a_spreadsheet_with_a_byte_order_mark_is_read(raw_dir):
    path = raw_dir / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    data = ingest.load(raw_dir, today=date(2024, 1, 1))
    assert "event_id" in data.events.columns and len(data.events) == len(EVENTS)


def test_a_field_over_the_csv_size_limit_is_named_with_its_line(raw_dir):
    path = raw_dir / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + "x" * 140_000 + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    problems = problems_of(raw_dir)
    assert any(p.startswith("sources.csv, line 4, field '") and "140,0" in p and "more than the 131,072" in p for p in problems), problems


def test_a_quote_left_open_is_named_not_swallowing_the_rows_after_it(raw_dir):
    """The csv module, not strict, reads an open quote as a cell running to the end of the file: the
    rows after it would vanish without a word. Read strictly, the file is refused with its line."""
    path = raw_dir / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[CUBA - 1].split(",")
    cells[-1] = '"' + cells[-1]
    lines[CUBA - 1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    problems = problems_of(raw_dir)
    assert_named_line(problems, "events.csv, line", "cannot be read as CSV: unexpected end of data")


def test_a_nul_byte_is_named_with_its_line(raw_dir):
    path = raw_dir / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[CHILE_SEVERED - 1] = lines[CHILE_SEVERED - 1].replace(",", ",\x00", 1)
    path.write_text("".join(lines), encoding="utf-8")
    assert_named_line(problems_of(raw_dir), f"events.csv, line {CHILE_SEVERED}", "contains a NUL byte")


@pytest.mark.parametrize("table, field", [("dprk_memberships.csv", "joined"), ("published_counts.csv", "count_date"),
                                          ("mission_snapshots.csv", "snapshot_date")])
def test_an_impossible_date_in_the_reference_tables_is_named(raw_dir, table, field):
    rewrite(raw_dir / table, first_row(**{field: "1991-13-17"}))
    assert_named_line(problems_of(raw_dir), f"{table}, line 2, field '{field}'", "1991-13-17")


def test_an_unreadable_file_is_named_not_a_traceback(raw_dir):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads any file: the permission cannot be taken away")
    path = raw_dir / "groups.csv"
    path.chmod(0)
    try:
        assert_named_line(problems_of(raw_dir), "groups.csv", "permission denied")
    finally:
        path.chmod(0o644)


def test_empty_file(raw_dir):
    (raw_dir / "groups.csv").write_text("", encoding="utf-8")
    assert_named_line(problems_of(raw_dir), "groups.csv", "file is empty")


def test_state_with_no_event_and_no_never_entry(raw_dir):
    # France's 'never' entry replaced by one for Cuba, which has events: both mistakes are named
    rewrite(raw_dir / "no_relations.csv", lambda rows, h: ([{**rows[0], "iso3": "CUB", "state": "Cuba"}], h))
    problems = problems_of(raw_dir)
    assert_named(problems, "states.csv", 10, "iso3", "FRA (France) has no event, no 'never' entry")
    assert_named(problems, "no_relations.csv", 2, "iso3", "CUB is listed as never having relations but has events")


def test_table_with_a_header_and_no_rows(raw_dir):
    rewrite(raw_dir / "no_relations.csv", lambda rows, h: ([], h))
    assert_named_line(problems_of(raw_dir), "no_relations.csv", "header but no rows")


def test_several_wrong_rows_are_all_reported_at_once(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "event", "recognised"))
    rewrite(raw_dir / "events.csv", set_field("CHL", "severed", "precision", "decade"))
    rewrite(raw_dir / "events.csv", set_field("AUS", "suspended", "iso3", "AUZ"))
    problems = problems_of(raw_dir)
    assert_named(problems, "events.csv", CUBA, "event", "not one of")
    assert_named(problems, "events.csv", CHILE_SEVERED, "precision", "'decade' is not one of")
    assert_named(problems, "events.csv", 8, "iso3", "'AUZ'")
    assert len(problems) >= 3


def test_bad_rows_of_the_acts_and_missions_tables_are_named(raw_dir):
    def bad_act(rows, header):
        rows[0]["kind"], rows[0]["date"] = "broke_relations", "1975-13"
        return rows, header
    rewrite(raw_dir / "acts.csv", bad_act)
    rewrite(raw_dir / "mission_snapshots.csv", first_row(direction="abroad", stated_total="-3"))
    rewrite(raw_dir / "missions.csv", first_row(kind="mission"))
    problems = problems_of(raw_dir)
    assert_named(problems, "acts.csv", 2, "kind", "'broke_relations' is not one of")
    assert_named(problems, "mission_snapshots.csv", 2, "direction", "'abroad' is not one of dprk_abroad, foreign_in_pyongyang")
    assert_named(problems, "mission_snapshots.csv", 2, "stated_total", "-3 is below the minimum 0")
    assert_named(problems, "missions.csv", 2, "kind", "'mission' is not one of")


def test_a_mission_row_of_an_unknown_list_is_named(raw_dir):
    rewrite(raw_dir / "missions.csv", first_row(snapshot="fixture-1976"))
    assert_named(problems_of(raw_dir), "missions.csv", 2, "snapshot", "'fixture-1976' is not a code in")


def test_an_act_on_a_mission_needs_its_city_and_no_other_act_has_one(raw_dir):
    def bad(rows, header):
        second = dict(rows[0], kind="ambassador_expelled", actor="partner")  # keeps mission and city: wrong
        rows[0]["city"] = ""
        return rows + [second], header
    rewrite(raw_dir / "acts.csv", bad)
    problems = problems_of(raw_dir)
    assert_named(problems, "acts.csv", 2, "city", "is empty; 'embassy_closed' needs the city of the mission")
    assert_named(problems, "acts.csv", 5, "mission", "'ambassador_expelled' opens or closes no mission")


def test_an_act_naming_an_unknown_state_is_named(raw_dir):
    rewrite(raw_dir / "acts.csv", first_row(iso3="AUZ"))
    assert_named(problems_of(raw_dir), "acts.csv", 2, "iso3", "'AUZ' is not a code in states.csv")


def test_an_impossible_date_in_the_acts_table_is_named(raw_dir):
    rewrite(raw_dir / "acts.csv", first_row(date="1975-13"))
    assert_named(problems_of(raw_dir), "acts.csv", 2, "date", "has month 13")


CLAIM = dict(claim_id="c", document="bondaz_2023", section="s", quote="q", check="event_year",
             arguments='{"kind": "established", "states": ["CUB"]}', comparison="all", expected="1960", tolerance="",
             claim_date="2023-10-01", subject_until="1960-12-31", note="")


@pytest.mark.parametrize("changes, field, words", [
    ({"arguments": '{"kind": "established", "states": ["CUB"'}, "arguments", "is not valid JSON"),
    ({"check": "event_yaer"}, "check", "'event_yaer' is not a check (did you mean 'event_year'?)"),
    ({"arguments": '{"kind": "established", "state": ["CUB"]}'}, "arguments", "event_year takes no argument 'state' (did you mean 'states'?)"),
    ({"arguments": '{"kind": "established"}'}, "arguments", "event_year needs the argument 'states'"),
    ({"arguments": '{"kind": "established", "states": ["CUX"]}'}, "arguments", "states: 'CUX' is not a known state"),
    ({"arguments": '{"kind": "recognised", "states": ["CUB"]}'}, "arguments", "kind: 'recognised' is not a known event"),
    ({"arguments": '["established"]'}, "arguments", "must be a JSON object"),
    ({"comparison": "about"}, "comparison", "'about' is not one of"),
    ({"expected": ""}, "expected", "comparison 'all' needs a value"),
    ({"comparison": "approx"}, "tolerance", "needs a tolerance"),
    ({"check": "consistent_with", "arguments": '{"claims": ["nope"]}'}, "arguments", "claims: 'nope' is not a known claim"),
    ({"check": "missions_count", "arguments": '{"direction": "abroad", "kinds": ["embassy"]}', "comparison": "ge"},
     "arguments", "direction: 'abroad' is not a known direction"),
    ({"check": "act_year", "arguments": '{"kind": "established", "states": ["CUB"]}'}, "arguments", "kind: 'established' is not a known act"),
    ({"check": "stock_at", "arguments": '{"day": "2016-13-01"}', "comparison": "eq"}, "arguments", "day: '2016-13-01' is not a date"),
])
def test_a_bad_claim_is_named_at_ingest_with_its_line_and_field(raw_dir, changes, field, words):
    """Issue 10's defect 3: these used to fail only in step 05, or turn silently into 'not checkable'."""
    def edit(rows, header):
        return [dict(CLAIM), dict(CLAIM, claim_id="bad", **changes)], header
    rewrite(raw_dir / "claims.csv", edit)
    problems = problems_of(raw_dir)
    assert_named(problems, "claims.csv", 3, field, words)
    assert not any(p.startswith("claims.csv, line 2") for p in problems)  # the good row is not blamed


def test_five_mistakes_in_five_tables_come_out_in_one_run(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "precision", "decade"))  # a schema problem
    rewrite(raw_dir / "sources.csv", first_row(date_given="1961"))  # the date rule
    rewrite(raw_dir / "groups.csv", first_row(joined="2004-13-01"))  # a bad date
    rewrite(raw_dir / "claims.csv", lambda rows, h: ([dict(rows[0], check="event_yaer")], h))  # the register
    rewrite(raw_dir / "no_relations.csv", first_row(state="Frankreich"))  # across tables
    problems = problems_of(raw_dir)
    for file, field in [("events.csv", "precision"), ("sources.csv", "date_given"), ("groups.csv", "joined"),
                        ("claims.csv", "check"), ("no_relations.csv", "state")]:
        assert any(p.startswith(file) and f"field '{field}'" in p for p in problems), (file, field, problems)


TODAY = date(2024, 1, 1)


def load(raw: Path, today: date = TODAY) -> ingest.Dataset:
    return ingest.load(raw, today=today)


def append(*new_rows: dict):
    """An edit for `rewrite`: rows added at the end (missing fields empty)."""
    def edit(rows, header):
        return rows + [{c: r.get(c, "") for c in header} for r in new_rows], header
    return edit


def edit_rows(match: dict, **changes):
    """An edit for `rewrite`: every row whose fields equal `match` takes these values."""
    def edit(rows, header):
        for row in rows:
            if all(row[k] == v for k, v in match.items()):
                row.update(changes)
        return rows, header
    return edit


def raw_with(tmp_path: Path, extra_events=()) -> Path:
    return build_raw(tmp_path / "raw", events=EVENTS + list(extra_events))


def new_state(iso3: str, name: str) -> dict:
    return dict(iso3=iso3, name=name, kind="un_member", source=SRC["source"], source_url=SRC["source_url"])


def continuation(pred: str, succ: str, when: str) -> dict:
    return dict(predecessor=pred, successor=succ, date=when, precision=evidence.precision_of(when), kind="continuation",
                source=SRC["source"], source_url=SRC["source_url"])


def make_window(raw: Path, event_id: str, earliest: str, latest: str, sources: bool = True) -> None:
    """Turn an event into one dated only by a window; with `sources`, its one source becomes the
    'earliest' bound and a second source gives the 'latest' bound, so the row is otherwise clean."""
    rewrite(raw / "events.csv", edit_rows({"event_id": event_id}, date="", precision="window", date_rule="window",
                                          earliest=earliest, latest=latest))
    if not sources:
        return
    def bounds(rows, header):
        out = []
        for row in rows:
            if row["event_id"] != event_id:
                out.append(row)
                continue
            for reading, given in (("earliest", earliest), ("latest", latest)):
                out.append(dict(row, url=f"https://example.org/{reading}", reading=reading, date_given=given,
                                precision_given=evidence.precision_of(given) if given else ""))
        return out, header
    rewrite(raw / "sources.csv", bounds)


# --- the tables of the dataset ------------------------------------------------------------------

STATES_COLUMNS = ["line", "iso3", "name", "kind", "existed_from", "existed_from_precision", "existed_to",
                  "existed_to_precision", "un_member_from", "un_member_to", "m49_region", "source", "source_url", "note",
                  "existed_from_earliest", "existed_from_latest", "existed_to_earliest", "existed_to_latest", "continent"]
EVENTS_COLUMNS = ["line", "event_id", "iso3", "state", "event", "date", "precision", "earliest", "latest", "date_rule", "note",
                  "date_earliest", "date_latest", "year", "order_date", "m49_region", "continent",
                  "source", "source_url", "n_sources", "n_origins", "alt_date", "alt_precision", "alt_source"]


def test_every_table_keeps_each_row_with_its_line_in_a_first_column(raw_dir):
    data = load(raw_dir)
    tables = [f.name for f in fields(ingest.Dataset) if f.name != "package"]
    assert len(tables) == 13
    for name in tables:
        frame = getattr(data, name)
        assert isinstance(frame, pd.DataFrame), name
        assert list(frame.columns)[0] == "line", name
        assert frame["line"].tolist() == list(range(2, len(frame) + 2)), name


def test_the_dataset_holds_each_table_under_its_own_name_with_exact_columns(raw_dir):
    data = load(raw_dir)
    assert list(data.states.columns) == STATES_COLUMNS
    assert list(data.events.columns) == EVENTS_COLUMNS
    assert list(data.sources.columns) == ["line", "event_id", "citation", "url", "origin", "date_given", "precision_given",
                                          "quote", "quote_en", "dateline", "via", "reading", "quote_lacks"]
    assert list(data.successions.columns)[-2:] == ["date_earliest", "date_latest"]
    assert list(data.groups.columns)[-4:] == ["joined_earliest", "joined_latest", "left_earliest", "left_latest"]
    assert list(data.memberships.columns)[-4:] == ["joined_earliest", "joined_latest", "left_earliest", "left_latest"]
    assert list(data.published_counts.columns)[-2:] == ["count_date_earliest", "count_date_latest"]
    assert list(data.acts.columns)[-2:] == ["date_earliest", "date_latest"]
    assert list(data.mission_snapshots.columns)[-2:] == ["snapshot_date_earliest", "snapshot_date_latest"]
    assert list(data.missions.columns) == ["line", "snapshot", "iso3", "city", "kind", "note"]
    assert list(data.claims.columns) == ["line", "claim_id", "document", "section", "quote", "check", "arguments",
                                         "comparison", "expected", "tolerance", "claim_date", "subject_until", "note"]
    assert list(data.no_relations.columns) == ["line", "iso3", "state", "source", "source_url", "note"]
    # each table is the one its name says
    assert data.no_relations["iso3"].tolist() == ["FRA"]
    assert data.successions["successor"].tolist() == ["RUS", "CZE", "SVK"]
    assert data.groups["group"].tolist() == ["EU", "EU", "EU", "NORDIC"]
    assert data.memberships["acronym"].tolist() == ["UN", "WHO"]
    assert data.claims["claim_id"].tolist() == ["cuba_1960"]
    assert data.published_counts["count_id"].tolist() == ["c1975"]
    assert data.acts["kind"].tolist() == ["embassy_closed", "ambassador_expelled", "economic_ties_suspended"]
    assert data.mission_snapshots["snapshot"].tolist() == ["fixture-1974-12"]
    assert data.missions["iso3"].tolist() == ["CUB", "AUS", "CSHH"]
    assert len(data.sources) == len(EVENTS)
    assert data.package == json.loads((raw_dir / "datapackage.json").read_text(encoding="utf-8"))


def test_each_date_field_gets_its_first_and_last_possible_day(raw_dir):
    """A table's date fields get `<field>_earliest` and `<field>_latest`; empty date and precision give None."""
    data = load(raw_dir)
    assert data.successions["date_earliest"].tolist() == [date(1991, 12, 26), date(1993, 1, 1), date(1993, 1, 1)]
    groups = data.groups.set_index("iso3")
    assert groups.loc["CZE", "joined_earliest"] == groups.loc["CZE", "joined_latest"] == date(2004, 5, 1)
    assert groups.loc["AUS", "joined_earliest"] is None and groups.loc["AUS", "joined_latest"] is None
    assert data.groups["left_earliest"].isna().all() and data.groups["left_latest"].isna().all()
    who = data.memberships.set_index("acronym").loc["WHO"]
    assert (who["joined_earliest"], who["joined_latest"]) == (date(1973, 1, 1), date(1973, 12, 31))
    count = data.published_counts.iloc[0]
    assert (count["count_date_earliest"], count["count_date_latest"]) == (date(1975, 1, 1), date(1975, 12, 31))
    act = data.acts.iloc[0]  # Australia, 1975-10
    assert (act["date_earliest"], act["date_latest"]) == (date(1975, 10, 1), date(1975, 10, 31))
    snap = data.mission_snapshots.iloc[0]
    assert (snap["snapshot_date_earliest"], snap["snapshot_date_latest"]) == (date(1974, 12, 1), date(1974, 12, 31))
    states = data.states.set_index("iso3")
    assert states.loc["SUHH", "existed_to_earliest"] == states.loc["SUHH", "existed_to_latest"] == date(1991, 12, 25)


def test_the_derived_columns_of_events(raw_dir):
    """Each event: bounds of its date, the year and order of its last possible day, its state's region and continent."""
    events = load(raw_dir).events.set_index("event_id")
    aus = events.loc["AUS-suspended-1"]  # 1975-10, month
    assert (aus["date_earliest"], aus["date_latest"], aus["year"], aus["order_date"]) == (
        date(1975, 10, 1), date(1975, 10, 31), 1975, date(1975, 10, 31))
    cub = events.loc["CUB-established-1"]  # 1960, year
    assert (cub["date_earliest"], cub["date_latest"], cub["order_date"]) == (date(1960, 1, 1), date(1960, 12, 31), date(1960, 12, 31))
    assert events["year"].tolist() == [1948, 1948, 1960, 1970, 1973, 1974, 1975, 1992, 1993, 1993, 2000]
    assert (cub["m49_region"], cub["continent"]) == ("Caribbean", "America")
    assert (events.loc["SUHH-established-1", "m49_region"], events.loc["SUHH-established-1", "continent"]) == ("Eastern Europe", "Europe")
    assert (events.loc["AUS-restored-1", "m49_region"], events.loc["AUS-restored-1", "continent"]) == ("Australia and New Zealand", "Oceania")
    # the evidence summary is joined on
    assert (cub["source"], cub["source_url"], cub["n_sources"], cub["n_origins"]) == (SRC["source"], SRC["source_url"], 1, 1)


# --- states ------------------------------------------------------------------------------------

def test_states_take_un_membership_and_region_from_the_country_library_only_when_blank(raw_dir):
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "RUS"}, un_member_from=""))
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "CZE"}, un_member_from=""))  # after Czechoslovakia's 1945
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "SUHH"}, un_member_from="", m49_region="Western Asia"))
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "CHL"}, m49_region="Central America"))
    states = load(raw_dir).states.set_index("iso3")
    assert str(states["un_member_from"].dtype) == "Int64" and str(states["un_member_to"].dtype) == "Int64"
    assert states.loc["RUS", "un_member_from"] == 1945  # the library's year
    assert pd.isna(states.loc["SUHH", "un_member_from"])  # the library does not know the USSR
    assert states.loc["CZE", "un_member_from"] == 1993  # the library's, not the row above's
    assert states.loc["CUB", "un_member_from"] == 1945 and states.loc["CSHH", "un_member_from"] == 1945
    assert states.loc["SUHH", "un_member_to"] == 1990 and pd.isna(states.loc["RUS", "un_member_to"])
    assert states.loc["CUB", "m49_region"] == "Caribbean"  # blank in states.csv: the library's
    assert states.loc["CHL", "m49_region"] == "Central America"  # given: kept, over the library's South America
    assert states.loc["SUHH", "m49_region"] == "Western Asia"
    # continent: the library's by code; for a state it does not know, from the region
    assert states.loc["CHL", "continent"] == "America"
    assert states.loc["SUHH", "continent"] == "Asia" and states.loc["CSHH", "continent"] == "Europe"


def test_a_region_that_is_not_an_m49_sub_region_is_named(raw_dir):
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "CHL"}, m49_region="Andes"))
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "SUHH"}, m49_region="Eastern Europ"))
    problems = problems_of(raw_dir)
    assert_named(problems, "states.csv", 8, "m49_region", "'Andes' is not a UN M49 sub-region (country_converter's 23: Antarctica,")
    assert_named(problems, "states.csv", 2, "m49_region", "'Eastern Europ' is not a UN M49 sub-region")


def test_a_un_year_that_is_not_a_whole_number_is_named_with_the_other_problems(raw_dir):
    """The schema's integer check names the cell; ingest goes on to the other checks instead of stopping on it."""
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "SUHH"}, un_member_from="19x5", un_member_to="??"))
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "state", ""))
    problems = problems_of(raw_dir)
    assert_named(problems, "states.csv", 2, "un_member_from", "'19x5' is not a whole number")
    assert_named(problems, "states.csv", 2, "un_member_to", "'??' is not a whole number")
    assert_named(problems, "events.csv", CUBA, "state", "is empty; a value is required")


def test_a_state_the_library_does_not_know_takes_its_sub_region_s_continent(raw_dir):
    # the USSR placed, for the test, in a sub-region no dissolved state of the data is in
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "SUHH"}, m49_region="Eastern Africa"))
    assert load(raw_dir).states.set_index("iso3").loc["SUHH", "continent"] == "Africa"


def test_a_dissolved_state_needs_its_end_and_its_region(raw_dir):
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "SUHH"}, existed_to="", existed_to_precision="", m49_region=""))
    problems = problems_of(raw_dir)
    assert "states.csv, line 2, field 'existed_to': is required for a dissolved state" in problems
    assert "states.csv, line 2, field 'm49_region': is required for a dissolved state" in problems
    # states that are not dissolved need neither (Russia has no end and no region in states.csv)
    assert not any("is required for a dissolved state" in p and "line 2," not in p for p in problems), problems


def test_unreadable_dates_of_states_and_successions_are_named(raw_dir):
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "SUHH"}, existed_to="1991-12-32"))
    rewrite(raw_dir / "successions.csv", first_row(date="1991-13-26"))
    problems = problems_of(raw_dir)
    assert "states.csv, line 2, field 'existed_to': date '1991-12-32' has day 32, expected 01 to 31" in problems
    assert "successions.csv, line 2, field 'date': date '1991-13-26' has month 13, expected 01 to 12" in problems


def test_a_new_state_and_a_continuation_under_its_own_code_exist_from_the_succession_unless_states_csv_says_otherwise(raw_dir):
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "CZE"}, existed_from="1992-06-01", existed_from_precision="day"))
    states = load(raw_dir).states.set_index("iso3")
    assert states.loc["CZE", "existed_from_earliest"] == date(1992, 6, 1)  # states.csv wins
    assert states.loc["SVK", "existed_from_earliest"] == date(1993, 1, 1)  # from the 'new_state' succession
    assert states.loc["RUS", "existed_from_earliest"] == date(1991, 12, 26)  # Russia continues the USSR as RUS
    assert pd.isna(states.loc["CUB", "existed_from_earliest"])


# --- dates of single fields ----------------------------------------------------------------------

def test_a_date_and_its_precision_must_both_be_given_or_both_be_empty(raw_dir):
    rewrite(raw_dir / "groups.csv", edit_rows({"iso3": "CZE"}, joined_precision=""))
    rewrite(raw_dir / "groups.csv", edit_rows({"iso3": "SVK"}, joined=""))
    problems = problems_of(raw_dir)
    assert [p for p in problems if p.startswith("groups.csv")] == [
        "groups.csv, line 2, field 'joined_precision': is empty but joined is '2004-05-01'; say day, month or year",
        "groups.csv, line 3, field 'joined': is empty but joined_precision is 'day'",
    ]  # line 5 (Australia in NORDIC) has neither: no problem


def test_window_bounds_on_an_event_with_a_known_date_are_refused(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "earliest", "1959"))
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "latest", "1961"))
    problems = problems_of(raw_dir)
    assert "events.csv, line 4, field 'earliest': is only for precision 'window'; the date is known" in problems
    assert "events.csv, line 4, field 'latest': is only for precision 'window'; the date is known" in problems


@pytest.mark.parametrize("when, ok", [("1948-09-09", True), ("1948-09", True), ("1948", True),
                                      ("1948-09-08", False), ("1948-08", False)])
def test_an_event_may_fall_on_the_day_the_dprk_was_founded_but_not_before(tmp_path, when, ok):
    events = [("SUHH", "Soviet Union", "established", when, evidence.precision_of(when))] + EVENTS[1:]
    raw = build_raw(tmp_path / "raw", events=events)
    if ok:
        assert load(raw).events.loc[0, "date"] == when
    else:
        assert problems_of(raw) == [f"events.csv, line 2, field 'date': {when} is before the DPRK existed (9 September 1948)"]


def test_an_event_may_begin_today_but_not_after(raw_dir):
    """Australia's restoration is dated 2000-05: its first possible day is 1 May 2000."""
    later = ("acts.csv", "claims.csv", "groups.csv")  # the fixture's acts, claim and EU members after 2000: in the future too
    assert [p for p in problems_of(raw_dir, today=date(2000, 5, 1)) if not p.startswith(later)] == []
    assert [p for p in problems_of(raw_dir, today=date(2000, 4, 30)) if not p.startswith(later)] == [
        "events.csv, line 12, field 'date': 2000-05 is in the future (today is 2000-04-30)"]


def test_today_defaults_to_the_real_day(tmp_path):
    raw = raw_with(tmp_path, [("CUB", "Cuba", "severed", "2999", "year")])
    with pytest.raises(ingest.RawDataError) as info:
        ingest.load(raw)
    assert f"2999 is in the future (today is {date.today().isoformat()})" in str(info.value)


def test_an_event_id_starts_with_the_state_code_and_the_event_kind(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "event_id", "CUB-severed-1"))
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "event_id", "CUB-severed-1"))
    assert problems_of(raw_dir) == ["events.csv, line 4, field 'event_id': 'CUB-severed-1' should start with "
                                    "'CUB-established-' (state code and event kind)"]


# --- windows ---------------------------------------------------------------------------------------

def test_a_window_has_no_date_of_its_own(raw_dir):
    make_window(raw_dir, "CUB-established-1", "1959", "1961", sources=False)
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "date", "1960"))
    assert "events.csv, line 4, field 'date': is '1960' but precision is 'window'; give the precision of the date" in problems_of(raw_dir)


def test_a_window_needs_both_bounds_and_each_is_named(raw_dir):
    make_window(raw_dir, "CUB-established-1", "", "", sources=False)
    problems = problems_of(raw_dir)
    assert "events.csv, line 4, field 'earliest': is empty; precision 'window' needs both bounds, each from a source" in problems
    assert "events.csv, line 4, field 'latest': is empty; precision 'window' needs both bounds, each from a source" in problems


def test_an_unreadable_window_bound_is_named(raw_dir):
    make_window(raw_dir, "CUB-established-1", "1959-13", "1961", sources=False)
    assert "events.csv, line 4, field 'earliest': date '1959-13' has month 13, expected 01 to 12" in problems_of(raw_dir)


def test_a_window_ending_before_it_begins_is_refused(raw_dir):
    make_window(raw_dir, "CUB-established-1", "1962", "1961")
    assert problems_of(raw_dir) == ["events.csv, line 4, field 'latest': 1961 is before earliest 1962"]


def test_a_window_of_a_single_day_is_accepted(raw_dir):
    make_window(raw_dir, "CUB-established-1", "1961-06-30", "1961-06")
    cub = load(raw_dir).events.set_index("event_id").loc["CUB-established-1"]
    assert (cub["date_earliest"], cub["date_latest"], cub["year"], cub["order_date"]) == (
        date(1961, 6, 30), date(1961, 6, 30), 1961, date(1961, 6, 30))


def test_a_window_before_1948_is_named_by_its_bounds(raw_dir):
    make_window(raw_dir, "CUB-established-1", "1940", "1947")
    assert problems_of(raw_dir) == [
        "events.csv, line 4, field 'date': between 1940 and 1947 is before the DPRK existed (9 September 1948)"]


def test_a_window_out_of_sequence_is_shown_by_its_days(tmp_path):
    raw = raw_with(tmp_path, [("CUB", "Cuba", "established", "1980", "year")])
    make_window(raw, "CUB-established-2", "1980", "1981-06")
    assert problems_of(raw) == [
        "events.csv, line 13, field 'event': 'established' at (between 1980-01-01 and 1981-06-30), but relations are in force then"]


# --- sources -----------------------------------------------------------------------------------------

def test_a_source_date_must_be_readable_and_a_source_that_is_not_agreeing_must_give_one(raw_dir):
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "date_given", "1960-13"))
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "precision_given", "month"))
    rewrite(raw_dir / "sources.csv", set_source("CHL-severed-1", "date_given", ""))
    rewrite(raw_dir / "sources.csv", append(
        dict(event_id="AUS-suspended-1", citation="Other", url="https://example.org/differs", origin="other", reading="differs"),
        dict(event_id="AUS-suspended-1", citation="Third", url="https://example.org/agrees", origin="third", reading="agrees")))
    problems = problems_of(raw_dir)
    assert "sources.csv, line 4, field 'date_given': date '1960-13' has month 13, expected 01 to 12" in problems
    assert "sources.csv, line 6, field 'date_given': is empty but precision_given is 'year'" in problems
    assert "sources.csv, line 13, field 'date_given': is empty; a source read as 'differs' must give its date" in problems
    assert not any(p.startswith("sources.csv, line 14") for p in problems), problems  # 'agrees' may give no date


def test_an_agreeing_source_without_a_date_is_accepted(raw_dir):
    rewrite(raw_dir / "sources.csv", append(
        dict(event_id="AUS-suspended-1", citation="Third", url="https://example.org/agrees", origin="third", reading="agrees")))
    aus = load(raw_dir).events.set_index("event_id").loc["AUS-suspended-1"]
    assert aus["n_sources"] == 2


# --- sequences of events ---------------------------------------------------------------------------

def test_a_continuing_state_inherits_relations_in_force_from_its_predecessor(tmp_path):
    """Russia continues the USSR, whose last event is an establishment: Russia may sever, not establish."""
    load(raw_with(tmp_path / "a", [("RUS", "Russia", "severed", "1995", "year")]))
    assert problems_of(raw_with(tmp_path / "b", [("RUS", "Russia", "established", "1995", "year")])) == [
        "events.csv, line 13, field 'event': 'established' at 1995, but relations are in force then"]


def test_a_continuing_state_of_a_predecessor_whose_relations_ended_starts_afresh(tmp_path):
    raw = raw_with(tmp_path, [("SUHH", "Soviet Union", "severed", "1990", "year"), ("RUS", "Russia", "established", "1995", "year")])
    assert len(load(raw).events) == len(EVENTS) + 2


def test_relations_in_force_pass_along_a_chain_of_continuations(tmp_path):
    """USSR -> Russia (no events) -> a made-up XRU: XRU may sever the USSR's relations."""
    raw = raw_with(tmp_path, [("XRU", "New Russia", "severed", "2005", "year")])
    rewrite(raw / "states.csv", append(new_state("XRU", "New Russia")))
    rewrite(raw / "successions.csv", append(continuation("RUS", "XRU", "2000-01-01")))
    assert len(load(raw).events) == len(EVENTS) + 1


def test_a_chain_of_continuations_from_a_state_without_events_starts_afresh(tmp_path):
    """France (no relations) -> XFB (no events) -> XFC: XFC establishes relations, it inherits none."""
    raw = raw_with(tmp_path, [("XFC", "Third Frankland", "established", "2005", "year")])
    rewrite(raw / "states.csv", append(new_state("XFB", "Second Frankland"), new_state("XFC", "Third Frankland")))
    rewrite(raw / "successions.csv", append(continuation("FRA", "XFB", "1999"), continuation("XFB", "XFC", "2001")))
    assert len(load(raw).events) == len(EVENTS) + 1


def test_each_impossible_step_is_named_with_the_state_of_relations_then(tmp_path):
    raw = raw_with(tmp_path, [
        ("AUS", "Australia", "suspended", "1980", "year"),  # line 13: already suspended
        ("CHL", "Chile", "severed", "1980", "year"),  # 14: already severed
        ("CUB", "Cuba", "established", "1980", "year"),  # 15: already in force
        ("CSHH", "Czechoslovakia", "severed", "1980", "year"),  # 16: fine
        ("CSHH", "Czechoslovakia", "established", "1985", "year"),  # 17: after a break, 'restored'
        ("CZE", "Czechia", "restored", "1994", "year"),  # 18: nothing to restore
    ])
    assert problems_of(raw) == [
        "events.csv, line 13, field 'event': 'suspended' at 1980, but relations are suspended then",
        "events.csv, line 14, field 'event': 'severed' at 1980, but relations are severed then",
        "events.csv, line 15, field 'event': 'established' at 1980, but relations are in force then",
        "events.csv, line 17, field 'event': 'established' at 1985, but relations are severed then (use 'restored' after a break)",
        "events.csv, line 18, field 'event': 'restored' at 1994, but relations are in force then",
    ]


def test_an_event_on_the_day_a_state_ceased_to_exist_is_accepted(tmp_path):
    load(raw_with(tmp_path / "a", [("SUHH", "Soviet Union", "severed", "1991-12-25", "day")]))
    assert problems_of(raw_with(tmp_path / "b", [("SUHH", "Soviet Union", "severed", "1991-12-26", "day")])) == [
        "events.csv, line 13, field 'date': 1991-12-26 is after SUHH ceased to exist (1991-12-25)"]


def test_an_event_the_day_before_a_state_existed_is_refused(tmp_path):
    events = [("SVK", "Slovakia", "established", "1992-12-31", "day") if e[0] == "SVK" else e for e in EVENTS]
    assert problems_of(build_raw(tmp_path / "raw", events=events)) == [
        "events.csv, line 11, field 'date': 1992-12-31 is before SVK existed (from 1993-01-01)"]


def test_an_event_whose_date_cannot_be_read_is_left_out_of_the_sequence(raw_dir):
    """Chile's severance unreadable: its restoration then follows relations in force, and is named too."""
    rewrite(raw_dir / "events.csv", set_field("CHL", "severed", "date", "1973-13"))
    rewrite(raw_dir / "events.csv", set_field("CHL", "severed", "precision", "month"))
    problems = problems_of(raw_dir)
    assert "events.csv, line 6, field 'date': date '1973-13' has month 13, expected 01 to 12" in problems
    assert "events.csv, line 9, field 'event': 'restored' at 1992-09-25, but relations are in force then" in problems


# --- codes and names -----------------------------------------------------------------------------------

OTHERS = "UNO (UN bodies), EUU (the European Union)"


def test_acts_and_missions_name_a_state_or_one_of_the_few_bodies(raw_dir):
    rewrite(raw_dir / "acts.csv", first_row(iso3="AUZ"))
    rewrite(raw_dir / "missions.csv", edit_rows({"iso3": "AUS"}, iso3="XYZ"))
    problems = problems_of(raw_dir)
    assert f"acts.csv, line 2, field 'iso3': 'AUZ' is not a code in states.csv nor one of {OTHERS}" in problems
    assert f"missions.csv, line 3, field 'iso3': 'XYZ' is not a code in states.csv nor one of {OTHERS}" in problems
    assert not any(p.startswith("acts.csv, line 2, field 'state'") for p in problems), problems  # no name to compare


def test_the_un_and_the_eu_may_appear_in_acts_and_missions(raw_dir):
    rewrite(raw_dir / "acts.csv", append(dict(iso3="UNO", state="UN Security Council", actor="partner", kind="staff_reduced",
                                              date="2017", precision="year", citation="c", url="https://example.org/un")))
    rewrite(raw_dir / "missions.csv", append(dict(snapshot="fixture-1974-12", iso3="EUU", city="Brussels", kind="office")))
    rewrite(raw_dir / "mission_snapshots.csv", first_row(stated_total="4"))  # the complete list adds up again
    data = load(raw_dir)
    assert data.acts["iso3"].tolist()[-1] == "UNO" and data.missions["iso3"].tolist()[-1] == "EUU"


def test_a_state_name_must_be_the_one_in_states_csv_in_every_table(raw_dir):
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "state", "Kuba"))
    rewrite(raw_dir / "acts.csv", edit_rows({"iso3": "CUB"}, state="Kuba"))
    rewrite(raw_dir / "no_relations.csv", first_row(state="Frankreich"))
    assert problems_of(raw_dir) == [
        "acts.csv, line 3, field 'state': 'Kuba' is not the name of CUB in states.csv ('Cuba')",
        "events.csv, line 4, field 'state': 'Kuba' is not the name of CUB in states.csv ('Cuba')",
        "no_relations.csv, line 2, field 'state': 'Frankreich' is not the name of FRA in states.csv ('France')",
    ]


def test_an_act_on_a_mission_says_whose_mission_and_no_other_act_does(raw_dir):
    rewrite(raw_dir / "acts.csv", edit_rows({"iso3": "AUS"}, mission=""))
    rewrite(raw_dir / "acts.csv", edit_rows({"iso3": "CUB"}, city="Havana"))
    assert problems_of(raw_dir) == [
        "acts.csv, line 2, field 'mission': is empty; 'embassy_closed' needs the mission of the mission",
        "acts.csv, line 3, field 'city': is 'Havana', but 'ambassador_expelled' opens or closes no mission; leave it empty",
    ]


# --- coverage ----------------------------------------------------------------------------------------

def test_every_state_has_events_a_never_entry_or_a_predecessor(raw_dir):
    rewrite(raw_dir / "states.csv", append(new_state("XNO", "Nowhere")))
    rewrite(raw_dir / "no_relations.csv", append(dict(iso3="CUB", state="Cuba", **SRC)))
    assert problems_of(raw_dir) == [
        "no_relations.csv, line 3, field 'iso3': CUB is listed as never having relations but has events in events.csv",
        "states.csv, line 11, field 'iso3': XNO (Nowhere) has no event, no 'never' entry in no_relations.csv and continues no predecessor",
    ]


# --- the claims register ---------------------------------------------------------------------------

MISSION_KINDS = "consulate_general, embassy, general_delegation, office, permanent_mission, representative_office"


def claim(claim_id: str, check: str, arguments: dict) -> dict:
    return dict(claim_id=claim_id, document="bondaz_2023", section="s", quote="q", check=check,
                arguments=json.dumps(arguments), comparison="eq", expected="1", claim_date="2023-10-01",
                subject_until="2023-10-01")


GOOD_CLAIMS = [
    claim("g_acronym", "membership_year", {"acronym": "UN"}),
    claim("g_group", "group_event_years", {"group": "NORDIC", "kind": "established", "start_year": 1970, "end_year": 1980}),
    claim("g_continent", "first_among", {"kind": "established", "start_year": 1948, "end_year": 1960, "continent": "Oceania", "day": "2023-01-01"}),
    claim("g_actor", "acts_missing", {"kind": "embassy_closed", "states": ["AUS"], "start_year": 1970, "end_year": 1980, "day": "2023-01-01", "actor": "dprk"}),
    claim("g_kinds", "missions_count", {"direction": "dprk_abroad", "kinds": ["representative_office"], "day": "1974-12-31"}),
    claim("g_missions", "missions_missing", {"direction": "dprk_abroad", "missions": [["EUU", "Brussels", "office"]], "day": "1974-12-31"}),
    claim("g_bodies", "event_year", {"kind": "established", "states": ["UNO"]}),
]
BAD_CLAIMS = [  # (row, message), from line len(GOOD_CLAIMS) + 2 on
    (claim("b_acronym", "membership_year", {"acronym": "WTO"}), "acronym: 'WTO' is not a known acronym (UN, WHO)"),
    (claim("b_group", "group_event_years", {"group": "ASEAN", "kind": "established", "start_year": 1970, "end_year": 1980}),
     "group: 'ASEAN' is not a known group (EU, NORDIC)"),
    (claim("b_continent", "first_among", {"kind": "established", "start_year": 1948, "end_year": 1960, "continent": "Atlantis", "day": "2023-01-01"}),
     "continent: 'Atlantis' is not a known continent (America, Europe, Oceania)"),
    (claim("b_actor", "acts_missing", {"kind": "embassy_closed", "states": ["AUS"], "start_year": 1970, "end_year": 1980, "day": "2023-01-01", "actor": "government"}),
     "actor: 'government' is not a known actor (dprk, partner)"),
    (claim("b_kinds", "missions_count", {"direction": "dprk_abroad", "kinds": ["consulate"], "day": "1974-12-31"}),
     f"kinds: 'consulate' is not a known mission ({MISSION_KINDS})"),
    (claim("b_missions", "missions_missing", {"direction": "dprk_abroad", "missions": [["CUX", "Havana", "embassy"]], "day": "1974-12-31"}),
     "missions: 'CUX' is not a known state (AUS, CHL, CSHH, CUB, CZE, EUU, FRA, RUS, SUHH, SVK, UNO)"),
    (claim("b_missions2", "missions_missing", {"direction": "dprk_abroad", "missions": [["CUB", "Havana", "consulate"]], "day": "1974-12-31"}),
     f"missions: 'consulate' is not a known mission ({MISSION_KINDS})"),
]


def test_claims_name_only_groups_acronyms_continents_actors_and_mission_kinds_the_data_know(tmp_path):
    raw = build_raw(tmp_path / "raw", claims=GOOD_CLAIMS + [row for row, _ in BAD_CLAIMS])
    problems = problems_of(raw)
    expected = [f"claims.csv, line {i}, field 'arguments': {message}" for i, (_, message) in enumerate(BAD_CLAIMS, len(GOOD_CLAIMS) + 2)]
    assert problems == expected


# --- what stops the checks ---------------------------------------------------------------------------

def test_a_table_that_cannot_be_read_stops_the_checks_across_tables(raw_dir):
    (raw_dir / "groups.csv").write_text("", encoding="utf-8")
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "state", "Kuba"))  # a cross-table mistake
    problems = problems_of(raw_dir)
    assert problems and all(p.startswith("groups.csv") for p in problems), problems


def test_the_fixture_loads_with_files_shown_relative_to_the_project(raw_dir):
    """Problems name a file by paths.relative: inside the project, relative to its root."""
    rewrite(raw_dir / "events.csv", set_field("CUB", "established", "state", "Kuba"))
    with pytest.raises(ingest.RawDataError) as info:
        load(raw_dir)
    assert [p.file for p in info.value.problems] == [paths.relative(raw_dir / "events.csv")]


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
        "sources.csv, line 1: the header has an empty column name at position 12 (a trailing comma?); expected the columns "
        "event_id, citation, url, origin, date_given, precision_given, quote, quote_en, dateline, via, reading"]


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


@pytest.mark.parametrize("dateline, message", [
    ("2021-13", "date '2021-13' has month 13, expected 01 to 12"),
    ("1991-12-32", "date '1991-12-32' has day 32, expected 01 to 31"),
    ("2999", "2999 is in the future"),
])
def test_a_dateline_that_is_not_a_real_past_date_is_refused_on_its_row_and_field(raw_dir, dateline, message):
    def bad(rows, header):
        next(r for r in rows if r["event_id"] == "CHL-established-1")["dateline"] = dateline
        return rows, header
    rewrite(raw_dir / "sources.csv", bad)
    line = next(i for i, r in enumerate(csv.DictReader((raw_dir / "sources.csv").open(encoding="utf-8")), start=2)
                if r["event_id"] == "CHL-established-1")
    problems = problems_of(raw_dir)
    assert any(p.startswith(f"sources.csv, line {line}, field 'dateline': {message}") for p in problems), problems


def test_a_quote_that_gives_its_day_relative_to_the_articles_date_is_read_with_the_dateline(raw_dir):
    def chosen(rows):
        return next(r for r in rows if r["event_id"] == "CHL-established-1")

    def relative(rows, header):
        chosen(rows)["quote"] = "칠레와 지난 16일 수교했다"  # the day, under an article of some later day
        return rows, header

    def dated(day):
        def edit(rows, header):
            chosen(rows)["dateline"] = day
            return rows, header
        return edit

    def lacks():
        return ingest.load(raw_dir).sources.set_index("event_id").loc["CHL-established-1", "quote_lacks"]

    rewrite(raw_dir / "sources.csv", relative)
    assert lacks() == "the year"
    rewrite(raw_dir / "sources.csv", dated("1970-11-18"))
    assert lacks() == ""
    rewrite(raw_dir / "sources.csv", dated("1970-12-18"))  # the 16th before it is 16 December
    assert lacks() == "the year"


def test_a_quote_that_shows_its_date_only_through_its_context_is_reported_not_refused(raw_dir):
    def vague(rows, header):
        next(r for r in rows if r["event_id"] == "CUB-established-1")["quote"] = "Cuba and the DPRK: relations established"
        return rows, header
    rewrite(raw_dir / "sources.csv", vague)
    sources = ingest.load(raw_dir).sources.set_index("event_id")
    assert sources.loc["CUB-established-1", "quote_lacks"] == "the year"
    assert sources.loc["CHL-severed-1", "quote_lacks"] == ""


# --- a focal state of its own folder (core/focal.py: the ROK's list in data/raw/kor) -----------------------

def focal_copy(raw: Path, edit_events=None) -> Path:
    """The fixture's own tables copied into the ROK's folder, with its descriptor made from data/raw's."""
    from dprk_relations.data import datapackage

    kor = raw / "kor"
    kor.mkdir()
    for name in ("events", "sources", "no_relations"):
        (kor / f"{name}.csv").write_bytes((raw / f"{name}.csv").read_bytes())
    if edit_events:
        rewrite(kor / "events.csv", edit_events)
    datapackage.update(raw)
    return kor


def test_a_focal_state_reads_its_own_tables_there_and_the_shared_ones_from_the_raw_folder(raw_dir):
    kor = focal_copy(raw_dir)
    rewrite(kor / "no_relations.csv", first_row(note="the ROK's own entry"))
    dprk, rok = ingest.load(raw_dir, date(2024, 1, 1)), ingest.load(raw_dir, date(2024, 1, 1), focal="KOR")
    assert rok.no_relations["note"].tolist() == ["the ROK's own entry"] != dprk.no_relations["note"].tolist()
    assert rok.states["iso3"].tolist() == dprk.states["iso3"].tolist()  # shared
    # the report's own tables (claims, published counts, acts, missions) are the DPRK's: empty for another focal state
    assert [len(getattr(rok, t)) for t in ("claims", "published_counts", "acts", "mission_snapshots", "missions",
                                           "peer_reconciliation", "memberships")] == [0] * 7
    assert len(dprk.claims) == 1 and len(dprk.acts) == 3


def test_each_focal_state_dates_nothing_before_its_own_founding(raw_dir):
    def early(rows, header, day="1948-08-20"):
        for row in rows:
            if row["iso3"] == "CUB" and row["event"] == "established":
                row["date"], row["precision"] = day, "day"
        return rows, header

    def with_source_date(rows, header):
        for row in rows:
            if row["event_id"].startswith("CUB-established"):
                row["date_given"], row["precision_given"] = "1948-08-20", "day"
        return rows, header
    focal_copy(raw_dir, early)
    rewrite(raw_dir / "kor" / "sources.csv", with_source_date)
    datapackage_update(raw_dir)
    rok = ingest.load(raw_dir, date(2024, 1, 1), focal="KOR")  # the ROK was proclaimed on 15 August 1948
    assert str(rok.events.loc[rok.events["iso3"] == "CUB", "date"].iloc[0]) == "1948-08-20"
    rewrite(raw_dir / "events.csv", early)
    rewrite(raw_dir / "sources.csv", with_source_date)
    assert_named_line(problems_of(raw_dir), "events.csv, line 4, field 'date'", "before the DPRK existed (9 September 1948)")
    rewrite(raw_dir / "kor" / "events.csv", lambda rows, header: early(rows, header, "1948-08-14"))
    with pytest.raises(RawDataError, match=r"kor/events\.csv, line 4, field 'date': 1948-08-14 is before the ROK existed "
                                           r"\(15 August 1948\)"):
        ingest.load(raw_dir, date(2024, 1, 1), focal="KOR")


def datapackage_update(raw: Path) -> None:
    from dprk_relations.data import datapackage

    datapackage.update(raw)


def test_a_focal_folder_without_its_own_events_is_refused_naming_its_descriptor(raw_dir):
    kor = focal_copy(raw_dir)
    descriptor = json.loads((kor / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "events"]
    (kor / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(RawDataError, match=r"kor/datapackage\.json.*'resources'.*has no resource 'events'"):
        ingest.load(raw_dir, date(2024, 1, 1), focal="KOR")


# --- any field made wrong -----------------------------------------------------------------------

# Values a hand edit could leave in any cell: a placeholder, nothing, a negative number, a date that is not one.
WRONG_VALUES = ("??", "", "-1", "1948-13")


def every_field() -> list[tuple[str, str]]:
    package = json.loads((paths.DATA_RAW / "datapackage.json").read_text(encoding="utf-8"))
    return [(r["path"], f["name"]) for r in package["resources"] for f in r["schema"]["fields"]]


@pytest.mark.slow  # 127 fields, four values each: about 40 s
@pytest.mark.parametrize("table, field", every_field())
def test_any_field_made_wrong_loads_or_is_named_never_a_crash(tmp_path, table, field):
    """Each field of each table, in its first row, given each value of WRONG_VALUES: ingest either reads it (a
    free text may be anything) or stops with problems, one of them in that table; never another exception
    (a UN year of '??' used to stop ingest with pandas' 'Unable to parse string', naming no file)."""
    for value in WRONG_VALUES:
        raw = build_raw(tmp_path / value.replace("?", "q") / "raw")
        if value == next(csv.DictReader((raw / table).open(encoding="utf-8")))[field]:
            continue
        rewrite(raw / table, first_row(**{field: value}))
        try:
            ingest.load(raw, today=date(2024, 1, 1))
        except RawDataError as error:
            where = [str(p) for p in error.problems]
            # the table named where the problem is, or in the problem of a row that refers to it (an event's state
            # name in states.csv, a statement's organisation in dprk_memberships.csv: claims.csv names it)
            assert any(table in p or p.startswith(str(raw / "claims.csv")) for p in where), f"{field}={value!r}: {where}"
