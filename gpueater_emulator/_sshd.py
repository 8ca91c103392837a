"""A private OpenSSH server, so emulated instances can be real SSH targets.

API (standard library only; nothing from gpueater_ext or gpueater_client)::

    with PrivateSshd() as sshd:            # or: PrivateSshd().start() ... .stop()
        sshd.host, sshd.port, sshd.user    # "127.0.0.1", a free port, the current user's name
        sshd.host_public_key               # "ssh-ed25519 AAAA... gpueater-emulator"
        sshd.host_public_keys              # that one and the RSA key, for older clients
        sshd.authorize(public_key_line)    # idempotent; the key may log in from now on
        sshd.revoke(public_key_line)       # idempotent; new logins with the key are refused
        sshd.authorized_keys()             # the keys now authorized, in authorization order
        sshd.log_text()                    # sshd's own log so far, for diagnostics

    PrivateSshd(host="127.77.0.5", port=40022, folder=state, disk=disk, isolated=True)

- `PrivateSshd(...)` raises `SshdNotInstalledError` (one line: what to install) when no
  `sshd` binary is found; `start()` raises `SshdStartError` with sshd's log when it exits.
- One `sshd -D -e -f <config>` runs on `host` (default 127.0.0.1) with a complete
  configuration of its own: key-only login for the current user, its own authorized_keys
  file, no PAM, no user environment or rc files, no agent or X11 forwarding (local TCP
  forwarding stays on for tunnels). As root, the privilege separation folder `/run/sshd` is
  created when missing; `StrictModes` is off because the files live in our own folders.
- Host keys (ed25519, and RSA for clients that know nothing newer) are made in `folder` the
  first time and kept there: given a folder, the server keeps its identity across
  `stop()`/`start()`. Without one a temporary folder is used and removed by `stop()`.
- `port` is tried first; when it is taken, another free one is used (read `.port`).
- `disk`: the sessions' home folder, where the login shell starts and relative paths point.
  With `isolated=True` (Linux, root: see namespaces.py) sshd runs in mount and PID namespaces
  of its own in which `disk` is mounted over the user's home folder and the rest of the
  filesystem is read-only; otherwise HOME is set to `disk` and every session starts there.
- `stop()` ends the listener and every session it started (the whole PID namespace when
  isolated).
- Keys are matched by type and base64 body; the comment does not matter. Only plain key lines
  are accepted (no authorized_keys options), and authorized_keys is rewritten atomically.
- Thread-safe: `authorize`/`revoke` may be called from any thread.
- Old clients: the published Node client 1.5.3 (ssh2 0.6.2, tests/compat) knows neither
  ed25519 host keys nor curve25519, and signs RSA user keys with SHA-1 `ssh-rsa`, which
  OpenSSH 8.8+ refuses by default. This emulator's sshd (never a real one) also offers an
  RSA host key with SHA-1 `ssh-rsa` host signatures (HostKeyAlgorithms +ssh-rsa) and the
  ecdh-sha2-nistp256 exchange, and accepts `ssh-rsa` user signatures
  (PubkeyAcceptedAlgorithms +ssh-rsa). `host_public_key` stays the ed25519 key, which
  OpenSSH clients that know it keep choosing.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

from .namespaces import SSHD_FOLDER_INSIDE, namespace_command
from .processes import end_process_tree

__all__ = [
    "PrivateSshd",
    "SshdError",
    "SshdNotInstalledError",
    "SshdStartError",
    "free_port",
]

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


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on at `host` right now (the OS's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As sshd binds: connections of the instance's last run lingering in TIME_WAIT do
        # not make the port taken (without this, a restarted instance moved to another port).
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


# Starts a session in the instance's home (sshd itself starts in the user's real one): the
# client's command, a subsystem such as sftp (sshd passes its command line here too), or a
# login shell. A fixed script: the command reaches it only through the environment.
_START_IN_HOME = (
    'cd "$HOME" || exit 1; '
    'if [ -n "${SSH_ORIGINAL_COMMAND+set}" ]; then exec "$SHELL" -c "$SSH_ORIGINAL_COMMAND"; fi; '
    'exec "$SHELL" -l'
)
_HOST_KEYS = (
    ("ssh_host_ed25519_key", ("-t", "ed25519")),
    ("ssh_host_rsa_key", ("-t", "rsa", "-b", "2048")),
)


class PrivateSshd:
    """One OpenSSH server of our own; see the module docstring for the API."""

    def __init__(
        self,
        *,
        sshd_path: str | None = None,
        ssh_keygen_path: str | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        folder: Path | None = None,
        disk: Path | None = None,
        isolated: bool = False,
    ):
        sshd = _find_program(sshd_path, "sshd", _SSHD_CANDIDATES)
        keygen = _find_program(ssh_keygen_path, "ssh-keygen", ("/usr/bin/ssh-keygen",))
        if sshd is None or keygen is None:
            raise SshdNotInstalledError(
                f"OpenSSH server not found (sshd, ssh-keygen): install it with `{INSTALL_HINT}`"
            )
        if isolated and disk is None:
            raise ValueError("an isolated sshd needs the disk to mount over the home folder")
        self._sshd_path = sshd
        self._keygen_path = keygen
        self.host = host
        self.user = pwd.getpwuid(os.geteuid()).pw_name
        self._wanted_port = port
        self._given_folder = folder
        self._disk = disk
        self._isolated = isolated
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, str], str] = {}
        self._folder: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._port: int | None = None
        self._log_start = 0
        self._host_public_keys: list[str] = []

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
        """The ed25519 host key line, which OpenSSH clients prefer."""
        return self._host_public_keys[0] if self._host_public_keys else ""

    @property
    def host_public_keys(self) -> list[str]:
        return list(self._host_public_keys)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        if self._process is not None:
            raise SshdError("the private sshd is already running")
        if self._given_folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="gpueater-sshd-"))
        else:
            self._folder = self._given_folder
            self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            self._prepare_folder()
            self._start_listening()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        process, self._process, self._port = self._process, None, None
        if process is not None:
            # Ending the namespace's first process (sshd) ends every process in it too.
            end_process_tree(process, _STOP_GRACE_SECONDS)
        folder, self._folder = self._folder, None
        if folder is not None and self._given_folder is None:
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
        """sshd's log since the last start()."""
        if self._folder is None:
            return ""
        try:
            with open(self._path("sshd.log"), "rb") as log:
                log.seek(self._log_start)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    # -- internals --------------------------------------------------------------------------

    def _path(self, name: str) -> Path:
        assert self._folder is not None
        return self._folder / name

    def _config_path(self, name: str) -> Path:
        """`name` in our folder as sshd sees it: inside the namespace it is /etc/ssh."""
        return SSHD_FOLDER_INSIDE / name if self._isolated else self._path(name)

    def _prepare_folder(self) -> None:
        self._host_public_keys = []
        for name, kind in _HOST_KEYS:
            host_key = self._path(name)
            if not host_key.exists():
                keygen = [self._keygen_path, "-q", *kind, "-N", "", "-C", "gpueater-emulator"]
                subprocess.run(  # noqa: S603 (an argument list of our own, no shell)
                    [*keygen, "-f", str(host_key)],
                    check=True,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
            self._host_public_keys.append(host_key.with_suffix(".pub").read_text().strip())
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
            os.chmod(staging, 0o644)
            os.replace(staging, self._path("authorized_keys"))
        except BaseException:
            Path(staging).unlink(missing_ok=True)
            raise

    def _session_settings(self) -> list[str]:
        # sshd honours only its first SetEnv line: every variable goes on this one.
        # bash sources ~/.bashrc for commands run by sshd only at shell level 1; on a
        # developer's machine that file can cost a tenth of a second per command
        # (pyenv, nvm), which an instance's stock bashrc does not. Level 2 skips it.
        if self._disk is None or self._isolated:
            # No disk, or one mounted over the real home folder: sshd's defaults apply.
            return ["SetEnv SHLVL=1"]
        home = str(self._disk)
        if any(c in home for c in '"\\\n') or home != home.strip():
            raise SshdError(f"the disk folder {home!r} cannot be written into sshd_config")
        return [f'SetEnv SHLVL=1 "HOME={home}"', f"ForceCommand {_START_IN_HOME}"]

    def _config_text(self, port: int) -> str:
        sftp = _find_program(None, "sftp-server", _SFTP_SERVER_CANDIDATES) or "internal-sftp"
        settings = [
            f"ListenAddress {self.host}:{port}",
            *(f"HostKey {self._config_path(name)}" for name, _kind in _HOST_KEYS),
            "PidFile none",
            f"AuthorizedKeysFile {self._config_path('authorized_keys')}",
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
            # Every file is in a folder of ours whose modes sshd would otherwise reject.
            "StrictModes no",
            "PermitUserEnvironment no",
            *self._session_settings(),
            # Loopback only: the classic curve25519 exchange is sound and costs a fraction
            # of the post-quantum hybrid's CPU time, which tests pay on every connection.
            # ecdh-sha2-nistp256 is the newest exchange older clients (Node's ssh2 0.6) know.
            "KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256",
            # Emulator only: the published Node client (ssh2 0.6.2) knows RSA keys with SHA-1
            # signatures only, for the host key and for its user key. Never on a real server.
            "HostKeyAlgorithms +ssh-rsa",
            "PubkeyAcceptedAlgorithms +ssh-rsa",
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

    def _command(self) -> list[str]:
        command = [self._sshd_path, "-D", "-e", "-f", str(self._config_path("sshd_config"))]
        if not self._isolated:
            return command
        assert self._disk is not None
        assert self._folder is not None
        return namespace_command(self._disk, self._folder, command)

    def _ports_to_try(self) -> list[int]:
        ports = [] if self._wanted_port is None else [self._wanted_port]
        return ports + [free_port(self.host) for _ in range(_START_ATTEMPTS - len(ports))]

    def _start_listening(self) -> None:
        """Start sshd on the wanted port, or a free one; retry when a port was taken."""
        for port in self._ports_to_try():
            if not _port_is_free(self.host, port):
                continue
            self._path("sshd_config").write_text(self._config_text(port))
            log_path = self._path("sshd.log")
            with open(log_path, "ab") as log:
                self._log_start = log.tell()
                process = subprocess.Popen(  # noqa: S603 (an argument list of our own)
                    self._command(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
            if self._wait_until_listening(process, port):
                self._process, self._port = process, port
                return
            end_process_tree(process, _STOP_GRACE_SECONDS)
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
