"""One handler per operationId: `(world, arguments) -> payload`, raising ApiError to refuse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..arguments import Arguments
from ..world import World

__all__ = ["DocumentAnswer", "Handler", "all_handlers"]

Handler = Callable[[World, Arguments], Any]


@dataclass(frozen=True)
class DocumentAnswer:
    """A payload that is a file rather than a JSON envelope (make_invoice's PDF)."""

    content: bytes
    media_type: str
    filename: str


def all_handlers() -> dict[str, Handler]:
    from . import (
        images,
        instances,
        network,
        payment,
        ssh_keys,
        storage,
        subscriptions,
        transactions,
    )

    handlers: dict[str, Handler] = {}
    for module in (
        images,
        instances,
        network,
        payment,
        ssh_keys,
        storage,
        subscriptions,
        transactions,
    ):
        handlers.update(module.HANDLERS)
    return handlers
