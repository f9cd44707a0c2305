"""The package's layers (dprk_relations.LAYERS, one sub-package each): each module imports only from its
own layer or the layers before it, always absolutely, and no import cycle exists, counting the imports
made inside functions; and tests/ mirrors the package, a folder per layer and a test file per module."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dprk_relations
from dprk_relations.runner import keys

MODULES = keys.package_modules()
RANK = {layer: i for i, layer in enumerate(dprk_relations.LAYERS)}


def layer_of(module: str) -> str:
    return module.split(".")[0]


def imports_of(module: str) -> set[str]:
    return keys.imports_in(keys.module_path(module).read_text(encoding="utf-8")) - {module}


def test_every_module_sits_in_a_layer():
    assert MODULES, "no module found"
    assert {layer_of(m) for m in MODULES} == set(dprk_relations.LAYERS)
    assert all(m.count(".") == 1 for m in MODULES), [m for m in MODULES if m.count(".") != 1]


@pytest.mark.parametrize("module", MODULES)
def test_a_module_imports_only_from_its_layer_or_below(module):
    above = {m for m in imports_of(module) if RANK[layer_of(m)] > RANK[layer_of(module)]}
    assert not above, f"{module} imports from a later layer: {sorted(above)}"


@pytest.mark.parametrize("module", MODULES)
def test_a_module_imports_the_package_absolutely(module):
    """Relative imports would hide the layer a name comes from (and the step cache follows absolute ones)."""
    tree = ast.parse(keys.module_path(module).read_text(encoding="utf-8"))
    relative = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level > 0]
    assert not relative, f"{module}: relative imports on lines {relative}"


def test_no_import_cycle():
    graph = {m: imports_of(m) for m in MODULES}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        if state.get(m) == 1:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(m):] + [m]))
        if state.get(m) == 2:
            return
        state[m] = 1
        for n in sorted(graph[m]):
            visit(n, path + [m])
        state[m] = 2

    for m in MODULES:
        visit(m, [])


def test_the_checks_see_imports_inside_functions():
    # pipeline imports report only inside functions; the layer test must still see it
    assert "report.site" in imports_of("runner.pipeline")
    tree = ast.parse(keys.module_path("runner.pipeline").read_text(encoding="utf-8"))
    top_level = {(n.module, a.name) for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert not {m for m, name in top_level if m == "dprk_relations.report.site" or (m, name) == ("dprk_relations.report", "site")}


def test_the_checks_would_see_an_import_against_the_layering():
    source = "def f():\n    from dprk_relations.report import site as report\n    from dprk_relations.core.paths import ROOT\n"
    assert keys.imports_in(source) == {"report.site", "core.paths"}


TESTS = Path(__file__).resolve().parents[1]
COMMITTED = "artefacts"  # tests of what is committed rather than of code


def test_every_module_has_a_test_file_of_its_name_and_every_test_file_names_a_module_of_its_layer():
    """As the README says: tests/ holds a folder per layer, one file per module (tests/runner/test_keys.py
    tests runner/keys.py), and tests/artefacts/. A helper the tests import (tests/report/html_page.py) is
    no test_ file."""
    expected = {f"{layer_of(m)}/test_{m.split('.')[1]}.py" for m in MODULES}
    files = {p.relative_to(TESTS).as_posix() for p in TESTS.rglob("test_*.py")}
    found = {f for f in files if not f.startswith(COMMITTED + "/")}
    assert sorted(expected - found) == [], "modules without tests/<layer>/test_<module>.py"
    assert sorted(found - expected) == [], "test files that name no module of their layer (or sit outside a layer's folder)"
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders == set(dprk_relations.LAYERS) | {COMMITTED}
