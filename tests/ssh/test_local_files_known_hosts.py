"""Forgetting host keys while ssh records others: parallel forgetters and concurrent ssh
appends never lose each other's lines, and a kill mid-way leaves every line whole or a
comment (issue 17: parallel `ssh-keygen -R` runs left keys behind, lost lines and strewed
`known_hosts.*` files).

ssh's own appends are played by processes doing what OpenSSH does with
`StrictHostKeyChecking=accept-new`: open the file for appending ("a", so O_APPEND) and
write one line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat
from pathlib import Path

import pytest

from gpueater_ext._ssh.known_hosts import forget_host_key, may_record_host_key
from gpueater_ext._ssh.target import host_key_alias
from tests.support.local_files import forked_writer, in_parallel_processes, kill_at_every_step

SERVICE = "http://127.0.0.1:8765"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + "Q" * 43


def line(instance_id: str, service: str = SERVICE) -> str:
    return f"{host_key_alias(instance_id, service)} {KEY}{instance_id}\n"


def recorded(path: Path) -> list[str]:
    """The lines that still record a key (not comments, not blank)."""
    text = path.read_text()
    return [f"{x}\n" for x in text.splitlines() if x.strip() and not x.lstrip().startswith("#")]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    return home


@pytest.fixture
def known_hosts(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir(mode=0o700)
    path = folder / "known_hosts"
    path.touch(mode=0o600)
    return path


def test_forget_blanks_only_that_instances_lines_of_that_service(home: Path, known_hosts: Path):
    alias = host_key_alias("7", SERVICE)
    salt = os.urandom(20)
    hashed = base64.b64encode(hmac.new(salt, alias.encode(), hashlib.sha1).digest()).decode()
    hashed_line = f"|1|{base64.b64encode(salt).decode()}|{hashed} {KEY}\n"
    kept = [line("70"), line("7", "https://www.gpueater.com"), "# a comment of the user's\n"]
    forgotten = [line("7"), f"[{alias}]:2222 {KEY}\n", hashed_line, f"@revoked {alias} {KEY}\n"]
    known_hosts.write_text("".join(forgotten[:2] + kept + forgotten[2:]))
    size = known_hosts.stat().st_size
    assert forget_host_key("7", service_url=SERVICE, known_hosts=known_hosts) == 4
    assert recorded(known_hosts) == kept[:2]
    assert known_hosts.stat().st_size == size  # blanked in place: nothing moved
    assert forget_host_key("7", service_url=SERVICE, known_hosts=known_hosts) == 0


def test_a_line_still_being_written_is_left_alone(home: Path, known_hosts: Path):
    partial = line("7").rstrip("\n")  # no line break yet: an append in progress
    known_hosts.write_text(line("8") + partial)
    assert forget_host_key("7", service_url=SERVICE, known_hosts=known_hosts) == 0
    assert known_hosts.read_text().endswith(partial)


def test_twenty_parallel_forgetters_and_ssh_appending_lose_nothing(home: Path, known_hosts: Path):
    doomed = [f"d{n}" for n in range(20)]
    standing = [f"s{n}" for n in range(10)]
    known_hosts.write_text(
        "".join(line(i) for pair in zip(doomed, standing * 2, strict=True) for i in pair)
    )

    def forgetter(instance_id: str):
        return lambda: forget_host_key(instance_id, service_url=SERVICE, known_hosts=known_hosts)

    def ssh_appender(n: int):
        def append() -> None:
            for m in range(40):
                with open(known_hosts, "a") as stream:  # what ssh does, outside any lock
                    stream.write(line(f"new-{n}-{m}"))

        return append

    writers = [forgetter(i) for i in doomed] + [ssh_appender(n) for n in range(5)]
    in_parallel_processes(writers, home)
    appended = [line(f"new-{n}-{m}") for n in range(5) for m in range(40)]
    expected = [line(i) for i in standing * 2] + appended
    assert sorted(recorded(known_hosts)) == sorted(expected)  # every appended line kept
    assert sorted(p.name for p in known_hosts.parent.iterdir()) == ["known_hosts"]  # no strays
    assert stat.S_IMODE(known_hosts.stat().st_mode) == 0o600


def test_a_forget_killed_at_any_step_leaves_whole_lines_or_comments(home: Path, known_hosts: Path):
    lines = [line("7") if n % 2 == 0 else line(f"other-{n}") for n in range(24)]
    original = "".join(lines)
    others = [x for x in lines if x != line("7")]

    def reset() -> None:
        known_hosts.write_text(original)

    def after_kill(step: int) -> None:
        now = known_hosts.read_text()
        assert len(now) == len(original), step
        for before, after in zip(lines, now.splitlines(keepends=True), strict=True):
            assert after == before or after.startswith("#"), (step, after)
        assert [x for x in recorded(known_hosts) if x != line("7")] == others

    writer = forked_writer(
        lambda: forget_host_key("7", service_url=SERVICE, known_hosts=known_hosts), home
    )
    kills = kill_at_every_step(writer, after_kill, before=reset)
    assert kills >= 20
    assert recorded(known_hosts) == others


# `may_record_host_key`: a termination skips the forget (and its thread) only when the
# forget would provably find nothing. The class it guards against: a remembered reading
# of the file that hides a key recorded since.


def may_record(instance_id: str, known_hosts: Path) -> bool:
    return may_record_host_key(instance_id, service_url=SERVICE, known_hosts=known_hosts)


def test_nothing_to_forget_in_an_absent_or_empty_file(home: Path, known_hosts: Path):
    assert not may_record("7", known_hosts)
    assert not may_record("7", known_hosts.with_name("absent"))
    known_hosts.write_text(line("9"))
    assert may_record("7", known_hosts)  # never read by this process: it cannot tell


def test_a_read_file_tells_which_instances_it_records_until_it_changes(
    home: Path, known_hosts: Path
):
    known_hosts.write_text(line("7") + line("8"))
    assert forget_host_key("8", service_url=SERVICE, known_hosts=known_hosts) == 1
    assert may_record("7", known_hosts)
    assert not may_record("8", known_hosts)  # blanked by that forget: a comment now
    assert not may_record("9", known_hosts)
    with known_hosts.open("a") as ssh:  # ssh learns instance 9's key: the size grows
        ssh.write(line("9"))
    assert may_record("9", known_hosts)
    assert forget_host_key("9", service_url=SERVICE, known_hosts=known_hosts) == 1
    assert not may_record("9", known_hosts)


def test_a_file_replaced_by_another_of_the_same_size_is_read_again(home: Path, known_hosts: Path):
    known_hosts.write_text(line("7"))
    forget_host_key("8", service_url=SERVICE, known_hosts=known_hosts)
    assert not may_record("8", known_hosts)
    replacement = known_hosts.with_name("edited")
    replacement.write_text(line("8"))  # as long as line("7"): only the inode tells
    os.replace(replacement, known_hosts)
    assert may_record("8", known_hosts)


def test_hashed_names_are_always_read(home: Path, known_hosts: Path):
    salt = os.urandom(20)
    alias = host_key_alias("7", SERVICE)
    hashed = base64.b64encode(hmac.new(salt, alias.encode(), hashlib.sha1).digest()).decode()
    known_hosts.write_text(f"|1|{base64.b64encode(salt).decode()}|{hashed} {KEY}\n")
    forget_host_key("8", service_url=SERVICE, known_hosts=known_hosts)
    assert may_record("7", known_hosts)
    assert may_record("8", known_hosts)  # only an HMAC per name could tell
