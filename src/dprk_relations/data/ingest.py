"""Ingest: read and check every raw table, then return tidy DataFrames.

Checks across tables (sequence of events, existence of states, coverage of the universe) are
done here; checks of single fields are done by `rawdata` against the schemas.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dprk_relations.core import paths
from dprk_relations.rules import evidence, reference
from dprk_relations.rules.missions import MISSION_ACTS
from dprk_relations.rules.relations import (ALLOWED_FROM, IN_FORCE, MISSING, NONE, OPENING, SEVERED,
                                            STATUS_AFTER, SUSPENDED, continuations, coverage_of)
from dprk_relations.core.dates import DPRK_FOUNDED, PartialDate, parse_partial
from dprk_relations.rules.rawdata import Problem, RawDataError, Table, read_tables

# Region for states country_converter does not know (dissolved states), by UN M49 sub-region.
CONTINENT_OF_REGION = {
    "Eastern Europe": "Europe", "Western Europe": "Europe", "Southern Europe": "Europe",
    "Northern Europe": "Europe", "Western Asia": "Asia", "South-eastern Asia": "Asia",
}

# Codes the acts and missions tables may use besides the states of states.csv: places and bodies
# that host or send missions but are not states of the universe.
NON_STATE_CODES = {"UNO": "UN bodies", "EUU": "the European Union"}


@dataclass
class Dataset:
    states: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    no_relations: pd.DataFrame
    successions: pd.DataFrame
    groups: pd.DataFrame
    memberships: pd.DataFrame
    claims: pd.DataFrame
    published_counts: pd.DataFrame
    acts: pd.DataFrame
    mission_snapshots: pd.DataFrame
    missions: pd.DataFrame
    peer_reconciliation: pd.DataFrame
    package: dict


def _display(table: Table) -> str:
    return paths.relative(table.path)


def _parse(table: Table, line: int, row: dict, field: str, prec_field: str, problems: list[Problem],
           bounds: tuple[date | None, date] | None = None) -> PartialDate | None:
    """The partial date of `field` at the precision `prec_field` gives; with `bounds` (lowest, today),
    a date that cannot fall between them is reported too."""
    when = _parse_date(table, line, row, field, prec_field, problems)
    if when is not None and bounds is not None:
        lowest, today = bounds
        if lowest is not None and when.latest < lowest:
            problems.append(Problem(_display(table), line, field, f"{when.text} is before {_LOWEST_WHY.get(lowest, lowest.isoformat())}"))
        elif when.earliest > today:
            problems.append(Problem(_display(table), line, field, f"{when.text} is in the future (today is {today.isoformat()})"))
    return when


_LOWEST_WHY = {DPRK_FOUNDED: "the DPRK existed (9 September 1948)"}


def _parse_date(table: Table, line: int, row: dict, field: str, prec_field: str, problems: list[Problem]) -> PartialDate | None:
    text, precision = row[field], row[prec_field]
    if not text and not precision:
        return None
    if not precision:
        problems.append(Problem(_display(table), line, prec_field, f"is empty but {field} is {text!r}; say day, month or year"))
        return None
    if not text:
        problems.append(Problem(_display(table), line, field, f"is empty but {prec_field} is {precision!r}"))
        return None
    try:
        return parse_partial(text, precision)
    except ValueError as exc:
        problems.append(Problem(_display(table), line, field, str(exc)))
        return None


def load(raw_dir: Path, today: date | None = None) -> Dataset:
    """Read, check and normalise data/raw. Raise RawDataError listing every problem found, in every
    table, in one run: the checks across tables run even when single fields were wrong (a row whose date
    could not be read is left out of them); only a table that could not be read at all stops them."""
    today = today or date.today()
    tables, package, problems = read_tables(raw_dir)
    unreadable = [r["name"] for r in package["resources"] if r["name"] not in tables]
    if unreadable:
        raise RawDataError(problems)

    states = _states(tables["states"], problems, today)
    successions = _successions(tables["successions"], problems, today)
    states = _add_existence_from_successions(states, successions)
    events = _events(tables["events"], states, today, problems)
    sources = _sources(tables["sources"], problems, today)
    _check_date_rules(tables["events"], sources, problems)
    events = events.merge(evidence.summary(events, sources), on="event_id", how="left")
    no_rel = _frame(tables["no_relations"])
    since_founding, not_future = (DPRK_FOUNDED, today), (None, today)
    groups = _dated_frame(tables["groups"], ["joined", "left"], problems, bounds=not_future)
    memberships = _dated_frame(tables["dprk_memberships"], ["joined", "left"], problems, bounds=since_founding)
    _check_intervals(tables["groups"], groups, "joined", "left", problems)
    _check_intervals(tables["dprk_memberships"], memberships, "joined", "left", problems)
    claims = _frame(tables["claims"])
    published = _dated_frame(tables["published_counts"], ["count_date"], problems, precision_field="precision", bounds=since_founding)
    _check_counts(tables["published_counts"], "count", len(states), "states in states.csv", problems)
    acts = _dated_frame(tables["acts"], ["date"], problems, precision_field="precision", bounds=since_founding)
    _check_mission_acts(tables["acts"], problems)
    snapshots = _dated_frame(tables["mission_snapshots"], ["snapshot_date"], problems, precision_field="precision",
                             bounds=since_founding)
    _check_counts(tables["mission_snapshots"], "stated_total", MAX_MISSIONS, "missions any state keeps", problems)
    missions = _frame(tables["missions"])
    _check_complete_lists(tables["mission_snapshots"], tables["missions"], problems)
    reconciliation = _frame(tables["peer_reconciliation"])
    _check_resolutions(tables["peer_reconciliation"], problems)

    _check_names(tables["events"], states, problems)
    _check_names(tables["no_relations"], states, problems)
    _check_names(tables["acts"], states, problems)
    _check_codes(tables["acts"], states, problems)
    _check_codes(tables["missions"], states, problems)
    _check_sequences(tables["events"], events[events["date_latest"].notna()], states, successions, problems)
    _check_coverage(tables, events, no_rel, successions, problems)
    _check_claims(tables, package, states, problems, today)
    if problems:
        raise RawDataError(problems)
    return Dataset(states, events, sources, no_rel, successions, groups, memberships, claims, published,
                   acts, snapshots, missions, reconciliation, package)


def _frame(table: Table) -> pd.DataFrame:
    frame = pd.DataFrame(table.rows, columns=table.fields)
    frame.insert(0, "line", table.lines)
    return frame


def _dated_frame(table: Table, fields: list[str], problems: list[Problem], precision_field: str | None = None,
                 bounds: tuple[date | None, date] | None = None) -> pd.DataFrame:
    """The table with each date field's bounds (`<field>_earliest`, `<field>_latest`) added."""
    frame = _frame(table)
    for name in fields:
        precision = precision_field or f"{name}_precision"
        parsed = [_parse(table, line, row, name, precision, problems, bounds) for line, row in table.records()]
        frame[f"{name}_earliest"] = [p.earliest if p else None for p in parsed]
        frame[f"{name}_latest"] = [p.latest if p else None for p in parsed]
    return frame


def _states(table: Table, problems: list[Problem], today: date) -> pd.DataFrame:
    frame = _dated_frame(table, ["existed_from", "existed_to"], problems, bounds=(None, today))
    _check_intervals(table, frame, "existed_from", "existed_to", problems)
    for line, row in table.records():
        low, high = row["un_member_from"], row["un_member_to"]
        if low.lstrip("-").isdigit() and high.lstrip("-").isdigit() and int(high) < int(low):
            problems.append(Problem(_display(table), line, "un_member_to", f"{high} is before un_member_from {low}"))
    for line, row in table.records():
        if row["kind"] == "dissolved":
            for needed in ("existed_to", "m49_region"):
                if not row[needed]:
                    problems.append(Problem(_display(table), line, needed, "is required for a dissolved state"))
    lib = reference.country_table().set_index("iso3")
    frame["un_member_from"] = pd.to_numeric(frame["un_member_from"].replace("", None)).astype("Int64")
    frame["un_member_to"] = pd.to_numeric(frame["un_member_to"].replace("", None)).astype("Int64")
    from_lib = frame["iso3"].map(lib["un_member_from"])
    frame["un_member_from"] = frame["un_member_from"].fillna(from_lib).astype("Int64")
    frame["m49_region"] = frame["m49_region"].where(frame["m49_region"] != "", frame["iso3"].map(lib["m49_region"]))
    frame["continent"] = frame["iso3"].map(lib["continent"]).fillna(frame["m49_region"].map(CONTINENT_OF_REGION))
    return frame


def _successions(table: Table, problems: list[Problem], today: date) -> pd.DataFrame:
    return _dated_frame(table, ["date"], problems, precision_field="precision", bounds=(DPRK_FOUNDED, today))


def _add_existence_from_successions(states: pd.DataFrame, successions: pd.DataFrame) -> pd.DataFrame:
    """A state created by a succession exists from the succession date (unless states.csv says otherwise)."""
    states = states.copy()
    starts = successions[successions["kind"] == "new_state"].groupby("successor")["date_earliest"].min()
    missing = states["existed_from_earliest"].isna() & states["iso3"].isin(starts.index)
    states.loc[missing, "existed_from_earliest"] = states.loc[missing, "iso3"].map(starts)
    return states


def _events(table: Table, states: pd.DataFrame, today: date, problems: list[Problem]) -> pd.DataFrame:
    frame = _frame(table)
    display = _display(table)
    parsed: list[PartialDate | None] = []
    for line, row in table.records():
        if row["precision"] == "window":
            when = _window(table, line, row, problems)
        else:
            when = _parse(table, line, row, "date", "precision", problems)
            for bound in ("earliest", "latest"):
                if row[bound]:
                    problems.append(Problem(display, line, bound, "is only for precision 'window'; the date is known"))
        if when is not None:
            if when.latest < DPRK_FOUNDED:
                problems.append(Problem(display, line, "date", f"{when.text} is before the DPRK existed (9 September 1948)"))
            elif when.earliest > today:
                problems.append(Problem(display, line, "date", f"{when.text} is in the future (today is {today.isoformat()})"))
        expected_id = f"{row['iso3']}-{row['event']}-"
        if row["event_id"] and not row["event_id"].startswith(expected_id):
            problems.append(Problem(display, line, "event_id", f"{row['event_id']!r} should start with {expected_id!r} (state code and event kind)"))
        parsed.append(when)
    frame["date_earliest"] = [p.earliest if p else None for p in parsed]
    frame["date_latest"] = [p.latest if p else None for p in parsed]
    # an event counts in the year of the last day it can have happened (see relations.py)
    frame["year"] = [p.latest.year if p else None for p in parsed]
    # Order of a state's events: by the last day each can have happened (a window by its latest bound)
    frame["order_date"] = [p.latest if p else None for p in parsed]
    region = states.set_index("iso3")
    frame["m49_region"] = frame["iso3"].map(region["m49_region"])
    frame["continent"] = frame["iso3"].map(region["continent"])
    return frame


def _window(table: Table, line: int, row: dict, problems: list[Problem]) -> PartialDate | None:
    """An event no source dates: it happened between `earliest` and `latest`, each given by a source."""
    display = _display(table)
    if row["date"]:
        problems.append(Problem(display, line, "date", f"is {row['date']!r} but precision is 'window'; give the precision of the date"))
        return None
    bounds = []
    for bound in ("earliest", "latest"):
        if not row[bound]:
            problems.append(Problem(display, line, bound, "is empty; precision 'window' needs both bounds, each from a source"))
            continue
        try:
            bounds.append(parse_partial(row[bound], evidence.precision_of(row[bound])))
        except ValueError as exc:
            problems.append(Problem(display, line, bound, str(exc)))
    if len(bounds) != 2:
        return None
    if bounds[0].earliest > bounds[1].latest:
        problems.append(Problem(display, line, "latest", f"{row['latest']} is before earliest {row['earliest']}"))
        return None
    return PartialDate(bounds[0].earliest, bounds[1].latest, f"between {row['earliest']} and {row['latest']}", "window")


def _sources(table: Table, problems: list[Problem], today: date) -> pd.DataFrame:
    frame = _frame(table)
    display = _display(table)
    readable = []
    for line, row in table.records():
        readable.append(False)
        if row["date_given"]:
            # the chosen source's date and a window's bounds are the event's own: checked on the event's row
            own = row["reading"] in ("chosen", "earliest", "latest")
            readable[-1] = _parse(table, line, row, "date_given", "precision_given", problems,
                                  bounds=None if own else (DPRK_FOUNDED, today)) is not None
        elif row["precision_given"]:
            problems.append(Problem(display, line, "date_given", f"is empty but precision_given is {row['precision_given']!r}"))
        elif row["reading"] != "agrees":
            problems.append(Problem(display, line, "date_given", f"is empty; a source read as {row['reading']!r} must give its date"))
        if row["reading"] == "chosen" and not row["quote"]:
            problems.append(Problem(display, line, "quote", "is empty; the chosen source needs a short verbatim quote "
                                                            "that contains the date or the act it supports"))
    # reported, not refused: a quote may show its date only through its context (an article's date, an anniversary)
    frame["quote_lacks"] = [evidence.quote_gap(row["quote"], row["date_given"], row["precision_given"])
                            if row["reading"] == "chosen" and row["quote"] and ok else ""
                            for (_, row), ok in zip(table.records(), readable)]
    return frame


def _check_date_rules(table: Table, sources: pd.DataFrame, problems: list[Problem]) -> None:
    """Each event's date against its sources, under the one rule (evidence.rule_problems)."""
    display = _display(table)
    by_event = {k: g.to_dict("records") for k, g in sources.groupby("event_id", sort=False)}
    for line, row in table.records():
        for field, message in evidence.rule_problems(row, by_event.get(row["event_id"], [])):
            problems.append(Problem(display, line, field, message))


# More missions than any state keeps (the largest networks, the United States' and China's, have about 270).
MAX_MISSIONS = 500


def _check_intervals(table: Table, frame: pd.DataFrame, start: str, end: str, problems: list[Problem]) -> None:
    """A period ends on or after it starts (rows whose dates could not be read are reported already)."""
    for line, first, last in zip(frame["line"], frame[f"{start}_earliest"], frame[f"{end}_latest"]):
        if first is not None and last is not None and not pd.isna(first) and not pd.isna(last) and last < first:
            problems.append(Problem(_display(table), line, end, f"ends ({last.isoformat()}) before {start} ({first.isoformat()})"))


def _check_counts(table: Table, field: str, most: int, what: str, problems: list[Problem]) -> None:
    """A count is a whole number from 0 to `most` (the schema checks the form)."""
    for line, row in table.records():
        value = row[field]
        if value.lstrip("-").isdigit() and not 0 <= int(value) <= most:
            problems.append(Problem(_display(table), line, field, f"{value} is not a count from 0 to {most} (the {what})"))


def _check_complete_lists(snapshots: Table, missions: Table, problems: list[Problem]) -> None:
    """A list read as complete has rows in missions.csv, as many as the total it states (when it states one)."""
    listed: dict[str, int] = {}
    for _, row in missions.records():
        listed[row["snapshot"]] = listed.get(row["snapshot"], 0) + 1
    for line, row in snapshots.records():
        if row["coverage"] != "complete":
            continue
        n = listed.get(row["snapshot"], 0)
        if n == 0:
            problems.append(Problem(_display(snapshots), line, "coverage", f"is 'complete' but missions.csv has no row of "
                                    f"the list {row['snapshot']!r}; add its missions or read it as 'partial'"))
        elif row["stated_total"].isdigit() and int(row["stated_total"]) != n:
            problems.append(Problem(_display(snapshots), line, "stated_total", f"the complete list {row['snapshot']!r} states "
                                    f"{row['stated_total']} but missions.csv has {n} of its missions"))


def _check_resolutions(table: Table, problems: list[Problem]) -> None:
    """A disagreement with a peer resolved (not open) shows how with a verbatim quote of its source."""
    for line, row in table.records():
        if row["resolution"] != "open" and not row["quote"]:
            problems.append(Problem(_display(table), line, "quote", f"is empty; the resolution {row['resolution']!r} "
                                                                    "needs a short verbatim quote of its source"))


def _check_names(table: Table, states: pd.DataFrame, problems: list[Problem]) -> None:
    names = dict(zip(states["iso3"], states["name"]))
    for line, row in table.records():
        expected = names.get(row["iso3"])
        if expected is not None and row["state"] != expected:
            problems.append(
                Problem(_display(table), line, "state", f"{row['state']!r} is not the name of {row['iso3']} in states.csv ({expected!r})")
            )


def _check_mission_acts(table: Table, problems: list[Problem]) -> None:
    """An act that opens or closes a mission says whose mission and in which city; no other act does."""
    for line, row in table.records():
        for field in ("mission", "city"):
            if row["kind"] in MISSION_ACTS and not row[field]:
                problems.append(Problem(_display(table), line, field, f"is empty; '{row['kind']}' needs the {field} of the mission"))
            elif row["kind"] not in MISSION_ACTS and row[field]:
                problems.append(Problem(_display(table), line, field, f"is {row[field]!r}, but '{row['kind']}' opens or closes no mission; leave it empty"))


def _enum(package: dict, resource: str, field: str) -> set[str]:
    spec = next(r for r in package["resources"] if r["name"] == resource)
    return set(next(f for f in spec["schema"]["fields"] if f["name"] == field)["constraints"]["enum"])


def _check_claims(tables: dict[str, Table], package: dict, states: pd.DataFrame, problems: list[Problem],
                  today: date | None = None) -> None:
    """Every row of the claims register names a check that exists, with arguments it takes and values
    the data know (claims.register_problems): a misspelt state code would otherwise be 'not checkable'."""
    from dprk_relations.analysis import claims

    known = {
        "state": set(states["iso3"]) | set(NON_STATE_CODES),
        "kind of state": _enum(package, "states", "kind"),
        "event": _enum(package, "events", "event"),
        "act": _enum(package, "acts", "kind"),
        "mission": _enum(package, "missions", "kind"),
        "direction": _enum(package, "mission_snapshots", "direction"),
        "actor": _enum(package, "acts", "actor"),
        "continent": set(states["continent"].dropna()),
        "group": {row["group"] for row in tables["groups"].rows},
        "acronym": {row["acronym"] for row in tables["dprk_memberships"].rows},
        "claim": {row["claim_id"] for row in tables["claims"].rows},
    }
    table = tables["claims"]
    for i, field, message in claims.register_problems(table.rows, known, today):
        problems.append(Problem(_display(table), table.lines[i], field, message))


def _check_codes(table: Table, states: pd.DataFrame, problems: list[Problem]) -> None:
    """Acts and missions name a state of states.csv, or one of the few places and bodies that are not states."""
    known = set(states["iso3"])
    for line, row in table.records():
        if row["iso3"] not in known and row["iso3"] not in NON_STATE_CODES:
            others = ", ".join(f"{k} ({v})" for k, v in NON_STATE_CODES.items())
            problems.append(Problem(_display(table), line, "iso3", f"{row['iso3']!r} is not a code in states.csv nor one of {others}"))


def _check_sequences(table: Table, events: pd.DataFrame, states: pd.DataFrame, successions: pd.DataFrame, problems: list[Problem]) -> None:
    """Each state's events must make sense in order: nothing to break without a relation in force,
    nothing to restore without an earlier break, and nothing outside the dates the state existed."""
    display = _display(table)
    existence = states.set_index("iso3")[["existed_from_earliest", "existed_to_latest"]]
    continued = continuations(successions)
    ends_open = _open_after_last_event(events, successions)
    # rows with an unknown state or kind are already reported by the schema and foreign keys
    events = events[events["iso3"].isin(existence.index) & events["event"].isin(ALLOWED_FROM)]
    for iso3, group in events.sort_values(["order_date", "line"]).groupby("iso3", sort=True):
        start, end = existence.loc[iso3]
        status = NONE
        if iso3 in continued and ends_open.get(continued[iso3]):
            status = IN_FORCE
        for line, kind, text, earliest, latest in zip(group["line"], group["event"], group["date"], group["date_earliest"], group["date_latest"]):
            shown = text or f"(between {earliest.isoformat()} and {latest.isoformat()})"
            if start is not None and not pd.isna(start) and latest < start:
                problems.append(Problem(display, line, "date", f"{shown} is before {iso3} existed (from {start.isoformat()})"))
            if end is not None and not pd.isna(end) and earliest > end:
                problems.append(Problem(display, line, "date", f"{shown} is after {iso3} ceased to exist ({end.isoformat()})"))
            if status not in ALLOWED_FROM[kind]:
                why = {NONE: "no relation had been established", IN_FORCE: "relations are in force",
                       SUSPENDED: "relations are suspended", SEVERED: "relations are severed"}[status]
                hint = " (use 'restored' after a break)" if kind == "established" and status == SEVERED else ""
                problems.append(Problem(display, line, "event", f"'{kind}' at {shown}, but {why} then{hint}"))
            status = STATUS_AFTER[kind]


def _open_after_last_event(events: pd.DataFrame, successions: pd.DataFrame) -> dict[str, bool]:
    """Whether each state's relations were in force after its last event (followed along continuations)."""
    out = {}
    for iso3, group in events.sort_values(["order_date", "line"]).groupby("iso3"):
        out[iso3] = group["event"].iloc[-1] in OPENING
    for succ, pred in continuations(successions).items():
        out.setdefault(succ, out.get(pred, False))
    return out


def _check_coverage(tables: dict[str, Table], events: pd.DataFrame, no_rel: pd.DataFrame, successions: pd.DataFrame, problems: list[Problem]) -> None:
    with_events = set(events["iso3"])
    never = set(no_rel["iso3"])
    continuing = set(continuations(successions))
    for line, row in tables["no_relations"].records():
        if row["iso3"] in with_events:
            problems.append(Problem(_display(tables["no_relations"]), line, "iso3", f"{row['iso3']} is listed as never having relations but has events in events.csv"))
    table = tables["states"]
    for line, row in table.records():
        if coverage_of(row["iso3"], with_events, never, continuing) == MISSING:
            problems.append(
                Problem(_display(table), line, "iso3", f"{row['iso3']} ({row['name']}) has no event, no 'never' entry in no_relations.csv and continues no predecessor")
            )
