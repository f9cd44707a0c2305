"""The constraints of a Table Schema over whole columns (rules/constraints.py): `required`, `enum`, `pattern`,
`integer`, `minimum`, `maxLength` and the primary key, each broken one named with its file, line, field and
rule; a value gets the message of the first constraint it breaks, and is judged once however many rows hold
it; a repeated key is reported and its row dropped. First through the raw-table reader on tiny CSV files
(the helpers of tests/rules/test_rawdata.py), then check_fields and row_keys on tables built by hand."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from dprk_relations.rules.constraints import check_fields, row_keys
from dprk_relations.rules.problems import Problem, Table
from tests.rules.test_rawdata import CODES, read, shown


# --- field constraints, through the raw-table reader ----------------------------------------------

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


# --- check_fields and row_keys, on tables built by hand ---------------------------------------------

def table(lines: list[int], **columns: list[str]) -> Table:
    """A raw table as the reader gives it: one array of str objects per field, the line of each row."""
    return Table("t", Path("t.csv"), list(columns), {n: np.array(v, dtype=object) for n, v in columns.items()}, lines)


def test_a_repeated_key_is_reported_and_its_row_dropped_so_later_checks_see_the_first_entry_only():
    t = table([2, 3, 4, 5, 6], code=["A", "B", "A", "C", "A"], label=["a", "b", "again", "c", "thrice"])
    problems: list[Problem] = []
    check_fields(t, {"fields": [{"name": "code"}, {"name": "label"}], "primaryKey": "code"}, "t.csv", problems)
    assert problems == [Problem("t.csv", 4, "code", "A repeats line 2 (the same entry twice)"),
                        Problem("t.csv", 6, "code", "A repeats line 2 (the same entry twice)")]
    assert t.lines == [2, 3, 5] and t.columns["label"].tolist() == ["a", "b", "c"]
    assert t.rows == [{"code": "A", "label": "a"}, {"code": "B", "label": "b"}, {"code": "C", "label": "c"}]


def test_a_value_gets_the_message_of_the_first_constraint_it_breaks_only():
    spec = {"name": "n", "type": "integer", "constraints": {"enum": ["1", "5", "x"], "minimum": 2}}
    t = table([2, 3, 4], n=["7", "x", "1"])
    problems: list[Problem] = []
    check_fields(t, {"fields": [spec]}, "t.csv", problems)
    assert problems == [Problem("t.csv", 2, "n", "'7' is not one of 1, 5, x"),  # the enum first
                        Problem("t.csv", 3, "n", "'x' is not a whole number"),  # listed, but no number
                        Problem("t.csv", 4, "n", "1 is below the minimum 2")]
    assert t.lines == [2, 3, 4]  # a broken constraint is reported; the row stays


def test_a_field_without_constraints_accepts_anything_and_an_empty_cell_breaks_only_required():
    fields = [{"name": "free"}, {"name": "code", "constraints": {"pattern": "[A-Z]{3}"}},
              {"name": "must", "constraints": {"required": True, "pattern": "[A-Z]{3}"}}]
    t = table([2, 3], free=["", "<anything> at all"], code=["", "ABC"], must=["ABC", ""])
    problems: list[Problem] = []
    check_fields(t, {"fields": fields}, "t.csv", problems)
    assert problems == [Problem("t.csv", 3, "must", "is empty; a value is required")]


class CountingList(list):
    """An enum that counts how often a value is looked up in it."""

    lookups = 0

    def __contains__(self, value):
        CountingList.lookups += 1
        return super().__contains__(value)


def test_each_distinct_value_is_judged_once_however_many_rows_hold_it():
    CountingList.lookups = 0
    values = ["ab", "cd", "zz"] * 1000
    t = table(list(range(2, 2 + len(values))), kind=values)
    problems: list[Problem] = []
    check_fields(t, {"fields": [{"name": "kind", "constraints": {"enum": CountingList(["ab", "cd"])}}]}, "t.csv", problems)
    assert CountingList.lookups == 3
    assert len(problems) == 1000 and {p.message for p in problems} == {"'zz' is not one of ab, cd"}
    assert [p.line for p in problems[:2]] == [4, 7]  # every row holding the value, named by its line


def test_row_keys_number_the_combinations_in_the_order_they_first_appear():
    first = np.array(["b", "a", "b", "a", "ab", "a"], dtype=object)
    second = np.array(["x", "x", "x", "y", "c", "bc"], dtype=object)
    assert row_keys([first, second]).tolist() == [0, 1, 0, 2, 3, 4]  # "ab"+"c" and "a"+"bc" are two keys
    assert row_keys([first]).tolist() == [0, 1, 0, 1, 2, 1]
    assert row_keys([second, first]).tolist() == [0, 1, 0, 2, 3, 4]
