"""Write outputs so that a failed or killed run never leaves a half-written file, and the same
inputs always give the same bytes."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from pathlib import Path

from dprk_relations.core.faults import FAULTS, OutputFault, fault  # noqa: F401 (the runner names faults through here)
from dprk_relations.core.stage import read_path, write_path


def sha256_file(path: Path) -> str | None:
    """Hex SHA-256 of a file's bytes, read in blocks (during a run, the copy it has staged); None when
    the file does not exist."""
    path = read_path(path)
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection); such text cells
# are written with a leading apostrophe, which spreadsheets show as text and store.read_table removes.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def starts_like_formula(value) -> bool:
    """Whether a cell is text that starts as a spreadsheet formula would (a negative number too: defuse decides)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def defuse(value):
    """A text cell that a spreadsheet would run as a formula, marked as text; numbers and other values unchanged."""
    if not starts_like_formula(value):
        return value
    try:
        float(value)
        return value  # a negative number is a number
    except ValueError:
        return TEXT_MARK + value


def restore(value: str) -> str:
    """The text `defuse` marked, as it was."""
    if value.startswith(TEXT_MARK) and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _first_character_in(values, characters: tuple[str, ...]):
    """Positions of the cells whose first character (of their text, for a value that is not text) is one of
    `characters`: one array operation over a column, so that only the few found are judged cell by cell."""
    import numpy as np

    try:
        firsts = values.astype("U1")
    except (TypeError, ValueError):  # a cell holding a sequence (a list, a tuple), which numpy will not read as text
        firsts = np.array([str(v)[:1] for v in values], dtype="U1")
    return np.flatnonzero(np.isin(firsts, np.array(characters)))


def restore_all(frame):
    """A table read from text `csv_bytes` wrote (every cell a string), with each cell `defuse` marked as it
    was; changed in place and returned."""
    for j in range(frame.shape[1]):
        values = frame.iloc[:, j].to_numpy()
        marked = _first_character_in(values, (TEXT_MARK,))
        if len(marked):
            frame.iloc[marked, j] = [restore(v) for v in values[marked]]
    return frame


def csv_bytes(frame) -> bytes:
    """A table as CSV bytes, with fixed line endings and float format, so a diff shows a real change;
    text cells that a spreadsheet would run as formulas are marked as text."""
    import numpy as np  # here, not at the top: the runner imports this module on a no-op run too

    frame = frame.copy()
    for column in frame.columns[frame.dtypes == object]:
        values = frame[column].to_numpy()
        candidates = _first_character_in(values, FORMULA_STARTS)  # few: then each judged as a cell
        suspect = candidates[np.array([starts_like_formula(v) for v in values[candidates]], dtype=bool)]
        if len(suspect):
            frame.iloc[suspect, frame.columns.get_loc(column)] = [defuse(v) for v in values[suspect]]
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.4f", date_format="%Y-%m-%d")
    return buffer.getvalue().encode("utf-8")


# A processed cell can be long (a claim's evidence lists every state behind a count: at 1,000 times the
# data, megabytes); the csv module's default limit (128 KiB) would refuse it. Python's own maximum.
CSV_FIELD_LIMIT = 2**31 - 1


def csv_rows(text: str) -> list[dict]:
    """The rows of a CSV text this package wrote, as dicts of strings (plain csv: no pandas)."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    return list(csv.DictReader(io.StringIO(text, newline="")))


def current_umask() -> int:
    """The process's umask, read without changing it (os.umask sets it, which races with threads)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes, stage: bool = True) -> None:
    """Write `data` to `path` through a temporary file in the same folder and an atomic rename; during a
    run, to the run's stage (core/stage.py), published with the other outputs when the run succeeds.

    The file gets the mode an ordinary write would give (0666 less the umask), not mkstemp's 0600:
    the report is published by a web server running as another user. A full disk or a folder that
    cannot be written raises OutputFault, naming the folder and the cause."""
    target = write_path(path) if stage else path
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        named = fault(exc, path.parent)
        if named is not None:
            raise named from None
        raise
    except BaseException:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise


def save_all(outputs: dict) -> list[Path]:
    """Render every output first, then move each into place: a failure while rendering writes nothing."""
    rendered = {Path(p): (v if isinstance(v, bytes) else csv_bytes(v)) for p, v in outputs.items()}
    for path, data in sorted(rendered.items()):
        atomic_write(path, data)
    return sorted(rendered)
