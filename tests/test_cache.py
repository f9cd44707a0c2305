"""The step cache: a step is skipped only when nothing it depends on changed."""
from __future__ import annotations

import pytest

from dprk_relations.core import paths
from dprk_relations.runner import keys, pipeline
from dprk_relations.core.params import check, declared

STEP = {s.name: s for s in pipeline.STEPS}


def test_the_code_a_step_depends_on_includes_indirect_imports_and_the_runner():
    closure = keys.module_closure(keys.notebook_code(paths.NOTEBOOKS / "05-claims.ipynb"))
    # 05 imports claims and store; claims imports missions, relations, waves, counts
    assert {"analysis.claims", "rules.missions", "rules.relations", "analysis.waves", "analysis.counts"} <= set(closure)


CLAIMS_MODULES = sorted(m for m in keys.package_modules() if m.split(".")[1].startswith("claims"))


def copy_of_the_package(tmp_path, monkeypatch):
    """A copy of the package the pipeline reads its code from instead: a test edits the copy, never a tracked file."""
    package = tmp_path / "pkg"
    package.mkdir()
    for module in keys.PACKAGE_DIR.rglob("*.py"):
        copy = package / module.relative_to(keys.PACKAGE_DIR)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(module.read_bytes())
    monkeypatch.setattr(keys, "PACKAGE_DIR", package)
    return package


def test_the_claims_step_depends_on_every_module_of_the_claims():
    # the register's validation, the verdicts and each family of checks are modules of their own (issue 19)
    assert {"analysis.claims", "analysis.claims_registry", "analysis.claims_validation", "analysis.claims_verdicts",
            "analysis.claims_stock"} <= set(CLAIMS_MODULES)
    closure = keys.module_closure(keys.notebook_code(paths.NOTEBOOKS / "05-claims.ipynb"))
    assert set(CLAIMS_MODULES) <= set(closure)


@pytest.mark.parametrize("module", CLAIMS_MODULES)
def test_an_edit_to_any_module_of_the_claims_changes_the_key_of_the_claims_step_and_of_ingest(module, tmp_path, monkeypatch):
    step, params = STEP["05-claims"], check("05-claims", {})
    before = {name: keys.step_code(STEP[name]) for name in ("05-claims", "01-ingest")}
    key = keys.step_key(step, params, {}, before["05-claims"], {})
    path = keys.module_path(module).relative_to(keys.PACKAGE_DIR)
    edited = copy_of_the_package(tmp_path, monkeypatch) / path
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    after = keys.step_code(step)
    assert after != before["05-claims"]
    assert keys.step_key(step, params, {}, after, {}) != key
    assert keys.step_code(STEP["01-ingest"]) != before["01-ingest"]  # ingest checks the register with them


def test_changing_an_indirectly_imported_module_changes_the_step_s_code_hash(tmp_path, monkeypatch):
    before = keys.step_code(STEP["05-claims"])
    missions = copy_of_the_package(tmp_path, monkeypatch) / "rules" / "missions.py"
    missions.write_text(missions.read_text() + "\n# an edit\n")
    assert keys.step_code(STEP["05-claims"]) != before
    assert keys.step_code(STEP["01-ingest"]) != keys.step_code(STEP["05-claims"])


def test_every_parameter_a_step_takes_is_in_its_key():
    step = STEP["03-waves"]
    base = check(step.name, {})
    key = keys.step_key(step, base, {}, "code", {})
    for name, default in declared(step.name).items():
        if name in ("processed_dir", "reports_dir", "raw_dir"):
            continue
        other = {"as_of": "2016-08-01"}.get(name, default + 1 if isinstance(default, int) else default)
        changed = check(step.name, {name: other})
        assert keys.step_key(step, changed, {}, "code", {}) != key, name


def test_inputs_versions_and_python_are_in_the_key():
    step = STEP["02-yearly-counts"]
    p = check(step.name, {})
    key = keys.step_key(step, p, {"a.csv": "1"}, "code", {"pandas": "2"})
    assert keys.step_key(step, p, {"a.csv": "2"}, "code", {"pandas": "2"}) != key
    assert keys.step_key(step, p, {"a.csv": "1"}, "code", {"pandas": "3"}) != key
    assert keys.step_key(step, p, {"a.csv": "1"}, "other code", {"pandas": "2"}) != key
