"""Run the notebooks in order, skipping a step whose inputs have not changed.

Each step declares what it reads (raw tables, processed tables, the package's code, its
parameters) and what it writes. Its key is a hash of the content of all of these; a step is
skipped when the previous run recorded the same key and its outputs still have the recorded
hashes. Nothing heavy (papermill, nbformat, a kernel) is imported when nothing is stale.

    python -m dprk_relations.build.pipeline [--as-of 2016-08-01] [--first-year 1960] [--raw-dir DIR] [--force]
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

from dprk_relations.core import catalogue, paths
from dprk_relations.data import store
from dprk_relations.build import changes
from dprk_relations.core.catalogue import Step
from dprk_relations.core.outputs import sha256_file
from dprk_relations.core.params import EXTRA, ParameterError, Params, check, declared, output_dirs

MANIFEST = "manifest.json"
MAIN_PACKAGES = ["pandas", "numpy", "matplotlib", "seaborn", "country_converter", "papermill", "nbconvert", "ipykernel"]
# Two cores here: two notebooks at a time measured ~1.7x faster than one after another.
MAX_PARALLEL_STEPS = 2
# Kernels started beyond those steps wait for: enough for the steps that become ready together after 02.
KERNELS_AHEAD = 2
STEPS = catalogue.STEPS


PACKAGE_DIR = Path(__file__).resolve().parents[1]
PACKAGE = PACKAGE_DIR.name
RUNNER, REPORT_MODULE = "build.pipeline", "build.report"


def module_path(module: str) -> Path:
    """The file of a module named within the package, by layer ("core.paths")."""
    return PACKAGE_DIR.joinpath(*module.split(".")).with_suffix(".py")


def package_modules() -> list[str]:
    """Every module of the package, named by layer ("core.paths", "build.pipeline")."""
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
    from dprk_relations.build.report import TEMPLATES

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

    from dprk_relations.build.kernels import KernelPool
    from dprk_relations.build.notebooks import clean_executed

    own_pool = pool is None
    pool = pool or KernelPool(work_dir, ahead=0)
    kernel = kernel or pool.reserve()
    source = paths.NOTEBOOKS / step.notebook
    target_dir = params.reports_dir / "notebooks"
    target_dir.mkdir(parents=True, exist_ok=True)
    partial = target_dir / f".partial-{step.notebook}"
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
        failed = target_dir / "failed" / step.notebook
        failed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(partial, failed)
        if km.stderr_log.is_file() and km.stderr_log.stat().st_size:
            shutil.copyfile(km.stderr_log, failed.with_suffix(".kernel-stderr.txt"))
        raise StepFailed(
            f"{paths.relative(source)} failed in cell {exc.cell_index} (execution count {exc.exec_count}): "
            f"{exc.ename}: {exc.evalue}\n  partial notebook kept at {paths.relative(failed)}"
        ) from None
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
    from dprk_relations.build.report import render_notebook

    render_notebook(params.reports_dir / "notebooks" / step.notebook)


def step_values(step: str, values: dict) -> dict:
    """The run's values a step declares. Every step of a run writes to the run's folders, named after all
    its parameters: a step's own view would name them after its parameters alone."""
    own = {k: v for k, v in values.items() if k in declared(step)}
    run_dirs, step_dirs = output_dirs(values), output_dirs(own)
    if run_dirs != step_dirs:
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
    with run_lock(base.reports_dir), tempfile.TemporaryDirectory(prefix="dprk-run-") as work:
        return _run_locked(params, base, versions, codes, Path(work), force, parallel, started)


def _run_locked(params: dict, base: Params, versions: dict, codes: dict, work_dir: Path,
                force: bool, parallel: int, started: float) -> dict:
    previous = read_manifest(base.reports_dir).get("steps", {})
    remove_leftovers(base)
    before = output_files(base)
    records: dict[str, dict] = {}
    _log(f"pipeline: as_of={base.as_of}, outputs in {paths.relative(base.processed_dir)} and {paths.relative(base.reports_dir)}")

    from dprk_relations.build.kernels import KernelPool

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
            from dprk_relations.build.report import build

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
        undeclared_outputs(base, before)
    except StepFailed as exc:
        _log(f"pipeline FAILED: {exc}")
        write_manifest(base, versions, {**previous, **records}, started)
        raise
    finally:
        pool.close()  # also on an interruption: no kernel, and no kernel server, outlives the run
    report_changes(base)
    manifest = write_manifest(base, versions, records, started)
    ran = [n for n, r in records.items() if r["status"] == "ran"]
    _log(f"pipeline: {len(ran)} step(s) ran, {len(records) - len(ran)} skipped, {manifest['total_seconds']:.1f} s; "
         f"report at {paths.relative(base.reports_dir / 'index.html')}")
    return manifest


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


def output_files(base: Params) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file the steps may write (processed tables, figures, pages)."""
    found = {}
    for folder, pattern in ((base.processed_dir, "*.csv"), (base.figures_dir, "*"), (base.reports_dir, "*.html"),
                            (base.reports_dir, "*.js")):
        if folder.is_dir():
            for path in folder.glob(pattern):
                if path.is_file():
                    stat = path.stat()
                    found[paths.relative(path)] = (stat.st_size, stat.st_mtime_ns)
    return found


def undeclared_outputs(base: Params, before: dict) -> None:
    """A file written during the run that no step declares fails the run, naming it (catalogue.py)."""
    declared_files = {paths.relative(store.path_of(base, o)) for s in STEPS for o in s.writes}
    declared_files.add(paths.relative(base.reports_dir / "run.html"))
    changed = sorted(n for n, stat in output_files(base).items() if before.get(n) != stat and n not in declared_files)
    if changed:
        raise StepFailed(f"the run wrote {', '.join(changed)}, which no step declares in catalogue.py "
                         "(declare each file in the writes of the step that makes it)")


def report_changes(base: Params) -> list[dict] | None:
    """Print each claim whose verdict or value differs from the committed data; return them (None: nothing to compare)."""
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
def run_lock(reports_dir: Path):
    """One run at a time per output folder: a second `make report` in the same clone waits for the first
    (each run's start-up clean-up would otherwise delete the other's temporary files)."""
    import fcntl

    reports_dir.mkdir(parents=True, exist_ok=True)
    with (reports_dir / LOCK).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _log(f"pipeline: another run is writing to {paths.relative(reports_dir)}; waiting for it to finish ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_manifest(base: Params, versions: dict, records: dict, started: float) -> dict:
    """The run manifest (JSON) and its page: parameters, versions, every input and output hash, each step's key, status, duration."""
    from dprk_relations.core.outputs import atomic_write
    from dprk_relations.build.report import render_run_log

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


def remove_leftovers(params: Params) -> None:
    """Temporary files of a run that was killed: never half-written outputs, so they are just removed."""
    for folder in (params.processed_dir, params.reports_dir, params.figures_dir, params.reports_dir / "notebooks"):
        if folder.is_dir():
            for leftover in list(folder.glob(".*.tmp")) + list(folder.glob(".partial-*")):
                leftover.unlink()


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
    values, args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run(values, force=args.force, parallel=1 if args.serial else MAX_PARALLEL_STEPS)
    except ParameterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StepFailed:
        return 1
    except PermissionError as exc:
        print(f"error: permission denied on {exc.filename}: the run needs to write data/processed and reports "
              "(check their owner and mode)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
