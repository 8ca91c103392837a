"""Real OpenSSH key material: generated pairs and fingerprints of registered public keys."""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .errors import ApiError

__all__ = ["RSA_KEY_BITS", "generate_key_pair", "public_key_fingerprint"]


# 2048 bits, the floor the spec sets (about 112-bit strength, NIST SP 800-57: fine through
# 2030). An emulator's keys only ever guard its own instances on loopback, while every test
# and demo waits for them: 3072 bits took 0.5 s on average here and, prime search being
# what it is, several seconds now and then (2048: 0.15 s), enough to break clients with a
# short read timeout. Its public key line (~380 characters) is well under the 1000 the
# published Node client's key check allows.
RSA_KEY_BITS = 2048


def generate_key_pair(comment: str = "gpueater") -> dict[str, str]:
    """An RSA pair as the published clients expect it: the private key in the traditional
    OpenSSL PEM form (`-----BEGIN RSA PRIVATE KEY-----`, which the Node client's ssh2 and
    OpenSSH both read), the public key as an OpenSSH `ssh-rsa` line."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    private_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode("ascii")
    public_key = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return {"public_key": f"{public_key.decode('ascii')} {comment}", "private_key": private_key}


def public_key_fingerprint(public_key_line: str) -> str:
    """OpenSSH's `SHA256:...` fingerprint; a line that is not a public key is refused."""
    parts = public_key_line.strip().split()
    refused = ApiError(
        "public_key: is not an OpenSSH public key line", "invalid_request", "public_key"
    )
    if len(parts) < 2:
        raise refused
    try:
        blob = base64.b64decode(parts[1], validate=True)
        serialization.load_ssh_public_key(f"{parts[0]} {parts[1]}".encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError, UnsupportedAlgorithm) as not_a_key:
        raise refused from not_a_key
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
    return f"SHA256:{digest}"
