"""The CLI's client: a GPUEater that keeps TAB completion's names up to date as it works.

Every listing the CLI makes anyway (`instances`, a name looked up, `products`, `images`,
`ssh-keys`, launch's catalog) rewrites the matching file of `_name_cache`, and a call that
changes which instances or keys exist, or what they are called, drops it (whether or not
the call succeeded: after a lost answer nobody knows), so a TAB right after `launch --tag
web-2` asks the service instead of offering a list without web-2. Only the calls the CLI
makes are covered; the SDK's own internal lookups (inside waiters, say) are not observed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gpueater_ext._client import GPUEater
from gpueater_ext._models import Image, Instance, SshKey
from gpueater_ext.cli._name_cache import (
    NameCache,
    catalog_names,
    image_names,
    instance_names,
    ssh_key_names,
)

if TYPE_CHECKING:
    from gpueater_ext._catalog import LaunchCatalog  # ~6 ms with difflib; listings need none

__all__ = ["RecordingClient"]


class RecordingClient(GPUEater):
    """A GPUEater whose listings refresh, and whose changes invalidate, the name cache."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name_cache = NameCache(self.config)

    def instance_list(self) -> list[Instance]:
        instances = super().instance_list()
        self.name_cache.store("instances", instance_names(instances))
        return instances

    def ondemand_list(self) -> LaunchCatalog:
        catalog = super().ondemand_list()
        for kind, names in catalog_names(catalog).items():
            self.name_cache.store(kind, names)
        return catalog

    def image_list(self) -> list[Image]:
        images = super().image_list()
        self.name_cache.store("images", image_names(images))
        return images

    def ssh_key_list(self) -> list[SshKey]:
        keys = super().ssh_key_list()
        self.name_cache.store("ssh_keys", ssh_key_names(keys))
        return keys

    # `*args, **kwargs`: these only wrap; the SDK's own signatures check the arguments.
    def launch_ondemand_instance(self, *args: Any, **kwargs: Any) -> Instance:
        with self._changing("instances"):
            return super().launch_ondemand_instance(*args, **kwargs)

    def launch_subcription_instance(self, *args: Any, **kwargs: Any) -> Instance:
        with self._changing("instances"):
            return super().launch_subcription_instance(*args, **kwargs)

    def launch_subscription_instance(self, *args: Any, **kwargs: Any) -> Instance:
        with self._changing("instances"):
            return super().launch_subscription_instance(*args, **kwargs)

    def terminate_instance(self, *args: Any, **kwargs: Any) -> Instance:
        with self._changing("instances"):
            return super().terminate_instance(*args, **kwargs)

    def change_instance_tag(self, *args: Any, **kwargs: Any) -> Instance:
        with self._changing("instances"):
            return super().change_instance_tag(*args, **kwargs)

    def register_ssh_key(self, *args: Any, **kwargs: Any) -> SshKey:
        with self._changing("ssh_keys"):
            return super().register_ssh_key(*args, **kwargs)

    def delete_ssh_key(self, *args: Any, **kwargs: Any) -> None:
        with self._changing("ssh_keys"):
            super().delete_ssh_key(*args, **kwargs)

    @contextlib.contextmanager
    def _changing(self, kind: str) -> Iterator[None]:
        try:
            yield
        finally:
            self.name_cache.forget(kind)
