"""Instance disks in the emulator's state folder, and the copies snapshots and images keep.

Layout under the state folder (one place: `EmulatorSettings.state_dir`)::

    instances/<instance_id>/disk/    the instance's home: what its sessions see and change
    instances/<instance_id>/sshd/    its host keys, sshd_config, authorized_keys and log
    snapshots/<snapshot_id>/         a copy of a disk, taken by snapshot_instance
    images/<fingerprint>/            a copy of a disk, taken by create_image

Copies are plain recursive copies (symlinks copied as links, modes and times kept): a hard
link would share later changes, and reflinks are not available on every filesystem. Fine
for the small disks of emulated instances. A restore replaces the disk's contents in place,
so a mount of the disk folder (an isolated instance's home) sees the restored files.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = ["DiskStore"]

# Ids and fingerprints come from the emulator itself; checked anyway, since they become
# folder names.
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def _checked(name: str) -> str:
    if not _SAFE_NAME.fullmatch(name) or name in {".", ".."}:
        raise ValueError(f"not a usable folder name: {name!r}")
    return name


def _copy_contents(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, target / entry.name, follow_symlinks=False)


def _empty(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


class DiskStore:
    """The folders of the layout above, under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def instance_folder(self, instance_id: str) -> Path:
        return self.root / "instances" / _checked(instance_id)

    def disk(self, instance_id: str) -> Path:
        return self.instance_folder(instance_id) / "disk"

    def sshd_folder(self, instance_id: str) -> Path:
        return self.instance_folder(instance_id) / "sshd"

    def _snapshot(self, snapshot_id: str) -> Path:
        return self.root / "snapshots" / _checked(snapshot_id)

    def _image(self, fingerprint: str) -> Path:
        return self.root / "images" / _checked(fingerprint)

    def create(self, instance_id: str, image_fingerprint: str | None = None) -> Path:
        """A new instance's disk: empty, or a copy of a user image's disk."""
        disk = self.disk(instance_id)
        disk.mkdir(mode=0o755, parents=True)
        if image_fingerprint is not None and self._image(image_fingerprint).is_dir():
            _copy_contents(self._image(image_fingerprint), disk)
        return disk

    def has(self, instance_id: str) -> bool:
        return self.disk(instance_id).is_dir()

    def save_snapshot(self, instance_id: str, snapshot_id: str) -> None:
        _copy_contents(self.disk(instance_id), self._snapshot(snapshot_id))

    def save_image(self, instance_id: str, fingerprint: str) -> None:
        _copy_contents(self.disk(instance_id), self._image(fingerprint))

    def restore_snapshot(self, instance_id: str, snapshot_id: str) -> None:
        disk = self.disk(instance_id)
        _empty(disk)
        _copy_contents(self._snapshot(snapshot_id), disk)

    def delete_instance(self, instance_id: str) -> None:
        shutil.rmtree(self.instance_folder(instance_id), ignore_errors=True)

    def instance_ids(self) -> set[str]:
        return self._names("instances")

    def prune(self, snapshot_ids: Iterable[str], fingerprints: Iterable[str]) -> None:
        """Delete the copies of snapshots and images that no longer exist."""
        for kind, keep in (("snapshots", set(snapshot_ids)), ("images", set(fingerprints))):
            for name in self._names(kind) - keep:
                shutil.rmtree(self.root / kind / name, ignore_errors=True)

    def _names(self, kind: str) -> set[str]:
        folder = self.root / kind
        return {entry.name for entry in folder.iterdir()} if folder.is_dir() else set()
