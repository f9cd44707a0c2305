"""A run is all or nothing: while it runs, every output is written to a stage beside its folder, and the
outputs replace the previous ones together, at the end, only if every step succeeded.

Each output folder of a run (its processed folder, its reports folder) gets a stage, `<folder>/.dprk-stage/`,
holding the files the run has written so far under the same relative names. The runner publishes the
mapping in the environment (`DPRK_STAGE`), so its kernels see it too; `write_path` sends a write to the
stage, and `read_path` reads the staged copy when the run has made one, the published file otherwise.
Outside a run (nbval, plain papermill, a test calling a function) nothing is staged and both are the path.

Committing: the run writes a journal (`commit.json`, the files to move) into each stage, then moves every
staged file into its folder (a rename within the folder's file system), then removes the stages. The next
run that locks a folder completes a journal it finds (a run killed during the moves), and removes a stage
without a journal (a run killed or failed before its commit: nothing was published).
"""
from __future__ import annotations

import functools
import json
import os
import shutil
from pathlib import Path

STAGE_ENV = "DPRK_STAGE"
STAGE = ".dprk-stage"
# Written first into every stage: the pipeline removes only folders that hold it (it made them).
MARKER = "made-by-dprk-pipeline"
JOURNAL = "commit.json"


def _mapping() -> tuple[tuple[Path, Path], ...]:
    """Each staged folder and its stage, as the environment holds them."""
    return _parsed(os.environ.get(STAGE_ENV) or "")


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> tuple[tuple[Path, Path], ...]:
    """The mapping's text, parsed once per text: every read and write of a run asks for it."""
    return tuple((Path(k), Path(v)) for k, v in json.loads(text).items()) if text else ()


def _staged(path: Path) -> Path | None:
    """Where `path` is staged in this run, or None when its folder is not staged."""
    path = Path(os.path.abspath(path))
    best = None
    for folder, stage in _mapping():
        try:
            rel = path.relative_to(folder)
        except ValueError:
            continue
        if rel.parts[:1] == (STAGE,):
            return None  # already a staged path
        if best is None or len(folder.parts) > len(best[0].parts):
            best = (folder, stage / rel)
    return best[1] if best else None


def write_path(path: Path) -> Path:
    """Where a write of `path` goes during this run (its stage), or the path itself outside a run."""
    staged = _staged(path)
    return path if staged is None else staged


def read_path(path: Path) -> Path:
    """Where the current content of `path` is: the copy this run has staged, else the published file."""
    staged = _staged(path)
    return staged if staged is not None and staged.exists() else path


def stage_of(folder: Path) -> Path:
    return Path(os.path.abspath(folder)) / STAGE


def open_stages(folders: list[Path]) -> dict[Path, Path]:
    """Create an empty stage in each folder (marked as the pipeline's) and publish the mapping."""
    mapping = {}
    for folder in folders:
        folder = Path(os.path.abspath(folder))
        stage = stage_of(folder)
        stage.mkdir(parents=True)
        (stage / MARKER).write_text("a run of the dprk_relations pipeline stages its outputs here\n", encoding="utf-8")
        mapping[folder] = stage
    os.environ[STAGE_ENV] = json.dumps({str(k): str(v) for k, v in mapping.items()})
    return mapping


def close_stages() -> None:
    os.environ.pop(STAGE_ENV, None)


def staged_files(stage: Path) -> list[str]:
    """Files staged in `stage`, relative to it (the marker and journal excluded)."""
    return sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*")
                  if p.is_file() and p.relative_to(stage).as_posix() not in (MARKER, JOURNAL))


def commit(mapping: dict[Path, Path]) -> int:
    """Publish every staged file: journals first (each written whole, then renamed into place), then the
    moves, then the stages removed. Returns the number of files published."""
    from dprk_relations.core.faults import fault

    journals = {}
    for folder, stage in mapping.items():
        files = staged_files(stage)
        partial = stage / (JOURNAL + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as fh:
                json.dump(files, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(partial, stage / JOURNAL)  # the journal is there whole, or not at all
        except OSError as exc:  # nothing moved yet: the stages are discarded, the outputs stay as they were
            partial.unlink(missing_ok=True)
            for written in journals:  # no journal left behind to be completed by the next run
                (mapping[written] / JOURNAL).unlink(missing_ok=True)
            named = fault(exc, folder)
            if named is not None:
                raise named from None
            raise
        journals[folder] = files
    moved = 0
    for folder, stage in mapping.items():
        moved += _complete(folder, stage, journals[folder])
    return moved


def _complete(folder: Path, stage: Path, files: list[str]) -> int:
    moved = 0
    for rel in files:
        source = stage / rel
        if source.is_file():  # already moved by a run killed part-way
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            moved += 1
    _remove(stage)
    return moved


def _remove(stage: Path) -> None:
    if (stage / MARKER).is_file():  # only a stage the pipeline made
        shutil.rmtree(stage)


def recover(folder: Path) -> str | None:
    """Finish what a killed run left in `folder` (call under the folder's lock): complete a commit its
    journal records, or remove a stage that never reached its commit. Returns what was done, or None."""
    stage = stage_of(folder)
    if not stage.is_dir():
        return None
    if not (stage / MARKER).is_file():
        raise RuntimeError(f"{stage} exists but was not made by the pipeline: move it away, then run again")
    journal = stage / JOURNAL
    if journal.is_file():
        try:
            files = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            files = None
        if isinstance(files, list):
            moved = _complete(Path(os.path.abspath(folder)), stage, files)
            return f"completed the commit of an interrupted run in {_shown(folder)} ({moved} file(s) published)"
    n = len(staged_files(stage))
    _remove(stage)
    return f"removed the stage of an interrupted run in {_shown(folder)} ({n} unpublished file(s); the outputs are as they were)"


def _shown(folder: Path) -> str:
    from dprk_relations.core.paths import relative

    return relative(folder)


def discard(stage: Path) -> None:
    """Remove a stage whose run failed or was interrupted (nothing in it was published)."""
    if stage.is_dir() and not (stage / JOURNAL).is_file():
        _remove(stage)
