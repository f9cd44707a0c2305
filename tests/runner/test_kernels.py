"""The pool that hands kernels to the steps (runner/kernels.py): a ready kernel goes to the step with the
longest chain, kernels are started ahead only for steps still to come, a failed start fails the step that
waits for it; the fast launch uses only the Jupyter stack's public API, is decided by a switch and the
platform, falls back to the stock launch when it fails, and gives the bytes of the stock launch."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from dprk_relations.core import paths
from dprk_relations.runner import kernels, pipeline
from tests.core.test_stage import command, digest


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


# --- the two ways to launch a kernel --------------------------------------------------------------

@pytest.mark.slow
def test_the_stock_kernel_launch_gives_the_bytes_of_the_fast_one(tmp_path):
    """The fast launch (kernels forked through the provisioner) is optional: switched off, the run launches
    every kernel the stock way and writes the same bytes."""
    env = {k: v for k, v in os.environ.items() if k != kernels.FAST_SWITCH}

    def outputs() -> dict[str, str]:  # the run log records durations: every other file is compared
        return {k: v for k, v in digest(tmp_path / "processed", tmp_path / "reports").items()
                if k not in ("reports/manifest.json", "reports/run.html")}

    fast = subprocess.run(command(tmp_path), cwd=paths.ROOT, env=env, capture_output=True, text=True)
    assert fast.returncode == 0, fast.stdout + fast.stderr
    assert "stock way" not in fast.stdout and "fast kernel launch failed" not in fast.stdout
    before = outputs()
    assert len(before) > 40
    stock = subprocess.run(command(tmp_path, None, "--force", "--stock-kernels"), cwd=paths.ROOT, env=env,
                           capture_output=True, text=True)
    assert stock.returncode == 0, stock.stdout + stock.stderr
    assert "kernels are launched the stock way (--stock-kernels)" in stock.stdout
    assert f"{len(pipeline.STEPS)} step(s) ran" in stock.stdout
    assert outputs() == before
    by_switch = subprocess.run(command(tmp_path, None, "--force"), cwd=paths.ROOT, capture_output=True, text=True,
                               env={**env, kernels.FAST_SWITCH: "0"})
    assert by_switch.returncode == 0 and f"stock way ({kernels.FAST_SWITCH}=0)" in by_switch.stdout
    assert outputs() == before
