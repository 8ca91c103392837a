"""The module API of the published gpueater 1.5 library, on top of gpueater_ext.

    import gpueater
    res = gpueater.ondemand_list()
    product = res.find_product("a1.rx580")

Every function of the service's README is here under its README name (the misspelt
`launch_subcription_instance` included), takes a seed-style form dict (or keyword fields)
and returns plain data: dicts and lists, as 1.5 did. `ondemand_list()` returns a dict that
also has `find_image`, `find_product` and `find_ssh_key`, returning dicts or None.

Unlike 1.5, importing reads nothing: the default client (a `gpueater_ext.GPUEater`, which
reads the environment and `~/.eater`) is created on the first call. `set_client()` replaces
it; errors are the `gpueater_ext` exceptions (all under `GPUEaterError`).

The distribution's name is the one name users type (as `openai` keeps its clients and its
module-level API in one package): every public name of `gpueater_ext` (the clients
`GPUEater` and `AsyncGPUEater`, the errors, the models, the configuration and SSH helpers)
is also here, loaded on first use like there (`from gpueater import AsyncGPUEater`).
`gpueater_ext` stays, as the package these names live in.
"""

from __future__ import annotations

import atexit
import dataclasses
import threading
from typing import TYPE_CHECKING, Any

import gpueater_ext
from gpueater_ext import GPUEater as GPUEater
from gpueater_ext import GPUEaterError as GPUEaterError
from gpueater_ext import LaunchCatalog as LaunchCatalog
from gpueater_ext._api_list import api_functions
from gpueater_ext._decode import Model

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time `__getattr__` loads them
    from gpueater_ext import *  # noqa: F403

_MODULE_API = [
    "GPUEaterError",
    "OndemandCatalog",
    "api_list",
    "attach_volume",
    "cancel_transaction",
    "change_instance_tag",
    "change_snapshot_tag",
    "close_port",
    "copy_file",
    "create_image",
    "create_volume",
    "delete_file",
    "delete_image",
    "delete_snapshot",
    "delete_ssh_key",
    "delete_volume",
    "detach_volume",
    "emergency_restart_instance",
    "file_list",
    "generate_ssh_key",
    "get_client",
    "image_list",
    "import_image",
    "instance_list",
    "invoice_list",
    "launch_ondemand_instance",
    "launch_subcription_instance",
    "launch_subscription_instance",
    "live_migration",
    "login_instance",
    "make_directory",
    "make_invoice",
    "move_file",
    "network_description",
    "ondemand_list",
    "open_port",
    "peak_transaction",
    "port_list",
    "refresh_ipv4",
    "register_ssh_key",
    "registered_image_list",
    "renew_ipv4",
    "restart_instance",
    "restore_from_snapshot",
    "set_client",
    "snapshot_instance",
    "snapshot_list",
    "ssh_key_list",
    "start_instance",
    "stop_instance",
    "subscribe_instance",
    "subscribe_network",
    "subscribe_storage",
    "subscribed_list",
    "subscription_instance_list",
    "subscription_invoice_list",
    "subscription_list",
    "subscription_network_list",
    "subscription_storage_list",
    "synchronize_files",
    "terminate_instance",
    "transfer_volume",
    "tunnel",
    "unsubscribe_instance",
    "unsubscribe_network",
    "unsubscribe_storage",
]
__all__ = [*_MODULE_API, *(n for n in gpueater_ext.__all__ if n not in _MODULE_API)]


def __getattr__(name: str) -> Any:
    """The public names of `gpueater_ext`, loaded on first use (see the module docstring)."""
    if name in gpueater_ext.__all__:
        value = getattr(gpueater_ext, name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


Form = dict[str, Any] | Model | None
Record = dict[str, Any]

_client: GPUEater | None = None
_client_is_ours = False  # made by get_client, so ours to close when replaced
_client_lock = threading.Lock()


def get_client() -> GPUEater:
    """The client behind the module functions, created (from env and `~/.eater`) on first use."""
    global _client, _client_is_ours  # the module API has one default client by design
    with _client_lock:
        if _client is None:
            _client, _client_is_ours = GPUEater(), True
        return _client


def _close_our_client() -> None:
    """Close the default client if the module made it and it is still in use (at exit)."""
    with _client_lock:
        if _client is not None and _client_is_ours:
            _client.close()


# A 1.5 script never closes the client it never saw: the module closes its own at exit, so
# the interpreter neither warns of an unclosed connection nor leaves the service's end open.
atexit.register(_close_our_client)


def set_client(client: GPUEater | None) -> None:
    """Use `client` for the module functions (None: make a default one on next use).

    A default client made by the module is closed; a client you passed in stays yours.
    """
    global _client, _client_is_ours
    with _client_lock:
        if _client is not None and _client_is_ours and _client is not client:
            _client.close()
        _client, _client_is_ours = client, False


class _SecretDict(dict[str, Any]):
    """A dict whose repr hides the private key (a generated key pair is printed by accident
    more often than on purpose)."""

    def __repr__(self) -> str:
        return repr({k: ("[REDACTED]" if k == "private_key" else v) for k, v in self.items()})


class OndemandCatalog(dict[str, Any]):
    """`ondemand_list()`'s answer: the catalog dict, with the 1.5 find-helpers."""

    def find_image(self, name: str) -> Record | None:
        """The image (dict) with this name or alias, else None."""
        images = list(self.get("images", {}).values())
        found = [i for i in images if i.get("name") == name] or [
            i for i in images if i.get("alias") == name
        ]
        return found[0] if found else None

    def find_product(self, name: str, include_limited: bool = False) -> Record | None:
        """The product (dict) with this name, else None; limited products are skipped
        unless `include_limited`."""
        return next(
            (
                p
                for p in self.get("products", [])
                if p.get("name") == name and (include_limited or not p.get("limited"))
            ),
            None,
        )

    def find_ssh_key(self, name: str) -> Record | None:
        """The registered SSH key (dict) with this name, else None."""
        return next((k for k in self.get("ssh_keys", []) if k.get("name") == name), None)


def _invoke(name: str, form: Form, fields: dict[str, Any]) -> Any:
    method = getattr(get_client(), name)
    # Reads without arguments take none at all; the others take a form and keywords.
    return method() if form is None and not fields else method(form, **fields)


def _one(name: str, form: Form, fields: dict[str, Any]) -> Record:
    result = _invoke(name, form, fields)
    if isinstance(result, LaunchCatalog):
        return OndemandCatalog(result.to_dict())
    record: Record = result.to_dict()
    return record


def _many(name: str, form: Form = None, fields: dict[str, Any] | None = None) -> list[Record]:
    return [item.to_dict() for item in _invoke(name, form, fields or {})]


def _nothing(name: str, form: Form, fields: dict[str, Any]) -> None:
    _invoke(name, form, fields)


# Image
def image_list() -> list[Record]:
    return _many("image_list")


def registered_image_list() -> list[Record]:
    return _many("registered_image_list")


def create_image(form: Form = None, **fields: Any) -> Record:
    return _one("create_image", form, fields)


def import_image(form: Form = None, **fields: Any) -> Record:
    return _one("import_image", form, fields)


def delete_image(form: Form = None, **fields: Any) -> None:
    _nothing("delete_image", form, fields)


def snapshot_instance(form: Form = None, **fields: Any) -> Record:
    return _one("snapshot_instance", form, fields)


def snapshot_list(form: Form = None, **fields: Any) -> list[Record]:
    return _many("snapshot_list", form, fields)


def change_snapshot_tag(form: Form = None, **fields: Any) -> None:
    _nothing("change_snapshot_tag", form, fields)


def delete_snapshot(form: Form = None, **fields: Any) -> None:
    _nothing("delete_snapshot", form, fields)


def restore_from_snapshot(form: Form = None, **fields: Any) -> None:
    _nothing("restore_from_snapshot", form, fields)


# SSH Key
def ssh_key_list() -> list[Record]:
    return _many("ssh_key_list")


def generate_ssh_key() -> Record:
    return _SecretDict(get_client().generate_ssh_key().to_dict())


def register_ssh_key(form: Form = None, **fields: Any) -> Record:
    return _one("register_ssh_key", form, fields)


def delete_ssh_key(form: Form = None, **fields: Any) -> None:
    _nothing("delete_ssh_key", form, fields)


# Instance
def ondemand_list() -> OndemandCatalog:
    return OndemandCatalog(get_client().ondemand_list().to_dict())


def subscription_list() -> Record:
    return _one("subscription_list", None, {})


def launch_ondemand_instance(form: Form = None, **fields: Any) -> Record:
    """Launch, and return the launched instance (1.5 returned the service's empty answer)."""
    return _one("launch_ondemand_instance", form, fields)


def launch_subscription_instance(form: Form = None, **fields: Any) -> Record:
    return _one("launch_subscription_instance", form, fields)


launch_subcription_instance = launch_subscription_instance  # the README's spelling


def instance_list() -> list[Record]:
    return _many("instance_list")


def change_instance_tag(form: Form = None, **fields: Any) -> Record:
    return _one("change_instance_tag", form, fields)


def start_instance(form: Form = None, **fields: Any) -> Record:
    return _one("start_instance", form, fields)


def stop_instance(form: Form = None, **fields: Any) -> Record:
    return _one("stop_instance", form, fields)


def restart_instance(form: Form = None, **fields: Any) -> Record:
    return _one("restart_instance", form, fields)


def terminate_instance(form: Form = None, **fields: Any) -> Record:
    return _one("terminate_instance", form, fields)


def emergency_restart_instance(form: Form = None, **fields: Any) -> Record:
    return _one("emergency_restart_instance", form, fields)


# Network
def port_list(form: Form = None, **fields: Any) -> list[Record]:
    # The list of ports, as the service answers it (and as 1.5 passed it through).
    return _many("port_list", form, fields)


def open_port(form: Form = None, **fields: Any) -> list[Record]:
    return _many("open_port", form, fields)


def close_port(form: Form = None, **fields: Any) -> list[Record]:
    return _many("close_port", form, fields)


def renew_ipv4(form: Form = None, **fields: Any) -> Record:
    return _one("renew_ipv4", form, fields)


def refresh_ipv4(form: Form = None, **fields: Any) -> Record:
    return _one("refresh_ipv4", form, fields)


def network_description(form: Form = None, **fields: Any) -> Record:
    return _one("network_description", form, fields)


# Storage
def create_volume(form: Form = None, **fields: Any) -> Record:
    return _one("create_volume", form, fields)


def attach_volume(form: Form = None, **fields: Any) -> Record:
    return _one("attach_volume", form, fields)


def detach_volume(form: Form = None, **fields: Any) -> Record:
    return _one("detach_volume", form, fields)


def delete_volume(form: Form = None, **fields: Any) -> None:
    _nothing("delete_volume", form, fields)


def transfer_volume(form: Form = None, **fields: Any) -> Record:
    return _one("transfer_volume", form, fields)


# Subscription
def subscription_instance_list() -> list[Record]:
    return _many("subscription_instance_list")


def subscription_storage_list() -> Record:
    return _one("subscription_storage_list", None, {})


def subscription_network_list() -> list[Record]:
    return _many("subscription_network_list")


def subscribed_list() -> list[Record]:
    return _many("subscribed_list")


def subscribe_instance(form: Form = None, **fields: Any) -> Record:
    return _one("subscribe_instance", form, fields)


def unsubscribe_instance(form: Form = None, **fields: Any) -> Record:
    return _one("unsubscribe_instance", form, fields)


def subscribe_storage(form: Form = None, **fields: Any) -> Record:
    return _one("subscribe_storage", form, fields)


def unsubscribe_storage(form: Form = None, **fields: Any) -> Record:
    return _one("unsubscribe_storage", form, fields)


def subscribe_network(form: Form = None, **fields: Any) -> Record:
    return _one("subscribe_network", form, fields)


def unsubscribe_network(form: Form = None, **fields: Any) -> Record:
    return _one("unsubscribe_network", form, fields)


# Special
def live_migration(form: Form = None, **fields: Any) -> Record:
    return _one("live_migration", form, fields)


def cancel_transaction(form: Form = None, **fields: Any) -> Record:
    return _one("cancel_transaction", form, fields)


def peak_transaction(form: Form = None, **fields: Any) -> Record:
    return _one("peak_transaction", form, fields)


# Payment
def invoice_list() -> list[Record]:
    return _many("invoice_list")


def subscription_invoice_list() -> list[Record]:
    return _many("subscription_invoice_list")


def make_invoice(form: Form = None, **fields: Any) -> bytes:
    """The invoice as PDF bytes."""
    return get_client().make_invoice(form, **fields)


# Extensions: the instance is the form's instance_id (or an instance dict), as in 1.5
def login_instance(form: Form = None, **fields: Any) -> int:
    """An interactive ssh login; returns ssh's exit status."""
    exit_code: int = _invoke("login_instance", form, fields)
    return exit_code


def copy_file(form: Form = None, **fields: Any) -> None:
    """action "get" (instance to here) or "put", src, dst, optionally recursive."""
    _nothing("copy_file", form, fields)


def move_file(form: Form = None, **fields: Any) -> None:
    """As copy_file, then the source is deleted."""
    _nothing("move_file", form, fields)


def delete_file(form: Form = None, **fields: Any) -> None:
    """Delete the remote src (recursive for a folder)."""
    _nothing("delete_file", form, fields)


def make_directory(form: Form = None, **fields: Any) -> None:
    """Create the remote folder dst and its parents."""
    _nothing("make_directory", form, fields)


def file_list(form: Form = None, **fields: Any) -> list[Record]:
    """The remote folder src's entries as dicts: name, type, size, modified."""
    return [dataclasses.asdict(entry) for entry in _invoke("file_list", form, fields)]


def synchronize_files(form: Form = None, **fields: Any) -> Record:
    """rsync: action "get" or "put", src and dst folders; optionally delete, exclude,
    gitignore, dry_run. Returns {dry_run, transferred, deleted, items}."""
    result = _invoke("synchronize_files", form, fields)
    return {
        **dataclasses.asdict(result),
        "transferred": result.transferred,
        "deleted": result.deleted,
    }


def tunnel(form: Form = None, **fields: Any) -> Any:
    """Forward local `port` to the instance's `remote_port` (default: the same); returns
    the open Tunnel, a context manager that closes it (`with gpueater.tunnel(...):`)."""
    return _invoke("tunnel", form, fields)


# Class API
def api_list() -> list[Record]:
    """Every function of the API (needs no login)."""
    return [row.to_dict() for row in api_functions()]
