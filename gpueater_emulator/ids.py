"""Identifiers and addresses drawn from a seeded generator, so `--seed N` repeats a run."""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable

__all__ = ["IdFactory"]

# TEST-NET-3 (RFC 5737): documentation addresses that can never reach a real host.
_ADDRESS_POOL = [str(address) for address in ipaddress.ip_network("203.0.113.0/24").hosts()][9:]


class IdFactory:
    def __init__(self, seed: int) -> None:
        # Not for secrets: ids only need to be unique and repeatable.
        self._random = random.Random(seed)  # noqa: S311
        self._issued: set[str] = set()

    def numeric(self, digits: int = 5) -> str:
        return self._unique(lambda: str(self._random.randrange(10 ** (digits - 1), 10**digits)))

    def prefixed(self, prefix: str) -> str:
        return f"{prefix}-{self.numeric()}"

    def fingerprint(self) -> str:
        return self._unique(lambda: f"{self._random.getrandbits(64):016x}")

    def ipv4(self, in_use: set[str]) -> str:
        free = [address for address in _ADDRESS_POOL if address not in in_use]
        if not free:
            raise RuntimeError("the emulator's address pool is exhausted")
        return self._random.choice(free)

    def _unique(self, draw: Callable[[], str]) -> str:
        while True:
            candidate = draw()
            if candidate not in self._issued:
                self._issued.add(candidate)
                return candidate
