"""The claims register (data/raw/claims.csv), checked at ingest: each row names a registered check and
gives it arguments it takes, of the types it is annotated with and of the kinds the registry says, an
expectation its comparison can read, and dates that can be. A row's JSON fields are parsed by one
function (parse_fields), once per row, for the validation here and for the evaluation (claims_verdicts)."""
from __future__ import annotations

import difflib
import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from dprk_relations.analysis.claims_checks import CHECKS
from dprk_relations.analysis.claims_registry import CLAIM, Check, day_problem, is_number, is_whole

# Rows that name no check function: a statement left unchecked, and one whose verdict combines others'.
SPECIAL_CHECKS = {"not_checkable", "consistent_with"}
COMPARISONS = {"eq", "ge", "le", "in_range", "approx", "all", "none", "not_checkable"}
# What a combining row takes: the claims it reads together.
COMBINED = Check("consistent_with", None, {"claims": CLAIM}, frozenset({"claims"}))


@dataclass(frozen=True)
class Fields:
    """A row's JSON fields, parsed: `arguments` a dict ({} when empty) or None when it is not a JSON object;
    `expected` and `tolerance` None when empty or not JSON; `problems` what did not parse, as (field, message)."""

    arguments: dict | None
    expected: object
    tolerance: object
    problems: list[tuple[str, str]] = field(default_factory=list)


def parse_fields(row: Mapping) -> Fields:
    problems: list[tuple[str, str]] = []
    arguments, parsed = _json(row["arguments"], "arguments", problems, empty={})
    expected, _ = _json(row["expected"], "expected", problems)
    tolerance, _ = _json(row["tolerance"], "tolerance", problems)
    if parsed and not isinstance(arguments, dict):
        problems.append(("arguments", f"must be a JSON object of argument names and values, got {row['arguments'][:60]!r}"))
        arguments = None
    return Fields(arguments, expected, tolerance, problems)


def _json(text: str, name: str, problems: list, empty=None) -> tuple[object, bool]:
    """A JSON field's value (`empty` for an empty cell) and whether it parsed; when not, the problem is noted."""
    if not text:
        return empty, True
    try:
        return json.loads(text), True
    except json.JSONDecodeError as exc:
        problems.append((name, f"is not valid JSON ({exc.msg} at character {exc.pos}): {text[:60]!r}"))
        return None, False


def register_problems(rows: list[Mapping], known: dict[str, set[str]], today: date | None = None) -> list[tuple[int, str, str]]:
    """Everything wrong with the register, as (index of the row, field, message): each row's problems
    (row_problems), then a combining row whose subject_until is before one of the statements it combines
    (it concerns facts up to the last day any of them concerns)."""
    today = today or date.today()
    parsed = [parse_fields(row) for row in rows]
    found = [(i, name, message) for i, (row, fields) in enumerate(zip(rows, parsed))
             for name, message in _row_problems(row, fields, known, today)]
    subject = {row["claim_id"]: row["subject_until"] for row in rows}
    for i, (row, fields) in enumerate(zip(rows, parsed)):
        parts = (fields.arguments or {}).get("claims") if row["check"] == COMBINED.name else None
        named = [subject[c] for c in parts if isinstance(c, str) and c in subject] if isinstance(parts, list) else []
        if named and row["subject_until"] < max(named):
            found.append((i, "subject_until", f"{row['subject_until']} is before {max(named)}, the subject_until of a "
                                              "statement it combines"))
    return found


def row_problems(row: Mapping, known: dict[str, set[str]], today: date | None = None) -> list[tuple[str, str]]:
    """Everything wrong with one row of claims.csv, as (field, message): an unknown check or comparison,
    arguments that are not JSON, that the check does not take or of the wrong type, a state code, kind or
    claim id that does not exist, a missing or ill-typed expectation, a date that cannot be, a subject_until
    earlier than what the statement names. `known` holds the values each vocabulary allows."""
    return _row_problems(row, parse_fields(row), known, today or date.today())


def _row_problems(row: Mapping, fields: Fields, known: dict[str, set[str]], today: date) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for name in ("claim_date", "subject_until"):
        message = day_problem(row[name], today) if row[name] else None  # empty: the schema says so
        if message:
            problems.append((name, message))
    if not problems and row["claim_date"] and row["subject_until"] and row["subject_until"] > row["claim_date"]:
        problems.append(("subject_until", f"{row['subject_until']} is after the claim's date {row['claim_date']}; "
                                          "a statement cannot concern facts after the day it speaks for"))
    check = row["check"]
    if check not in CHECKS and check not in SPECIAL_CHECKS:
        near = difflib.get_close_matches(check, sorted(CHECKS), n=1)
        problems.append(("check", f"{check!r} is not a check" + (f" (did you mean {near[0]!r}?)" if near else "")
                         + f"; known: {', '.join(sorted(set(CHECKS) | SPECIAL_CHECKS))}"))
    if row["comparison"] not in COMPARISONS:
        problems.append(("comparison", f"{row['comparison']!r} is not one of {', '.join(sorted(COMPARISONS))}"))
    problems += fields.problems
    problems += _expected_problems(row["comparison"], fields.expected, fields.tolerance)
    if fields.arguments is not None and check in CHECKS and row["subject_until"] and not any(
            f in ("claim_date", "subject_until") for f, _ in problems):
        floor = subject_floor(check, fields.arguments, fields.expected, row["claim_date"])
        if floor is not None and row["subject_until"] < floor:
            problems.append(("subject_until", f"{row['subject_until']} is before {floor}, the last day the statement's "
                                              "arguments and expected years name"))
    if check not in SPECIAL_CHECKS and row["comparison"] not in ("none", "not_checkable") and fields.expected is None:
        problems.append(("expected", f"is empty; comparison {row['comparison']!r} needs a value to compare with"))
    if row["comparison"] == "approx" and not row["tolerance"]:
        problems.append(("tolerance", "is empty; comparison 'approx' needs a tolerance"))
    # no other comparison reads a tolerance: it would be ignored (one that is not JSON is named above)
    if row["comparison"] != "approx" and row["tolerance"] and not any(f == "tolerance" for f, _ in problems):
        problems.append(("tolerance", f"is {row['tolerance'][:60]!r}, but only comparison 'approx' reads a tolerance; "
                                      f"comparison {row['comparison']!r} would ignore it (empty it, or compare 'approx')"))
    spec = COMBINED if check == COMBINED.name else CHECKS.get(check)
    if fields.arguments is None or spec is None:
        return problems
    return problems + _argument_problems(spec, fields.arguments, known, today)


def _argument_problems(spec: Check, arguments: dict, known: dict[str, set[str]], today: date) -> list[tuple[str, str]]:
    """Arguments of the wrong type, that the check does not take or that it needs, and values that are not of
    their argument's kind (claims_registry.Kind)."""
    problems = []
    typed = dict(arguments)
    for name, value in arguments.items():
        if name in spec.types and not _fits(value, spec.types[name]):
            problems.append(("arguments", f"{name}: {json.dumps(value)[:60]} is not of the type {spec.name} takes "
                                          f"({_type_name(spec.types[name])})"))
            del typed[name]  # not read letter by letter below
    taken = sorted(spec.kinds)
    for name in sorted(set(typed) - set(taken)):
        near = difflib.get_close_matches(name, taken, n=1)
        problems.append(("arguments", f"{spec.name} takes no argument {name!r}" + (f" (did you mean {near[0]!r}?)" if near else "")
                         + f"; it takes {', '.join(taken)}"))
    for name in sorted(spec.required - set(typed)):
        problems.append(("arguments", f"{spec.name} needs the argument {name!r}"))
    for name in sorted(spec.required & set(typed)):
        if typed[name] in ([], ""):  # a statement over nothing would be vacuously true
            problems.append(("arguments", f"{spec.name} needs at least one value in {name!r}"))
    for name, value in typed.items():
        if name in spec.kinds:
            problems += [("arguments", message) for message in spec.kinds[name].problems(name, value, known, today)]
    return problems


def _expected_problems(comparison: str, expected, tolerance) -> list[tuple[str, str]]:
    """The expected value and tolerance a comparison needs: a number for ge, le and approx, [low, high] for
    in_range, a year or [first, last] years for all."""
    if expected is None:
        return []
    if comparison in ("ge", "le", "approx") and not is_number(expected):
        return [("expected", f"comparison {comparison!r} needs a number, got {json.dumps(expected)[:60]}")]
    if comparison == "in_range" and not (isinstance(expected, list) and len(expected) == 2
                                         and all(map(is_number, expected)) and expected[0] <= expected[1]):
        return [("expected", f"comparison 'in_range' needs [low, high] with low <= high, got {json.dumps(expected)[:60]}")]
    if comparison == "all" and not (is_whole(expected) or isinstance(expected, list) and len(expected) == 2
                                    and all(map(is_whole, expected))):
        return [("expected", f"comparison 'all' needs a year or [first, last] years, got {json.dumps(expected)[:60]}")]
    if comparison == "approx" and tolerance is not None and not (is_number(tolerance) and tolerance >= 0):
        return [("tolerance", f"must be a number of 0 or more, got {json.dumps(tolerance)[:60]}")]
    return []


def subject_floor(check: str, arguments: dict, expected, claim_date: str) -> str | None:
    """The earliest subject_until a statement can have: the last day its arguments and expected years name
    (a day, 31 December of an end year, of a period, the year before `before_year`, of an expected year,
    as the kinds of the check's arguments say), at most its claim date; None when they name none (the
    register says what it concerns)."""
    spec = CHECKS[check]
    named = [spec.kinds[name].last_day(value) for name, value in arguments.items() if name in spec.kinds]
    if spec.years_valued and expected is not None:
        named += [f"{y:04d}-12-31" for y in (expected if isinstance(expected, list) else [expected]) if is_whole(y)]
    named = [day for day in named if day]
    return min(max(named), claim_date) if named else None


def _fits(value, hint) -> bool:
    """Whether a JSON value has the type a check's argument is annotated with (str, int, bool, list[...], X | None)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, h) for h in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is list:
        item = (typing.get_args(hint) or (object,))[0]
        return isinstance(value, list) and all(_fits(v, item) for v in value)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return is_whole(value)
    if hint is str:
        return isinstance(value, str)
    return True


def _type_name(hint) -> str:
    return getattr(hint, "__name__", None) if not hasattr(hint, "__args__") else str(hint).replace("typing.", "")
