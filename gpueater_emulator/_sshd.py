"""A private OpenSSH server on 127.0.0.1, so emulated instances can be real SSH targets.

API (standard library only; nothing from gpueater_ext or gpueater_client)::

    with PrivateSshd() as sshd:            # or: PrivateSshd().start() ... .stop()
        sshd.host, sshd.port, sshd.user    # "127.0.0.1", a free port, the current user's name
        sshd.host_public_key               # "ssh-ed25519 AAAA... gpueater-emulator" (this run's)
        sshd.authorize(public_key_line)    # idempotent; the key may log in from now on
        sshd.revoke(public_key_line)       # idempotent; new logins with the key are refused
        sshd.authorized_keys()             # the keys now authorized, in authorization order
        sshd.log_text()                    # sshd's own log so far, for diagnostics

- `PrivateSshd(...)` raises `SshdNotInstalledError` (one line: what to install) when no
  `sshd` binary is found; `start()` raises `SshdStartError` with sshd's log when it exits.
- One `sshd -D -e -f <config>` runs on 127.0.0.1 with temporary ed25519 and ECDSA host
  keys and a complete configuration of its own: key-only login for the current user, its own
  authorized_keys file, no PAM, no user environment or rc files, no agent or X11 forwarding
  (local TCP forwarding stays on for tunnels). As root, the privilege separation folder
  `/run/sshd` is created when missing; `StrictModes` is off because every file lives in a
  temporary folder.
- `stop()` ends the listener and every session it started, and removes the temporary folder.
- Keys are matched by type and base64 body; the comment does not matter. Only plain key lines
  are accepted (no authorized_keys options), and authorized_keys is rewritten atomically.
- Thread-safe: `authorize`/`revoke` may be called from any thread.
- Old clients: the published Node client 1.5.3 (ssh2 0.6.2, tests/compat) knows neither
  ed25519 host keys nor curve25519, and signs RSA user keys with SHA-1 `ssh-rsa`, which
  OpenSSH 8.8+ refuses by default. This emulator's sshd (never a real one) also offers an
  ECDSA host key and the ecdh-sha2-nistp256 exchange, and accepts `ssh-rsa` signatures
  (PubkeyAcceptedAlgorithms +ssh-rsa). `host_public_key` stays the ed25519 key, which
  OpenSSH clients that know it keep choosing.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

__all__ = ["PrivateSshd", "SshdError", "SshdNotInstalledError", "SshdStartError"]

INSTALL_HINT = "apt-get install openssh-server"

# sshd lives in sbin, which is often not on a normal user's PATH.
_SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd")
_SFTP_SERVER_CANDIDATES = (
    "/usr/lib/openssh/sftp-server",
    "/usr/libexec/openssh/sftp-server",
    "/usr/libexec/sftp-server",
    "/usr/lib/ssh/sftp-server",
)
_PRIVSEP_DIR = Path("/run/sshd")
_START_ATTEMPTS = 5
_START_DEADLINE_SECONDS = 10.0
_STOP_GRACE_SECONDS = 5.0
_KEY_TYPE_PREFIXES = ("ssh-", "ecdsa-", "sk-")
_OLD_CLIENT_HOST_KEY = "ssh_host_ecdsa_key"


class SshdError(RuntimeError):
    """The private sshd could not be used."""


class SshdNotInstalledError(SshdError):
    """No OpenSSH server binary was found."""


class SshdStartError(SshdError):
    """sshd exited or never listened; the message carries its log."""


def _find_program(explicit: str | None, name: str, candidates: tuple[str, ...]) -> str | None:
    if explicit is not None:
        return explicit if os.access(explicit, os.X_OK) else None
    found = shutil.which(name)
    if found:
        # sshd refuses to re-exec itself unless started with an absolute path.
        return os.path.abspath(found)
    return next((c for c in candidates if os.access(c, os.X_OK)), None)


def _key_identity(public_key_line: str) -> tuple[str, str]:
    """(type, base64 body) of a plain public key line; raises ValueError otherwise.

    Surrounding whitespace is ignored, so the text of a `.pub` file may be passed as it is.
    """
    public_key_line = public_key_line.strip()
    if any(c in public_key_line for c in "\r\n\0"):
        raise ValueError("a public key must be a single line")
    words = public_key_line.split()
    if len(words) < 2 or not words[0].startswith(_KEY_TYPE_PREFIXES):
        raise ValueError("expected a public key line like 'ssh-ed25519 AAAA... comment'")
    return words[0], words[1]


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _process_start_time(pid: int) -> str | None:
    """The start time field of /proc/<pid>/stat: with the pid, identifies one process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces; the fields after its ')' are fixed.
    fields = stat.rpartition(")")[2].split()
    # A zombie has ended already; only its parent (or init) can reap it.
    return None if fields[0] == "Z" else fields[19]


def _descendants(root_pid: int) -> list[tuple[int, str]]:
    """(pid, start time) of every process below root_pid, read from /proc (Linux).

    sshd moves each connection into a new session (setsid), so a process group signal
    would miss them; walking the parent links finds them all.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[tuple[int, str]] = []
    pending = list(children.get(root_pid, []))
    while pending:
        pid = pending.pop()
        start_time = _process_start_time(pid)
        if start_time is not None:
            found.append((pid, start_time))
        pending.extend(children.get(pid, []))
    return found


def _signal_if_same(pid: int, start_time: str, signum: int) -> bool:
    """Send signum unless the pid now belongs to another process; True if it was still there."""
    if _process_start_time(pid) != start_time:
        return False
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        return False
    return True


class PrivateSshd:
    """One OpenSSH server of our own on 127.0.0.1; see the module docstring for the API."""

    host = "127.0.0.1"

    def __init__(self, *, sshd_path: str | None = None, ssh_keygen_path: str | None = None):
        sshd = _find_program(sshd_path, "sshd", _SSHD_CANDIDATES)
        keygen = _find_program(ssh_keygen_path, "ssh-keygen", ("/usr/bin/ssh-keygen",))
        if sshd is None or keygen is None:
            raise SshdNotInstalledError(
                f"OpenSSH server not found (sshd, ssh-keygen): install it with `{INSTALL_HINT}`"
            )
        self._sshd_path = sshd
        self._keygen_path = keygen
        self.user = pwd.getpwuid(os.geteuid()).pw_name
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, str], str] = {}
        self._folder: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._port: int | None = None
        self._host_public_key = ""

    # -- life cycle -------------------------------------------------------------------------

    def __enter__(self) -> PrivateSshd:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise SshdError("the private sshd is not running: call start() first")
        return self._port

    @property
    def host_public_key(self) -> str:
        return self._host_public_key

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        if self._process is not None:
            raise SshdError("the private sshd is already running")
        self._folder = Path(tempfile.mkdtemp(prefix="gpueater-sshd-"))
        try:
            self._prepare_folder()
            self._start_listening()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        process, self._process, self._port = self._process, None, None
        if process is not None:
            self._end_process_tree(process)
        folder, self._folder = self._folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    # -- keys -------------------------------------------------------------------------------

    def authorize(self, public_key_line: str) -> None:
        identity = _key_identity(public_key_line)
        with self._lock:
            if identity not in self._keys:
                self._keys[identity] = " ".join(public_key_line.split())  # one line
                self._write_authorized_keys()

    def revoke(self, public_key_line: str) -> None:
        identity = _key_identity(public_key_line)
        with self._lock:
            if self._keys.pop(identity, None) is not None:
                self._write_authorized_keys()

    def authorized_keys(self) -> list[str]:
        with self._lock:
            return list(self._keys.values())

    def log_text(self) -> str:
        if self._folder is None:
            return ""
        try:
            return (self._folder / "sshd.log").read_text(errors="replace")
        except OSError:
            return ""

    # -- internals --------------------------------------------------------------------------

    def _path(self, name: str) -> Path:
        assert self._folder is not None
        return self._folder / name

    def _prepare_folder(self) -> None:
        host_key = self._path("ssh_host_ed25519_key")
        for key_type, path in (("ed25519", host_key), ("ecdsa", self._path(_OLD_CLIENT_HOST_KEY))):
            keygen = [self._keygen_path, "-q", "-t", key_type, "-N", "", "-C", "gpueater-emulator"]
            subprocess.run(  # noqa: S603 (an argument list of our own, no shell)
                [*keygen, "-f", str(path)],
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        self._host_public_key = host_key.with_suffix(".pub").read_text().strip()
        with self._lock:
            self._write_authorized_keys()
        if os.geteuid() == 0 and not _PRIVSEP_DIR.is_dir():
            # sshd running as root chroots its unprivileged half into this folder.
            _PRIVSEP_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)

    def _write_authorized_keys(self) -> None:
        """Replace authorized_keys in one rename, so sshd never reads a half-written file."""
        if self._folder is None:
            return
        text = "".join(line + "\n" for line in self._keys.values())
        fd, staging = tempfile.mkstemp(dir=self._folder, prefix=".authorized_keys.")
        try:
            with os.fdopen(fd, "w") as staged:
                staged.write(text)
                staged.flush()
                os.fsync(staged.fileno())
            os.replace(staging, self._path("authorized_keys"))
        except BaseException:
            Path(staging).unlink(missing_ok=True)
            raise

    def _config_text(self, port: int) -> str:
        sftp = _find_program(None, "sftp-server", _SFTP_SERVER_CANDIDATES) or "internal-sftp"
        settings = [
            f"ListenAddress {self.host}:{port}",
            f"HostKey {self._path('ssh_host_ed25519_key')}",
            # For old clients (module docstring, "Old clients"): an ECDSA host key, and
            # SHA-1 `ssh-rsa` signatures of RSA user keys on top of OpenSSH's defaults.
            f"HostKey {self._path(_OLD_CLIENT_HOST_KEY)}",
            "PubkeyAcceptedAlgorithms +ssh-rsa",
            f"PidFile {self._path('sshd.pid')}",
            f"AuthorizedKeysFile {self._path('authorized_keys')}",
            "AuthorizedKeysCommand none",
            "AuthorizedPrincipalsFile none",
            f"AllowUsers {self.user}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "HostbasedAuthentication no",
            "GSSAPIAuthentication no",
            "UsePAM no",
            "PermitRootLogin prohibit-password",
            # Every file is in a temporary folder whose modes sshd would otherwise reject.
            "StrictModes no",
            "PermitUserEnvironment no",
            # bash sources ~/.bashrc for commands run by sshd only at shell level 1; on a
            # developer's machine that file can cost a tenth of a second per command
            # (pyenv, nvm), which an instance's stock bashrc does not. Level 2 skips it.
            "SetEnv SHLVL=1",
            # Loopback only: the classic curve25519 exchange is sound and costs a fraction
            # of the post-quantum hybrid's CPU time, which tests pay on every connection.
            # ecdh-sha2-nistp256 last, for old clients only (module docstring).
            "KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256",
            "PermitUserRC no",
            "AllowAgentForwarding no",
            "X11Forwarding no",
            "AllowTcpForwarding local",
            "PermitTunnel no",
            "PrintMotd no",
            "PrintLastLog no",
            "UseDNS no",
            # Tests open many connections in a row; do not start dropping them early.
            "MaxStartups 100:30:200",
            "LogLevel VERBOSE",
            f"Subsystem sftp {sftp}",
        ]
        return "".join(line + "\n" for line in settings)

    def _start_listening(self) -> None:
        """Start sshd on a free port; retry when another process took the port meanwhile."""
        for _attempt in range(_START_ATTEMPTS):
            port = _free_loopback_port()
            config = self._path("sshd_config")
            config.write_text(self._config_text(port))
            with open(self._path("sshd.log"), "ab") as log:
                process = subprocess.Popen(  # noqa: S603 (an argument list of our own)
                    [self._sshd_path, "-D", "-e", "-f", str(config)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
            if self._wait_until_listening(process, port):
                self._process, self._port = process, port
                return
            self._end_process_tree(process)
            if "Address already in use" not in self.log_text():
                break
        raise SshdStartError("sshd did not start:\n" + self.log_text().strip())

    def _wait_until_listening(self, process: subprocess.Popen[bytes], port: int) -> bool:
        deadline = time.monotonic() + _START_DEADLINE_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            if f"listening on {self.host} port {port}" in self.log_text():
                return True
            time.sleep(0.02)
        return False

    def _end_process_tree(self, process: subprocess.Popen[bytes]) -> None:
        tree = _descendants(process.pid)
        process.terminate()
        for pid, start_time in tree:
            _signal_if_same(pid, start_time, signal.SIGTERM)
        try:
            process.wait(timeout=_STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        remaining = tree
        while remaining and time.monotonic() < deadline:
            remaining = [(p, t) for p, t in remaining if _process_start_time(p) == t]
            time.sleep(0.02)
        for pid, start_time in remaining:
            _signal_if_same(pid, start_time, signal.SIGKILL)
