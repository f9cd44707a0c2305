"""The verdicts: a check's value against the register's assertion (compare), the rule across the
sources' readings (across_readings), the cut-off's rule, and the evaluation of the whole register."""
from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

import pandas as pd

from dprk_relations.analysis.claims_checks import CHECKS
from dprk_relations.analysis.claims_context import Context, parse_day
from dprk_relations.analysis.claims_validation import parse_fields
from dprk_relations.core import catalogue, dates
from dprk_relations.rules.status import AFTER_CUT_OFF, CONTRADICTED, NOT_CHECKABLE, PARTLY, SUPPORTED, VERDICTS


def compare(value, comparison: str, expected, tolerance) -> str:
    """Turn a computed value and the report's assertion into a verdict."""
    if value is None:
        return NOT_CHECKABLE
    if comparison == "eq":
        if isinstance(value, list):
            return SUPPORTED if sorted(value) == sorted(expected) else CONTRADICTED
        return SUPPORTED if value == expected else CONTRADICTED
    if comparison == "ge":
        return SUPPORTED if value >= expected else CONTRADICTED
    if comparison == "le":
        return SUPPORTED if value <= expected else CONTRADICTED
    if comparison == "in_range":
        lo, hi = expected
        return SUPPORTED if lo <= value <= hi else CONTRADICTED
    if comparison == "approx":
        gap = abs(value - expected)
        if gap <= tolerance:
            return SUPPORTED
        return PARTLY if gap <= 2 * tolerance else CONTRADICTED
    if comparison == "all":
        # value: {state: year or None}; expected: one year, or [first, last] years
        lo, hi = (expected, expected) if isinstance(expected, int) else expected
        known = {k: v for k, v in value.items() if v is not None}
        if not known:
            return NOT_CHECKABLE
        hits = sum(lo <= v <= hi for v in known.values())
        if hits == len(value):
            return SUPPORTED
        return PARTLY if hits else CONTRADICTED
    if comparison == "none":
        return SUPPORTED if not value else CONTRADICTED
    raise ValueError(f"unknown comparison {comparison!r}")


def is_after_cut_off(subject_until: str, as_of: date) -> bool:
    """A statement whose facts reach past the cut-off (subject_until later than it, dates.after_cut_off)
    is not checked; its verdict is AFTER_CUT_OFF."""
    return dates.after_cut_off(parse_day(subject_until), as_of)


def checked_on(claim_date: str, as_of: date) -> str:
    """The day a statement is checked at: the date it speaks for, or the cut-off when that is earlier
    (the data as they stood on the cut-off)."""
    return min(parse_day(claim_date), as_of).isoformat()


def evaluate(claims: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Evaluate every claim; consistency rows (check 'consistent_with') come after the rest."""
    results: dict[str, dict] = {}
    rows = claims.to_dict("records")
    for row in sorted(rows, key=lambda r: r["check"] == "consistent_with"):
        results[row["claim_id"]] = _evaluate_one(row, ctx, results)
    columns = list(catalogue.columns("claims_checked"))  # an empty register (a focal state without one) too
    return pd.DataFrame([results[c] for c in claims["claim_id"]], columns=columns)


def _evaluate_one(row: Mapping, ctx: Context, done: dict[str, dict]) -> dict:
    base = {name: row[name] for name in ("claim_id", "document", "section", "quote", "check", "claim_date",
                                         "subject_until", "expected")}
    fields = parse_fields(row)
    if fields.problems:  # ingest refuses such a row; a register built by hand may still hold one
        raise ValueError(f"claims.csv, claim {row['claim_id']}: " + "; ".join(f"{f} {m}" for f, m in fields.problems))
    args = dict(fields.arguments)
    if row["check"] == "not_checkable":
        return {**base, "value": "", "verdict": NOT_CHECKABLE, "detail": row["note"], "evidence": ""}
    if is_after_cut_off(row["subject_until"], ctx.as_of):
        return {**base, "value": "", "verdict": AFTER_CUT_OFF,
                "detail": f"the statement concerns facts up to {row['subject_until']}, after this run's cut-off {ctx.as_of.isoformat()}",
                "evidence": ""}
    if row["check"] == "consistent_with":
        others = [done[c]["verdict"] for c in args["claims"]]
        verdict = SUPPORTED if others and all(v == SUPPORTED for v in others) else (
            CONTRADICTED if any(v == CONTRADICTED for v in others) else PARTLY if others else NOT_CHECKABLE)
        detail = "; ".join(f"{c}: {v}" for c, v in zip(args["claims"], others))
        return {**base, "value": json.dumps(others), "verdict": verdict, "detail": (detail + ". " + row["note"]).strip(), "evidence": ""}
    check = CHECKS.get(row["check"])
    if check is None:
        raise ValueError(f"claims.csv, claim {row['claim_id']}: unknown check {row['check']!r}; known: {', '.join(sorted(CHECKS))}")
    for name, kind in check.kinds.items():
        if kind.filled:
            args.setdefault(name, checked_on(row["claim_date"], ctx.as_of))
    result = check.function(ctx, **args)
    expected, tolerance = fields.expected, fields.tolerance
    verdict = compare(result.value, row["comparison"], expected, tolerance)
    reading = ""
    if verdict != SUPPORTED and result.alternative is not None and \
            compare(result.alternative, row["comparison"], expected, tolerance) == SUPPORTED:
        verdict = PARTLY
        reading = f"supported only under the alternative dates other sources give: {result.alternative_reading}"
    if result.low is not None and result.high is not None:
        verdict, said = across_readings(verdict, result.low, result.high, row["comparison"], expected, tolerance)
        reading = "; ".join(x for x in [reading, said] if x)
    detail = "; ".join(x for x in [result.detail, reading, row["note"]] if x)
    return {**base, "value": json.dumps(result.value, sort_keys=True, default=str), "verdict": verdict,
            "detail": detail, "evidence": " | ".join(result.evidence)}


def across_readings(verdict: str, low, high, comparison: str, expected, tolerance) -> tuple[str, str]:
    """The one rule for a count or a period under the sources' readings (issue 18): supported or
    contradicted only when every reading agrees; otherwise partly supported, naming the range. Every
    reading's value lies between `low` and `high`, and the verdict changes only at the bounds of what the
    comparison admits, so those points and the ends of the range are all a reading can give."""
    if low == high:
        return verdict, ""
    if comparison in ("ge", "le"):
        bounds = [expected]
    elif comparison == "in_range":
        bounds = list(expected)
    elif comparison == "approx":
        bounds = [expected + side * k * tolerance for side in (-1, 1) for k in (1, 2)]
    else:
        bounds = []
    points = [low, high] + [b for b in bounds if low <= b <= high]
    found = {compare(p, comparison, expected, tolerance) for p in points} | {verdict}
    said = f"the sources' readings give {low} to {high}"
    if len(found) == 1:
        return verdict, f"{said}, {verdict} under every one"
    return PARTLY, f"{said}: {compare(low, comparison, expected, tolerance)} at {low}, {compare(high, comparison, expected, tolerance)} at {high}"


def verdict_counts(evaluated: pd.DataFrame) -> pd.DataFrame:
    counts = evaluated["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
    return counts.rename_axis("verdict").reset_index(name="claims")
