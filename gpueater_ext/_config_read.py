"""Reading a config file without trusting what sits at its path.

A `./.eater` can arrive with a cloned repository, and git carries symlinks: one pointing at
`/dev/zero` would make every command in that folder read until memory runs out, a FIFO
would hang it forever. So the file is checked before a byte is read: `stat` first (a
device or FIFO is refused without even being opened), then it is opened non-blocking and
without becoming a controlling terminal, checked again on the open descriptor (what was
checked is what is read), and at most `MAX_CONFIG_BYTES` are read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gpueater_ext._errors import ConfigError

__all__ = ["MAX_CONFIG_BYTES", "read_config_file"]

MAX_CONFIG_BYTES = 1 << 20  # 1 MiB: a config file of many profiles is a few KiB
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_config_file(path: Path) -> tuple[bytes, int]:
    """The bytes of the config file at `path` and its mode.

    Raises FileNotFoundError when nothing is there, and ConfigError naming the file when
    it is not a regular file (a directory, FIFO, socket or device, or a symlink to one),
    is larger than MAX_CONFIG_BYTES, or cannot be read.
    """
    try:
        _check(path, os.stat(path))
        descriptor = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        info = os.fstat(descriptor)
        _check(path, info)  # it may have been swapped between stat and open
        chunks, size = [], 0
        while size <= MAX_CONFIG_BYTES:
            chunk = os.read(descriptor, MAX_CONFIG_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    finally:
        os.close(descriptor)
    if size > MAX_CONFIG_BYTES:  # it grew after fstat
        raise _too_large(path)
    return b"".join(chunks), info.st_mode


def _check(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(
            f"{path}: is {_kind(info.st_mode)}, not a regular file; it was not read "
            "(remove it, or point GPUEATER_CONFIG at the JSON file to use)"
        )
    if info.st_size > MAX_CONFIG_BYTES:
        raise _too_large(path)


def _too_large(path: Path) -> ConfigError:
    return ConfigError(
        f"{path}: is larger than {MAX_CONFIG_BYTES // (1 << 20)} MiB, which no config file "
        "is; it was not read (check what the file is)"
    )


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")
