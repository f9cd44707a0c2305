"""The committed processed tables (data/processed) as catalogue.COLUMNS declares them."""
from __future__ import annotations

from dprk_relations.core import catalogue, paths
from dprk_relations.data import store


def test_every_committed_processed_table_reads_with_its_declared_columns():
    for name in catalogue.COLUMNS:
        frame = store.read_table(paths.DATA_PROCESSED, name)
        for col, kind in store.declared_columns(name, list(frame.columns), name).items():
            if kind in ("int", "int?", "float"):
                assert str(frame[col].dtype) == {"int": "int64", "int?": "Int64", "float": "float64"}[kind], (name, col)
