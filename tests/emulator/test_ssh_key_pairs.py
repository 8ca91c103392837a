"""Generated key pairs are what the published clients can use: RSA in traditional PEM; any
OpenSSH public key registers."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.emulator_process import EmulatorProcess

SERVERS = "/console/servers"


@pytest.fixture
def http(emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.url, timeout=30) as client:
        login = client.post(
            "/api_login", data={"email": emulator.email, "password": emulator.password}
        )
        assert login.json()["error"] is None
        yield client


def test_a_generated_pair_is_rsa_of_at_least_2048_bits_in_traditional_pem(http, tmp_path):
    pair = http.get(f"{SERVERS}/ssh_key_gen").json()["data"]
    assert pair["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    private = serialization.load_pem_private_key(pair["private_key"].encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    assert private.key_size >= 2048
    kind, body, *_ = pair["public_key"].split()
    assert kind == "ssh-rsa"
    assert len(pair["public_key"]) < 1000  # the Node client's public-key check
    # OpenSSH reads the private key and derives the very public key that came with it.
    key_file = Path(tmp_path) / "generated.pem"
    key_file.write_text(pair["private_key"])
    key_file.chmod(0o600)
    derived = subprocess.run(
        ["ssh-keygen", "-y", "-f", str(key_file)], capture_output=True, text=True, check=True
    )
    assert derived.stdout.split()[:2] == [kind, body]


@pytest.mark.parametrize("kind", ["ed25519", "rsa"])
def test_ed25519_and_rsa_public_keys_register(http, emulator, tmp_path, kind):
    key_file = Path(tmp_path) / kind
    subprocess.run(
        ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "laptop", "-f", str(key_file)],
        check=True,
    )
    public_key = key_file.with_suffix(".pub").read_text().strip()
    answer = http.post(
        f"{SERVERS}/register_ssh_key", data={"name": kind, "public_key": public_key}
    ).json()
    assert answer["error"] is None
    assert answer["data"]["fingerprint"].startswith("SHA256:")
    assert [key["public_key"] for key in emulator.state()["ssh_keys"]] == [public_key]
