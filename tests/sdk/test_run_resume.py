"""A run whose ssh connection is killed mid-job: the job keeps running on the instance and
`run` reconnects, streaming from where it was, with no byte lost or repeated."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import Resources, Task
from tests.sdk.run_fixtures import Events, Recorder, live_instances, make_client, run_home

__all__ = ["run_home"]  # the fixture, used by name

# Waits, after its first line, for the test to say go: the kill lands mid-job, surely.
JOB = """\
echo first
echo err-first >&2
while [ ! -e go ]; do sleep 0.05; done
i=0; while [ $i -lt 200 ]; do echo "line $i"; i=$((i + 1)); done
echo err-last >&2
"""


def our_ssh_followers(job_id: str) -> list[int]:
    """This process's ssh children that follow the job's output."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ours = int(fields[1]) == os.getpid() and words[0].endswith(b"ssh")
        if ours and any(job_id.encode() in word for word in words):
            found.append(int(entry.name))
    return found


def test_a_killed_connection_is_resumed_with_no_output_lost(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    events = Events()
    killed: list[int] = []

    def kill_the_connection_once(seen: bytes) -> None:
        if killed or b"first\n" not in seen:
            return
        job = next(m.group(1) for line in events.lines if (m := re.search(r"\((run-\S+)\)", line)))
        instance_id = next(
            m.group(1)
            for line in events.lines
            if (m := re.search(r"launched resume \((\S+)\)", line))
        )
        killed.extend(our_ssh_followers(job))
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        workdir = gpueater_emulator_sshd.disk(instance_id) / "gpueater" / "resume"
        (workdir / "go").write_text("")

    stdout, stderr = Recorder(kill_the_connection_once), Recorder()
    task = Task(name="resume", run=JOB, resources=Resources(products=("a1.rx580",)))
    with make_client(gpueater_emulator_sshd) as eater:
        result = eater.run(task, stdout=stdout, stderr=stderr, on_event=events)

    assert len(killed) == 1
    assert result.exit_code == 0
    expected = "first\n" + "".join(f"line {i}\n" for i in range(200))
    assert stdout.text == expected
    assert stderr.text == "err-first\nerr-last\n"
    assert any("the connection dropped" in line for line in events.lines)
    assert live_instances(gpueater_emulator_sshd) == []
