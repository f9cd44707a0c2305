"""The package's layers (dprk_relations.LAYERS): each module imports only from its own layer or the
layers before it, and no import cycle exists, counting the imports made inside functions."""
from __future__ import annotations

import ast

import pytest

import dprk_relations
from dprk_relations import pipeline

MODULES = sorted(p.stem for p in pipeline.PACKAGE_DIR.glob("*.py") if p.stem != "__init__")
LAYER_OF = {m: i for i, (_, modules) in enumerate(dprk_relations.LAYERS.items()) for m in modules}


def imports_of(module: str) -> set[str]:
    return pipeline._imports((pipeline.PACKAGE_DIR / f"{module}.py").read_text(encoding="utf-8")) - {module}


def test_every_module_has_a_layer():
    assert sorted(LAYER_OF) == MODULES


@pytest.mark.parametrize("module", MODULES)
def test_a_module_imports_only_from_its_layer_or_below(module):
    above = {m for m in imports_of(module) if LAYER_OF[m] > LAYER_OF[module]}
    assert not above, f"{module} ({list(dprk_relations.LAYERS)[LAYER_OF[module]]}) imports from a later layer: {sorted(above)}"


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
    assert "report" in imports_of("pipeline")
    tree = ast.parse((pipeline.PACKAGE_DIR / "pipeline.py").read_text(encoding="utf-8"))
    top_level = {n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 1}
    assert "report" not in top_level
