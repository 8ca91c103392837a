"""The notebook server list, the URL built from it, and PORT[:REMOTE_PORT]: no server needed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gpueater_ext._ssh.jupyter import (
    JUPYTER_MISSING,
    NotebookServer,
    list_servers_words,
    notebook_url,
    parse_servers,
)
from gpueater_ext.cli._exit import CliUsageError
from gpueater_ext.cli.cmd_tunnel import parse_ports

SERVER_LIST = b"""[JupyterServerListApp] some log line
{"base_url": "/", "hostname": "localhost", "port": 8888, "token": "abc123", "url": "http://localhost:8888/"}
{"base_url": "/user/x/", "port": 8890, "token": ""}
{"port": "8891"}
not json at all
"""


def test_servers_come_from_the_json_lines_only() -> None:
    assert parse_servers(SERVER_LIST) == [
        NotebookServer(port=8888, base_url="/", token="abc123"),
        NotebookServer(port=8890, base_url="/user/x/", token=""),
    ]


def test_the_url_has_the_token_and_cannot_point_elsewhere() -> None:
    assert notebook_url(9000, NotebookServer(8888, "/", "abc123")) == (
        "http://127.0.0.1:9000/?token=abc123"
    )
    assert notebook_url(9000, None) == "http://127.0.0.1:9000/"
    hostile = NotebookServer(8888, "//evil.example/@x?", "t&x=1#f")
    assert notebook_url(9000, hostile) == (
        "http://127.0.0.1:9000/evil.example/%40x%3F?token=t%26x%3D1%23f"
    )


def test_ports_are_port_or_local_colon_remote() -> None:
    assert parse_ports("8888") == (8888, 8888)
    assert parse_ports("9000:8888") == (9000, 8888)
    assert parse_ports("0:22") == (0, 22)
    for wrong in ("x", "80:", "70000", "80:0", "-1:80", "1:2:3", " 80", "8_0", "+80"):
        with pytest.raises(CliUsageError):
            parse_ports(wrong)


FAKE_JUPYTER = """#!/bin/sh
# Classic Notebook only: `jupyter server` is not a command here.
if [ "$1" = notebook ] && [ "$2" = list ]; then
  echo '{"port": 8899, "base_url": "/", "token": "tok"}'
  exit 0
fi
exit 1
"""


def test_the_list_script_falls_back_to_the_classic_notebook(tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "jupyter").write_text(FAKE_JUPYTER)
    (tools / "jupyter").chmod(0o755)
    words = list_servers_words()
    ran = subprocess.run(
        words, capture_output=True, env={"PATH": f"{tools}:/usr/bin:/bin", "HOME": str(tmp_path)}
    )
    assert ran.returncode == 0
    assert parse_servers(ran.stdout) == [NotebookServer(8899, "/", "tok")]


def test_the_list_script_says_when_jupyter_is_missing(tmp_path: Path) -> None:
    if shutil.which("jupyter", path="/usr/bin:/bin:/opt/conda/bin:/usr/local/anaconda3/bin"):
        pytest.skip("a system-wide jupyter is installed")
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    ran = subprocess.run(list_servers_words(), capture_output=True, env=environment)
    assert ran.returncode == JUPYTER_MISSING
