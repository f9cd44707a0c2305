"""The ingest notebook's quality tables, on the tiny fixture of conftest.py."""
from __future__ import annotations

from datetime import date

from dprk_relations.data import quality


def test_coverage_counts_every_state_of_the_universe_once(dataset):
    table = quality.coverage(dataset)
    assert int(table["total"].sum()) == len(dataset.states)
    assert (table.drop(columns="total").sum(axis=1) == table["total"]).all()


def test_precision_counts_every_event_row_once(dataset):
    table = quality.precision(dataset)
    assert int(table["total"].sum()) == len(dataset.events)
    assert list(table.columns) == ["day", "month", "year", "window", "total"]


def test_sourcing_counts_the_rows_of_the_tables(dataset):
    rows = dict(quality.sourcing(dataset).itertuples(index=False))
    assert rows["event rows"] == len(dataset.events) and rows["source rows (sources.csv)"] == len(dataset.sources)
    assert rows["events with at least one source"] <= rows["event rows"]


def test_events_after_the_cut_off_are_left_out_in_date_order(dataset):
    everything = quality.left_out(dataset, date(2100, 1, 1))
    assert everything.empty
    early = quality.left_out(dataset, date(1949, 1, 1))
    assert len(early) == (dataset.events["date_latest"] > date(1949, 1, 1)).sum() > 0
    assert list(early["date"]) == sorted(early["date"])
