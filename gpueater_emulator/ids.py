"""Identifiers and addresses drawn from a seeded generator, so `--seed N` repeats a run."""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable
from typing import Any

__all__ = ["DEFAULT_ADDRESS_POOL", "IdFactory"]

# RFC 2544's benchmarking block: 131,072 addresses that are never routed on the internet,
# enough for any fleet a test or a benchmark makes (the documentation ranges hold 762).
DEFAULT_ADDRESS_POOL = "198.18.0.0/15"
# Random draws before a draw gives up on luck and walks the pool: only a nearly full pool
# (over ~90% in use) gets there, so a launch costs O(1) until then.
_RANDOM_DRAWS = 32


class IdFactory:
    def __init__(self, seed: int, address_pool: str = DEFAULT_ADDRESS_POOL) -> None:
        # Not for secrets: ids only need to be unique and repeatable.
        self._random = random.Random(seed)  # noqa: S311
        self._issued: set[str] = set()
        network = ipaddress.ip_network(address_pool)
        # Like .hosts(), without materialising it: a network's first and last address are
        # not hosts (except in a /31 or /32).
        edges = 1 if network.num_addresses > 2 else 0
        self._first_host = int(network.network_address) + edges
        self.address_count = network.num_addresses - 2 * edges

    def state_json(self) -> dict[str, Any]:
        """What a state folder keeps, so ids drawn after a restart are new ones."""
        version, internal, gauss = self._random.getstate()
        return {"random": [version, list(internal), gauss], "issued": sorted(self._issued)}

    def resume(self, state: dict[str, Any]) -> None:
        version, internal, gauss = state["random"]
        self._random.setstate((version, tuple(internal), gauss))
        self._issued = set(state["issued"])

    def numeric(self, digits: int = 5) -> str:
        return self._unique(lambda: str(self._random.randrange(10 ** (digits - 1), 10**digits)))

    def prefixed(self, prefix: str) -> str:
        return f"{prefix}-{self.numeric()}"

    def fingerprint(self) -> str:
        return self._unique(lambda: f"{self._random.getrandbits(64):016x}")

    def ipv4(self, is_free: Callable[[str], bool]) -> str | None:
        """A free address of the pool (`is_free` says which are), or None when none is.

        Random draws first, so the cost does not grow with the pool or the fleet; a nearly
        full pool is walked once from a random point, which also proves exhaustion.
        """
        for _ in range(_RANDOM_DRAWS):
            candidate = self._address(self._random.randrange(self.address_count))
            if is_free(candidate):
                return candidate
        start = self._random.randrange(self.address_count)
        for step in range(self.address_count):
            candidate = self._address((start + step) % self.address_count)
            if is_free(candidate):
                return candidate
        return None

    def _address(self, index: int) -> str:
        return str(ipaddress.IPv4Address(self._first_host + index))

    def _unique(self, draw: Callable[[], str]) -> str:
        while True:
            candidate = draw()
            if candidate not in self._issued:
                self._issued.add(candidate)
                return candidate
