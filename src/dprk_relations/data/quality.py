"""How complete and how well sourced the event list is: the tables the ingest notebook prints."""
from __future__ import annotations

from datetime import date

import pandas as pd

from dprk_relations.data.dataset import Dataset
from dprk_relations.rules.relations import continuations, coverage_of, included_events


def coverage(data: Dataset) -> pd.DataFrame:
    """Every state of the universe has events, a 'never' entry, or continues a predecessor."""
    with_events = set(data.events["iso3"])
    never = set(data.no_relations["iso3"])
    continuing = set(continuations(data.successions))
    universe = data.states
    status = [coverage_of(s, with_events, never, continuing) for s in universe["iso3"]]
    table = pd.crosstab(universe["kind"], pd.Series(status, name="coverage", index=universe.index))
    table["total"] = table.sum(axis=1)
    return table


def sourcing(data: Dataset) -> pd.DataFrame:
    """How well sourced the events are: source rows, events with two independent sources, alternative dates."""
    ev, src = data.events, data.sources
    rows = [
        ("event rows", len(ev)),
        ("source rows (sources.csv)", len(src)),
        ("events with at least one source", int((ev["n_sources"] > 0).sum())),
        ("events with two or more independent sources (distinct origins)", int((ev["n_origins"] >= 2).sum())),
        ("events with an alternative date from another source", int(src.loc[src["reading"] == "differs", "event_id"].nunique())),
        ("'never' entries with a source", int((data.no_relations["source"] != "").sum())),
    ]
    return pd.DataFrame(rows, columns=["measure", "rows"])


def precision(data: Dataset) -> pd.DataFrame:
    """Event rows by event kind and date precision: how much of the data is known to the day."""
    table = pd.crosstab(data.events["event"], data.events["precision"]).reindex(columns=["day", "month", "year", "window"], fill_value=0)
    table["total"] = table.sum(axis=1)
    return table


def left_out(data: Dataset, as_of: date) -> pd.DataFrame:
    """Events not certainly on or before the cut-off: the run leaves them out (not an error)."""
    _, later = included_events(data.events, as_of)
    return later[["iso3", "state", "event", "date", "precision", "earliest", "latest", "source"]].sort_values(["date", "iso3"]).reset_index(drop=True)
