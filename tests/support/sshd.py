"""A real OpenSSH server on 127.0.0.1 for tests of several folders: starting one (a skip
without OpenSSH, a failure under GPUEATER_REQUIRE_SSHD, as in CI) and client keys it accepts.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from gpueater_emulator._sshd import PrivateSshd, SshdNotInstalledError

__all__ = ["ClientKey", "PrivateSshd", "generate_client_key", "new_private_sshd", "sshd_required"]


def sshd_required() -> bool:
    return bool(os.environ.get("GPUEATER_REQUIRE_SSHD"))


def new_private_sshd() -> PrivateSshd:
    """A PrivateSshd, or a skip (a failure under GPUEATER_REQUIRE_SSHD) without OpenSSH."""
    try:
        return PrivateSshd()
    except SshdNotInstalledError as missing:
        if sshd_required():
            pytest.fail(f"GPUEATER_REQUIRE_SSHD is set, but: {missing}")
        pytest.skip(str(missing))


@dataclass(frozen=True)
class ClientKey:
    private: Path
    public_line: str


def generate_client_key(folder: Path, name: str = "client") -> ClientKey:
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(private)],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return ClientKey(private, private.with_name(name + ".pub").read_text().strip())
