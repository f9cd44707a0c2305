"""The catalogue of claim checks (claims_checks): every check of every family is registered, each argument
with the kind the register's validation reads."""
from __future__ import annotations

import ast

from dprk_relations.analysis.claims_checks import CHECKS
from dprk_relations.analysis.claims_validation import COMBINED
from dprk_relations.runner import keys

ANALYSIS = keys.PACKAGE_DIR / "analysis"


def _is_check(node) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check"


def registering_modules() -> set[str]:
    """The analysis modules that register a check: a module-level `check(kinds=...)(function)`."""
    found = set()
    for path in ANALYSIS.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and _is_check(node.value.func):
                found.add(f"dprk_relations.analysis.{path.stem}")
    return found


def test_no_check_of_the_package_is_registered_with_the_at_sign():
    """mutmut (make mutation) leaves every decorated function unmutated: a check written `@check(...)` would
    drop out of the mutation run without a word, so the package applies the decorator as a call after it."""
    decorated = [f"{path.name}:{node.name}" for path in sorted(keys.PACKAGE_DIR.rglob("*.py"))
                 for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(node, ast.FunctionDef) and any(_is_check(d) for d in node.decorator_list)]
    assert decorated == []
    assert len(registering_modules()) >= 5  # the four families and the race's checks


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

