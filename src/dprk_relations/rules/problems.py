"""What the raw-table reader finds wrong (Problem, RawDataError) and what it reads (Table)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a raw file: where it is and what was expected."""

    file: str
    line: int  # 1-based line in the file; the header is line 1; 0 for the whole file
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}, field '{self.field}': {self.message}" if self.field else f"{where}: {self.message}"


class RawDataError(ValueError):
    """Raised with every problem found, so a researcher can fix them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the raw data:\n{lines}")


@dataclass
class Table:
    """A raw table: its values as strings, one array (of str objects) per field, and the line each row came from."""

    name: str
    path: Path
    fields: list[str]
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, str]]:
        """The rows as dicts, built on each call (for the few checks that read a table row by row)."""
        if not self.fields:
            return [{} for _ in self.lines]
        return [dict(zip(self.fields, values)) for values in zip(*(self.columns[f] for f in self.fields))]

    def records(self):
        return zip(self.lines, self.rows)
