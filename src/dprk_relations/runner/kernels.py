"""Kernels for the notebook steps, started ahead of the step that uses them.

Starting a kernel and importing pandas in it takes about half a second, most of the cost of a small
step. The pool starts kernels while the steps run (on the core they leave free) and does the imports
every notebook makes, silently (no output, no execution count), so every step gets a kernel prepared
the same way and the executed notebooks' bytes do not depend on timing. A kernel that becomes ready
goes to the waiting step with the longest chain of steps behind it, whichever asked first.
Kernels are forked from one server per run that has imported ipykernel and numpy already
(forkserver.py), so a kernel costs milliseconds of CPU, not half a second.
"""
from __future__ import annotations

import asyncio
import itertools
import subprocess
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from queue import Empty

from dprk_relations.core import paths
from dprk_relations.runner.forkserver import proxy_command, server_command

# Run in each kernel before it is handed to a step: the imports all notebooks make first. Nothing is
# printed and the execution count does not move (silent), so a notebook's outputs are as in a fresh kernel.
WARM_UP = "import numpy, pandas\nimport dprk_relations.data.store, dprk_relations.core.params\n"
READY_TIMEOUT = 60  # seconds for a kernel to answer
# How long to wait for a message on IOPub before asking the kernel again: a client's IOPub socket may
# connect after the kernel has answered (ZeroMQ's "slow joiner"), and then the answer's status is lost.
# The kernel publishes its status within milliseconds of its reply; asking again costs as little.
IOPUB_WAIT = 0.05
# Kernels started at once: two cores, and each start is mostly one process importing modules.
STARTERS = 2


def client_class():
    """A kernel client that is ready as soon as its IOPub socket is shown to be connected.

    jupyter_client's `wait_for_ready` ends by waiting for 0.2 s of silence on IOPub, which every
    notebook pays (papermill starts a client per notebook). Here the client asks for `kernel_info` until
    a reply has come on the shell channel and a message on IOPub (the kernel publishes its status for
    every request): then IOPub is connected, and papermill ignores messages that answer other requests."""
    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            timeout = READY_TIMEOUT if timeout is None else timeout
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                reply = await self._reply_to(self.kernel_info(), deadline)
                if reply is not None and await self._iopub_connected():
                    self._handle_kernel_info_reply(reply)
                    return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

        async def _reply_to(self, msg_id: str, deadline: float) -> dict | None:
            while time.monotonic() < deadline:
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    return None
                if msg["parent_header"].get("msg_id") == msg_id:
                    return msg
            return None

        async def _iopub_connected(self) -> bool:
            try:
                await self.iopub_channel.get_msg(timeout=IOPUB_WAIT)
            except Empty:
                return False
            return True

    return ReadyClient


def manager_class():
    """The kernel manager: local sockets in the run's folder, the kernel's stderr in a log beside them."""
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        """Kernels talk over local sockets, not TCP (ipykernel warns about unencrypted TCP)."""

        work_dir: Path

        def __init__(self, work_dir: Path, server_socket: str, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("client_factory", client_class())
            # one socket name per kernel: the default name collides when two steps run at once;
            # short, because a socket path has at most 107 bytes
            name = f"k-{uuid.uuid4().hex[:12]}"
            kwargs.setdefault("ip", str(work_dir / name))
            # the connection file in the run's folder too (not Jupyter's runtime folder): a killed run's
            # folder, with everything in it, is removed by the next run
            kwargs.setdefault("connection_file", str(work_dir / f"{name}.json"))
            super().__init__(**kwargs)
            self.stderr_log = work_dir / f"{name}.stderr.txt"
            self.server_socket = server_socket

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # the kernel's own messages (a "KeyboardInterrupt caught in kernel" when it is stopped after a
            # failure) go to a log, not into the runner's output
            kw["stderr"] = self._stderr = self.stderr_log.open("ab")
            return await super()._async_launch_kernel(proxy_command(self.server_socket, kernel_cmd), **kw)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if getattr(self, "_stderr", None):
                self._stderr.close()

    return LocalKernelManager


async def _start(work_dir: Path, server_socket: str):
    km = manager_class()(work_dir, server_socket, kernel_name="python3")
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


def start(work_dir: Path, server_socket: str):
    """A started and warmed kernel manager (blocking), its kernel forked by the server at `server_socket`."""
    return asyncio.run(_start(work_dir, server_socket))


def stop(km, now: bool = False) -> None:
    asyncio.run(km.shutdown_kernel(now=now))


class KernelPool:
    """Hands each notebook step a kernel, keeping up to `ahead` more starting or ready in the background.

    `reserve(priority, to_come)` returns a future kernel. Kernels are handed out as they become ready,
    each to the waiting request with the highest priority (the earliest among equals), so a step on the
    longest chain does not wait behind one that asked first. `to_come` is how many more steps may still
    ask: no kernel is started ahead that no step can use."""

    def __init__(self, work_dir: Path, ahead: int = 1, starters: int = STARTERS):
        self.work_dir = work_dir
        self.ahead = ahead
        self._starter = ThreadPoolExecutor(max_workers=starters, thread_name_prefix="kernel-start")
        self._stopper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-stop")
        self._requests: list[tuple[int, int, Future]] = []  # (-priority, order, future)
        self._ready: list[Future] = []  # started (or failed to start) with no request yet
        self._starting = 0
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._server: subprocess.Popen | None = None
        self.server_socket = str(work_dir / "kernels.sock")
        self.server_log = work_dir / "kernel-server.stderr.txt"

    def _start_server(self) -> None:
        """The fork server, on the first request (a run with nothing to do starts none). It listens at once
        and imports while the first kernel's proxy waits for it."""
        if self._server is None:
            with self.server_log.open("ab") as log:
                self._server = subprocess.Popen(server_command(self.server_socket), cwd=paths.ROOT,
                                                stdin=subprocess.DEVNULL, stdout=log, stderr=log)

    def reserve(self, priority: int = 0, to_come: int = 0) -> Future:
        """A kernel for one step (its `result()` waits until one is ready and warmed); give it back with
        `release`. Starts what is missing, and up to `ahead` more for the `to_come` steps that may follow."""
        with self._lock:
            if self._ready:
                future = self._ready.pop(0)
            else:
                future = Future()
                self._requests.append((-priority, next(self._order), future))
                self._requests.sort(key=lambda r: r[:2])
            wanted = len(self._requests) + min(self.ahead, to_come)
            self._start_server()
            for _ in range(wanted - self._starting - len(self._ready)):
                self._starting += 1
                self._starter.submit(self._start_one)
        return future

    def _start_one(self) -> None:
        from dprk_relations.core.outputs import fault

        done: Future = Future()
        try:
            done.set_result(start(self.work_dir, self.server_socket))
        except OSError as exc:  # a full temporary folder: named, with the folder
            done.set_exception(fault(exc, self.work_dir) or exc)
        except BaseException as exc:  # handed to the step that waits for it, which reports it
            done.set_exception(exc)
        with self._lock:
            self._starting -= 1
            if not self._requests:
                self._ready.append(done)
                return
            _, _, future = self._requests.pop(0)
        if done.exception() is not None:
            future.set_exception(done.exception())
        else:
            future.set_result(done.result())

    def release(self, km) -> None:
        """Shut a used kernel down in the background, as papermill would have (gracefully)."""
        self._stopper.submit(stop, km)

    def close(self) -> None:
        """Shut every kernel down: those used, and those started ahead for steps that were up to date."""
        self._starter.shutdown(wait=True)
        with self._lock:
            ready, self._ready = self._ready, []
        for future in ready:
            if future.exception() is not None:  # started for a step that did not run: nothing to stop
                if not isinstance(future.exception(), OSError):  # a fault is the run's own error, said once
                    print(f"note: a kernel started ahead failed to start: {future.exception()}", flush=True)
                continue
            self._stopper.submit(stop, future.result(), True)
        self._stopper.shutdown(wait=True)
        if self._server is not None:  # it holds no state: every kernel it forked has been shut down
            self._server.terminate()
            self._server.wait()
