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


def raw_files(raw_dir: Path, focal_folder: str = "") -> list[str]:
    """The raw data package's files: its descriptor and every resource it lists (read from the run's
    raw folder, so a table added there is found without a list to update); with a focal state's folder,
    that folder's package too (its names prefixed with the folder)."""
    import json

    try:
        resources = json.loads((raw_dir / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        files = ["datapackage.json"] + [r["path"] for r in resources if isinstance(r, dict) and "path" in r]
    except (OSError, ValueError, KeyError):
        files = ["datapackage.json"]  # unreadable: ingest says why
    if focal_folder:
        files += [f"{focal_folder}/{name}" for name in raw_files(raw_dir / focal_folder)]
    return files


# Left in an output folder the pipeline made outside its default folders: a folder that holds it may be
# written again; any other folder that is not new or empty is refused (it may hold someone's files).
OUTPUT_MARKER = ".dprk-outputs"


def default_output_roots() -> tuple[Path, Path]:
    return DATA_PROCESSED, REPORTS


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def output_folder_problem(folder: Path, raw_dir: Path) -> str | None:
    """Why the pipeline must not write to `folder`, or None when it may: never into, above or below a
    folder of raw input or of the project's sources; outside its default folders, only into a folder that
    is new, empty or made by the pipeline (it holds OUTPUT_MARKER)."""
    folder = Path(os.path.abspath(folder)).resolve()
    raw_folders = {Path(os.path.abspath(raw_dir)).resolve(), DATA_RAW.resolve()}
    for raw in sorted(raw_folders):
        if _within(folder, raw) or _within(raw, folder):
            return f"{relative(folder)} holds or lies in a folder of raw input ({relative(raw)}); outputs go elsewhere"
    for kept in (ROOT / "data" / "external", NOTEBOOKS, ROOT / "src", ROOT / "tests", ROOT / ".git"):
        kept = kept.resolve()
        if _within(folder, kept) or (_within(kept, folder) and folder != ROOT.resolve()):
            return f"{relative(folder)} holds or lies in {relative(kept)}, which the pipeline reads; outputs go elsewhere"
    if folder == ROOT.resolve():
        return f"{relative(folder)} is the project's root; outputs go to a folder of their own"
    if any(_within(folder, root.resolve()) for root in default_output_roots()):
        return None
    if folder.exists() and not folder.is_dir():
        return f"{relative(folder)} is not a folder"
    if folder.is_dir() and any(folder.iterdir()) and not (folder / OUTPUT_MARKER).is_file():
        return (f"{relative(folder)} already holds files the pipeline did not make (no {OUTPUT_MARKER} in it); "
                "give a new or empty folder")
    return None


def claim_output_folder(folder: Path) -> None:
    """Create an output folder, marking it as the pipeline's when it is outside the default folders."""
    folder = Path(os.path.abspath(folder))
    new = not folder.is_dir() or not any(folder.iterdir())
    folder.mkdir(parents=True, exist_ok=True)
    if new and not any(_within(folder.resolve(), root.resolve()) for root in default_output_roots()):
        (folder / OUTPUT_MARKER).write_text("made by the dprk_relations pipeline: it may write here again\n", encoding="utf-8")


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
