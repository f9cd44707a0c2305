"""Claim checks on resident missions, counted on a day from the nearest complete list and the dated
changes after it (rules.missions.missions_on, the one rule for missions; these checks only call it)."""
from __future__ import annotations

import pandas as pd

from dprk_relations.analysis.claims_context import Context, Result, parse_day
from dprk_relations.analysis.claims_registry import CHECKED_ON, COUNTED, DAY, DIRECTION, MISSION, MISSIONS, check
from dprk_relations.rules.missions import NoList, missions_on


def _missions(ctx: Context, direction: str, day: str, not_after: str | None):
    if ctx.missions is None:
        raise ValueError("this check reads missions.csv: build the Context with Context.from_dataset")
    return missions_on(ctx.mission_snapshots, ctx.missions, ctx.acts, direction, parse_day(day),
                       not_after=parse_day(not_after) if not_after else None)


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


check(kinds={"direction": DIRECTION, "kinds": MISSION, "day": CHECKED_ON, "count": COUNTED, "not_after": DAY})(missions_count)


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


check(kinds={"direction": DIRECTION, "missions": MISSIONS, "day": CHECKED_ON})(missions_missing)


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


check(kinds={"direction": DIRECTION, "day": CHECKED_ON})(continents_without_missions)
