"""A TLS context that loads its certificate authorities at the first TLS connection.

httpx builds its SSL context when a client is made: `ssl.create_default_context(cafile=
certifi.where())`, about 55 ms of parsing CA certificates (issue 25), paid by every
`gpueater` call, also against an http:// URL (the local emulator) that never opens a TLS
connection. `deferred_trust()` gives httpx (as `verify=`) a context configured as that one
from the start, verification included (CERT_REQUIRED, hostname checking), whose CA store
is loaded on the first `wrap_socket` / `wrap_bio`, the two ways httpcore opens TLS: a
handshake can never happen with it unloaded, so nothing is ever accepted that httpx's own
context would refuse. The CAs are httpx's choice (its `trust_env`): $SSL_CERT_FILE, else
$SSL_CERT_DIR, else certifi. tests/sdk/test_deferred_trust.py checks, after loading, the
same settings and CA certificates as `httpx.create_ssl_context()` on this Python.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from typing import Any

__all__ = ["deferred_trust"]


class _DeferredTrust(ssl.SSLContext):
    _lock: threading.Lock
    _loaded: bool

    def _load_trust(self) -> None:
        with self._lock:
            if self._loaded:
                return
            if os.environ.get("SSL_CERT_FILE"):
                self.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
            elif os.environ.get("SSL_CERT_DIR"):
                self.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
            else:
                import certifi

                self.load_verify_locations(cafile=certifi.where())
            self._loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load_trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load_trust()
        return super().wrap_bio(*args, **kwargs)


def deferred_trust() -> ssl.SSLContext:
    """What `ssl.create_default_context()` sets up for a client, minus the CA loading,
    which waits for the first TLS connection (see the module docstring)."""
    context = _DeferredTrust(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname
    context._lock = threading.Lock()
    context._loaded = False
    if sys.version_info >= (3, 13):  # what create_default_context adds there
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment:  # as create_default_context does
        context.keylog_filename = keylog
    return context
