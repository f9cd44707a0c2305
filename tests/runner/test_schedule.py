"""The order the steps run in: each as soon as what it reads is written, a page rendered while the next run."""
from __future__ import annotations

import threading
import time

from dprk_relations.core import catalogue
from dprk_relations.runner import schedule


class NoKernels:
    def reserve(self, priority=0, to_come=0):
        return None


def test_the_next_steps_start_while_a_page_renders_and_the_run_ends_when_every_page_is_written():
    """A notebook's HTML page is rendered in a thread of its own: the steps after it do not wait for it,
    nor does the report (it links the pages, it does not read them); the run ends with every page."""
    page_may_finish = threading.Event()
    log: list[tuple[str, str]] = []

    def decide(step):
        return {"status": "stale"}

    def execute(step, record, kernel):
        log.append(("run", step.name))
        if step.name == "02-yearly-counts":
            page_may_finish.set()  # 01's page has not finished: 02 started without it

        def finish():
            if step.name == "01-ingest":
                assert page_may_finish.wait(10), "02 waited for 01's page"
            log.append(("page", step.name))
            return {"status": "ran"}

        return finish

    records: dict = {}
    schedule.run_in_order(decide, execute, NoKernels(), records, parallel=2)
    assert set(records) == set(catalogue.STEP)
    assert {("page", s.name) for s in catalogue.NOTEBOOK_STEPS} <= set(log)
    report_starts = log.index(("run", catalogue.REPORT))
    assert all(log.index(("run", s.name)) < report_starts for s in catalogue.NOTEBOOK_STEPS)
    assert log.index(("run", "02-yearly-counts")) < log.index(("page", "01-ingest"))


def test_a_step_that_reads_a_page_waits_for_it(monkeypatch):
    """The rule itself: a step reading a notebook's page starts only once that page is written."""
    reader = catalogue.Step("07-reader", None, ("01-ingest",), reads=("notebooks/01-ingest.html",))
    first = catalogue.STEP["01-ingest"]
    monkeypatch.setattr(schedule, "STEPS", [first, reader])
    page_written = threading.Event()
    order: list[str] = []

    def execute(step, record, kernel):
        order.append(f"run {step.name}")

        def finish():
            if step.name == "01-ingest":
                time.sleep(0.2)
                page_written.set()
            order.append(f"page {step.name}")
            return {"status": "ran"}

        return finish

    schedule.run_in_order(lambda step: {"status": "stale"}, execute, NoKernels(), {}, parallel=2)
    assert order.index("page 01-ingest") < order.index("run 07-reader")


class CountingPool:
    def __init__(self):
        self.reserved, self.released, self.closed = [], [], 0

    def reserve(self, priority=0, to_come=0):
        self.reserved.append((priority, to_come))
        return f"kernel {len(self.reserved)}"

    def release(self, kernel):
        self.released.append(kernel)

    def close(self):
        self.closed += 1


def test_the_kernel_pool_is_made_at_the_first_reserve_and_closed_only_if_made():
    made: list[CountingPool] = []
    idle = schedule.PoolOnDemand(lambda: made.append(CountingPool()) or made[-1])
    idle.close()
    assert made == []  # a run with nothing stale makes no pool, and closing it stops nothing
    pool = schedule.PoolOnDemand(lambda: made.append(CountingPool()) or made[-1])
    assert pool.reserve(priority=3, to_come=2) == "kernel 1" and pool.reserve() == "kernel 2"
    pool.release("kernel 1")
    pool.close()
    assert len(made) == 1 and made[0].reserved == [(3, 2), (0, 0)]
    assert made[0].released == ["kernel 1"] and made[0].closed == 1
