"""Claim checks on events and the states they concern: the year of a state's first event of a kind, the
DPRK's memberships, states without relations, members of a group, the first and last of a kind of event,
durations, and the states outside a list with an event before a year."""
from __future__ import annotations

import numpy as np

from dprk_relations.analysis.claims_context import Context, Result, cite, parse_day
from dprk_relations.analysis.claims_registry import (ACRONYM, BEFORE_YEAR, CHECKED_ON, CONTINENT, EVENT, FIRST_YEAR, GROUP,
                                                     LAST_YEAR, STATE, check)
from dprk_relations.analysis.waves import group_members_on, members_on_days


def event_year(ctx: Context, states: list[str], kind: str, day: str) -> Result:
    """Year of the first `kind` event of each state (None when the data have none).

    The alternative value uses the dates other sources give (alt_date), where a row has one."""
    ev = ctx.events_until(parse_day(day))
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
        evidence.append(cite(first) if value[iso3] else f"{iso3}: {kind} undated, between {first['earliest']} and {first['latest']} ({first['source']})")
        if first["alt_date"]:
            alternative[iso3] = int(first["alt_date"][:4])
            readings.append(f"{iso3} {first['alt_date']} ({first['alt_source']})")
            evidence.append(f"{iso3}: another source gives {first['alt_date']} ({first['alt_source']})")
    if alternative == value:
        return Result(value, evidence)
    return Result(value, evidence, alternative=alternative, alternative_reading="; ".join(readings))


check(kinds={"states": STATE, "kind": EVENT, "day": CHECKED_ON}, years_valued=True)(event_year)


def membership_year(ctx: Context, acronym: str) -> Result:
    """Year the DPRK joined an organisation."""
    rows = ctx.memberships[ctx.memberships["acronym"] == acronym]
    if rows.empty or not rows.iloc[0]["joined"]:
        return Result(None, [f"{acronym}: no joining date in dprk_memberships.csv"])
    row = rows.iloc[0]
    return Result(int(row["joined"][:4]), [f"{acronym} joined {row['joined']} (dprk_memberships.csv line {row['line']}; {row['source']})"])


check(kinds={"acronym": ACRONYM}, years_valued=True)(membership_year)


def states_without_relations(ctx: Context, day: str, states: list[str] | None = None, group: str | None = None) -> Result:
    """States (listed, or members of `group` on `day`) that had never had relations by `day`."""
    d = parse_day(day)
    pool = list(states or []) + (group_members_on(ctx.groups, group, d) if group else [])
    had = ctx.had_relations_by(d)
    missing = sorted(s for s in pool if s not in had)
    return Result(missing, [f"{s}: no relation in force at any time up to {day}" for s in missing],
                  f"{len(pool) - len(missing)} of {len(pool)} have had relations")


check(kinds={"day": CHECKED_ON, "states": STATE, "group": GROUP})(states_without_relations)


def group_event_years(ctx: Context, group: str, kind: str, day: str, start_year: int, end_year: int) -> Result:
    """For each member of `group` on `day`: the year relations began (own event or continuation), and
    whether it falls in start_year..end_year."""
    d = parse_day(day)
    members = group_members_on(ctx.groups, group, d)
    had = ctx.had_relations_by(d)
    first_year = {m: int(str(np.datetime64(int(ctx.first_start[m]), "D"))[:4]) for m in members if m in had}
    value = {m: first_year.get(m) for m in members}
    outside = {m: y for m, y in value.items() if y is None or not start_year <= y <= end_year}
    evidence = [f"{m}: relations from {y}" if y else f"{m}: never" for m, y in value.items()]
    return Result(sorted(outside), evidence, f"{len(members) - len(outside)} of {len(members)} in {start_year}-{end_year}")


check(kinds={"group": GROUP, "kind": EVENT, "day": CHECKED_ON, "start_year": FIRST_YEAR, "end_year": LAST_YEAR})(group_event_years)


def group_members_among_events(ctx: Context, group: str, kind: str, start_year: int, end_year: int, continent: str, day: str) -> Result:
    """States of `continent` with a `kind` event in the period that were members of `group` on the event's date."""
    ev = ctx.events_until(parse_day(day))
    sel = ev[(ev["event"] == kind) & ev["year"].between(start_year, end_year) & (ev["continent"] == continent)]
    members = sel[members_on_days(ctx.groups, group, sel, "date_latest")].sort_values("iso3")
    return Result(sorted(members["iso3"]), [cite(r) for r in members.itertuples()],
                  f"{len(sel)} {kind} events in {continent} {start_year}-{end_year}, {len(members)} by {group} members")


check(kinds={"group": GROUP, "kind": EVENT, "start_year": FIRST_YEAR, "end_year": LAST_YEAR, "continent": CONTINENT,
              "day": CHECKED_ON})(group_members_among_events)


def first_among(ctx: Context, kind: str, start_year: int, end_year: int, continent: str, day: str) -> Result:
    """The state of `continent` with the earliest `kind` event in the period."""
    ev = ctx.events_until(parse_day(day))
    sel = ev[(ev["event"] == kind) & ev["year"].between(start_year, end_year) & (ev["continent"] == continent)]
    sel = sel.sort_values(["date_latest", "iso3"])
    if sel.empty:
        return Result(None, [f"no {kind} event in {continent} {start_year}-{end_year}"])
    return Result(sel.iloc[0]["iso3"], [cite(r) for r in sel.itertuples()])


check(kinds={"kind": EVENT, "start_year": FIRST_YEAR, "end_year": LAST_YEAR, "continent": CONTINENT, "day": CHECKED_ON})(first_among)


def last_event(ctx: Context, kind: str, day: str) -> Result:
    """The state with the latest dated `kind` event up to `day` (undated events cannot be ordered)."""
    ev = ctx.events_until(parse_day(day))
    sel = ev[(ev["event"] == kind)]
    undated = sel[sel["precision"] == "window"]
    dated = sel[sel["precision"] != "window"].sort_values(["date_latest", "iso3"])
    evidence = [cite(r) for r in dated.tail(3).itertuples()]
    if len(undated):
        evidence.append(f"not ordered, date unknown: {', '.join(sorted(undated['iso3']))}")
    if dated.empty:
        return Result(None, evidence + [f"no dated {kind} event by {day}"])
    return Result(dated.iloc[-1]["iso3"], evidence)


check(kinds={"kind": EVENT, "day": CHECKED_ON})(last_event)


def duration_years(ctx: Context, state: str, from_kind: str, to_kind: str, day: str) -> Result:
    """Years between a state's first `from_kind` and first `to_kind` events."""
    ev = ctx.events_until(parse_day(day))
    rows = ev[ev["iso3"] == state].sort_values("date_latest")
    a = rows[rows["event"] == from_kind]
    b = rows[rows["event"] == to_kind]
    if a.empty or b.empty:
        return Result(None, [f"{state}: missing {from_kind} or {to_kind} event"])
    years = round((b.iloc[0]["date_latest"] - a.iloc[0]["date_latest"]).days / 365.25, 1)
    return Result(years, [cite(a.iloc[0]), cite(b.iloc[0])])


check(kinds={"state": STATE, "from_kind": EVENT, "to_kind": EVENT, "day": CHECKED_ON})(duration_years)


def events_before_outside(ctx: Context, kind: str, before_year: int, exclude: list[str], day: str) -> Result:
    """States not in `exclude` with a `kind` event before `before_year`."""
    ev = ctx.events_until(parse_day(day))
    sel = ev[(ev["event"] == kind) & (ev["year"] < before_year) & ~ev["iso3"].isin(exclude)].sort_values("date_latest")
    return Result(sorted(sel["iso3"]), [cite(r) for r in sel.itertuples()])


check(kinds={"kind": EVENT, "before_year": BEFORE_YEAR, "exclude": STATE, "day": CHECKED_ON})(events_before_outside)
