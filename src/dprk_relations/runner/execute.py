"""Executing one notebook step under papermill, in a kernel from the run's pool, into the run's stage."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from dprk_relations.core import paths
from dprk_relations.core.catalogue import Step
from dprk_relations.core.params import Params


class StepFailed(RuntimeError):
    pass


class AbsolutePathIO:
    """papermill's reads and writes of the runner's notebooks, by absolute path, with no change of working
    folder. papermill's own local handler changes the process's folder around each read and write, to a folder
    it keeps in one place for every thread: with two steps running side by side, one step's read could run in
    the folder another left there, and the process could be left in it. Registered through papermill's
    documented extension point for I/O handlers (`papermill_io.register`), for the anchor of the paths the
    runner passes ("/" on POSIX, a drive on Windows); any other path keeps papermill's own handlers."""

    def read(self, path: str) -> str:
        return Path(path).read_text(encoding="utf-8")

    def write(self, buf: str, path: str) -> None:
        Path(path).write_text(buf, encoding="utf-8")

    def listdir(self, path: str) -> list[str]:
        return [str(p) for p in Path(path).iterdir()]

    def pretty_path(self, path: str) -> str:
        return path


_REGISTERED: set[str] = set()


def use_absolute_path_io(*files: Path) -> None:
    """Register AbsolutePathIO for the anchors of `files` (once per anchor and process)."""
    from papermill.iorw import papermill_io

    for anchor in {f.anchor for f in files if f.anchor} - _REGISTERED:  # a relative path keeps papermill's handler
        papermill_io.register(anchor, AbsolutePathIO())
        _REGISTERED.add(anchor)


def log(message: str) -> None:
    print(message, flush=True)


def execute_notebook(step: Step, params: Params, work_dir: Path, pool=None, kernel=None) -> None:
    """Run one notebook under papermill into reports/notebooks/, never over its source, in a kernel
    from `pool` (kernels.KernelPool; a pool of its own when none is given).

    The executed notebook is written to a temporary name and moved into place only on success;
    on failure it is kept under reports/notebooks/failed/ for debugging, with what the kernel wrote
    to its standard error, and the previous good copy is left untouched. The kernel's sockets and
    its standard error live in `work_dir`, the run's own temporary folder, removed when the run ends.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from dprk_relations.runner.kernels import KernelPool
    from dprk_relations.runner.notebooks import clean_executed

    from dprk_relations.core.stage import write_path

    own_pool = pool is None
    pool = pool or KernelPool(work_dir, ahead=0)
    kernel = kernel or pool.reserve()
    source = paths.NOTEBOOKS / step.notebook
    target_dir = params.reports_dir / "notebooks"
    partial = write_path(target_dir / f".partial-{step.notebook}")  # in the run's stage during a run
    partial.parent.mkdir(parents=True, exist_ok=True)
    ready = kernel.result()
    km = ready.manager
    use_absolute_path_io(source, partial)
    try:
        papermill.execute_notebook(
            str(source), str(partial), parameters=params.values, kernel_name="python3", progress_bar=False,
            # no cwd: papermill would chdir the whole runner process, and two steps running side by side
            # would restore each other's folder (the kernel starts in the project root already); the paths
            # are absolute and read and written by AbsolutePathIO, which changes no folder either
            log_output=False, report_mode=False, language="python", km=km,
            # one output per stream and cell: the kernel flushes printed text on a timer, so under load a
            # cell's prints could arrive as one message or several, and the executed notebook differed
            coalesce_streams=True,
        )
    except PapermillExecutionError as exc:
        if exc.ename == "OutputFault":  # a full disk, a folder that cannot be written: the cause in one line
            partial.unlink(missing_ok=True)
            raise StepFailed(f"{step.name}: {exc.evalue}") from None
        failed = target_dir / "failed" / step.notebook
        failed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, failed)
        if ready.stderr_log.is_file() and ready.stderr_log.stat().st_size:
            shutil.copyfile(ready.stderr_log, failed.with_suffix(".kernel-stderr.txt"))
        raise StepFailed(
            f"{paths.relative(source)} failed in cell {exc.cell_index} (execution count {exc.exec_count}): "
            f"{exc.ename}: {exc.evalue}\n  partial notebook kept at {paths.relative(failed)}"
        ) from None
    except OSError as exc:  # papermill writing the executed notebook: a full disk is named with its folder
        partial.unlink(missing_ok=True)
        from dprk_relations.core.outputs import fault

        named = fault(exc, target_dir)
        if named is not None:
            raise named from None
        raise
    except Exception:
        partial.unlink(missing_ok=True)
        raise
    finally:
        pool.release(ready)
        if own_pool:
            pool.close()
    clean_executed(partial, target_dir / step.notebook)
    partial.unlink(missing_ok=True)


def render_page(step: Step, params: Params) -> None:
    """The executed notebook of a step as an HTML page beside it."""
    from dprk_relations.report.site import render_notebook

    render_notebook(params.reports_dir / "notebooks" / step.notebook)
