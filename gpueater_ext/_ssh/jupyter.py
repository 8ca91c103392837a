"""Finding the notebook servers running on an instance, for `gpueater jupyter`.

The instance is asked with a fixed remote script (no data in it): `jupyter server list
--json` (Jupyter Server, JupyterLab 3+, Notebook 7), else `jupyter notebook list --json`
(classic Notebook). Both print one JSON object per running server, with its port, base URL
and token. Non-interactive ssh sessions often lack the PATH entries of pip's user installs
and conda, so those are added.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass

__all__ = [
    "JUPYTER_MISSING",
    "NotebookServer",
    "list_servers_words",
    "notebook_url",
    "parse_servers",
]

# The list script's exit status when no `jupyter` command exists on the instance.
JUPYTER_MISSING = 127

_LIST_SCRIPT = r"""PATH="$PATH:$HOME/.local/bin:/opt/conda/bin:/usr/local/anaconda3/bin"
command -v jupyter >/dev/null 2>&1 || exit 127
jupyter server list --json 2>/dev/null || jupyter notebook list --json 2>/dev/null
exit 0
"""


@dataclass(frozen=True)
class NotebookServer:
    """A running notebook server as its list shows it (the token may be empty)."""

    port: int
    base_url: str
    token: str


def list_servers_words() -> list[str]:
    return ["sh", "-c", _LIST_SCRIPT, "gpueater-jupyter"]


def parse_servers(output: bytes) -> list[NotebookServer]:
    """The servers in the list's output; lines that are not a server's JSON are skipped."""
    servers = []
    for line in output.decode("utf-8", "replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            continue
        port = entry.get("port")
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            continue
        base_url = entry.get("base_url")
        token = entry.get("token")
        servers.append(
            NotebookServer(
                port=port,
                base_url=base_url if isinstance(base_url, str) and base_url else "/",
                token=token if isinstance(token, str) else "",
            )
        )
    return servers


def notebook_url(local_port: int, server: NotebookServer | None) -> str:
    """The local URL of a server reached through a tunnel on `local_port`, with its token.

    The base URL and token come from the instance: they are quoted, so neither can turn
    the URL into another host's.
    """
    if server is None:
        return f"http://127.0.0.1:{local_port}/"
    path = urllib.parse.quote("/" + server.base_url.lstrip("/"), safe="/-._~")
    query = f"?token={urllib.parse.quote(server.token, safe='')}" if server.token else ""
    return f"http://127.0.0.1:{local_port}{path}{query}"
