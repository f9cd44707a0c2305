"""The checks across raw tables that ingest runs: each over whole columns, the message built only for
the rows that fail it (naming file, line and field), so the cost grows with the rows, not with Python loops.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.core import paths
from dprk_relations.rules.missions import MISSION_ACTS
from dprk_relations.rules.problems import Problem, Table
from dprk_relations.rules.relations import (ALLOWED_FROM, IN_FORCE, MISSING, NONE, OPENING, SEVERED, STATUS_AFTER,
                                            SUSPENDED, continuations, coverage_of, date_of, existence_days, ordinals)

# Codes the acts and missions tables may use besides the states of states.csv: places and bodies
# that host or send missions but are not states of the universe.
NON_STATE_CODES = {"UNO": "UN bodies", "EUU": "the European Union"}
# The UN was founded in 1945 (the Charter in force on 24 October): no state was a member before.
UN_FOUNDED = 1945
# More missions than any state keeps (the largest networks, the United States' and China's, have about 270).
MAX_MISSIONS = 500


def display(table: Table) -> str:
    return paths.relative(table.path)


def report(problems: list[Problem], table: Table, lines, failing, field: str, message: Callable[[int], str]) -> None:
    """A problem on `field` for each row where `failing` holds, its message built from the row's position."""
    for i in np.flatnonzero(np.asarray(failing, dtype=bool)):
        problems.append(Problem(display(table), int(lines[i]), field, message(i)))


def _integers(values: pd.Series, where: np.ndarray) -> np.ndarray:
    """The values as numbers where `where` holds (0 elsewhere), read as int() reads them."""
    numbers = np.zeros(len(values), dtype=object)
    numbers[where] = [int(v) for v in values[where]]
    return numbers


def _whole(values: pd.Series) -> np.ndarray:
    """Which values are whole numbers, a sign allowed."""
    return values.str.lstrip("-").str.isdigit().to_numpy(dtype=bool)


def whole_numbers(values: pd.Series) -> pd.Series:
    """The values as whole numbers (Int64), NA where a cell is empty or not a whole number: the schema's integer
    check reports such a cell with its file, line and field, and the run stops on it after the other checks."""
    whole = _whole(values)
    numbers = pd.array([pd.NA] * len(values), dtype="Int64")
    numbers[whole] = [int(v) for v in values[whole]]
    return pd.Series(numbers, index=values.index)


def intervals(table: Table, frame: pd.DataFrame, start: str, end: str, problems: list[Problem]) -> None:
    """A period ends on or after it starts (rows whose dates could not be read are reported already)."""
    first, last = frame[f"{start}_earliest"].to_numpy(), frame[f"{end}_latest"].to_numpy()
    known = pd.notna(first) & pd.notna(last)
    wrong = np.zeros(len(frame), dtype=bool)
    wrong[known] = last[known] < first[known]
    report(problems, table, frame["line"].to_numpy(), wrong, end,
           lambda i: f"ends ({last[i].isoformat()}) before {start} ({first[i].isoformat()})")


def un_years(table: Table, frame: pd.DataFrame, problems: list[Problem], today: date) -> None:
    """A UN year lies between the UN's founding (UN_FOUNDED) and this year; a state leaves the UN in or after
    the year it joined."""
    for field in ("un_member_from", "un_member_to"):
        whole = _whole(frame[field])
        year = _integers(frame[field], whole)
        outside = whole & ((year < UN_FOUNDED) | (year > today.year))
        report(problems, table, frame["line"].to_numpy(), outside, field,
               lambda i, field=field: f"{frame[field].iat[i]} is not a year of the UN (from {UN_FOUNDED} to {today.year})")
    both = _whole(frame["un_member_from"]) & _whole(frame["un_member_to"])
    wrong = _integers(frame["un_member_to"], both) < _integers(frame["un_member_from"], both)
    report(problems, table, frame["line"].to_numpy(), wrong, "un_member_to",
           lambda i: f"{frame['un_member_to'].iat[i]} is before un_member_from {frame['un_member_from'].iat[i]}")


def counts(table: Table, frame: pd.DataFrame, field: str, most: int, what: str, problems: list[Problem]) -> None:
    """A count is a whole number from 0 to `most` (the schema checks the form)."""
    whole = _whole(frame[field])
    value = _integers(frame[field], whole)
    wrong = whole & ((value < 0) | (value > most))
    report(problems, table, frame["line"].to_numpy(), wrong, field,
           lambda i: f"{frame[field].iat[i]} is not a count from 0 to {most} (the {what})")


def complete_lists(snapshots: Table, frame: pd.DataFrame, missions: pd.DataFrame, problems: list[Problem]) -> None:
    """A list read as complete has rows in missions.csv, as many as the total it states (when it states one)."""
    listed = frame["snapshot"].map(missions["snapshot"].value_counts()).fillna(0).astype(np.int64).to_numpy()
    complete = (frame["coverage"] == "complete").to_numpy()
    stated = frame["stated_total"]
    compared = complete & (listed > 0) & stated.str.isdigit().to_numpy(dtype=bool)
    total = _integers(stated, compared)
    lines = frame["line"].to_numpy()
    report(problems, snapshots, lines, complete & (listed == 0), "coverage",
           lambda i: f"is 'complete' but missions.csv has no row of the list {frame['snapshot'].iat[i]!r}; "
                     "add its missions or read it as 'partial'")
    report(problems, snapshots, lines, compared & (total != listed), "stated_total",
           lambda i: f"the complete list {frame['snapshot'].iat[i]!r} states {stated.iat[i]} but missions.csv has "
                     f"{listed[i]} of its missions")


def resolutions(table: Table, frame: pd.DataFrame, problems: list[Problem]) -> None:
    """A disagreement with a peer resolved (not open) shows how with a verbatim quote of its source."""
    report(problems, table, frame["line"].to_numpy(), (frame["resolution"] != "open") & (frame["quote"] == ""), "quote",
           lambda i: f"is empty; the resolution {frame['resolution'].iat[i]!r} needs a short verbatim quote of its source")


def names(table: Table, frame: pd.DataFrame, states: pd.DataFrame, problems: list[Problem]) -> None:
    """A row's state name is the name states.csv gives its code."""
    expected = frame["iso3"].map(pd.Series(states["name"].to_numpy(), index=states["iso3"].to_numpy()))
    report(problems, table, frame["line"].to_numpy(), expected.notna() & (frame["state"] != expected), "state",
           lambda i: f"{frame['state'].iat[i]!r} is not the name of {frame['iso3'].iat[i]} in states.csv ({expected.iat[i]!r})")


def mission_acts(table: Table, frame: pd.DataFrame, problems: list[Problem]) -> None:
    """An act that opens or closes a mission says whose mission and in which city; no other act does."""
    kind = frame["kind"]
    opens = kind.isin(MISSION_ACTS).to_numpy()
    for field in ("mission", "city"):
        given = (frame[field] != "").to_numpy()
        report(problems, table, frame["line"].to_numpy(), opens & ~given, field,
               lambda i: f"is empty; '{kind.iat[i]}' needs the {field} of the mission")
        report(problems, table, frame["line"].to_numpy(), ~opens & given, field,
               lambda i: f"is {frame[field].iat[i]!r}, but '{kind.iat[i]}' opens or closes no mission; leave it empty")


def codes(table: Table, frame: pd.DataFrame, states: pd.DataFrame, problems: list[Problem]) -> None:
    """Acts and missions name a state of states.csv, or one of the few places and bodies that are not states."""
    others = ", ".join(f"{k} ({v})" for k, v in NON_STATE_CODES.items())
    unknown = ~frame["iso3"].isin(set(states["iso3"]) | set(NON_STATE_CODES))
    report(problems, table, frame["line"].to_numpy(), unknown, "iso3",
           lambda i: f"{frame['iso3'].iat[i]!r} is not a code in states.csv nor one of {others}")


def _enum(package: dict, resource: str, field: str) -> set[str]:
    spec = next(r for r in package["resources"] if r["name"] == resource)
    return set(next(f for f in spec["schema"]["fields"] if f["name"] == field)["constraints"]["enum"])


def claims_register(tables: dict[str, Table], package: dict, states: pd.DataFrame, problems: list[Problem],
                    today: date | None = None) -> None:
    """Every row of the claims register names a check that exists, with arguments it takes and values
    the data know (claims.register_problems): a misspelt state code would otherwise be 'not checkable'.
    The register holds the report's statements, a few dozen: it is read row by row."""
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
        "group": set(tables["groups"].columns["group"]),
        "acronym": set(tables["dprk_memberships"].columns["acronym"]),
        "claim": set(tables["claims"].columns["claim_id"]),
    }
    table = tables["claims"]
    for i, field, message in claims.register_problems(table.rows, known, today):
        problems.append(Problem(display(table), table.lines[i], field, message))


WHY = {NONE: "no relation had been established", IN_FORCE: "relations are in force",
       SUSPENDED: "relations are suspended", SEVERED: "relations are severed"}


def sequences(table: Table, events: pd.DataFrame, states: pd.DataFrame, successions: pd.DataFrame, problems: list[Problem]) -> None:
    """Each state's events must make sense in order: nothing to break without a relation in force,
    nothing to restore without an earlier break, and nothing outside the dates the state existed."""
    continued = continuations(successions)
    events = events[["iso3", "event", "date", "date_earliest", "date_latest", "order_date", "line"]]  # sorted below: the columns used only
    ends_open = _open_after_last_event(events, successions)
    # rows with an unknown state or kind are already reported by the schema and foreign keys
    events = events[events["iso3"].isin(states["iso3"]) & events["event"].isin(ALLOWED_FROM)]
    ordered = events.sort_values(["iso3", "order_date", "line"])
    iso3, kind = ordered["iso3"], ordered["event"]
    # the status before each event: the one its state's previous event led to, or where the state started
    start = iso3.map({s: IN_FORCE for s, pred in continued.items() if ends_open.get(pred)}).fillna(NONE)
    status = kind.groupby(iso3, sort=False).shift(1).map(STATUS_AFTER).fillna(start).to_numpy()
    allowed = pd.Series(list(zip(kind, status)), dtype=object).isin(
        {(k, s) for k, froms in ALLOWED_FROM.items() for s in froms}).to_numpy()
    earliest, latest = ordered["date_earliest"].to_numpy(), ordered["date_latest"].to_numpy()
    born, gone = existence_days(states, iso3)
    before, after = ordinals(latest) < born, ordinals(earliest) > gone  # no bound: the far past, the far future
    text, kinds, codes_ = ordered["date"].to_numpy(), kind.to_numpy(), iso3.to_numpy()

    def shown(i: int) -> str:
        return text[i] or f"(between {earliest[i].isoformat()} and {latest[i].isoformat()})"

    def hint(i: int) -> str:
        return " (use 'restored' after a break)" if kinds[i] == "established" and status[i] == SEVERED else ""

    lines = ordered["line"].to_numpy()
    report(problems, table, lines, before, "date", lambda i: f"{shown(i)} is before {codes_[i]} existed (from {date_of(born[i]).isoformat()})")
    report(problems, table, lines, after, "date", lambda i: f"{shown(i)} is after {codes_[i]} ceased to exist ({date_of(gone[i]).isoformat()})")
    report(problems, table, lines, ~allowed, "event",
           lambda i: f"'{kinds[i]}' at {shown(i)}, but {WHY[status[i]]} then{hint(i)}")


def _open_after_last_event(events: pd.DataFrame, successions: pd.DataFrame) -> dict[str, bool]:
    """Whether each state's relations were in force after its last event (followed along continuations)."""
    last = events.sort_values(["order_date", "line"]).drop_duplicates("iso3", keep="last")
    out = dict(zip(last["iso3"], last["event"].isin(OPENING)))
    for succ, pred in continuations(successions).items():
        out.setdefault(succ, out.get(pred, False))
    return out


def coverage(tables: dict[str, Table], events: pd.DataFrame, no_rel: pd.DataFrame, states: pd.DataFrame,
             successions: pd.DataFrame, problems: list[Problem]) -> None:
    with_events = set(events["iso3"])
    never = set(no_rel["iso3"])
    continuing = set(continuations(successions))
    report(problems, tables["no_relations"], no_rel["line"].to_numpy(), no_rel["iso3"].isin(with_events), "iso3",
           lambda i: f"{no_rel['iso3'].iat[i]} is listed as never having relations but has events in events.csv")
    status = [coverage_of(s, with_events, never, continuing) for s in states["iso3"]]
    report(problems, tables["states"], states["line"].to_numpy(), np.array(status, dtype=object) == MISSING, "iso3",
           lambda i: f"{states['iso3'].iat[i]} ({states['name'].iat[i]}) has no event, no 'never' entry in "
                     "no_relations.csv and continues no predecessor")
