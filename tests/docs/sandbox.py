"""One page's sandbox: its emulator, a fresh HOME, and how each kind of block is checked.

A plain `gpueater ...` line runs in this process through the installed command's entry
point (tests/support/in_process.py, stdout and stderr merged as `2>&1` merges them); a line
with shell syntax (pipes, redirections, variables) runs under bash, where `gpueater` is the
installed console script next to this interpreter. Either way with HOME, the working folder
and GPUEATER_* of the sandbox only.
"""

from __future__ import annotations

import ast
import configparser
import importlib
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.docs import transcript
from tests.docs.pages import REPOSITORY, Block
from tests.support.in_process import run_in_process

__all__ = ["Sandbox", "check_pip_line", "check_tree"]

BIN = Path(sys.executable).parent
COMMAND_TIMEOUT = 180  # `gpueater run` against sshd takes seconds; a hang must still end
_IMPORTED_PACKAGES = ("gpueater", "gpueater_ext", "gpueater_emulator")
_SHELL_SYNTAX = re.compile(r"[|&;<>()$`*?~\\]")


@dataclass
class Sandbox:
    home: Path
    emulator: Any  # gpueater_emulator.pytest_plugin.EmulatorProcess
    cwd: Path = field(init=False)
    exported: dict[str, str] = field(default_factory=dict)
    program: str = ""  # the python blocks so far, for one that `continues`

    def __post_init__(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.cwd = self.home

    def environment(self, block: Block) -> dict[str, str]:
        keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "GPUEATER_REQUIRE_SSHD", "SSH_AUTH_SOCK")
        env = {name: os.environ[name] for name in keep if name in os.environ}
        env.pop("SSH_AUTH_SOCK", None)  # the developer's agent is not the reader's
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
        env.update(HOME=str(self.home), NO_COLOR="1", PYTHONDONTWRITEBYTECODE="1")
        env.update(
            EMULATOR_URL=self.emulator.url,
            EMULATOR_EMAIL=self.emulator.email,
            EMULATOR_PASSWORD=self.emulator.password,
        )
        if not block.has("unconfigured"):
            env.update(
                GPUEATER_URL=self.emulator.url,
                GPUEATER_EMAIL=self.emulator.email,
                GPUEATER_PASSWORD=self.emulator.password,
            )
        env.update(self.exported)
        return env

    # --- each kind -------------------------------------------------------------------

    def check(self, block: Block) -> None:
        if block.file_name is not None:
            target = self.cwd / block.file_name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
        checker = getattr(self, f"_{block.language}")
        checker(block)

    def _python(self, block: Block) -> None:
        if block.has("parse"):
            check_python_names(block)
            return
        if block.has("pytest"):
            self._pytest(block)
            return
        program = self.program + block.text if block.has("continues") else block.text
        self.program = program
        script = self.home / ".docs-blocks" / f"block_{block.line}.py"
        script.parent.mkdir(exist_ok=True)
        script.write_text(program, encoding="utf-8")
        done = self._run([sys.executable, "-W", "error", str(script)], block)
        assert done.returncode == 0, f"{block.where}: the block failed:\n{done.stdout}"

    def _pytest(self, block: Block) -> None:
        folder = self.home / f".docs-pytest-{block.line}"
        folder.mkdir()
        (folder / "test_docs_block.py").write_text(block.text, encoding="utf-8")
        env = {k: v for k, v in self.environment(block).items() if not k.startswith("GPUEATER_")}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider",
             "-p", "gpueater_emulator.pytest_plugin", str(folder)],
            cwd=folder, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=COMMAND_TIMEOUT, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{block.where}: its tests failed:\n{done.stdout}"
        assert re.search(r"\b\d+ passed\b", done.stdout), f"{block.where}: no test passed"

    def _console(self, block: Block) -> None:
        try:
            steps = transcript.steps(block.text)
        except transcript.TranscriptError as error:
            raise AssertionError(f"{block.where}: {error}") from None
        if block.has("parse"):
            for step in steps:
                check_command_line(step.command, block, block.line + 1 + step.line)
            return
        last_code: int | None = None
        for index, step in enumerate(steps):
            where = f"{block.where.rsplit(':', 1)[0]}:{block.line + 1 + step.line}"
            output, code = self._step(step.command, block, where, last_code)
            following = steps[index + 1].command if index + 1 < len(steps) else ""
            if code != 0 and following != "echo $?":
                raise AssertionError(
                    f"{where}: `{step.command}` exited {code} (show an expected failure "
                    f"with `$ echo $?` after it):\n{output}"
                )
            if not transcript.matches(step.expected, output):
                raise AssertionError(
                    f"{where}: `{step.command}` printed other than the page shows:\n"
                    + transcript.mismatch(step.expected, output)
                )
            last_code = code

    def _step(
        self, command: str, block: Block, where: str, last_code: int | None
    ) -> tuple[str, int]:
        words = shlex.split(command, comments=True)
        if not words:
            return "", 0
        if words == ["echo", "$?"]:
            assert last_code is not None, f"{where}: `echo $?` before any command"
            return f"{last_code}\n", 0
        if words[0] == "cd" and len(words) == 2:
            self.cwd = (self.cwd / os.path.expandvars(words[1])).resolve()
            assert self.cwd.is_dir(), f"{where}: cd: no folder {self.cwd}"
            return "", 0
        if words[0] == "export":
            for assignment in words[1:]:
                name, _, value = assignment.partition("=")
                self.exported[name] = os.path.expandvars(value)
            return "", 0
        if words[0] in ("pip", "pipx", "python", "python3") and "install" in words:
            check_pip_line(words, where)
            return "", 0
        if words[0] == "make":
            check_make_line(words, where)
            return "", 0
        if words[0] == "gpueater" and not _SHELL_SYNTAX.search(command):
            # A plain command line: run in this process through the installed command's
            # entry point (tests/support/in_process.py), which saves a Python start-up per
            # line; the shell runs anything with pipes, redirections or variables.
            code, output, _ = run_in_process(
                words[1:], stdin="", env=self.environment(block), cwd=self.cwd, merged=True
            )
            return output, code
        done = self._run(["bash", "-c", command], block)
        return done.stdout, done.returncode

    def _bash(self, block: Block) -> None:
        if block.has("parse"):
            done = subprocess.run(["bash", "-n"], input=block.text, capture_output=True,
                                  text=True, check=False)  # fmt: skip
            assert done.returncode == 0, f"{block.where}: not bash: {done.stderr}"
            return
        done = self._run(["bash", "-euo", "pipefail", "-c", block.text], block)
        assert done.returncode == 0, f"{block.where}: the script failed:\n{done.stdout}"

    _sh = _bash

    def _yaml(self, block: Block) -> None:
        if block.has("parse"):
            yaml.safe_load(block.text)
            return
        from tests.docs.readers import load_task

        path = self.home / ".docs-blocks" / f"task_{block.line}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(block.text, encoding="utf-8")
        try:
            load_task(path)
        except Exception as error:
            raise AssertionError(f"{block.where}: not a valid task file: {error}") from None

    def _json(self, block: Block) -> None:
        try:
            data = json.loads(block.text)
        except json.JSONDecodeError as error:
            raise AssertionError(f"{block.where}: not JSON: {error}") from None
        if block.has("config"):
            check_config(data, self.home / ".docs-config", block)

    def _toml(self, block: Block) -> None:
        try:
            tomllib.loads(block.text)
        except tomllib.TOMLDecodeError as error:
            raise AssertionError(f"{block.where}: not TOML: {error}") from None

    def _ini(self, block: Block) -> None:
        try:
            configparser.ConfigParser().read_string(block.text)
        except configparser.Error as error:
            raise AssertionError(f"{block.where}: not INI: {error}") from None

    def _text(self, block: Block) -> None:
        check_tree(block)

    def _run(self, argv: list[str], block: Block) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, cwd=self.cwd, env=self.environment(block), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=COMMAND_TIMEOUT, check=False,
        )  # fmt: skip


# --- checks that run nothing -------------------------------------------------------------


def check_python_names(block: Block) -> None:
    """`parse`: the block compiles, and each name it imports from this project exists."""
    try:
        tree = ast.parse(block.text)
    except SyntaxError as error:
        raise AssertionError(f"{block.where}: not Python: {error}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] not in _IMPORTED_PACKAGES:
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert alias.name == "*" or hasattr(module, alias.name), (
                    f"{block.where}: {node.module} has no {alias.name}"
                )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in _IMPORTED_PACKAGES:
                    importlib.import_module(alias.name)


def check_command_line(command: str, block: Block, line: int) -> None:
    """`parse`: a `gpueater ...` line names a real command with options it accepts."""
    where = f"{block.where.rsplit(':', 1)[0]}:{line}"
    words = shlex.split(command, comments=True)
    if not words or words[0] != "gpueater":
        return
    cut = words.index("--") if "--" in words else len(words)
    env = {**os.environ, "HOME": "/nonexistent"}
    code, _, errors = run_in_process([*words[1:cut], "--help"], stdin="", env=env, cwd=REPOSITORY)
    assert code == 0, f"{where}: `{command}` is not a command line gpueater accepts:\n{errors}"


def check_pip_line(words: list[str], where: str) -> None:
    """`pip install ...` is not run (no index here): what it installs must be this project,
    with extras that exist."""
    extras = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    targets = [word for word in words[words.index("install") + 1 :] if not word.startswith("-")]
    assert targets, f"{where}: `{shlex.join(words)}` installs nothing"
    for target in targets:
        found = re.fullmatch(r"(gpueater|\.)(?:\[([\w,-]+)\])?([<>=!~].*)?", target)
        assert found, f"{where}: `{target}` is not this project (gpueater, or . in a checkout)"
        for extra in (found.group(2) or "").split(","):
            assert not extra or extra in extras, f"{where}: gpueater has no extra [{extra}]"


def check_make_line(words: list[str], where: str) -> None:
    """`make TARGET` is not run here (make test would run the suite in the suite): each
    target must exist, which `make -n` answers without running anything."""
    for target in words[1:]:
        if "=" in target or target.startswith("-"):
            continue
        done = subprocess.run(["make", "-n", target], cwd=REPOSITORY, capture_output=True,
                              text=True, timeout=60, check=False)  # fmt: skip
        assert "No rule to make target" not in done.stderr, f"{where}: no make target {target}"


def check_config(data: object, folder: Path, block: Block) -> None:
    """`config`: an ~/.eater file; every profile in it loads."""
    from gpueater_ext import load_config

    assert isinstance(data, dict), f"{block.where}: a config file is an object of profiles"
    assert data, f"{block.where}: a config file without a profile"
    folder.mkdir(exist_ok=True)
    path = folder / ".eater"
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(0o600)
    for profile in data:
        try:
            load_config(profile=profile, config_file=path, environ={})
        except Exception as error:
            raise AssertionError(f"{block.where}: profile {profile!r}: {error}") from None


def check_tree(block: Block) -> None:
    """`tree`: one line per folder (`name/   what it holds`); each folder named exists, and
    every top-level folder git tracks is named. Every wrong line is reported at once."""
    named, wrong = [], []
    for number, line in enumerate(block.text.splitlines(), start=block.line + 1):
        folder = line.split()[0] if line.split() else ""
        if not folder:
            continue
        where = f"{block.where.rsplit(':', 1)[0]}:{number}"
        if not folder.endswith("/"):
            wrong.append(f"{where}: a tree line starts with a folder: `name/`")
        elif not (REPOSITORY / folder).is_dir():
            wrong.append(f"{where}: there is no folder {folder}")
        named.append(folder.rstrip("/"))
    tracked = subprocess.run(["git", "ls-files"], cwd=REPOSITORY, capture_output=True,
                             text=True, check=True).stdout.splitlines()  # fmt: skip
    top = {path.split("/")[0] for path in tracked if "/" in path and not path.startswith(".")}
    missing = sorted(top - set(named))
    if missing:
        wrong.append(f"{block.where}: the tree leaves out {', '.join(missing)}")
    assert not wrong, "\n".join(wrong)
