"""Real OpenSSH key material: generated pairs and fingerprints of registered public keys."""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .errors import ApiError

__all__ = ["generate_key_pair", "public_key_fingerprint"]


def generate_key_pair(comment: str = "gpueater") -> dict[str, str]:
    key = Ed25519PrivateKey.generate()
    private_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
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
