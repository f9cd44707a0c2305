"""Ingest: read and check every raw table, then return tidy DataFrames.

Checks across tables (sequence of events, existence of states, coverage of the universe) are
done here and in `checks`; checks of single fields are done by `rawdata` against the schemas.
Every check and derivation works on whole columns: a date, a quote or a value is read once per
distinct value, and a message is built only for a row that fails, so the cost grows with the rows.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from dprk_relations.core import focal as focals
from dprk_relations.core.dates import PartialDate, parse_partial
from dprk_relations.data import checks
from dprk_relations.data.checks import MAX_MISSIONS, display
from dprk_relations.data.dataset import Dataset
from dprk_relations.rules import evidence, reference
from dprk_relations.rules.constraints import row_keys
from dprk_relations.rules.package import read_tables
from dprk_relations.rules.problems import Problem, RawDataError, Table


Faults = list[tuple[str, str]]


@dataclass
class Dates:
    """The partial dates of a table's rows: each distinct one once, and for each row the index of its own
    (-1 where the row has none)."""

    codes: np.ndarray
    values: list[PartialDate]

    def of(self, get: Callable[[PartialDate], object]) -> list:
        """`get` of each row's date, None where it has none."""
        return np.array([get(v) for v in self.values] + [None], dtype=object)[self.codes].tolist()

    def where(self, rows: np.ndarray, other: Dates) -> Dates:
        """These dates, but `other`'s on `rows`."""
        shifted = np.where(other.codes >= 0, other.codes + len(self.values), -1)
        return Dates(np.where(rows, shifted, self.codes), self.values + other.values)


def _distinct(columns: list[np.ndarray]) -> tuple[np.ndarray, list[tuple]]:
    """For each row, the index of its combination of values among the distinct ones; and those, in order."""
    keys = row_keys(columns)
    return keys, [tuple(column[i] for column in columns) for i in np.unique(keys, return_index=True)[1]]


def _each_distinct(table: Table, frame: pd.DataFrame, fields: list[str], rows: np.ndarray,
                   judge: Callable[..., tuple[PartialDate | None, Faults]], problems: list[Problem]) -> Dates:
    """`judge` once per distinct combination of `fields` among `rows`: its date (or None) and its faults
    (field, message), reported on every row that has it."""
    codes = np.full(len(frame), -1)
    picked = np.flatnonzero(rows)
    keys, distinct = _distinct([frame[f].to_numpy()[picked] for f in fields])
    outcomes = [judge(*key) for key in distinct]
    dated = np.array([when is not None for when, _ in outcomes] + [False])
    codes[picked] = np.where(dated, np.cumsum(dated) - 1, -1)[keys]
    lines = frame["line"].to_numpy()
    faulty = np.array([bool(faults) for _, faults in outcomes] + [False])
    for i, key in zip(picked[faulty[keys]], keys[faulty[keys]]):
        for field, message in outcomes[key][1]:
            problems.append(Problem(display(table), int(lines[i]), field, message))
    return Dates(codes, [when for when, _ in outcomes if when is not None])


_LOWEST_WHY = {f.founded: f"the {f.short} existed ({f.founded_text})" for f in focals.FOCALS.values()}


def _beyond(when: PartialDate, field: str, bounds: tuple[date | None, date] | None) -> Faults:
    """The one bounds rule: with `bounds` (lowest, today), a date that cannot fall between them."""
    if bounds is None:
        return []
    lowest, today = bounds
    if lowest is not None and when.latest < lowest:
        return [(field, f"{when.text} is before {_LOWEST_WHY.get(lowest, lowest.isoformat())}")]
    if when.earliest > today:
        return [(field, f"{when.text} is in the future (today is {today.isoformat()})")]
    return []


def _parse(table: Table, frame: pd.DataFrame, field: str, prec_field: str, problems: list[Problem],
           bounds: tuple[date | None, date] | None = None, rows: np.ndarray | None = None) -> Dates:
    """The partial dates of `field` at the precision `prec_field` gives (on `rows`, every row by default);
    with `bounds` (lowest, today), a date that cannot fall between them is reported too."""
    def judge(text: str, precision: str) -> tuple[PartialDate | None, Faults]:
        if not text and not precision:
            return None, []
        if not precision:
            return None, [(prec_field, f"is empty but {field} is {text!r}; say day, month or year")]
        if not text:
            return None, [(field, f"is empty but {prec_field} is {precision!r}")]
        try:
            when = parse_partial(text, precision)
        except ValueError as exc:
            return None, [(field, str(exc))]
        return when, _beyond(when, field, bounds)

    rows = np.ones(len(frame), dtype=bool) if rows is None else rows
    return _each_distinct(table, frame, [field, prec_field], rows, judge, problems)


def load(raw_dir: Path, today: date | None = None, focal: str = focals.DEFAULT) -> Dataset:
    """Read, check and normalise data/raw (for a focal state with a folder of its own, its tables from
    there: focal.py). Raise RawDataError listing every problem found, in every table, in one run: the
    checks across tables run even when single fields were wrong (a row whose date could not be read is
    left out of them); only a table that could not be read at all stops them."""
    today = today or date.today()
    state = focals.get(focal)
    tables, package, problems = read_tables(raw_dir, state)
    unreadable = [r["name"] for r in package["resources"] if r["name"] not in tables]
    if unreadable:
        raise RawDataError(problems)
    founded = state.founded

    # the universe is every state but the focal one (the DPRK is not in states.csv; the ROK is, as its partner)
    states = _states(tables["states"], problems, today)
    states = states[states["iso3"] != state.code].reset_index(drop=True)
    successions = _successions(tables["successions"], problems, today, founded)
    states = _add_existence_from_successions(states, successions)
    events = _events(tables["events"], states, today, problems, founded)
    sources = _sources(tables["sources"], problems, today, founded)
    _check_date_rules(tables["events"], events, sources, problems)
    events = events.merge(evidence.summary(events, sources), on="event_id", how="left")
    no_rel = _frame(tables["no_relations"])
    since_founding, not_future = (founded, today), (None, today)
    groups = _dated_frame(tables["groups"], ["joined", "left"], problems, bounds=not_future)
    memberships = _dated_frame(tables["dprk_memberships"], ["joined", "left"], problems, bounds=since_founding)
    checks.intervals(tables["groups"], groups, "joined", "left", problems)
    checks.intervals(tables["dprk_memberships"], memberships, "joined", "left", problems)
    claims = _frame(tables["claims"])
    published = _dated_frame(tables["published_counts"], ["count_date"], problems, precision_field="precision", bounds=since_founding)
    checks.counts(tables["published_counts"], published, "count", len(states), "states in states.csv", problems)
    acts = _dated_frame(tables["acts"], ["date"], problems, precision_field="precision", bounds=since_founding)
    checks.mission_acts(tables["acts"], acts, problems)
    snapshots = _dated_frame(tables["mission_snapshots"], ["snapshot_date"], problems, precision_field="precision",
                             bounds=since_founding)
    checks.counts(tables["mission_snapshots"], snapshots, "stated_total", MAX_MISSIONS, "missions any state keeps", problems)
    missions = _frame(tables["missions"])
    checks.complete_lists(tables["mission_snapshots"], snapshots, missions, problems)
    reconciliation = _frame(tables["peer_reconciliation"])
    checks.resolutions(tables["peer_reconciliation"], reconciliation, problems)

    checks.names(tables["events"], events, states, problems)
    checks.names(tables["no_relations"], no_rel, states, problems)
    checks.names(tables["acts"], acts, states, problems)
    checks.codes(tables["acts"], acts, states, problems)
    checks.codes(tables["missions"], missions, states, problems)
    checks.sequences(tables["events"], events[events["date_latest"].notna()], states, successions, problems)
    checks.coverage(tables, events, no_rel, states, successions, problems)
    checks.claims_register(tables, package, states, problems, today)
    if problems:
        raise RawDataError(problems)
    return Dataset(states, events, sources, no_rel, successions, groups, memberships, claims, published,
                   acts, snapshots, missions, reconciliation, package)


def _frame(table: Table) -> pd.DataFrame:
    frame = pd.DataFrame({f: table.columns[f] for f in table.fields}, columns=table.fields, dtype=object)
    frame.insert(0, "line", table.lines)
    return frame


def _dated_frame(table: Table, fields: list[str], problems: list[Problem], precision_field: str | None = None,
                 bounds: tuple[date | None, date] | None = None) -> pd.DataFrame:
    """The table with each date field's bounds (`<field>_earliest`, `<field>_latest`) added."""
    frame = _frame(table)
    for name in fields:
        parsed = _parse(table, frame, name, precision_field or f"{name}_precision", problems, bounds)
        frame[f"{name}_earliest"] = parsed.of(lambda d: d.earliest)
        frame[f"{name}_latest"] = parsed.of(lambda d: d.latest)
    return frame


def _states(table: Table, problems: list[Problem], today: date) -> pd.DataFrame:
    frame = _dated_frame(table, ["existed_from", "existed_to"], problems, bounds=(None, today))
    checks.intervals(table, frame, "existed_from", "existed_to", problems)
    checks.un_years(table, frame, problems, today)
    dissolved = (frame["kind"] == "dissolved").to_numpy()
    for needed in ("existed_to", "m49_region"):
        checks.report(problems, table, frame["line"].to_numpy(), dissolved & (frame[needed] == "").to_numpy(), needed,
                      lambda i: "is required for a dissolved state")
    lib = reference.country_table().set_index("iso3")
    continents = reference.continent_of_region(lib)  # each M49 sub-region country_converter names, its continent
    known = sorted(continents)
    checks.report(problems, table, frame["line"].to_numpy(), (frame["m49_region"] != "") & ~frame["m49_region"].isin(known),
                  "m49_region", lambda i: f"{frame['m49_region'].iat[i]!r} is not a UN M49 sub-region "
                                          f"(country_converter's {len(known)}: {', '.join(known)})")
    frame["un_member_from"] = checks.whole_numbers(frame["un_member_from"])
    frame["un_member_to"] = checks.whole_numbers(frame["un_member_to"])
    from_lib = frame["iso3"].map(lib["un_member_from"])
    frame["un_member_from"] = frame["un_member_from"].fillna(from_lib).astype("Int64")
    frame["m49_region"] = frame["m49_region"].where(frame["m49_region"] != "", frame["iso3"].map(lib["m49_region"]))
    # a state the library does not know (a dissolved one) takes its sub-region's continent
    frame["continent"] = frame["iso3"].map(lib["continent"]).fillna(frame["m49_region"].map(continents))
    return frame


def _successions(table: Table, problems: list[Problem], today: date, founded: date) -> pd.DataFrame:
    return _dated_frame(table, ["date"], problems, precision_field="precision", bounds=(founded, today))


# The successions whose successor exists from their date: a new state, and a continuation under a new code
# (an absorbing state, such as Germany in 1990, existed before).
STARTS_A_STATE = ("new_state", "continuation")


def _add_existence_from_successions(states: pd.DataFrame, successions: pd.DataFrame) -> pd.DataFrame:
    """A state created by a succession, or continuing its predecessor under a code of its own (Russia, Serbia),
    exists from the succession date (unless states.csv says otherwise)."""
    states = states.copy()
    starts = successions[successions["kind"].isin(STARTS_A_STATE)].groupby("successor")["date_earliest"].min()
    missing = states["existed_from_earliest"].isna() & states["iso3"].isin(starts.index)
    states.loc[missing, "existed_from_earliest"] = states.loc[missing, "iso3"].map(starts)
    return states


def _events(table: Table, states: pd.DataFrame, today: date, problems: list[Problem], founded: date) -> pd.DataFrame:
    frame = _frame(table)
    lines = frame["line"].to_numpy()
    window = (frame["precision"] == "window").to_numpy()
    since_founding = (founded, today)
    parsed = _parse(table, frame, "date", "precision", problems, bounds=since_founding, rows=~window)
    parsed = parsed.where(window, _each_distinct(table, frame, ["date", "earliest", "latest"], window,
                                                 lambda *row: _window(*row, bounds=since_founding), problems))
    for bound in ("earliest", "latest"):
        checks.report(problems, table, lines, ~window & (frame[bound] != "").to_numpy(), bound,
                      lambda i: "is only for precision 'window'; the date is known")
    expected = frame["iso3"] + "-" + frame["event"] + "-"
    ids = frame["event_id"]
    wrong_id = (ids != "").to_numpy() & ~np.strings.startswith(ids.to_numpy(dtype=str), expected.to_numpy(dtype=str))
    checks.report(problems, table, lines, wrong_id, "event_id", lambda i: f"{ids.iat[i]!r} should start with "
                                                                          f"{expected.iat[i]!r} (state code and event kind)")
    frame["date_earliest"] = parsed.of(lambda d: d.earliest)
    frame["date_latest"] = parsed.of(lambda d: d.latest)
    # an event counts in the year of the last day it can have happened (see relations.py)
    frame["year"] = parsed.of(lambda d: d.latest.year)
    # Order of a state's events: by the last day each can have happened (a window by its latest bound)
    frame["order_date"] = parsed.of(lambda d: d.latest)
    region = states.set_index("iso3")
    frame["m49_region"] = frame["iso3"].map(region["m49_region"])
    frame["continent"] = frame["iso3"].map(region["continent"])
    return frame


def _window(day: str, earliest: str, latest: str, bounds: tuple[date | None, date]) -> tuple[PartialDate | None, Faults]:
    """An event no source dates: it happened between `earliest` and `latest`, each given by a source."""
    if day:
        return None, [("date", f"is {day!r} but precision is 'window'; give the precision of the date")]
    faults, ends = [], []
    for bound, text in (("earliest", earliest), ("latest", latest)):
        if not text:
            faults.append((bound, "is empty; precision 'window' needs both bounds, each from a source"))
            continue
        try:
            ends.append(parse_partial(text, evidence.precision_of(text)))
        except ValueError as exc:
            faults.append((bound, str(exc)))
    if len(ends) != 2:
        return None, faults
    if ends[0].earliest > ends[1].latest:
        return None, [("latest", f"{latest} is before earliest {earliest}")]
    when = PartialDate(ends[0].earliest, ends[1].latest, f"between {earliest} and {latest}", "window")
    return when, _beyond(when, "date", bounds)


def _sources(table: Table, problems: list[Problem], today: date, founded: date) -> pd.DataFrame:
    frame = _frame(table)
    lines = frame["line"].to_numpy()
    reading, given, precision = frame["reading"], frame["date_given"], frame["precision_given"]
    dated = (given != "").to_numpy()
    # the chosen source's date and a window's bounds are the event's own: checked on the event's row
    own = reading.isin(("chosen", "earliest", "latest")).to_numpy()
    parsed = _parse(table, frame, "date_given", "precision_given", problems, rows=dated & own)
    parsed = parsed.where(dated & ~own, _parse(table, frame, "date_given", "precision_given", problems,
                                               bounds=(founded, today), rows=dated & ~own))
    checks.report(problems, table, lines, ~dated & (precision != "").to_numpy(), "date_given",
                  lambda i: f"is empty but precision_given is {precision.iat[i]!r}")
    checks.report(problems, table, lines, ~dated & (precision == "").to_numpy() & (reading != "agrees").to_numpy(),
                  "date_given", lambda i: f"is empty; a source read as {reading.iat[i]!r} must give its date")
    chosen = (reading == "chosen").to_numpy()
    quoted = (frame["quote"] != "").to_numpy()
    checks.report(problems, table, lines, chosen & ~quoted, "quote", lambda i: "is empty; the chosen source needs a short "
                                                                        "verbatim quote that contains the date or the act it supports")
    # reported, not refused: a quote may show its date only through its context (an article's date, an anniversary)
    datelined = _parse_dateline(table, frame, problems, today)
    read = chosen & quoted & (parsed.codes >= 0) & (datelined | (frame["dateline"] == "").to_numpy())
    lacks = np.full(len(frame), "", dtype=object)
    keys, distinct = _distinct([frame[f].to_numpy()[read] for f in ("quote", "date_given", "precision_given", "dateline")])
    lacks[read] = np.array([evidence.quote_gap(*key) for key in distinct] + [""], dtype=object)[keys]
    frame["quote_lacks"] = lacks.tolist()
    return frame


def _parse_dateline(table: Table, frame: pd.DataFrame, problems: list[Problem], today: date) -> np.ndarray:
    """Whether each row's `dateline` (the source's own date, its precision read from its form) is a real
    date no later than today; the others are reported."""
    def judge(text: str) -> tuple[PartialDate | None, Faults]:
        try:
            when = parse_partial(text, evidence.precision_of(text))
        except ValueError as exc:
            return None, [("dateline", str(exc))]
        return when, _beyond(when, "dateline", (None, today))

    given = (frame["dateline"] != "").to_numpy()
    return _each_distinct(table, frame, ["dateline"], given, judge, problems).codes >= 0


def _check_date_rules(table: Table, events: pd.DataFrame, sources: pd.DataFrame, problems: list[Problem]) -> None:
    """Each event's date against its sources, under the one rule (evidence.date_rule_problems)."""
    lines = events["line"].to_numpy()
    for i, field, message in evidence.date_rule_problems(events, sources):
        problems.append(Problem(display(table), int(lines[i]), field, message))
