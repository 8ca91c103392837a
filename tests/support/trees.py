"""File trees on disk for the SSH layer's and the CLI's transfer tests: written from and read
back into {relative path: bytes}, and a tree of names a shell or rsync would misread."""

from __future__ import annotations

import os
from pathlib import Path


def make_tree(root: Path, files: dict[str, bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def read_tree(root: Path) -> dict[str, bytes]:
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


HOSTILE_NAMES = [
    "it's",
    'say "hi"',
    "back`touch MARK-backtick`tick",
    "$(touch MARK-dollar)",
    "semi;touch MARK-semi",
    "two  spaces ",
    "new\nline",
    "-rf",
    "--delete",
    "star*",
    "what?",
    "[ab]",
    "ünïcødé ✓",
    "back\\slash",
    "a:colon",
]


def hostile_tree(root: Path) -> dict[str, bytes]:
    root.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(HOSTILE_NAMES):
        (root / name).write_bytes(f"file {number}\n".encode())
        (root / f"dir {name}").mkdir()
        (root / f"dir {name}" / name).write_bytes(f"inner {number}\n".encode())
    return read_tree(root)
