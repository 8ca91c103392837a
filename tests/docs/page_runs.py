"""Running one page's blocks in its sandbox, and the pages shared among the test files
test_pages_*.py: `make pytest` gives each test file to one worker (--dist loadfile), and a
page with sshd blocks takes tens of seconds, so the pages are dealt round-robin to three
files that run side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.pages import UnknownBlockError, blocks_of, pages
from tests.docs.sandbox import Sandbox

__all__ = ["SHARES", "pages_of_share", "run_page"]

SHARES = 3


def _has_blocks(page: Path) -> bool:
    try:
        return bool(blocks_of(page))
    except UnknownBlockError:
        return True  # run_page reports it, naming FILE:LINE


def pages_of_share(share: int) -> list[Path]:
    """Every page with a code block falls in exactly one share."""
    return [page for page in pages() if _has_blocks(page)][share::SHARES]


def run_page(page: Path, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    blocks = blocks_of(page)
    needs_sshd = any(block.has("sshd") for block in blocks)
    emulator = request.getfixturevalue(
        "gpueater_emulator_sshd" if needs_sshd else "gpueater_emulator"
    )
    sandbox = Sandbox(tmp_path / "home", emulator)
    for block in blocks:
        sandbox.check(block)
