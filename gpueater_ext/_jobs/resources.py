"""What `run` launches with: the product (or subscription), the image and the SSH key.

Choices made here (the issue left them open):
- Products are tried in the task's order of preference; the first one in stock (in the
  task's `region`, if it names one) and within `max_price` wins. No products: the cheapest
  in stock. A product named in the task that the catalog does not have is a NotFoundError
  before anything is launched, even when an earlier one is in stock: a typo should not wait
  for the day the first choice runs out.
- No image: the newest plain `UbuntuNN.NN x64` image of the catalog (no driver stack
  chosen for the user).
- No ssh key: the user's own run key, `~/.ssh/gpueater-run.pem` (where the seed's examples
  and `gpueater ssh` look for keys: `~/.ssh/<key name>.pem`), an ed25519 pair made locally
  by `ssh-keygen` the first time, so the private half never crosses the network (the
  service's generate operation would send it over the wire). It is written once, whole,
  mode 0600 (`_local_files`); a second run that races the first keeps the first's file. It is
  registered as `gpueater-run` (or `gpueater-run-<8 hex>` when another key already holds
  that name, say from another machine) and found again by its public key on later runs, so
  a key deleted on the service is simply registered again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from gpueater_ext._catalog import LaunchCatalog, SubscriptionCatalog
from gpueater_ext._errors import InvalidArgumentError, NotFoundError, SSHError
from gpueater_ext._jobs.task import Resources
from gpueater_ext._models import Image, Product, SshKey
from gpueater_ext._plans import Call, Plan, blocking

__all__ = ["RUN_KEY_NAME", "LaunchChoice", "choose_launch", "run_key_file", "user_key"]

RUN_KEY_NAME = "gpueater-run"
_PLAIN_UBUNTU = re.compile(r"Ubuntu(\d+)\.(\d+) x64")


@dataclasses.dataclass(frozen=True)
class LaunchChoice:
    """A launch's operation and fields, what to say about it, and the key file to use."""

    operation: str
    fields: dict[str, Any]
    description: str
    key_file: Path | None
    price_per_hour: float | None = None  # on demand; None for a subscription (prepaid)


def run_key_file() -> Path:
    """Where the user's run key lives: `~/.ssh/gpueater-run.pem`."""
    from gpueater_ext._ssh import default_key_file

    return default_key_file(RUN_KEY_NAME)


def choose_launch(resources: Resources) -> Plan[LaunchChoice]:
    """Everything a launch needs, looked up (and the user's key made) before launching."""
    catalog: LaunchCatalog | SubscriptionCatalog
    price: float | None = None
    if resources.subscription is not None:
        subscribed: SubscriptionCatalog = yield Call("subscription_list")
        subscription_id, what = _subscription(subscribed, resources.subscription)
        operation, fields = "launch_subcription_instance", {"subscription_id": subscription_id}
        catalog = subscribed
    else:
        offered: LaunchCatalog = yield Call("ondemand_list")
        product = choose_product(offered, resources)
        operation, fields = "launch_ondemand_instance", {"product_id": product.id}
        what = f"{product.name} (${product.price:.4f}/h)"
        price = product.price
        catalog = offered
    image = choose_image(catalog, resources.image)
    key, key_file, registered = yield from _key(catalog, resources.ssh_key)
    fields |= {"image": image.alias, "ssh_key_id": key.id}
    named_key = f"key {key.name}" + (" (registered now)" if registered else "")
    return LaunchChoice(operation, fields, f"{what}, {image.name}, {named_key}", key_file, price)


def choose_product(catalog: LaunchCatalog, resources: Resources) -> Product:
    """The first product of the task's preference in stock and affordable (see above)."""
    if resources.products:
        candidates = [catalog.get_product(n, include_limited=True) for n in resources.products]
    else:
        candidates = sorted((p for p in catalog.products if not p.limited), key=lambda p: p.price)
    region = resources.region
    in_stock = [
        p for p in candidates if p.in_stock and (region is None or region in (p.pool or ()))
    ]
    named = ", ".join(p.name for p in candidates) or "none offered"
    if not in_stock:
        where = f" in region {region}" if region else ""
        raise NotFoundError(f"no product is in stock{where} (tried: {named}); try others later")
    ceiling = resources.max_price
    affordable = [p for p in in_stock if ceiling is None or p.price <= ceiling]
    if not affordable:
        cheapest = min(in_stock, key=lambda p: p.price)
        raise NotFoundError(
            f"no product in stock costs at most ${ceiling:.4f}/h; the cheapest in stock is "
            f"{cheapest.name} at ${cheapest.price:.4f}/h: raise max_price or choose others"
        )
    return affordable[0]


def choose_image(catalog: LaunchCatalog | SubscriptionCatalog, name: str | None) -> Image:
    if name is not None:
        return catalog.get_image(name)
    plain = [
        (tuple(int(n) for n in found.groups()), image)
        for image in catalog.images.values()
        if (found := _PLAIN_UBUNTU.fullmatch(image.name))
    ]
    if not plain:
        names = ", ".join(sorted(i.name for i in catalog.images.values()))
        raise InvalidArgumentError(f"resources.image: say which image to use (images: {names})")
    return max(plain, key=lambda pair: pair[0])[1]


def _subscription(catalog: SubscriptionCatalog, wanted: str) -> tuple[str, str]:
    """An ACTIVE instance subscription by id or plan name (an exact id finds any)."""
    found = [
        s
        for s in catalog.subscriptions
        if s.subscription_id == wanted or (s.name == wanted and s.status == "ACTIVE")
    ]
    if len(found) != 1:
        many = "several subscriptions are" if found else "no active subscription is"
        raise NotFoundError(f"resources.subscription: {many} named {wanted!r}; give its id")
    return found[0].subscription_id, f"subscription {found[0].name or wanted}"


def _key(
    catalog: LaunchCatalog | SubscriptionCatalog, name: str | None
) -> Plan[tuple[SshKey, Path | None, bool]]:
    """The key to launch with, its private key file (None: `~/.ssh/<name>.pem`), and
    whether it was registered just now."""
    if name is not None:
        return catalog.get_ssh_key(name), None, False
    path, public = yield from blocking(user_key)
    mine = next((k for k in catalog.ssh_keys if _same_key(k.public_key, public)), None)
    if mine is None:
        taken = {k.name for k in catalog.ssh_keys}
        import hashlib

        alternative = f"{RUN_KEY_NAME}-{hashlib.sha256(public.encode()).hexdigest()[:8]}"
        registered_as = RUN_KEY_NAME if RUN_KEY_NAME not in taken else alternative
        registered: SshKey = yield from _register(registered_as, public)
        return registered, path, True
    return mine, path, False


def _register(name: str, public: str) -> Plan[SshKey]:
    from gpueater_ext._plans import call

    registered: SshKey = yield from call("register_ssh_key", None, name=name, public_key=public)
    return registered


def _same_key(registered: str | None, public: str) -> bool:
    """Whether two OpenSSH public key lines hold one key (the comments may differ)."""
    return registered is not None and registered.split()[:2] == public.split()[:2]


def user_key() -> tuple[Path, str]:
    """The user's run key file (made the first time) and its public key line."""
    from gpueater_ext._local_files import write_file
    from gpueater_ext._ssh import check_key_file, ssh_folder

    path = run_key_file()
    if not path.exists():
        folder = ssh_folder()
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
            folder.chmod(0o700)  # mkdir's mode is filtered by the umask
        # A run racing this one may have made it first: that one is the user's key.
        with contextlib.suppress(FileExistsError):
            write_file(path, _new_private_key(), keep_existing=True)
    check_key_file(path)
    derived = _ssh_keygen("-y", "-f", str(path))
    return path, derived.decode("ascii").strip()


def _new_private_key() -> bytes:
    """A new ed25519 private key (OpenSSH format), made in a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="gpueater-key-") as folder:  # mode 0700
        made = Path(folder) / "key"
        _ssh_keygen("-q", "-t", "ed25519", "-N", "", "-C", RUN_KEY_NAME, "-f", str(made))
        return made.read_bytes()


def _ssh_keygen(*words: str) -> bytes:
    try:
        done = subprocess.run(  # noqa: S603 (an argument list)
            ["ssh-keygen", *words],  # noqa: S607 (OpenSSH's own tool, from PATH)
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise SSHError(
            "ssh-keygen not found: install OpenSSH's client (`apt-get install openssh-client`)"
        ) from None
    if done.returncode != 0:
        problem = done.stderr.decode(errors="replace").strip() or f"status {done.returncode}"
        raise SSHError(f"ssh-keygen failed: {problem}")
    return done.stdout
