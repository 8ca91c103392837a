from __future__ import annotations

from collections.abc import Iterator

import pytest
from gpueater_client import Client

from tests.emulator.generated_client import log_in, new_client


@pytest.fixture
def api(emulator) -> Iterator[Client]:
    """The generated client, logged in to the reset loopback emulator."""
    with new_client(emulator) as client:
        log_in(client, emulator)
        yield client
