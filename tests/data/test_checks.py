"""Ingest's checks run over whole columns (issue 19): on the clean fixture of conftest.py with exactly one
row made wrong, among good ones, the run reports exactly one problem, naming that row's file, line and
field. Line numbers as in test_ingest_cases.py (the header is line 1; EVENTS[i] and its source on line
i + 2; a source added by add_cuban_source on line 13)."""
from __future__ import annotations

import pytest

from dprk_relations.core import paths

from tests.conftest import EVENTS, SRC, build_raw
from tests.data.test_ingest import append, edit_rows, make_window, new_state
from tests.data.test_ingest import add_cuban_source, problems_of, rewrite, set_field, set_source

CHOSEN_QUOTE = "is empty; the chosen source needs a short verbatim quote that contains the date or the act it supports"
NOT_STATE = "is not a code in states.csv nor one of UNO (UN bodies), EUU (the European Union)"


def row_at(line: int, **changes):
    """An edit for `rewrite`: the row on `line` (the header is line 1) takes these values."""
    def edit(rows, header):
        rows[line - 2].update(changes)
        return rows, header
    return edit


def without_cuba_sources(rows, header):
    return [r for r in rows if r["event_id"] != "CUB-established-1"], header


# (file edited, edit, the one problem expected; {states} stands for how the fixture's states.csv is named)
CASES = {
    # the schema's constraints, each distinct value judged once
    "required": ("sources.csv", set_source("CHL-severed-1", "citation", ""),
                 "sources.csv, line 6, field 'citation': is empty; a value is required"),
    "enum": ("events.csv", set_field("CHL", "severed", "date_rule", "best"),
             "events.csv, line 6, field 'date_rule': 'best' is not one of most_specific, formal_act, window"),
    "pattern": ("sources.csv", set_source("AUS-suspended-1", "url", "ftp://x"),
                "sources.csv, line 8, field 'url': 'ftp://x' does not match URL where the source was read"),
    "integer": ("published_counts.csv", row_at(2, count="x3"),
                "published_counts.csv, line 2, field 'count': 'x3' is not a whole number"),
    "max length": ("sources.csv", set_source("AUS-suspended-1", "citation", "c" * 401),
                   "sources.csv, line 8, field 'citation': has 401 characters, at most 400 allowed (keep cells short; "
                   "research logs are not data)"),
    "primary key": ("groups.csv", lambda rows, header: (rows + [dict(rows[0])], header),
                    "groups.csv, line 6, field 'group+iso3': EU, CZE repeats line 2 (the same entry twice)"),
    "foreign key": ("groups.csv", row_at(3, iso3="ZZZ"), "groups.csv, line 3, field 'iso3': 'ZZZ' is not a code in {states}"),
    "control character": ("sources.csv", set_source("AUS-suspended-1", "quote", "relations\x07 suspended"),
                          "sources.csv, line 8, field 'quote': contains the control character U+0007 at position 10; "
                          "text cells hold printable text (a tab and line breaks allowed)"),
    # dates, each distinct (text, precision) read once
    "date": ("groups.csv", row_at(3, joined="2004-02-30"),
             "groups.csv, line 3, field 'joined': date '2004-02-30' has day 30, expected 01 to 29"),
    "precision": ("groups.csv", row_at(3, joined_precision=""),
                  "groups.csv, line 3, field 'joined_precision': is empty but joined is '2004-05-01'; say day, month or year"),
    "before founding": ("dprk_memberships.csv", row_at(3, joined="1947"),
                        "dprk_memberships.csv, line 3, field 'joined': 1947 is before the DPRK existed (9 September 1948)"),
    "future": ("groups.csv", row_at(3, joined="2030-01-01"),
               "groups.csv, line 3, field 'joined': 2030-01-01 is in the future (today is 2024-01-01)"),
    "interval": ("groups.csv", row_at(3, left="2003-01-01", left_precision="day"),
                 "groups.csv, line 3, field 'left': ends (2003-01-01) before joined (2004-05-01)"),
    # events
    "bound of a dated event": ("events.csv", set_field("CHL", "severed", "earliest", "1973"),
                               "events.csv, line 6, field 'earliest': is only for precision 'window'; the date is known"),
    "state name": ("acts.csv", row_at(3, state="Kuba"),
                   "acts.csv, line 3, field 'state': 'Kuba' is not the name of CUB in states.csv ('Cuba')"),
    # states
    "UN years": ("states.csv", row_at(4, un_member_from="1990", un_member_to="1985"),
                 "states.csv, line 4, field 'un_member_to': 1985 is before un_member_from 1990"),
    "UN year before the UN": ("states.csv", row_at(4, un_member_from="1944"),
                              "states.csv, line 4, field 'un_member_from': 1944 is not a year of the UN (from 1945 to 2024)"),
    "UN year to come": ("states.csv", row_at(4, un_member_to="2025"),
                        "states.csv, line 4, field 'un_member_to': 2025 is not a year of the UN (from 1945 to 2024)"),
    "dissolved": ("states.csv", row_at(4, m49_region=""),
                  "states.csv, line 4, field 'm49_region': is required for a dissolved state"),
    "coverage": ("states.csv", append(new_state("NZL", "New Zealand")),
                 "states.csv, line 11, field 'iso3': NZL (New Zealand) has no event, no 'never' entry in no_relations.csv "
                 "and continues no predecessor"),
    "never but events": ("no_relations.csv", append(dict(iso3="CUB", state="Cuba", **SRC)),
                         "no_relations.csv, line 3, field 'iso3': CUB is listed as never having relations but has events "
                         "in events.csv"),
    # acts, missions, counts, lists, peers
    "mission act without its city": ("acts.csv", row_at(2, city=""),
                                     "acts.csv, line 2, field 'city': is empty; 'embassy_closed' needs the city of the mission"),
    "other act with a city": ("acts.csv", row_at(3, city="Havana"),
                              "acts.csv, line 3, field 'city': is 'Havana', but 'ambassador_expelled' opens or closes no "
                              "mission; leave it empty"),
    "code": ("missions.csv", row_at(3, iso3="ZZZ"), f"missions.csv, line 3, field 'iso3': 'ZZZ' {NOT_STATE}"),
    "count": ("published_counts.csv", row_at(2, count="999"),
              "published_counts.csv, line 2, field 'count': 999 is not a count from 0 to 9 (the states in states.csv)"),
    "complete list": ("mission_snapshots.csv", row_at(2, stated_total="4"),
                      "mission_snapshots.csv, line 2, field 'stated_total': the complete list 'fixture-1974-12' states 4 "
                      "but missions.csv has 3 of its missions"),
    "resolution": ("peer_reconciliation.csv", row_at(2, resolution="peer_stale_or_wrong"),
                   "peer_reconciliation.csv, line 2, field 'quote': is empty; the resolution 'peer_stale_or_wrong' needs a "
                   "short verbatim quote of its source"),
    # sources
    "precision without a date": ("sources.csv", add_cuban_source("", "year", "agrees"),
                                 "sources.csv, line 13, field 'date_given': is empty but precision_given is 'year'"),
    "reading without a date": ("sources.csv", add_cuban_source("", "", "differs"),
                               "sources.csv, line 13, field 'date_given': is empty; a source read as 'differs' must give its date"),
    "another source before founding": ("sources.csv", add_cuban_source("1947", "year", "differs"),
                                       "sources.csv, line 13, field 'date_given': 1947 is before the DPRK existed "
                                       "(9 September 1948)"),
    "chosen without a quote": ("sources.csv", set_source("CHL-severed-1", "quote", ""), f"sources.csv, line 6, field 'quote': {CHOSEN_QUOTE}"),
    # the date rule, event by event
    "no source": ("sources.csv", without_cuba_sources,
                  "events.csv, line 4, field 'event_id': has no row in sources.csv; every event needs at least one source"),
    "not the chosen date": ("sources.csv", set_source("CHL-severed-1", "date_given", "1974"),
                            "events.csv, line 6, field 'date': '1973' (year) is not what the chosen source gives ('1974', year, "
                            "sources.csv line 6); correct whichever of the two is wrong"),
    "two chosen": ("sources.csv", add_cuban_source("1960", "year", "chosen"),
                   "events.csv, line 4, field 'date_rule': has 2 sources with reading 'chosen'; exactly one gives the date used"),
    "finer source": ("sources.csv", add_cuban_source("1960-08-15", "day", "agrees"),
                     f"events.csv, line 4, field 'date_rule': 'most_specific', but {SRC['source']!r} gives the finer date "
                     "1960-08-15; choose it, or say 'formal_act' and why in the note"),
    "agreeing source outside": ("sources.csv", add_cuban_source("1961", "year", "agrees"),
                                "events.csv, line 4, field 'reading': a source read as 'agrees', sources.csv line 13 gives 1961, "
                                "which does not contain 1960; read it as 'differs'"),
    "formal act without a note": ("events.csv", set_field("CHL", "severed", "date_rule", "formal_act"),
                                  "events.csv, line 6, field 'note': is empty; 'formal_act' needs the note to say which act the "
                                  "other sources date"),
}


@pytest.mark.parametrize("name", CASES)
def test_one_bad_row_among_good_ones_is_the_one_problem_named(raw_dir, name):
    file, edit, expected = CASES[name]
    rewrite(raw_dir / file, edit)
    assert problems_of(raw_dir) == [expected.format(states=paths.relative(raw_dir / "states.csv"))]


def test_a_row_with_a_value_too_many_is_named(raw_dir):
    path = raw_dir / "groups.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] += ",x"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert problems_of(raw_dir) == ["groups.csv, line 3: has 10 values, the header has 9 columns"]


def test_a_bad_value_on_two_rows_is_named_on_each(raw_dir):
    """A value is judged once, but every row holding it is named."""
    rewrite(raw_dir / "groups.csv", row_at(3, joined="2004-02-30"))
    rewrite(raw_dir / "groups.csv", row_at(5, joined="2004-02-30", joined_precision="day"))
    assert problems_of(raw_dir) == [f"groups.csv, line {line}, field 'joined': date '2004-02-30' has day 30, expected 01 to 29"
                                for line in (3, 5)]


def test_a_cell_over_the_limit_across_lines_is_named_on_the_line_its_row_ends(raw_dir):
    """Each line of the note is short; the cell, over its lines, is one character too long."""
    from dprk_relations.rules.rawdata import MAX_FIELD_CHARS

    note = "\n".join(["x" * 99] * (MAX_FIELD_CHARS // 100)) + "\n"
    note += "y" * (MAX_FIELD_CHARS + 1 - len(note))
    rewrite(raw_dir / "states.csv", row_at(5, note=note))
    end = 5 + note.count("\n")
    assert problems_of(raw_dir) == [f"states.csv, line {end}, field 'note': has {MAX_FIELD_CHARS + 1:,} characters, more than "
                                    f"the {MAX_FIELD_CHARS:,} a cell may hold (keep cells short)"]


def test_windows_are_read_once_per_distinct_bounds_and_checked_against_today(tmp_path):
    """Two events dated by the same window: both in the future (the bounds rule of every other date), both named."""
    raw = build_raw(tmp_path / "raw")
    for event_id in ("CUB-established-1", "CZE-established-1"):
        make_window(raw, event_id, "2030", "2031")
    future = "field 'date': between 2030 and 2031 is in the future (today is 2024-01-01)"
    assert problems_of(raw) == [f"events.csv, line {line}, {future}" for line in (4, 10)]


def test_a_window_whose_bounds_cross_is_named_on_its_latest_bound(tmp_path):
    raw = build_raw(tmp_path / "raw")
    make_window(raw, "CUB-established-1", "1961", "1960")
    assert problems_of(raw) == ["events.csv, line 4, field 'latest': 1960 is before earliest 1961"]


def test_an_event_id_of_another_kind_is_named(raw_dir):
    rewrite(raw_dir / "events.csv", edit_rows({"event_id": "CUB-established-1"}, event_id="CUB-severed-1"))
    rewrite(raw_dir / "sources.csv", set_source("CUB-established-1", "event_id", "CUB-severed-1"))
    assert problems_of(raw_dir) == ["events.csv, line 4, field 'event_id': 'CUB-severed-1' should start with "
                                    "'CUB-established-' (state code and event kind)"]


@pytest.mark.parametrize("extra, field, words", [
    (("CHL", "Chile", "suspended", "1980", "year"), "event", "'suspended' at 1980, but relations are severed then"),
    (("CZE", "Czechia", "established", "1995", "year"), "event", "'established' at 1995, but relations are in force then"),
    (("CSHH", "Czechoslovakia", "severed", "1994", "year"), "date", "1994 is after CSHH ceased to exist (1992-12-31)"),
])
def test_one_event_out_of_sequence_is_the_one_named(tmp_path, extra, field, words):
    raw = build_raw(tmp_path / "raw", events=EVENTS + [extra])
    assert problems_of(raw) == [f"events.csv, line {len(EVENTS) + 2}, field '{field}': {words}"]


def test_whole_numbers_are_read_and_any_other_cell_is_missing():
    import pandas as pd

    from dprk_relations.data import checks

    values = pd.Series(["1945", "", "-3", "19x5", "1e3", " 7", "2000"], index=[5, 6, 7, 8, 9, 10, 11])
    numbers = checks.whole_numbers(values)
    assert str(numbers.dtype) == "Int64" and list(numbers.index) == list(values.index)
    assert [None if pd.isna(v) else int(v) for v in numbers] == [1945, None, -3, None, None, None, 2000]
