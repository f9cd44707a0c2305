"""The raw-table reader over whole columns (issue 19) against a reference that reads the file row by row
through the csv module, on random small files: line endings of every kind, quoted line breaks, blank and
short rows, padded cells, control characters; and a long cell split over lines."""
from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_relations.rules.rawdata import FORBIDDEN_CHARS, MAX_FIELD_CHARS, read_table

CODES = {"name": "codes", "path": "codes.csv", "schema": {"fields": [{"name": "code"}, {"name": "label"}]}}
# pieces of a file: values, separators, every line ending, a quoted line break, characters str.splitlines
# also splits at (two allowed in a cell, the others forbidden), a forbidden one, padding
PIECES = st.sampled_from(["a", " b ", "cd", ",", ",", "\n", "\n", "\r\n", "\r", '"x\ny"', '"p,q"', "\u2028", "\u2029",
                          "\x85", "\x0b", "\x1c", "\x07", "\t", "  ", '"'])


def reference(text: str) -> tuple[list[dict], list[int], list[tuple[int, str, str]]]:
    """Rows, lines and problems (line, field, message) as read one row at a time from the csv module."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader)
    rows, lines, problems = [], [], []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append((reader.line_num, "", f"has {len(values)} values, the header has {len(header)} columns"))
                continue
            row = dict(zip(header, values))
            for name in header:
                bad = FORBIDDEN_CHARS.search(row[name])
                if bad:
                    problems.append((reader.line_num, name, f"contains the control character U+{ord(bad.group()):04X} at "
                                     f"position {bad.start() + 1}; text cells hold printable text (a tab and line breaks allowed)"))
            rows.append({n: v.strip() for n, v in row.items()})
            lines.append(reader.line_num)
    except csv.Error as exc:
        problems.append((reader.line_num, "", f"cannot be read as CSV: {exc}"))
    if not rows:
        problems.append((0, "", "file has a header but no rows"))
    return rows, lines, problems


def read(text: str):
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "codes.csv").write_text(text, encoding="utf-8", newline="")
        problems = []
        table = read_table(Path(folder), CODES, problems)
    return table.rows, table.lines, [(p.line, p.field, p.message) for p in problems]


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_reader_gives_the_rows_lines_and_problems_of_a_row_by_row_reading(body):
    text = "code,label\n" + body
    assert read(text) == reference(text)


def test_a_long_cell_is_found_only_in_the_rows_long_enough_to_hold_it():
    """A row of many short lines holding a cell one character too long, between rows that are not."""
    cell = "\n".join(["x" * 999] * (MAX_FIELD_CHARS // 1000)) + "\n"
    cell += "y" * (MAX_FIELD_CHARS + 1 - len(cell))
    at_limit = cell[:-1]
    text = f'code,label\nA,"{at_limit}"\nB,"{cell}"\nC,short\n'
    rows, lines, problems = read(text)
    span = cell.count("\n")
    assert lines == [2 + span, 3 + 2 * span, 4 + 2 * span]
    assert problems == [(3 + 2 * span, "label", f"has {MAX_FIELD_CHARS + 1:,} characters, more than the {MAX_FIELD_CHARS:,} "
                                                "a cell may hold (keep cells short)")]
    assert [len(r["label"]) for r in rows] == [MAX_FIELD_CHARS, MAX_FIELD_CHARS, 5]
