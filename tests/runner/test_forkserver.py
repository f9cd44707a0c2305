"""The fork server (runner/forkserver.py): a kernel forked from the run's server runs where the runner
asked, gets the interrupts sent to it, ends with the proxy jupyter_client watches and shows tables as a
kernel started the usual way; the server leaves when the run that started it is gone; only ipykernel
commands are forked."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from dprk_relations.core import paths
from dprk_relations.runner import forkserver, kernels


@pytest.fixture
def server():
    """A fork server in a short temporary folder (a socket path has at most 107 bytes)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the fork server runs on Linux only")
    with tempfile.TemporaryDirectory(prefix="k-") as work:
        work = Path(work)
        socket_path = str(work / "s.sock")
        proc = subprocess.Popen(forkserver.server_command(socket_path), cwd=paths.ROOT, stderr=subprocess.DEVNULL)
        try:
            yield work, socket_path, proc
        finally:
            proc.terminate()
            proc.wait()


def forked(work: Path, socket_path: str) -> kernels.Kernel:
    """A kernel forked by the server at `socket_path`, launched through the fork provisioner."""
    return kernels.start(work, kernels.forked_spec_manager(work, socket_path))


def execute(km, code: str, timeout: float = 30) -> tuple[dict, str]:
    """Run `code` in the kernel; return the reply's content and what it printed."""

    async def go():
        kc = km.client()
        kc.start_channels()
        printed = []
        try:
            await kc.wait_for_ready(timeout=timeout)
            reply = await kc.execute_interactive(
                code, timeout=timeout,
                output_hook=lambda m: printed.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
        finally:
            kc.stop_channels()
        return reply["content"], "".join(printed)

    return asyncio.run(go())


def gone(pid: int, within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_kernel_is_forked_from_the_server_and_runs_where_the_runner_asked(server):
    work, socket_path, proc = server
    kernel = forked(work, socket_path)
    km = kernel.manager
    try:
        for _ in range(3):  # the first output of a fresh client arrives (its IOPub is connected when ready)
            content, printed = execute(km, "import os, pandas\nprint(os.getppid(), os.getcwd(), 'pandas' in dir())")
            assert content["status"] == "ok"
            ppid, cwd, imported = printed.split()
            assert int(ppid) == proc.pid and Path(cwd) == paths.ROOT and imported == "True"
    finally:
        kernels.stop(kernel)
    assert proc.poll() is None, "the server serves the next kernel"


def test_an_interrupt_reaches_the_forked_kernel(server):
    work, socket_path, _ = server
    kernel = forked(work, socket_path)
    km = kernel.manager

    async def interrupt_later():
        await asyncio.sleep(1.0)
        await km.interrupt_kernel()

    async def go():
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=30)
            task = asyncio.ensure_future(interrupt_later())
            reply = await kc.execute_interactive("import time\ntime.sleep(60)", timeout=30)
            await task
            return reply["content"]
        finally:
            kc.stop_channels()

    try:
        content = asyncio.run(go())
    finally:
        kernels.stop(kernel, now=True)
    assert content["status"] == "error" and content["ename"] == "KeyboardInterrupt"


def test_a_kernel_ends_with_the_process_jupyter_watches(server):
    """Killing the proxy (what jupyter_client does to a kernel that will not stop) ends the kernel too;
    a kernel that dies is seen as dead through its proxy."""
    work, socket_path, _ = server
    kernel = forked(work, socket_path)
    km = kernel.manager
    _, printed = execute(km, "import os\nprint(os.getpid())")
    kernel_pid = int(printed)
    os.kill(km.provisioner.pid, signal.SIGKILL)
    assert gone(kernel_pid), "the kernel outlived its proxy"
    kernels.stop(kernel, now=True)

    kernel = forked(work, socket_path)
    km = kernel.manager
    _, printed = execute(km, "import os\nprint(os.getpid())")
    os.kill(int(printed), signal.SIGKILL)
    deadline = time.monotonic() + 10
    while asyncio.run(km.is_alive()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not asyncio.run(km.is_alive())
    kernels.stop(kernel, now=True)


def test_a_graceful_shutdown_passes_the_kernels_exit_code_through_the_proxy(server):
    work, socket_path, _ = server
    kernel = forked(work, socket_path)
    km = kernel.manager
    proxy = km.provisioner.process
    kernels.stop(kernel)
    assert proxy.wait(timeout=10) == 0


def test_the_server_leaves_when_the_run_that_started_it_is_gone():
    with tempfile.TemporaryDirectory(prefix="k-") as work:
        socket_path = str(Path(work) / "s.sock")
        # a process starts the server and exits at once, as a killed run would
        start_and_leave = ("import subprocess, sys\nfrom dprk_relations.runner import forkserver\n"
                           f"print(subprocess.Popen(forkserver.server_command({socket_path!r}), "
                           "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid)")
        starter = subprocess.run([sys.executable, "-c", start_and_leave], capture_output=True, text=True, cwd=paths.ROOT, check=True)
        assert gone(int(starter.stdout), within=30)


def test_only_ipykernel_commands_are_forked():
    with pytest.raises(ValueError, match="not an ipykernel command"):
        forkserver.proxy_command("/tmp/s.sock", ["R", "--slave", "-f", "conn.json"])
    cmd = forkserver.proxy_command("/tmp/s.sock", ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "c.json"])
    assert cmd[1:3] == ["-I", "-S"] and cmd[-3:] == ["/tmp/s.sock", "-f", "c.json"]


DISPLAY_OPTIONS = ("import pandas, json, warnings\nfrom pandas._config.config import _registered_options\n"
                   "warnings.simplefilter('ignore')  # deprecated options warn when read\n"
                   "print(json.dumps({k: repr(pandas.get_option(k)) for k in sorted(_registered_options)}))")


def test_a_forked_kernel_shows_tables_as_a_kernel_started_the_usual_way(server):
    """pandas decides options when imported (columns shown: a terminal or a kernel; the encoding: that of
    the standard output): a kernel forked from the server must have every option of a kernel started the
    usual way, or the notebooks' table outputs would differ. So the server does not import pandas."""
    import json

    from jupyter_client.manager import start_new_kernel

    work, socket_path, _ = server
    forked_kernel = forked(work, socket_path)
    try:
        _, printed = execute(forked_kernel.manager, DISPLAY_OPTIONS)
    finally:
        kernels.stop(forked_kernel)
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(paths.ROOT))
    usual: list[str] = []
    try:
        reply = kc.execute_interactive(DISPLAY_OPTIONS, timeout=60, output_hook=lambda m: usual.append(
            m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    forked_options, usual_options = json.loads(printed), json.loads("".join(usual))
    assert forked_options == usual_options
    assert forked_options["display.max_columns"] == "20"
