"""Check the report's narrative claims against the data.

Each row of data/raw/claims.csv names a check function below and its arguments (JSON). A check
returns the value the data give and the evidence behind it (event rows with their sources); the
row's comparison turns value and expectation into a verdict. A contradiction is a finding.
"""
from __future__ import annotations

import inspect
import json
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.analysis.counts import un_members_on
from dprk_relations.analysis.uncertainty import candidate_days, stock_band
from dprk_relations.rules.missions import NoList, missions_on
from dprk_relations.rules.relations import first_days, ordinal, ordinals, spell_covers, stock_on
from dprk_relations.analysis.waves import group_members_on, members_on_days

from dprk_relations.rules.status import (AFTER_CUT_OFF, CONTRADICTED, NOT_CHECKABLE, PARTLY, SUPPORTED,  # noqa: F401
                                         VERDICTS)


@dataclass
class Context:
    """What the checks read: the whole event list and the spells built up to the run's cut-off.

    Dates are also kept as day numbers, computed once, so that each check is a vector comparison."""

    events: pd.DataFrame
    spells: pd.DataFrame
    states: pd.DataFrame
    groups: pd.DataFrame
    memberships: pd.DataFrame
    as_of: date
    # other diplomatic acts and the published lists of missions (issue 12); empty when not given
    acts: pd.DataFrame = None
    mission_snapshots: pd.DataFrame = None
    missions: pd.DataFrame = None
    # the evidence and the successions: the readings of the sources the band uses (issue 18); without
    # them a count is checked under the pipeline's own reading only
    sources: pd.DataFrame = None
    successions: pd.DataFrame = None

    @classmethod
    def from_dataset(cls, data, spells: pd.DataFrame, as_of: date) -> "Context":
        return cls(data.events, spells, data.states, data.groups, data.memberships, as_of,
                   data.acts, data.mission_snapshots, data.missions, data.sources, data.successions)

    @property
    def has_readings(self) -> bool:
        return self.sources is not None and self.successions is not None

    def stock_range(self, days: list[date]) -> tuple[list[int], list[int]]:
        """The lowest and highest stock on each day over the readings of the sources (uncertainty.stock_band)."""
        low, high = stock_band(self.events, self.sources, self.states, self.successions, self.as_of, days)
        return [int(x) for x in low], [int(x) for x in high]

    def __post_init__(self):
        self.event_day = ordinals(self.events["date_latest"])
        self.spell_start = ordinals(self.spells["start"])
        self.spell_end = ordinals(self.spells["end"])
        self.first_start = first_days(self.spells)  # iso3 -> day its relations first began
        self._until: dict[date, pd.DataFrame] = {}

    def events_until(self, day: date) -> pd.DataFrame:
        """Events certainly on or before `day` (cached: most claims share their date)."""
        if day not in self._until:
            self._until[day] = self.events[self.event_day <= ordinal(day)]
        return self._until[day]

    def had_relations_by(self, day: date) -> set[str]:
        return set(self.first_start.index[self.first_start.to_numpy() <= ordinal(day)])

    def in_force_on(self, day: date) -> set[str]:
        d = ordinal(day)
        return set(self.spells["iso3"].to_numpy()[spell_covers(self.spell_start, self.spell_end, d)])


@dataclass
class Result:
    value: object
    evidence: list[str] = field(default_factory=list)
    detail: str = ""
    # the value under another reading of the sources (their alternative dates), when there is one
    alternative: object = None
    alternative_reading: str = ""
    # a count or a period's lowest and highest value over every reading the band uses
    low: object = None
    high: object = None


def _events_until(ctx: Context, day: date) -> pd.DataFrame:
    return ctx.events_until(day)


def _cite(row) -> str:
    when = row.date or f"(undated, between {row.earliest} and {row.latest})"
    return f"{row.iso3} {row.event} {when} (events.csv line {row.line}; {row.source})"


def _day(text: str) -> date:
    return date.fromisoformat(text)


# --- check functions -------------------------------------------------------------------------

def stock_at(ctx: Context, day: str) -> Result:
    """Number of states maintaining relations on `day`."""
    d = _day(day)
    n = int(stock_on(ctx.spells, [d])[0])
    if not ctx.has_readings:
        return Result(n, detail=f"{n} states maintaining relations on {day}")
    (low,), (high,) = ctx.stock_range([d])
    return Result(n, detail=f"{n} states maintaining relations on {day}", low=low, high=high)


def ever_established_at(ctx: Context, day: str, existing_only: bool = False, exclude_kinds: list[str] | None = None) -> Result:
    """Number of states that had established relations by `day`.

    By default every state counts, dissolved ones included. `existing_only` counts only states that
    still existed on `day` (a successor that continues its predecessor's relations counts);
    `exclude_kinds` leaves out kinds of state (e.g. 'observer' for Palestine), as NCNK counts."""
    d = _day(day)
    had = ctx.had_relations_by(d)
    states = ctx.states.set_index("iso3")
    if existing_only:
        ended = states["existed_to_latest"].dropna()
        had -= {s for s, last in ended.items() if last < d}
    if exclude_kinds:
        had -= set(states.index[states["kind"].isin(exclude_kinds)])
    detail = f"{len(had)} states had established relations by {day}"
    if existing_only or exclude_kinds:
        detail += " (" + ", ".join(x for x in ["states existing on that day" if existing_only else "",
                                                f"without kinds {', '.join(exclude_kinds)}" if exclude_kinds else ""] if x) + ")"
    return Result(len(had), detail=detail)


def share_of_un_members_at(ctx: Context, day: str) -> Result:
    """Share of UN members (other than the DPRK) maintaining relations on `day`."""
    d = _day(day)
    members = set(ctx.states.loc[un_members_on(ctx.states, d.year), "iso3"])
    in_force = ctx.in_force_on(d)
    share = round(len(members & in_force) / len(members), 4)
    return Result(share, detail=f"{len(members & in_force)} of {len(members)} UN members other than the DPRK")


def count_events(ctx: Context, kind: str, start_year: int, end_year: int, day: str) -> Result:
    """Number of `kind` events in the years start_year..end_year (inclusive)."""
    ev = _events_until(ctx, _day(day))
    sel = ev[(ev["event"] == kind) & ev["year"].between(start_year, end_year)].sort_values(["date_latest", "iso3"])
    result = Result(len(sel), [_cite(r) for r in sel.itertuples()], f"{len(sel)} {kind} events {start_year}-{end_year}")
    if ctx.has_readings:
        # an event counts in every reading when each day a source allows is in the period, in some when one is
        of_kind = ev[ev["event"] == kind]
        inside = [[start_year <= d.year <= end_year for d in days] for days in candidate_days(of_kind, ctx.sources)]
        result.low, result.high = sum(all(x) for x in inside), sum(any(x) for x in inside)
    return result


def ratio_of_stock(ctx: Context, from_day: str, to_day: str) -> Result:
    """Stock on `to_day` divided by stock on `from_day`."""
    a, b = stock_on(ctx.spells, [_day(from_day), _day(to_day)])
    ratio = round(float(b) / float(a), 2) if a else None
    result = Result(ratio, detail=f"{int(a)} on {from_day}, {int(b)} on {to_day}")
    if ctx.has_readings and ratio is not None:
        (low_a, low_b), (high_a, high_b) = ctx.stock_range([_day(from_day), _day(to_day)])
        result.low, result.high = _ratio_range(low_a, high_a, low_b, high_b)
    return result


def _ratio_range(low_a: int, high_a: int, low_b: int, high_b: int) -> tuple[float | None, float | None]:
    """The range of b / a when each lies in its own range (the extremes bound every reading's ratio)."""
    if not low_a:
        return None, None
    return round(low_b / high_a, 2), round(high_b / low_a, 2)


def event_year(ctx: Context, states: list[str], kind: str, day: str) -> Result:
    """Year of the first `kind` event of each state (None when the data have none).

    The alternative value uses the dates other sources give (alt_date), where a row has one."""
    ev = _events_until(ctx, _day(day))
    value, alternative, readings, evidence = {}, {}, [], []
    for iso3 in states:
        rows = ev[(ev["iso3"] == iso3) & (ev["event"] == kind)].sort_values("date_latest")
        if rows.empty:
            value[iso3] = alternative[iso3] = None
            evidence.append(f"{iso3}: no '{kind}' event in the data")
            continue
        first = rows.iloc[0]
        value[iso3] = None if first["precision"] == "window" else int(first["year"])
        alternative[iso3] = value[iso3]
        evidence.append(_cite(first) if value[iso3] else f"{iso3}: {kind} undated, between {first['earliest']} and {first['latest']} ({first['source']})")
        if first["alt_date"]:
            alternative[iso3] = int(first["alt_date"][:4])
            readings.append(f"{iso3} {first['alt_date']} ({first['alt_source']})")
            evidence.append(f"{iso3}: another source gives {first['alt_date']} ({first['alt_source']})")
    if alternative == value:
        return Result(value, evidence)
    return Result(value, evidence, alternative=alternative, alternative_reading="; ".join(readings))


def membership_year(ctx: Context, acronym: str) -> Result:
    """Year the DPRK joined an organisation."""
    rows = ctx.memberships[ctx.memberships["acronym"] == acronym]
    if rows.empty or not rows.iloc[0]["joined"]:
        return Result(None, [f"{acronym}: no joining date in dprk_memberships.csv"])
    row = rows.iloc[0]
    return Result(int(row["joined"][:4]), [f"{acronym} joined {row['joined']} (dprk_memberships.csv line {row['line']}; {row['source']})"])


def states_without_relations(ctx: Context, day: str, states: list[str] | None = None, group: str | None = None) -> Result:
    """States (listed, or members of `group` on `day`) that had never had relations by `day`."""
    d = _day(day)
    pool = list(states or []) + (group_members_on(ctx.groups, group, d) if group else [])
    had = ctx.had_relations_by(d)
    missing = sorted(s for s in pool if s not in had)
    return Result(missing, [f"{s}: no relation in force at any time up to {day}" for s in missing],
                  f"{len(pool) - len(missing)} of {len(pool)} have had relations")


def group_event_years(ctx: Context, group: str, kind: str, day: str, start_year: int, end_year: int) -> Result:
    """For each member of `group` on `day`: the year relations began (own event or continuation), and
    whether it falls in start_year..end_year."""
    d = _day(day)
    members = group_members_on(ctx.groups, group, d)
    had = ctx.had_relations_by(d)
    first_year = {m: int(str(np.datetime64(int(ctx.first_start[m]), "D"))[:4]) for m in members if m in had}
    value = {m: first_year.get(m) for m in members}
    outside = {m: y for m, y in value.items() if y is None or not start_year <= y <= end_year}
    evidence = [f"{m}: relations from {y}" if y else f"{m}: never" for m, y in value.items()]
    return Result(sorted(outside), evidence, f"{len(members) - len(outside)} of {len(members)} in {start_year}-{end_year}")


def group_members_among_events(ctx: Context, group: str, kind: str, start_year: int, end_year: int, continent: str, day: str) -> Result:
    """States of `continent` with a `kind` event in the period that were members of `group` on the event's date."""
    ev = _events_until(ctx, _day(day))
    sel = ev[(ev["event"] == kind) & ev["year"].between(start_year, end_year) & (ev["continent"] == continent)]
    members = sel[members_on_days(ctx.groups, group, sel, "date_latest")].sort_values("iso3")
    return Result(sorted(members["iso3"]), [_cite(r) for r in members.itertuples()],
                  f"{len(sel)} {kind} events in {continent} {start_year}-{end_year}, {len(members)} by {group} members")


def first_among(ctx: Context, kind: str, start_year: int, end_year: int, continent: str, day: str) -> Result:
    """The state of `continent` with the earliest `kind` event in the period."""
    ev = _events_until(ctx, _day(day))
    sel = ev[(ev["event"] == kind) & ev["year"].between(start_year, end_year) & (ev["continent"] == continent)]
    sel = sel.sort_values(["date_latest", "iso3"])
    if sel.empty:
        return Result(None, [f"no {kind} event in {continent} {start_year}-{end_year}"])
    return Result(sel.iloc[0]["iso3"], [_cite(r) for r in sel.itertuples()])


def last_event(ctx: Context, kind: str, day: str) -> Result:
    """The state with the latest dated `kind` event up to `day` (undated events cannot be ordered)."""
    ev = _events_until(ctx, _day(day))
    sel = ev[(ev["event"] == kind)]
    undated = sel[sel["precision"] == "window"]
    dated = sel[sel["precision"] != "window"].sort_values(["date_latest", "iso3"])
    evidence = [_cite(r) for r in dated.tail(3).itertuples()]
    if len(undated):
        evidence.append(f"not ordered, date unknown: {', '.join(sorted(undated['iso3']))}")
    if dated.empty:
        return Result(None, evidence + [f"no dated {kind} event by {day}"])
    return Result(dated.iloc[-1]["iso3"], evidence)


def duration_years(ctx: Context, state: str, from_kind: str, to_kind: str, day: str) -> Result:
    """Years between a state's first `from_kind` and first `to_kind` events."""
    ev = _events_until(ctx, _day(day))
    rows = ev[ev["iso3"] == state].sort_values("date_latest")
    a = rows[rows["event"] == from_kind]
    b = rows[rows["event"] == to_kind]
    if a.empty or b.empty:
        return Result(None, [f"{state}: missing {from_kind} or {to_kind} event"])
    years = round((b.iloc[0]["date_latest"] - a.iloc[0]["date_latest"]).days / 365.25, 1)
    return Result(years, [_cite(a.iloc[0]), _cite(b.iloc[0])])


def events_before_outside(ctx: Context, kind: str, before_year: int, exclude: list[str], day: str) -> Result:
    """States not in `exclude` with a `kind` event before `before_year`."""
    ev = _events_until(ctx, _day(day))
    sel = ev[(ev["event"] == kind) & (ev["year"] < before_year) & ~ev["iso3"].isin(exclude)].sort_values("date_latest")
    return Result(sorted(sel["iso3"]), [_cite(r) for r in sel.itertuples()])


def period_ratio(ctx: Context, kind: str, earlier: list[int], later: list[int], day: str) -> Result:
    """Count of `kind` events in the later period divided by the count in the earlier period."""
    first = count_events(ctx, kind, earlier[0], earlier[1], day)
    second = count_events(ctx, kind, later[0], later[1], day)
    a, b = first.value, second.value
    result = Result(round(b / a, 2) if a else None, detail=f"{a} in {earlier[0]}-{earlier[1]}, {b} in {later[0]}-{later[1]}")
    if first.low is not None and a:
        result.low, result.high = _ratio_range(first.low, first.high, second.low, second.high)
    return result


def _acts(ctx: Context, kinds: list[str], states: list[str], start_year: int, end_year: int, day: str, actor: str) -> pd.DataFrame:
    """Acts of `kinds` by `actor` involving `states`, dated within the years and certainly by `day`."""
    if ctx.acts is None:
        raise ValueError("this check reads acts.csv: build the Context with Context.from_dataset")
    a = ctx.acts
    years = [d.year for d in a["date_latest"]]
    sel = a[a["kind"].isin(kinds) & a["iso3"].isin(states) & (a["actor"] == actor)
            & pd.Series([start_year <= y <= end_year for y in years], index=a.index)
            & (ordinals(a["date_latest"]) <= ordinal(_day(day)))]
    return sel.sort_values(["iso3", "date_latest", "line"])


def _cite_act(row) -> str:
    return f"{row.iso3} {row.kind} {row.date} (acts.csv line {row.line}; {row.citation})"


def acts_missing(ctx: Context, kind: str, states: list[str], start_year: int, end_year: int, day: str, actor: str = "partner") -> Result:
    """Of the listed states, those with no `kind` act by `actor` in start_year..end_year."""
    sel = _acts(ctx, [kind], states, start_year, end_year, day, actor)
    missing = sorted(set(states) - set(sel["iso3"]))
    evidence = [_cite_act(r) for r in sel.drop_duplicates(["iso3", "kind", "date"]).itertuples()]
    evidence += [f"{s}: no '{kind}' act by the {actor} in {start_year}-{end_year} in acts.csv" for s in missing]
    return Result(missing, evidence, f"{len(states) - len(missing)} of {len(states)} with a '{kind}' act in {start_year}-{end_year}")


def states_with_acts(ctx: Context, kinds: list[str], states: list[str], start_year: int, end_year: int, day: str, actor: str = "partner") -> Result:
    """Of the listed states, those with an act of one of `kinds` by `actor` in start_year..end_year."""
    sel = _acts(ctx, kinds, states, start_year, end_year, day, actor)
    found = sorted(set(sel["iso3"]))
    evidence = [_cite_act(r) for r in sel.drop_duplicates(["iso3", "kind", "date"]).itertuples()]
    return Result(found, evidence or [f"none of {', '.join(states)} with an act of {', '.join(kinds)} in acts.csv"],
                  f"{len(found)} of {len(states)} with such an act in {start_year}-{end_year}")


def act_year(ctx: Context, states: list[str], kind: str, day: str, actor: str = "partner") -> Result:
    """Year of each listed state's first `kind` act by `actor` (None when the data have none)."""
    sel = _acts(ctx, [kind], states, 1948, _day(day).year, day, actor)
    value, evidence = {}, []
    for iso3 in states:
        rows = sel[sel["iso3"] == iso3]
        if rows.empty:
            value[iso3] = None
            evidence.append(f"{iso3}: no '{kind}' act by the {actor} in acts.csv")
            continue
        first = rows.sort_values(["date_latest", "line"]).iloc[0]
        value[iso3] = first["date_latest"].year
        evidence += [_cite_act(r) for r in rows.itertuples()]
    return Result(value, evidence)


def breaks_among(ctx: Context, states: list[str], start_year: int, end_year: int, day: str) -> Result:
    """Of the listed states, those whose relations were suspended or severed in start_year..end_year.

    The line between an act and a break: expelling an ambassador, closing an embassy or suspending
    trade is an act (acts.csv) and leaves relations in force; only a suspension or severance of
    relations (events.csv) ends them."""
    ev = _events_until(ctx, _day(day))
    sel = ev[ev["event"].isin(["suspended", "severed"]) & ev["iso3"].isin(states) & ev["year"].between(start_year, end_year)]
    in_force = ctx.in_force_on(_day(day))
    evidence = [_cite(r) for r in sel.sort_values(["date_latest", "iso3"]).itertuples()]
    evidence += [f"{s}: relations in force on {day}" if s in in_force else f"{s}: no relations in force on {day}" for s in states]
    return Result(sorted(set(sel["iso3"])), evidence, f"{len(set(sel['iso3']))} of {len(states)} broke relations in {start_year}-{end_year}")


def _missions(ctx: Context, direction: str, day: str, not_after: str | None):
    if ctx.missions is None:
        raise ValueError("this check reads missions.csv: build the Context with Context.from_dataset")
    return missions_on(ctx.mission_snapshots, ctx.missions, ctx.acts, direction, _day(day),
                       not_after=_day(not_after) if not_after else None)


def _stated(total) -> bool:
    """Whether a list states a total: ingest reads an empty cell as "", the processed table as NaN."""
    return total is not None and not pd.isna(total) and str(total).strip() != ""


def _list_evidence(found, others: pd.DataFrame) -> list[str]:
    snap = found.snapshot
    evidence = [f"list {snap['snapshot']} ({snap['snapshot_date']}; mission_snapshots.csv line {snap['line']}; {snap['citation']})"]
    evidence += found.changes + [f"not applied: {u}" for u in found.unplaced]
    for row in others.itertuples():
        if row.snapshot != snap["snapshot"] and _stated(row.stated_total):
            evidence.append(f"{row.snapshot} ({row.snapshot_date}, {row.coverage}) states {row.stated_total}: {row.stated_scope}")
    return evidence


def missions_count(ctx: Context, direction: str, kinds: list[str], day: str, count: str = "missions", not_after: str | None = None) -> Result:
    """Number of resident missions of `kinds` (or of states holding one, count='states') on `day`,
    from the nearest complete list (missions.missions_on); lists' own stated totals are shown beside."""
    try:
        found = _missions(ctx, direction, day, not_after)
    except NoList as exc:
        return Result(None, [str(exc)])
    sel = found.missions[found.missions["kind"].isin(kinds)]
    if count == "states":  # UN bodies and the EU hold missions but are not states
        sel = sel[sel["iso3"].isin(ctx.states["iso3"])]
    n = sel["iso3"].nunique() if count == "states" else len(sel)
    others = ctx.mission_snapshots[ctx.mission_snapshots["direction"] == direction]
    what = "states with " if count == "states" else ""
    return Result(int(n), _list_evidence(found, others),
                  f"{n} {what}{' or '.join(kinds)} ({direction}) on {day}, from the list {found.snapshot['snapshot']}"
                  + (f" and {len(found.changes)} dated change(s)" if found.changes else ""))


def missions_missing(ctx: Context, direction: str, missions: list[list[str]], day: str) -> Result:
    """Of the listed missions ([iso3, city, kind]), those not present on `day`."""
    try:
        found = _missions(ctx, direction, day, None)
    except NoList as exc:
        return Result(None, [str(exc)])
    present = {tuple(r) for r in found.missions.itertuples(index=False)}
    missing = [" ".join(m) for m in missions if tuple(m) not in present]
    return Result(missing, _list_evidence(found, ctx.mission_snapshots.iloc[0:0]),
                  f"{len(missions) - len(missing)} of {len(missions)} present on {day}")


def continents_without_missions(ctx: Context, direction: str, day: str) -> Result:
    """Continents (of the states' table) where no state holds a mission of `direction` on `day`."""
    try:
        found = _missions(ctx, direction, day, None)
    except NoList as exc:
        return Result(None, [str(exc)])
    continent = ctx.states.set_index("iso3")["continent"]
    covered = set(found.missions["iso3"].map(continent).dropna())
    missing = sorted(set(continent.dropna()) - covered)
    evidence = _list_evidence(found, ctx.mission_snapshots.iloc[0:0])
    evidence += [f"{c}: {', '.join(sorted(found.missions.loc[found.missions['iso3'].map(continent) == c, 'iso3'].unique()))}"
                 for c in sorted(covered)]
    return Result(missing, evidence, f"missions in {len(covered)} of {len(covered) + len(missing)} continents on {day}")


CHECKS = {f.__name__: f for f in [
    stock_at, ever_established_at, share_of_un_members_at, count_events, ratio_of_stock, event_year,
    membership_year, states_without_relations, group_event_years, group_members_among_events,
    first_among, last_event, duration_years, events_before_outside, period_ratio,
    acts_missing, states_with_acts, act_year, breaks_among, missions_count, missions_missing, continents_without_missions,
]}


# --- the register, checked at ingest --------------------------------------------------------------

# Rows that name no check function: a statement left unchecked, and one whose verdict combines others'.
SPECIAL_CHECKS = {"not_checkable", "consistent_with"}
COMPARISONS = {"eq", "ge", "le", "in_range", "approx", "all", "none", "not_checkable"}
# Checks whose `kind` is a kind of act (acts.csv), not of event.
ACT_CHECKS = {"acts_missing", "states_with_acts", "act_year"}
# The argument the evaluation fills in from the claim's date when the row does not give it.
DAY = "day"


def _vocabulary(check: str, argument: str) -> str | None:
    """Which list of known values an argument's values must come from."""
    if argument in ("states", "state"):
        return "state"
    if argument in ("kind", "from_kind", "to_kind"):
        return "act" if check in ACT_CHECKS else "event"
    if argument == "kinds":
        return "mission" if check == "missions_count" else "act"
    return {"direction": "direction", "actor": "actor", "continent": "continent", "group": "group",
            "acronym": "acronym", "claims": "claim"}.get(argument)


def _json(text: str, field: str, problems: list):
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError as exc:
        problems.append((field, f"is not valid JSON ({exc.msg} at character {exc.pos}): {text[:60]!r}"))
        return None


# Arguments that are days, checked as dates between the DPRK's founding and today.
DAY_ARGUMENTS = (DAY, "not_after", "from_day", "to_day")
# Checks whose expected value is a year (or years): the statement concerns facts up to its last day.
YEAR_VALUED = {"event_year", "membership_year", "act_year"}


def subject_floor(check: str, arguments: dict, expected, claim_date: str) -> str | None:
    """The earliest subject_until a statement can have: the last day its arguments and expected years name
    (a day, 31 December of an end year, of a later period, the year before `before_year`, of an expected
    year), at most its claim date; None when they name none (the register says what it concerns)."""
    named = [arguments[k] for k in DAY_ARGUMENTS if isinstance(arguments.get(k), str)]
    years = [arguments.get("end_year"), (arguments.get("later") or [None, None])[-1]]
    if isinstance(arguments.get("before_year"), int):
        years.append(arguments["before_year"] - 1)
    if check in YEAR_VALUED and expected is not None:
        years += expected if isinstance(expected, list) else [expected]
    named += [f"{y:04d}-12-31" for y in years if isinstance(y, int) and not isinstance(y, bool)]
    return min(max(named), claim_date) if named else None


def _fits(value, hint) -> bool:
    """Whether a JSON value has the type a check's argument is annotated with (str, int, bool, list[...], X | None)."""
    import types
    import typing

    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, h) for h in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is list:
        item = (typing.get_args(hint) or (object,))[0]
        return isinstance(value, list) and all(_fits(v, item) for v in value)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    return True


def _type_name(hint) -> str:
    return getattr(hint, "__name__", None) if not hasattr(hint, "__args__") else str(hint).replace("typing.", "")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _expected_problems(comparison: str, expected, tolerance) -> list[tuple[str, str]]:
    """The expected value and tolerance a comparison needs: a number for ge, le and approx, [low, high] for
    in_range, a year or [first, last] years for all."""
    if expected is None:
        return []
    if comparison in ("ge", "le", "approx") and not _is_number(expected):
        return [("expected", f"comparison {comparison!r} needs a number, got {json.dumps(expected)[:60]}")]
    if comparison == "in_range" and not (isinstance(expected, list) and len(expected) == 2
                                         and all(map(_is_number, expected)) and expected[0] <= expected[1]):
        return [("expected", f"comparison 'in_range' needs [low, high] with low <= high, got {json.dumps(expected)[:60]}")]
    if comparison == "all" and not (isinstance(expected, int) and not isinstance(expected, bool) or isinstance(expected, list)
                                    and len(expected) == 2 and all(isinstance(y, int) and not isinstance(y, bool) for y in expected)):
        return [("expected", f"comparison 'all' needs a year or [first, last] years, got {json.dumps(expected)[:60]}")]
    if comparison == "approx" and tolerance is not None and not (_is_number(tolerance) and tolerance >= 0):
        return [("tolerance", f"must be a number of 0 or more, got {json.dumps(tolerance)[:60]}")]
    return []


def _day_problem(text, lowest: date, today: date) -> str | None:
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        return f"{text!r} is not a date YYYY-MM-DD"
    if not lowest <= day <= today:
        return f"{text} is not between the DPRK's founding ({lowest.isoformat()}) and today ({today.isoformat()})"
    return None


def row_problems(row: dict, known: dict[str, set[str]], today: date | None = None) -> list[tuple[str, str]]:
    """Everything wrong with one row of claims.csv, as (field, message): an unknown check or comparison,
    arguments that are not JSON, that the check does not take or of the wrong type, a state code, kind or
    claim id that does not exist, a missing or ill-typed expectation, a date that cannot be, a subject_until
    earlier than what the statement names. `known` holds the values each vocabulary allows."""
    import difflib

    from dprk_relations.core.dates import DPRK_FOUNDED

    today = today or date.today()
    problems: list[tuple[str, str]] = []
    for name in ("claim_date", "subject_until"):
        message = _day_problem(row[name], DPRK_FOUNDED, today) if row[name] else None  # empty: the schema says so
        if message:
            problems.append((name, message))
    if not problems and row["claim_date"] and row["subject_until"] and row["subject_until"] > row["claim_date"]:
        problems.append(("subject_until", f"{row['subject_until']} is after the claim's date {row['claim_date']}; "
                                          "a statement cannot concern facts after the day it speaks for"))
    check = row["check"]
    if check not in CHECKS and check not in SPECIAL_CHECKS:
        near = difflib.get_close_matches(check, sorted(CHECKS), n=1)
        problems.append(("check", f"{check!r} is not a check" + (f" (did you mean {near[0]!r}?)" if near else "")
                         + f"; known: {', '.join(sorted(set(CHECKS) | SPECIAL_CHECKS))}"))
    if row["comparison"] not in COMPARISONS:
        problems.append(("comparison", f"{row['comparison']!r} is not one of {', '.join(sorted(COMPARISONS))}"))
    arguments = _json(row["arguments"], "arguments", problems)
    expected = _json(row["expected"], "expected", problems)
    tolerance = _json(row["tolerance"], "tolerance", problems)
    if arguments is not None and not isinstance(arguments, dict):
        problems.append(("arguments", f"must be a JSON object of argument names and values, got {row['arguments'][:60]!r}"))
        arguments = None
    problems += _expected_problems(row["comparison"], expected, tolerance)
    if arguments is not None and check in CHECKS and row["subject_until"] and not any(
            f in ("claim_date", "subject_until") for f, _ in problems):
        floor = subject_floor(check, arguments, expected, row["claim_date"])
        if floor is not None and row["subject_until"] < floor:
            problems.append(("subject_until", f"{row['subject_until']} is before {floor}, the last day the statement's "
                                              "arguments and expected years name"))
    if check not in ("not_checkable",) and row["comparison"] not in ("none", "not_checkable") and expected is None \
            and check != "consistent_with":
        problems.append(("expected", f"is empty; comparison {row['comparison']!r} needs a value to compare with"))
    if row["comparison"] == "approx" and not row["tolerance"]:
        problems.append(("tolerance", "is empty; comparison 'approx' needs a tolerance"))
    if arguments is None or (check not in CHECKS and check != "consistent_with"):
        return problems
    if check == "consistent_with":
        taken, required = {"claims"}, {"claims"}
    else:
        import typing

        parameters = list(inspect.signature(CHECKS[check]).parameters.values())[1:]  # the first is the context
        taken = {p.name for p in parameters}
        required = {p.name for p in parameters if p.default is inspect.Parameter.empty and p.name != DAY}
        hints = typing.get_type_hints(CHECKS[check])
        for name, value in list(arguments.items()):
            if name in hints and not _fits(value, hints[name]):
                problems.append(("arguments", f"{name}: {json.dumps(value)[:60]} is not of the type {check} takes "
                                              f"({_type_name(hints[name])})"))
                arguments = {k: v for k, v in arguments.items() if k != name}  # not read letter by letter below
    for name in sorted(set(arguments) - taken):
        near = difflib.get_close_matches(name, sorted(taken), n=1)
        problems.append(("arguments", f"{check} takes no argument {name!r}" + (f" (did you mean {near[0]!r}?)" if near else "")
                         + f"; it takes {', '.join(sorted(taken))}"))
    for name in sorted(required - set(arguments)):
        problems.append(("arguments", f"{check} needs the argument {name!r}"))
    for name, value in arguments.items():
        vocabulary = _vocabulary(check, name)
        values = value if isinstance(value, list) else [value]
        if name == "missions":
            for mission in values:
                if not (isinstance(mission, list) and len(mission) == 3):
                    problems.append(("arguments", f"each of 'missions' must be [state code, city, kind], got {mission!r}"))
                    continue
                values_of = [("state", mission[0]), ("mission", mission[2])]
                problems += [("arguments", f"{name}: {v!r} is not a known {voc} ({_known(known, voc)})")
                             for voc, v in values_of if v not in known.get(voc, {v})]
            continue
        if name in DAY_ARGUMENTS:
            for v in values:
                message = _day_problem(v, DPRK_FOUNDED, today)
                if message:
                    problems.append(("arguments", f"{name}: {message}"))
            continue
        if vocabulary is None or vocabulary not in known:
            continue
        for v in values:
            if v not in known[vocabulary]:
                problems.append(("arguments", f"{name}: {v!r} is not a known {vocabulary} ({_known(known, vocabulary)})"))
    return problems


def _known(known: dict[str, set[str]], vocabulary: str) -> str:
    values = sorted(known[vocabulary])
    return ", ".join(values) if len(values) <= 12 else f"{len(values)} values, e.g. {', '.join(values[:5])}"


# --- verdicts ---------------------------------------------------------------------------------

def compare(value, comparison: str, expected, tolerance) -> str:
    """Turn a computed value and the report's assertion into a verdict."""
    if value is None:
        return NOT_CHECKABLE
    if comparison == "eq":
        if isinstance(value, list):
            return SUPPORTED if sorted(value) == sorted(expected) else CONTRADICTED
        return SUPPORTED if value == expected else CONTRADICTED
    if comparison == "ge":
        return SUPPORTED if value >= expected else CONTRADICTED
    if comparison == "le":
        return SUPPORTED if value <= expected else CONTRADICTED
    if comparison == "in_range":
        lo, hi = expected
        return SUPPORTED if lo <= value <= hi else CONTRADICTED
    if comparison == "approx":
        gap = abs(value - expected)
        if gap <= tolerance:
            return SUPPORTED
        return PARTLY if gap <= 2 * tolerance else CONTRADICTED
    if comparison == "all":
        # value: {state: year or None}; expected: one year, or [first, last] years
        lo, hi = (expected, expected) if isinstance(expected, int) else expected
        known = {k: v for k, v in value.items() if v is not None}
        if not known:
            return NOT_CHECKABLE
        hits = sum(lo <= v <= hi for v in known.values())
        if hits == len(value):
            return SUPPORTED
        return PARTLY if hits else CONTRADICTED
    if comparison == "none":
        return SUPPORTED if not value else CONTRADICTED
    raise ValueError(f"unknown comparison {comparison!r}")


def is_after_cut_off(subject_until: str, as_of: date) -> bool:
    """The one rule for statements and the cut-off (README): a statement whose facts reach past the
    cut-off (subject_until later than it) is not checked; its verdict is AFTER_CUT_OFF."""
    return _day(subject_until) > as_of


def checked_on(claim_date: str, as_of: date) -> str:
    """The day a statement is checked at: the date it speaks for, or the cut-off when that is earlier
    (the data as they stood on the cut-off)."""
    return min(_day(claim_date), as_of).isoformat()


def evaluate(claims: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Evaluate every claim; consistency rows (check 'consistent_with') come after the rest."""
    results: dict[str, dict] = {}
    ordered = sorted(claims.itertuples(), key=lambda r: r.check == "consistent_with")
    for row in ordered:
        results[row.claim_id] = _evaluate_one(row, ctx, results)
    out = pd.DataFrame([results[c] for c in claims["claim_id"]])
    return out


def _evaluate_one(row, ctx: Context, done: dict[str, dict]) -> dict:
    base = {"claim_id": row.claim_id, "document": row.document, "section": row.section, "quote": row.quote,
            "check": row.check, "claim_date": row.claim_date, "subject_until": row.subject_until, "expected": row.expected}
    args = json.loads(row.arguments) if row.arguments else {}
    expected = json.loads(row.expected) if row.expected else None
    tolerance = json.loads(row.tolerance) if row.tolerance else None
    if row.check == "not_checkable":
        return {**base, "value": "", "verdict": NOT_CHECKABLE, "detail": row.note, "evidence": ""}
    if is_after_cut_off(row.subject_until, ctx.as_of):
        return {**base, "value": "", "verdict": AFTER_CUT_OFF,
                "detail": f"the statement concerns facts up to {row.subject_until}, after this run's cut-off {ctx.as_of.isoformat()}",
                "evidence": ""}
    if row.check == "consistent_with":
        others = [done[c]["verdict"] for c in args["claims"]]
        verdict = SUPPORTED if all(v == SUPPORTED for v in others) else (
            CONTRADICTED if any(v == CONTRADICTED for v in others) else PARTLY)
        detail = "; ".join(f"{c}: {v}" for c, v in zip(args["claims"], others))
        return {**base, "value": json.dumps(others), "verdict": verdict, "detail": (detail + ". " + row.note).strip(), "evidence": ""}
    check = CHECKS.get(row.check)
    if check is None:
        raise ValueError(f"claims.csv, claim {row.claim_id}: unknown check {row.check!r}; known: {', '.join(sorted(CHECKS))}")
    if "day" in inspect.signature(check).parameters:
        args.setdefault("day", checked_on(row.claim_date, ctx.as_of))
    result = check(ctx, **args)
    verdict = compare(result.value, row.comparison, expected, tolerance)
    reading = ""
    if verdict != SUPPORTED and result.alternative is not None and \
            compare(result.alternative, row.comparison, expected, tolerance) == SUPPORTED:
        verdict = PARTLY
        reading = f"supported only under the alternative dates other sources give: {result.alternative_reading}"
    if result.low is not None and result.high is not None:
        verdict, said = across_readings(verdict, result.low, result.high, row.comparison, expected, tolerance)
        reading = "; ".join(x for x in [reading, said] if x)
    detail = "; ".join(x for x in [result.detail, reading, row.note] if x)
    return {**base, "value": json.dumps(result.value, sort_keys=True, default=str), "verdict": verdict,
            "detail": detail, "evidence": " | ".join(result.evidence)}


def across_readings(verdict: str, low, high, comparison: str, expected, tolerance) -> tuple[str, str]:
    """The one rule for a count or a period under the sources' readings (issue 18): supported or
    contradicted only when every reading agrees; otherwise partly supported, naming the range. Every
    reading's value lies between `low` and `high`, and the verdict changes only at the bounds of what the
    comparison admits, so those points and the ends of the range are all a reading can give."""
    if low == high:
        return verdict, ""
    if comparison in ("ge", "le"):
        bounds = [expected]
    elif comparison == "in_range":
        bounds = list(expected)
    elif comparison == "approx":
        bounds = [expected + side * k * tolerance for side in (-1, 1) for k in (1, 2)]
    else:
        bounds = []
    points = [low, high] + [b for b in bounds if low <= b <= high]
    found = {compare(p, comparison, expected, tolerance) for p in points} | {verdict}
    said = f"the sources' readings give {low} to {high}"
    if len(found) == 1:
        return verdict, f"{said}, {verdict} under every one"
    return PARTLY, f"{said}: {compare(low, comparison, expected, tolerance)} at {low}, {compare(high, comparison, expected, tolerance)} at {high}"


def verdict_counts(evaluated: pd.DataFrame) -> pd.DataFrame:
    counts = evaluated["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
    return counts.rename_axis("verdict").reset_index(name="claims")
