"""The date rule checked against each event's sources, the per-event summary of sources and the
alternative dates, on tiny hand-built events and sources; then (issue 19) the rule and the summary computed
over whole columns against simple references that read one event at a time: hand-built edge cases, then
random small tables."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_relations.rules import evidence


def src(reading, date_given="", precision_given="", citation="c", origin="o", event_id="E1", url="u", line=None):
    row = dict(event_id=event_id, citation=citation, url=url, origin=origin, date_given=date_given,
               precision_given=precision_given, reading=reading)
    return row if line is None else {**row, "line": line}


def dated(date_="1970-11-16", precision="day", rule="most_specific", note=""):
    return dict(date=date_, precision=precision, date_rule=rule, note=note, earliest="", latest="")


def window(earliest="1970-01", latest="1970-12", rule="window", precision="window"):
    return dict(date="", precision=precision, date_rule=rule, note="", earliest=earliest, latest=latest)


GO_TOGETHER = [("date_rule", "precision 'window' and date_rule 'window' go together")]


def test_an_event_without_sources_is_reported_on_its_event_id():
    assert evidence.rule_problems(dated(), []) == [
        ("event_id", "has no row in sources.csv; every event needs at least one source")]


def test_precision_window_and_rule_window_go_together_either_way():
    bounds = [src("earliest", "1970-01", "month"), src("latest", "1970-12", "month")]
    # rule 'window' with a dated precision
    assert evidence.rule_problems(dict(window(), precision="day"), bounds) == GO_TOGETHER
    # precision 'window' with another rule
    assert evidence.rule_problems(dict(window(), date_rule="most_specific"), bounds) == GO_TOGETHER
    assert evidence.rule_problems(dict(window(), date_rule="formal_act"), bounds) == GO_TOGETHER
    # both: a consistent window has no problem
    assert evidence.rule_problems(window(), bounds) == []


def test_a_window_bound_must_be_a_date_its_sources_give_and_the_message_lists_them_sorted():
    bounds = [src("earliest", "1970-03", "month"), src("earliest", "1970-01", "month"),
              src("latest", "1970-12", "month")]
    assert evidence.rule_problems(window(earliest="1970-02"), bounds) == [
        ("earliest", "'1970-02' is not the date a source with reading 'earliest' gives (1970-01, 1970-03)")]
    # a missing bound, and a chosen source in a window, are each reported
    only_latest = [src("latest", "1970-12", "month"), src("chosen", "1970-06", "month")]
    assert evidence.rule_problems(window(), only_latest) == [
        ("earliest", "no source row with reading 'earliest' gives this bound"),
        ("date_rule", "a window has no chosen source; a source that dates the event makes it a dated event")]


def test_a_dated_event_needs_exactly_one_chosen_source():
    two = [src("chosen", "1970-11-16", "day"), src("chosen", "1970-11-16", "day")]
    assert evidence.rule_problems(dated(), two) == [
        ("date_rule", "has 2 sources with reading 'chosen'; exactly one gives the date used")]
    assert evidence.rule_problems(dated(), [src("agrees", "1970-11-16", "day")]) == [
        ("date_rule", "has 0 sources with reading 'chosen'; exactly one gives the date used")]


def test_the_date_must_be_what_the_chosen_source_gives_and_a_missing_precision_is_named():
    assert evidence.rule_problems(dated(), [src("chosen", "1970-11-16", "")]) == [
        ("date", "'1970-11-16' (day) is not what the chosen source gives ('1970-11-16', no precision); "
                 "correct whichever of the two is wrong")]
    assert evidence.rule_problems(dated(), [src("chosen", "1970-11", "month")]) == [
        ("date", "'1970-11-16' (day) is not what the chosen source gives ('1970-11', month); correct whichever of the two is wrong")]
    # ingest passes each source with its line: the message names both places
    assert evidence.rule_problems(dated(), [src("chosen", "1970-11", "month", line=91)]) == [
        ("date", "'1970-11-16' (day) is not what the chosen source gives ('1970-11', month, sources.csv line 91); "
                 "correct whichever of the two is wrong")]


def test_most_specific_is_wrong_when_an_agreeing_or_differing_source_is_finer():
    long_citation = "A" * 59 + "BC"  # 61 characters: the message keeps the first 60
    for reading in ("agrees", "differs"):
        sources = [src("chosen", "1970-11", "month"), src(reading, "1970-11-16", "day", citation=long_citation)]
        assert evidence.rule_problems(dated("1970-11", "month"), sources) == [
            ("date_rule", f"'most_specific', but {('A' * 59 + 'B')!r} gives the finer date 1970-11-16; "
                          "choose it, or say 'formal_act' and why in the note")]
    # a coarser or equally precise source is no objection; 'earliest'/'latest' readings are not compared
    coarser = [src("chosen", "1970-11", "month"), src("differs", "1971", "year"), src("earliest", "1970-11-02", "day")]
    assert evidence.rule_problems(dated("1970-11", "month"), coarser) == []


def test_formal_act_needs_a_note_and_an_agreeing_source_must_contain_the_date():
    finer = [src("chosen", "1970-11", "month"), src("differs", "1970-10-02", "day")]
    assert evidence.rule_problems(dated("1970-11", "month", "formal_act", note="the communique"), finer) == []
    assert evidence.rule_problems(dated("1970-11", "month", "formal_act"), finer)[0][0] == "note"
    outside = [src("chosen", "1970-11-16", "day"), src("agrees", "1971", "year")]
    assert evidence.rule_problems(dated(), outside) == [
        ("reading", "a source read as 'agrees' gives 1971, which does not contain 1970-11-16; read it as 'differs'")]
    inside = [src("chosen", "1970-11-16", "day"), src("agrees", "1970", "year"), src("agrees", "", "")]
    assert evidence.rule_problems(dated(), inside) == []


SUMMARY_COLUMNS = ["event_id", "source", "source_url", "n_sources", "n_origins", "alt_date", "alt_precision", "alt_source"]


def summarise(event_ids, rows):
    return evidence.summary(pd.DataFrame({"event_id": event_ids}), pd.DataFrame(rows))


def test_summary_columns_and_an_event_without_sources_comes_out_empty_without_stopping_the_rest():
    out = summarise(["NONE", "E1"], [src("chosen", "1970", "year", citation="Only", url="https://x", event_id="E1")])
    assert list(out.columns) == SUMMARY_COLUMNS
    assert out.iloc[0].tolist() == ["NONE", "", "", 0, 0, "", "", ""]
    assert out.iloc[1].tolist() == ["E1", "Only", "https://x", 1, 1, "", "", ""]
    assert len(out) == 2


def test_summary_names_the_chosen_source_and_the_first_differing_one_wherever_they_stand():
    rows = [src("agrees", "1970", "year", citation="Agrees", url="ua", origin="o1"),
            src("differs", "1971-02", "month", citation="Differs 1", url="ud", origin="o2"),
            src("chosen", "1970-11-16", "day", citation="Chosen", url="uc", origin="o3"),
            src("differs", "1969", "year", citation="Differs 2", url="ud2", origin="o4")]
    out = summarise(["E1"], rows).iloc[0]
    assert (out["source"], out["source_url"]) == ("Chosen", "uc")
    assert out["n_sources"] == 4
    # the chosen source and the one that agrees; the differing ones are other dates
    assert out["n_origins"] == 2
    assert (out["alt_date"], out["alt_precision"], out["alt_source"]) == ("1971-02", "month", "Differs 1")


def test_n_origins_counts_an_origin_once_and_not_a_source_without_a_date():
    rows = [src("chosen", "1970-11-16", "day", origin="KCNA"),
            src("agrees", "1970-11", "month", origin="KCNA"),
            src("agrees", "", "", origin="existed by then"),  # only shows the relation existed: no date
            src("differs", "1970-12", "month", origin="press")]
    assert summarise(["E1"], rows).loc[0, "n_origins"] == 1
    two = rows + [src("agrees", "1970", "year", origin="archive")]
    assert summarise(["E1"], two).loc[0, "n_origins"] == 2


def test_a_window_is_summarised_by_its_latest_bound_s_source():
    rows = [src("earliest", "1970-01", "month", citation="Lower", url="ul"),
            src("latest", "1970-12", "month", citation="Upper", url="uu")]
    out = summarise(["E1"], rows).iloc[0]
    assert (out["source"], out["source_url"], out["n_sources"], out["n_origins"]) == ("Upper", "uu", 2, 0)
    # with neither a chosen nor a latest source, the first row stands in
    only = summarise(["E1"], [src("earliest", "1970-01", "month", citation="Lower", url="ul")]).iloc[0]
    assert (only["source"], only["alt_date"]) == ("Lower", "")


def test_alternative_spans_are_the_differing_dated_sources_with_precision_from_the_text_when_missing():
    rows = pd.DataFrame([src("chosen", "1970-11-16", "day", event_id="E1"),
                         src("agrees", "1970", "year", event_id="E1"),
                         src("differs", "", "", event_id="E1"),  # an alternative without a date is no span
                         src("differs", "1971-02", "", event_id="E1"),
                         src("differs", "1969", "year", event_id="E1"),
                         src("latest", "1972", "year", event_id="E2"),
                         src("differs", "1980-05-04", "day", event_id="E3")])
    assert evidence.alternative_spans(rows) == {
        "E1": [(date(1971, 2, 1), date(1971, 2, 28)), (date(1969, 1, 1), date(1969, 12, 31))],
        "E3": [(date(1980, 5, 4), date(1980, 5, 4))]}


def test_precision_of_reads_the_form_of_the_text():
    assert [evidence.precision_of(t) for t in ("1970", "1970-11", "1970-11-16")] == ["year", "month", "day"]


@pytest.mark.parametrize("quote, dateline, dates, years", [
    ("지난 26일 라트비아와 수교", "1991-10-01", ["1991-09-26"], []),  # a day after the dateline's: the month before
    ("북한은 7일 수교, 9일 보도", "1992-02-09", ["1992-02-07", "1992-02-09"], []),
    ("코스타리카정부는 11월23일 각의의 결의로", "1984-01-05", ["1983-11-23"], []),  # across the year's turn
    ("몬테네그로(7.16), 아랍에미리트연합(9.17)", "2007-09-28", ["2007-07-16", "2007-09-17"], []),
    ("共同コミュニケが20日、ニューヨークで発表", "2007-09-26", ["2007-09-20"], []),
    ("12일자로 외교관계를 수립", "1981-02", ["1981-02-12"], []),  # a month dateline: up to its last day
    ("signed in Kuwait city on Wednesday", "2001-04-07", ["2001-04-04"], []),
    ("signed on Wednesday", "2001-04", [], []),  # a weekday needs the day of the dateline
    ("외교관계설정 49돐이 되는 날", "2021", [], ["1972"]),
    ("the 30th anniversary of the establishment", "2022", [], ["1992"]),
    ("지난 31일", "1991-10-01", ["1991-08-31"], []),  # no 31 September: the latest 31st before it
    ("북마케도니아공화국은 7.18.(목) 공동성명에 서명", "2019-07-18", ["2019-07-18"], []),  # a ministry release's M.D.(weekday)
    ("지난 1월말 다시 복교했다", "2002-08-18", [], ["2002"]),  # a month alone: the latest such month
    ("지난 11월 수교", "2002-08-18", [], ["2001"]),  # November had not come yet in August: the year before
    ("se celebraron 63 años del establecimiento", "2025", [], ["1962"]),
])
def test_relative_dates_are_the_latest_such_day_on_or_before_the_dateline(quote, dateline, dates, years):
    assert evidence.relative_dates(quote, dateline) == (dates, years)


@pytest.mark.parametrize("quote, date_given, precision, dateline, gap", [
    ("북한과 키프로스는 지난 23일 수교했다", "1991-12-23", "day", "", "the year"),
    ("북한과 키프로스는 지난 23일 수교했다", "1991-12-23", "day", "1991-12-26", ""),
    ("북한과 키프로스는 지난 23일 수교했다", "1991-12-24", "day", "1991-12-26", "the year"),  # resolves to another day
    ("북한과 키프로스는 지난 23일 수교했다", "1991-11-23", "day", "1991-12-26", "the year"),  # not the month before
    ("9월 8일은 외교관계설정 49돐이 되는 날이다", "1972-09-08", "day", "2021", ""),
    ("9월 8일은 외교관계설정 49돐이 되는 날이다", "1972-09-12", "day", "2021", "the day"),  # the anniversary gives the year only
    ("외교관계설정 49돐", "1972", "year", "2020", "the year"),
    ("지난 1월말 다시 복교했다", "2002-01", "month", "2002-08-18", ""),
    ("지난 1월말 다시 복교했다", "2002-02", "month", "2002-08-18", "the month"),
    ("Este 15 de agosto se celebraron 63 años", "1962-08-15", "day", "2025", ""),
    ("Este 15 de agosto se celebraron 63 años", "1962-08-15", "day", "", "the year"),
    ("R 302230Z MAY 74 … ANNOUNCED DIPLOMATIC RELATIONS WITH COSTA RICA", "1974", "year", "", ""),
    ("R 302230Z MAY 74 … ANNOUNCED DIPLOMATIC RELATIONS WITH COSTA RICA", "1975", "year", "", "the year"),
])
def test_a_quote_read_with_its_dateline_shows_its_date_only_when_the_reading_gives_that_date(quote, date_given, precision,
                                                                                               dateline, gap):
    assert evidence.quote_gap(quote, date_given, precision, dateline) == gap


# --- over whole columns, against references that read one event at a time (issue 19) ------------

RANK = {"year": 0, "month": 1, "day": 2}


def reference_summary(event_ids: list[str], rows: list[dict]) -> list[list]:
    """The summary as its docstring states it, one event at a time."""
    out = []
    for event_id in event_ids:
        group = [r for r in rows if r["event_id"] == event_id]
        if not group:
            out.append([event_id, "", "", 0, 0, "", "", ""])
            continue
        main = (next((r for r in group if r["reading"] == "chosen"), None)
                or next((r for r in group if r["reading"] == "latest"), None) or group[0])
        alt = next((r for r in group if r["reading"] == "differs"), None)
        origins = {r["origin"] for r in group if r["reading"] in ("chosen", "agrees") and r["date_given"]}
        out.append([event_id, main["citation"], main["url"], len(group), len(origins),
                    *((alt["date_given"], alt["precision_given"], alt["citation"]) if alt else ("", "", ""))])
    return out


def reference_rule_problems(event: dict, sources: list[dict]) -> list[tuple[str, str]]:
    """The date rule as the module docstring states it, one event at a time."""
    at = lambda s: f", sources.csv line {s['line']}" if s.get("line") else ""  # noqa: E731
    if not sources:
        return [("event_id", "has no row in sources.csv; every event needs at least one source")]
    readings = [s["reading"] for s in sources]
    if event["date_rule"] == "window" or event["precision"] == "window":
        if event["date_rule"] != "window" or event["precision"] != "window":
            return [("date_rule", "precision 'window' and date_rule 'window' go together")]
        out = []
        for bound in ("earliest", "latest"):
            given = {s["date_given"] for s in sources if s["reading"] == bound}
            if not given:
                out.append((bound, f"no source row with reading '{bound}' gives this bound"))
            elif event[bound] not in given:
                out.append((bound, f"{event[bound]!r} is not the date a source with reading '{bound}' gives ({', '.join(sorted(given))})"))
        if "chosen" in readings:
            out.append(("date_rule", "a window has no chosen source; a source that dates the event makes it a dated event"))
        return out
    chosen = [s for s in sources if s["reading"] == "chosen"]
    if len(chosen) != 1:
        return [("date_rule", f"has {len(chosen)} sources with reading 'chosen'; exactly one gives the date used")]
    pick = chosen[0]
    if (pick["date_given"], pick["precision_given"]) != (event["date"], event["precision"]):
        return [("date", f"{event['date']!r} ({event['precision']}) is not what the chosen source gives ({pick['date_given']!r}, "
                         f"{pick['precision_given'] or 'no precision'}{at(pick)}); correct whichever of the two is wrong")]
    finer = [s for s in sources if s["reading"] in ("agrees", "differs") and s["precision_given"]
             and RANK[s["precision_given"]] > RANK[event["precision"]]]
    if event["date_rule"] == "most_specific" and finer:
        return [("date_rule", f"'most_specific', but {finer[0]['citation'][:60]!r} gives the finer date "
                              f"{finer[0]['date_given']}; choose it, or say 'formal_act' and why in the note")]
    if event["date_rule"] == "formal_act" and not event["note"]:
        return [("note", "is empty; 'formal_act' needs the note to say which act the other sources date")]
    for s in sources:
        inside = event["date"].startswith(s["date_given"]) or s["date_given"].startswith(event["date"])
        if s["reading"] == "agrees" and s["date_given"] and not inside:
            return [("reading", f"a source read as 'agrees'{at(s)} gives {s['date_given']}, which does not contain "
                                f"{event['date']}; read it as 'differs'")]
    return []


SOURCE_COLUMNS = ["event_id", "reading", "date_given", "precision_given", "origin", "citation", "url", "line"]


def summarise_in_columns(event_ids: list[str], rows: list[dict]) -> pd.DataFrame:
    return evidence.summary(pd.DataFrame({"event_id": event_ids}), pd.DataFrame(rows, columns=SOURCE_COLUMNS))


def test_the_summary_equals_the_reference_on_its_edge_cases():
    rows = [
        src("agrees", "1970", "year", citation="E1 agrees", origin="kcna", event_id="E1"),
        src("earliest", "1970-01", "month", citation="E2 lower", url="u2l", event_id="E2"),
        src("chosen", "1970-11-16", "day", citation="E1 chosen", url="u1c", origin="kcna", event_id="E1"),
        src("agrees", "", "", citation="E1 existed by then", origin="press", event_id="E1"),  # no date: no origin
        src("differs", "1971", "year", citation="E1 differs", event_id="E1"),
        src("latest", "1970-12", "month", citation="E2 upper", url="u2u", event_id="E2"),
        src("earliest", "1980", "year", citation="E3 only lower", url="u3", event_id="E3"),  # neither chosen nor latest
        src("differs", "1981", "year", citation="E3 differs", event_id="E3"),
        src("chosen", "1990", "year", citation="E4 chosen", origin="a", event_id="E4"),
        src("agrees", "1990", "year", origin="b", event_id="E4"),
        src("agrees", "1990", "year", origin="c", event_id="E4"),
        src("differs", "1989", "year", origin="d", event_id="E4"),  # another date: not an origin of the date used
        src("chosen", "2000", "year", citation="not an event of the list", event_id="E9"),
    ]
    event_ids = ["E0", "E1", "E2", "E3", "E4", "E1"]  # E0 has no source; E1 twice shares its summary
    out = summarise_in_columns(event_ids, rows)
    assert list(out.columns) == SUMMARY_COLUMNS
    assert out.values.tolist() == reference_summary(event_ids, rows)
    assert [str(t) for t in out.dtypes] == ["object"] * 3 + ["int64"] * 2 + ["object"] * 3
    assert out.loc[1, ["source", "n_sources", "n_origins"]].tolist() == ["E1 chosen", 4, 1]
    assert out.loc[4, "n_origins"] == 3 and out.loc[3, "source"] == "E3 only lower"


READINGS = st.sampled_from(["chosen", "agrees", "differs", "earliest", "latest"])
DATES = st.sampled_from(["", "1970", "1970-11", "1970-11-16", "1971"])
PRECISIONS = st.sampled_from(["", "year", "month", "day"])
SOURCE = st.fixed_dictionaries({"event": st.integers(0, 4), "reading": READINGS, "date_given": DATES,
                                "precision_given": PRECISIONS, "origin": st.sampled_from(["a", "b", "c"]),
                                "citation": st.sampled_from(["c1", "c2", "C" * 70]), "url": st.sampled_from(["u1", "u2"]),
                                "line": st.integers(2, 99)})
EVENT = st.fixed_dictionaries({"date_rule": st.sampled_from(["most_specific", "formal_act", "window"]),
                               "precision": st.sampled_from(["year", "month", "day", "window"]), "date": DATES,
                               "earliest": DATES, "latest": DATES, "note": st.sampled_from(["", "the communique"])})


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(SOURCE, max_size=12), st.lists(st.integers(0, 5), min_size=1, max_size=6))
def test_the_summary_equals_the_reference_on_random_tables(sources, events):
    rows = [dict(s, event_id=f"E{s['event']}") for s in sources]
    event_ids = [f"E{i}" for i in events]
    assert summarise_in_columns(event_ids, rows).values.tolist() == reference_summary(event_ids, rows)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(EVENT, min_size=1, max_size=5), st.lists(SOURCE, max_size=14))
def test_the_date_rule_over_all_events_equals_the_reference_event_by_event(events, sources):
    """Every event's sources mixed in one table, in any order: each event gets what the reference gives it alone."""
    frame = pd.DataFrame([dict(e, event_id=f"E{i}") for i, e in enumerate(events)])
    rows = pd.DataFrame([dict(s, event_id=f"E{s['event']}") for s in sources], columns=SOURCE_COLUMNS)
    expected = [(i, *p) for i, e in enumerate(events)
                for p in reference_rule_problems(e, [s for s in sources if s["event"] == i])]
    assert evidence.date_rule_problems(frame, rows) == expected


def test_the_date_rule_of_one_event_is_the_reference_s_on_the_hand_built_cases():
    cases = [
        (dated(), [src("chosen", "1970-11-16", "day"), src("agrees", "1971", "year", line=7)]),
        (dated("1970-11", "month"), [src("chosen", "1970-11", "month"), src("differs", "1970-11-16", "day", citation="Z" * 61)]),
        (window(), [src("earliest", "1970-03", "month"), src("earliest", "1970-02", "month"), src("chosen", "1970", "year")]),
        (window(rule="most_specific"), [src("earliest", "1970-01", "month")]),
        (dated(rule="formal_act"), [src("chosen", "1970-11-16", "day"), src("differs", "1970-10-02", "day")]),
        (dated(), [src("chosen", "1970-11-16", "day"), src("chosen", "1970-11-16", "day")]),
        (dated(), []),
    ]
    for event, sources in cases:
        assert evidence.rule_problems(event, sources) == reference_rule_problems(event, sources), (event, sources)


def test_the_date_rule_over_events_whose_sources_are_mixed_gives_each_event_its_own_problems():
    """Eight events, each with its own date and its own fault or none, their sources interleaved."""
    cases = [
        (dated("1960", "year"), [src("chosen", "1960", "year"), src("agrees", "1961", "year", line=30)]),
        (dated("1970-11", "month"), [src("chosen", "1970-11", "month")]),
        (dated("1980-05-04"), [src("chosen", "1980-05", "month", line=31)]),
        (window("1990-01", "1990-12"), [src("earliest", "1990-01", "month"), src("latest", "1990-12", "month")]),
        (dated("2000", "year", "formal_act"), [src("chosen", "2000", "year")]),
        (dated("1965", "year"), [src("chosen", "1965", "year"), src("differs", "1965-03-01", "day", citation="Finer")]),
        (dated("1975", "year"), []),
        (dated("1985", "year"), [src("chosen", "1985", "year"), src("chosen", "1985", "year")]),
    ]
    events = pd.DataFrame([dict(event, event_id=f"E{i}") for i, (event, _) in enumerate(cases)])
    own = [[dict(s, event_id=f"E{i}") for s in sources] for i, (_, sources) in enumerate(cases)]
    mixed = [s for rank in range(2) for sources in reversed(own) for s in sources[rank:rank + 1]]
    expected = [(i, *p) for i, (event, sources) in enumerate(cases) for p in reference_rule_problems(event, sources)]
    assert [i for i, _, _ in expected] == [0, 2, 4, 5, 6, 7]
    rows = pd.DataFrame(mixed, columns=SOURCE_COLUMNS)
    rows["line"] = pd.Series([s.get("line") for s in mixed], dtype=object)  # a line where known, as ingest gives them all
    assert evidence.date_rule_problems(events, rows) == expected
