"""A writer killed at any step of a write leaves the old file or the complete new one, never
a partial one, and no temporary that others could read; the next write removes the
killed writer's temporaries.

The kill is the real thing (SIGKILL, which nothing can catch), placed deterministically by
the `GPUEATER_TEST_KILL_AT_STEP` hook of `_local_files`: every step of every write is hit.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx

from gpueater_ext import save_config
from gpueater_ext._config import Config, Credentials
from gpueater_ext._session_cache import SessionCache
from gpueater_ext._ssh.keys import save_ssh_key
from gpueater_ext.cli.cmd_payment import write_new_file
from tests.support.local_files import assert_private, forked_writer, kill_at_every_step, temporaries

OLD_PROFILES = {f"team-{n}": {"email": f"user{n}@example.com", "password": "old"} for n in range(4)}
NEW_PROFILE = {"email": "new@example.com", "password": "s3cret-password"}


def test_a_killed_save_config_leaves_the_old_file_or_the_new_one(tmp_path: Path):
    home = tmp_path / "writer"
    home.mkdir()
    eater = home / ".eater"
    old_text = json.dumps(OLD_PROFILES, indent=2) + "\n"
    new_document = {**OLD_PROFILES, "added": NEW_PROFILE}

    def reset() -> None:
        eater.write_text(old_text)
        eater.chmod(0o600)

    def after_kill(step: int) -> None:
        assert json.loads(eater.read_text()) in (OLD_PROFILES, new_document), step
        assert_private([eater, *temporaries(home)])  # a temporary with the password: 0600

    writer = forked_writer(lambda: save_config(NEW_PROFILE, profile="added", path=eater), home)
    kills = kill_at_every_step(writer, after_kill, before=reset)
    assert kills >= 20
    assert json.loads(eater.read_text()) == new_document
    assert_private([eater])
    assert temporaries(home) == []  # the finished run removed the killed runs' leftovers


def test_a_killed_key_generation_leaves_no_file_or_the_whole_key(tmp_path: Path):
    home = tmp_path / "writer"
    ssh = home / ".ssh"
    ssh.mkdir(parents=True, mode=0o700)
    key = ssh / "work.pem"
    body = "QUFB" * 120
    private = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----\n"

    def reset() -> None:
        key.unlink(missing_ok=True)

    def after_kill(step: int) -> None:
        # Absent (so a new run may save it) or complete: never empty, never half a key.
        if key.exists():
            assert key.read_text() == private, step
        assert_private(ssh.iterdir())

    writer = forked_writer(lambda: save_ssh_key("work", private, folder=ssh), home)
    kills = kill_at_every_step(writer, after_kill, before=reset)
    assert kills >= 20
    assert key.read_text() == private
    assert [p.name for p in ssh.iterdir()] == ["work.pem"]
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_a_killed_session_cache_write_leaves_a_whole_cache(tmp_path: Path):
    home = tmp_path / "writer"
    home.mkdir()
    folder = tmp_path / "sessions"
    config = Config("https://service.test", Credentials(email="e@x", password="pw"))
    cookies = httpx.Cookies()
    for n in range(6):
        cookies.set(f"cookie{n}", f"value-{n}-" + "x" * 20, "service.test", "/")

    def after_kill(step: int) -> None:
        for path in folder.glob("*.json"):  # absent, or whole
            assert len(json.loads(path.read_text())["cookies"]) == 6, step
        if folder.exists():
            assert_private(folder.iterdir())

    writer = forked_writer(lambda: SessionCache(config, folder).save(cookies), home)
    kills = kill_at_every_step(writer, after_kill)
    assert kills >= 20
    assert len(list(folder.glob("*.json"))) == 1
    assert sorted(p.name for p in folder.iterdir() if p.suffix != ".json") == ["salt"]
    assert_private(folder.iterdir())
    loaded = httpx.Cookies()
    assert SessionCache(config, folder).load(loaded)
    assert loaded.get("cookie5") == "value-5-" + "x" * 20


def test_a_killed_invoice_download_leaves_no_file_or_the_whole_pdf(tmp_path: Path):
    home = tmp_path / "writer"
    home.mkdir()
    pdf = tmp_path / "invoice.pdf"
    document = b"%PDF-1.4\n" + b"0123456789" * 40 + b"\n%%EOF\n"

    def reset() -> None:
        pdf.unlink(missing_ok=True)

    def after_kill(step: int) -> None:
        if pdf.exists():
            assert pdf.read_bytes() == document, step
        assert_private(p for p in tmp_path.iterdir() if p.is_file())

    writer = forked_writer(lambda: write_new_file(pdf, document, replace=False), home)
    kills = kill_at_every_step(writer, after_kill, before=reset)
    assert kills >= 20
    assert pdf.read_bytes() == document
    assert temporaries(tmp_path) == []
