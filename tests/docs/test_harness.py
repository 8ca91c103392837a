"""The harness itself: a block it cannot check fails naming FILE:LINE, and the transcript
notation matches what it says and nothing more (a notation that matched anything would
make every transcript pass)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs import pages, transcript
from tests.docs.pages import UnknownBlockError, blocks_of


def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    monkeypatch.setattr(pages, "REPOSITORY", tmp_path)
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    blocks_of.cache_clear()
    return path


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("# T\n\n```\nplain\n```\n", 3, "a ``` block"),
        ("# T\n\n```pycon\n>>> 1\n```\n", 3, "a ```pycon block"),
        ("# T\n\n    indented code\n", 3, "an indented code block"),
        ("# T\n\n```text\nwhat is this\n```\n", 3, "must say what it is"),
        ("# T\n\n<!-- docs: sshd-ish -->\n```python\npass\n```\n", 4, "unknown marker"),
        ("# T\n\n<!-- docs: tree -->\n```python\npass\n```\n", 4, "marker `tree`"),
        ("- item\n\n  ```rust\n  fn main() {}\n  ```\n", 3, "a ```rust block"),
    ],
)
def test_a_block_the_tests_cannot_check_fails_naming_its_line(
    tmp_path, monkeypatch, text, line, says
):
    with pytest.raises(UnknownBlockError) as failed:
        blocks_of(page(tmp_path, monkeypatch, text))
    assert str(failed.value).startswith(f"page.md:{line}: ")
    assert says in str(failed.value)


def test_markers_are_read_from_the_comment_above_the_fence(tmp_path, monkeypatch):
    text = "<!-- docs: parse file task.yaml -->\n\n```yaml\nname: x\n```\n\n```json\n{}\n```\n"
    first, second = blocks_of(page(tmp_path, monkeypatch, text))
    assert (first.line, first.language, first.markers, first.file_name) == (
        3, "yaml", frozenset({"parse", "file"}), "task.yaml",
    )  # fmt: skip
    assert (second.line, second.markers, second.file_name) == (7, frozenset(), None)


def test_a_transcript_splits_into_commands_and_their_output():
    steps = transcript.steps(
        "# a comment\n$ gpueater products\nID  NAME\n1   a\n$ gpueater show \\\n  x\n"
    )
    assert [(s.line, s.command, s.expected) for s in steps] == [
        (1, "gpueater products", ["ID  NAME", "1   a"]),
        (4, "gpueater show x", []),
    ]
    with pytest.raises(transcript.TranscriptError, match="output before any"):
        transcript.steps("output\n$ true\n")


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        (["a  b"], "a    b   \n"),  # runs of spaces, trailing spaces
        (["id gpueater-..."], "id gpueater-brave-1f2e3d4c\n"),
        (["one", "...", "four"], "one\ntwo\nthree\nfour\n"),
        (["one", "...", "two"], "one\ntwo\n"),  # `...` lines: none too
        ([], ""),
    ],
)
def test_the_notation_matches_what_varies(expected, actual):
    assert transcript.matches(expected, actual)


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        (["a b"], "a b c\n"),  # a line matches whole
        (["a b"], "ab\n"),  # a run of spaces is at least one
        (["one"], "one\ntwo\n"),  # no more lines than shown
        ([], "something\n"),  # nothing shown: nothing printed
        (["x ...", "y"], "x 1\nz\ny\n"),  # `...` inside a line stays in that line
        (["1 passed"], "10 passed\n"),
    ],
)
def test_the_notation_matches_nothing_else(expected, actual):
    assert not transcript.matches(expected, actual)


def replay(tmp_path, monkeypatch, emulator, text: str) -> None:
    from tests.docs.sandbox import Sandbox

    (block,) = blocks_of(page(tmp_path, monkeypatch, text))
    Sandbox(tmp_path / "home", emulator).check(block)


def test_a_transcript_passes_as_shown_and_fails_when_the_command_says_otherwise(
    tmp_path, monkeypatch, emulator
):
    shown = (
        "```console\n$ gpueater instances -o json\n[]\n"
        "$ gpueater show nosuch\n...\n$ echo $?\n3\n```\n"
    )
    replay(tmp_path, monkeypatch, emulator, shown)
    for attempt, (wrong, says) in enumerate(
        [
            (shown.replace("[]", "[1]"), "printed other than the page shows"),
            (shown.replace("\n3\n", "\n1\n"), "printed other than the page shows"),
            (shown.replace("$ echo $?\n3\n", ""), "exited 3"),
        ]
    ):
        with pytest.raises(AssertionError, match=says) as failed:
            replay(tmp_path / str(attempt), monkeypatch, emulator, wrong)
        assert "page.md:" in str(failed.value)
