"""Kernels forked from one process that has already imported what every kernel imports.

A kernel started the usual way is a new Python process that imports ipykernel and numpy: about a
third of a second of CPU each, on a machine with two cores. A run starts one *fork server* instead:
it imports those modules once, then forks a kernel for each request in a few milliseconds.

jupyter_client still launches and watches an ordinary process per kernel, through the fork
provisioner (provisioner.py): this file, run as a script
by a bare interpreter (`python -I -S forkserver.py SOCKET -f CONNECTION_FILE`, standard library only,
a few milliseconds). That *proxy* hands its standard streams, working folder, environment and
arguments to the server, forwards the signals it receives to the forked kernel, and exits with the
kernel's exit code when the kernel ends. If the proxy is killed, the kernel sees its connection close
and exits too, so no kernel outlives the process jupyter_client watches.

The server runs as `python -m dprk_relations.runner.forkserver --serve SOCKET RUNNER_PID` (`serve`); the kernel runs
`ipykernel`'s own launcher code in the forked child, so it is the kernel papermill would start.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time

# Imported once by the server, before any fork: the kernel itself and numpy, whose state after import
# is the same inside a kernel or not. Not pandas: it decides options at import from where it runs (a
# terminal shows as many columns as fit, a notebook 20; the encoding is the standard output's), so it
# is imported in each kernel (kernels.WARM_UP), as in a kernel started the usual way.
PRELOAD = ("ipykernel.kernelapp", "numpy")
CONNECT_TIMEOUT = 60  # seconds for the proxy to reach a server that is still starting
# Those the platform has: the module is imported everywhere (the fast launch itself runs on Linux only).
FORWARDED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")
                          if hasattr(signal, name))
MAX_REQUEST = 1 << 20  # bytes: arguments and environment of one kernel
PARENT_CHECK = 1.0  # seconds between checks that the run which started the server is still there


def server_command(server_socket: str) -> list[str]:
    """The server's command; it leaves when this process (the run) is gone."""
    return [sys.executable, "-m", "dprk_relations.runner.forkserver", "--serve", server_socket, str(os.getpid())]


def proxy_command(server_socket: str, kernel_cmd: list[str]) -> list[str]:
    """The command jupyter_client launches for one kernel: this file as a script, in a bare interpreter,
    with the arguments the kernel spec gives ipykernel's launcher (`-f CONNECTION_FILE`)."""
    if "ipykernel_launcher" not in kernel_cmd:
        raise ValueError(f"not an ipykernel command, cannot be forked: {kernel_cmd}")
    kernel_args = kernel_cmd[kernel_cmd.index("ipykernel_launcher") + 1:]
    return [sys.executable, "-I", "-S", os.path.abspath(__file__), server_socket, *kernel_args]


def _read_lines(conn: socket.socket) -> dict[str, int]:
    """The server's and the kernel's messages ("pid N", "exit N") until the kernel's end closes the connection."""
    found, buffer = {}, b""
    while True:
        try:
            chunk = conn.recv(4096)
        except InterruptedError:
            continue
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            key, _, value = line.decode().partition(" ")
            found[key] = int(value)
            if key == "pid":
                _forward_signals_to(int(value))
    return found


def _forward_signals_to(pid: int) -> None:
    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:  # the kernel has just ended: the proxy exits as soon as it reads so
            pass

    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, forward)


def proxy(server_socket: str, kernel_args: list[str]) -> int:
    """Ask the server for a kernel with these arguments; wait for it to end; return its exit code."""
    for signum in FORWARDED_SIGNALS:  # until the kernel's pid is known, a signal is dropped, not fatal
        signal.signal(signum, lambda *_: None)
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            conn.connect(server_socket)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                print(f"forkserver: no kernel server at {server_socket}", file=sys.stderr)
                return 1
            time.sleep(0.01)
    request = json.dumps({"argv": kernel_args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    socket.send_fds(conn, [request], [0, 1, 2])
    found = _read_lines(conn)
    if "pid" not in found:
        print("forkserver: the kernel server closed the connection without starting a kernel", file=sys.stderr)
        return 1
    return found.get("exit", 1)


def serve(server_socket: str, runner: int) -> None:
    """Listen first (a proxy may already wait), import what kernels need, then fork a kernel per request."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel's launcher does: the kernel puts the working folder back itself
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(server_socket)
    server.listen(16)
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system, not waited for
    server.settimeout(PARENT_CHECK)
    while True:
        try:
            conn, _ = server.accept()
        except TimeoutError:
            if os.getppid() != runner:  # the run that started this server was killed: nobody will ask again
                return
            continue
        conn.settimeout(None)
        request, fds, _, _ = socket.recv_fds(conn, MAX_REQUEST, 3)
        pid = os.fork()
        if pid == 0:
            server.close()
            _run_kernel(conn, json.loads(request), fds)
        for fd in fds:
            os.close(fd)
        conn.sendall(f"pid {pid}\n".encode())
        conn.close()


def _run_kernel(conn: socket.socket, request: dict, fds: list[int]) -> None:
    """In the forked child: become the proxy's kernel (its streams, folder, environment), run it, exit."""
    import threading

    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the kernel's own subprocesses are waited for as usual
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])

    def exit_with_proxy() -> None:
        while conn.recv(4096):
            pass
        os._exit(1)  # the proxy is gone (killed): nobody watches this kernel any more

    threading.Thread(target=exit_with_proxy, daemon=True, name="proxy-watch").start()
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    # ipykernel reads JPY_PARENT_PID when it is imported, here before the request's environment was set:
    # given as an argument, the kernel knows it has a parent, as a kernel launched directly does
    # (and prints no banner for a terminal user)
    if os.environ.get("JPY_PARENT_PID"):
        sys.argv.append(f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}")
    code = 0
    try:
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    conn.sendall(f"exit {code}\n".encode())
    os._exit(code)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(proxy(sys.argv[1], sys.argv[2:]))
