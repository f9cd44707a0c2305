"""One place that knows where things live, anchored at the project root.

Every path the library, the notebooks, papermill, nbval and CI use comes from here,
so a notebook runs the same from any working directory.
"""
from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    override = os.environ.get("DPRK_PROJECT_ROOT")
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "data" / "raw").is_dir():
            return parent
    raise RuntimeError(
        f"cannot find the project root above {here}: expected a folder holding pyproject.toml "
        "and data/raw/ (set DPRK_PROJECT_ROOT to point at it)"
    )


ROOT = _find_root()
DATA_RAW = ROOT / "data" / "raw"
DATA_PROCESSED = ROOT / "data" / "processed"
REPORTS = ROOT / "reports"
NOTEBOOKS = ROOT / "notebooks"
SEED_REPORT_NAME = "Bondaz, A., Isolation or integration? North Korea's diplomatic network, FRS, October 2023"


def resolve(path: str | os.PathLike) -> Path:
    """Resolve a path given as a parameter: relative paths are taken from the project root."""
    p = Path(path)
    return p if p.is_absolute() else (ROOT / p)


def relative(path: str | os.PathLike) -> str:
    """A path as shown in outputs: relative to the project root when inside it (stable across clones)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()
