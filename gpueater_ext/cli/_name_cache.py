"""The names TAB completion offers (instances, products, images, SSH keys), kept for a minute.

A TAB must answer in well under 300 ms and without the network, so completion reads the
names from small files in the tool's cache folder (platformdirs
`user_cache_dir("gpueater")/completion`), one per account and kind. Every ordinary command
that lists instances, the catalog, images or keys rewrites its file (see
`_recording_client`), and one that changes which instances or keys exist (launch, terminate,
tag, registering or deleting a key) removes it, so the next TAB asks the service once.

- **Which account:** a file's name is a hash of the service URL, the profile and the
  account's identity (its email, or its access token), so two services or profiles never
  see each other's names and the name reveals none of them.
- **Fresh:** a file older than `FRESH_SECONDS` (60 s), or from the future, is a miss. A
  fetch that failed is remembered for `FAILED_FETCH_SECONDS`, so TAB after TAB against a
  service that is down answers at once instead of waiting each time.
- **No secrets:** only what completion shows: names, ids, and a short help text (state,
  product, price). Never a key, token, password, address or cookie.
- **Private and whole:** files are 0600 in a 0700 folder, written through `_local_files`
  (a temporary file moved into place), so a kill leaves the old file or the new one. A file
  that is not this user's own, is readable by others, or does not parse is a miss, never an
  error: completion is a convenience, and a broken cache must not break a command.

Imports here are the standard library and platformdirs only: a TAB never pays for httpx.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gpueater_ext._catalog import LaunchCatalog
    from gpueater_ext._config import Config
    from gpueater_ext._models import Image, Instance, Product, SshKey

__all__ = [
    "FAILED_FETCH_SECONDS",
    "FRESH_SECONDS",
    "KINDS",
    "Name",
    "NameCache",
    "catalog_names",
    "image_names",
    "instance_names",
    "product_names",
    "ssh_key_names",
]

KINDS = ("instances", "products", "images", "ssh_keys")
FRESH_SECONDS = 60.0
FAILED_FETCH_SECONDS = 10.0
# A cache file is a few kilobytes; anything much larger is not ours.
_MAX_BYTES = 1 << 20
_FAILED = "unreachable"


@dataclasses.dataclass(frozen=True)
class Name:
    """One completion candidate: what TAB inserts, and what zsh and fish show beside it."""

    value: str
    help: str = ""


class NameCache:
    """The cached names of one account (service URL, profile, identity)."""

    def __init__(
        self,
        config: Config,
        folder: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        import platformdirs

        credentials = config.credentials
        identity = credentials.email or credentials.access_token or ""
        account = f"{config.url}\0{config.profile}\0{identity}"
        self._prefix = hashlib.sha256(account.encode()).hexdigest()[:32]
        self.folder = folder or platformdirs.user_cache_path("gpueater") / "completion"
        self._clock = clock

    def path(self, kind: str) -> Path:
        return self.folder / f"{self._prefix}-{kind}.json"

    def fresh(self, kind: str) -> list[Name] | None:
        """The names stored for `kind` if they are fresh, else None (absent, old, broken)."""
        document = self._read(kind, FRESH_SECONDS)
        if document is None:
            return None
        names = document.get("names")
        if not isinstance(names, list):
            return None
        return [
            Name(entry[0], entry[1])
            for entry in names
            if isinstance(entry, list)
            and len(entry) == 2
            and all(isinstance(part, str) for part in entry)
        ]

    def store(self, kind: str, names: Iterable[Name]) -> None:
        """Replace the names of `kind` (best effort: a cache is never worth failing for)."""
        self._write(kind, {"names": [[name.value, name.help] for name in names]})

    def forget(self, kind: str) -> None:
        """Drop the names of `kind`: they changed, so the next TAB asks the service."""
        with contextlib.suppress(OSError):
            self.path(kind).unlink(missing_ok=True)

    def note_failed_fetch(self) -> None:
        self._write(_FAILED, {})

    def fetch_failed_recently(self) -> bool:
        return self._read(_FAILED, FAILED_FETCH_SECONDS) is not None

    def _write(self, kind: str, document: dict[str, object]) -> None:
        from gpueater_ext._local_files import write_file

        data = json.dumps({"written_at": self._clock(), **document}).encode()
        with contextlib.suppress(OSError, ValueError):
            if not self.folder.is_dir():
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            # A cache: not worth two fsyncs of every listing (see write_locked's durable).
            write_file(self.path(kind), data, mode=0o600, durable=False)

    def _read(self, kind: str, lifetime: float) -> dict[str, object] | None:
        try:
            document = json.loads(_read_private(self.path(kind)))
        except (OSError, ValueError):
            return None
        if not isinstance(document, dict):
            return None
        written_at = document.get("written_at")
        if not isinstance(written_at, int | float):
            return None
        age = self._clock() - written_at
        return document if 0 <= age <= lifetime else None


def _read_private(path: Path) -> bytes:
    """The content of a regular file of this user's that others cannot read; else raises."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        private = not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or not private:
            raise ValueError(f"{path} is not a private file of this user's")
        return stream.read(_MAX_BYTES)


def instance_names(instances: Iterable[Instance]) -> list[Name]:
    """Each instance by its tag (when it has one) and by its id, each naming the other."""
    names: list[Name] = []
    for instance in instances:
        about = " ".join(part for part in (instance.state, instance.product_name) if part)
        if instance.tag:
            names.append(Name(instance.tag, f"{instance.instance_id} {about}".strip()))
        names.append(Name(instance.instance_id, f"{instance.tag or '-'} {about}".strip()))
    return names


def product_names(products: Iterable[Product]) -> list[Name]:
    """By name, each with its GPU, price and stock (and whether it is limited)."""

    def about(product: Product) -> str:
        stock = "in stock" if product.pool else "out of stock"
        limited = "limited" if product.limited else ""
        parts = (product.device_desc, f"${product.price:.4f}/h", stock, limited)
        return " ".join(part for part in parts if part)

    return [Name(product.name, about(product)) for product in sorted(products, key=_name)]


def image_names(images: Iterable[Image]) -> list[Name]:
    """Each image by its name and by its alias (`launch --image` takes either)."""
    names: list[Name] = []
    for image in sorted(images, key=_name):
        names.append(Name(image.name, image.alias))
        if image.alias != image.name:
            names.append(Name(image.alias, image.name))
    return names


def ssh_key_names(keys: Iterable[SshKey]) -> list[Name]:
    return [Name(key.name, f"id {key.id}") for key in sorted(keys, key=_name)]


def _name(item: Product | Image | SshKey) -> str:
    return item.name


def catalog_names(catalog: LaunchCatalog) -> dict[str, list[Name]]:
    """The three kinds one `ondemand_list` answer holds."""
    return {
        "products": product_names(catalog.products),
        "images": image_names(catalog.images.values()),
        "ssh_keys": ssh_key_names(catalog.ssh_keys),
    }
