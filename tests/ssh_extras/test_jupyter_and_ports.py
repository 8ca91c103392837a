"""The notebook server list, the URL built from it, and PORT[:REMOTE_PORT]: no server needed."""

from __future__ import annotations

import pytest

from gpueater_ext._ssh_jupyter import NotebookServer, notebook_url, parse_servers
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
