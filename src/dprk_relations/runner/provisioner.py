"""The fast kernel launch as a kernel provisioner, jupyter_client's documented extension point for
launching kernels (registered in pyproject.toml under `jupyter_client.kernel_provisioners`).

It is the stock local provisioner with one change: the command it launches is the fork server's proxy
(forkserver.py), which hands the kernel's arguments to the run's server and stands for the forked
kernel, so jupyter_client watches, signals and stops an ordinary process as it always does. A kernel
spec written in the run's folder (kernels.forked_spec_manager) names this provisioner and its server.
"""
from __future__ import annotations

from typing import Any

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Unicode

from dprk_relations.runner.forkserver import proxy_command

NAME = "dprk-forked"


class ForkedKernelProvisioner(LocalProvisioner):
    """Launches the kernel's command through the fork server at `server_socket`."""

    server_socket = Unicode(help="the fork server's socket, from the kernel spec's provisioner config").tag(config=True)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        return await super().launch_kernel(proxy_command(self.server_socket, cmd), **kwargs)
