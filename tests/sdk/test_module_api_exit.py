"""A 1.5-style script (`import gpueater`, module functions, no client in sight) ends cleanly:
the module closes the client it made, so a fresh interpreter in development mode, which
reports every unclosed socket, reports none."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = "import gpueater; print(len(gpueater.instance_list()), gpueater.image_list()[0]['name'])"


def test_a_module_api_script_leaves_no_unclosed_connection(emulator, tmp_path):
    environment = {
        **os.environ,
        "HOME": str(tmp_path),
        "GPUEATER_URL": emulator.url,
        "GPUEATER_EMAIL": emulator.email,
        "GPUEATER_PASSWORD": emulator.password,
    }
    environment.pop("GPUEATER_PROFILE", None)
    finished = subprocess.run(
        [sys.executable, "-X", "dev", "-c", SCRIPT],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split()[0] == "0"  # it really talked to the service
    assert "ResourceWarning" not in finished.stderr
    assert finished.stderr == ""
