"""The pages whose code blocks are tested, and each block with its kind and markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt

__all__ = [
    "KINDS",
    "MARKERS",
    "REPOSITORY",
    "Block",
    "UnknownBlockError",
    "blocks_of",
    "page_id",
    "pages",
]

REPOSITORY = Path(__file__).resolve().parents[2]

# fence language -> what is done with it (sandbox.py does it)
KINDS = {
    "python": "run as a program against the page's emulator",
    "console": "a transcript, replayed against the page's emulator",
    "bash": "run as a bash script in the page's sandbox",
    "sh": "run as a bash script in the page's sandbox",
    "yaml": "a task file, read by the task-file reader",
    "json": "parsed as JSON",
    "toml": "parsed as TOML",
    "ini": "parsed as INI",
    "text": "needs a marker saying what it is (tree)",
}
# marker word -> the kinds it applies to
MARKERS = {
    "sshd": {"python", "console", "bash", "sh"},
    "parse": {"python", "console", "bash", "sh", "yaml"},
    "continues": {"python"},
    "pytest": {"python"},
    "file": set(KINDS),
    "config": {"json"},
    "tree": {"text"},
    "unconfigured": {"python", "console", "bash", "sh"},
}
_MARKER = re.compile(r"^\s*<!--\s*docs:\s*(.*?)\s*-->\s*$")


class UnknownBlockError(AssertionError):
    """A block the harness does not know how to check (the message names FILE:LINE)."""


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    language: str
    text: str
    markers: frozenset[str]
    file_name: str | None  # `<!-- docs: file NAME -->`

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(REPOSITORY)}:{self.line}"

    def has(self, marker: str) -> bool:
        return marker in self.markers


def pages() -> list[Path]:
    """README.md and every Markdown page under docs/, in a stable order."""
    return [REPOSITORY / "README.md", *sorted((REPOSITORY / "docs").rglob("*.md"))]


def page_id(page: Path) -> str:
    return str(page.relative_to(REPOSITORY))


@cache
def blocks_of(page: Path) -> tuple[Block, ...]:
    """The page's code blocks as a CommonMark parser finds them (fences in lists and
    admonitions too), each checked to be of a kind the harness knows."""
    source = page.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for token in MarkdownIt("commonmark").parse(source):
        if token.type not in ("fence", "code_block") or token.map is None:
            continue
        line = token.map[0] + 1
        where = f"{page.relative_to(REPOSITORY)}:{line}"
        if token.type == "code_block":
            raise UnknownBlockError(
                f"{where}: an indented code block; write it as a fenced block with a "
                f"language ({', '.join(KINDS)}) so the tests can check it"
            )
        language = token.info.split()[0] if token.info.split() else ""
        if language not in KINDS:
            raise UnknownBlockError(
                f"{where}: a ```{language} block, which the tests cannot check; use one of "
                f"{', '.join(KINDS)} (tests/docs/pages.py)"
            )
        markers, file_name = _markers(lines, token.map[0], where)
        for marker in markers:
            if language not in MARKERS[marker]:
                raise UnknownBlockError(f"{where}: marker `{marker}` on a ```{language} block")
        if language == "text" and "tree" not in markers:
            raise UnknownBlockError(
                f"{where}: a ```text block must say what it is (`<!-- docs: tree -->` above "
                "it), or be another kind"
            )
        found.append(Block(page, line, language, token.content, markers, file_name))
    return tuple(found)


def _markers(lines: list[str], fence: int, where: str) -> tuple[frozenset[str], str | None]:
    """The `<!-- docs: ... -->` line just above the fence (one blank line may part them)."""
    above = fence - 1
    if above >= 0 and not lines[above].strip():
        above -= 1
    found = _MARKER.match(lines[above]) if above >= 0 else None
    if found is None:
        return frozenset(), None
    words = found.group(1).split()
    file_name = None
    if "file" in words:
        at = words.index("file")
        if at + 1 >= len(words):
            raise UnknownBlockError(f"{where}: `file` needs a name: <!-- docs: file task.yaml -->")
        file_name = words.pop(at + 1)
    unknown = sorted(set(words) - set(MARKERS))
    if unknown:
        raise UnknownBlockError(
            f"{where}: unknown marker {', '.join(unknown)}; known: {', '.join(MARKERS)}"
        )
    return frozenset(words), file_name
