"""Every code block of the service's README that calls `gpueater` runs unchanged against the
emulator on loopback, the way a reader would run them: `~/.eater` written as its
Prerequisites say, the blocks run in order in one Python session, and the placeholder the
reader is asked to fill in (`[Your ssh key]`) is a key their account has.

`data/seed-readme.md` is a verbatim copy of the service's README (MIT licensed).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gpueater_ext import GPUEater

README = Path(__file__).parent / "data" / "seed-readme.md"
PLACEHOLDER_KEY = "[Your ssh key]"

RUNNER = """
import sys, json
blocks = json.load(sys.stdin)
session = {}
for index, block in enumerate(blocks):
    print(f"--- block {index}", flush=True)
    exec(compile(block, f"<seed README block {index}>", "exec"), session)
"""


def code_blocks_calling_gpueater() -> list[str]:
    blocks = re.findall(r"```[a-z]*\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    return [block for block in blocks if "gpueater." in block]


def test_the_readme_has_the_blocks_we_expect():
    blocks = code_blocks_calling_gpueater()
    assert len(blocks) == 8
    assert any("launch_ondemand_instance(param)" in block for block in blocks)


@pytest.mark.slow
def test_every_readme_block_runs_unchanged_against_the_emulator(emulator, tmp_path):
    home = tmp_path / "reader-home"
    (home / ".ssh").mkdir(parents=True)
    eater_file = home / ".eater"
    eater_file.write_text(
        json.dumps({"gpueater": {"email": emulator.email, "password": emulator.password}})
    )
    eater_file.chmod(0o600)
    # The reader's account: the key the launch example asks for, and one instance running
    # (the terminate example takes `instance_list()[0]` after the tagged one is gone).
    with GPUEater(emulator.url, email=emulator.email, password=emulator.password) as eater:
        pair = eater.generate_ssh_key()
        key = eater.register_ssh_key(name=PLACEHOLDER_KEY, public_key=pair.public_key)
        catalog = eater.ondemand_list()
        eater.launch_ondemand_instance(
            product_id=catalog.get_product("n1.p400").id,
            image=catalog.get_image("Ubuntu18.04 x64").alias,
            ssh_key_id=key.id,
            tag="already-running",
        )
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("GPUEATER_")
    }
    environment.update(HOME=str(home), GPUEATER_URL=emulator.url)
    blocks = code_blocks_calling_gpueater()
    finished = subprocess.run(
        [sys.executable, "-W", "error", "-c", RUNNER],
        input=json.dumps(blocks),
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert f"--- block {len(blocks) - 1}" in finished.stdout
    # The examples did what they say: the tagged instance was launched and terminated, the
    # key was registered and its private half saved, the last instance was terminated.
    requests = emulator.state()["requests"]
    assert requests["launch_ondemand_instance"] == 2
    assert requests["terminate_instance"] == 2
    assert (home / ".ssh" / "my_ssh_key2_for_python.pem").read_text().startswith("-----BEGIN")
    with GPUEater(emulator.url, email=emulator.email, password=emulator.password) as eater:
        assert eater.instance_list() == []
        assert "my_ssh_key2_for_python" in [key.name for key in eater.ssh_key_list()]
