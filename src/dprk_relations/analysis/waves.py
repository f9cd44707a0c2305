"""Regional flows and waves: when, and from where, the DPRK's relations grew or eroded."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.rules.relations import FAR_FUTURE, included_events, ordinal, ordinals
from dprk_relations.core.params import WAVE_MAX_GAP, WAVE_MIN_ESTABLISHMENTS, WAVE_MIN_REGIONAL  # the wave rule's defaults, stated once

# The periods the report narrates, with the years it gives for each and what it says happened:
# growth (a wave of establishments), slowdown (fewer than usual, no wave) or erosion (more breaks
# than openings).
GROWTH, SLOWDOWN, EROSION = "growth", "slowdown", "erosion"
REPORT_PERIODS = [
    ("founding: the communist bloc", 1948, 1949, GROWTH),
    ("decolonisation: the 1960s", 1960, 1969, GROWTH),
    ("the 1972-75 surge", 1972, 1975, GROWTH),
    ("the 1980s slowdown", 1980, 1989, SLOWDOWN),
    ("post-Soviet states", 1991, 1994, GROWTH),
    ("Western European wave", 2000, 2001, GROWTH),
    ("ruptures after 2014", 2014, 2023, EROSION),
]

WAVE_COLUMNS = ["start", "end", "established", "peak_year", "peak_established"]


def flows_by(events: pd.DataFrame, as_of: date, by: str) -> pd.DataFrame:
    """Counts of each event kind per (`by`, year), long format, sorted."""
    kept, _ = included_events(events, as_of)
    out = kept.groupby([by, "year", "event"]).size().rename("count").reset_index()
    return out.sort_values([by, "year", "event"]).reset_index(drop=True)


def establishments_by_decade(events: pd.DataFrame, as_of: date, by: str = "continent") -> pd.DataFrame:
    """Region x decade matrix of establishments (first establishments and restorations not mixed)."""
    kept, _ = included_events(events, as_of)
    est = kept[(kept["event"] == "established") & kept["year"].notna()].copy()  # undated events have no decade
    est["decade"] = (est["year"] // 10 * 10).astype(int)
    matrix = est.groupby([by, "decade"]).size().unstack(fill_value=0)
    decades = list(range(1940, as_of.year // 10 * 10 + 10, 10))
    return matrix.reindex(columns=decades, fill_value=0).sort_index()


def detect_waves(yearly: pd.DataFrame, min_establishments: int = WAVE_MIN_ESTABLISHMENTS, max_gap: int = WAVE_MAX_GAP) -> pd.DataFrame:
    """Group wave years (>= min_establishments) into waves; gaps of up to max_gap years are bridged."""
    if min_establishments < 1:
        raise ValueError(f"min_establishments must be at least 1, got {min_establishments}")
    if max_gap < 0:
        raise ValueError(f"max_gap must be 0 or more, got {max_gap}")
    hot = yearly.loc[yearly["established"] >= min_establishments, "year"].tolist()
    waves: list[list[int]] = []
    for year in hot:
        if waves and year - waves[-1][-1] <= max_gap + 1:
            waves[-1].append(year)
        else:
            waves.append([year])
    rows = []
    counts = yearly.set_index("year")
    for years in waves:
        span = counts.loc[years[0]:years[-1]]
        rows.append({
            "start": years[0], "end": years[-1],
            "established": int(span["established"].sum()),
            "peak_year": int(span["established"].idxmax()),
            "peak_established": int(span["established"].max()),
        })
    return pd.DataFrame(rows, columns=WAVE_COLUMNS)


def regional_waves(events: pd.DataFrame, as_of: date, years: list[int], by: str = "continent",
                   min_establishments: int = WAVE_MIN_REGIONAL, max_gap: int = WAVE_MAX_GAP) -> pd.DataFrame:
    """The wave rule applied to each region's own yearly establishments."""
    kept, _ = included_events(events, as_of)
    est = kept[kept["event"] == "established"]
    frames = []
    for region, group in est.groupby(by, sort=True):
        yearly = group.groupby("year").size().reindex(years, fill_value=0).rename("established").rename_axis("year").reset_index()
        found = detect_waves(yearly, min_establishments, max_gap)
        found.insert(0, "region", region)
        frames.append(found)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["region"] + WAVE_COLUMNS)


def wave_makeup(events: pd.DataFrame, waves: pd.DataFrame, as_of: date, by: str = "continent") -> pd.DataFrame:
    """For each wave: how many establishments each region contributed, and the states (codes)."""
    kept, _ = included_events(events, as_of)
    est = kept[kept["event"] == "established"]
    rows = []
    for w in waves.itertuples():
        sel = est[est["year"].between(w.start, w.end)].sort_values(["date_latest", "iso3"])
        for region, group in sel.groupby(by, sort=True):
            rows.append({"start": w.start, "end": w.end, "region": region, "established": len(group),
                         "states": " ".join(group["iso3"])})
    return pd.DataFrame(rows, columns=["start", "end", "region", "established", "states"])


def agreement(kind: str, established: int, opened: int, broke: int, years: int, overlapping: list[str], mean_per_year: float) -> str:
    """Whether the data bear out what the report says of a period (see REPORT_PERIODS), in words."""
    rate = established / years
    if kind == GROWTH:
        if overlapping:
            return f"agrees: wave {', '.join(overlapping)}"
        return f"differs: no wave found ({established} establishments in {years} years)"
    if kind == SLOWDOWN:
        if not overlapping and rate < mean_per_year:
            return f"agrees: no wave, {rate:.1f} establishments a year against {mean_per_year:.1f} on average"
        return f"differs: {rate:.1f} establishments a year against {mean_per_year:.1f} on average" + (
            f", wave {', '.join(overlapping)}" if overlapping else "")
    if kind == EROSION:
        verdict = "agrees" if broke > opened else "differs"
        return f"{verdict}: {broke} suspensions or breaks against {opened} establishments or restorations"
    raise ValueError(f"unknown kind of period {kind!r}")


PERIOD_COLUMNS = ["period", "start", "end", "narrative", "established", "restored", "severed", "suspended",
                  "maintaining_at_end", "detected_waves", "agreement"]


def periods_table(yearly: pd.DataFrame, waves: pd.DataFrame, periods=REPORT_PERIODS) -> pd.DataFrame:
    """The report's periods beside what the data show for them, the detected waves they overlap and
    whether the data agree with what the report says of them."""
    rows = []
    counts = yearly.set_index("year")
    mean_per_year = counts["established"].sum() / len(counts)
    for label, start, end, kind in periods:
        if start > counts.index.max() or end < counts.index.min():  # outside the table's years (cut-off, first_year)
            continue
        span = counts.loc[start:min(end, counts.index.max())]
        overlapping = [f"{w.start}-{w.end}" for w in waves.itertuples() if w.start <= end and w.end >= start]
        est, res = int(span["established"].sum()), int(span["restored"].sum())
        sev, sus = int(span["severed"].sum()), int(span["suspended"].sum())
        rows.append({
            "period": label, "start": start, "end": end, "narrative": kind,
            "established": est, "restored": res, "severed": sev, "suspended": sus,
            "maintaining_at_end": int(span["maintaining"].iloc[-1]),
            "detected_waves": "; ".join(overlapping) or "none",
            "agreement": agreement(kind, est, est + res, sev + sus, len(span), overlapping, mean_per_year),
        })
    return pd.DataFrame(rows, columns=PERIOD_COLUMNS)  # the columns even when no period falls in the table


def member_on(joined_latest, left_earliest, day):
    """The one rule for membership of a group on a day (day numbers, scalars or arrays): joined on or
    before it, and `left`, the last day as a member, on or after it. The sources date a departure by
    its last day (the United Kingdom "left on 31 January 2020" at midnight): a member through that day.
    A missing `joined` (a geographic group) or `left` (still a member) is the far past or future."""
    return (joined_latest <= day) & (left_earliest >= day)


def _membership_days(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    joined = ordinals(frame["joined_latest"])
    joined[joined == FAR_FUTURE] = -FAR_FUTURE  # no joining date: always joined
    return joined, ordinals(frame["left_earliest"])


def group_members_on(groups: pd.DataFrame, group: str, day: date) -> list[str]:
    """Members of a group on a day (member_on)."""
    g = groups[groups["group"] == group]
    joined, left = _membership_days(g)
    return sorted(g.loc[member_on(joined, left, ordinal(day)), "iso3"])


def members_on_days(groups: pd.DataFrame, group: str, rows: pd.DataFrame, day_column: str) -> pd.Series:
    """For each row (a state code and a day), whether the state was a member of `group` on that day."""
    g = groups[groups["group"] == group][["iso3", "joined_latest", "left_earliest"]]
    merged = rows[["iso3", day_column]].reset_index().merge(g, on="iso3", how="inner")
    joined, left = _membership_days(merged)
    hit = member_on(joined, left, ordinals(merged[day_column]))
    return pd.Series(rows.index.isin(merged.loc[hit, "index"]), index=rows.index)


def establishments_by_group(events: pd.DataFrame, groups: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Establishments per year by the political groups the report names (membership at the cut-off)."""
    kept, _ = included_events(events, as_of)
    est = kept[kept["event"] == "established"]
    rows = []
    for group in sorted(groups["group"].unique()):
        members = set(group_members_on(groups, group, as_of))
        sub = est[est["iso3"].isin(members)]
        for year, n in sub.groupby("year").size().items():
            rows.append({"group": group, "year": int(year), "established": int(n)})
    return pd.DataFrame(rows, columns=["group", "year", "established"])
