"""The processes below one we started, found and ended by (pid, start time) (Linux /proc).

A pid alone can be reused by an unrelated process once ours ended; the start time field of
/proc/<pid>/stat, with the pid, names one process for good.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

__all__ = [
    "descendants",
    "end_leftover",
    "end_process_tree",
    "process_start_time",
    "record_process",
    "signal_if_same",
]


def process_start_time(pid: int) -> str | None:
    """The start time field of /proc/<pid>/stat: with the pid, identifies one process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces; the fields after its ')' are fixed.
    fields = stat.rpartition(")")[2].split()
    # A zombie has ended already; only its parent (or init) can reap it.
    return None if fields[0] == "Z" else fields[19]


def descendants(root_pid: int) -> list[tuple[int, str]]:
    """(pid, start time) of every process below root_pid, read from /proc (Linux).

    sshd moves each connection into a new session (setsid), so a process group signal
    would miss them; walking the parent links finds them all.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[tuple[int, str]] = []
    pending = list(children.get(root_pid, []))
    while pending:
        pid = pending.pop()
        start_time = process_start_time(pid)
        if start_time is not None:
            found.append((pid, start_time))
        pending.extend(children.get(pid, []))
    return found


def signal_if_same(pid: int, start_time: str, signum: int) -> bool:
    """Send signum unless the pid now belongs to another process; True if it was still there."""
    if process_start_time(pid) != start_time:
        return False
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        return False
    return True


def end_process_tree(process: subprocess.Popen[bytes], grace_seconds: float) -> None:
    """SIGTERM `process` and everything below it, SIGKILL what is left after the grace."""
    tree = descendants(process.pid)
    process.terminate()
    for pid, start_time in tree:
        signal_if_same(pid, start_time, signal.SIGTERM)
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    deadline = time.monotonic() + grace_seconds
    remaining = tree
    while remaining and time.monotonic() < deadline:
        remaining = [(p, t) for p, t in remaining if process_start_time(p) == t]
        time.sleep(0.02)
    for pid, start_time in remaining:
        signal_if_same(pid, start_time, signal.SIGKILL)


def record_process(path: Path, pid: int | None) -> None:
    """Write `pid` and its start time to `path`, for `end_leftover` after a crash."""
    start_time = None if pid is None else process_start_time(pid)
    if pid is not None and start_time is not None:
        path.write_text(f"{pid} {start_time}\n")


def end_leftover(path: Path, grace_seconds: float = 2.0) -> None:
    """End the process `record_process` wrote to `path` and everything below it, if that
    very process (pid and start time) still runs; a pid reused since is left alone."""
    try:
        pid_text, start_time = path.read_text().split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return
    path.unlink(missing_ok=True)
    if process_start_time(pid) != start_time:
        return
    tree = [(pid, start_time), *descendants(pid)]
    for member, started in tree:
        signal_if_same(member, started, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    remaining = tree
    while remaining and time.monotonic() < deadline:
        remaining = [(p, t) for p, t in remaining if process_start_time(p) == t]
        time.sleep(0.02)
    for member, started in remaining:
        signal_if_same(member, started, signal.SIGKILL)
