"""The SSH extras' public surface, gathered from the modules that implement each concern.

- `_ssh_target`: SshTarget, the endpoint value type.
- `_ssh_keys`: key file location, checks and `save_ssh_key`.
- `_ssh_known_hosts`: the project's known_hosts file, `forget_host_key`.
- `_ssh_argv`: ssh's argument list and remote-command quoting.
- `_ssh_run`: login, streamed and captured remote commands.
- `_ssh_remote` and `_ssh_transfer`: the remote scripts and the tar-stream copy.
- `_ssh_files`: copy, move, delete, make_directory, file_list.
- `_ssh_sync`, `_ssh_tunnel`, `_ssh_config`: rsync, port forwards, ssh_config Host blocks.

Everything here is synchronous; the async client wraps each call in `asyncio.to_thread`.
"""

from __future__ import annotations

from ._ssh_argv import remote_command, remote_path, ssh_argv
from ._ssh_config import SshConfig, SshConfigHost, SshConfigUpdate, write_ssh_config
from ._ssh_files import copy_file, delete_file, file_list, make_directory, move_file
from ._ssh_keys import check_key_file, default_key_file, save_ssh_key
from ._ssh_known_hosts import HostKeyChangedError, forget_host_key, known_hosts_file
from ._ssh_remote import RemoteFileEntry
from ._ssh_run import CommandResult, capture_command, login_instance, prepared_argv, run_command
from ._ssh_sync import SyncItem, SyncResult, synchronize_files
from ._ssh_target import InstanceLike, SshTarget
from ._ssh_tunnel import Tunnel, open_tunnel

__all__ = [
    "CommandResult",
    "HostKeyChangedError",
    "InstanceLike",
    "RemoteFileEntry",
    "SshConfig",
    "SshConfigHost",
    "SshConfigUpdate",
    "SshTarget",
    "SyncItem",
    "SyncResult",
    "Tunnel",
    "capture_command",
    "check_key_file",
    "copy_file",
    "default_key_file",
    "delete_file",
    "file_list",
    "forget_host_key",
    "known_hosts_file",
    "login_instance",
    "make_directory",
    "move_file",
    "open_tunnel",
    "prepared_argv",
    "remote_command",
    "remote_path",
    "run_command",
    "save_ssh_key",
    "ssh_argv",
    "synchronize_files",
    "write_ssh_config",
]
