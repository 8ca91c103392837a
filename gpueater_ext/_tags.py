"""The rule for the instance tags this tool sends, checked before anything is sent.

A tag is 1 to 40 characters: ASCII letters and digits, `.`, `_` and `-`, starting with a
letter or a digit. `HappyGPUProgramming`, `web-1`, `train_v2.3` and the generated
`gpueater-<adjective>-<8 hex digits>` are tags; `my job; rm -rf /`, a 300-character
name, `-x` and `spaced name` are not. A tag ending in `-launch-<12 hex digits>` is the
shape of this tool's launch tags (below) and is refused as a tag of one's own: an idempotent
launch would take an instance so tagged for one of its own launches.

While a launch is in flight the SDK sends the caller's tag as `TAG-launch-<12 hex digits>`
(see `_plans.launch`), 20 characters more: so the longest tag this tool ever sends is 60
characters, and `SENT_TAG` admits exactly the tags above and their launch tags.

Why this rule: a tag is typed on command lines, shown in tables and terminals and turned
into ssh-config Host names, so it holds no space, quote, `;` or control character; the
service's own limit is not published, and a tag it cut short would make a launch
unfindable by its launch tag, so the limit is one that leaves room. Only tags this tool
sends are checked (the CLI's `launch --tag` and `tag`, and `run --name` when it comes,
with `check_tag`; the SDK's launches and `change_instance_tag` raise InvalidArgumentError
before sending): tags the service
returns are never checked, so an instance tagged otherwise in the web console still lists,
shows and is named by its id.
"""

from __future__ import annotations

import re

from gpueater_ext._errors import InvalidArgumentError

__all__ = [
    "LAUNCH_INFIX",
    "LAUNCH_SUFFIX_HEX_DIGITS",
    "MAX_TAG_LENGTH",
    "SENT_TAG",
    "TAG_RULE",
    "check_tag",
]

MAX_TAG_LENGTH = 40
LAUNCH_INFIX = "-launch-"
LAUNCH_SUFFIX_HEX_DIGITS = 12
TAG_RULE = (
    f"a tag is 1 to {MAX_TAG_LENGTH} characters: ASCII letters, digits, '.', '_' and '-', "
    "starting with a letter or a digit"
)

_FIRST = "[A-Za-z0-9]"
_REST = "[A-Za-z0-9._-]"
_TAG = re.compile(f"{_FIRST}{_REST}{{0,{MAX_TAG_LENGTH - 1}}}")
_LAUNCH_SUFFIX = re.compile(re.escape(LAUNCH_INFIX) + f"[0-9a-f]{{{LAUNCH_SUFFIX_HEX_DIGITS}}}$")
# Every tag this tool sends: a tag of the rule, or a launch tag made from one.
SENT_TAG = re.compile(
    f"{_TAG.pattern}(?:{re.escape(LAUNCH_INFIX)}[0-9a-f]{{{LAUNCH_SUFFIX_HEX_DIGITS}}})?"
)
_SHOWN = 40  # characters of a refused tag quoted in the error


def check_tag(tag: object, what: str = "tag") -> str:
    """`tag` if it follows the rule (module docstring), else InvalidArgumentError naming
    `what` (`--tag`, `launch_ondemand_instance: tag`) and what is wrong with it."""
    if not isinstance(tag, str):
        raise InvalidArgumentError(f"{what}: expected a string, got {type(tag).__name__}")
    problem = _problem(tag)
    if problem is None:
        return tag
    shown = repr(tag) if len(tag) <= _SHOWN else f"{tag[:_SHOWN]!r}... ({len(tag)} characters)"
    raise InvalidArgumentError(f"{what} {shown}: {problem}; {TAG_RULE}")


def _problem(tag: str) -> str | None:
    if not tag:
        return "is empty"
    if len(tag) > MAX_TAG_LENGTH:
        return f"is longer than {MAX_TAG_LENGTH} characters"
    bad = sorted({c for c in tag if not re.fullmatch(_REST, c)})
    if bad:
        return f"{_listed(bad)} {'is' if len(bad) == 1 else 'are'} not allowed"
    if not re.fullmatch(_FIRST, tag[0]):
        return f"it starts with {tag[0]!r}"
    if _LAUNCH_SUFFIX.search(tag):
        suffix = f"{LAUNCH_INFIX}<{LAUNCH_SUFFIX_HEX_DIGITS} hex digits>"
        return f"it ends like a launch tag ('{suffix}', kept for launches in flight)"
    return None


def _listed(characters: list[str]) -> str:
    # repr shows a space, a quote or a control character unambiguously (' ', '\x1b').
    return ", ".join(repr(c) for c in characters)
