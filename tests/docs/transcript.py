"""A console block as a transcript: its commands, the output each must print, and the
notation for what varies from run to run.

    $ gpueater products            <- a command: `$ ` then what a user types
    ID  NAME      GPU ...          <- its output (stdout and stderr together), up to the
    ...                               next `$ ` line

- Trailing spaces are ignored, and a run of spaces in the expected text matches any run
  of spaces, so a table whose columns widen with a longer id still matches.
- `...` inside a line matches any text on that line (`gpueater-...`, `port ...`).
- A line that is only `...` matches any number of lines, none included.
- A command with no line under it must print nothing.
- A command must exit 0, unless the next command is `$ echo $?`, whose output line is then
  the exit code it must have exited with.
- Lines starting with `# ` before the first command are comments; a command may end in
  ` \\` to continue on the next line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

__all__ = ["Step", "TranscriptError", "matches", "mismatch", "steps"]

ELLIPSIS = "..."


class TranscriptError(AssertionError):
    pass


@dataclass
class Step:
    line: int  # offset of the command's line within the block (0-based)
    command: str
    expected: list[str] = field(default_factory=list)


def steps(text: str) -> list[Step]:
    found: list[Step] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("$ ") or line == "$":
            start = index
            command = line[2:]
            while command.endswith("\\") and index + 1 < len(lines):
                index += 1
                command = command[:-1].rstrip() + " " + lines[index].strip()
            found.append(Step(start, command.strip()))
        elif found:
            found[-1].expected.append(line)
        elif line.strip() and not line.startswith("# "):
            raise TranscriptError(
                f"line {index + 1} of the block: output before any `$ ` command "
                "(comments before the first command start with `# `)"
            )
        index += 1
    if not found:
        raise TranscriptError("a console block without a `$ ` command")
    return found


def _line_pattern(expected: str) -> str:
    parts = [re.escape(part) for part in expected.rstrip().split(ELLIPSIS)]
    pattern = ".*?".join(parts)
    return re.sub(r"(\\ )+", " +", pattern)  # a run of spaces matches any run


def _pattern(expected: list[str]) -> re.Pattern[str]:
    pieces = []
    for line in expected:
        if line.strip() == ELLIPSIS:
            pieces.append(r"(?:[^\n]*\n)*?")
        else:
            pieces.append(_line_pattern(line) + r"[ \t]*\n")
    return re.compile("".join(pieces))


def _normal(actual: str) -> str:
    lines = [line.rstrip() for line in actual.splitlines()]
    return "".join(line + "\n" for line in lines)


def matches(expected: list[str], actual: str) -> bool:
    return _pattern(expected).fullmatch(_normal(actual)) is not None


def mismatch(expected: list[str], actual: str) -> str:
    """A diff of what the page shows against what the command printed."""
    diff = difflib.unified_diff(
        expected, _normal(actual).splitlines(), "the page", "the command printed", lineterm=""
    )
    return "\n".join(diff)
