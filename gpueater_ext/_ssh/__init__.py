"""The SSH layer: ssh/scp/rsync argument lists, keys, known_hosts, files, sync, tunnels, the
remote job supervisor. This `__init__` is its one import point: code outside the package
imports the names of `__all__` from here, never its modules (tests/project/test_layers.py).

- `target`: SshTarget, the endpoint value type.
- `keys`: key file location, checks and `save_ssh_key`.
- `known_hosts`: the project's known_hosts file, `forget_host_key`.
- `argv`: ssh's argument list and remote-command quoting.
- `run`: login, streamed and captured remote commands.
- `remote` and `transfer` (with `extract`, `progress`): the remote scripts and the
  tar-stream copy.
- `files`: copy, move, delete, make_directory, file_list.
- `sync` (with `sync_links`), `tunnel`, `config`, `jupyter`: rsync, port forwards,
  ssh_config Host blocks, notebook servers.
- `job_supervisor`, `job_remote`, `job_stream`: jobs that outlive the ssh connection (the
  job runner, `gpueater_ext._jobs`, drives them through this import point).

Everything here is synchronous; the async client wraps each call in `asyncio.to_thread`.
Nothing loads with the package: each name loads its module when first read, so the client
does not load the SSH layer before its first SSH call (`gpueater_ext._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gpueater_ext._lazy import load_on_first_use

if TYPE_CHECKING:
    from gpueater_ext._ssh.argv import remote_command, remote_path, ssh_argv
    from gpueater_ext._ssh.config import (
        SshConfig,
        SshConfigHost,
        SshConfigUpdate,
        ssh_config_hosts,
        ssh_config_text,
        write_ssh_config,
    )
    from gpueater_ext._ssh.files import copy_file, delete_file, file_list, make_directory, move_file
    from gpueater_ext._ssh.job_remote import (
        check_job_id,
        job_status,
        mark_step_done,
        start_job,
        step_done,
        stop_job,
        stream_job,
    )
    from gpueater_ext._ssh.jupyter import (
        JUPYTER_MISSING,
        list_servers_words,
        notebook_url,
        parse_servers,
    )
    from gpueater_ext._ssh.keys import check_key_file, default_key_file, save_ssh_key, ssh_folder
    from gpueater_ext._ssh.known_hosts import (
        HostKeyChangedError,
        forget_host_key,
        known_hosts_file,
        known_hosts_of,
        may_record_host_key,
    )
    from gpueater_ext._ssh.progress import reporting_transfer
    from gpueater_ext._ssh.remote import RemoteFileEntry
    from gpueater_ext._ssh.run import (
        CommandResult,
        capture_command,
        login_instance,
        os_errors_as_ssh,
        prepared_argv,
        run_command,
        ssh_error,
    )
    from gpueater_ext._ssh.sync import REFUSED, SyncItem, SyncResult, synchronize_files
    from gpueater_ext._ssh.target import InstanceLike, SshTarget
    from gpueater_ext._ssh.tunnel import Tunnel, open_tunnel

# public name -> the module of this package that defines it
_EXPORTS: dict[str, str] = {
    "capture_command": "run",
    "check_job_id": "job_remote",
    "check_key_file": "keys",
    "CommandResult": "run",
    "copy_file": "files",
    "default_key_file": "keys",
    "delete_file": "files",
    "file_list": "files",
    "forget_host_key": "known_hosts",
    "HostKeyChangedError": "known_hosts",
    "InstanceLike": "target",
    "job_status": "job_remote",
    "JUPYTER_MISSING": "jupyter",
    "known_hosts_file": "known_hosts",
    "known_hosts_of": "known_hosts",
    "list_servers_words": "jupyter",
    "login_instance": "run",
    "make_directory": "files",
    "may_record_host_key": "known_hosts",
    "mark_step_done": "job_remote",
    "move_file": "files",
    "notebook_url": "jupyter",
    "open_tunnel": "tunnel",
    "os_errors_as_ssh": "run",
    "parse_servers": "jupyter",
    "prepared_argv": "run",
    "REFUSED": "sync",
    "remote_command": "argv",
    "remote_path": "argv",
    "RemoteFileEntry": "remote",
    "reporting_transfer": "progress",
    "run_command": "run",
    "save_ssh_key": "keys",
    "ssh_argv": "argv",
    "ssh_config_hosts": "config",
    "ssh_config_text": "config",
    "ssh_error": "run",
    "ssh_folder": "keys",
    "SshConfig": "config",
    "SshConfigHost": "config",
    "SshConfigUpdate": "config",
    "SshTarget": "target",
    "start_job": "job_remote",
    "step_done": "job_remote",
    "stop_job": "job_remote",
    "stream_job": "job_remote",
    "synchronize_files": "sync",
    "SyncItem": "sync",
    "SyncResult": "sync",
    "Tunnel": "tunnel",
    "write_ssh_config": "config",
}

__all__ = [
    "JUPYTER_MISSING",
    "REFUSED",
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
    "check_job_id",
    "check_key_file",
    "copy_file",
    "default_key_file",
    "delete_file",
    "file_list",
    "forget_host_key",
    "job_status",
    "known_hosts_file",
    "known_hosts_of",
    "list_servers_words",
    "login_instance",
    "make_directory",
    "mark_step_done",
    "may_record_host_key",
    "move_file",
    "notebook_url",
    "open_tunnel",
    "os_errors_as_ssh",
    "parse_servers",
    "prepared_argv",
    "remote_command",
    "remote_path",
    "reporting_transfer",
    "run_command",
    "save_ssh_key",
    "ssh_argv",
    "ssh_config_hosts",
    "ssh_config_text",
    "ssh_error",
    "ssh_folder",
    "start_job",
    "step_done",
    "stop_job",
    "stream_job",
    "synchronize_files",
    "write_ssh_config",
]

if not TYPE_CHECKING:  # mypy reads the imports above; each name loads on first use
    __getattr__, __dir__ = load_on_first_use(__name__, _EXPORTS, globals())
