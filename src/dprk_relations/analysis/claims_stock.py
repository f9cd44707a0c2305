"""Claim checks on the stock of relations and on counts of events: how many states on a day, how many
events in a period, and ratios of these. Under the sources' readings each also gives its lowest and
highest value (Result.low, Result.high)."""
from __future__ import annotations

from dprk_relations.analysis.claims_context import Context, Result, cite, parse_day
from dprk_relations.analysis.claims_registry import CHECKED_ON, DAY, EVENT, FIRST_YEAR, LAST_YEAR, PERIOD, STATE_KIND, VALUE, check
from dprk_relations.analysis.counts import un_members_on
from dprk_relations.analysis.uncertainty import candidate_days
from dprk_relations.rules.relations import state_ends, stock_on


def stock_at(ctx: Context, day: str) -> Result:
    """Number of states maintaining relations on `day`."""
    d = parse_day(day)
    n = int(stock_on(ctx.spells, [d])[0])
    if not ctx.has_readings:
        return Result(n, detail=f"{n} states maintaining relations on {day}")
    (low,), (high,) = ctx.stock_range([d])
    return Result(n, detail=f"{n} states maintaining relations on {day}", low=low, high=high)


check(kinds={"day": CHECKED_ON})(stock_at)


def ever_established_at(ctx: Context, day: str, existing_only: bool = False, exclude_kinds: list[str] | None = None) -> Result:
    """Number of states that had established relations by `day`.

    By default every state counts, dissolved ones included. `existing_only` counts only states that
    still existed on `day` (a successor that continues its predecessor's relations counts);
    `exclude_kinds` leaves out kinds of state (e.g. 'observer' for Palestine), as NCNK counts."""
    d = parse_day(day)
    had = ctx.had_relations_by(d)
    states = ctx.states.set_index("iso3")
    if existing_only:
        had -= {s for s, last in state_ends(ctx.states).items() if last < d}
    if exclude_kinds:
        had -= set(states.index[states["kind"].isin(exclude_kinds)])
    detail = f"{len(had)} states had established relations by {day}"
    if existing_only or exclude_kinds:
        detail += " (" + ", ".join(x for x in ["states existing on that day" if existing_only else "",
                                                f"without kinds {', '.join(exclude_kinds)}" if exclude_kinds else ""] if x) + ")"
    return Result(len(had), detail=detail)


check(kinds={"day": CHECKED_ON, "existing_only": VALUE, "exclude_kinds": STATE_KIND})(ever_established_at)


def share_of_un_members_at(ctx: Context, day: str) -> Result:
    """Share of UN members (other than the DPRK) maintaining relations on `day`."""
    d = parse_day(day)
    members = set(ctx.states.loc[un_members_on(ctx.states, d.year), "iso3"])
    in_force = ctx.in_force_on(d)
    share = round(len(members & in_force) / len(members), 4)
    return Result(share, detail=f"{len(members & in_force)} of {len(members)} UN members other than the DPRK")


check(kinds={"day": CHECKED_ON})(share_of_un_members_at)


def count_events(ctx: Context, kind: str, start_year: int, end_year: int, day: str) -> Result:
    """Number of `kind` events in the years start_year..end_year (inclusive)."""
    ev = ctx.events_until(parse_day(day))
    sel = ev[(ev["event"] == kind) & ev["year"].between(start_year, end_year)].sort_values(["date_latest", "iso3"])
    result = Result(len(sel), [cite(r) for r in sel.itertuples()], f"{len(sel)} {kind} events {start_year}-{end_year}")
    if ctx.has_readings:
        # an event counts in every reading when each day a source allows is in the period, in some when one is
        of_kind = ev[ev["event"] == kind]
        inside = [[start_year <= d.year <= end_year for d in days] for days in candidate_days(of_kind, ctx.sources, ctx.states)]
        result.low, result.high = sum(all(x) for x in inside), sum(any(x) for x in inside)
    return result


check(kinds={"kind": EVENT, "start_year": FIRST_YEAR, "end_year": LAST_YEAR, "day": CHECKED_ON})(count_events)


def ratio_of_stock(ctx: Context, from_day: str, to_day: str) -> Result:
    """Stock on `to_day` divided by stock on `from_day`."""
    first, last = parse_day(from_day), parse_day(to_day)
    a, b = stock_on(ctx.spells, [first, last])
    ratio = round(float(b) / float(a), 2) if a else None
    result = Result(ratio, detail=f"{int(a)} on {from_day}, {int(b)} on {to_day}")
    if ctx.has_readings and ratio is not None:
        (low_a, low_b), (high_a, high_b) = ctx.stock_range([first, last])
        result.low, result.high = _ratio_range(low_a, high_a, low_b, high_b)
    return result


check(kinds={"from_day": DAY, "to_day": DAY})(ratio_of_stock)


def _ratio_range(low_a: int, high_a: int, low_b: int, high_b: int) -> tuple[float | None, float | None]:
    """The range of b / a when each lies in its own range (the extremes bound every reading's ratio)."""
    if not low_a:
        return None, None
    return round(low_b / high_a, 2), round(high_b / low_a, 2)


def period_ratio(ctx: Context, kind: str, earlier: list[int], later: list[int], day: str) -> Result:
    """Count of `kind` events in the later period divided by the count in the earlier period."""
    first = count_events(ctx, kind, earlier[0], earlier[1], day)
    second = count_events(ctx, kind, later[0], later[1], day)
    a, b = first.value, second.value
    result = Result(round(b / a, 2) if a else None, detail=f"{a} in {earlier[0]}-{earlier[1]}, {b} in {later[0]}-{later[1]}")
    if first.low is not None and a:
        result.low, result.high = _ratio_range(first.low, first.high, second.low, second.high)
    return result


check(kinds={"kind": EVENT, "earlier": PERIOD, "later": PERIOD, "day": CHECKED_ON})(period_ratio)
