"""`snapshots`, `snapshot create|tag|delete|restore`, `user-images` and
`user-image create|import|delete` against the emulator."""

from __future__ import annotations

import pytest

from tests.support.cli import Cli
from tests.support.following import run_following


@pytest.mark.slow
def test_a_snapshot_is_taken_listed_restored_and_deleted(cli: Cli, launched):
    taken = cli.ok("snapshot", "create", "web-1", "--tag", "before", "-o", "json").json()
    assert (taken["instance_id"], taken["tag"]) == (launched["instance_id"], "before")
    listed = cli.ok("snapshots", "web-1", "-o", "json").json()
    assert [s["snapshot_id"] for s in listed] == [taken["snapshot_id"]]
    assert "before" in cli.ok("snapshots", "web-1").stdout

    refused = cli("snapshot", "restore", "web-1", "before")
    assert refused.code == 2
    assert "--yes" in refused.error_line
    restored = cli.ok("snapshot", "restore", "web-1", "before", "--yes", "-o", "json").json()
    assert restored == {
        "instance_id": launched["instance_id"],
        "snapshot_id": taken["snapshot_id"],
        "restored": True,
    }
    refused = cli("snapshot", "delete", "before")
    assert refused.code == 2
    assert "--yes" in refused.error_line
    deleted = cli.ok("snapshot", "delete", taken["snapshot_id"], "--yes", "-o", "json").json()
    assert deleted["deleted"] is True
    assert cli.ok("snapshots", "web-1", "-o", "json").json() == []


def test_a_snapshot_is_renamed_by_its_tag_and_keeps_the_new_one(cli: Cli, launched):
    taken = cli.ok("snapshot", "create", "web-1", "--tag", "nightly", "-o", "json").json()
    renamed = cli.ok("snapshot", "tag", "nightly", "known-good", "-o", "json").json()
    assert (renamed["snapshot_id"], renamed["tag"]) == (taken["snapshot_id"], "known-good")
    assert [s["tag"] for s in cli.emulator.state()["snapshots"]] == ["known-good"]
    assert [s["tag"] for s in cli.ok("snapshots", "web-1", "-o", "json").json()] == ["known-good"]
    shown = cli.ok("snapshot", "tag", taken["snapshot_id"], "final").stdout
    assert "final" in shown
    assert taken["snapshot_id"] in shown


def test_an_unknown_snapshot_is_not_found(cli: Cli, launched):
    for args in (
        ("delete", "nope", "--yes"),
        ("restore", "web-1", "nope", "--yes"),
        ("tag", "nope", "new-tag"),
    ):
        result = cli("snapshot", *args, "-o", "json")
        assert result.code == 3, args
        assert "no snapshot is named 'nope' (by id, tag or prefix)" in result.error_line
        assert result.stdout == ""


def test_an_image_built_from_an_instance_is_followed_until_ready(cli: Cli, launched):
    result = run_following(
        cli,
        "user-image", "create", "web-1", "my-image", "--wait", "--poll", "0.05",
        meanwhile=lambda _: cli.emulator.advance_clock(60),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "BUILDING 0%" in result.stderr  # progress while it builds
    assert "READY" in result.stdout
    images = cli.ok("user-images", "-o", "json").json()
    assert [(i["name"], i["status"], i["progress"]) for i in images] == [("my-image", "READY", 100)]
    assert "my-image" in cli.ok("images").stdout  # launchable now


def test_an_imported_image_is_listed_and_deleted_by_name(cli: Cli):
    imported = cli.ok(
        "user-image", "import", "https://example.com/disk.img", "from-web", "-o", "json"
    ).json()
    assert (imported["name"], imported["status"]) == ("from-web", "BUILDING")
    assert "from-web" in cli.ok("user-images").stdout
    deleted = cli.ok("user-image", "delete", "from-web", "--yes", "-o", "json").json()
    assert deleted == {"fingerprint": imported["fingerprint"], "name": "from-web", "deleted": True}
    assert cli.ok("user-images", "-o", "json").json() == []


def test_bad_image_requests(cli: Cli):
    unknown = cli("user-image", "delete", "nope", "--yes")
    assert unknown.code == 3
    assert "no user-defined image is named 'nope'" in unknown.error_line
    refused = cli("user-image", "import", "file:///etc/passwd", "x", "-o", "json")
    assert refused.code == 1
    assert "url" in refused.error_line
    assert refused.stdout == ""
