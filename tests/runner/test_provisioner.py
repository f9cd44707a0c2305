"""The fork provisioner (runner/provisioner.py): jupyter_client finds it by the name a kernel spec gives,
takes its server from the spec's config, and launches the fork server's proxy in place of the kernel's
command; a pool forks its kernels through it (the stock provisioner when the fast launch is off)."""
from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import pytest

from dprk_relations.runner import forkserver, kernels
from dprk_relations.runner import provisioner as fork_provisioner
from tests.runner.test_forkserver import execute


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


def test_jupyter_client_finds_the_provisioner_by_the_name_a_kernel_spec_gives():
    from importlib.metadata import entry_points

    found = [e for e in entry_points(group="jupyter_client.kernel_provisioners") if e.name == fork_provisioner.NAME]
    assert len(found) == 1, "pyproject.toml registers the provisioner once, under provisioner.NAME"
    assert found[0].load() is fork_provisioner.ForkedKernelProvisioner


def test_the_spec_the_pool_writes_names_the_provisioner_and_gives_it_the_run_s_server(tmp_path):
    from jupyter_client.provisioning import KernelProvisionerFactory

    spec = kernels.forked_spec_manager(tmp_path, "/tmp/run/kernels.sock").get_kernel_spec(fork_provisioner.NAME)
    made = KernelProvisionerFactory.instance().create_provisioner_instance("k-1", spec, None)
    assert type(made) is fork_provisioner.ForkedKernelProvisioner
    assert made.server_socket == "/tmp/run/kernels.sock"
    assert "ipykernel_launcher" in spec.argv  # the stock Python 3 spec's command, which the proxy takes apart


def test_the_kernel_s_command_is_launched_through_the_proxy_with_the_same_launch_arguments(monkeypatch):
    from jupyter_client.provisioning import LocalProvisioner

    launched = []

    async def stock_launch(self, cmd, **kwargs):  # the stock provisioner's launch, without a process
        launched.append((cmd, kwargs))
        return {"launched": True}

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", stock_launch)
    forked = fork_provisioner.ForkedKernelProvisioner(server_socket="/tmp/s.sock")
    kernel_cmd = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "/tmp/c.json"]
    assert asyncio.run(forked.launch_kernel(kernel_cmd, cwd="/work", env={"A": "1"})) == {"launched": True}
    assert launched == [(forkserver.proxy_command("/tmp/s.sock", kernel_cmd), {"cwd": "/work", "env": {"A": "1"}})]
    assert launched[0][0][-3:] == ["/tmp/s.sock", "-f", "/tmp/c.json"]
    with pytest.raises(ValueError, match="not an ipykernel command, cannot be forked"):
        asyncio.run(forked.launch_kernel(["R", "--slave", "-f", "c.json"]))
    assert len(launched) == 1  # refused before anything is launched
