"""The raw data package (rules/package.py): the descriptor read and checked, every table it lists read, and
the foreign keys between them, on tiny packages written into a temporary folder."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dprk_relations.rules.package import read_datapackage, read_tables
from dprk_relations.rules.problems import Problem, RawDataError


CODES = {
    "name": "codes",
    "path": "codes.csv",
    "schema": {"fields": [{"name": "code"}, {"name": "label"}]},
}


def shown(path: Path) -> str:
    """How a file outside the project is named in a problem: its absolute path."""
    return Path(path).resolve().as_posix()


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
