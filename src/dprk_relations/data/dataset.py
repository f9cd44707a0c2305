"""The ingest tables as one record: what `ingest.load` returns and `store.read_dataset` reads back.

A module of its own, so that a step reading the tables (every step after ingest) does not import
ingest's checks: an edit of a check then reruns ingest alone, and the later steps only if the tables
it writes change.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class Dataset:
    states: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    no_relations: pd.DataFrame
    successions: pd.DataFrame
    groups: pd.DataFrame
    memberships: pd.DataFrame
    claims: pd.DataFrame
    published_counts: pd.DataFrame
    acts: pd.DataFrame
    mission_snapshots: pd.DataFrame
    missions: pd.DataFrame
    peer_reconciliation: pd.DataFrame
    package: dict
