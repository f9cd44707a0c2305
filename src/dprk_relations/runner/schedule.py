"""The order of the steps: each as soon as the steps it comes after have written what it reads."""
from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from dprk_relations.core import catalogue
from dprk_relations.core.catalogue import Step
from dprk_relations.runner.execute import StepFailed, log

STEPS = catalogue.STEPS


class PoolOnDemand:
    """The run's kernel pool, made by `make` when the first stale notebook step asks for a kernel: a run
    with nothing to do imports no kernel machinery (asyncio, jupyter_client) and starts no kernel."""

    def __init__(self, make):
        self._make, self._pool = make, None

    def reserve(self, priority: int = 0, to_come: int = 0):
        if self._pool is None:  # the scheduler's thread alone reserves: no race to make two
            self._pool = self._make()
        return self._pool.reserve(priority=priority, to_come=to_come)

    def release(self, kernel) -> None:
        self._pool.release(kernel)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


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
                        log(f"  [{step.name}] up to date, skipped")
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
