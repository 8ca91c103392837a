"""The version of the `gpueater` distribution, as a constant.

The User-Agent of every request carries it. Reading it from the installed metadata
(`importlib.metadata.version`) imported importlib.metadata, zipfile and csv and scanned
sys.path: ~15 ms of each `gpueater` call (issue 25). tests/sdk/test_call_path.py proves the
constant equals the installed metadata, so a version bump in pyproject.toml that forgets
this file fails the tests.
"""

from __future__ import annotations

__all__ = ["VERSION"]

VERSION = "2.0.0.dev0"
