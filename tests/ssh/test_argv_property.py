"""10,000+ generated names through the argument builder, with sshd's part played by `sh -c`.

sshd joins the remote words it receives with spaces and hands the string to the login
shell's `-c`. The stand-in does the same in a sandbox folder, so every remote command the
SSH layer builds is parsed by a real POSIX shell, without ssh. Several built commands share
one `sh` run (one per line) to keep 10,000 names quick; each line is a complete command
line as ssh would send it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpueater_ext._ssh.argv import ssh_argv
from gpueater_ext._ssh.remote import (
    delete_words,
    get_words,
    list_words,
    make_directory_words,
    parse_file_list,
    put_words,
)
from gpueater_ext._ssh.target import SshTarget
from tests.ssh.names import file_names, planted_commands

BATCH = 50
EXAMPLES = 205
EFFECT_SAMPLE = 3
TARGET = SshTarget("prop-1", "127.0.0.1", 22, "root", Path("/nonexistent/key"))
KNOWN_HOSTS = Path("/nonexistent/known_hosts")


def remote_string(words: list[str]) -> str:
    """What sshd would hand to the shell, taken from the argument list ssh would get."""
    argv = ssh_argv(TARGET, KNOWN_HOSTS, words)
    separator = argv.index("--")
    assert argv[separator + 1] == TARGET.host
    assert len(argv) == separator + 3, "the remote command must be one argument"
    return " ".join(argv[separator + 2 :])


def run_as_sshd_would(lines: list[str], sandbox: Path) -> bytes:
    finished = subprocess.run(
        ["sh", "-c", "\n".join(lines)], cwd=sandbox, capture_output=True, check=False
    )
    assert finished.returncode == 0, finished.stderr.decode(errors="replace")
    return finished.stdout


@pytest.mark.slow
def test_ten_thousand_generated_names_mean_exactly_themselves(tmp_path_factory):
    marker = tmp_path_factory.mktemp("markers") / "planted-command-ran"
    sandbox = tmp_path_factory.mktemp("sandbox")
    checked: list[str] = []
    names = file_names([*planted_commands(marker), ";touch planted", "$(touch planted)"])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(batch=st.lists(names, min_size=BATCH, max_size=BATCH, unique=True))
    def check(batch: list[str]) -> None:
        # 1. Every builder's command reaches the remote side as exactly its words: printf is a
        #    shell builtin, so 200 command lines cost one process.
        built = [
            words
            for name in batch
            for words in (
                make_directory_words(name),
                delete_words(name, recursive=True),
                list_words(name),
                get_words(name, recursive=True),
                put_words(name, name=name, is_folder=False),
            )
        ]
        echoed = run_as_sshd_would(["printf '%s\\0' " + remote_string(w) for w in built], sandbox)
        assert echoed.split(b"\0")[:-1] == [os.fsencode(word) for words in built for word in words]
        # 2. The commands themselves, run relative to the sandbox for a few names per batch
        #    (each is a process of its own): leading '-', '(' or '!' must not become options.
        sample = batch[:EFFECT_SAMPLE]
        made = run_as_sshd_would(
            [remote_string(make_directory_words(name)) for name in sample]
            + [remote_string(list_words("."))],
            sandbox,
        )
        listed = parse_file_list(made)
        assert [(entry.name, entry.type) for entry in listed] == [
            (name, "directory") for name in sorted(sample)
        ]
        run_as_sshd_would([remote_string(delete_words(n, recursive=True)) for n in sample], sandbox)
        assert os.listdir(sandbox) == []
        assert not marker.exists()
        checked.extend(batch)

    check()
    assert len(checked) >= 10_000
