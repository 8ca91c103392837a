"""Tunnels: a local port on 127.0.0.1 forwarded over ssh to a port on the instance.

`open_tunnel` starts `ssh -N -L 127.0.0.1:<local>:localhost:<remote>` with the project's
ssh options (host keys, identity: `_ssh.run.prepared_argv`) and returns once ssh listens on
the local port. A taken local port fails at once: it is tried before ssh starts, and
`ExitOnForwardFailure=yes` makes ssh exit rather than run without its forward should another
program take the port in between.

Knowing when ssh listens: connecting to the port cannot tell ssh's listener from another
program's, so ssh says it. Its `LocalCommand` runs after the forwards are set up (and not at
all when one failed, with ExitOnForwardFailure); a fixed `echo` of a fixed word there
prints the ready line on ssh's stdout. ssh's keep-alives (`ServerAliveInterval`, set for every
SSH extra) end a tunnel whose instance went away instead of leaving it hanging.

Only 127.0.0.1 is bound: a forward on every interface would publish the instance's port
(a notebook, say) to the local network.
"""

from __future__ import annotations

import errno
import os
import select
import socket
import subprocess
import tempfile
import time
import weakref
from types import TracebackType
from typing import IO, Self

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.run import prepared_argv, ssh_error
from gpueater_ext._ssh.target import SshTarget

__all__ = ["LOCAL_HOST", "Tunnel", "check_local_port_free", "open_tunnel"]

LOCAL_HOST = "127.0.0.1"
# The forward's far end, resolved on the instance: a server bound to ::1 answers too.
_REMOTE_HOST = "localhost"
_READY_WORD = b"gpueater-tunnel-ready"
_READY_OPTIONS = (
    "-o",
    "PermitLocalCommand=yes",
    "-o",
    f"LocalCommand=echo {_READY_WORD.decode()}",
)
_STOP_SECONDS = 5.0
# ssh needs a connection and an authentication before it listens.
_READY_MARGIN_SECONDS = 10.0


def _checked_port(port: int, what: str) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise SSHError(f"{what} must be a port number from 1 to 65535, not {port!r}")
    return port


def check_local_port_free(port: int) -> int:
    """Bind and release 127.0.0.1:`port` as ssh would (SO_REUSEADDR); 0 picks a free port.

    Returns the port; raises SSHError when another program holds it.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((LOCAL_HOST, port))
        except OSError as problem:
            if problem.errno == errno.EADDRINUSE:
                raise SSHError(
                    f"local port {port} is already in use: choose another local port"
                ) from None
            raise SSHError(f"cannot use local port {port}: {problem.strerror}") from None
        chosen: int = probe.getsockname()[1]
        return chosen


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


class Tunnel:
    """An open forward from `127.0.0.1:local_port` to `remote_port` on the instance.

    Close it with `close()` or by leaving its `with` (or `async with`) block; a tunnel that
    is dropped unclosed is closed when it is garbage-collected or the interpreter exits.
    """

    def __init__(
        self,
        target: SshTarget,
        local_port: int,
        remote_port: int,
        process: subprocess.Popen[bytes],
        errors: IO[bytes],
    ) -> None:
        self.target = target
        self.local_port = local_port
        self.remote_port = remote_port
        self._process = process
        self._errors = errors
        self._finalizer = weakref.finalize(self, Tunnel._release, process, errors)

    @staticmethod
    def _release(process: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        _stop(process)
        errors.close()

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed"
        return (
            f"Tunnel({LOCAL_HOST}:{self.local_port} -> {self.target.describe()} "
            f"port {self.remote_port}, {state})"
        )

    @property
    def local_address(self) -> tuple[str, int]:
        return (LOCAL_HOST, self.local_port)

    def url(self, path: str = "/", scheme: str = "http") -> str:
        """`http://127.0.0.1:<local_port><path>`, for a web server on the far side."""
        return f"{scheme}://{LOCAL_HOST}:{self.local_port}{path}"

    @property
    def is_open(self) -> bool:
        return self._finalizer.alive and self._process.poll() is None

    def wait(self, timeout: float | None = None) -> None:
        """Block until ssh ends the tunnel (the connection broke); then raise SSHError.

        Returns early only when the tunnel was closed by `close()`. `timeout` (seconds)
        returns without error while the tunnel is still open.
        """
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return
        if self._finalizer.alive:
            raise self._failure("the tunnel")

    def close(self) -> None:
        """End the forward (idempotent)."""
        self._finalizer()

    def _failure(self, doing: str) -> SSHError:
        self._errors.seek(0)
        return ssh_error(self.target, self._errors.read(), doing)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        import asyncio

        await asyncio.to_thread(self.close)

    def _wait_until_ready(self, seconds: float) -> None:
        """Read ssh's stdout until the ready line; ssh ending first is the failure."""
        assert self._process.stdout is not None
        stream = self._process.stdout.fileno()
        deadline = time.monotonic() + seconds
        received = b""
        while _READY_WORD not in received:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SSHError(
                    f"the tunnel to {self.target.describe()} was not ready within {seconds:.0f} s"
                )
            readable, _, _ = select.select([stream], [], [], remaining)
            if not readable:
                continue
            chunk = os.read(stream, 4096)
            if not chunk:
                self._process.wait()
                raise self._failure(f"opening a tunnel from local port {self.local_port}")
            received += chunk


def open_tunnel(target: SshTarget, local_port: int, remote_port: int | None = None) -> Tunnel:
    """Forward 127.0.0.1:`local_port` to `remote_port` (default: the same) on the instance.

    Returns once ssh listens on the local port. `local_port` 0 picks a free port
    (see `Tunnel.local_port`). Raises SSHError when the local port is taken, the key or host
    key is refused, or the forward is not ready in time.
    """
    _checked_port(local_port, "the local port")
    remote = _checked_port(local_port if remote_port is None else remote_port, "the remote port")
    if remote == 0:
        raise SSHError("give the port on the instance to forward to")
    local = check_local_port_free(local_port)
    forward = f"{LOCAL_HOST}:{local}:{_REMOTE_HOST}:{remote}"
    options = ["-N", "-T", "-o", "ExitOnForwardFailure=yes", *_READY_OPTIONS, "-L", forward]
    argv = prepared_argv(target, None, extra_options=options)
    # Kept open for the tunnel's life (its ssh writes there); Tunnel closes it.
    errors = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        process = subprocess.Popen(  # noqa: S603 (argument list)
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors
        )
    except FileNotFoundError:
        errors.close()
        raise SSHError(f"{target.ssh_program!r} not found: install openssh-client") from None
    tunnel = Tunnel(target, local, remote, process, errors)
    try:
        tunnel._wait_until_ready(target.connect_timeout + _READY_MARGIN_SECONDS)
    except BaseException:  # Ctrl-C while waiting included: no ssh is left behind
        tunnel.close()
        raise
    return tunnel
