"""The claims facade (analysis/claims.py): what the notebooks and ingest use of the claims' parts. Each name
it exposes is the part's own object; importing it alone registers every check of every family; and a small
register, validated and evaluated through it on the fixture of tests/conftest.py, gets its verdicts."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pandas as pd

from dprk_relations.analysis import (
    claims,
    claims_acts,
    claims_checks,
    claims_context,
    claims_events,
    claims_missions,
    claims_race,
    claims_registry,
    claims_stock,
    claims_validation,
    claims_verdicts,
)
from dprk_relations.core import paths
from dprk_relations.rules import status
from dprk_relations.rules.relations import build_spells

EXPOSED = {
    claims_checks: ["CHECKS"],
    claims_context: ["Context", "Result"],
    claims_validation: ["COMPARISONS", "SPECIAL_CHECKS", "register_problems", "row_problems"],
    claims_verdicts: ["across_readings", "checked_on", "compare", "evaluate", "is_after_cut_off", "verdict_counts"],
    status: ["AFTER_CUT_OFF", "CONTRADICTED", "NOT_CHECKABLE", "PARTLY", "SUPPORTED", "VERDICTS"],
}
FAMILIES = (claims_acts, claims_events, claims_missions, claims_race, claims_stock)


def test_each_name_the_facade_exposes_is_its_part_s_own_object():
    assert sorted(claims.__all__) == sorted(n for names in EXPOSED.values() for n in names)
    for module, names in EXPOSED.items():
        for name in names:
            assert getattr(claims, name) is getattr(module, name), f"claims.{name} is not {module.__name__}.{name}"
    assert claims.CHECKS is claims_registry.CHECKS  # one registry: a check registered anywhere is seen here


def test_every_registered_check_is_reachable_through_the_facade_as_its_family_s_function():
    assert {c.function.__module__ for c in claims.CHECKS.values()} == {m.__name__ for m in FAMILIES}
    for name, check in claims.CHECKS.items():
        family = sys.modules[check.function.__module__]
        assert check.name == name and getattr(family, name) is check.function
    assert {"stock_at", "event_year", "other_korea_stock_at", "race_group_at"} <= set(claims.CHECKS)


def test_importing_the_facade_alone_registers_every_check():
    """A notebook imports `claims` only: the families register their checks through claims_checks."""
    code = ("import json, sys\nfrom dprk_relations.analysis import claims\n"
            "print(json.dumps([sorted(claims.CHECKS), sorted(m for m in sys.modules if m.startswith('dprk_relations.analysis.claims_'))]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, check=True)
    checks, modules = json.loads(done.stdout)
    assert checks == sorted(claims.CHECKS)
    assert {m.__name__ for m in FAMILIES} <= set(modules)


AS_OF = date(2023, 10, 1)


def claim(claim_id: str, check: str, arguments: dict, comparison: str, expected, **kw) -> dict:
    row = dict(claim_id=claim_id, document="d", section="s", quote="q", check=check, arguments=json.dumps(arguments),
               comparison=comparison, expected="" if expected is None else json.dumps(expected), tolerance="",
               claim_date="2023-10-01", subject_until="2023-10-01", note="")
    return {**row, **kw}


REGISTER = [
    # the fixture (tests/conftest.py): SUHH, CSHH and Cuba in force at the end of 1975 (Chile broke in 1973,
    # Australia suspended in October 1975), 4 if the suspension is read as in force: 3 is only partly supported,
    # "3 to 4" under every reading; on the cut-off 6 (Cuba, Chile, Australia, Russia, Czechia, Slovakia)
    claim("end_1975", "stock_at", {"day": "1975-12-31"}, "eq", 3, subject_until="1975-12-31"),
    claim("range_1975", "stock_at", {"day": "1975-12-31"}, "in_range", [3, 4], subject_until="1975-12-31"),
    claim("today", "stock_at", {}, "eq", 5),
    claim("cuba", "event_year", {"states": ["CUB"], "kind": "established"}, "all", 1960, subject_until="1960-12-31"),
    claim("both", "consistent_with", {"claims": ["range_1975", "cuba"]}, "all", None),
    claim("later", "stock_at", {}, "eq", 6, claim_date="2024-01-01", subject_until="2024-01-01"),
    claim("vague", "not_checkable", {}, "not_checkable", None, note="no date given"),
]


def test_a_small_register_is_evaluated_through_the_facade(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, AS_OF)
    ctx = claims.Context.from_dataset(dataset, spells, AS_OF)
    checked = claims.evaluate(pd.DataFrame(REGISTER), ctx).set_index("claim_id")
    assert checked["verdict"].to_dict() == {"end_1975": claims.PARTLY, "range_1975": claims.SUPPORTED,
                                            "today": claims.CONTRADICTED, "cuba": claims.SUPPORTED,
                                            "both": claims.SUPPORTED, "later": claims.AFTER_CUT_OFF,
                                            "vague": claims.NOT_CHECKABLE}
    assert checked.loc["end_1975", "value"] == "3" and checked.loc["today", "value"] == "6"
    assert checked.loc["end_1975", "detail"].endswith("the sources' readings give 3 to 4: supported at 3, contradicted at 4")
    assert checked.loc["both", "detail"] == "range_1975: supported; cuba: supported."
    assert checked.loc["cuba", "value"] == '{"CUB": 1960}'
    assert checked.loc["vague", "detail"] == "no date given"
    counts = claims.verdict_counts(checked.reset_index())
    assert list(counts["verdict"]) == list(claims.VERDICTS)
    assert dict(zip(counts["verdict"], counts["claims"])) == {
        claims.SUPPORTED: 3, claims.PARTLY: 1, claims.CONTRADICTED: 1, claims.NOT_CHECKABLE: 1, claims.AFTER_CUT_OFF: 1}


def test_the_facade_names_what_is_wrong_with_a_register_row_by_row():
    rows = [claim("ok", "stock_at", {}, "eq", 6),
            claim("typo", "stok_at", {}, "eq", 6),
            claim("unknown_state", "event_year", {"states": ["CUB", "XXX"], "kind": "established"}, "all", 1960,
                  subject_until="1960-12-31")]
    known = {"state": {"CUB", "CHL"}, "event": {"established", "severed"}}
    found = claims.register_problems(rows, known, today=date(2024, 1, 1))
    assert [(i, field) for i, field, _ in found] == [(1, "check"), (2, "arguments")]
    assert found[0][2].startswith("'stok_at' is not a check (did you mean 'stock_at'?); known: ")
    assert "states: 'XXX' is not a known state (CHL, CUB)" in found[1][2]
    assert claims.row_problems(rows[0], known, today=date(2024, 1, 1)) == []
