"""The catalogue of claim checks (claims_checks): every check of every family is registered, each argument
with the kind the register's validation reads."""
from __future__ import annotations

import ast

from dprk_relations.analysis.claims_checks import CHECKS
from dprk_relations.analysis.claims_validation import COMBINED
from dprk_relations.runner import keys

ANALYSIS = keys.PACKAGE_DIR / "analysis"


def registering_modules() -> set[str]:
    """The analysis modules with a function decorated by @check(...)."""
    found = set()
    for path in ANALYSIS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", None) == "check" for d in node.decorator_list):
                found.add(f"dprk_relations.analysis.{path.stem}")
    return found


def test_every_module_that_registers_checks_is_imported_by_the_catalogue():
    families = registering_modules()
    assert {"dprk_relations.analysis.claims_stock", "dprk_relations.analysis.claims_missions"} <= families
    closure = keys.module_closure([(ANALYSIS / "claims_checks.py").read_text(encoding="utf-8")])
    assert {f"dprk_relations.{m}" for m in closure} >= families
    assert {c.function.__module__ for c in CHECKS.values()} == families


def vocabulary(check: str, argument: str) -> str | None:
    spec = COMBINED if check == COMBINED.name else CHECKS[check]
    return spec.kinds[argument].vocabulary


def test_each_argument_has_its_vocabulary_from_its_check_s_kinds():
    assert vocabulary("event_year", "states") == "state"
    assert vocabulary("duration_years", "state") == "state"
    assert [vocabulary(c, a) for c, a in [("count_events", "kind"), ("duration_years", "from_kind"),
                                          ("duration_years", "to_kind")]] == ["event"] * 3
    assert vocabulary("act_year", "kind") == "act"
    assert vocabulary("missions_count", "kinds") == "mission"
    assert vocabulary("states_with_acts", "kinds") == "act"
    assert [vocabulary(c, a) for c, a in [("missions_count", "direction"), ("acts_missing", "actor"), ("first_among", "continent"),
                                          ("states_without_relations", "group"), ("membership_year", "acronym"),
                                          ("consistent_with", "claims")]] == \
        ["direction", "actor", "continent", "group", "acronym", "claim"]
    assert vocabulary("count_events", "start_year") is None


def test_arguments_an_argument_name_did_not_reveal_have_a_kind_too():
    """The validator once knew vocabularies by argument name: these three went unchecked."""
    assert vocabulary("events_before_outside", "exclude") == "state"
    assert vocabulary("ever_established_at", "exclude_kinds") == "kind of state"
    assert vocabulary("missions_count", "count") == "count"

