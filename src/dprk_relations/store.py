"""Processed tables: where each lives in data/processed and how to read it back with proper types."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pipeline runner imports this module for TABLES alone: keep it light
    import pandas as pd

    from .ingest import Dataset

TABLES = ["states", "events", "sources", "no_relations", "successions", "groups", "memberships", "claims", "published_counts",
          "acts", "mission_snapshots", "missions"]
DATE_COLUMNS = ("_earliest", "_latest")


def dataset_outputs(data: Dataset, processed_dir: Path) -> dict[Path, pd.DataFrame]:
    return {processed_dir / f"{name}.csv": getattr(data, name) for name in TABLES}


def _to_dates(frame: pd.DataFrame) -> pd.DataFrame:
    for col in frame.columns:
        if col.endswith(DATE_COLUMNS) or col in ("start", "end", "order_date"):
            frame[col] = [date.fromisoformat(v) if isinstance(v, str) and v else None for v in frame[col]]
    return frame


def read_table(processed_dir: Path, name: str) -> pd.DataFrame:
    import pandas as pd

    path = processed_dir / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: run the earlier notebooks with the same parameters first (make report does this)"
        )
    from .outputs import restore

    frame = pd.read_csv(path, dtype=str, keep_default_na=False).map(restore)
    for col in ("line", "year", "un_member_from", "un_member_to", "count", "n_sources", "n_origins", "published", "derived", "derived_low", "derived_high", "difference", "stated_total"):
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col].replace("", None)).astype("Int64")
    return _to_dates(frame)


def read_dataset(processed_dir: Path, tables: list[str] = TABLES) -> Dataset:
    """The processed tables a step declares it reads (the others are left as None, so an undeclared
    read fails loudly instead of hiding a dependency from the runner's cache)."""
    from .ingest import Dataset

    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"unknown processed table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}")
    read = {name: (read_table(processed_dir, name) if name in tables else None) for name in TABLES}
    return Dataset(**read, package={})
