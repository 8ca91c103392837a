"""A hostile instance for the download tests: a real private sshd whose every session runs
one fixed command (ForceCommand) instead of what the client asked for, and a snapshot of a
folder that shows any change a download could make."""

from __future__ import annotations

import os
from pathlib import Path

from gpueater_emulator._sshd import PrivateSshd

__all__ = ["HostileSshd", "snapshot"]


class HostileSshd(PrivateSshd):
    """A private sshd whose sessions all run `command` (a shell command line; the one the
    client asked for is in $SSH_ORIGINAL_COMMAND). Each session adds a line to `sessions`."""

    def __init__(self, command: str, sessions: Path) -> None:
        super().__init__()
        self.command = command
        self.sessions = sessions

    def _config_text(self, port: int) -> str:
        serve = f'echo session >> "{self.sessions}"; {self.command}'
        return super()._config_text(port) + f"ForceCommand {serve}\n"

    def session_count(self) -> int:
        return len(self.sessions.read_text().splitlines()) if self.sessions.exists() else 0


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under `root` without following links: type, then content or link
    target, and modification time (a folder: its mode and time)."""
    found: dict[str, tuple[object, ...]] = {}
    for folder, folders, files in os.walk(root):
        for name in [*folders, *files]:
            path = Path(folder, name)
            info = path.lstat()
            relative = str(path.relative_to(root))
            if path.is_symlink():
                found[relative] = ("link", os.readlink(path))
            elif path.is_dir():
                found[relative] = ("folder", info.st_mode, info.st_mtime_ns)
            else:
                found[relative] = ("file", path.read_bytes(), info.st_mtime_ns)
    return found
