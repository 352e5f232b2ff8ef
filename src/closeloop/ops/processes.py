"""Starting and supervising the web server and the worker as child processes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def granian_command(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    """The granian command line that serves Closeloop over WSGI."""
    executable = shutil.which("granian", path=str(Path(sys.executable).parent)) or shutil.which(
        "granian"
    )
    if executable is None:
        raise RuntimeError("granian is not installed; run `uv sync`.")
    return [
        executable,
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--blocking-threads", str(threads),
        "--no-ws",
        "closeloop.wsgi:application",
    ]  # fmt: skip


def port_is_free(host: str, port: int) -> bool:
    """Whether the web server could bind `host:port` now.

    Probed as granian binds, with SO_REUSEADDR: the connections of a server stopped a moment
    ago linger in TIME-WAIT for up to a minute, and they do not stop a new server, whereas a
    live listener (or any socket bound without the option) does.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError):
        return False
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return False
    return True


def worker_command() -> list[str]:
    return [sys.executable, "-m", "closeloop.cli", "worker"]


class Supervisor:
    """Runs child processes together; when one exits or we are stopped, all stop."""

    def __init__(self, commands: dict[str, list[str]], env: dict[str, str]) -> None:
        self.commands = commands
        self.env = env
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = False

    def start(self) -> None:
        for name, command in self.commands.items():
            # Own process group: Ctrl-C reaches us once, and we stop the children in order.
            self.children[name] = subprocess.Popen(  # noqa: S603 - our own fixed commands
                command, env=self.env, start_new_session=True
            )

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopping = True

    def wait(self) -> int:
        """Block until a signal or a child exit; then stop everything and return an exit code."""
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        code = 0
        while not self.stopping:
            for name, child in self.children.items():
                if child.poll() is not None:
                    print(
                        f"closeloop: {name} exited with {child.returncode}; stopping.", flush=True
                    )
                    code = child.returncode or 1
                    self.stopping = True
            time.sleep(0.2)
        self.stop()
        return code

    def stop(self, timeout: float = 10.0) -> None:
        for child in self.children.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
