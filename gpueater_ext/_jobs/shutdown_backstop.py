"""`--shutdown-on-expiry`: a shutdown scheduled on the instance itself, for when no gc runs.

A lease is applied by `gpueater gc` on the user's machine; while that machine is off,
nothing ends the instance. The backstop runs on the instance: a supervised
`sleep SECONDS; shutdown -h now` (as root, else through `sudo -n`), started in the
background over SSH when the run reaches the instance, SECONDS being the task's
max_duration. Why not `shutdown -h +N`: that needs systemd's scheduler on the image and
cannot be told apart from a shutdown someone else scheduled; the supervised sleep works on
any image with `sh` and its pid file says whose it is.

- `~/.gpueater/shutdown-at` holds the sleeper's pid and the time it fires (UTC); a later run
  with the same instance (`--name`) replaces the previous sleeper, so the backstop follows
  the newest run. The lease records that its instance has a backstop, and `gpueater lease
  extend` replaces the sleeper with one firing at the new deadline (`shutdown_command`), so
  an extended lease is not cut short on the instance. `gpueater lease release` leaves it:
  end it with `gpueater ssh NAME -- sh -c 'kill $(cut -d" " -f1 .gpueater/shutdown-at)'`.
- A shut-down instance is not a terminated one: the service may still bill it until it is
  terminated (docs/guides/jobs.md, "Leases and gc"). The backstop limits the damage, gc ends it.
- The script is fixed; the seconds and the time reach it as positional parameters only.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from gpueater_ext._errors import SSHError

if TYPE_CHECKING:
    from gpueater_ext._ssh import SshTarget

__all__ = [
    "SCHEDULE_TIMEOUT",
    "SHUTDOWN_FILE",
    "schedule_shutdown",
    "scheduled_or_raise",
    "shutdown_command",
]

SHUTDOWN_FILE = ".gpueater/shutdown-at"  # relative to the instance's home
SCHEDULE_TIMEOUT = 60.0  # seconds for the scheduling command over SSH

_SCHEDULE = r"""
set -e
mkdir -p "$HOME/.gpueater"
file="$HOME/.gpueater/shutdown-at"
if [ -f "$file" ]; then
  read -r old _ < "$file" || true
  case "$old" in ''|*[!0-9]*) ;; *) kill "$old" 2>/dev/null || true ;; esac
fi
nohup sh -c '
  sleep "$1"
  if [ "$(id -u)" = 0 ]; then exec shutdown -h now; else exec sudo -n shutdown -h now; fi
' gpueater-shutdown "$1" >/dev/null 2>&1 </dev/null &
printf '%s %s\n' "$!" "$2" > "$file.tmp"
mv "$file.tmp" "$file"
"""


def shutdown_command(seconds: float) -> tuple[list[str], str]:
    """The command that starts (or replaces) the backstop firing in `seconds`, and when it
    fires (ISO 8601, UTC): run it on the instance and check `scheduled_or_raise`."""
    whole = max(1, int(seconds))
    fires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=whole)
    when = fires.isoformat(timespec="seconds").replace("+00:00", "Z")
    return ["sh", "-c", _SCHEDULE, "sh", str(whole), when], when


def scheduled_or_raise(exit_code: int) -> None:
    """SSHError unless the scheduling command (`shutdown_command`) exited 0."""
    if exit_code != 0:
        raise SSHError(
            f"the shutdown backstop could not be scheduled on the instance (exit status "
            f"{exit_code})"
        )


def schedule_shutdown(target: SshTarget, seconds: float) -> str:
    """Start (or replace) the instance's backstop; returns when it fires (ISO 8601, UTC).
    SSHError when it could not be scheduled."""
    from gpueater_ext._ssh import capture_command

    command, when = shutdown_command(seconds)
    scheduled_or_raise(capture_command(target, command, timeout=SCHEDULE_TIMEOUT).exit_code)
    return when
