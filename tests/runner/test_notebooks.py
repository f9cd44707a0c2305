"""The committed notebooks: thin narratives over the library, each with one parameters cell."""
import ast
import json

import pytest

from dprk_relations.core import paths
from dprk_relations.runner import notebooks, pipeline
from dprk_relations.core.params import declared

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def test_every_step_has_its_notebook_and_every_notebook_a_step():
    assert [p.name for p in NOTEBOOKS] == [s.notebook for s in sorted(pipeline.STEPS, key=lambda s: s.name) if s.notebook]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_the_declared_defaults(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    namespace = {}
    exec(source, namespace)  # plain literals only
    namespace.pop("__builtins__")
    assert namespace == declared(path.stem)
    # the next code cell checks them (papermill itself only warns about unknown names)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "params.from_notebook" in "".join(code[code.index(tagged[0]) + 1]["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_logic_defined_in_notebooks(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            tree = ast.parse("".join(cell["source"]))
            defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
            assert not defined, f"{path.name}: functions belong in src/dprk_relations"


def test_executed_notebooks_lose_timestamps_and_paths():
    nb = {"metadata": {"papermill": {"start_time": "2026-01-01T00:00:00", "end_time": "x", "duration": 1.0,
                                     "input_path": "/a/b.ipynb", "output_path": "/c", "parameters": {"as_of": "2016-08-01"}}},
          "cells": [{"metadata": {"execution": {"iopub.status.busy": "t"}, "papermill": {"start_time": "t", "status": "completed", "duration": 1}}},
                    {"id": "3f9a1c2e", "metadata": {"tags": ["injected-parameters"]}}]}
    cleaned = notebooks.strip_volatile(nb)
    assert cleaned["metadata"]["papermill"] == {"parameters": {"as_of": "2016-08-01"}}
    assert cleaned["cells"][0]["metadata"] == {"papermill": {}}
    assert cleaned["cells"][1]["id"] == "injected-parameters"
