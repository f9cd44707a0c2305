"""Kernels forked from the run's server, the pool that hands them out, and the order steps run in."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import threading
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


class FakeKernels:
    """kernels.start and kernels.stop without processes: each start waits for `release()`."""

    def __init__(self, monkeypatch):
        self.gate = threading.Semaphore(0)
        self.started: list[str] = []
        self.stopped: list[tuple[str, bool]] = []
        monkeypatch.setattr(kernels, "start", self.start)
        monkeypatch.setattr(kernels, "stop", self.stop)
        monkeypatch.setattr(kernels.KernelPool, "_start_server", lambda pool: None)

    def start(self, work_dir, spec_manager=None):
        assert self.gate.acquire(timeout=10)
        name = f"k{len(self.started)}"
        self.started.append(name)
        return name

    def stop(self, km, now=False):
        self.stopped.append((km, now))

    def release(self, n: int = 1):
        for _ in range(n):
            self.gate.release()


def test_a_ready_kernel_goes_to_the_waiting_step_with_the_longest_chain(monkeypatch, tmp_path):
    fake = FakeKernels(monkeypatch)
    pool = kernels.KernelPool(tmp_path, ahead=0, starters=1)
    short_chain = pool.reserve(priority=0)
    long_chain = pool.reserve(priority=2)  # asked later
    fake.release()
    assert long_chain.result(timeout=10) == "k0"
    assert not short_chain.done()
    fake.release()
    assert short_chain.result(timeout=10) == "k1"
    pool.close()


def test_kernels_are_started_ahead_only_for_steps_still_to_come(monkeypatch, tmp_path):
    fake = FakeKernels(monkeypatch)
    fake.release(10)
    pool = kernels.KernelPool(tmp_path, ahead=2)
    first = pool.reserve(priority=1, to_come=1)  # one more step may follow: one kernel ahead, not two
    assert first.result(timeout=10) in ("k0", "k1")
    pool.close()
    assert len(fake.started) == 2
    assert fake.stopped == [(({"k0", "k1"} - {first.result()}).pop(), True)], "the unused kernel is stopped at close"

    fake.started.clear()
    pool = kernels.KernelPool(tmp_path, ahead=2)
    pool.reserve(to_come=0).result(timeout=10)
    pool.close()
    assert fake.started == ["k0"]


def test_a_kernel_that_fails_to_start_fails_the_step_that_waits_for_it(monkeypatch, tmp_path):
    def broken(work_dir, spec_manager=None):
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(kernels, "start", broken)
    monkeypatch.setattr(kernels.KernelPool, "_start_server", lambda pool: None)
    pool = kernels.KernelPool(tmp_path, ahead=0)
    with pytest.raises(RuntimeError, match="Kernel died"):
        pool.reserve().result(timeout=10)
    pool.close()


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


# --- the fast launch: public APIs only, a switch, a fallback --------------------------------------

JUPYTER_STACK = ("jupyter_client", "nbclient", "papermill", "nbconvert", "ipykernel")
# Names with a leading underscore that the standard library documents as public (namedtuple's, os._exit).
PUBLIC_UNDERSCORED = {"_asdict", "_replace", "_fields", "_make", "_exit"}


def private_names_of(package: str) -> set[str]:
    """Every private name (one leading underscore) a package defines or assigns on an object."""
    import ast
    import importlib

    root = Path(importlib.import_module(package).__file__).parent
    names = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.name if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else \
                node.attr if isinstance(node, ast.Attribute) else None
            if name and name.startswith("_") and not name.startswith("__"):
                names.add(name)
    return names


def test_no_private_name_of_the_jupyter_stack_is_overridden_or_used():
    """In the package: no attribute read or set with a private name of jupyter_client, nbclient, papermill,
    nbconvert or ipykernel, and no class that derives from one of their classes defines a private name."""
    import ast

    from dprk_relations.runner import keys

    theirs = set().union(*(private_names_of(p) for p in JUPYTER_STACK)) - PUBLIC_UNDERSCORED
    assert {"_async_launch_kernel", "_handle_kernel_info_reply", "_async_is_alive"} <= theirs  # the scan sees them
    found = []
    for module in keys.package_modules():
        tree = ast.parse(keys.module_path(module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in theirs and not (
                    isinstance(node.value, ast.Name) and node.value.id == "self"):
                found.append(f"{module}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ClassDef) and node.bases:
                for item in ast.walk(node):
                    name = item.name if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) else \
                        item.attr if isinstance(item, ast.Attribute) else None
                    if name and name.startswith("_") and not name.startswith("__") and name in theirs:
                        found.append(f"{module}:{item.lineno} {node.name}.{name}")
    assert found == []


def test_the_switch_and_the_platform_decide_the_fast_launch(monkeypatch, tmp_path):
    monkeypatch.setenv(kernels.FAST_SWITCH, "0")
    assert kernels.fast_launch_problem() == f"{kernels.FAST_SWITCH}=0"
    assert kernels.KernelPool(tmp_path).fast is False
    monkeypatch.delenv(kernels.FAST_SWITCH)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert "Linux only" in kernels.fast_launch_problem() and kernels.KernelPool(tmp_path).fast is False
    monkeypatch.setattr(sys, "platform", "linux")
    assert kernels.fast_launch_problem() == "" and kernels.KernelPool(tmp_path).fast is True
    assert kernels.KernelPool(tmp_path, fast=False).fast is False


def test_a_pool_forks_its_kernels_through_the_provisioner():
    from jupyter_client.provisioning import LocalProvisioner

    from dprk_relations.runner.provisioner import ForkedKernelProvisioner

    paths_to_try = ((True, ForkedKernelProvisioner), (False, LocalProvisioner)) if sys.platform.startswith("linux") else \
        ((False, LocalProvisioner),)
    for fast, provisioner in paths_to_try:
        with tempfile.TemporaryDirectory(prefix="k-") as work:
            pool = kernels.KernelPool(Path(work), ahead=0, fast=fast)
            kernel = pool.reserve().result(timeout=60)
            try:
                assert type(kernel.manager.provisioner) is provisioner
                content, printed = execute(kernel.manager, "print(1 + 1)")
                assert content["status"] == "ok" and printed.strip() == "2"
            finally:
                pool.release(kernel)
                pool.close()


def test_a_fast_launch_that_fails_falls_back_to_the_stock_one_and_says_so(monkeypatch, capsys):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.provisioning import LocalProvisioner

    def broken_spec(work_dir, server_socket):  # a spec naming a provisioner nobody registered
        spec_dir = work_dir / "kernels" / "dprk-forked"
        spec_dir.mkdir(parents=True)
        (spec_dir / "kernel.json").write_text('{"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"], '
                                              '"display_name": "x", "language": "python", '
                                              '"metadata": {"kernel_provisioner": {"provisioner_name": "no-such"}}}')
        return KernelSpecManager(kernel_dirs=[str(spec_dir.parent)])

    monkeypatch.setattr(kernels, "forked_spec_manager", broken_spec)
    with tempfile.TemporaryDirectory(prefix="k-") as work:
        pool = kernels.KernelPool(Path(work), ahead=0, fast=True)
        first = pool.reserve().result(timeout=60)
        second = pool.reserve().result(timeout=60)
        try:
            assert pool.fast is False
            assert type(first.manager.provisioner) is LocalProvisioner and type(second.manager.provisioner) is LocalProvisioner
        finally:
            pool.release(first)
            pool.release(second)
            pool.close()
    said = capsys.readouterr().out
    assert said.count("the fast kernel launch failed") == 1 and "stock way" in said
