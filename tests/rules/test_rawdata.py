"""The raw-table reader on tiny CSV files and descriptors written into a temporary folder: every problem
names its file, line and field, with the exact words a researcher reads."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dprk_relations.rules.rawdata import (
    MAX_FIELD_CHARS,
    Problem,
    RawDataError,
    Table,
    read_datapackage,
    read_table,
    read_tables,
)

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


# --- Problem and RawDataError -------------------------------------------------------------------


def test_a_problem_names_its_file_then_its_line_then_its_field():
    """Line 0 means the whole file and is not shown; an empty field is not shown either."""
    assert str(Problem("a.csv", 3, "iso3", "is empty")) == "a.csv, line 3, field 'iso3': is empty"
    assert str(Problem("a.csv", 0, "iso3", "is empty")) == "a.csv, field 'iso3': is empty"
    assert str(Problem("a.csv", 3, "", "has 3 values")) == "a.csv, line 3: has 3 values"
    assert str(Problem("a.csv", 0, "", "file is missing")) == "a.csv: file is missing"


def test_the_error_lists_every_problem_once_sorted_by_file_and_line():
    late = Problem("b.csv", 0, "", "file is missing")
    early = Problem("a.csv", 2, "code", "is empty; a value is required")
    error = RawDataError([late, early, late])
    assert isinstance(error, ValueError)
    assert error.problems == [early, late]
    assert str(error) == (
        "2 problem(s) in the raw data:\n"
        "  - a.csv, line 2, field 'code': is empty; a value is required\n"
        "  - b.csv: file is missing"
    )


# --- the descriptor -----------------------------------------------------------------------------


def test_a_missing_descriptor_is_named_as_a_whole_file_problem(tmp_path):
    with pytest.raises(RawDataError) as info:
        read_datapackage(tmp_path)
    where = shown(tmp_path / "datapackage.json")
    assert info.value.problems == [Problem(where, 0, "", "the data package descriptor is missing")]
    assert str(info.value) == f"1 problem(s) in the raw data:\n  - {where}: the data package descriptor is missing"
    with pytest.raises(RawDataError, match="descriptor is missing"):
        read_tables(tmp_path)


@pytest.mark.parametrize("content", [b'{"resources": [', b'{"title": "C\xf4te d\'Ivoire"}'], ids=["not-json", "latin-1"])
def test_a_descriptor_that_is_not_utf8_json_is_named_with_the_reason(tmp_path, content):
    (tmp_path / "datapackage.json").write_bytes(content)
    with pytest.raises(RawDataError) as info:
        read_datapackage(tmp_path)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field) == (shown(tmp_path / "datapackage.json"), 0, "")
    assert problem.message.startswith("is not valid UTF-8 JSON (") and problem.message.endswith(")")
    assert len(problem.message) > len("is not valid UTF-8 JSON ()")  # the parser's reason is kept
    assert str(info.value).endswith(f"datapackage.json: {problem.message}")


def test_a_descriptor_in_utf8_is_read_as_its_json(tmp_path):
    package = {"title": "Côte d’Ivoire – 조선", "resources": [CODES]}
    (tmp_path / "datapackage.json").write_bytes(json.dumps(package, ensure_ascii=False).encode("utf-8"))
    assert read_datapackage(tmp_path) == package


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


# --- field constraints --------------------------------------------------------------------------

CHECKED = {
    "name": "checked",
    "path": "checked.csv",
    "schema": {
        "fields": [
            {"name": "code", "description": "three capital letters",
             "constraints": {"required": True, "pattern": "[A-Z]{3}"}},
            {"name": "kind", "constraints": {"enum": ["ab", "cd"], "pattern": "[a-z]+"}},
            {"name": "year", "type": "integer", "constraints": {"minimum": 1948}},
            {"name": "count", "type": "integer"},
            {"name": "note", "constraints": {"maxLength": 5}},
            {"name": "ref", "constraints": {"pattern": "\\d{2}"}},
        ],
    },
}


def test_a_row_at_every_limit_passes_its_checks(tmp_path):
    """The minimum year itself, a negative count, a note of exactly the longest length: no problem."""
    table, problems = read(tmp_path, "code,kind,year,count,note,ref\nABC,ab,1948,-3,abcde,12\nDEF,cd,2023,0,,\n", CHECKED)
    assert problems == []
    assert table.rows[0] == {"code": "ABC", "kind": "ab", "year": "1948", "count": "-3", "note": "abcde", "ref": "12"}


def test_an_empty_cell_is_a_problem_only_where_a_value_is_required(tmp_path):
    _, problems = read(tmp_path, "code,kind,year,count,note,ref\nABC,,,,,\n , ab, , , , \n", CHECKED)
    where = shown(tmp_path / "checked.csv")
    assert problems == [Problem(where, 3, "code", "is empty; a value is required")]
    assert str(problems[0]).endswith("checked.csv, line 3, field 'code': is empty; a value is required")


def test_each_broken_constraint_is_named_with_its_line_field_and_rule(tmp_path):
    text = (
        "code,kind,year,count,note,ref\n"
        "ABCD,xy,1947,3a,abcdef,1\n"     # every field broken
        "abc,AB,19.5,1.0,ok,123\n"       # the enum is checked before the pattern: one problem per cell
        "GHI,cd,-1948,-0,abcde,99\n"     # the minimum is a number, not a string
    )
    _, problems = read(tmp_path, text, CHECKED)
    where = shown(tmp_path / "checked.csv")
    assert sorted(problems) == sorted([
        Problem(where, 2, "code", "'ABCD' does not match three capital letters"),
        Problem(where, 2, "kind", "'xy' is not one of ab, cd"),
        Problem(where, 2, "year", "1947 is below the minimum 1948"),
        Problem(where, 2, "count", "'3a' is not a whole number"),
        Problem(where, 2, "note", "has 6 characters, at most 5 allowed (keep cells short; research logs are not data)"),
        Problem(where, 2, "ref", "'1' does not match the pattern \\d{2}"),
        Problem(where, 3, "code", "'abc' does not match three capital letters"),
        Problem(where, 3, "kind", "'AB' is not one of ab, cd"),
        Problem(where, 3, "year", "'19.5' is not a whole number"),
        Problem(where, 3, "count", "'1.0' is not a whole number"),
        Problem(where, 3, "ref", "'123' does not match the pattern \\d{2}"),
        Problem(where, 4, "year", "-1948 is below the minimum 1948"),
    ])
    assert len(problems) == 12


def test_a_repeated_key_names_the_line_it_repeats(tmp_path):
    resource = {**CODES, "schema": {**CODES["schema"], "primaryKey": "code"}}
    _, problems = read(tmp_path, "code,label\nABC,a\nDEF,b\nABC,c\nABC,d\n", resource)
    where = shown(tmp_path / "codes.csv")
    assert problems == [
        Problem(where, 4, "code", "ABC repeats line 2 (the same entry twice)"),
        Problem(where, 5, "code", "ABC repeats line 2 (the same entry twice)"),
    ]


def test_a_repeated_compound_key_is_named_by_its_fields_joined(tmp_path):
    resource = {**CODES, "schema": {**CODES["schema"], "primaryKey": ["code", "label"]}}
    _, problems = read(tmp_path, "code,label\nABC,a\nABC,b\nDEF,a\nABC,b\n", resource)
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 5, "code+label", "ABC, b repeats line 3 (the same entry twice)")]


# --- the whole package --------------------------------------------------------------------------

USES = {
    "name": "uses",
    "path": "uses.csv",
    "schema": {
        "fields": [{"name": "id"}, {"name": "code"}],
        "foreignKeys": [{"fields": "code", "reference": {"resource": "codes", "fields": "code"}}],
    },
}


LINKS = {
    "name": "links",
    "path": "links.csv",
    "schema": {
        "fields": [{"name": "code"}, {"name": "use"}],
        "foreignKeys": [
            {"fields": "code", "reference": {"resource": "codes", "fields": "code"}},
            {"fields": "use", "reference": {"resource": "uses", "fields": "id"}},
        ],
    },
}


def write_package(raw: Path, files: dict[str, str], resources: tuple = (CODES, USES)) -> None:
    (raw / "datapackage.json").write_text(json.dumps({"name": "fixture", "resources": list(resources)}), encoding="utf-8")
    for name, text in files.items():
        (raw / name).write_text(text, encoding="utf-8")


def test_a_code_not_in_the_table_it_refers_to_is_named(tmp_path):
    write_package(tmp_path, {"codes.csv": "code,label\nABC,a\nDEF,b\n", "uses.csv": "id,code\n1,ABC\n2,ZZZ\n3,\n4,DEF\n"})
    tables, package, problems = read_tables(tmp_path)
    assert package == {"name": "fixture", "resources": [CODES, USES]}
    assert list(tables) == ["codes", "uses"]
    assert tables["uses"].rows[1] == {"id": "2", "code": "ZZZ"}
    # an empty code is left to the `required` check
    assert problems == [Problem(shown(tmp_path / "uses.csv"), 3, "code", f"'ZZZ' is not a code in {shown(tmp_path / 'codes.csv')}")]


def test_every_table_is_checked_even_when_one_cannot_be_read(tmp_path):
    """A table that cannot be read is left out and no code is checked against it; every other table and
    every other reference still is."""
    files = {"codes.csv": "code\nABC\n", "uses.csv": "id,code\n1,ZZZ\n1,ABC,x\n", "links.csv": "code,use\nZZZ,1\nABC,9\n"}
    write_package(tmp_path, files, (CODES, USES, LINKS))
    tables, _, problems = read_tables(tmp_path)
    assert list(tables) == ["uses", "links"]
    assert problems == [
        Problem(shown(tmp_path / "codes.csv"), 1, "label", "column is missing"),
        Problem(shown(tmp_path / "uses.csv"), 3, "", "has 3 values, the header has 2 columns"),
        Problem(shown(tmp_path / "links.csv"), 3, "use", f"'9' is not a code in {shown(tmp_path / 'uses.csv')}"),
    ]


def test_a_missing_file_is_one_problem_among_the_others(tmp_path):
    write_package(tmp_path, {"uses.csv": "id,code\n1,ZZZ\n"})
    tables, _, problems = read_tables(tmp_path)
    assert list(tables) == ["uses"]
    assert problems == [Problem(shown(tmp_path / "codes.csv"), 0, "", "file is missing")]
