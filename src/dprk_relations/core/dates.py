"""Dates known to a precision of a day, a month or a year (ISO 8601 reduced precision)."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PRECISIONS = ("day", "month", "year")
# The DPRK was proclaimed on 9 September 1948: no event in its relations can be earlier.
DPRK_FOUNDED = date(1948, 9, 9)
_FORMS = {
    "year": re.compile(r"^(\d{4})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "day": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
}


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known only to `precision`; `earliest` and `latest` bound the real day."""

    earliest: date
    latest: date
    text: str
    precision: str

    @property
    def year(self) -> int:
        return self.earliest.year


def parse_partial(text: str, precision: str) -> PartialDate:
    """Parse `text` written at `precision`; raise ValueError saying what was expected."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision {precision!r} is not one of {', '.join(PRECISIONS)}")
    match = _FORMS[precision].match(text)
    if not match:
        expected = {"year": "YYYY", "month": "YYYY-MM", "day": "YYYY-MM-DD"}[precision]
        raise ValueError(f"date {text!r} does not have the form {expected} that precision {precision!r} needs")
    parts = [int(g) for g in match.groups()]
    year = parts[0]
    if precision == "year":
        return PartialDate(date(year, 1, 1), date(year, 12, 31), text, precision)
    month = parts[1]
    if not 1 <= month <= 12:
        raise ValueError(f"date {text!r} has month {month:02d}, expected 01 to 12")
    last = calendar.monthrange(year, month)[1]
    if precision == "month":
        return PartialDate(date(year, month, 1), date(year, month, last), text, precision)
    day = parts[2]
    if not 1 <= day <= last:
        raise ValueError(f"date {text!r} has day {day:02d}, expected 01 to {last:02d}")
    d = date(year, month, day)
    return PartialDate(d, d, text, precision)


def parse_iso_day(text: str) -> date:
    """A full calendar date (the cut-off parameter)."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD") from None


def after_cut_off(last_day: date, as_of: date) -> bool:
    """The one rule for anything dated and the cut-off (README): what concerns days after the cut-off (its
    last day later than it) is not compared with the data, which stop there. A statement of claims.csv
    (its subject_until) and a published count (the last day of its period) are kept or set apart by it."""
    return last_day > as_of


def written(day: str, earliest: str, latest: str) -> str:
    """An event's date as the tables show it: its day, month or year as given, or its window's bounds
    (`earliest..latest`) when it has none."""
    return day or f"{earliest}..{latest}"
