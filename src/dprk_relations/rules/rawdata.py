"""Read the raw tables described by data/raw/datapackage.json and check them against their schemas.

The schemas are Frictionless Table Schemas; this module implements the part of the standard the
project uses (field names and order, `required`, `enum`, `pattern`, `integer`, `unique` keys and
foreign keys), because every problem must be reported with its file, line and field, and all of
them at once.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DATAPACKAGE = "datapackage.json"
UTF8_BOM = b"\xef\xbb\xbf"
# The longest cell accepted (the csv module's own default limit): a cell this long is a research log,
# not data. Checked here, per field, so the problem names its field; the csv module reads any length.
MAX_FIELD_CHARS = 131_072
_CSV_READ_LIMIT = 2**31 - 1
# The field types this reader checks (Table Schema's others would pass unchecked: refused instead).
KNOWN_TYPES = ("string", "integer")
# Characters no cell of ours holds: control characters other than a tab or a line break (a quoted cell may
# hold several lines), and the bidirectional overrides and isolates that make text read differently from its bytes.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
    """A raw table: its rows as strings, each with the line it came from."""

    name: str
    path: Path
    fields: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def records(self):
        return zip(self.lines, self.rows)


def read_datapackage(raw_dir: Path) -> dict:
    path = raw_dir / DATAPACKAGE
    if not path.is_file():
        what = "is a directory, not the data package descriptor" if path.is_dir() else "the data package descriptor is missing"
        raise RawDataError([Problem(_relative(path), 0, "", what)])
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RawDataError([Problem(_relative(path), 0, "", f"is not valid UTF-8 JSON ({exc})")]) from None
    problems = descriptor_problems(raw_dir, package)
    if problems:
        raise RawDataError(problems)
    return package


def descriptor_problems(raw_dir: Path, package: dict) -> list[Problem]:
    """What in the descriptor the reader cannot follow: a resource without a name, path or fields, a path
    that leaves the raw folder, a field type it does not check, a pattern that is not a regular expression."""
    display = _relative(raw_dir / DATAPACKAGE)
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        return [Problem(display, 0, "resources", "is missing or not a list of resources")]
    import os

    problems = []
    root = Path(os.path.abspath(raw_dir))
    for i, resource in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str) or not isinstance(resource.get("path"), str):
            problems.append(Problem(display, 0, where, "needs a name and a path (strings)"))
            continue
        where = f"resource {resource['name']!r}"
        # by its name (a symbolic link is judged where it is read, without following it)
        target = Path(os.path.normpath(root / resource["path"]))
        if Path(resource["path"]).is_absolute() or not (target == root or root in target.parents):
            problems.append(Problem(display, 0, where, f"path {resource['path']!r} leaves the raw folder; "
                                                       "a resource is a file inside it"))
        fields = resource.get("schema", {}).get("fields") if isinstance(resource.get("schema"), dict) else None
        if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
            problems.append(Problem(display, 0, where, "needs schema.fields, a list of fields each with a name"))
            continue
        for spec in fields:
            kind = spec.get("type", "string")
            if kind not in KNOWN_TYPES:
                problems.append(Problem(display, 0, f"{where}, field {spec['name']!r}",
                                        f"type {kind!r} is not one this reader checks ({', '.join(KNOWN_TYPES)})"))
            pattern = spec.get("constraints", {}).get("pattern")
            if pattern is not None:
                try:
                    re.compile(pattern)
                except (re.error, TypeError) as exc:
                    problems.append(Problem(display, 0, f"{where}, field {spec['name']!r}",
                                            f"pattern {pattern!r} is not a regular expression ({exc})"))
    return problems


def _decode(path: Path, display: str, problems: list[Problem]) -> str | None:
    if path.is_dir():
        problems.append(Problem(display, 0, "", "is a directory, not a CSV file"))
        return None
    if not path.is_file():
        problems.append(Problem(display, 0, "", "file is missing" if not path.exists() else "is not a regular file"))
        return None
    try:
        data = path.read_bytes()
    except PermissionError:
        problems.append(Problem(display, 0, "", "cannot be read: permission denied (check the file's owner and mode)"))
        return None
    # a spreadsheet saving "CSV UTF-8" puts a byte-order mark first: read it as the UTF-8 it is
    data = data.removeprefix(UTF8_BOM)
    if not data.strip():
        problems.append(Problem(display, 0, "", "file is empty; expected a header line and rows"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(display, line, "", f"byte {data[exc.start]:#04x} is not UTF-8; save the file as UTF-8")
        )
        return None
    if "\x00" in text:  # the csv module keeps a NUL byte inside the cell: no cell of ours holds one
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(display, line, "", "contains a NUL byte (a damaged or binary file?)"))
        return None
    return text


def read_table(raw_dir: Path, resource: dict, problems: list[Problem]) -> Table | None:
    """Read one resource and check it against its schema, appending to `problems`."""
    path = raw_dir / resource["path"]
    display = f"{_relative(path.parent)}/{path.name}"  # the name as listed, not where a link leads
    if path.is_symlink() and not path.resolve().is_relative_to(raw_dir.resolve()):
        # not followed: its target is outside the raw folder, and nothing of it is shown
        problems.append(Problem(display, 0, "", "is a symbolic link to a file outside the raw folder; "
                                                "copy the file into the raw folder instead"))
        return None
    text = _decode(path, display, problems)
    if text is None:
        return None
    schema = resource["schema"]
    expected = [f["name"] for f in schema["fields"]]
    csv.field_size_limit(_CSV_READ_LIMIT)
    # strict: a quote left open would otherwise swallow the rest of the file into one cell, silently
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        problems.append(Problem(display, 1, "", f"the header cannot be read as CSV ({exc})"))
        return None
    if any(not n.strip() for n in header):
        # one message for the cause: every row would otherwise be reported as one value short
        problems.append(Problem(display, 1, "", f"the header has an empty column name at position "
                                                f"{[n.strip() for n in header].index('') + 1} (a trailing comma?); "
                                                f"expected the columns {', '.join(expected)}"))
        return None
    for name in sorted({n for n in header if header.count(n) > 1}):
        problems.append(Problem(display, 1, name, f"column appears {header.count(name)} times in the header; keep one"))
    missing = [n for n in expected if n not in header]
    unknown = [n for n in header if n not in expected]
    for name in missing:
        hint = _closest(name, unknown)
        problems.append(
            Problem(display, 1, name, "column is missing" + (f" (found {hint!r}: misspelt?)" if hint else ""))
        )
    for name in unknown:
        if not _closest(name, missing):
            problems.append(Problem(display, 1, name, f"unknown column; expected the columns {', '.join(expected)}"))
    if missing or len(set(header)) != len(header):
        return None
    table = Table(resource["name"], path, expected)
    for values in _rows(reader, display, problems):
        line_no = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(
                Problem(display, line_no, "", f"has {len(values)} values, the header has {len(header)} columns")
            )
            continue
        row = dict(zip(header, values))
        for name in expected:
            bad = FORBIDDEN_CHARS.search(row[name])
            if bad:
                problems.append(Problem(display, line_no, name, f"contains the control character U+{ord(bad.group()):04X} "
                                        f"at position {bad.start() + 1}; text cells hold printable text (a tab and line breaks allowed)"))
            if len(row[name]) > MAX_FIELD_CHARS:
                problems.append(Problem(display, line_no, name, f"has {len(row[name]):,} characters, more than the "
                                        f"{MAX_FIELD_CHARS:,} a cell may hold (keep cells short)"))
                row[name] = row[name][:MAX_FIELD_CHARS]
        table.rows.append({n: row[n].strip() for n in expected})
        table.lines.append(line_no)
    if not table.rows:
        problems.append(Problem(display, 0, "", "file has a header but no rows"))
    _check_fields(table, schema, display, problems)
    return table


def _rows(reader, display: str, problems: list[Problem]):
    """The reader's rows; a row the csv module cannot read (a quote left open, text after a closing
    quote) is reported with its line, and reading stops there."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(display, reader.line_num, "", f"cannot be read as CSV: {exc}"))
            return


def _closest(name: str, candidates: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return found[0] if found else None


def _check_fields(table: Table, schema: dict, display: str, problems: list[Problem]) -> None:
    for spec in schema["fields"]:
        name = spec["name"]
        constraints = spec.get("constraints", {})
        pattern = re.compile(constraints["pattern"]) if "pattern" in constraints else None
        enum = constraints.get("enum")
        max_length = constraints.get("maxLength")
        for line, row in table.records():
            value = row[name]
            if not value:
                if constraints.get("required"):
                    problems.append(Problem(display, line, name, "is empty; a value is required"))
                continue
            if enum and value not in enum:
                problems.append(Problem(display, line, name, f"{value!r} is not one of {', '.join(enum)}"))
            elif pattern and not pattern.fullmatch(value):
                what = spec.get("description", f"the pattern {pattern.pattern}")
                problems.append(Problem(display, line, name, f"{value!r} does not match {what}"))
            elif spec.get("type") == "integer" and not re.fullmatch(r"-?\d+", value):
                problems.append(Problem(display, line, name, f"{value!r} is not a whole number"))
            elif spec.get("type") == "integer" and "minimum" in constraints and int(value) < constraints["minimum"]:
                problems.append(Problem(display, line, name, f"{value} is below the minimum {constraints['minimum']}"))
            elif max_length and len(value) > max_length:
                problems.append(Problem(display, line, name, f"has {len(value)} characters, at most {max_length} allowed (keep cells short; research logs are not data)"))
    key = schema.get("primaryKey")
    if key:
        key = [key] if isinstance(key, str) else key
        seen: dict[tuple, int] = {}
        kept_rows, kept_lines = [], []
        for line, row in table.records():
            k = tuple(row[c] for c in key)
            if k in seen:
                problems.append(
                    Problem(display, line, "+".join(key), f"{', '.join(k)} repeats line {seen[k]} (the same entry twice)")
                )
                continue  # reported; the checks across tables see the first entry only
            seen[k] = line
            kept_rows.append(row)
            kept_lines.append(line)
        table.rows, table.lines = kept_rows, kept_lines


def read_tables(raw_dir: Path) -> tuple[dict[str, Table], dict, list[Problem]]:
    """Read every resource of the package and check it against its schema; return the tables that could
    be read (a file missing a column cannot) and every problem, so the caller can go on checking."""
    package = read_datapackage(raw_dir)
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for resource in package["resources"]:
        table = read_table(raw_dir, resource, problems)
        if table is not None:
            tables[resource["name"]] = table
    _check_foreign_keys(package, tables, problems)
    return tables, package, problems


def _check_foreign_keys(package: dict, tables: dict[str, Table], problems: list[Problem]) -> None:
    for resource in package["resources"]:
        table = tables.get(resource["name"])
        if table is None:
            continue  # unreadable: already reported
        display = _relative(table.path)
        for fk in resource["schema"].get("foreignKeys", []):
            target = tables.get(fk["reference"]["resource"])
            if target is None:
                continue
            allowed = {row[fk["reference"]["fields"]] for row in target.rows}
            for line, row in table.records():
                value = row[fk["fields"]]
                if value and value not in allowed:
                    problems.append(
                        Problem(
                            display,
                            line,
                            fk["fields"],
                            f"{value!r} is not a code in {_relative(target.path)}",
                        )
                    )


def _relative(path: Path) -> str:
    from dprk_relations.core.paths import relative

    return relative(path)
