"""The raw-table reader (rules/rawdata.py) on tiny CSV files written into a temporary folder: every problem
names its file, line and field, with the exact words a researcher reads; and, on random small files, the
reader over whole columns against a reference that reads the file row by row through the csv module."""
from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_relations.rules.problems import Problem, Table
from dprk_relations.rules.rawdata import FORBIDDEN_CHARS, MAX_FIELD_CHARS, read_table

CODES = {
    "name": "codes",
    "path": "codes.csv",
    "schema": {"fields": [{"name": "code"}, {"name": "label"}]},
}


def shown(path: Path) -> str:
    """How a file outside the project is named in a problem: its absolute path."""
    return Path(path).resolve().as_posix()


def read(raw: Path, text: str | bytes, resource: dict = CODES) -> tuple[Table | None, list[Problem]]:
    path = raw / resource["path"]
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    problems: list[Problem] = []
    return read_table(raw, resource, problems), problems


# --- reading the bytes --------------------------------------------------------------------------


def test_a_missing_table_file_is_named_and_not_read(tmp_path):
    problems: list[Problem] = []
    assert read_table(tmp_path, CODES, problems) is None
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 0, "", "file is missing")]
    assert str(problems[0]) == f"{shown(tmp_path / 'codes.csv')}: file is missing"


def test_a_file_that_cannot_be_read_is_named_with_the_fix(tmp_path, monkeypatch):
    (tmp_path / "codes.csv").write_text("code,label\nABC,a\n", encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    problems: list[Problem] = []
    assert read_table(tmp_path, CODES, problems) is None
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 0, "",
                                "cannot be read: permission denied (check the file's owner and mode)")]


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n"],
                         ids=["nothing", "blank-lines", "bom-only", "bom-and-blank-lines"])
def test_an_empty_file_is_named_as_a_whole_file_problem(tmp_path, content):
    table, problems = read(tmp_path, content)
    assert table is None
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 0, "", "file is empty; expected a header line and rows")]


def test_a_byte_that_is_not_utf8_is_named_with_its_line_and_value(tmp_path):
    table, problems = read(tmp_path, b"code,label\nABC,ok\nCIV,C\xf4te\n")
    assert table is None
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 3, "", "byte 0xf4 is not UTF-8; save the file as UTF-8")]
    assert str(problems[0]).endswith("codes.csv, line 3: byte 0xf4 is not UTF-8; save the file as UTF-8")


def test_a_byte_order_mark_is_dropped_before_the_header(tmp_path):
    table, problems = read(tmp_path, "\ufeffcode,label\nCIV,Côte d’Ivoire\n".encode("utf-8"))
    assert problems == []
    assert table.rows == [{"code": "CIV", "label": "Côte d’Ivoire"}]


# --- the header ---------------------------------------------------------------------------------


def test_a_header_the_csv_module_cannot_read_is_named_on_line_1(tmp_path):
    table, problems = read(tmp_path, 'code,"label"x\nABC,a\n')  # text after a closing quote (strict reading)
    assert table is None
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 1, "", "the header cannot be read as CSV (',' expected after '\"')")]


def test_a_nul_byte_is_named_on_the_line_of_the_first_one(tmp_path):
    table, problems = read(tmp_path, "code,label\nABC,a\x00\nDEF,b\nGHI,\x00c\n".encode())
    assert table is None
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 2, "", "contains a NUL byte (a damaged or binary file?)")]


def test_a_file_with_old_mac_line_endings_is_read_row_by_row(tmp_path):
    """A carriage return alone ends a line too (universal newlines), as a spreadsheet may save it."""
    table, problems = read(tmp_path, b"code,label\rABC,a\rDEF,b\r")
    assert problems == []
    assert table.rows == [{"code": "ABC", "label": "a"}, {"code": "DEF", "label": "b"}]


def test_a_repeated_column_is_named_with_its_count_and_the_table_is_not_read(tmp_path):
    table, problems = read(tmp_path, "label,code,label,label,code\nx,ABC,y,z,DEF\n")
    assert table is None
    where = shown(tmp_path / "codes.csv")
    assert problems == [
        Problem(where, 1, "code", "column appears 2 times in the header; keep one"),
        Problem(where, 1, "label", "column appears 3 times in the header; keep one"),
    ]


def test_a_missing_column_is_named_with_the_likely_misspelling(tmp_path):
    table, problems = read(tmp_path, "code,lable\nABC,a\n")
    assert table is None
    # the misspelt column is the hint, not also an unknown column
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 1, "label", "column is missing (found 'lable': misspelt?)")]


def test_a_missing_column_with_nothing_like_it_has_no_hint(tmp_path):
    table, problems = read(tmp_path, "code\nABC\n")
    assert table is None
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 1, "label", "column is missing")]
    assert str(problems[0]).endswith("codes.csv, line 1, field 'label': column is missing")


def test_only_a_close_name_counts_as_a_misspelling(tmp_path):
    """'status' is 73% like 'state': under the 75% bar, so it is an unknown column, not a hint."""
    resource = {"name": "states", "path": "states.csv", "schema": {"fields": [{"name": "iso3"}, {"name": "state"}]}}
    table, problems = read(tmp_path, "iso3,status\nCUB,x\n", resource)
    assert table is None
    where = shown(tmp_path / "states.csv")
    assert sorted(problems) == [
        Problem(where, 1, "state", "column is missing"),
        Problem(where, 1, "status", "unknown column; expected the columns iso3, state"),
    ]


def test_an_unknown_extra_column_is_named_but_the_table_is_still_read(tmp_path):
    table, problems = read(tmp_path, "code,notes,label\nABC,scratch,a\n")
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 1, "notes", "unknown column; expected the columns code, label")]
    assert table.fields == ["code", "label"]
    assert table.rows == [{"code": "ABC", "label": "a"}]


# --- the rows -----------------------------------------------------------------------------------


def test_rows_keep_their_file_line_and_blank_rows_are_skipped(tmp_path):
    """Blank lines and rows of empty cells are skipped, not the end of the table; values are stripped and
    every row keeps the line it is on (the header is line 1)."""
    text = "code,label\n ABC , first \n\n , \nDEF,second\n,\nGHI,\"two\nlines\"\nJKL,last\n"
    table, problems = read(tmp_path, text)
    assert problems == []
    assert isinstance(table, Table)
    assert (table.name, table.path, table.fields) == ("codes", tmp_path / "codes.csv", ["code", "label"])
    assert table.rows == [
        {"code": "ABC", "label": "first"},
        {"code": "DEF", "label": "second"},
        {"code": "GHI", "label": "two\nlines"},
        {"code": "JKL", "label": "last"},
    ]
    assert table.lines[:2] == [2, 5]
    assert table.lines[-1] == 9
    assert list(table.records()) == list(zip(table.lines, table.rows))


def test_line_endings_inside_a_quoted_cell_are_kept_as_written(tmp_path):
    """The text is split by the csv module itself (newline=''), so a CRLF file reads the same as an LF one
    and a line break inside quotes stays as it is."""
    table, problems = read(tmp_path, 'code,label\r\nABC,"one\r\ntwo"\r\nDEF,x\r\n')
    assert problems == []
    assert table.rows == [{"code": "ABC", "label": "one\r\ntwo"}, {"code": "DEF", "label": "x"}]
    assert table.lines == [3, 4]


def test_a_row_with_the_wrong_number_of_values_is_named_and_the_next_rows_read(tmp_path):
    table, problems = read(tmp_path, "code,label\nABC,a,extra\nDEF\nGHI,ok\n")
    where = shown(tmp_path / "codes.csv")
    assert problems == [
        Problem(where, 2, "", "has 3 values, the header has 2 columns"),
        Problem(where, 3, "", "has 1 values, the header has 2 columns"),
    ]
    assert str(problems[0]).endswith("codes.csv, line 2: has 3 values, the header has 2 columns")
    assert table.rows == [{"code": "GHI", "label": "ok"}]
    assert table.lines == [4]


def test_a_cell_may_hold_the_limit_but_not_one_character_more(tmp_path):
    at_limit, over = "x" * MAX_FIELD_CHARS, "y" * (MAX_FIELD_CHARS + 1)
    table, problems = read(tmp_path, f"code,label\nABC,{at_limit}\nDEF,{over}\n")
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 3, "label",
                                "has 131,073 characters, more than the 131,072 a cell may hold (keep cells short)")]
    assert table.rows[0]["label"] == at_limit
    assert table.rows[1]["label"] == "y" * MAX_FIELD_CHARS  # cut to the limit, so later checks stay cheap


def test_a_header_with_no_rows_is_named_as_a_whole_file_problem(tmp_path):
    table, problems = read(tmp_path, "code,label\n\n,\n")
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 0, "", "file has a header but no rows")]
    assert str(problems[0]) == f"{shown(tmp_path / 'codes.csv')}: file has a header but no rows"
    assert table is not None and table.rows == [] and table.lines == []


def test_a_row_the_csv_module_cannot_read_is_named_and_reading_stops_there(tmp_path):
    table, problems = read(tmp_path, 'code,label\nABC,a\nDEF,"b"c\nGHI,c\n')
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 3, "", "cannot be read as CSV: ',' expected after '\"'")]
    assert str(problems[0]).endswith("""codes.csv, line 3: cannot be read as CSV: ',' expected after '"'""")
    assert table.rows == [{"code": "ABC", "label": "a"}]
    assert table.lines == [2]


# --- against a row-by-row reference, on random files ------------------------------------------

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


def read_in_a_new_folder(text: str):
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "codes.csv").write_text(text, encoding="utf-8", newline="")
        problems = []
        table = read_table(Path(folder), CODES, problems)
    return table.rows, table.lines, [(p.line, p.field, p.message) for p in problems]


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_reader_gives_the_rows_lines_and_problems_of_a_row_by_row_reading(body):
    text = "code,label\n" + body
    assert read_in_a_new_folder(text) == reference(text)


def test_a_long_cell_is_found_only_in_the_rows_long_enough_to_hold_it():
    """A row of many short lines holding a cell one character too long, between rows that are not."""
    cell = "\n".join(["x" * 999] * (MAX_FIELD_CHARS // 1000)) + "\n"
    cell += "y" * (MAX_FIELD_CHARS + 1 - len(cell))
    at_limit = cell[:-1]
    text = f'code,label\nA,"{at_limit}"\nB,"{cell}"\nC,short\n'
    rows, lines, problems = read_in_a_new_folder(text)
    span = cell.count("\n")
    assert lines == [2 + span, 3 + 2 * span, 4 + 2 * span]
    assert problems == [(3 + 2 * span, "label", f"has {MAX_FIELD_CHARS + 1:,} characters, more than the {MAX_FIELD_CHARS:,} "
                                                "a cell may hold (keep cells short)")]
    assert [len(r["label"]) for r in rows] == [MAX_FIELD_CHARS, MAX_FIELD_CHARS, 5]
