"""The run's folders: the output folders it claims, its own temporary folder, and the temporary folders
of killed runs, which the next run removes (only folders that carry the pipeline's marker)."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from dprk_relations.core import paths
from dprk_relations.core.params import Params


def output_folders(base: Params) -> list[Path]:
    """The folders a run writes to, each made (and marked as the pipeline's) if new; a run locks them all."""
    folders = sorted({Path(os.path.abspath(base.processed_dir)), Path(os.path.abspath(base.reports_dir))})
    for folder in folders:
        paths.claim_output_folder(folder)
    return folders


RUN_FOLDER_PREFIX = "dprk-run-"
RUN_MARKER = "dprk-pipeline-run.pid"


@contextlib.contextmanager
def run_folder():
    """The run's own temporary folder (kernel sockets, connection files, their logs), marked with the
    run's process id so that the next run can remove it if this one is killed."""
    work = Path(tempfile.mkdtemp(prefix=RUN_FOLDER_PREFIX))
    try:
        (work / RUN_MARKER).write_text(str(os.getpid()), encoding="utf-8")
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)  # sockets may vanish as kernels stop: nothing else is there


def _alive(pid: int) -> bool:
    """Whether a process is there, on every platform (another user's counts: its folder is kept)."""
    import psutil

    return psutil.pid_exists(pid)


def sweep_dead_runs() -> int:
    """Remove the temporary folders of runs that were killed (their process is gone); only folders that
    hold the pipeline's marker, so nothing another program made is touched."""
    swept = 0
    for folder in Path(tempfile.gettempdir()).glob(RUN_FOLDER_PREFIX + "*"):
        marker = folder / RUN_MARKER
        try:
            pid = int(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            swept += 1
    return swept
