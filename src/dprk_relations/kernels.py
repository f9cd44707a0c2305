"""Kernels for the notebook steps, started ahead of the step that uses them.

Starting a kernel and importing pandas in it takes about a second, most of the cost of a small step.
The pool starts the next step's kernel while the current steps run (on the core they leave free) and
does the imports every notebook makes, silently (no output, no execution count), so every step gets
a kernel prepared the same way and the executed notebooks' bytes do not depend on timing.
"""
from __future__ import annotations

import asyncio
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from . import paths

# Run in each kernel before it is handed to a step: the imports all notebooks make first. Nothing is
# printed and the execution count does not move (silent), so a notebook's outputs are as in a fresh kernel.
WARM_UP = "import numpy, pandas\nimport dprk_relations.store, dprk_relations.params\n"
READY_TIMEOUT = 60  # seconds for a kernel to answer


def manager_class():
    """The kernel manager: local sockets in the run's folder, the kernel's stderr in a log beside them."""
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        """Kernels talk over local sockets, not TCP (ipykernel warns about unencrypted TCP)."""

        work_dir: Path

        def __init__(self, work_dir: Path, **kwargs):
            kwargs.setdefault("transport", "ipc")
            # one socket name per kernel: the default name collides when two steps run at once;
            # short, because a socket path has at most 107 bytes
            name = f"k-{uuid.uuid4().hex[:12]}"
            kwargs.setdefault("ip", str(work_dir / name))
            super().__init__(**kwargs)
            self.stderr_log = work_dir / f"{name}.stderr.txt"

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # the kernel's own messages (a "KeyboardInterrupt caught in kernel" when it is stopped after a
            # failure) go to a log, not into the runner's output
            kw["stderr"] = self._stderr = self.stderr_log.open("ab")
            return await super()._async_launch_kernel(kernel_cmd, **kw)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if getattr(self, "_stderr", None):
                self._stderr.close()

    return LocalKernelManager


async def _start(work_dir: Path):
    km = manager_class()(work_dir, kernel_name="python3")
    await km.start_kernel(cwd=str(paths.ROOT))
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=READY_TIMEOUT)
        reply = await kc.execute_interactive(WARM_UP, silent=True, store_history=False, timeout=READY_TIMEOUT)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"a kernel could not import what the notebooks need: {reply['content'].get('evalue')}")
    finally:
        kc.stop_channels()
    return km


def start(work_dir: Path):
    """A started and warmed kernel manager (blocking)."""
    return asyncio.run(_start(work_dir))


def stop(km, now: bool = False) -> None:
    asyncio.run(km.shutdown_kernel(now=now))


class KernelPool:
    """Hands each notebook step a kernel, keeping `ahead` more starting in the background."""

    def __init__(self, work_dir: Path, ahead: int = 1):
        self.work_dir = work_dir
        self.ahead = ahead
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-start")
        self._stopper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-stop")
        self._waiting: list[Future] = []
        self._lock = threading.Lock()

    def reserve(self) -> Future:
        """The next kernel, for one step (its `result()` waits until it is warmed); give it back with `release`.
        Reserving starts the next one ahead."""
        with self._lock:
            if not self._waiting:
                self._waiting.append(self._starter.submit(start, self.work_dir))
            future = self._waiting.pop(0)
            while len(self._waiting) < self.ahead:
                self._waiting.append(self._starter.submit(start, self.work_dir))
        return future

    def release(self, km) -> None:
        """Shut a used kernel down in the background, as papermill would have (gracefully)."""
        self._stopper.submit(stop, km)

    def close(self) -> None:
        """Shut every kernel down: those used, and those started ahead for steps that were up to date."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
        for future in waiting:
            if future.exception() is not None:  # started for a step that did not run: nothing to stop
                print(f"note: a kernel started ahead failed to start: {future.exception()}", flush=True)
                continue
            self._stopper.submit(stop, future.result(), True)
        self._starter.shutdown(wait=True)
        self._stopper.shutdown(wait=True)
