"""The registry of claim checks: the `check` decorator, the kinds of argument a check declares, and
every registered check (CHECKS).

A check is a function of the context and its arguments, registered under its name with the kind of
each argument: what its values must be for the register's row to be accepted at ingest (a state code,
a kind of event, a day...) and what they say about the facts a statement concerns (the last day or
year they name). The register's validation (claims_validation) reads the kinds from here, never from
an argument's name.
"""
from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from dprk_relations.core.dates import DPRK_FOUNDED


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_whole(value) -> bool:
    """A whole number, not a bool (JSON's true is a Python int)."""
    return isinstance(value, int) and not isinstance(value, bool)


def listed(values) -> str:
    """Known values as a message names them: all of them up to twelve, else how many and the first five."""
    values = sorted(values)
    return ", ".join(values) if len(values) <= 12 else f"{len(values)} values, e.g. {', '.join(values[:5])}"


def day_problem(text, today: date) -> str | None:
    """What is wrong with a day of the register, or None: it must be a date from the DPRK's founding to today."""
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        return f"{text!r} is not a date YYYY-MM-DD"
    if not DPRK_FOUNDED <= day <= today:
        return f"{text} is not between the DPRK's founding ({DPRK_FOUNDED.isoformat()}) and today ({today.isoformat()})"
    return None


@dataclass(frozen=True)
class Kind:
    """What the values of a check's argument are.

    `vocabulary` names the list of known values each value (or each item of a list) must be in: the
    kind's own `values`, else the list ingest gives under that name (a list ingest does not give is not
    checked). `day`: each value is a date between the DPRK's founding and today; `filled`: the
    evaluation gives the day the claim is checked on when the row does not. `last_year` gives the year a
    value ends in, for the earliest subject_until a statement can have."""

    name: str
    vocabulary: str | None = None
    values: frozenset[str] = frozenset()
    day: bool = False
    filled: bool = False
    last_year: Callable[[object], object] | None = None

    def problems(self, argument: str, value, known: Mapping[str, set[str]], today: date) -> list[str]:
        values = value if isinstance(value, list) else [value]
        if self.day:
            return [f"{argument}: {message}" for message in (day_problem(v, today) for v in values) if message]
        allowed = self.values or known.get(self.vocabulary)
        if allowed is None:
            return []
        return [f"{argument}: {v!r} is not a known {self.vocabulary} ({listed(allowed)})" for v in values if v not in allowed]

    def last_day(self, value) -> str | None:
        """The last day a value names, or None."""
        if self.day:
            return value if isinstance(value, str) else None
        year = self.last_year(value) if self.last_year else None
        return f"{year:04d}-12-31" if is_whole(year) else None


@dataclass(frozen=True)
class Parts(Kind):
    """Lists of values of other kinds, one kind per position (`shape` says so in a message)."""

    parts: tuple[Kind, ...] = ()
    shape: str = ""

    def problems(self, argument: str, value, known: Mapping[str, set[str]], today: date) -> list[str]:
        found = []
        for item in value if isinstance(value, list) else [value]:
            if not (isinstance(item, list) and len(item) == len(self.parts)):
                found.append(f"each of {argument!r} must be {self.shape}, got {item!r}")
                continue
            for kind, part in zip(self.parts, item):
                found += kind.problems(argument, part, known, today)
        return found


def _last(period):
    return period[-1] if isinstance(period, list) and period else None


def _year_before(year):
    return year - 1 if is_whole(year) else None


# The kinds, with the name of the list ingest gives for each vocabulary (data.ingest._check_claims).
STATE = Kind("a state code", "state")
STATE_KIND = Kind("a kind of state", "kind of state")
EVENT = Kind("a kind of event", "event")
ACT = Kind("a kind of act", "act")
MISSION = Kind("a kind of mission", "mission")
DIRECTION = Kind("a direction of missions", "direction")
ACTOR = Kind("who acted", "actor")
CONTINENT = Kind("a continent", "continent")
GROUP = Kind("a group of states", "group")
ACRONYM = Kind("an organisation's acronym", "acronym")
CLAIM = Kind("a claim of the register", "claim")
COUNTED = Kind("what a count counts", "count", values=frozenset({"missions", "states"}))
# the race's four groups (analysis/race.py: GROUPS), named here so that the register is checked at ingest
RACE_GROUP = Kind("a group of the race of the two Koreas", "race group",
                  values=frozenset({"DPRK only", "ROK only", "both", "neither"}))
CHECKED_ON = Kind("the day the data are read at, the claim's when not given", day=True, filled=True)
DAY = Kind("a day", day=True)
FIRST_YEAR = Kind("the first year of a period")
LAST_YEAR = Kind("the last year of a period", last_year=lambda year: year)
BEFORE_YEAR = Kind("a year a period ends before", last_year=_year_before)
PERIOD = Kind("[first, last] years", last_year=_last)
VALUE = Kind("a value no list constrains (a flag, a city)")
MISSIONS = Parts("missions", parts=(STATE, VALUE, MISSION), shape="[state code, city, kind]")


@dataclass(frozen=True)
class Check:
    """A registered check: its function, the kind of each argument after the context, the arguments a row
    must give, each argument's annotation, and whether its value is a year (or years) per state."""

    name: str
    function: Callable | None
    kinds: Mapping[str, Kind]
    required: frozenset[str] = frozenset()
    types: Mapping[str, object] = field(default_factory=dict)
    years_valued: bool = False


CHECKS: dict[str, Check] = {}


def check(*, kinds: Mapping[str, Kind], years_valued: bool = False):
    """Register the decorated function as the claim check of its name. `kinds` gives every argument after
    the context its kind; an argument without one, or a kind for no argument, stops the import.

    The package's checks apply it as a call after the function, `check(kinds={...})(stock_at)`, not as
    `@check(...)`: mutmut (make mutation) leaves a decorated function unmutated, and the checks decide
    every verdict."""
    def register(function: Callable) -> Callable:
        name = function.__name__
        parameters = list(inspect.signature(function).parameters.values())[1:]  # the first is the context
        names = [p.name for p in parameters]
        without = [n for n in names if n not in kinds]
        unknown = [n for n in kinds if n not in names]
        if without or unknown:
            raise TypeError(f"check {name}: " + "; ".join(
                part for part in [f"no kind for {', '.join(without)}" if without else "",
                                  f"kinds for no argument: {', '.join(unknown)}" if unknown else ""] if part))
        if name in CHECKS:
            raise ValueError(f"a check named {name!r} is registered already")
        hints = typing.get_type_hints(function)
        required = frozenset(p.name for p in parameters if p.default is inspect.Parameter.empty and not kinds[p.name].filled)
        CHECKS[name] = Check(name, function, dict(kinds), required, {n: hints[n] for n in names if n in hints}, years_valued)
        return function
    return register
