"""A hostile instance's rsync, run by the test sshd's ForceCommand: it swallows the file
names the client asked for and runs the real `rsync --server --sender` with `--relative
--no-implied-dirs` on names of its own choosing, read from the JSON file given as the only
argument ({"folder": ..., "names": [...]}). So the client receives a file list it never
asked for: names below a link that the list never mentions, a link and then a file below
it. Usage: hostile_rsync.py PLAN.json (the client's command is in $SSH_ORIGINAL_COMMAND).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import threading


def _swallow_secluded_args() -> None:
    """The client's `-s` arguments arrive first on stdin: NUL-terminated, then an empty one."""
    seen = b""
    while not seen.endswith(b"\0\0"):
        byte = os.read(0, 1)
        if not byte:
            sys.exit(1)
        seen += byte


def main() -> int:
    with open(sys.argv[1]) as plan_file:
        plan = json.load(plan_file)
    server = shlex.split(os.environ["SSH_ORIGINAL_COMMAND"])
    _swallow_secluded_args()
    own = ["rsync", "--relative", "--no-implied-dirs", ".", *plan["names"]]
    sender = subprocess.Popen(
        [*server, "--relative", "--no-implied-dirs"], stdin=subprocess.PIPE, cwd=plan["folder"]
    )
    assert sender.stdin is not None
    sender.stdin.write(b"".join(word.encode() + b"\0" for word in own) + b"\0")
    sender.stdin.flush()

    def pump() -> None:
        assert sender.stdin is not None
        while chunk := os.read(0, 65536):
            sender.stdin.write(chunk)
            sender.stdin.flush()
        sender.stdin.close()

    threading.Thread(target=pump, daemon=True).start()
    return sender.wait()


if __name__ == "__main__":
    sys.exit(main())
