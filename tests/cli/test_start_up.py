"""What a `gpueater` call imports: what it uses, nothing else (issue 25).

Start-up time is measured by scripts/bench.py, never here; these tests pin its causes, as
module names a real process loaded (sys.modules), so that no import can drift
back into `gpueater --help` or `gpueater instances -o json` unnoticed. And the lazily
registered commands list exactly as registering them all would.
"""

from __future__ import annotations

import ast
import subprocess
import sys

from gpueater_ext.cli._command_index import INDEX
from tests.support.cli import Cli

# Loaded by neither command: each was once, or would be by one careless import.
FORBIDDEN_ALWAYS = (
    "httpx._main",  # httpx's own CLI: click, rich, pygments (gpueater_ext._httpx_main)
    "rich",  # only a table printed to a terminal needs it
    "pygments",
    "yaml",  # -o yaml only
    "jsonschema",
    "cryptography",
    "paramiko",
    "asyncssh",
    "asyncio",  # a blocking client's call needs no event loop
    "gpueater_ext._async_client",
    "gpueater_ext._bulk",
    "gpueater_ext._ssh",
    "gpueater_emulator",
)
FORBIDDEN_IN_HELP = (
    "httpx",
    "gpueater_client",
    "gpueater_ext._session",
    "gpueater_ext._models",
    "gpueater_ext._plans.reconcile",
    "gpueater_ext.cli.cmd_",  # no command module: --help lists them from the index
    "logging",  # --debug's log only (and httpx's, which help does not import)
    "shutil",  # click's help width: cli/_root._help_width reads it without shutil
    "traceback",  # --debug's report of a failure only
)
# Only a process that answers TAB (_GPUEATER_COMPLETE set) needs these (cli/_commands).
FORBIDDEN_UNLESS_COMPLETING = (
    "click.shell_completion",
    "gpueater_ext.cli._completion",
    "gpueater_ext.cli._shells",
)
# What `gpueater instances -o json` once imported and does not use (issue 25).
FORBIDDEN_IN_LISTING = (
    "importlib.metadata",  # the User-Agent's version is a constant (gpueater_ext._version)
    "gpueater_ext._plans.launch",  # only --tag's launch-tag match needs it
    "gpueater_ext._plans.wait",
    "gpueater_ext._jobs.",  # the method table loads each plan on first use (_methods)
    # (but the lease ledger, below: a listing shows each instance's lease)
    "gpueater_ext._instance_arg",  # a listing names no instance
    "gpueater_ext._api_list",
    "gpueater_ext._ssh",
    "csv",  # -o csv only
)
# The generated models an instance listing imports: importing them all was ~90 ms, and
# the answers' models (envelopes) are the generated client's parsing, which the SDK does
# not use (the endpoint template imports them where they parse). Only a login's form.
MODELS_FOR_A_LISTING = {"login_form"}


# Prints, as the process ends, every module it holds: sys.modules, not `-X importtime`,
# which does not see importlib.import_module (lazy commands and models load that way).
_REPORT_MODULES = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('MODULES', *sys.modules, file=sys.stderr))\n"
    "from gpueater_ext.cli import main\n"
    "main(sys.argv[1:])\n"
)


def imported(cli: Cli, *args: str) -> set[str]:
    """Every module the real `gpueater ARGS` process imported."""
    done = subprocess.run(
        [sys.executable, "-c", _REPORT_MODULES, *args],
        env=cli.env, cwd=cli.home, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


# Read by every listing: the EXPIRES IN column and `-o json`'s `lease` (cli/_lease_view).
NEEDED_BY_A_LISTING = frozenset({"gpueater_ext._jobs.leases"})


def offending(
    modules: set[str], forbidden: tuple[str, ...], needed: frozenset[str] = frozenset()
) -> list[str]:
    return sorted(
        module
        for module in modules - needed
        for prefix in forbidden
        if module == prefix
        or module.startswith(prefix.rstrip(".") + ("" if prefix.endswith("_") else "."))
    )


def test_help_imports_no_client_no_models_and_no_command_module(cli: Cli) -> None:
    modules = imported(cli, "--help")
    assert "click" in modules  # the parse above read what it should
    forbidden = FORBIDDEN_IN_HELP + FORBIDDEN_IN_LISTING + FORBIDDEN_UNLESS_COMPLETING
    assert offending(modules, FORBIDDEN_ALWAYS + forbidden) == []


def test_listing_instances_as_json_imports_only_what_it_uses(cli: Cli) -> None:
    modules = imported(cli, "instances", "-o", "json")
    assert "gpueater_ext.cli.cmd_instances" in modules
    assert "httpx" in modules
    forbidden = FORBIDDEN_IN_LISTING + FORBIDDEN_UNLESS_COMPLETING
    assert offending(modules, FORBIDDEN_ALWAYS + forbidden, NEEDED_BY_A_LISTING) == []
    commands = {m for m in modules if m.startswith("gpueater_ext.cli.cmd_")}
    assert commands == {"gpueater_ext.cli.cmd_instances"}
    models = {m.rsplit(".", 1)[1] for m in modules if m.startswith("gpueater_client.models.")}
    assert models <= MODELS_FOR_A_LISTING, models


def test_a_listing_on_a_cached_session_imports_no_generated_client_or_attrs(cli: Cli) -> None:
    """A read builds its request from the generated endpoint module's `_get_kwargs` alone:
    the generated client, models and attrs (~25 ms) are for logins and forms."""
    imported(cli, "instances", "-o", "json")  # logs in: the session is cached
    modules = imported(cli, "instances", "-o", "json")
    assert "gpueater_client.api.instance.instance_list" in modules
    assert offending(modules, ("attr", "attrs", "gpueater_client.client")) == []
    assert not {m for m in modules if m.startswith("gpueater_client.models.")}


def test_the_command_index_is_what_the_command_modules_define() -> None:
    """`gpueater --help` lists from _command_index; registering every module must give
    the same entries (else: run `python -m gpueater_ext.cli._write_command_index`)."""
    code = (
        "from gpueater_ext.cli._root import root\n"
        "from gpueater_ext.cli._commands import index, register\n"
        "register(root)\n"
        "print(repr(index(root)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert ast.literal_eval(done.stdout) == INDEX


def test_help_lists_every_command_as_registering_them_all_would(cli: Cli) -> None:
    lazily = subprocess.run(
        [sys.executable, "-m", "gpueater_ext.cli", "--help"],
        env=cli.env, cwd=cli.home, capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    code = (
        "from gpueater_ext.cli._root import root\n"
        "from gpueater_ext.cli._commands import register\n"
        "register(root)\n"
        "root.main(['--help'], prog_name='gpueater')\n"
    )
    eagerly = subprocess.run(
        [sys.executable, "-c", code],
        env=cli.env, cwd=cli.home, capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert "Commands:" in lazily
    assert lazily == eagerly


def test_the_name_cache_is_written_whole_without_fsync(tmp_path, monkeypatch) -> None:
    """Every listing refreshes TAB's name cache: two fsyncs were ~0.1 s of the call. A
    cache may be lost to a power cut (then read as absent), never read half-written."""
    import os

    from gpueater_ext._config import Config, Credentials
    from gpueater_ext.cli._name_cache import Name, NameCache

    synced: list[int] = []
    real_fsync = os.fsync

    def counting_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    cache = NameCache(Config("http://127.0.0.1:1", Credentials(email="a@example.com")), tmp_path)
    cache.store("instances", [Name("web-1", "RUNNING")])
    assert synced == []
    assert cache.fresh("instances") == [Name("web-1", "RUNNING")]
    assert [p.name for p in tmp_path.iterdir() if "tmp" in p.name] == []  # no temporary left
