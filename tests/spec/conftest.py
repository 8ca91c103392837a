from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.spec.expected import SPEC_PATH


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded
