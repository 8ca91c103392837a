"""`python -m gpueater_emulator`: the emulator served by uvicorn on loopback.

Start-up writes the base URL to `--ready-file` once connections are accepted; SIGINT and
SIGTERM stop it cleanly (exit status 0) and remove that file, so nothing is left behind.
With `--state-dir` the world is kept there (store.py) and resumed by the next start.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import os
import secrets
import signal
import socket
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ._sshd import SshdError
from .app import create_app
from .connections import ConnectionRegistry
from .machines import DEFAULT_MAX_SSH_INSTANCES, InstanceMachines
from .namespaces import Isolation, probe_isolation
from .settings import DEFAULT_SESSION_TTL, EmulatorSettings
from .store import Credentials, CredentialsMismatch, StateDirBusy, StateDirUnusable, WorldStore

__all__ = ["main"]

_GRACEFUL_SHUTDOWN_SECONDS = 2


def _pair(text: str) -> tuple[str, str]:
    name, separator, secret = text.partition(":")
    if not separator or not name or not secret:
        raise argparse.ArgumentTypeError(f"expected NAME:SECRET, got {text!r}")
    return name, secret


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _port(text: str) -> int:
    # Checked here: socket.bind raises OverflowError (a traceback) for a port out of range.
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535")
    return value


def _parser(prog: str, epilog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="A stateful local GPUEater service, answering as its OpenAPI spec says.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow a --host that is not a loopback address"
    )
    parser.add_argument("--port", type=_port, default=8080, help="port to bind; 0 picks a free one")
    parser.add_argument(
        "--ready-file", type=Path, help="write the base URL here once connections are accepted"
    )
    parser.add_argument(
        "--account", type=_pair, action="append", default=[], metavar="EMAIL:PASSWORD"
    )
    parser.add_argument("--token", type=_pair, action="append", default=[], metavar="ACCESS:SECRET")
    parser.add_argument("--session-ttl", type=_non_negative, default=DEFAULT_SESSION_TTL)
    parser.add_argument(
        "--boot-seconds", type=_non_negative, default=3.0, help="LAUNCHING to RUNNING (default 3)"
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        metavar="DIR",
        help="keep the world in DIR (SQLite, committed before each answer), so a restart,"
        " after kill -9 too, resumes the same account and credentials, keys, instances"
        " (with --sshd: their disks, addresses, ports and host keys), volumes, invoices and"
        " clock. The clock runs on while the emulator is down: instances left RUNNING go on"
        " accruing charges, as on the service. Without it the world lives in memory only",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of ids and addresses")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every answer")
    parser.add_argument(
        "--no-validate", action="store_true", help="skip validating requests against the spec"
    )
    parser.add_argument(
        "--sshd",
        action="store_true",
        help="make each RUNNING instance a real SSH target: its own sshd, address, host key and"
        " disk (and, on Linux as root, its own mount and PID namespaces)",
    )
    parser.add_argument(
        "--max-ssh-instances",
        type=_positive,
        default=DEFAULT_MAX_SSH_INSTANCES,
        help=f"with --sshd: live instances at most (default {DEFAULT_MAX_SSH_INSTANCES}; one"
        " sshd costs about 9 MB); launches beyond it answer out_of_capacity",
    )
    parser.add_argument(
        "--no-isolation",
        action="store_true",
        help="with --sshd: no namespaces even where they work (each instance still has its"
        " own home folder), as on other platforms",
    )
    return parser


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _fresh_credentials() -> Credentials:
    # A demo account with fresh secrets, so nothing guessable is ever accepted.
    return (
        {"demo@example.com": secrets.token_urlsafe(12)},
        {secrets.token_hex(16): secrets.token_hex(32)},
    )


def _credentials(
    options: argparse.Namespace, store: WorldStore | None, *, announce: bool = True
) -> Credentials:
    """The command line's credentials; else the state folder's own (made on its first
    use); else fresh ones. Printed unless the command line named them. CredentialsMismatch
    when the command line names others than the folder's."""
    given: Credentials = (dict(options.account), dict(options.token))
    if store is not None:
        chosen = store.claim_credentials(given, _fresh_credentials())
    else:
        chosen = given if given[0] or given[1] else _fresh_credentials()
    if announce and not given[0] and not given[1]:
        for email, password in chosen[0].items():
            print(f"gpueater_emulator: demo account {email} password {password}", file=sys.stderr)
        for access, secret in chosen[1].items():
            print(f"gpueater_emulator: demo token {access} secret {secret}", file=sys.stderr)
    return chosen


def _settings(
    options: argparse.Namespace,
    credentials: Credentials,
    machines: InstanceMachines | None,
    state_dir: Path | None,
    store: WorldStore | None,
) -> EmulatorSettings:
    accounts, tokens = credentials
    validate = not options.no_validate
    return EmulatorSettings(
        accounts=accounts,
        tokens=tokens,
        session_ttl=options.session_ttl,
        boot_seconds=options.boot_seconds,
        seed=options.seed,
        latency_ms=max(0, options.latency_ms),
        validate_requests=validate,
        # Test mode is asked for by the environment so the command line stays the issue's.
        validate_responses=validate and os.environ.get("GPUEATER_EMULATOR_STRICT") == "1",
        ssh_machines=machines,
        state_dir=state_dir,
        store=store,
    )


def _protocol_class(registry: ConnectionRegistry) -> type[H11Protocol]:
    """uvicorn's HTTP/1.1 protocol, telling the registry about each connection's transport."""

    class RegisteringH11Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            registry.opened(transport)

        def connection_lost(self, exc: Exception | None) -> None:
            registry.closed(self.transport)
            super().connection_lost(exc)

    return RegisteringH11Protocol


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # uvicorn re-raises a caught SIGTERM after shutdown, which kills the process before
        # its own clean-up runs; here a signal only asks the server to exit.
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _write_atomically(path: Path, text: str) -> None:
    # Readers poll the file: they must never see it half written.
    descriptor, temporary = tempfile.mkstemp(prefix=".ready-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


ReadyCallback = Callable[[str, EmulatorSettings], None]


async def _serve(
    server: _Server,
    listener: socket.socket,
    url: str,
    ready: Path | None,
    on_ready: Callable[[str], None] | None,
) -> None:
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if server.started:
            if ready is not None:
                _write_atomically(ready, url + "\n")
            print(f"gpueater_emulator: serving {url}", file=sys.stderr, flush=True)
            if on_ready is not None:
                on_ready(url)
        await serving
    finally:
        if ready is not None:
            ready.unlink(missing_ok=True)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: accepted sockets inherit it, and asyncio only sets TCP_NODELAY
    # on sockets that say they are TCP (with proto 0 every answer waited ~40 ms for an ACK).
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(128)
    return listener


def _base_url(listener: socket.socket) -> str:
    address: Any = listener.getsockname()
    host, port = str(address[0]), int(address[1])
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _run(
    settings: EmulatorSettings,
    listener: socket.socket,
    ready: Path | None,
    on_ready: ReadyCallback | None = None,
) -> None:
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        http=_protocol_class(app.state.emulator.connections),
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=_GRACEFUL_SHUTDOWN_SECONDS,
    )
    told = None if on_ready is None else (lambda url: on_ready(url, settings))
    asyncio.run(_serve(_Server(config), listener, _base_url(listener), ready, told))


def _machines(options: argparse.Namespace, state_dir: Path) -> InstanceMachines:
    """The machines of `--sshd`; SshdError says what is missing. Says in one line how far
    instances are isolated from this machine (docs/guides/emulator.md, "Instances as machines")."""
    if options.no_isolation:
        isolation = Isolation(False, "--no-isolation was given")
    else:
        isolation = probe_isolation()
    machines = InstanceMachines(state_dir, isolation, options.max_ssh_instances)
    if isolation.available:
        print(f"gpueater_emulator: --sshd: {isolation.reason}", file=sys.stderr)
    else:
        print(
            f"gpueater_emulator: --sshd: instances are NOT isolated ({isolation.reason}):"
            " each has its own home folder, but its sessions can read and write all of"
            " yours",
            file=sys.stderr,
        )
    return machines


def _state_folder() -> tempfile.TemporaryDirectory[str]:
    # Without --state-dir: one per emulator process, removed at exit, so instances live
    # as long as the emulator.
    return tempfile.TemporaryDirectory(prefix="gpueater-emulator-")


def _open_store(state_dir: Path) -> WorldStore | None:
    """The state folder's world, or None after saying in one line why it cannot be used."""
    try:
        return WorldStore.open(state_dir)
    except StateDirBusy as busy:
        print(
            f"gpueater_emulator: {busy}; stop it first or use another --state-dir", file=sys.stderr
        )
    except StateDirUnusable as unusable:
        print(f"gpueater_emulator: {unusable}", file=sys.stderr)
    except (OSError, sqlite3.Error) as failure:
        print(
            f"gpueater_emulator: cannot use the state folder {state_dir}: {failure}",
            file=sys.stderr,
        )
    return None


def main(
    argv: Sequence[str] | None = None,
    *,
    prog: str = "python -m gpueater_emulator",
    on_ready: ReadyCallback | None = None,
    epilog: str | None = None,
) -> int:
    """Serve until SIGINT/SIGTERM; the exit status. `on_ready(url, settings)` runs once
    connections are accepted, with the credentials in effect (`gpueater emulator`'s profile)."""
    options = _parser(prog, epilog).parse_args(argv)
    if not _is_loopback(options.host) and not options.allow_remote:
        print(
            f"gpueater_emulator: refusing to listen on {options.host}, which is not a loopback "
            "address; add --allow-remote if other machines should reach it",
            file=sys.stderr,
        )
        return 2
    with contextlib.ExitStack() as cleanup:
        machines: InstanceMachines | None = None
        store: WorldStore | None = None
        state_dir: Path | None = None
        if options.state_dir is not None:
            state_dir = options.state_dir.expanduser().absolute()
            store = _open_store(state_dir)
            if store is None:
                return 2
            cleanup.callback(store.close)
            try:
                store.check_sshd_mode(options.sshd)
            except StateDirUnusable as unusable:
                print(f"gpueater_emulator: {unusable}", file=sys.stderr)
                return 2
        if options.sshd:
            if state_dir is None:
                state_dir = Path(cleanup.enter_context(_state_folder()))
            try:
                machines = _machines(options, state_dir)
            except SshdError as failure:
                print(f"gpueater_emulator: --sshd: {failure}", file=sys.stderr)
                return 2
            # Stopped on every way out, signals included: no sshd or disk outlives us.
            cleanup.callback(machines.close)
        try:
            listener = cleanup.enter_context(_bind(options.host, options.port))
        except OSError as failure:
            print(
                f"gpueater_emulator: cannot listen on {options.host}:{options.port}: {failure}",
                file=sys.stderr,
            )
            return 1
        try:
            # Last, so a start that fails for another reason prints no credentials.
            # gpueater emulator (on_ready) shows them in the profile it prints instead:
            # its stderr is a log, where a password has no place.
            credentials = _credentials(options, store, announce=on_ready is None)
        except CredentialsMismatch as mismatch:
            print(f"gpueater_emulator: {mismatch}", file=sys.stderr)
            return 2
        settings = _settings(options, credentials, machines, state_dir, store)
        _run(settings, listener, options.ready_file, on_ready)
    return 0
