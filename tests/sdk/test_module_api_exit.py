"""A 1.5-style script (`import gpueater`, module functions, no client in sight) ends cleanly:
the module closes the client it made, so a fresh interpreter in development mode, which
reports every unclosed socket, reports none."""

from __future__ import annotations

from tests.support.fresh_python import run_python

SCRIPT = "import gpueater; print(len(gpueater.instance_list()), gpueater.image_list()[0]['name'])"


def test_a_module_api_script_leaves_no_unclosed_connection(emulator, tmp_path):
    finished = run_python(SCRIPT, emulator, tmp_path, "-X", "dev")
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split()[0] == "0"  # it really talked to the service
    assert "ResourceWarning" not in finished.stderr
    assert finished.stderr == ""
