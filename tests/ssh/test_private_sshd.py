"""PrivateSshd: the emulator's own OpenSSH server, exercised with the plain ssh client."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from gpueater_emulator._sshd import PrivateSshd, SshdNotInstalledError
from gpueater_emulator.processes import process_start_time
from tests.support import sshd as ssh_conftest
from tests.support.sshd import ClientKey, generate_client_key, new_private_sshd


def ssh_quoted(path: Path) -> str:
    """A path as an ssh option value: %-tokens escaped, then double-quoted."""
    escaped = str(path).replace("%", "%%").replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def plain_ssh(sshd: PrivateSshd, key: Path, known_hosts: Path, *remote: str) -> list[str]:
    return [
        "ssh",
        "-F",
        "none",
        "-o",
        f"IdentityFile={ssh_quoted(key)}",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=accept-new",
        "-o",
        f"UserKnownHostsFile={ssh_quoted(known_hosts)}",
        "-o",
        "LogLevel=ERROR",
        "-p",
        str(sshd.port),
        "-l",
        sshd.user,
        "--",
        sshd.host,
        *remote,
    ]


def run_plain(
    sshd: PrivateSshd, key: Path, tmp_path: Path, *remote: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        plain_ssh(sshd, key, tmp_path / "known_hosts", *remote),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def test_missing_sshd_says_what_to_install():
    with pytest.raises(SshdNotInstalledError) as raised:
        PrivateSshd(sshd_path="/nonexistent/sshd")
    message = str(raised.value)
    assert "apt-get install openssh-server" in message
    assert "\n" not in message


@pytest.mark.sshd
def test_authorized_key_logs_in_as_the_current_user(private_sshd, client_key: ClientKey, tmp_path):
    result = run_plain(private_sshd, client_key.private, tmp_path, "id -un; echo $SSH_CONNECTION")
    assert result.returncode == 0, result.stderr
    user, connection = result.stdout.splitlines()
    assert user == private_sshd.user
    assert connection.split()[2:] == ["127.0.0.1", str(private_sshd.port)]


@pytest.mark.sshd
def test_host_key_is_this_servers_temporary_key(private_sshd, client_key: ClientKey, tmp_path):
    assert run_plain(private_sshd, client_key.private, tmp_path, "true").returncode == 0
    recorded = (tmp_path / "known_hosts").read_text().split()
    assert recorded[1:3] == private_sshd.host_public_key.split()[:2]


@pytest.mark.sshd
def test_unknown_key_is_refused(private_sshd, tmp_path):
    stranger = generate_client_key(tmp_path / "keys", "stranger")
    result = run_plain(private_sshd, stranger.private, tmp_path, "true")
    assert result.returncode == 255
    assert "Permission denied" in result.stderr


@pytest.mark.sshd
def test_revoked_key_is_refused_and_authorizing_again_restores_it(private_sshd, tmp_path):
    key = generate_client_key(tmp_path / "keys", "revocable")
    private_sshd.authorize(key.public_line)
    assert run_plain(private_sshd, key.private, tmp_path, "true").returncode == 0
    # A different comment names the same key.
    private_sshd.revoke(key.public_line.rsplit(" ", 1)[0] + " another-comment")
    assert key.public_line not in private_sshd.authorized_keys()
    assert run_plain(private_sshd, key.private, tmp_path, "true").returncode == 255
    private_sshd.authorize(key.public_line)
    private_sshd.authorize(key.public_line)
    assert private_sshd.authorized_keys().count(key.public_line) == 1
    assert run_plain(private_sshd, key.private, tmp_path, "true").returncode == 0
    private_sshd.revoke(key.public_line)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "not-a-key",
        'command="touch /tmp/x" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA',
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA\nssh-ed25519 AAAAother",
    ],
)
def test_only_plain_single_key_lines_are_accepted(line):
    sshd = PrivateSshd.__new__(PrivateSshd)  # no server needed: the check comes first
    with pytest.raises(ValueError, match="key"):
        sshd.authorize(line)


@pytest.mark.sshd
def test_sftp_subsystem_serves_files(private_sshd, client_key: ClientKey, tmp_path):
    source = tmp_path / "up.txt"
    source.write_bytes(b"via sftp\n")
    remote = tmp_path / "down.txt"
    command = plain_ssh(private_sshd, client_key.private, tmp_path / "known_hosts")
    sftp = ["sftp", *command[1 : command.index("-p")], "-P", str(private_sshd.port), "-b", "-"]
    batch = f'put "{source}" "{remote}"\n'
    sftp += [f"{private_sshd.user}@{private_sshd.host}"]
    result = subprocess.run(
        sftp, input=batch, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert remote.read_bytes() == b"via sftp\n"


@pytest.mark.sshd
def test_stop_ends_open_sessions_and_removes_its_files(tmp_path):
    sshd = new_private_sshd()
    sshd.start()
    folder = sshd._folder
    assert folder is not None
    key = generate_client_key(tmp_path / "keys")
    sshd.authorize(key.public_line)
    session = subprocess.Popen(
        plain_ssh(sshd, key.private, tmp_path / "known_hosts", "echo $$; exec sleep 300"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert session.stdout is not None
        remote_pid = int(session.stdout.readline())
        start_time = process_start_time(remote_pid)
        assert start_time is not None
        listener_pid = sshd._process.pid if sshd._process else -1
        sshd.stop()
        assert not folder.exists()
        assert process_start_time(listener_pid) is None
        # The session's shell was told to end; give the kernel a moment to finish it.
        for _ in range(250):
            if process_start_time(remote_pid) != start_time:
                break
            time.sleep(0.02)
        assert process_start_time(remote_pid) != start_time
        assert session.wait(timeout=30) != 0
    finally:
        session.kill()
        session.communicate()
        sshd.stop()


def test_missing_sshd_skips_unless_required(monkeypatch):
    def not_installed() -> PrivateSshd:
        raise SshdNotInstalledError("OpenSSH server not found: apt-get install openssh-server")

    monkeypatch.setattr(ssh_conftest, "PrivateSshd", not_installed)
    monkeypatch.delenv("GPUEATER_REQUIRE_SSHD", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install openssh-server"):
        ssh_conftest.new_private_sshd()
    monkeypatch.setenv("GPUEATER_REQUIRE_SSHD", "1")
    with pytest.raises(pytest.fail.Exception, match="GPUEATER_REQUIRE_SSHD"):
        ssh_conftest.new_private_sshd()


def test_a_port_whose_last_connections_linger_in_time_wait_is_free_again() -> None:
    # A stopped instance's sshd leaves its served connections in TIME_WAIT; its port must
    # still count as free, or a restarted instance moves to another port.
    import socket

    from gpueater_emulator._sshd import _port_is_free

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    served, _ = listener.accept()
    served.close()  # the server side closes first: TIME_WAIT is on the server's port
    client.recv(1)
    client.close()
    listener.close()
    assert _port_is_free("127.0.0.1", port)
