"""Every page's code blocks are of kinds the harness checks (instant; the runs are in
test_pages_*.py), and every page with a block is run by exactly one of those files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.page_runs import SHARES, pages_of_share
from tests.docs.pages import blocks_of, page_id, pages


@pytest.mark.parametrize("page", pages(), ids=page_id)
def test_every_block_is_of_a_kind_the_tests_check(page: Path):
    blocks_of(page)  # raises naming FILE:LINE


def test_every_page_with_a_block_is_run_once():
    shared = [page for share in range(SHARES) for page in pages_of_share(share)]
    assert sorted(shared) == sorted(page for page in pages() if blocks_of(page))
    assert len(set(shared)) == len(shared)
    run_by = sorted(path.name for path in Path(__file__).parent.glob("test_pages_*.py"))
    assert len(run_by) == SHARES, run_by
