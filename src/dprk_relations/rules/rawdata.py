"""Read one raw table and check it against its schema (`rules/package.py` reads the package's descriptor and
every table it lists, then the foreign keys between them).

The schemas are Frictionless Table Schemas; this module implements the part of the standard the
project uses (field names and order, `required`, `enum`, `pattern`, `integer`, `unique` keys),
because every problem must be reported with its file, line and field, and all of them at once.
"""
from __future__ import annotations

import csv
import gc
import io
import itertools
import re
from pathlib import Path

import numpy as np

from dprk_relations.core.outputs import CSV_FIELD_LIMIT
from dprk_relations.core.paths import relative
from dprk_relations.rules.constraints import check_fields
from dprk_relations.rules.problems import Problem, Table

UTF8_BOM = b"\xef\xbb\xbf"
# The longest cell accepted (the csv module's own default limit): a cell this long is a research log,
# not data. Checked here, per field, so the problem names its field; the csv module reads any length.
MAX_FIELD_CHARS = 131_072
# The field types this reader checks (Table Schema's others would pass unchecked: refused instead).
KNOWN_TYPES = ("string", "integer")
# Characters no cell of ours holds: control characters other than a tab or a line break (a quoted cell may
# hold several lines), and the bidirectional overrides and isolates that make text read differently from its bytes.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
    if not data or data.isspace():  # as `not data.strip()`, without a copy of the file
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
    display = f"{relative(path.parent)}/{path.name}"  # the name as listed, not where a link leads
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
    csv.field_size_limit(CSV_FIELD_LIMIT)
    # a cell holds a forbidden character, or more than the limit, only if the whole text does
    forbidden, long_text = FORBIDDEN_CHARS.search(text) is not None, len(text) > MAX_FIELD_CHARS
    text_lines = _lines(text, forbidden)
    del text  # the lines hold it now: at a million rows every copy counts
    # strict: a quote left open would otherwise swallow the rest of the file into one cell, silently
    reader = csv.reader(text_lines, strict=True)
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
    first = reader.line_num
    values, lines, stop = _read_rows(reader, display)
    long = _long_rows(text_lines, first, lines) if long_text else np.zeros(len(lines), dtype=bool)
    del reader, text_lines
    table = _columns(Table(resource["name"], path, expected), header, values, lines, (forbidden, long), display, problems)
    if stop is not None:
        problems.append(stop)
    if not table.lines:
        problems.append(Problem(display, 0, "", "file has a header but no rows"))
    check_fields(table, schema, display, problems)
    return table


def _read_rows(reader, display: str) -> tuple[list[list[str]], list[int], Problem | None]:
    """The reader's rows and the line each ends on; a row the csv module cannot read (a quote left open,
    text after a closing quote) ends the reading, and the problem naming its line is returned.

    The cyclic garbage collector is paused meanwhile: the rows hold no cycles, and its passes over a
    million of them (each a list it tracks) would cost more than the reading itself."""
    rows: list[list[str]] = []
    lines: list[int] = []
    collecting = gc.isenabled()
    gc.disable()
    try:
        for values in reader:
            rows.append(values)
            lines.append(reader.line_num)
    except csv.Error as exc:
        return rows, lines, Problem(display, reader.line_num, "", f"cannot be read as CSV: {exc}")
    finally:
        if collecting:
            gc.enable()
    return rows, lines, None


def _lines(text: str, forbidden: bool):
    """The text's lines with their endings, as a file opened with newline='' gives them: split at
    "\\n", "\\r\\n" and "\\r". str.splitlines does the same, faster, unless the text holds one of the
    other characters it also splits at (all of them forbidden in a cell but two)."""
    if forbidden or "\u2028" in text or "\u2029" in text:
        return io.StringIO(text, newline="")
    return text.splitlines(keepends=True)


def _long_rows(text_lines, header_end: int, lines: list[int]) -> np.ndarray:
    """Which rows span more characters than a cell may hold (a cell is no longer than the lines of its
    row): all of them when the text was not split into lines."""
    if not isinstance(text_lines, list):
        return np.ones(len(lines), dtype=bool)
    ends = np.concatenate([[0], np.cumsum(np.fromiter(map(len, text_lines), dtype=np.int64, count=len(text_lines)))])
    bounds = np.asarray([header_end, *lines], dtype=np.int64)
    return ends[bounds[1:]] - ends[bounds[:-1]] > MAX_FIELD_CHARS


def _columns(table: Table, header: list[str], rows: list[list[str]], lines: list[int], suspect: tuple[bool, np.ndarray],
             display: str, problems: list[Problem]) -> Table:
    """Fill `table` with the stripped values of the rows that hold a value, one array per field. Rows of
    the wrong length, and where `suspect` says they may be (the text holds a forbidden character, a row
    is long enough), cells holding a forbidden character and cells over the length limit, are reported
    in the order of the file (line, then field)."""
    found: list[tuple[int, int, Problem]] = []
    width = len(header)
    sizes = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    for i in np.flatnonzero(sizes != width):
        if any(v.strip() for v in rows[i]):
            found.append((i, -1, Problem(display, lines[i], "", f"has {len(rows[i])} values, the header has {width} columns")))
    fitting = np.flatnonzero(sizes == width)
    n = len(fitting)
    fit = rows if n == len(rows) else [rows[i] for i in fitting]

    def cells(get=None) -> np.ndarray:
        """The rows that fit as a table of cells (row, column), each cell through `get`."""
        values = itertools.chain.from_iterable(fit)
        return np.fromiter(values if get is None else map(get, values), dtype=object, count=n * width).reshape(n, width)

    stripped = cells(str.strip)
    # a row is kept when any of its cells holds a value: most rows are settled by their first cell
    filled = np.zeros(n, dtype=bool)
    for j in range(width):
        open_ = np.flatnonzero(~filled)
        if not len(open_):
            break
        filled[open_] = stripped[open_, j] != ""
    position = {name: header.index(name) for name in table.fields}
    table.columns = {name: stripped[filled, position[name]] for name in table.fields}
    kept = fitting[filled]
    forbidden, long = suspect
    long = long[kept]
    unstripped = cells() if forbidden or long.any() else None
    for j, name in enumerate(table.fields if unstripped is not None else []):
        raw = unstripped[filled, position[name]]
        # only the cells of a column that holds a forbidden character, or of a long row, are read one by one
        bad_chars = forbidden and FORBIDDEN_CHARS.search("\n".join(raw)) is not None
        for k in range(len(raw)) if bad_chars else np.flatnonzero(long):
            value = raw[k]
            bad = FORBIDDEN_CHARS.search(value) if bad_chars else None
            if bad:
                found.append((kept[k], 2 * j, Problem(display, lines[kept[k]], name, f"contains the control character "
                             f"U+{ord(bad.group()):04X} at position {bad.start() + 1}; text cells hold printable text "
                             "(a tab and line breaks allowed)")))
            if len(value) > MAX_FIELD_CHARS:
                found.append((kept[k], 2 * j + 1, Problem(display, lines[kept[k]], name, f"has {len(value):,} characters, "
                             f"more than the {MAX_FIELD_CHARS:,} a cell may hold (keep cells short)")))
                table.columns[name][k] = value[:MAX_FIELD_CHARS].strip()
    problems.extend(p for _, _, p in sorted(found, key=lambda f: f[:2]))
    table.lines = np.asarray(lines, dtype=np.int64)[kept].tolist()
    return table


def _closest(name: str, candidates: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return found[0] if found else None
