"""How complete and how well sourced the event list is: the tables the ingest notebook prints."""
from __future__ import annotations

from datetime import date

import pandas as pd

from .ingest import Dataset
from .relations import included_events


def coverage(data: Dataset) -> pd.DataFrame:
    """Every state of the universe has events, a 'never' entry, or continues a predecessor."""
    with_events = set(data.events["iso3"])
    never = set(data.no_relations["iso3"])
    continuing = set(data.successions.loc[data.successions["kind"] == "continuation", "successor"])
    universe = data.states
    status = [
        "events" if s in with_events else "never" if s in never else "continues a predecessor" if s in continuing else "MISSING"
        for s in universe["iso3"]
    ]
    table = pd.crosstab(universe["kind"], pd.Series(status, name="coverage", index=universe.index))
    table["total"] = table.sum(axis=1)
    return table


def sourcing(data: Dataset) -> pd.DataFrame:
    """Share of event rows with a source, a corroborating source, and an alternative date."""
    ev = data.events
    rows = [
        ("event rows", len(ev)),
        ("with a source and URL", int(((ev["source"] != "") & (ev["source_url"] != "")).sum())),
        ("with an independent corroborating source", int((ev["corroboration"] != "").sum())),
        ("with an alternative date from another source", int((ev["alt_date"] != "").sum())),
        ("'never' entries with a source", int((data.no_relations["source"] != "").sum())),
    ]
    return pd.DataFrame(rows, columns=["measure", "rows"])


def precision(data: Dataset) -> pd.DataFrame:
    """Event rows by event kind and date precision: how much of the data is known to the day."""
    return pd.crosstab(data.events["event"], data.events["precision"]).reindex(columns=["day", "month", "year"], fill_value=0)


def left_out(data: Dataset, as_of: date) -> pd.DataFrame:
    """Events not certainly on or before the cut-off: the run leaves them out (not an error)."""
    _, later = included_events(data.events, as_of)
    return later[["iso3", "state", "event", "date", "precision", "source"]].sort_values(["date", "iso3"]).reset_index(drop=True)
