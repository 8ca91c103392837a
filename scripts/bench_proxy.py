#!/usr/bin/env python3
"""A loopback TLS 1.3 front for the plain-http emulator that behaves like a real link.

`scripts/bench.py` runs it as a process of its own (so its event loop never shares a GIL
with a client being timed) through `running_proxy()`. Two stages, so that the TLS
handshake itself crosses the slow link as it does on the internet:

    client --TCP--> link (delays) --TCP--> TLS terminator --http--> emulator

- the link charges one round trip (2 x `delay`) when a connection opens, as a TCP
  handshake would, then delays every chunk it reads by `delay` (10 ms), in each direction;
  chunks are delayed, not serialised: a chunk read at t is written at t + delay, whatever
  is still in flight;
- the terminator speaks TLS 1.3 only (TLS 1.2 and older are refused) with a certificate for
  127.0.0.1 signed by a certificate authority made on the fly; clients trust that CA by
  their ordinary means (`SSL_CERT_FILE` for httpx, `REQUESTS_CA_BUNDLE` for requests).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import ipaddress
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["DELAY_SECONDS", "Proxy", "make_certificates", "running_proxy"]

DELAY_SECONDS = 0.010  # one way, per chunk; a connection's opening costs twice this
_CHUNK = 65536


# A CA signs certificates and nothing else (strict verifiers check it).
_CA_KEY_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) as PEM files in `folder`."""
    now = datetime.datetime.now(datetime.UTC)
    validity = (now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=1))
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("gpueater bench CA"))
        .issuer_name(_name("gpueater bench CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_CA_KEY_USAGE, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = (folder / "ca.pem", folder / "server.pem", folder / "server-key.pem")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    paths[2].chmod(0o600)
    return paths


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Copy reader to writer, each chunk `delay` seconds after it was read (in order)."""
    due: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    async def deliver() -> None:
        while True:
            at, chunk = await due.get()
            if at > loop.time():
                await asyncio.sleep(at - loop.time())
            if not chunk:
                break
            writer.write(chunk)
            await writer.drain()

    delivering = asyncio.create_task(deliver())
    try:
        while chunk := await reader.read(_CHUNK):
            due.put_nowait((loop.time() + delay, chunk))
    except (ConnectionError, OSError):
        pass
    due.put_nowait((loop.time() + delay, b""))
    try:
        await delivering
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        pass


async def _join(
    client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    delay: float,
) -> None:
    try:
        await asyncio.gather(
            _pump(client[0], upstream[1], delay), _pump(upstream[0], client[1], delay)
        )
    finally:
        for _, writer in (client, upstream):
            writer.close()


async def serve(upstream_url: str, certificate: Path, key: Path, ready_file: Path) -> None:
    upstream = urlsplit(upstream_url)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(certificate, key)

    async def terminate(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            emulator = await asyncio.open_connection(upstream.hostname, upstream.port)
        except OSError:
            writer.close()
            return
        await _join((reader, writer), emulator, 0.0)

    terminator = await asyncio.start_server(terminate, "127.0.0.1", 0, ssl=context)
    terminator_port = terminator.sockets[0].getsockname()[1]

    async def link(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(2 * DELAY_SECONDS)  # the TCP handshake's round trip
        try:
            inner = await asyncio.open_connection("127.0.0.1", terminator_port)
        except OSError:
            writer.close()
            return
        await _join((reader, writer), inner, DELAY_SECONDS)

    front = await asyncio.start_server(link, "127.0.0.1", 0)
    port = front.sockets[0].getsockname()[1]
    ready_file.write_text(f"https://127.0.0.1:{port}\n", encoding="utf-8")
    async with front, terminator:
        await asyncio.gather(front.serve_forever(), terminator.serve_forever())


@dataclass(frozen=True)
class Proxy:
    url: str  # https://127.0.0.1:<port>
    ca_file: Path  # the certificate authority clients must trust


@contextmanager
def running_proxy(folder: Path, upstream_url: str) -> Iterator[Proxy]:
    """This file as a process in front of `upstream_url`, stopped however the block ends."""
    folder.mkdir()
    ca, certificate, key = make_certificates(folder)
    ready = folder / "proxy.url"
    command = [
        sys.executable, __file__, "--upstream", upstream_url, "--certificate", str(certificate),
        "--key", str(key), "--ready-file", str(ready),
    ]  # fmt: skip
    with (folder / "proxy.log").open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed argument list
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while not (ready.is_file() and ready.read_text(encoding="utf-8").endswith("\n")):
            if process.poll() is not None or time.monotonic() > deadline:
                log_text = (folder / "proxy.log").read_text(errors="replace")
                raise RuntimeError(f"the TLS proxy did not start:\n{log_text}")
            time.sleep(0.02)
        yield Proxy(ready.read_text(encoding="utf-8").strip(), ca)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="the emulator's http:// URL")
    parser.add_argument("--certificate", required=True, type=Path)
    parser.add_argument("--key", required=True, type=Path)
    parser.add_argument("--ready-file", required=True, type=Path)
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
    asyncio.run(serve(options.upstream, options.certificate, options.key, options.ready_file))


if __name__ == "__main__":
    main()
