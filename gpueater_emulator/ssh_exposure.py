"""Instances as real SSH targets (`--sshd`): what the operations need from the machines.

Each instance is a machine of its own (machines.py): its own disk, loopback address, port,
host key and sshd, which runs while the instance is RUNNING and lets in only the key the
instance was launched with. The handlers and the runtime see only this surface, so the
rest of the emulator does not depend on OpenSSH.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from .records import InstanceRecord

__all__ = ["SshMachines"]


class SshMachines(Protocol):
    @property
    def user(self) -> str:
        """Who sessions run as: the user running the emulator."""
        ...

    def new_address(self, in_use: set[str]) -> str:
        """A loopback address for a new instance (or a renewed one), not in `in_use`."""
        ...

    def provision(self, instance: InstanceRecord, image_fingerprint: str | None) -> None:
        """Make the new instance's disk (a copy of a user image's, if it was launched from
        one) and choose its port; raises ApiError `out_of_capacity` beyond the cap."""
        ...

    def sync(
        self,
        instances: Iterable[InstanceRecord],
        snapshot_ids: Iterable[str],
        image_fingerprints: Iterable[str],
    ) -> None:
        """After any change: an sshd for each RUNNING instance, none for the others, and no
        disk, snapshot or image copy left of what no longer exists."""
        ...

    def save_snapshot(self, instance_id: str, snapshot_id: str) -> None: ...

    def save_image(self, instance_id: str, fingerprint: str) -> None: ...

    def restore_snapshot(self, instance_id: str, snapshot_id: str) -> None:
        """The disk becomes the snapshot's copy; a running instance restarts with it."""
        ...

    def disk(self, instance_id: str) -> Path | None:
        """Where the instance's disk is on this machine (for tests and demos)."""
        ...
