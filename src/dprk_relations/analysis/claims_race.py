"""Claim checks on the race of the two Koreas (issue 21): the other Korea's count, and the four groups of
states (race.groups_on) on a day. They read the other Korea's spells the claims step gives the context."""
from __future__ import annotations

from dprk_relations.analysis import race
from dprk_relations.analysis.claims_context import Context, Result, parse_day
from dprk_relations.analysis.claims_registry import CHECKED_ON, RACE_GROUP, STATE, check
from dprk_relations.rules.relations import stock_on


def _other(ctx: Context):
    if ctx.other_spells is None:
        raise ValueError("a check on the race needs the other Korea's spells (Context.other_spells)")
    return ctx.other_spells


def _without(exclude: list[str] | None) -> tuple[set[str], str]:
    left_out = set(exclude or [])
    return left_out, f" (without {', '.join(sorted(left_out))})" if left_out else ""


def other_korea_stock_at(ctx: Context, day: str, exclude: list[str] | None = None) -> Result:
    """Number of states maintaining relations with the other Korea on `day` (its own list, its own rules);
    `exclude` leaves out states a source does not count (the ROK's ministry does not count Palestine)."""
    left_out, said = _without(exclude)
    other = _other(ctx)
    n = int(stock_on(other[~other["iso3"].isin(left_out)], [parse_day(day)])[0])
    return Result(n, detail=f"{n} states maintaining relations with the {race.SHORT[race.other_of(ctx.focal)]} on {day}{said}")


check(kinds={"day": CHECKED_ON, "exclude": STATE})(other_korea_stock_at)


def race_group_at(ctx: Context, day: str, group: str, exclude: list[str] | None = None) -> Result:
    """Number of states of one of the race's four groups on `day` (race.groups_on: states existing then),
    `exclude` left out."""
    left_out, said = _without(exclude)
    north, south = (ctx.spells, _other(ctx)) if ctx.focal == race.KOREAS[0] else (_other(ctx), ctx.spells)
    members = [c for c in race.groups_on(north, south, ctx.states, parse_day(day))[group] if c not in left_out]
    shown = ", ".join(members) if len(members) <= 12 else f"{', '.join(members[:12])} and {len(members) - 12} more"
    return Result(len(members), [f"{c}: {group} on {day}" for c in members] if len(members) <= 12 else [],
                  f"{len(members)} states with relations with {'neither Korea' if group == 'neither' else group} "
                  f"on {day}{said}: {shown}")


check(kinds={"day": CHECKED_ON, "group": RACE_GROUP, "exclude": STATE})(race_group_at)
