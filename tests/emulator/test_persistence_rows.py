"""The World as rows and back (world_rows.py), in process: nothing of the account is lost.

Catches the class "a part of the World that a restart forgets": every field of World must be
kept, and a world with one of everything reads back equal, answer for answer.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from gpueater_emulator import create_app
from gpueater_emulator.settings import EmulatorClock, EmulatorSettings
from gpueater_emulator.store import (
    CredentialsMismatch,
    StateDirBusy,
    StateDirUnusable,
    WorldStore,
)
from gpueater_emulator.world import World
from gpueater_emulator.world_rows import KEPT_WORLD_FIELDS, world_rows
from tests.emulator.in_process import InProcessClient
from tests.support.emulator_process import DEMO_EMAIL, DEMO_PASSWORD

PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGpueaterPersistenceTestKeyAAAAAAAAAAAAAAAAA t"
# Every list a client sees, compared before and after the round trip.
READS = [
    "ssh_keys",
    "instance_list",
    "registered_image_list",
    "snapshot_list",
    "charge_list",
    "invoice_list",
    "subscription_launch_list",
    "images",
]


def _settings(store: WorldStore, clock: EmulatorClock) -> EmulatorSettings:
    return EmulatorSettings(
        accounts={DEMO_EMAIL: DEMO_PASSWORD},
        boot_seconds=0,
        seed=1,
        validate_responses=True,
        clock=clock,
        store=store,
    )


def _one_of_everything(client: InProcessClient) -> str:
    client.log_in()
    key = client.data("POST", "register_ssh_key", data={"name": "k", "public_key": PUBLIC_KEY})
    for tag in ("kept", "gone"):
        launch = {"product_id": "3", "image": "ubuntu-16.04-x64", "ssh_key_id": key["id"]}
        client.data("POST", "launch_ondemand_instance", data={**launch, "tag": tag})
    instances = {i["tag"]: i for i in client.data("GET", "instance_list")}
    kept = str(instances["kept"]["instance_id"])
    gone = instances["gone"]
    client.data(
        "POST",
        "force_terminate",
        data={
            "instance_id": gone["instance_id"],
            "machine_resource_id": gone["machine_resource_id"],
        },
    )
    client.data("POST", "snapshot_instance", data={"instance_id": kept})
    client.data("POST", "create_user_defined_image", data={"instance_id": kept, "image_name": "im"})
    client.data("POST", "create_volume", data={"size": 10})
    client.data("POST", "subscribe", data={"subscription_id": "plan-i-1"})
    move = {"instance_id": kept, "product_id": "4", "region_id": "osaka-1"}
    client.data("POST", "live_migration", data=move)
    return kept


def _reads(client: InProcessClient) -> dict[str, Any]:
    paths = {name: client.request("GET", "/console/servers/" + name) for name in READS}
    return {name: answer.json() for name, answer in paths.items()}


def test_every_field_of_the_world_is_kept() -> None:
    # A new field of World must be added to world_rows (or it is lost on a restart).
    assert {f.name for f in dataclasses.fields(World)} - {"settings", "catalog"} == set(
        KEPT_WORLD_FIELDS
    )


def test_a_world_with_one_of_everything_reads_back_the_same(tmp_path: Path) -> None:
    clock = EmulatorClock(start=1_793_491_200.0)
    store = WorldStore.open(tmp_path / "state")
    try:
        first = create_app(_settings(store, clock))
        with InProcessClient(first) as client:
            _one_of_everything(client)
            clock.advance(15)  # mid-migration, images still building
            before = _reads(client)
            rows = world_rows(first.state.emulator.world, first.state.emulator.sessions)
        assert store.load() == rows
    finally:
        store.close()

    # A new process: a fresh clock at the same wall time, the same folder.
    store = WorldStore.open(tmp_path / "state")
    try:
        later = EmulatorClock(start=1_793_491_200.0)
        second = create_app(_settings(store, later))
        assert later.now() == clock.now()
        with InProcessClient(second) as client:
            client.log_in()
            assert _reads(client) == before
            restored = second.state.emulator
            again = world_rows(restored.world, restored.sessions)
        # The first process's session is kept too, next to the one just made.
        sessions = ("meta", "sessions")
        assert json.loads(rows[sessions]).items() < json.loads(again.pop(sessions)).items()
        assert again == {key: row for key, row in rows.items() if key != sessions}
    finally:
        store.close()


def test_one_emulator_per_folder(tmp_path: Path) -> None:
    store = WorldStore.open(tmp_path)
    try:
        with pytest.raises(StateDirBusy, match="another emulator is using"):
            WorldStore.open(tmp_path)
    finally:
        store.close()
    WorldStore.open(tmp_path).close()


def test_credentials_are_the_folders_own(tmp_path: Path) -> None:
    store = WorldStore.open(tmp_path)
    try:
        first = ({"a@example.com": "one"}, {"t": "s"})
        assert store.claim_credentials(({}, {}), first) == first
        assert store.claim_credentials(({}, {}), ({"b@example.com": "x"}, {})) == first
        assert store.claim_credentials(({"a@example.com": "one"}, {}), first) == first
        with pytest.raises(CredentialsMismatch, match="other credentials"):
            store.claim_credentials(({"a@example.com": "two"}, {}), first)
    finally:
        store.close()


def test_a_file_that_is_not_a_world_is_refused(tmp_path: Path) -> None:
    (tmp_path / "world.sqlite3").write_bytes(b"not a database, " * 64)
    with pytest.raises(sqlite3.DatabaseError):
        WorldStore.open(tmp_path)
    # The folder is free again for a later, fixed start.
    (tmp_path / "world.sqlite3").unlink()
    WorldStore.open(tmp_path).close()


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    WorldStore.open(tmp_path).close()
    with sqlite3.connect(tmp_path / "world.sqlite3") as connection:
        connection.execute("PRAGMA user_version = 99")
    connection.close()
    with pytest.raises(StateDirUnusable, match="format 99 by another version"):
        WorldStore.open(tmp_path)
    # Again the same refusal, not StateDirBusy: the refused open released the lock.
    with pytest.raises(StateDirUnusable):
        WorldStore.open(tmp_path)


def test_a_world_made_without_sshd_is_not_started_with_it(tmp_path: Path) -> None:
    store = WorldStore.open(tmp_path)
    try:
        create_app(_settings(store, EmulatorClock(start=1_793_491_200.0)))
        store.check_sshd_mode(False)
        with pytest.raises(StateDirUnusable, match="was used without --sshd; start the emulator"):
            store.check_sshd_mode(True)
    finally:
        store.close()
