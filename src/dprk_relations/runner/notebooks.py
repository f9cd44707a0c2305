"""Executed notebooks without what varies between runs (timestamps, durations, machine paths)."""
from __future__ import annotations

import json
from pathlib import Path

from dprk_relations.core.outputs import atomic_write

_VOLATILE_NOTEBOOK = ("start_time", "end_time", "duration", "input_path", "output_path", "environment_variables", "exception")
_VOLATILE_CELL = ("start_time", "end_time", "duration", "exception", "status")


def strip_volatile(nb: dict) -> dict:
    """Drop papermill's and nbclient's timing and path metadata, and fix the ids papermill draws at random."""
    meta = nb.get("metadata", {}).get("papermill", {})
    for key in _VOLATILE_NOTEBOOK:
        meta.pop(key, None)
    for cell in nb.get("cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
        cell.get("metadata", {}).pop("execution", None)
        pm = cell.get("metadata", {}).get("papermill", {})
        for key in _VOLATILE_CELL:
            pm.pop(key, None)
    return nb


def dumps(nb: dict) -> bytes:
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def clean_executed(source: Path, target: Path) -> None:
    nb = json.loads(source.read_text(encoding="utf-8"))
    atomic_write(target, dumps(strip_volatile(nb)))


def store_outputs(executed_dir: Path, source_dir: Path) -> list[Path]:
    """Copy the outputs of the default run's executed notebooks into the committed sources, for nbval.

    Only outputs and execution counts are copied; the sources' cells (and their order) stay as written,
    and papermill's injected-parameters cell is not carried over.
    """
    written = []
    for source in sorted(source_dir.glob("*.ipynb")):
        executed = json.loads((executed_dir / source.name).read_text(encoding="utf-8"))
        nb = json.loads(source.read_text(encoding="utf-8"))
        by_id = {c.get("id"): c for c in executed["cells"]}
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            run = by_id.get(cell.get("id"))
            if run is None or "".join(run["source"]) != "".join(cell["source"]):
                raise ValueError(f"{source.name}: cell {cell.get('id')} differs from the executed copy; run `make report` first")
            cell["outputs"] = run["outputs"]
            cell["execution_count"] = run["execution_count"]
        atomic_write(source, dumps(nb))
        written.append(source)
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    from dprk_relations.core import paths

    parser = argparse.ArgumentParser(description="Store the default run's outputs in the committed notebooks (for nbval).")
    parser.add_argument("--store-outputs", action="store_true", required=True)
    parser.parse_args(argv)
    for path in store_outputs(paths.REPORTS / "notebooks", paths.NOTEBOOKS):
        print(f"stored outputs in {paths.relative(path)}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
