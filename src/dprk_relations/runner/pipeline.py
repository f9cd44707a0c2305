"""The run and its command line: parameters checked, output folders locked and staged, each step run
or skipped (keys.py decides, schedule.py orders, execute.py runs a notebook), the outputs published
all at once, and the manifest written. Nothing heavy (papermill, nbformat, a kernel) is imported when
nothing is stale.

    python -m dprk_relations.runner.pipeline [--focal KOR] [--as-of 2016-08-01] [--first-year 1960] [--raw-dir DIR] [--force]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from dprk_relations.core import catalogue, paths, stage
from dprk_relations.core import focal as focals
from dprk_relations.core.catalogue import Step
from dprk_relations.core.params import COMMON, EXTRA, ParameterError, Params, check, declared, output_dirs
from dprk_relations.data import store
from dprk_relations.report import changes
from dprk_relations.runner import keys
from dprk_relations.runner.execute import StepFailed, execute_notebook, log, render_page
from dprk_relations.runner.folders import output_folders, run_folder, sweep_dead_runs
from dprk_relations.runner.schedule import PoolOnDemand, run_in_order

# Two cores here: two notebooks at a time measured ~1.7x faster than one after another.
MAX_PARALLEL_STEPS = 2
# Kernels started beyond those steps wait for: enough for the steps that become ready together after 02.
KERNELS_AHEAD = 2
STEPS = catalogue.STEPS


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


def run(values: dict, force: bool = False, parallel: int = MAX_PARALLEL_STEPS, fast_kernels: bool | None = None) -> dict:
    """Run the pipeline for `values` (the notebooks' parameters); return the manifest written.
    `fast_kernels`: launch kernels through the fork server (None: where kernels.fast_launch_problem finds none)."""
    started = time.perf_counter()
    params = {s.name: check(s.name, step_values(s.name, values)) for s in STEPS}
    base = params[STEPS[0].name]
    versions = keys.package_versions()
    # in the main thread: ast.parse is not thread-safe in CPython 3.11 (it fails at random under threads); the last
    # manifest's codes when no module, notebook or template has changed (a forced run computes them afresh)
    last = None if force else keys.read_manifest(base.reports_dir).get("code_memo")
    codes, code_memo = keys.step_codes(STEPS, last)
    folders = output_folders(base)
    with run_lock(folders):
        for folder in folders:
            done = stage.recover(folder)
            if done:
                log(f"pipeline: {done}")
        swept = sweep_dead_runs()
        if swept:
            log(f"pipeline: removed {swept} temporary folder(s) that killed runs left behind")
        with run_folder() as work:
            mapping = stage.open_stages(folders)
            try:
                manifest = _run_locked(params, base, versions, (codes, code_memo), work, force, parallel, started, fast_kernels)
                published = stage.commit(mapping)
            finally:
                stage.close_stages()
                for folder_stage in mapping.values():  # a failed or interrupted run publishes nothing
                    stage.discard(folder_stage)
    log(f"pipeline: {len(manifest['ran'])} step(s) ran, {len(manifest['steps']) - len(manifest['ran'])} skipped, "
        f"{published} file(s) published, {manifest['total_seconds']:.1f} s; report at {paths.relative(base.reports_dir / 'index.html')}")
    return manifest


def _run_locked(params: dict, base: Params, versions: dict, code: tuple[dict, dict], work_dir: Path,
                force: bool, parallel: int, started: float, fast_kernels: bool | None = None) -> dict:
    codes, code_memo = code
    previous = keys.read_manifest(base.reports_dir).get("steps", {})
    records: dict[str, dict] = {}
    log(f"pipeline: {'' if base.focal.code == focals.DEFAULT else f'focal={base.focal.code}, '}as_of={base.as_of}, outputs in {paths.relative(base.processed_dir)} and {paths.relative(base.reports_dir)}")

    def open_pool():
        from dprk_relations.runner.kernels import KernelPool, fast_launch_problem

        made = KernelPool(work_dir, ahead=KERNELS_AHEAD, fast=fast_kernels)
        if not made.fast:
            log(f"pipeline: kernels are launched the stock way ({fast_launch_problem() or '--stock-kernels'})")
        return made

    pool = PoolOnDemand(open_pool)

    decided: dict[str, dict] = {}  # every step's record as decided, before it runs (its inputs are known then)
    unwritten: dict[str, str | None] = {}  # the hashes of the raw and shipped files, once per run (keys.step_inputs)

    def decide(step: Step) -> dict:
        """The step's key and whether its outputs are those the key already made (main thread: cheap)."""
        p = params[step.name]
        upstream = None if step.notebook else {n: r["inputs"] for n, r in sorted(decided.items())}
        inputs = keys.step_inputs(step, p, upstream, unwritten)
        key = keys.step_key(step, p, inputs, codes[step.name], versions)
        outputs = keys.step_outputs(step, p)
        status = "skipped" if not force and keys.is_up_to_date(previous.get(step.name, {}), key, outputs) else "stale"
        decided[step.name] = {"key": key, "status": status, "seconds": 0.0, "inputs": inputs, "outputs": outputs}
        return decided[step.name]

    def execute(step: Step, record: dict, kernel):
        """Run a step; return a function that finishes it (its notebook's page) and returns its record."""
        p = params[step.name]
        log(f"  [{step.name}] running {step.notebook or 'the HTML report'} ...")
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
            outputs = keys.step_outputs(step, p)
            missing = [n for n, h in outputs.items() if h is None]
            if missing:
                raise StepFailed(f"{step.name} ran but did not write {', '.join(missing)}")
            log(f"  [{step.name}] done in {took:.1f} s")
            return {**record, "status": "ran", "seconds": took, "outputs": outputs}

        return finish

    try:
        run_in_order(decide, execute, pool, records, parallel)
        undeclared_outputs(base)
    except StepFailed as exc:
        log(f"pipeline FAILED: {exc}")
        log("pipeline: nothing was published; every output is as it was before the run")
        raise
    finally:
        pool.close()  # also on an interruption: no kernel, and no kernel server, outlives the run
    report_changes(base)
    manifest = keys.write_manifest(base, versions, records, started, code_memo)
    return {**manifest, "ran": [n for n, r in records.items() if r["status"] == "ran"]}


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
    declared_files |= {paths.relative(base.reports_dir / name) for name in (keys.MANIFEST, "run.html")}
    changed = [n for n in written_files(base) if n not in declared_files]
    if changed:
        raise StepFailed(f"the run wrote {', '.join(changed)}, which no step declares in catalogue.py "
                         "(declare each file in the writes of the step that makes it)")


def report_changes(base: Params) -> list[dict] | None:
    """Print how many statements and published counts lie after the cut-off, and each claim whose verdict
    or value differs from the committed data; return the differences (None: nothing to compare)."""
    after, checked = changes.cut_off_counts(base.processed_dir / "claims_checked.csv")
    if after:
        log(f"pipeline: {after} statement(s) concern facts after the cut-off {base.as_of} and are not checked; "
             "every other statement is checked against the data as they stood then")
    apart = changes.counts_set_apart(base.processed_dir)
    if apart:
        log(f"pipeline: {apart} published count(s) cover a period ending after the cut-off {base.as_of} and are not "
            "compared with the data")
    if base.focal != changes.REGISTER_OF:
        log(f"pipeline: the committed verdicts are the {changes.REGISTER_OF.short}'s register; "
            f"a run for the {base.focal.short} has none to compare with")
        return None
    changed = changes.against_committed(base.processed_dir / "claims_checked.csv")
    if changed is None:
        log("pipeline: no committed verdicts to compare with (not a git checkout)")
        return None
    if changed:
        log(f"pipeline: {len(changed)} claim(s) differ from the committed data ({changes.COMMITTED}):")
        for row in changed:
            log(f"  {changes.describe(row)}")
    elif after and not checked:
        log("pipeline: no statement concerns facts up to the cut-off: none is compared with the committed verdicts "
            f"({changes.COMMITTED})")
    else:
        # the statements after the cut-off were not compared
        scope = f" of the {checked} statement{'s' if checked != 1 else ''} checked" if after else ""
        log(f"pipeline: every verdict and value{scope} as committed ({changes.COMMITTED})")
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
                log(f"pipeline: another run is writing to {paths.relative(folder)}; waiting for it to finish ...")
                lock.acquire()
            held.callback(lock.release)
        yield


def parse_args(argv: list[str]) -> tuple[dict, argparse.Namespace]:
    parser = argparse.ArgumentParser(prog="dprk-pipeline", description="Run the notebooks in order and build the HTML report.")
    parser.add_argument("--focal", help="whose relations to count: PRK (default, the report's) or KOR (the ROK's list)")
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
    parser.add_argument("--pdf", action="store_true",
                        help="also print the report to report.pdf with headless Chromium (skipped, with a message, without one)")
    parser.add_argument("--stock-kernels", action="store_true",
                        help="launch kernels the stock way, not forked (also: DPRK_FAST_KERNELS=0)")
    args = parser.parse_args(argv)
    values = {k: v for k, v in {"focal": args.focal, "as_of": args.as_of, "first_year": args.first_year, "raw_dir": args.raw_dir,
                                "processed_dir": args.processed_dir, "reports_dir": args.reports_dir,
                                **{name: getattr(args, name) for extra in EXTRA.values() for name in extra}}.items()
              if v not in (None, "")}
    return values, args


def _print_pdf(reports_dir: Path, page_changed: bool) -> None:
    """The PDF of the page, printed again only when the page was rebuilt (or the PDF is missing)."""
    from dprk_relations.report import pdf

    if page_changed or not (reports_dir / pdf.PDF).is_file():
        pdf.print_report(reports_dir)


def main(argv: list[str] | None = None) -> int:
    from dprk_relations.core.outputs import FAULTS, OutputFault, fault

    values, args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        manifest = run(values, force=args.force, parallel=1 if args.serial else MAX_PARALLEL_STEPS,
                       fast_kernels=False if args.stock_kernels else None)
        if args.pdf:
            report = catalogue.REPORT
            _print_pdf(check(report, step_values(report, values)).reports_dir, report in manifest["ran"])
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
