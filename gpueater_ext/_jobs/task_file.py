"""Reading a task file: YAML with line numbers, checked against the shipped JSON Schema.

Every mistake is found before anything is launched and reported as one line naming the
file, the line and the key, with the closest valid key when one is near:

    task.yaml:3: unknown key `workdri`; did you mean `workdir`?

The YAML is composed into nodes first (PyYAML's SafeLoader: no Python objects, no tags
that run code), so each key's and each list item's line is known; the data built from the
same nodes is then validated with jsonschema against `task.schema.json`, the file
`gpueater run --schema` prints. Of several mistakes the first in the file is reported, so
fixing them top to bottom converges.

Bounds, since a task file may come from anywhere: at most `MAX_TASK_FILE_BYTES`, UTF-8,
one document, keys that are text and appear once per mapping. An `env` value is taken as
written (`PORT: 08080` is the text "08080", not YAML 1.1's octal number), which is what a
shell user expects of an environment variable.

PyYAML and jsonschema are imported here only, and this module only by `run`.
"""

from __future__ import annotations

import difflib
import json
import os
import stat
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gpueater_ext._errors import InvalidArgumentError, NotFoundError
from gpueater_ext._jobs.task import NOT_A_NAME, NOT_A_VARIABLE_NAME, Resources, Task

if TYPE_CHECKING:
    import jsonschema
    import yaml

__all__ = [
    "MAX_TASK_FILE_BYTES",
    "TaskFileError",
    "load_task",
    "read_task_fields",
    "schema_text",
]

MAX_TASK_FILE_BYTES = 1024 * 1024  # a task is a page of YAML; a megabyte is a mistake

_Path = tuple[str | int, ...]  # a place in the data: keys and list indexes


class TaskFileError(InvalidArgumentError):
    """A task file that cannot be used: the message is `FILE:LINE: what is wrong`."""


def schema_text() -> str:
    """The task file's JSON Schema, as shipped in the package."""
    return resources.files("gpueater_ext._jobs").joinpath("task.schema.json").read_text("utf-8")


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_text())
    return schema


def load_task(path: str | os.PathLike[str]) -> Task:
    """The Task a task file describes (see `read_task_fields` for what is checked)."""
    fields = read_task_fields(path)
    if "run" not in fields:
        raise TaskFileError(f"{path}: run: the file says nothing to run; add `run:`")
    try:
        return Task(**{**fields, "resources": Resources(**fields["resources"])})
    except InvalidArgumentError as error:
        raise TaskFileError(f"{path}: {error}") from None


def read_task_fields(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The task file's fields as keyword arguments of Task, with `resources` as a mapping
    of Resources' keyword arguments and paths resolved against the file's folder, for a
    caller that merges its own choices in (`gpueater run`'s options) before making the
    Task. A file without `run` gives no `run`: the caller supplies it or Task refuses."""
    file = Path(path)
    text = _read_bounded(file)
    data, lines = _parse(text, str(file))
    _validate(data, lines, str(file))
    return _fields(data, file.parent)


def _read_bounded(file: Path) -> str:
    try:
        # O_NONBLOCK: a FIFO named as the task file opens at once instead of waiting for a
        # writer; it is then refused as not a regular file.
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise NotFoundError(f"task file {file} does not exist") from None
    except IsADirectoryError:
        raise TaskFileError(f"{file} is a folder, not a task file") from None
    except OSError as error:
        raise TaskFileError(f"cannot read task file {file}: {error.strerror}") from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise TaskFileError(f"{file} is a folder, not a task file")
        if not stat.S_ISREG(info.st_mode):
            raise TaskFileError(f"{file} is not a regular file (a device or a pipe?)")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            content = handle.read(MAX_TASK_FILE_BYTES + 1)
    except OSError as error:
        raise TaskFileError(f"cannot read task file {file}: {error.strerror}") from None
    finally:
        os.close(descriptor)
    if len(content) > MAX_TASK_FILE_BYTES:
        raise TaskFileError(
            f"{file} is larger than {MAX_TASK_FILE_BYTES // 1024} KiB; a task file is a page "
            "of YAML (is this the right file?)"
        )
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TaskFileError(
            f"{file}: byte {error.start} is not UTF-8; save the task file as UTF-8"
        ) from None


def _parse(text: str, source: str) -> tuple[Any, dict[_Path, int]]:
    """The data of the one YAML document in `text`, and the line of each key and item."""
    import yaml

    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = error.problem or error.context or "not valid YAML"
        raise TaskFileError(f"{source}{line}: not valid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise TaskFileError(f"{source}: not valid YAML: {error}") from None
    except RecursionError:
        raise TaskFileError(f"{source}: nested too deeply to be a task file") from None
    if node is None:
        raise TaskFileError(f"{source}: the file is empty; a task needs at least `run:`")
    if not isinstance(data, dict):
        raise TaskFileError(
            f"{source}:{node.start_mark.line + 1}: a task file is a mapping of keys "
            f"(run:, workdir:, ...), not {_kind(data)}"
        )
    lines: dict[_Path, int] = {}
    _note_lines(node, (), lines, set(), source)
    if isinstance(data.get("env"), dict):
        _env_as_written(node, data)
    return data, lines


def _note_lines(
    node: yaml.Node, where: _Path, lines: dict[_Path, int], seen: set[int], source: str
) -> None:
    """Record the line of every key and list item under `node`; refuse a key that is not
    text or that appears twice in one mapping (PyYAML would keep the last one silently)."""
    import yaml

    if id(node) in seen:  # an alias: its lines are where the anchor is
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":str")):
                raise TaskFileError(
                    f"{source}:{line}: a key must be text (a name such as `run`); quote it"
                )
            key = key_node.value
            if key in keys:
                raise TaskFileError(
                    f"{source}:{line}: key `{_dotted((*where, key))}` appears twice; keep one"
                )
            keys.add(key)
            lines[(*where, key)] = line
            _note_lines(value_node, (*where, key), lines, seen, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*where, index)] = item.start_mark.line + 1
            _note_lines(item, (*where, index), lines, seen, source)


def _env_as_written(root: yaml.Node, data: dict[str, Any]) -> None:
    """Replace each scalar `env` value by its text as written in the file."""
    import yaml

    if not isinstance(root, yaml.MappingNode):
        return
    for key_node, value_node in root.value:
        if key_node.value != "env" or not isinstance(value_node, yaml.MappingNode):
            continue
        for name_node, item in value_node.value:
            if isinstance(item, yaml.ScalarNode) and not item.tag.endswith(":null"):
                data["env"][name_node.value] = item.value


def _validate(data: dict[str, Any], lines: dict[_Path, int], source: str) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    mistakes = [
        mistake for error in validator.iter_errors(data) for mistake in _explain(error, lines)
    ]
    if not mistakes:
        return
    mistakes.sort()  # by line, then text: the same file always reports the same mistake
    line, text = mistakes[0]
    more = f" (and {len(mistakes) - 1} more)" if len(mistakes) > 1 else ""
    raise TaskFileError(f"{source}:{line}: {text}{more}")


def _explain(error: jsonschema.ValidationError, lines: dict[_Path, int]) -> list[tuple[int, str]]:
    """(line, message) for each mistake in one schema violation (one per unknown key), in
    words a task file's author uses."""
    where: _Path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(schema.get("properties", {}))
        unknown = set(error.instance) - set(known)
        return [
            (_line(lines, (*where, name)), _unknown_key(where, name, known)) for name in unknown
        ]
    return [_explain_one(error, lines)]


def _explain_one(error: jsonschema.ValidationError, lines: dict[_Path, int]) -> tuple[int, str]:
    where: _Path = tuple(error.absolute_path)
    key = _dotted(where) or "the task"
    schema = error.schema if isinstance(error.schema, dict) else {}
    if "propertyNames" in error.schema_path:
        # jsonschema reports the mapping as the place and the bad name as the instance.
        place = (*where, str(error.instance))
        return _line(lines, place), f"`{_dotted(place)}`: {NOT_A_VARIABLE_NAME}"
    line = _line(lines, where)
    if error.validator == "type":
        wanted = schema.get("type")
        kinds = [str(kind) for kind in (wanted if isinstance(wanted, list) else [wanted])]
        expected = " or ".join(_TYPE_WORDS.get(kind, kind) for kind in kinds)
        return line, f"`{key}` must be {expected}, not {_kind(error.instance)}"
    if error.validator == "enum":
        choices = [str(choice) for choice in schema.get("enum", [])]
        close = difflib.get_close_matches(str(error.instance), choices, n=1)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        return line, f"`{key}` is {error.instance!r}, not one of {', '.join(choices)}{hint}"
    if error.validator in ("minLength", "minItems"):
        return line, f"`{key}` is empty"
    if error.validator == "minimum":
        return line, f"`{key}` must be {schema.get('minimum')} or more, not {error.instance!r}"
    if error.validator == "pattern":
        what = NOT_A_NAME if where == ("name",) else NOT_A_VARIABLE_NAME
        return line, f"`{key}`: {error.instance!r} is {what}"
    return line, f"`{key}`: {error.message}"


_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
}


def _unknown_key(where: _Path, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    shown = _dotted((*where, name))
    if close:
        return f"unknown key `{shown}`; did you mean `{_dotted((*where, close[0]))}`?"
    return f"unknown key `{shown}` (valid keys here: {', '.join(known)})"


def _line(lines: dict[_Path, int], where: _Path) -> int:
    """The line of `where`, or of its nearest ancestor the file spells out (an alias)."""
    for length in range(len(where), 0, -1):
        if where[:length] in lines:
            return lines[where[:length]]
    return 1


def _dotted(where: _Path) -> str:
    parts: list[str] = []
    for part in where:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts)


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__  # a date or timestamp YAML recognised


def _texts(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _fields(data: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Task's keyword arguments from validated data; relative paths start at `folder`."""
    fields: dict[str, Any] = {}
    scalars = ("name", "setup", "run", "teardown", "max_duration", "idle_timeout")
    for key in (*scalars, "shutdown_on_expiry", "nodes"):
        if key in data:
            fields[key] = data[key]
    for key in ("exclude", "outputs", "secrets"):
        if key in data:
            fields[key] = _texts(data[key])
    for key in ("workdir", "outputs_dir"):
        if key in data:
            fields[key] = folder / Path(data[key]).expanduser()
    if "env" in data:
        fields["env"] = dict(data["env"])
    resources = dict(data.get("resources") or {})
    if "product" in resources:
        resources["products"] = _texts(resources.pop("product"))
    fields["resources"] = resources
    return fields
