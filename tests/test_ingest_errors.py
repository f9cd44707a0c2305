"""Every kind of mistake a person makes in the raw tables gets an error naming file, line and field."""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from dprk_relations.data import ingest
from dprk_relations.rules.rawdata import RawDataError

from .conftest import EVENTS, build_raw


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
    assert_named(problems_of(raw_dir), "events.csv", CUBA, "event", "'recognised' is not one of established")


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
