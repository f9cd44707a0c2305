"""Kernels for the notebook steps, started ahead of the step that uses them.

Starting a kernel and importing pandas in it takes about half a second, most of the cost of a small
step. The pool starts kernels while the steps run (on the core they leave free) and does the imports
every notebook makes, silently (no output, no execution count), so every step gets a kernel prepared
the same way and the executed notebooks' bytes do not depend on timing. A kernel that becomes ready
goes to the waiting step with the longest chain of steps behind it, whichever asked first.

Two ways to launch a kernel, with the same bytes in the end (a test compares them):
- the fast launch (Linux only): kernels forked from one server per run that has imported ipykernel and
  numpy already (forkserver.py), through a kernel provisioner (provisioner.py), so a kernel costs
  milliseconds of CPU, not a third of a second. Off with DPRK_FAST_KERNELS=0 or `--stock-kernels`;
  on any failure the pool says so once and launches the stock way for the rest of the run;
- the stock launch: jupyter_client's own local provisioner, a new Python process per kernel.
Only jupyter_client's public API is used: manager and client traits, `start_kernel`'s documented
launch arguments, a kernel spec with a `kernel_provisioner` stanza, and `wait_for_ready`.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from typing import IO

from dprk_relations.core import paths
from dprk_relations.runner.forkserver import server_command

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
FAST_SWITCH = "DPRK_FAST_KERNELS"  # "0" turns the fast launch off
# Local sockets where the system has them (ipykernel warns about unencrypted TCP); TCP on localhost elsewhere.
TRANSPORT = "ipc" if os.name == "posix" else "tcp"


def fast_launch_problem() -> str:
    """Why the fast launch cannot be used here ("" when it can): forking a process that has imported
    numpy is safe on Linux only (macOS's system libraries do not support it; Windows cannot fork)."""
    import socket

    if os.environ.get(FAST_SWITCH, "1") == "0":
        return f"{FAST_SWITCH}=0"
    if not sys.platform.startswith("linux") or not hasattr(socket, "send_fds"):
        return f"the fast launch forks kernels, which is safe on Linux only (this is {sys.platform})"
    return ""


@dataclass
class Kernel:
    """A started, warmed kernel: its manager (what papermill takes) and its standard error's log."""

    manager: object
    stderr_log: Path
    stderr: IO[bytes]


async def _reply_to(client, msg_id: str, deadline: float) -> dict | None:
    while time.monotonic() < deadline:
        try:
            msg = await client.shell_channel.get_msg(timeout=1)
        except Empty:
            return None
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg
    return None


async def _iopub_connected(client) -> bool:
    try:
        await client.iopub_channel.get_msg(timeout=IOPUB_WAIT)
    except Empty:
        return False
    return True


def client_class():
    """A kernel client that is ready as soon as its IOPub socket is shown to be connected.

    jupyter_client's `wait_for_ready` ends by waiting for 0.2 s of silence on IOPub, which every
    notebook pays (papermill starts a client per notebook). Here the client asks for `kernel_info` until
    a reply has come on the shell channel and a message on IOPub (the kernel publishes its status for
    every request): then IOPub is connected, and papermill ignores messages that answer other requests."""
    from jupyter_client import protocol_version_info
    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            timeout = READY_TIMEOUT if timeout is None else timeout
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                reply = await _reply_to(self, self.kernel_info(), deadline)
                if reply is not None and await _iopub_connected(self):
                    # as jupyter_client does with the reply: speak the kernel's protocol version
                    major = int(reply["content"]["protocol_version"].split(".")[0])
                    if major != protocol_version_info[0]:
                        self.session.adapt_version = major
                    return
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    return ReadyClient


def forked_spec_manager(work_dir: Path, server_socket: str):
    """A kernel spec manager that knows one more kernel, written in the run's folder: Python 3 launched by
    the fork provisioner with the run's server (the spec's argv is the stock Python 3 spec's)."""
    from jupyter_client.kernelspec import KernelSpecManager

    from dprk_relations.runner import provisioner

    spec_dir = work_dir / "kernels" / provisioner.NAME
    spec = KernelSpecManager().get_kernel_spec("python3").to_dict()
    spec["metadata"] = {**spec.get("metadata", {}), "kernel_provisioner": {
        "provisioner_name": provisioner.NAME, "config": {"server_socket": server_socket}}}
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return KernelSpecManager(kernel_dirs=[str(spec_dir.parent)])


async def _start(work_dir: Path, spec_manager=None) -> Kernel:
    from jupyter_client.manager import AsyncKernelManager

    from dprk_relations.runner import provisioner

    # one name per kernel: the default socket names collide when two steps run at once; short, because a
    # socket path has at most 107 bytes. The connection file in the run's folder too (not Jupyter's
    # runtime folder): a killed run's folder, with everything in it, is removed by the next run.
    name = f"k-{uuid.uuid4().hex[:12]}"
    traits = {"transport": TRANSPORT, "client_factory": client_class(), "connection_file": str(work_dir / f"{name}.json")}
    if TRANSPORT == "ipc":
        traits["ip"] = str(work_dir / name)
    if spec_manager is not None:
        traits.update(kernel_name=provisioner.NAME, kernel_spec_manager=spec_manager)
    else:
        traits["kernel_name"] = "python3"
    km = AsyncKernelManager(**traits)
    stderr_log = work_dir / f"{name}.stderr.txt"
    # the kernel's own messages (a "KeyboardInterrupt caught in kernel" when it is stopped after a failure)
    # go to a log, not into the runner's output
    kernel = Kernel(km, stderr_log, stderr_log.open("ab"))
    try:
        await km.start_kernel(cwd=str(paths.ROOT), stderr=kernel.stderr)
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=READY_TIMEOUT)
            reply = await kc.execute_interactive(WARM_UP, silent=True, store_history=False, timeout=READY_TIMEOUT)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"a kernel could not import what the notebooks need: {reply['content'].get('evalue')}")
        finally:
            kc.stop_channels()
    except BaseException:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
        kernel.stderr.close()
        raise
    return kernel


def start(work_dir: Path, spec_manager=None) -> Kernel:
    """A started and warmed kernel (blocking): forked through `spec_manager` (forked_spec_manager) when one
    is given, launched the stock way otherwise."""
    return asyncio.run(_start(work_dir, spec_manager))


def stop(kernel: Kernel, now: bool = False) -> None:
    try:
        asyncio.run(kernel.manager.shutdown_kernel(now=now))
    finally:
        kernel.stderr.close()


class KernelPool:
    """Hands each notebook step a kernel, keeping up to `ahead` more starting or ready in the background.

    `reserve(priority, to_come)` returns a future kernel. Kernels are handed out as they become ready,
    each to the waiting request with the highest priority (the earliest among equals), so a step on the
    longest chain does not wait behind one that asked first. `to_come` is how many more steps may still
    ask: no kernel is started ahead that no step can use. `fast` (default: where fast_launch_problem finds
    none) launches kernels through the fork server; the first failure turns it off for the pool."""

    def __init__(self, work_dir: Path, ahead: int = 1, starters: int = STARTERS, fast: bool | None = None):
        self.work_dir = work_dir
        self.ahead = ahead
        self.fast = not fast_launch_problem() if fast is None else fast
        self._starter = ThreadPoolExecutor(max_workers=starters, thread_name_prefix="kernel-start")
        self._stopper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-stop")
        self._requests: list[tuple[int, int, Future]] = []  # (-priority, order, future)
        self._ready: list[Future] = []  # started (or failed to start) with no request yet
        self._starting = 0
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._server: subprocess.Popen | None = None
        self._spec_manager = None
        self.server_socket = str(work_dir / "kernels.sock")
        self.server_log = work_dir / "kernel-server.stderr.txt"

    def _start_server(self) -> None:
        """The fork server and the kernel spec that names it, on the first request (a run with nothing to do
        starts none). The server listens at once and imports while the first kernel's proxy waits for it."""
        if self.fast and self._server is None:
            self._spec_manager = forked_spec_manager(self.work_dir, self.server_socket)
            with self.server_log.open("ab") as log:
                self._server = subprocess.Popen(server_command(self.server_socket), cwd=paths.ROOT,
                                                stdin=subprocess.DEVNULL, stdout=log, stderr=log)

    def _fall_back(self, exc: BaseException) -> None:
        """The fast launch failed: say so once, and launch every later kernel the stock way."""
        with self._lock:
            if not self.fast:
                return
            self.fast = False
        print(f"note: the fast kernel launch failed ({type(exc).__name__}: {exc}); this run launches kernels "
              f"the stock way (set {FAST_SWITCH}=0 to skip the attempt)", flush=True)

    def _launch(self) -> Kernel:
        from dprk_relations.core.outputs import fault

        if self.fast:
            try:
                return start(self.work_dir, self._spec_manager)
            except Exception as exc:
                if isinstance(exc, OSError) and fault(exc, self.work_dir) is not None:
                    raise  # a full or read-only folder: the stock launch would fail the same way
                self._fall_back(exc)
        return start(self.work_dir)

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
            done.set_result(self._launch())
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

    def release(self, kernel: Kernel) -> None:
        """Shut a used kernel down in the background, as papermill would have (gracefully)."""
        self._stopper.submit(stop, kernel)

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
