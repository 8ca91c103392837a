"""The remote side of jobs: fixed POSIX sh scripts that start, follow, stop and inspect a job
under a supervisor that outlives the SSH connection.

Like `_ssh.remote`, every operation runs `sh -c <SCRIPT> <name> <arg>...` on the instance:
the scripts are constants of this module and data only ever arrives as positional
parameters (each quoted once by `remote_command`) or on standard input, never as shell code.
What the instance needs: a POSIX sh whose `printf`, `read`, `kill` and `export` are
builtins (dash, bash, busybox ash), GNU coreutils (`tail --pid`, `nohup`, fractional
`sleep`, `mv`, `wc`) and Linux's /proc. No python, setsid or tmux.

Job folder layout (`$HOME/.gpueater/jobs/<job_id>/`, mode 0700; `$HOME/.gpueater` 0700 too),
the contract `gpueater job` (issue 23) builds on:

    stdout      the command's standard output, appended as it runs
    stderr      the command's standard error
    supervisor  "PID STARTTIME PGID\\n": the supervisor's pid and its start time (field 22
                of /proc/PID/stat, so a reused pid is not mistaken for it) and the process
                group the command runs in; written (temp + mv) before the command starts
    started     empty; exists once the environment was read and the command is exec'd
    exit        "STATUS\\n", the command's exit status (0-255; 128+N: killed by signal N),
                written atomically (temp + mv) when it ends, by the supervisor or, when
                stop's KILL ended the supervisor too, by stop (137); its existence means
                "ended"

`$HOME/.gpueater/setup/<marker>`: an empty file per setup step done (`mark_step_done`).

A job is *running* while `exit` is absent and the supervisor process lives, *exited* once
`exit` exists, and *lost* when neither (the supervisor was killed, say by `kill -9` or a
reboot): then nothing records its end, and its output so far is still in the folder.

Process group: dash refuses `set -m` without a terminal, so the supervisor uses the process
group sshd gives every session (sshd starts each session's command with setsid): the start
script, the supervisor and the command are that group and nothing else; `stop` signals it.
The supervisor catches TERM (INT it ignores, as sh does for a background command), so it
survives a group TERM long enough to record the command's status. `nohup` makes the whole
job ignore SIGHUP; INT and QUIT, which sh ignores for a background command, are reset to
their defaults where GNU env can (coreutils 8.31+). Background processes the command
leaves behind stay in the group but do not keep the job "running": the job ends when the
command does.

Environment: `start` reads lines `v NAME VALUE` then `end` from standard input, in the
subshell that becomes the command (so neither a PATH nor any other name can change what
the supervisor runs). VALUE is the value's bytes, every byte outside a small safe set
written as `\\0NNN` (octal), decoded by the `printf %b` builtin: values (secrets) never
appear on a command line, in a file, or in a pipe to another program. Names are checked
again here (`[A-Za-z_][A-Za-z0-9_]*`, not starting with `_gpueater_`, the prefix of the
scripts' own variables). Without the `end` line the input was cut short: nothing runs and
the job folder is removed, so the same job id may be started again.

Remote exit statuses 64 to 69 are this module's own (see `JOB_EXIT_REASONS`).
"""

from __future__ import annotations

__all__ = [
    "CANNOT_CREATE",
    "ENV_RESERVED_PREFIX",
    "FOLLOW_FAILED",
    "JOB_EXIT_REASONS",
    "LOST",
    "NO_SUCH_JOB",
    "STATE_UNREADABLE",
    "STREAM_PREAMBLE",
    "list_words",
    "mark_step_words",
    "start_words",
    "status_words",
    "step_done_words",
    "stop_words",
    "stream_words",
]

LOST = 65
NO_SUCH_JOB = 66
STATE_UNREADABLE = 67
CANNOT_CREATE = 68
FOLLOW_FAILED = 69

JOB_EXIT_REASONS = {
    LOST: "ended without recording an exit status (its supervisor is gone)",
    NO_SUCH_JOB: "does not exist",
    STATE_UNREADABLE: "has an unreadable state folder, or its environment did not arrive whole",
    CANNOT_CREATE: "cannot be created (its folders cannot be made or are not writable)",
    FOLLOW_FAILED: "cannot be followed (`tail --pid` of GNU coreutils is needed)",
}

ENV_RESERVED_PREFIX = "_gpueater_"

# Shared by every script: the job's folder from its id ($1), and whether its supervisor lives.
# alive() reads the supervisor file; a missing one means the start is still under way.
_PRELUDE = r"""unset CDPATH
_gpueater_dir=${HOME:?}/.gpueater/jobs/$1
alive() {
  [ -e "$_gpueater_dir/exit" ] && return 1
  [ -e "$_gpueater_dir/supervisor" ] || return 0
  read -r _gpueater_pid _gpueater_start _ <"$_gpueater_dir/supervisor" || return 1
  read -r _ _ _gpueater_state _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _gpueater_now _ \
    <"/proc/$_gpueater_pid/stat" 2>/dev/null || return 1
  [ "$_gpueater_now" = "$_gpueater_start" ] && [ "$_gpueater_state" != Z ]
}
"""

# $1 job folder, $2 working folder, $3... the command; stdin: the environment lines.
# The subshell reads the environment, exports it and execs the command; the supervisor
# waits for it in the foreground, so a TERM it catches runs its trap only after the
# command ended, and then records the status.
_SUPERVISOR = r"""_gpueater_dir=$1
trap : TERM INT
read -r _ _ _ _ _gpueater_group _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _gpueater_start _ </proc/$$/stat
if ! printf '%s %s %s\n' "$$" "$_gpueater_start" "$_gpueater_group" \
  >"$_gpueater_dir/.supervisor" ||
  ! mv -f -- "$_gpueater_dir/.supervisor" "$_gpueater_dir/supervisor"; then
  rm -rf -- "$_gpueater_dir"
  exit 67
fi
(
  _gpueater_complete=
  while IFS=' ' read -r _gpueater_kind _gpueater_name _gpueater_value; do
    case $_gpueater_kind in
      end) _gpueater_complete=1; break ;;
      v) ;;
      *) exit 67 ;;
    esac
    case $_gpueater_name in
      '' | [!A-Za-z_]* | *[!A-Za-z0-9_]* | _gpueater_*) exit 67 ;;
    esac
    _gpueater_value=$(printf '%bx' "$_gpueater_value")
    export "$_gpueater_name=${_gpueater_value%x}"
  done
  [ -n "$_gpueater_complete" ] || exit 67
  unset _gpueater_kind _gpueater_name _gpueater_value _gpueater_complete
  exec </dev/null
  : >"$_gpueater_dir/started"
  unset _gpueater_dir _gpueater_group _gpueater_start
  cd "$2" || exit 126
  shift 2
  # An asynchronous list starts with INT and QUIT ignored (POSIX) and no shell can undo
  # that; GNU env (coreutils 8.31+) can, so the command gets them as it would in a terminal.
  case $1 in
    *=*) ;;
    *) env --default-signal=INT,QUIT true 2>/dev/null &&
      exec env --default-signal=INT,QUIT -- "$@" ;;
  esac
  exec "$@"
) >>"$_gpueater_dir/stdout" 2>>"$_gpueater_dir/stderr"
_gpueater_status=$?
if [ ! -e "$_gpueater_dir/started" ]; then
  rm -rf -- "$_gpueater_dir"
  exit 67
fi
printf '%s\n' "$_gpueater_status" >"$_gpueater_dir/.exit" &&
  mv -f -- "$_gpueater_dir/.exit" "$_gpueater_dir/exit"
"""

# $1 job id, $2 the supervisor script, $3 working folder, $4... the command; stdin: the
# environment. Claims the job folder with one mkdir (a second start finds it and prints
# `exists`), starts the supervisor detached from this session's streams, and returns once
# the command has its environment (prints `started`), or 67 when the input was cut short.
_START = (
    _PRELUDE
    + r"""umask 077
mkdir -p -- "$HOME/.gpueater/jobs" && chmod 700 -- "$HOME/.gpueater" || exit 68
mkdir -p -- "$3" || exit 68
if ! mkdir -- "$_gpueater_dir" 2>/dev/null; then
  [ -d "$_gpueater_dir" ] || exit 68
  echo exists
  exit 0
fi
: >"$_gpueater_dir/stdout" && : >"$_gpueater_dir/stderr" || exit 68
_gpueater_supervisor=$2
_gpueater_cwd=$3
shift 3
exec 3<&0
nohup sh -c "$_gpueater_supervisor" gpueater-job "$_gpueater_dir" "$_gpueater_cwd" "$@" \
  <&3 >/dev/null 2>&1 &
_gpueater_pid=$!
exec 3<&-
while [ -d "$_gpueater_dir" ] && [ ! -e "$_gpueater_dir/started" ]; do
  read -r _ _ _gpueater_state _ <"/proc/$_gpueater_pid/stat" 2>/dev/null || break
  [ "$_gpueater_state" != Z ] || break
  sleep 0.05
done
[ -e "$_gpueater_dir/started" ] || exit 67
echo started
"""
)

# Printed on stdout and stderr before the job's bytes: what a login shell prints first is
# not the job's output (`_ssh.job_stream` drops it).
STREAM_PREAMBLE = b"gpueater-stream-v1\n"

# $1 job id, $2 and $3 tail's start positions (`+N`: from byte N, counting from 1) in
# stdout and stderr. Prints STREAM_PREAMBLE on both, then follows both files (stderr to
# this session's stderr) until the job ended and both are drained: tail --pid ends once
# the watcher has ended, after reading the files once more. tail's own complaints never
# mix into the job's streams.
_STREAM = (
    _PRELUDE
    + r"""[ -d "$_gpueater_dir" ] || exit 66
exec 3>&2 2>/dev/null
printf 'gpueater-stream-v1\n'
printf 'gpueater-stream-v1\n' >&3
(
  _gpueater_wait=0
  while alive; do
    if [ ! -e "$_gpueater_dir/supervisor" ]; then
      _gpueater_wait=$((_gpueater_wait + 1))
      [ "$_gpueater_wait" -lt 80 ] || exit
    fi
    sleep 0.25
  done
) </dev/null >/dev/null &
_gpueater_watcher=$!
tail -s 0.25 --pid="$_gpueater_watcher" -c "$2" -f -- "$_gpueater_dir/stdout" &
_gpueater_out=$!
tail -s 0.25 --pid="$_gpueater_watcher" -c "$3" -f -- "$_gpueater_dir/stderr" >&3 &
_gpueater_err=$!
wait "$_gpueater_out" || exit 69
wait "$_gpueater_err" || exit 69
[ -e "$_gpueater_dir/exit" ] || exit 65
"""
)

# $1 job id. One line: `exited STATUS OUT ERR`, `running - OUT ERR`, `lost - OUT ERR`
# or `starting - OUT ERR` (OUT, ERR: the sizes of stdout and stderr), or exit 66.
_STATUS = (
    _PRELUDE
    + r"""[ -d "$_gpueater_dir" ] || exit 66
_gpueater_out=$(wc -c <"$_gpueater_dir/stdout") || exit 67
_gpueater_err=$(wc -c <"$_gpueater_dir/stderr") || exit 67
if [ -e "$_gpueater_dir/exit" ]; then
  read -r _gpueater_code <"$_gpueater_dir/exit" || exit 67
  _gpueater_state=exited
elif [ ! -e "$_gpueater_dir/supervisor" ]; then
  _gpueater_state=starting _gpueater_code=-
elif alive; then
  _gpueater_state=running _gpueater_code=-
else
  _gpueater_state=lost _gpueater_code=-
fi
echo "$_gpueater_state" "$_gpueater_code" $_gpueater_out $_gpueater_err
"""
)

# $1 job id, $2 grace in tenths of a second. TERM to the job's process group, KILL to
# what is left after the grace; waits until the group is gone. An ended or lost job is
# left alone (a lost job's group id may belong to someone else by now). When KILL also
# hit the supervisor, the status it could not record is recorded here: 137.
_STOP = (
    _PRELUDE
    + r"""[ -d "$_gpueater_dir" ] || exit 66
_gpueater_wait=0
while [ ! -e "$_gpueater_dir/supervisor" ] && [ ! -e "$_gpueater_dir/exit" ]; do
  _gpueater_wait=$((_gpueater_wait + 1))
  [ "$_gpueater_wait" -lt 100 ] || exit 65
  sleep 0.1
done
alive || exit 0
read -r _ _ _gpueater_group <"$_gpueater_dir/supervisor" || exit 67
kill -s TERM -- "-$_gpueater_group" 2>/dev/null
_gpueater_wait=0
while kill -s 0 -- "-$_gpueater_group" 2>/dev/null && [ "$_gpueater_wait" -lt "$2" ]; do
  _gpueater_wait=$((_gpueater_wait + 1))
  sleep 0.1
done
kill -s KILL -- "-$_gpueater_group" 2>/dev/null
_gpueater_wait=0
while kill -s 0 -- "-$_gpueater_group" 2>/dev/null && [ "$_gpueater_wait" -lt 100 ]; do
  _gpueater_wait=$((_gpueater_wait + 1))
  sleep 0.05
done
if [ ! -e "$_gpueater_dir/exit" ]; then
  printf '137\n' >"$_gpueater_dir/.exit" && mv -f -- "$_gpueater_dir/.exit" "$_gpueater_dir/exit"
fi
"""
)

# The names of the job folders, one a line (an unusable name is the caller's to skip).
_LIST = r"""cd "${HOME:?}/.gpueater/jobs" 2>/dev/null || exit 0
for _gpueater_job in */; do
  [ -d "$_gpueater_job" ] && printf '%s\n' "${_gpueater_job%/}"
done
exit 0
"""

# $1 a marker (hex digest): exit 0 when it was recorded, 1 when not.
_STEP_DONE = r"""[ -e "${HOME:?}/.gpueater/setup/$1" ]"""

_MARK_STEP = r"""umask 077
mkdir -p -- "${HOME:?}/.gpueater/setup" && chmod 700 -- "$HOME/.gpueater" || exit 68
: >"$HOME/.gpueater/setup/.$1" && mv -f -- "$HOME/.gpueater/setup/.$1" "$HOME/.gpueater/setup/$1"
"""


def _sh(script: str, name: str, *args: str) -> list[str]:
    return ["sh", "-c", script, name, *args]


def start_words(job_id: str, cwd: str, command: list[str]) -> list[str]:
    """Remote words that start `command` as job `job_id` in `cwd` (environment on stdin).

    `job_id` and `cwd` must already be checked (`_ssh.job_remote` does)."""
    return _sh(_START, "gpueater-start", job_id, _SUPERVISOR, cwd, *command)


def stream_words(job_id: str, stdout_offset: int, stderr_offset: int) -> list[str]:
    """Remote words that follow the job's output from the given byte offsets (0: start)."""
    return _sh(_STREAM, "gpueater-follow", job_id, f"+{stdout_offset + 1}", f"+{stderr_offset + 1}")


def list_words() -> list[str]:
    return _sh(_LIST, "gpueater-jobs")


def status_words(job_id: str) -> list[str]:
    return _sh(_STATUS, "gpueater-status", job_id)


def stop_words(job_id: str, grace_tenths: int) -> list[str]:
    return _sh(_STOP, "gpueater-stop", job_id, str(grace_tenths))


def step_done_words(marker: str) -> list[str]:
    return _sh(_STEP_DONE, "gpueater-step-done", marker)


def mark_step_words(marker: str) -> list[str]:
    return _sh(_MARK_STEP, "gpueater-mark-step", marker)
