"""The code blocks of share 0 of the pages (page_runs.py deals them), each page run top
to bottom in its own sandbox: one emulator, one fresh HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.page_runs import pages_of_share, run_page
from tests.docs.pages import page_id


@pytest.mark.parametrize("page", pages_of_share(0), ids=page_id)
def test_every_block_of_the_page_runs_as_shown(page: Path, request, tmp_path):
    run_page(page, request, tmp_path)
