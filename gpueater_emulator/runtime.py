"""One running emulator's mutable parts: the account, sessions, faults and call counters.

With a state folder (`settings.store`) the account, sessions and clock are loaded from it at
start and written back by `commit()` after every call; faults and counters are per process.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.types import Scope

from .connections import ConnectionRegistry
from .faults import FaultQueue
from .lifecycle import advance
from .sessions import SessionStore
from .settings import EmulatorSettings
from .spec import SpecOperation, load_operations
from .world import World
from .world_rows import restore_world, world_rows

__all__ = ["EmulatorRuntime"]


@dataclass
class EmulatorRuntime:
    settings: EmulatorSettings
    operations: dict[str, SpecOperation]
    sessions: SessionStore
    faults: FaultQueue
    world: World
    connections: ConnectionRegistry = field(default_factory=ConnectionRegistry)
    request_counts: Counter[str] = field(default_factory=Counter)
    # Distinct client (address, port) pairs: one per TCP connection a client opened.
    client_peers: set[tuple[str, int]] = field(default_factory=set)

    @classmethod
    def start(cls, settings: EmulatorSettings) -> EmulatorRuntime:
        """A new runtime: the state folder's world when there is one, else a seeded one."""
        operations = {operation.operation_id: operation for operation in load_operations()}
        sessions = SessionStore(
            settings.accounts, settings.tokens, settings.session_ttl, settings.clock
        )
        kept = {} if settings.store is None else settings.store.load()
        runtime = cls(
            settings=settings,
            operations=operations,
            sessions=sessions,
            faults=FaultQueue(frozenset(operations)),
            world=restore_world(kept, settings, sessions) if kept else World.seeded(settings),
        )
        if kept:
            # RUNNING instances get their sshds back, at their addresses and ports.
            advance(runtime.world)
            runtime.sync_machines()
        runtime.commit()
        return runtime

    def commit(self) -> None:
        """With a state folder: write what the last call changed, in one transaction.
        Called before an answer is sent, so what a client was told is on disk."""
        store = self.settings.store
        if store is not None:
            store.write(world_rows(self.world, self.sessions))

    def record_call(self, operation_id: str, scope: Scope) -> None:
        self.request_counts[operation_id] += 1
        client = scope.get("client")
        if client is not None:
            self.client_peers.add((str(client[0]), int(client[1])))

    def reset(self) -> None:
        """Back to the seeded account, with no faults and the counters at 0.

        Sessions survive: they belong to the clients, not to the account.
        """
        self.world = World.seeded(self.settings)
        self.faults.clear()
        self.request_counts.clear()
        self.client_peers.clear()
        self.sync_machines()
        self.commit()

    def sync_machines(self) -> None:
        """After any change: sshds, disks and copies match the account (`--sshd` mode)."""
        machines = self.settings.ssh_machines
        if machines is not None:
            world = self.world
            machines.sync(world.instances.values(), world.snapshots, world.user_images)

    def state_json(self) -> dict[str, Any]:
        advance(self.world)
        self.sync_machines()
        machines = self.settings.ssh_machines
        disks = {} if machines is None else {i: machines.disk(i) for i in self.world.instances}
        return {
            "instances": [instance.as_json() for instance in self.world.instances.values()],
            # `--sshd`: where each instance's disk is on this machine, for tests and demos.
            "disks": {i: str(disk) for i, disk in disks.items() if disk is not None},
            "ssh_keys": [key.as_json() for key in self.world.ssh_keys.values()],
            "volumes": [volume.as_json() for volume in self.world.volumes.values()],
            "snapshots": [snapshot.as_json() for snapshot in self.world.snapshots.values()],
            "requests": dict(sorted(self.request_counts.items())),
            "connections": len(self.client_peers),
            "faults": self.faults.as_json(),
        }
