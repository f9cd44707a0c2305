"""The date rule and the per-event summary computed over whole columns (issue 19) against simple
references that read one event at a time: hand-built edge cases, then random small tables."""
from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_relations.rules import evidence

from tests.rules.test_evidence import SUMMARY_COLUMNS, dated, src, window

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


def summarise(event_ids: list[str], rows: list[dict]) -> pd.DataFrame:
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
    out = summarise(event_ids, rows)
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
    assert summarise(event_ids, rows).values.tolist() == reference_summary(event_ids, rows)


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
