"""`sync` down from an instance serving links that point outside, against a real sshd and the
real rsync on both ends: nothing outside the local destination is created or changed, links
that stay inside arrive as links, the user's own links come back exactly as they were, and
a second run changes nothing."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpueater_ext._errors import SSHError
from gpueater_ext._ssh.sync import synchronize_files
from gpueater_ext._ssh.sync_links import MUNGED_PREFIX
from gpueater_ext._ssh.target import SshTarget
from tests.support.hostile_sshd import HostileSshd, snapshot
from tests.support.sshd import ClientKey, new_private_sshd
from tests.support.sshd_instances import require_tools

pytestmark = pytest.mark.sshd

# Links on the instance that leave the synced folder, each a different way.
LEAVING = ["abs", "rel", "bypass", "sub/deep", "sub/linkdir", "sub/bypass2"]


def hostile_instance_tree(remote: Path, outside: Path) -> None:
    (remote / "sub").mkdir(parents=True)
    (remote / "data").mkdir()
    (remote / "inside.txt").write_text("inside\n")
    (remote / "data" / "canary").write_text("from the instance\n")
    (remote / "file").write_text("a file from the instance\n")
    (remote / "ok").symlink_to("inside.txt")
    (remote / "sub" / "up").symlink_to("../inside.txt")
    (remote / "here").symlink_to(".")
    (remote / "abs").symlink_to(outside / "canary")
    (remote / "rel").symlink_to("../outside/canary")
    # rsync before 3.4.0 judged these by counting: one name in, one '..' out.
    (remote / "bypass").symlink_to("here/../outside/canary")
    (remote / "sub" / "bypass2").symlink_to("../here/../../outside")
    (remote / "sub" / "deep").symlink_to("../../outside/canary")
    (remote / "sub" / "linkdir").symlink_to("../../outside")


def munged(link: Path) -> bool:
    return link.is_symlink() and os.readlink(link).startswith(MUNGED_PREFIX)


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path, Path]:
    remote, local, outside = tmp_path / "remote", tmp_path / "local", tmp_path / "outside"
    outside.mkdir()
    (outside / "canary").write_text("precious\n")
    os.utime(outside / "canary", ns=(1_000_000_000, 1_000_000_000))
    hostile_instance_tree(remote, outside)
    local.mkdir()
    return remote, local, outside


def test_links_that_leave_are_left_out_and_nothing_outside_changes(
    ssh_target: SshTarget, sides: tuple[Path, Path, Path]
) -> None:
    remote, local, outside = sides
    # What was already here: links to outside where the instance has a folder and a file,
    # and a link of the user's own that the instance knows nothing of.
    (local / "data").symlink_to("../outside")
    (local / "file").symlink_to("../outside/canary")
    (local / "mine").symlink_to(outside)
    before_outside = snapshot(outside)

    result = synchronize_files(ssh_target, "get", str(remote), local)

    assert snapshot(outside) == before_outside
    assert sorted(result.refused) == sorted(LEAVING)
    for path in LEAVING:
        assert not (local / path).is_symlink()
    assert os.readlink(local / "ok") == "inside.txt"
    assert os.readlink(local / "sub" / "up") == "../inside.txt"
    assert os.readlink(local / "here") == "."
    assert os.readlink(local / "mine") == str(outside)  # the user's own, as it was
    assert not (local / "data").is_symlink()
    assert (local / "data" / "canary").read_text() == "from the instance\n"
    assert not (local / "file").is_symlink()
    assert (local / "file").read_text() == "a file from the instance\n"
    assert not [link for link in local.rglob("*") if munged(link)]

    again = synchronize_files(ssh_target, "get", str(remote), local)
    assert [item for item in again.items if not item.refused] == []
    assert sorted(again.refused) == sorted(LEAVING)
    assert snapshot(outside) == before_outside


def test_a_dry_run_changes_nothing_and_shows_no_leaving_link(
    ssh_target: SshTarget, sides: tuple[Path, Path, Path]
) -> None:
    remote, local, outside = sides
    (local / "mine").symlink_to(outside)
    before = snapshot(local)
    result = synchronize_files(ssh_target, "get", str(remote), local, dry_run=True)
    assert snapshot(local) == before
    shown = {item.path for item in result.items}
    assert {"ok", "inside.txt"} <= shown
    assert not {"abs", "rel", "sub/deep", "sub/linkdir"} & shown


def test_a_failed_sync_still_restores_the_users_links(
    ssh_target: SshTarget, sides: tuple[Path, Path, Path]
) -> None:
    _, local, outside = sides
    (local / "mine").symlink_to(outside)
    (local / "sub").mkdir()
    (local / "sub" / "rel").symlink_to("../mine")
    with pytest.raises(SSHError, match="synchronizing"):
        synchronize_files(ssh_target, "get", "/no/such/remote/folder", local)
    assert os.readlink(local / "mine") == str(outside)
    assert os.readlink(local / "sub" / "rel") == "../mine"


def test_links_from_a_local_rsync_that_checks_nothing_are_still_judged(
    ssh_target: SshTarget, sides: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """A local rsync whose link checks fail (before 3.4.0, `--safe-links` let
    `here/../outside` through): stood in for by one that drops `--munge-links` and
    `--safe-links`, so every link arrives as sent. The judgment after the run removes
    those that leave all the same."""
    remote, local, outside = sides
    (local / "mine").symlink_to(outside)
    careless = tmp_path / "careless-rsync"
    careless.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        "kept = [a for a in sys.argv[1:] if a not in ('--munge-links', '--safe-links')]\n"
        "os.execvp('rsync', ['rsync', *kept])\n"
    )
    careless.chmod(0o755)
    before = snapshot(outside)
    result = synchronize_files(ssh_target, "get", str(remote), local, rsync_program=str(careless))
    assert sorted(result.refused) == sorted(LEAVING)
    for path in LEAVING:
        assert not (local / path).is_symlink()
    assert os.readlink(local / "mine") == str(outside)
    assert os.readlink(local / "sub" / "up") == "../inside.txt"
    assert snapshot(outside) == before


def test_links_a_killed_sync_left_munged_are_judged_on_the_next_run(
    ssh_target: SshTarget, sides: tuple[Path, Path, Path]
) -> None:
    remote, local, outside = sides
    (local / "kept").symlink_to(MUNGED_PREFIX + "inside.txt")
    (local / "gone").symlink_to(MUNGED_PREFIX + str(outside))
    result = synchronize_files(ssh_target, "get", str(remote), local)
    assert os.readlink(local / "kept") == "inside.txt"
    assert not (local / "gone").is_symlink()
    assert "gone" in result.refused


# -- a hostile remote rsync: a file list the client never asked for ---------------------------


@pytest.fixture(scope="module")
def hostile_rsync(
    tmp_path_factory: pytest.TempPathFactory, isolated_home: Path, client_key: ClientKey
) -> Iterator[tuple[SshTarget, Path]]:
    """An instance whose rsync serves `plan.json`'s names (see hostile_rsync.py)."""
    require_tools("rsync")
    new_private_sshd()  # skips (or fails, when required) without OpenSSH's server
    folder = tmp_path_factory.mktemp("hostile-rsync")
    plan = folder / "plan.json"
    script = Path(__file__).with_name("hostile_rsync.py")
    command = f'exec "{sys.executable}" "{script}" "{plan}"'
    with HostileSshd(command, folder / "sessions") as sshd:
        sshd.authorize(client_key.public_line)
        target = SshTarget(
            instance_id="hostile-rsync-1",
            known_hosts=folder / "known_hosts",
            host=sshd.host,
            port=sshd.port,
            user=sshd.user,
            key_file=client_key.private,
        )
        yield target, plan


def identity(path: Path) -> tuple[int, int, bytes]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns, path.read_bytes()


@pytest.mark.parametrize("attack", ["below-a-local-link", "link-then-file-below-it"])
def test_a_hostile_rsync_cannot_write_outside(
    hostile_rsync: tuple[SshTarget, Path], tmp_path: Path, attack: str
) -> None:
    target, plan = hostile_rsync
    # The instance side and this side sit at the same depth, so `../../outside` from either
    # names the same folder: a write through a link would replace the canary (its inode).
    served, local, outside = (
        tmp_path / "served" / "x",
        tmp_path / "local" / "x",
        tmp_path / "outside",
    )
    (served / "data").mkdir(parents=True)
    local.mkdir(parents=True)
    outside.mkdir()
    (outside / "canary").write_text("precious\n")
    (served / "data" / "canary").write_text("EVIL\n")
    (served / "l").symlink_to("../../outside")
    if attack == "below-a-local-link":
        (local / "data").symlink_to("../../outside")  # the user's own link
        names = ["data/canary"]  # the folder `data` itself is never listed
    else:
        names = ["l", "l/canary"]
    plan.write_text(json.dumps({"folder": str(served), "names": names}))
    before = identity(outside / "canary")
    before_outside = snapshot(outside)

    try:
        result = synchronize_files(target, "get", "anything", local)
    except SSHError:
        result = None  # rsync may well give up on such a list; what matters is below
    assert identity(outside / "canary") == before
    assert snapshot(outside) == before_outside
    if attack == "below-a-local-link":
        assert os.readlink(local / "data") == "../../outside"  # restored as it was
    else:
        assert not (local / "l").is_symlink()
        assert result is None or result.refused == ["l"]
    assert not [link for link in local.rglob("*") if munged(link)]
