"""Run the notebooks in order, skipping a step whose inputs have not changed.

Each step declares what it reads (raw tables, processed tables, the package's code, its
parameters) and what it writes. Its key is a hash of the content of all of these; a step is
skipped when the previous run recorded the same key and its outputs still have the recorded
hashes. Nothing heavy (papermill, nbformat, a kernel) is imported when nothing is stale.

    python -m dprk_relations.runner.pipeline [--as-of 2016-08-01] [--first-year 1960] [--raw-dir DIR] [--force]
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from importlib import metadata
from pathlib import Path

from dprk_relations.core import catalogue, paths, stage
from dprk_relations.data import store
from dprk_relations.report import changes
from dprk_relations.core.catalogue import Step
from dprk_relations.core.outputs import sha256_file
from dprk_relations.core.params import COMMON, EXTRA, ParameterError, Params, check, declared, output_dirs

MANIFEST = "manifest.json"
MAIN_PACKAGES = ["pandas", "numpy", "matplotlib", "seaborn", "country_converter", "papermill", "nbconvert", "ipykernel"]
# Two cores here: two notebooks at a time measured ~1.7x faster than one after another.
MAX_PARALLEL_STEPS = 2
# Kernels started beyond those steps wait for: enough for the steps that become ready together after 02.
KERNELS_AHEAD = 2
STEPS = catalogue.STEPS


PACKAGE_DIR = Path(__file__).resolve().parents[1]
PACKAGE = PACKAGE_DIR.name
RUNNER, REPORT_MODULE = "runner.pipeline", "report.site"


def module_path(module: str) -> Path:
    """The file of a module named within the package, by layer ("core.paths")."""
    return PACKAGE_DIR.joinpath(*module.split(".")).with_suffix(".py")


def package_modules() -> list[str]:
    """Every module of the package, named by layer ("core.paths", "runner.pipeline")."""
    return sorted(".".join(p.relative_to(PACKAGE_DIR).with_suffix("").parts)
                  for p in PACKAGE_DIR.rglob("*.py") if p.name != "__init__.py")


def _imports(source: str) -> set[str]:
    """Modules of this package imported by `source`, named by layer ("core.paths")."""
    return {m for m in _parsed_imports(source) if module_path(m).is_file()}


@functools.lru_cache(maxsize=512)
def _parsed_imports(source: str) -> frozenset[str]:
    """What `source` may import from the package, by dotted name within it: `from dprk_relations.core
    import paths` gives "core.paths", `from dprk_relations.core.paths import ROOT` gives "core.paths" (and
    "core.paths.ROOT", which is no module). The package imports itself only absolutely (tests/test_layers.py).
    Cached by content: every step's closure shares modules."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == PACKAGE or node.module.startswith(PACKAGE + "."):
                base = node.module[len(PACKAGE) + 1:]
                if base:
                    found.add(base)
                found |= {f"{base}.{a.name}" if base else a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name[len(PACKAGE) + 1:] for a in node.names if a.name.startswith(PACKAGE + ".")}
    return frozenset(found)


def module_closure(sources: list[str]) -> list[str]:
    """Every module of the package that `sources` import, directly or through other modules."""
    todo = set().union(*(_imports(s) for s in sources))
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        seen.add(module)
        todo |= _imports(module_path(module).read_text(encoding="utf-8")) - seen
    return sorted(seen)


def notebook_code(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def code_hash(modules: list[str], extra: tuple[Path, ...] = ()) -> str:
    """Hash of the library code a step runs: changing a function reruns only the steps that import it."""
    h = hashlib.sha256()
    for path in [module_path(m) for m in modules] + list(extra):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def package_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in MAIN_PACKAGES}


def raw_files(raw_dir: Path) -> list[str]:
    """The raw data package's files: its descriptor and every resource it lists (read from the run's
    raw folder, so a table added there is hashed without a list to update)."""
    try:
        resources = json.loads((raw_dir / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    except (OSError, ValueError, KeyError):
        return ["datapackage.json"]  # unreadable: ingest says why
    return ["datapackage.json"] + [r["path"] for r in resources if isinstance(r, dict) and "path" in r]


def step_inputs(step: Step, params: Params, upstream: dict | None = None) -> dict[str, str | None]:
    """Hashes of everything a step reads: raw files, processed tables and report files, files shipped in
    the repository, the committed files it compares with, its notebook; for the report, the other steps'
    inputs too (its provenance table lists them)."""
    inputs = {}
    if step.reads_raw:
        inputs.update({paths.relative(params.raw_dir / n): sha256_file(params.raw_dir / n) for n in raw_files(params.raw_dir)})
    for name in step.reads:
        path = store.path_of(params, name)
        inputs[paths.relative(path)] = sha256_file(path)
    inputs.update({name: sha256_file(paths.ROOT / name) for name in step.reads_external})
    for name in step.reads_committed:
        content = changes.committed_bytes(relative=name)
        inputs[f"committed:{name}"] = hashlib.sha256(content).hexdigest() if content is not None else None
    if step.notebook:
        nb = paths.NOTEBOOKS / step.notebook
        inputs[paths.relative(nb)] = notebook_hash(nb)
    if upstream is not None:
        inputs["steps:inputs"] = hashlib.sha256(json.dumps(upstream, sort_keys=True).encode()).hexdigest()
    return inputs


def step_outputs(step: Step, params: Params) -> dict[str, str | None]:
    """Hashes of what a step writes (and, for a notebook, its executed copy)."""
    outputs = {paths.relative(store.path_of(params, o)): sha256_file(store.path_of(params, o)) for o in step.writes}
    if step.notebook:
        nb_out = params.reports_dir / "notebooks" / step.notebook
        outputs[paths.relative(nb_out)] = sha256_file(nb_out)
    return outputs


def notebook_hash(notebook: Path) -> str:
    """Hash of what papermill executes (cell types, sources, tags), not of the outputs stored for nbval:
    refreshing the stored outputs must not make every step stale."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [(c["cell_type"], "".join(c["source"]), sorted(c.get("metadata", {}).get("tags", []))) for c in nb["cells"]]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def step_code(step: Step) -> str:
    """Hash of the code a step's outputs depend on: the modules its notebook imports (the report: its
    module and templates), with everything they import, and the runner itself (how a notebook is
    executed and cleaned shapes its bytes)."""
    runner = Path(__file__).read_text(encoding="utf-8")
    if step.notebook:
        return code_hash(sorted(set(module_closure(notebook_code(paths.NOTEBOOKS / step.notebook) + [runner])) | {RUNNER}))
    from dprk_relations.report.site import TEMPLATES

    sources = [module_path(REPORT_MODULE).read_text(encoding="utf-8"), runner]
    return code_hash(sorted(set(module_closure(sources)) | {REPORT_MODULE, RUNNER}), extra=tuple(sorted(TEMPLATES.rglob("*.*"))))


def step_key(step: Step, params: Params, inputs: dict, code: str, versions: dict) -> str:
    blob = json.dumps({"step": step.name, "params": params.values, "inputs": inputs, "code": code,
                       "versions": versions, "python": platform.python_version()}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def read_manifest(reports_dir: Path) -> dict:
    path = reports_dir / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def is_up_to_date(previous: dict, key: str, outputs: dict[str, str | None]) -> bool:
    return bool(previous) and previous.get("key") == key and previous.get("outputs") == outputs and all(outputs.values())


class StepFailed(RuntimeError):
    pass


def _log(message: str) -> None:
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

    own_pool = pool is None
    pool = pool or KernelPool(work_dir, ahead=0)
    kernel = kernel or pool.reserve()
    from dprk_relations.core.stage import write_path

    source = paths.NOTEBOOKS / step.notebook
    target_dir = params.reports_dir / "notebooks"
    partial = write_path(target_dir / f".partial-{step.notebook}")  # in the run's stage during a run
    partial.parent.mkdir(parents=True, exist_ok=True)
    km = kernel.result()
    try:
        papermill.execute_notebook(
            str(source), str(partial), parameters=params.values, kernel_name="python3", progress_bar=False,
            cwd=str(paths.ROOT), log_output=False, report_mode=False, language="python", km=km,
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
        if km.stderr_log.is_file() and km.stderr_log.stat().st_size:
            shutil.copyfile(km.stderr_log, failed.with_suffix(".kernel-stderr.txt"))
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
        pool.release(km)
        if own_pool:
            pool.close()
    clean_executed(partial, target_dir / step.notebook)
    partial.unlink(missing_ok=True)


def render_page(step: Step, params: Params) -> None:
    """The executed notebook of a step as an HTML page beside it."""
    from dprk_relations.report.site import render_notebook

    render_notebook(params.reports_dir / "notebooks" / step.notebook)


def step_values(step: str, values: dict) -> dict:
    """The run's values a step declares. Every step of a run writes to and reads from the run's folders,
    named after all its parameters: a step's own view would name them after its parameters alone, and
    read the earlier steps' tables from the folder named after the shared parameters (Params.upstream_dir)."""
    own = {k: v for k, v in values.items() if k in declared(step)}
    run_dirs, step_dirs = output_dirs(values), output_dirs(own)
    shared_dirs = output_dirs({k: v for k, v in values.items() if k in COMMON})
    if run_dirs != step_dirs or run_dirs != shared_dirs:
        own.setdefault("processed_dir", paths.relative(run_dirs[0]))
        own.setdefault("reports_dir", paths.relative(run_dirs[1]))
    return own


def run(values: dict, force: bool = False, parallel: int = MAX_PARALLEL_STEPS) -> dict:
    """Run the pipeline for `values` (the notebooks' parameters); return the manifest written."""
    started = time.perf_counter()
    params = {s.name: check(s.name, step_values(s.name, values)) for s in STEPS}
    base = params[STEPS[0].name]
    versions = package_versions()
    # in the main thread: ast.parse is not thread-safe in CPython 3.11 (it fails at random under threads)
    codes = {step.name: step_code(step) for step in STEPS}
    folders = output_folders(base)
    with run_lock(folders):
        for folder in folders:
            done = stage.recover(folder)
            if done:
                _log(f"pipeline: {done}")
        swept = sweep_dead_runs()
        if swept:
            _log(f"pipeline: removed {swept} temporary folder(s) that killed runs left behind")
        with run_folder() as work:
            mapping = stage.open_stages(folders)
            try:
                manifest = _run_locked(params, base, versions, codes, work, force, parallel, started)
                published = stage.commit(mapping)
            finally:
                stage.close_stages()
                for folder_stage in mapping.values():  # a failed or interrupted run publishes nothing
                    stage.discard(folder_stage)
    _log(f"pipeline: {len(manifest['ran'])} step(s) ran, {len(manifest['steps']) - len(manifest['ran'])} skipped, "
         f"{published} file(s) published, {manifest['total_seconds']:.1f} s; report at {paths.relative(base.reports_dir / 'index.html')}")
    return manifest


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
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or a platform that cannot tell: keep its folder
        return True
    return True


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


def _run_locked(params: dict, base: Params, versions: dict, codes: dict, work_dir: Path,
                force: bool, parallel: int, started: float) -> dict:
    previous = read_manifest(base.reports_dir).get("steps", {})
    records: dict[str, dict] = {}
    _log(f"pipeline: as_of={base.as_of}, outputs in {paths.relative(base.processed_dir)} and {paths.relative(base.reports_dir)}")

    from dprk_relations.runner.kernels import KernelPool

    pool = KernelPool(work_dir, ahead=KERNELS_AHEAD)

    decided: dict[str, dict] = {}  # every step's record as decided, before it runs (its inputs are known then)

    def decide(step: Step) -> dict:
        """The step's key and whether its outputs are those the key already made (main thread: cheap)."""
        p = params[step.name]
        upstream = None if step.notebook else {n: r["inputs"] for n, r in sorted(decided.items())}
        inputs = step_inputs(step, p, upstream)
        key = step_key(step, p, inputs, codes[step.name], versions)
        outputs = step_outputs(step, p)
        status = "skipped" if not force and is_up_to_date(previous.get(step.name, {}), key, outputs) else "stale"
        decided[step.name] = {"key": key, "status": status, "seconds": 0.0, "inputs": inputs, "outputs": outputs}
        return decided[step.name]

    def execute(step: Step, record: dict, kernel):
        """Run a step; return a function that finishes it (its notebook's page) and returns its record."""
        p = params[step.name]
        _log(f"  [{step.name}] running {step.notebook or 'the HTML report'} ...")
        t0 = time.perf_counter()
        if step.notebook:
            execute_notebook(step, p, work_dir, pool, kernel)
        else:
            from dprk_relations.report.site import build

            build(p, {n: r for n, r in decided.items() if n != step.name}, versions)
        seconds = time.perf_counter() - t0

        def finish() -> dict:
            t1 = time.perf_counter()
            if step.notebook:
                render_page(step, p)
            took = round(seconds + time.perf_counter() - t1, 2)
            outputs = step_outputs(step, p)
            missing = [n for n, h in outputs.items() if h is None]
            if missing:
                raise StepFailed(f"{step.name} ran but did not write {', '.join(missing)}")
            _log(f"  [{step.name}] done in {took:.1f} s")
            return {**record, "status": "ran", "seconds": took, "outputs": outputs}

        return finish

    try:
        run_in_order(decide, execute, pool, records, parallel)
        undeclared_outputs(base)
    except StepFailed as exc:
        _log(f"pipeline FAILED: {exc}")
        _log("pipeline: nothing was published; every output is as it was before the run")
        raise
    finally:
        pool.close()  # also on an interruption: no kernel, and no kernel server, outlives the run
    report_changes(base)
    manifest = write_manifest(base, versions, records, started)
    return {**manifest, "ran": [n for n, r in records.items() if r["status"] == "ran"]}


def _descendants(step: Step) -> int:
    """How many steps wait for this one, directly or not: the longer the chain behind it, the sooner it starts."""
    found, todo = set(), [step.name]
    while todo:
        name = todo.pop()
        for s in STEPS:
            if name in s.after and s.name not in found:
                found.add(s.name)
                todo.append(s.name)
    return len(found)


def reads_pages(step: Step) -> bool:
    """Whether a step reads notebooks' HTML pages: it waits for them to be rendered; other steps start once
    the tables and figures they read are written (the report links the pages but does not read them)."""
    return any(r.startswith("notebooks/") for r in step.reads)


def run_in_order(decide, execute, pool, records: dict, parallel: int) -> None:
    """Each step as soon as the steps it comes after have written what it reads, up to `parallel` at a time.

    Whether a step is up to date is decided here, in order. `execute(step, record, kernel)` runs a step
    and returns a function that finishes it: the notebook's HTML page, rendered in a thread of its own
    while the next steps already run (a step that reads a page waits for it). A stale notebook step asks the
    pool for its kernel when it is submitted, with the length of the chain behind it as priority."""
    pending = sorted(STEPS, key=lambda s: -_descendants(s))
    written: set[str] = set()  # steps whose tables and figures are written (their pages may still be rendering)
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as threads, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="pages") as pages:
        running: dict = {}  # future -> (step, phase): "run" (execute) or "finish" (its page)
        steps_running = 0
        while pending or running:
            progressed = True
            while progressed:  # skipped steps may make others ready at once
                progressed = False
                for step in [s for s in pending if set(s.after) <= set(records if reads_pages(s) else written)]:
                    if steps_running >= max(1, parallel):
                        break
                    record = decide(step)
                    pending.remove(step)
                    if record["status"] == "skipped":
                        _log(f"  [{step.name}] up to date, skipped")
                        records[step.name] = record
                        written.add(step.name)
                        progressed = True
                        continue
                    kernel = None
                    if step.notebook:
                        to_come = sum(1 for s in pending if s.notebook)
                        kernel = pool.reserve(priority=_descendants(step), to_come=to_come)
                    running[threads.submit(execute, step, record, kernel)] = (step, "run")
                    steps_running += 1
            if not running:
                if pending:
                    raise StepFailed(f"{', '.join(s.name for s in pending)} wait for steps that are not in the catalogue")
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                step, phase = running.pop(future)
                if phase == "run":
                    steps_running -= 1
                    finish = future.result()  # a StepFailed stops here; the other running step finishes
                    written.add(step.name)
                    running[pages.submit(finish)] = (step, "finish")
                else:
                    records[step.name] = future.result()


def written_files(base: Params) -> list[str]:
    """Every file this run has written so far (staged, not yet published), as shown (relative to the root)."""
    found = set()
    for folder in (base.processed_dir, base.reports_dir):
        staged = stage.stage_of(folder)
        if staged.is_dir():
            found |= {paths.relative(Path(os.path.abspath(folder)) / rel) for rel in stage.staged_files(staged)}
    return sorted(found)


def undeclared_outputs(base: Params) -> None:
    """A file written during the run that no step declares fails the run, naming it (catalogue.py)."""
    declared_files = {paths.relative(store.path_of(base, o)) for s in STEPS for o in s.writes}
    declared_files |= {paths.relative(base.reports_dir / name) for name in (MANIFEST, "run.html")}
    changed = [n for n in written_files(base) if n not in declared_files]
    if changed:
        raise StepFailed(f"the run wrote {', '.join(changed)}, which no step declares in catalogue.py "
                         "(declare each file in the writes of the step that makes it)")


def report_changes(base: Params) -> list[dict] | None:
    """Print how many statements lie after the cut-off, and each claim whose verdict or value differs from
    the committed data; return the differences (None: nothing to compare)."""
    after = changes.after_cut_off(base.processed_dir / "claims_checked.csv")
    if after:
        _log(f"pipeline: {after} statement(s) concern facts after the cut-off {base.as_of} and are not checked; "
             "every other statement is checked against the data as they stood then")
    changed = changes.against_committed(base.processed_dir / "claims_checked.csv")
    if changed is None:
        _log("pipeline: no committed verdicts to compare with (not a git checkout)")
        return None
    if not changed:
        _log(f"pipeline: every verdict and value as committed ({changes.COMMITTED})")
    else:
        _log(f"pipeline: {len(changed)} claim(s) differ from the committed data ({changes.COMMITTED}):")
        for row in changed:
            _log(f"  {changes.describe(row)}")
    return changed


LOCK = ".pipeline.lock"


@contextlib.contextmanager
def run_lock(folders: list[Path]):
    """One run at a time per output folder: a run locks every folder it writes (in one order, so two runs
    never wait for each other crosswise); a second run sharing any of them waits for the first."""
    from filelock import FileLock, Timeout

    with contextlib.ExitStack() as held:
        for folder in sorted(folders):
            lock = FileLock(str(folder / LOCK))
            try:
                lock.acquire(timeout=0)
            except Timeout:
                _log(f"pipeline: another run is writing to {paths.relative(folder)}; waiting for it to finish ...")
                lock.acquire()
            held.callback(lock.release)
        yield


def write_manifest(base: Params, versions: dict, records: dict, started: float) -> dict:
    """The run manifest (JSON) and its page: parameters, versions, every input and output hash, each step's key, status, duration."""
    from dprk_relations.core.outputs import atomic_write
    from dprk_relations.report.site import render_run_log

    manifest = {
        "parameters": base.shown(),
        "python": platform.python_version(),
        "package_versions": versions,
        "steps": records,
        "total_seconds": round(time.perf_counter() - started, 2),
    }
    atomic_write(base.reports_dir / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    atomic_write(base.reports_dir / "run.html", render_run_log(manifest).encode("utf-8"))
    return manifest


def parse_args(argv: list[str]) -> tuple[dict, argparse.Namespace]:
    parser = argparse.ArgumentParser(prog="dprk-pipeline", description="Run the notebooks in order and build the HTML report.")
    parser.add_argument("--as-of", help="cut-off date, YYYY-MM-DD (default 2023-10-01, the report's date)")
    parser.add_argument("--first-year", type=int, help="first year of the yearly tables (default 1948)")
    parser.add_argument("--raw-dir", help="folder of raw tables (default data/raw)")
    parser.add_argument("--processed-dir", help="where processed tables go (default: automatic)")
    parser.add_argument("--reports-dir", help="where the report goes (default: automatic)")
    for step, extra in EXTRA.items():
        for name, default in extra.items():
            parser.add_argument("--" + name.replace("_", "-"), type=type(default), help=f"{step}: {name} (default {default})")
    parser.add_argument("--force", action="store_true", help="rerun every step even if up to date")
    parser.add_argument("--serial", action="store_true", help="run one step at a time")
    args = parser.parse_args(argv)
    values = {k: v for k, v in {"as_of": args.as_of, "first_year": args.first_year, "raw_dir": args.raw_dir,
                                "processed_dir": args.processed_dir, "reports_dir": args.reports_dir,
                                **{name: getattr(args, name) for extra in EXTRA.values() for name in extra}}.items()
              if v not in (None, "")}
    return values, args


def main(argv: list[str] | None = None) -> int:
    from dprk_relations.core.outputs import FAULTS, OutputFault, fault

    values, args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run(values, force=args.force, parallel=1 if args.serial else MAX_PARALLEL_STEPS)
    except ParameterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StepFailed:
        return 1
    except KeyboardInterrupt:
        print("pipeline: interrupted; nothing was published, every output is as it was before the run", file=sys.stderr)
        return 130
    except OutputFault as exc:
        print(f"error: {exc.strerror}; every output is as it was before the run", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.filename:
            named = fault(exc, Path(exc.filename).parent)
            if named is None:
                raise
            print(f"error: {named.strerror} ({exc.filename}); every output is as it was before the run", file=sys.stderr)
        elif exc.errno in FAULTS:
            print(f"error: {FAULTS[exc.errno]}; every output is as it was before the run", file=sys.stderr)
        else:
            raise
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
