"""Ingest, rule by rule: every cross-table check with its exact message (file, line, field), and the
derived columns of the dataset, on the tiny fixture of conftest.py edited one row at a time.

Line numbers: the header is line 1. states.csv: SUHH 2, RUS 3, CSHH 4, CZE 5, SVK 6, CUB 7, CHL 8,
AUS 9, FRA 10. events.csv and sources.csv: EVENTS[i] on line i + 2 (CUB 4, CHL severed 6, AUS
suspended 8, CHL restored 9, AUS restored 12), appended events from line 13. groups.csv: EU CZE 2,
EU SVK 3, EU FRA 4, NORDIC AUS 5. acts.csv: AUS 2, CUB 3, CHL 4. missions.csv: CUB 2, AUS 3, CSHH 4.
"""
from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dprk_relations.core import paths
from dprk_relations.data import ingest
from dprk_relations.rules import evidence

from .conftest import EVENTS, SRC, build_raw
from .test_ingest_errors import first_row, problems_of, rewrite, set_field, set_source

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
                                          "quote", "quote_en", "via", "reading", "quote_lacks"]
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
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "CHL"}, m49_region="Andes"))
    states = load(raw_dir).states.set_index("iso3")
    assert str(states["un_member_from"].dtype) == "Int64" and str(states["un_member_to"].dtype) == "Int64"
    assert states.loc["RUS", "un_member_from"] == 1945  # the library's year
    assert pd.isna(states.loc["SUHH", "un_member_from"])  # the library does not know the USSR
    assert states.loc["CZE", "un_member_from"] == 1993  # the library's, not the row above's
    assert states.loc["CUB", "un_member_from"] == 1945 and states.loc["CSHH", "un_member_from"] == 1945
    assert states.loc["SUHH", "un_member_to"] == 1990 and pd.isna(states.loc["RUS", "un_member_to"])
    assert states.loc["CUB", "m49_region"] == "Caribbean"  # blank in states.csv: the library's
    assert states.loc["CHL", "m49_region"] == "Andes"  # given: kept
    assert states.loc["SUHH", "m49_region"] == "Western Asia"
    # continent: the library's by code; for a state it does not know, from the region
    assert states.loc["CHL", "continent"] == "America"
    assert states.loc["SUHH", "continent"] == "Asia" and states.loc["CSHH", "continent"] == "Europe"


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


def test_a_new_state_exists_from_its_succession_unless_states_csv_says_otherwise(raw_dir):
    rewrite(raw_dir / "states.csv", edit_rows({"iso3": "CZE"}, existed_from="1992-06-01", existed_from_precision="day"))
    states = load(raw_dir).states.set_index("iso3")
    assert states.loc["CZE", "existed_from_earliest"] == date(1992, 6, 1)  # states.csv wins
    assert states.loc["SVK", "existed_from_earliest"] == date(1993, 1, 1)  # from the 'new_state' succession
    assert pd.isna(states.loc["RUS", "existed_from_earliest"])  # a continuation does not start a state
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
