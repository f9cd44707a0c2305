"""Processed tables and report files: where each lives, how to read it back with proper types, and
the check that a step reads and writes only what `catalogue` declares for it."""
from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dprk_relations.core import catalogue

if TYPE_CHECKING:  # the pipeline runner imports this module for paths alone: keep it light
    import pandas as pd

    from dprk_relations.data.dataset import Dataset
    from dprk_relations.core.params import Params

TABLES = list(catalogue.INGEST_TABLES)


class UndeclaredAccess(LookupError):
    """A step read or wrote a table that catalogue.py does not declare for it."""


def path_of(params: Params, output: str) -> Path:
    """Where a catalogue entry lives: a processed table in processed_dir, a report file in reports_dir."""
    if catalogue.is_report_file(output):
        return params.reports_dir / output
    return params.processed_dir / f"{output}.csv"


def _where(source: Params | Path, name: str) -> Path:
    """The folder to read `name` from. Given a step's Params, the read must be one the step declares."""
    if isinstance(source, Path):
        return source
    step = catalogue.STEP[source.step]
    if name not in step.reads:
        raise UndeclaredAccess(f"{source.step} reads the table {name!r}, which catalogue.py does not declare for it; "
                               f"add it to the step's reads (it reads {', '.join(step.reads)})")
    return source.dataset_dir if name in catalogue.INGEST_TABLES else source.upstream_dir


def dataset_outputs(data: Dataset) -> dict[str, pd.DataFrame]:
    """The ingest step's tables, by catalogue name."""
    return {name: getattr(data, name) for name in TABLES}


def read_table(source: Params | Path, name: str) -> pd.DataFrame:
    """A processed table, typed: from a step's Params (the read is checked against the catalogue) or a folder."""
    import pandas as pd

    from dprk_relations.core.outputs import restore_all
    from dprk_relations.core.stage import read_path

    path = read_path(_where(source, name) / f"{name}.csv")
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: run the earlier notebooks with the same parameters first (make report does this)"
        )
    frame = restore_all(pd.read_csv(path, dtype=str, keep_default_na=False))
    return typed(frame, name, path)


class TableError(ValueError):
    """A processed table whose columns or values are not what catalogue.COLUMNS declares."""


def declared_columns(name: str, present: list[str], where: str) -> dict[str, str]:
    """Each of the table's columns with its declared type; refuses a missing, extra or misplaced column."""
    declared = catalogue.columns(name)
    fixed = [c for c in declared if c != catalogue.ANY_COLUMN]
    rest = declared.get(catalogue.ANY_COLUMN)
    head = list(present[:len(fixed)])
    if head != fixed or (rest is None and len(present) != len(fixed)):
        missing = [c for c in fixed if c not in present]
        extra = [c for c in present if c not in fixed] if rest is None else []
        detail = "; ".join(part for part in (f"missing {', '.join(missing)}" if missing else "",
                                             f"undeclared {', '.join(extra)}" if extra else "") if part) or "in another order"
        raise TableError(f"{where}: the columns of {name!r} are not those catalogue.COLUMNS declares ({detail}): "
                         f"declared {' '.join(fixed + ([catalogue.ANY_COLUMN] if rest else []))}")
    return {c: declared.get(c, rest) for c in present}


EXPECTED = {"int": "an integer", "int?": "an integer or empty", "float": "a number", "date?": "an ISO date or empty"}
DTYPE = {"int": "int64", "int?": "Int64", "float": "float64"}


def typed(frame: pd.DataFrame, name: str, path: Path) -> pd.DataFrame:
    """A table read as text, with each column of the type catalogue.COLUMNS declares; a value that is not
    of its type stops the read, naming the file, its line and the column."""
    import pandas as pd

    for col, kind in declared_columns(name, list(frame.columns), str(path)).items():
        values = frame[col]
        if kind == "date?":
            frame[col] = [_date(path, row, col, v) for row, v in enumerate(values)]
        elif kind != "str":
            number = pd.to_numeric(values.where(values != "", None), errors="coerce")
            wrong = (number.isna() & (values != "")) | (values == "" if kind == "int" else False)
            if kind != "float":
                wrong |= number.notna() & (number % 1 != 0)
            if wrong.any():
                row = int(wrong.to_numpy().argmax())
                raise _refused(path, row, col, values.iloc[row], kind)
            frame[col] = number.astype(DTYPE[kind])
    return frame


def _date(path: Path, row: int, col: str, value: str):
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _refused(path, row, col, value, "date?") from None


def _refused(path: Path, row: int, col: str, value: str, kind: str) -> TableError:
    return TableError(f"{path}, data row {row + 1}, column {col!r}: {value!r} is not {EXPECTED[kind]}, as catalogue.COLUMNS "
                      f"declares")


def read_step(params: Params) -> dict[str, pd.DataFrame]:
    """Every table a step declares it reads (catalogue.py), typed, by name: one call loads a step's inputs
    (its report files, such as figures, are not tables and are left out)."""
    return {name: read_table(params, name) for name in catalogue.STEP[params.step].reads if not catalogue.is_report_file(name)}


def read_dataset(source: Params | Path, tables: list[str] = TABLES) -> Dataset:
    """The ingest tables a step declares it reads (the others are left as None, so an undeclared
    read fails loudly instead of hiding a dependency from the runner's cache)."""
    from dprk_relations.data.dataset import Dataset

    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"unknown processed table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}")
    read = {name: (read_table(source, name) if name in tables else None) for name in TABLES}
    return Dataset(**read, package={})


def save(params: Params, outputs: dict[str, object]) -> list[Path]:
    """Write a step's outputs, named as in the catalogue ("spells", "figures/map.svg"): every name must
    be one the step declares, and nothing is written unless all are (outputs.save_all)."""
    from dprk_relations.core.outputs import save_all

    step = catalogue.STEP[params.step]
    undeclared = sorted(set(outputs) - set(step.writes))
    if undeclared:
        raise UndeclaredAccess(f"{params.step} writes {', '.join(map(repr, undeclared))}, which catalogue.py does not "
                               f"declare for it; add it to the step's writes")
    for name, value in outputs.items():
        if not catalogue.is_report_file(name):
            declared_columns(name, [str(c) for c in value.columns], f"{params.step} saving the table {name!r}")
    from dprk_relations.core.paths import claim_output_folder

    for name in outputs:
        claim_output_folder(params.reports_dir if catalogue.is_report_file(name) else params.processed_dir)
    return save_all({path_of(params, name): value for name, value in outputs.items()})


def dataset_fields() -> list[str]:
    """The tables `dataset.Dataset` holds (a test checks they are the catalogue's ingest tables)."""
    from dprk_relations.data.dataset import Dataset

    return [f.name for f in fields(Dataset) if f.name != "package"]
