"""`api_list()`: every function of the service's README, with its group, version and endpoint.

Endpoint-backed rows come from the operation table (`_operations`); the client-side
functions (those with no endpoint of their own) are listed here.
"""

from __future__ import annotations

import dataclasses

from gpueater_ext._decode import Model
from gpueater_ext._operations import OPERATIONS

__all__ = ["CLIENT_SIDE_FUNCTIONS", "ApiFunction", "api_functions"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ApiFunction(Model):
    """One function of the API: `endpoint` is "METHOD /path", or how a client-side one works."""

    name: str
    group: str
    since: str | None
    endpoint: str


# name -> (group, since, how it works)
CLIENT_SIDE_FUNCTIONS: dict[str, tuple[str, str | None, str]] = {
    "restart_instance": ("Instance", "v1.0", "client-side: stop_instance, wait, start_instance"),
    "copy_file": ("Extensions", "v1.7", "client-side: a tar stream over one ssh call"),
    "delete_file": ("Extensions", "v1.7", "client-side: rm over ssh"),
    "move_file": ("Extensions", "v1.7", "client-side: copy_file, then delete the source"),
    "make_directory": ("Extensions", "v1.7", "client-side: mkdir -p over ssh"),
    "file_list": ("Extensions", "v1.7", "client-side: find over ssh"),
    "synchronize_files": ("Extensions", "v1.7", "client-side: rsync over SSH"),
    "login_instance": ("Extensions", "v1.7", "client-side: an interactive ssh login"),
    "tunnel": ("Extensions", "v1.7", "client-side: ssh -L"),
    "api_list": ("Class API", "v1.7", "client-side: this list"),
}


def api_functions() -> list[ApiFunction]:
    """Every function, endpoint-backed first in the spec's order, then the client-side ones."""
    rows = [
        ApiFunction(name=op.name, group=op.group, since=op.since, endpoint=op.endpoint)
        for op in OPERATIONS.values()
    ]
    rows += [
        ApiFunction(name=name, group=group, since=since, endpoint=how)
        for name, (group, since, how) in CLIENT_SIDE_FUNCTIONS.items()
    ]
    return rows
