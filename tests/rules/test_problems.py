"""Problem and RawDataError (rules/problems.py): how a problem in the raw data is written, and the error
that carries every problem found."""
from __future__ import annotations

from dprk_relations.rules.problems import Problem, RawDataError


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
