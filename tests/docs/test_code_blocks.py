"""Every code block of every page: of a kind the harness knows, then run or checked in its
page's sandbox (one emulator and one HOME per page, blocks top to bottom)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.pages import blocks_of, page_id, pages
from tests.docs.sandbox import Sandbox


@pytest.mark.parametrize("page", pages(), ids=page_id)
def test_every_block_is_of_a_kind_the_tests_check(page: Path):
    blocks_of(page)  # raises naming FILE:LINE


@pytest.mark.parametrize("page", pages(), ids=page_id)
def test_every_block_of_the_page_runs_as_shown(page: Path, request, tmp_path):
    blocks = blocks_of(page)
    if not blocks:
        pytest.skip(f"{page_id(page)} has no code block")
    needs_sshd = any(block.has("sshd") for block in blocks)
    emulator = request.getfixturevalue(
        "gpueater_emulator_sshd" if needs_sshd else "gpueater_emulator"
    )
    sandbox = Sandbox(tmp_path / "home", emulator)
    for block in blocks:
        sandbox.check(block)
