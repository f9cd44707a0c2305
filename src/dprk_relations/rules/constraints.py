"""The constraints of a Table Schema checked over whole columns: `required`, `enum`, `pattern`, `integer`,
`minimum`, `maxLength` and the primary key. Each distinct value is judged once, and the rows are read
one by one only to name those holding a value that breaks a constraint.
"""
from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd

from dprk_relations.rules.problems import Problem, Table


def check_fields(table: Table, schema: dict, display: str, problems: list[Problem]) -> None:
    """Each field against its constraints, then the primary key: a row repeating a key is reported and dropped."""
    for spec in schema["fields"]:
        name = spec["name"]
        values = table.columns[name]
        wrong = _wrong_values(spec, values)
        if wrong:
            problems.extend(Problem(display, line, name, wrong[v]) for line, v in zip(table.lines, values) if v in wrong)
    key = schema.get("primaryKey")
    if key:
        key = [key] if isinstance(key, str) else key
        keys = row_keys([table.columns[c] for c in key])
        repeated = pd.Series(keys).duplicated().to_numpy()
        if not repeated.any():
            return
        first_line = np.asarray(table.lines)[np.unique(keys, return_index=True)[1]]
        for i in np.flatnonzero(repeated):
            values = ", ".join(table.columns[c][i] for c in key)
            problems.append(Problem(display, table.lines[i], "+".join(key),
                                    f"{values} repeats line {first_line[keys[i]]} (the same entry twice)"))
        # reported; the checks across tables see the first entry only
        table.columns = {n: v[~repeated] for n, v in table.columns.items()}
        table.lines = np.asarray(table.lines, dtype=np.int64)[~repeated].tolist()


def row_keys(columns: list[np.ndarray]) -> np.ndarray:
    """For each row, the number of its combination of values in `columns`, numbered in the order the
    combinations first appear. Each column is factorised and the codes combined a column at a time."""
    keys = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column)
        keys = pd.factorize(keys * len(uniques) + codes)[0]
    return keys


INTEGER = re.compile(r"-?\d+")


def _wrong_values(spec: dict, values: np.ndarray) -> dict[str, str]:
    """Each distinct value of a field that breaks its constraints, with the message for it: the
    constraints are checked in this order, and a value gets the message of the first it breaks.
    The column is read once, into its distinct values (at a million rows each pass costs)."""
    constraints = spec.get("constraints", {})
    checks = []
    if constraints.get("enum"):
        enum = constraints["enum"]
        checks.append((lambda v: v in enum, lambda v: f"{v!r} is not one of {', '.join(enum)}"))
    if "pattern" in constraints:
        pattern = re.compile(constraints["pattern"])
        what = spec.get("description", f"the pattern {pattern.pattern}")
        checks.append((pattern.fullmatch, lambda v: f"{v!r} does not match {what}"))
    if spec.get("type") == "integer":
        checks.append((INTEGER.fullmatch, lambda v: f"{v!r} is not a whole number"))
        if "minimum" in constraints:
            least = constraints["minimum"]
            checks.append((lambda v: int(v) >= least, lambda v: f"{v} is below the minimum {least}"))
    max_length = constraints.get("maxLength")
    if max_length:
        checks.append((lambda v: len(v) <= max_length, lambda v: f"has {len(v)} characters, at most {max_length} "
                                                             "allowed (keep cells short; research logs are not data)"))
    if not checks and not constraints.get("required"):
        return {}
    passing = set(values)
    wrong = {"": "is empty; a value is required"} if constraints.get("required") and "" in passing else {}
    passing.discard("")
    for passes, message in checks:
        broken = set(itertools.filterfalse(passes, passing))
        wrong.update((v, message(v)) for v in broken)
        passing -= broken
    return wrong
