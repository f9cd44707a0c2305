"""Each state's status on the cut-off and its first establishment: the table the states section of the
report, the map and the year-by-year listing are read from."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dprk_relations.core.dates import written
from dprk_relations.rules.relations import continuations, in_force_on, included_events, ordinals, spell_covers
from dprk_relations.rules.status import BROKEN, DISSOLVED, IN_FORCE, NEVER, STATUSES, SUSPENDED  # noqa: F401


# Periods of first establishment for the map, after the waves the report narrates: the founding
# bloc and the first partners; decolonisation; the 1972-75 surge; the slowdown; the post-Soviet
# states; the Western European wave and after. The last period runs to the cut-off.
ESTABLISHMENT_PERIODS = [
    ("1948-1959", 1948, 1959),
    ("1960-1971", 1960, 1971),
    ("1972-1975", 1972, 1975),
    ("1976-1989", 1976, 1989),
    ("1990-1999", 1990, 1999),
    ("2000 and later", 2000, 9999),
]
STATUS_COLUMNS = ["iso3", "name", "m49_region", "continent", "status", "first_established", "first_precision",
                  "first_year", "first_via", "period", "last_event", "last_event_date", "events", "years_in_force"]


def period_of(year: int | None) -> str:
    """The establishment period a year falls in ('' for none)."""
    if year is None or pd.isna(year):
        return ""
    for label, start, end in ESTABLISHMENT_PERIODS:
        if start <= year <= end:
            return label
    raise ValueError(f"year {year} is before the first establishment period ({ESTABLISHMENT_PERIODS[0][1]})")


def years_in_force(spells: pd.DataFrame, days: list[date]) -> dict[str, str]:
    """Each state's years of the chart in which its relations were in force on the year's measuring day
    (`days`: counts.measuring_days, the chart's points), as runs of years: "1948-1991 1993 1995-2023"."""
    if spells.empty or not days:
        return {}
    covers = spell_covers(ordinals(spells["start"])[:, None], ordinals(spells["end"])[:, None], ordinals(days)[None, :])
    by_state = pd.DataFrame(covers).groupby(spells["iso3"].to_numpy()).any()
    years = np.array([d.year for d in days])
    out = {}
    for iso3, row in zip(by_state.index, by_state.to_numpy()):
        runs, held = [], years[row]
        for year in held:
            if runs and year == runs[-1][1] + 1:
                runs[-1][1] = year
            else:
                runs.append([year, year])
        out[iso3] = " ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)
    return out


def state_status(states: pd.DataFrame, events: pd.DataFrame, spells: pd.DataFrame, successions: pd.DataFrame,
                 as_of: date, days: list[date]) -> pd.DataFrame:
    """One row per state of the universe: status on `as_of`, first establishment (its own, or the
    predecessor's it continues), its period, the last event up to `as_of`, and the years of the chart
    (measured on `days`) in which it was a partner."""
    kept, _ = included_events(events, as_of)
    kept = kept.sort_values(["iso3", "order_date", "line"])
    in_force = set(spells.loc[in_force_on(spells, as_of), "iso3"])
    predecessor = continuations(successions)
    # each state's first establishment and last event, read from the sorted frame in one pass each
    established = kept[kept["event"] == "established"].drop_duplicates("iso3", keep="first")
    first = {iso3: (written(d, a, b), precision, int(year)) for iso3, d, a, b, precision, year in zip(
        established["iso3"], established["date"], established["earliest"], established["latest"],
        established["precision"], established["year"])}
    latest = kept.drop_duplicates("iso3", keep="last")
    last = {iso3: (kind, written(d, a, b)) for iso3, kind, d, a, b in zip(
        latest["iso3"], latest["event"], latest["date"], latest["earliest"], latest["latest"])}
    counts = kept.groupby("iso3").size()
    held = years_in_force(spells, days)
    rows = []
    for s in states.sort_values("iso3").itertuples():
        via, chain = "", s.iso3
        while chain not in first and chain in predecessor:  # Russia continues the USSR's relations
            chain = predecessor[chain]
            via = chain
        first_text, precision, year = first.get(chain, ("", "", None))
        ended = s.existed_to_latest is not None and not pd.isna(s.existed_to_latest) and s.existed_to_latest < as_of
        if s.iso3 in in_force:
            status = IN_FORCE
        elif ended:
            status = DISSOLVED
        elif s.iso3 in last and last[s.iso3][0] in ("suspended", "severed"):
            status = SUSPENDED if last[s.iso3][0] == "suspended" else BROKEN
        elif via and first_text:
            status = BROKEN  # a continuing successor whose inherited relations ended
        else:
            status = NEVER
        last_kind, last_date = last.get(s.iso3, ("", ""))
        rows.append(dict(iso3=s.iso3, name=s.name, m49_region=s.m49_region, continent=s.continent, status=status,
                         first_established=first_text, first_precision=precision, first_year=year, first_via=via,
                         period=period_of(year), last_event=last_kind, last_event_date=last_date,
                         events=int(counts.get(s.iso3, 0)), years_in_force=held.get(s.iso3, "")))
    out = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    out["first_year"] = out["first_year"].astype("Int64")
    return out
