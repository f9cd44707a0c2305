"""Every kernel and subprocess the tests start works on a scratch copy of the project's data.

nbval runs the notebooks as they are committed, and their "Save outputs" cells write to the default
folders; so do papermill and the runner started from a test. Pointing DPRK_PROJECT_ROOT at a copy
(made once per session) keeps every tracked file as it was: a test reports a difference, it never
heals it. The pytest process itself keeps the real root (it imported `paths` before this ran), and the
session fails if a tracked file changed anyway.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from dprk_relations.core import catalogue, paths

SCRATCH_ENV = "DPRK_PROJECT_ROOT"


def _tracked_changes() -> str | None:
    """`git status` of the project's tracked files; None when the project is not the top of a git
    checkout (a downloaded archive, or mutmut's copy inside the checkout): nothing to compare."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(paths.ROOT), *args], capture_output=True, text=True, check=True).stdout

    try:
        if Path(git("rev-parse", "--show-toplevel").strip()).resolve() != paths.ROOT:
            return None
        return git("status", "--porcelain", "--untracked-files=no")
    except (FileNotFoundError, subprocess.CalledProcessError):
        return None


def pytest_configure(config):
    scratch = Path(tempfile.mkdtemp(prefix="dprk-tests-"))
    for name in ("pyproject.toml",) + catalogue.RELEASE_FILES:  # the catalogue reads them; the report ships them
        shutil.copy2(paths.ROOT / name, scratch / name)
    for part in ("raw", "external", "processed"):
        shutil.copytree(paths.ROOT / "data" / part, scratch / "data" / part, ignore=shutil.ignore_patterns("runs"))
    shutil.copytree(paths.REPORTS / "figures", scratch / "reports" / "figures")
    shutil.copytree(paths.NOTEBOOKS, scratch / "notebooks")  # a runner started by a test finds its notebooks
    os.environ[SCRATCH_ENV] = str(scratch)
    # nbval opens its sanitize file relative to the working folder when each notebook is set up: anchored
    # at the root, a test that left the process elsewhere cannot turn every notebook into an error
    sanitize = getattr(config.option, "nbval_sanitize_with", None)
    if sanitize and not Path(sanitize).is_absolute():
        config.option.nbval_sanitize_with = str(paths.ROOT / sanitize)
    config._dprk_scratch = scratch
    config._dprk_tracked = _tracked_changes()


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    scratch = getattr(config, "_dprk_scratch", None)
    if scratch is None:
        return
    shutil.rmtree(scratch, ignore_errors=True)
    after = _tracked_changes()
    if after is not None and after != config._dprk_tracked:
        print(f"\nThe tests changed tracked files (they must not):\n{after}")
        session.exitstatus = 1
