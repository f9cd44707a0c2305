"""Interrupting a run at a moment of its own progress, not after a number of seconds: a fast machine
finishes a run before a fixed delay, a loaded one has not started the step meant."""
from __future__ import annotations

import os
import signal
import subprocess


def start(cmd: list[str], env: dict[str, str] | None = None, **popen) -> subprocess.Popen:
    """A run in a process group of its own (a kill reaches its kernels too), its output read line by line."""
    return subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, **popen)


def wait_for(proc: subprocess.Popen, marker: str) -> list[str]:
    """The lines the run printed up to and including the first that holds `marker`; a run that ends
    without printing it fails the test with what it printed."""
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if marker in line:
            return lines
    proc.wait()
    raise AssertionError(f"the run ended (exit {proc.returncode}) before printing {marker!r}:\n{''.join(lines)[-2000:]}")


def interrupt_when(proc: subprocess.Popen, marker: str, sig: int = signal.SIGKILL) -> str:
    """Send `sig` to the run's whole group as soon as it prints `marker`; everything it printed."""
    printed = wait_for(proc, marker)
    os.killpg(proc.pid, sig)
    rest, _ = proc.communicate(timeout=120)
    return "".join(printed) + (rest or "")
