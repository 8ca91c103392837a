"""`--sshd`: every instance a machine of its own, with one private sshd while it RUNS.

- Disk: `DiskStore` folders under the state folder; stop keeps it, terminate (or a reset)
  deletes it, snapshots and user images copy it.
- Address: on Linux all of 127.0.0.0/8 is loopback, so each instance gets its own address
  from 127.77.0.0/16, the lowest one free; elsewhere every instance is on 127.0.0.1.
- Port: chosen once, when the instance is made, and kept while it is free; an sshd that
  must move to another port (something else took it while the instance was stopped)
  updates the instance's `sshd_port`.
- Host key: made by its sshd's first start and kept in the instance's folder until it is
  terminated, so known_hosts pinning behaves as with a real instance; a new instance has
  new keys.
- Processes: the sshd runs while the instance is RUNNING; stopping, restarting or
  terminating it ends the sshd and, when isolated, every process its sessions started.
- Capacity: at most `max_instances` live instances (one sshd costs about 9 MB); a launch
  beyond that is refused with the service's `out_of_capacity` error.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Iterable
from pathlib import Path

from ._sshd import PrivateSshd, SshdError, free_port
from .disks import DiskStore
from .errors import ApiError
from .namespaces import Isolation
from .processes import end_leftover, record_process
from .records import InstanceRecord, InstanceState

__all__ = ["DEFAULT_MAX_SSH_INSTANCES", "InstanceMachines"]

DEFAULT_MAX_SSH_INSTANCES = 16
_LINUX_POOL = ipaddress.ip_network("127.77.0.0/16")
# In an instance's sshd folder: the running sshd's pid and start time.
_PID_FILE = "emulator-sshd.pid"


class InstanceMachines:
    """The `SshMachines` of a running emulator (see ssh_exposure.py for the surface)."""

    def __init__(
        self,
        state_dir: Path,
        isolation: Isolation,
        max_instances: int = DEFAULT_MAX_SSH_INSTANCES,
        *,
        own_addresses: bool | None = None,
    ) -> None:
        # Fails at once, with what to install, when OpenSSH's server is missing.
        self.user = PrivateSshd().user
        self.disks = DiskStore(state_dir)
        self.isolation = isolation
        self.max_instances = max_instances
        self._own_addresses = (
            sys.platform.startswith("linux") if own_addresses is None else own_addresses
        )
        self._servers: dict[str, PrivateSshd] = {}
        # (address, port) of every live instance: where instances share 127.0.0.1, a stopped
        # one keeps its port although nothing listens on it.
        self._endpoints: dict[str, tuple[str, int]] = {}
        # An emulator killed with SIGKILL leaves its sshds running; the next one on the same
        # state folder (--state-dir) ends them, so its instances get their ports back.
        for instance_id in self.disks.instance_ids():
            end_leftover(self.disks.sshd_folder(instance_id) / _PID_FILE)

    # ---- what the operations call -------------------------------------------------------

    def new_address(self, in_use: set[str]) -> str:
        if not self._own_addresses:
            return "127.0.0.1"
        for address in _LINUX_POOL.hosts():
            if str(address) not in in_use:
                return str(address)
        raise ApiError("no loopback address is left for another instance", "out_of_capacity")

    def provision(self, instance: InstanceRecord, image_fingerprint: str | None) -> None:
        live = self.disks.instance_ids()
        if len(live) >= self.max_instances:
            raise ApiError(
                f"the emulator runs at most {self.max_instances} SSH instances at a time"
                " (--max-ssh-instances); terminate one first",
                "out_of_capacity",
            )
        self.disks.create(instance.instance_id, image_fingerprint)
        taken = {port for address, port in self._endpoints.values() if address == instance.ipv4}
        port = free_port(instance.ipv4)
        while port in taken:
            port = free_port(instance.ipv4)
        instance.sshd_port, instance.sshd_user = port, self.user
        self._endpoints[instance.instance_id] = (instance.ipv4, port)

    def sync(
        self,
        instances: Iterable[InstanceRecord],
        snapshot_ids: Iterable[str],
        image_fingerprints: Iterable[str],
    ) -> None:
        live = {instance.instance_id: instance for instance in instances}
        for instance_id in list(self._servers):
            instance = live.get(instance_id)
            if instance is None or not self._should_run(instance, self._servers[instance_id]):
                self._servers.pop(instance_id).stop()
        for instance_id in self.disks.instance_ids() - set(live):
            self.disks.delete_instance(instance_id)
        self._endpoints = {i: (live[i].ipv4, live[i].sshd_port) for i in live}
        self.disks.prune(snapshot_ids, image_fingerprints)
        for instance in live.values():
            if (
                instance.state == InstanceState.RUNNING
                and instance.instance_id not in self._servers
            ):
                try:
                    self._start(instance)
                except SshdError as failure:
                    # The instance still RUNS, as a real one whose sshd failed would; the
                    # next call tries again.
                    first_line = str(failure).splitlines()[0]
                    print(
                        f"gpueater_emulator: instance {instance.instance_id}: {first_line}",
                        file=sys.stderr,
                    )

    def save_snapshot(self, instance_id: str, snapshot_id: str) -> None:
        self.disks.save_snapshot(instance_id, snapshot_id)

    def save_image(self, instance_id: str, fingerprint: str) -> None:
        self.disks.save_image(instance_id, fingerprint)

    def restore_snapshot(self, instance_id: str, snapshot_id: str) -> None:
        # A restore reboots the machine: its processes end and the next sync starts it again.
        server = self._servers.pop(instance_id, None)
        if server is not None:
            server.stop()
        self.disks.restore_snapshot(instance_id, snapshot_id)

    def disk(self, instance_id: str) -> Path | None:
        return self.disks.disk(instance_id) if self.disks.has(instance_id) else None

    def close(self) -> None:
        """Stop every sshd (the disks stay until the state folder is removed)."""
        while self._servers:
            self._servers.popitem()[1].stop()

    # ---- internals ----------------------------------------------------------------------

    @staticmethod
    def _should_run(instance: InstanceRecord, server: PrivateSshd) -> bool:
        return (
            instance.state == InstanceState.RUNNING
            and server.running
            and server.host == instance.ipv4  # a renewed address: listen on the new one
        )

    def _start(self, instance: InstanceRecord) -> None:
        folder = self.disks.sshd_folder(instance.instance_id)
        server = PrivateSshd(
            host=instance.ipv4,
            port=instance.sshd_port,
            folder=folder,
            disk=self.disks.disk(instance.instance_id),
            isolated=self.isolation.available,
        )
        server.start()
        record_process(folder / _PID_FILE, server.pid)
        server.authorize(instance.public_key)
        instance.sshd_port = server.port
        self._servers[instance.instance_id] = server
