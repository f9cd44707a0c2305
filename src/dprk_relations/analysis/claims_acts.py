"""Claim checks on other diplomatic acts (acts.csv: expulsions, closures, suspended trade) and on breaks
of relations.

The line between an act and a break: expelling an ambassador, closing an embassy or suspending trade is
an act and leaves relations in force; only a suspension or severance of relations (events.csv) ends them."""
from __future__ import annotations

import pandas as pd

from dprk_relations.analysis.claims_context import Context, Result, cite, parse_day
from dprk_relations.analysis.claims_registry import ACT, ACTOR, CHECKED_ON, FIRST_YEAR, LAST_YEAR, STATE, check
from dprk_relations.rules.relations import ordinal, ordinals


def _acts(ctx: Context, kinds: list[str], states: list[str], start_year: int, end_year: int, day: str, actor: str) -> pd.DataFrame:
    """Acts of `kinds` by `actor` involving `states`, dated within the years and certainly by `day`."""
    if ctx.acts is None:
        raise ValueError("this check reads acts.csv: build the Context with Context.from_dataset")
    a = ctx.acts
    years = [d.year for d in a["date_latest"]]
    sel = a[a["kind"].isin(kinds) & a["iso3"].isin(states) & (a["actor"] == actor)
            & pd.Series([start_year <= y <= end_year for y in years], index=a.index)
            & (ordinals(a["date_latest"]) <= ordinal(parse_day(day)))]
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


check(kinds={"kind": ACT, "states": STATE, "start_year": FIRST_YEAR, "end_year": LAST_YEAR, "day": CHECKED_ON, "actor": ACTOR})(acts_missing)


def states_with_acts(ctx: Context, kinds: list[str], states: list[str], start_year: int, end_year: int, day: str, actor: str = "partner") -> Result:
    """Of the listed states, those with an act of one of `kinds` by `actor` in start_year..end_year."""
    sel = _acts(ctx, kinds, states, start_year, end_year, day, actor)
    found = sorted(set(sel["iso3"]))
    evidence = [_cite_act(r) for r in sel.drop_duplicates(["iso3", "kind", "date"]).itertuples()]
    return Result(found, evidence or [f"none of {', '.join(states)} with an act of {', '.join(kinds)} in acts.csv"],
                  f"{len(found)} of {len(states)} with such an act in {start_year}-{end_year}")


check(kinds={"kinds": ACT, "states": STATE, "start_year": FIRST_YEAR, "end_year": LAST_YEAR, "day": CHECKED_ON, "actor": ACTOR})(states_with_acts)


def act_year(ctx: Context, states: list[str], kind: str, day: str, actor: str = "partner") -> Result:
    """Year of each listed state's first `kind` act by `actor` (None when the data have none)."""
    sel = _acts(ctx, [kind], states, 1948, parse_day(day).year, day, actor)
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


check(kinds={"states": STATE, "kind": ACT, "day": CHECKED_ON, "actor": ACTOR}, years_valued=True)(act_year)


def breaks_among(ctx: Context, states: list[str], start_year: int, end_year: int, day: str) -> Result:
    """Of the listed states, those whose relations were suspended or severed in start_year..end_year (a
    break, not an act: see the module's docstring)."""
    ev = ctx.events_until(parse_day(day))
    sel = ev[ev["event"].isin(["suspended", "severed"]) & ev["iso3"].isin(states) & ev["year"].between(start_year, end_year)]
    in_force = ctx.in_force_on(parse_day(day))
    evidence = [cite(r) for r in sel.sort_values(["date_latest", "iso3"]).itertuples()]
    evidence += [f"{s}: relations in force on {day}" if s in in_force else f"{s}: no relations in force on {day}" for s in states]
    return Result(sorted(set(sel["iso3"])), evidence, f"{len(set(sel['iso3']))} of {len(states)} broke relations in {start_year}-{end_year}")


check(kinds={"states": STATE, "start_year": FIRST_YEAR, "end_year": LAST_YEAR, "day": CHECKED_ON})(breaks_among)
