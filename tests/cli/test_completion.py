"""TAB completion: the real `gpueater` asked the way the shells ask it (click's protocol,
`_GPUEATER_COMPLETE=bash_complete` with COMP_WORDS/COMP_CWORD) against a real emulator, the
script installed where each shell loads it, and real bash running that script.

What a user sees is asserted: the candidates TAB offers, that a warm cache answers with the
service stopped, that a cold TAB against a stopped service offers nothing and prints
nothing, and that what lands in bash's command line is exactly the name.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
from pathlib import Path

import click
import httpx
import pytest

from gpueater_ext.cli._commands import register
from gpueater_ext.cli._completion import ServiceNames
from gpueater_ext.cli._root import root
from tests.support.cli import GPUEATER, Cli
from tests.support.emulator_process import EmulatorProcess, start_emulator


@pytest.fixture
def cli(tmp_path: Path, emulator: EmulatorProcess) -> Cli:
    """Real processes for this file, as a shell runs TAB: the quick fetch is a thread that
    the process's exit ends (in-process it outlives the call), and in the full in-process
    suite its first TAB missed the names (not understood yet; see issue 24's closing note)."""
    home = tmp_path / "home"
    home.mkdir()
    return Cli(home, emulator, process=True)


def tab(cli: Cli, *typed: str, dialect: str = "bash", env: dict[str, str] | None = None):
    """What TAB offers after `gpueater TYPED...`, the last word being the one completed:
    [(type, value)] for bash, [(type, value, help)] for zsh."""
    words = ["gpueater", *typed]
    # A real process: a fetch that outlives TAB's bound ends with the process, as in a shell
    # (in-process, its thread would go on filling the cache of the next test's call).
    result = cli.in_a_process()(
        env={
            "_GPUEATER_COMPLETE": f"{dialect}_complete",
            "COMP_WORDS": " ".join(shlex.quote(word) for word in words),
            "COMP_CWORD": str(len(words) - 1),
            **(env or {}),
        }
    )
    assert result.code == 0, result.stderr
    assert result.stderr == ""  # nothing but candidates, ever
    lines = result.stdout.splitlines()
    if dialect == "zsh":
        return [tuple(lines[i : i + 3]) for i in range(0, len(lines), 3)]
    return [tuple(line.split(",", 1)) for line in lines]


def values(offered) -> list[str]:
    return [item[1] for item in offered if item[0] == "plain"]


def cache_folder(cli: Cli) -> Path:
    return cli.home / ".cache" / "gpueater" / "completion"


def test_instance_names_complete_by_tag_and_id(cli: Cli, launched):
    instance_id = launched["instance_id"]
    assert values(tab(cli, "ssh", "")) == ["web-1", instance_id]
    assert values(tab(cli, "ssh", "we")) == ["web-1"]
    assert values(tab(cli, "ssh", instance_id[:3])) == [instance_id]
    # Every command that names an instance, several names too.
    assert values(tab(cli, "terminate", "web-1", "")) == ["web-1", instance_id]
    assert values(tab(cli, "port", "open", "w")) == ["web-1"]
    assert values(tab(cli, "ls", "w")) == ["web-1"]
    assert values(tab(cli, "--profile", "gpueater", "show", "w")) == ["web-1"]
    assert values(tab(cli, "ssh", "nothing-like-it")) == []
    # zsh and fish show what each name is beside it.
    [(kind, value, about)] = tab(cli, "ssh", "we", dialect="zsh")
    assert (kind, value) == ("plain", "web-1")
    assert instance_id in about
    assert "RUNNING" in about
    assert "a1.rx580" in about


def test_products_images_and_keys_complete(cli: Cli, launched):
    assert values(tab(cli, "launch", "--product", "a1.")) == ["a1.rx580", "a1.vega56", "a1.vegafe"]
    # A name with a space arrives in bash's line escaped; the alias needs no escaping.
    assert values(tab(cli, "launch", "--image", "Ubuntu16")) == ["Ubuntu16.04\\ x64"]
    assert values(tab(cli, "launch", "--image", "ubuntu-16")) == ["ubuntu-16.04-x64"]
    assert values(tab(cli, "launch", "--ssh-key", "w")) == ["work-key"]
    assert values(tab(cli, "ssh-key", "delete", "")) == ["work-key"]
    [(_, _, about)] = tab(cli, "launch", "--product", "a1.rx", dialect="zsh")
    assert "$0.3968/h" in about
    assert "in stock" in about


def test_paths_complete_locally(cli: Cli, launched):
    # Local sides: the shell's own file completion; `INSTANCE:PATH` is typed, not completed.
    assert tab(cli, "cp", "no") == [("file", "no")]
    assert tab(cli, "sync", "src/", "") == [("file", "")]
    assert tab(cli, "ssh-key", "register", "k", "--public-key-file", "") == [("file", "")]


@pytest.mark.slow
def test_a_change_shows_at_the_next_tab(cli: Cli, launched):
    assert "web-1" in values(tab(cli, "ssh", ""))  # the cache is warm now
    cli.ok("tag", "web-1", "web-2")
    assert values(tab(cli, "ssh", "web")) == ["web-2"]
    cli.ok("ssh-key", "generate", "second-key", "--register")
    assert values(tab(cli, "launch", "--ssh-key", "")) == ["second-key", "work-key"]


def test_names_are_kept_per_service_and_never_with_secrets(cli: Cli, launched):
    assert values(tab(cli, "ssh", "w")) == ["web-1"]
    cli.ok("products")
    # Another service URL is another cache: nothing of this account's is offered there
    # (and a closed port answers the TAB with nothing, not an error).
    assert values(tab(cli, "--url", "http://127.0.0.1:9", "ssh", "w")) == []
    assert values(tab(cli, "ssh", "--url", "http://127.0.0.1:9", "w")) == []
    folder = cache_folder(cli)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(folder.iterdir())
    assert files
    session = next((cli.home / ".cache" / "gpueater" / "sessions").glob("*.json")).read_text()
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text()
        assert cli.emulator.password not in text
        assert cli.emulator.email not in text
        assert "PRIVATE KEY" not in text
        assert launched["ipv4"] not in text
        assert session not in text


@pytest.mark.slow
def test_a_warm_cache_answers_with_the_service_stopped(tmp_path):
    emulator = start_emulator(tmp_path / "emulator")
    home = tmp_path / "home"
    home.mkdir()
    cli = Cli(home, emulator)
    try:
        cli.ok("ssh-key", "generate", "k", "--register")
        cli.ok("launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64", "--ssh-key", "k",
               "--tag", "train-1", "--wait", "running")  # fmt: skip
        cli.ok("instances")  # an ordinary command warms the names it listed
        cli.ok("products")
    finally:
        emulator.stop()
    assert values(tab(cli, "ssh", "tr")) == ["train-1"]
    assert values(tab(cli, "launch", "--product", "a1.r")) == ["a1.rx580"]
    assert values(tab(cli, "launch", "--ssh-key", "")) == ["k"]
    # Cold, with the service down: nothing offered, nothing printed, exit 0 (tab() checks).
    for path in cache_folder(cli).iterdir():
        path.unlink()
    assert values(tab(cli, "ssh", "tr")) == []
    assert values(tab(cli, "ssh", "tr")) == []  # and again, from the remembered failure


def _rename_as_the_web_console_would(emulator, instance_id: str, tag: str) -> None:
    """A tag this tool would never send, set through the service's own API."""
    with httpx.Client(base_url=emulator.url, timeout=10) as web:
        login = web.post(
            "/api_login", data={"email": emulator.email, "password": emulator.password}
        )
        assert login.json()["error"] is None
        renamed = web.post(
            "/console/servers/change_instance_tag", data={"instance_id": instance_id, "tag": tag}
        )
        assert renamed.json()["error"] is None, renamed.text


def _bash(cli: Cli, script: str) -> subprocess.CompletedProcess[str]:
    env = {**cli.env, "PATH": f"{Path(GPUEATER).parent}{os.pathsep}{cli.env['PATH']}"}
    return subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=cli.home,
        timeout=60,
        check=False,
    )


def test_real_bash_completes_with_the_installed_script(cli: Cli, launched):
    data = cli.home / "data"
    installed = cli.ok("completion", "bash", "--install", env={"XDG_DATA_HOME": str(data)})
    script = data / "bash-completion" / "completions" / "gpueater"
    assert installed.stdout.startswith(f"wrote {script}\n")
    hostile = "$(touch pwned) `touch pwned2` *"
    _rename_as_the_web_console_would(cli.emulator, launched["instance_id"], hostile)
    # As bash calls the function on TAB: COMP_WORDS split as readline splits the line.
    shown = _bash(
        cli,
        f"""
        source {shlex.quote(str(script))}
        complete -p gpueater
        tab() {{ COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
                 _gpueater_completion gpueater "${{COMP_WORDS[COMP_CWORD]}}"; }}
        tab gpueater launch --image Ubuntu16; printf 'image=%s\\n' "${{COMPREPLY[@]}}"
        tab gpueater ssh ''; printf 'instance=%s\\n' "${{COMPREPLY[@]}}"
        # What the line holds after TAB, read back by bash as a command's word would be.
        eval "set -- ${{COMPREPLY[0]}}"; printf 'word=%s|%s\\n' "$#" "$1"
        """,
    )
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "complete -o nosort -F _gpueater_completion gpueater"
    assert "image=Ubuntu16.04\\ x64" in lines
    assert f"word=1|{hostile}" in lines  # one word, exactly the tag
    assert f"instance={launched['instance_id']}" in lines
    assert not (cli.home / "pwned").exists()
    assert not (cli.home / "pwned2").exists()


@pytest.mark.parametrize(
    ("shell", "variables", "where"),
    [
        ("bash", {"XDG_DATA_HOME": "xdg-data"}, "xdg-data/bash-completion/completions/gpueater"),
        ("bash", {"BASH_COMPLETION_USER_DIR": "bc"}, "bc/completions/gpueater"),
        ("bash", {}, ".local/share/bash-completion/completions/gpueater"),
        ("zsh", {}, ".zfunc/_gpueater"),
        ("zsh", {"ZDOTDIR": "zdot"}, "zdot/.zfunc/_gpueater"),
        ("fish", {"XDG_CONFIG_HOME": "xdg-config"}, "xdg-config/fish/completions/gpueater.fish"),
        ("fish", {}, ".config/fish/completions/gpueater.fish"),
    ],
)
def test_install_writes_where_the_shell_loads_it_once(cli: Cli, shell, variables, where):
    env = {name: str(cli.home / value) for name, value in variables.items()}
    printed = cli.ok("completion", shell).stdout
    first = cli.ok("completion", shell, "--install", "-o", "json", env=env).json()
    target = cli.home / where
    assert first["path"] == str(target)
    assert first["changed"] is True
    assert first["next_steps"]
    assert target.read_text() == printed
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    again = cli.ok("completion", shell, "--install", env=env)
    assert again.stdout.startswith(f"already up to date: {target}\n")
    assert sorted(path.name for path in target.parent.iterdir()) == [target.name]  # no strays


def test_the_scripts_hook_into_each_shell(cli: Cli):
    assert "#compdef gpueater" in cli.ok("completion", "zsh").stdout
    assert "complete --no-files --command gpueater" in cli.ok("completion", "fish").stdout
    # No SHELL argument: the one $SHELL names, or one clear line.
    assert (
        cli.ok("completion", env={"SHELL": "/usr/bin/fish"}).stdout
        == cli.ok("completion", "fish").stdout
    )
    refused = cli("completion", env={"SHELL": "/bin/tcsh"})
    assert refused.code == 2
    assert refused.error_line == (
        "error: cannot tell the shell from SHELL=tcsh; name it: gpueater completion bash|zsh|fish"
    )
    zsh = cli.ok("completion", "zsh", "--install").stdout
    assert f"fpath=('{cli.home / '.zfunc'}' $fpath)" in zsh


def test_every_parameter_naming_an_instance_completes_instance_names():
    register(root)
    missing = []

    def walk(group: click.Group, path: str) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(command, f"{path}{name} ")
                continue
            for param in command.params:
                if isinstance(param, click.Argument) and param.human_readable_name.startswith(
                    "INSTANCE"
                ):
                    completed = param.type
                    if not (isinstance(completed, ServiceNames) and completed.kind == "instances"):
                        missing.append(f"{path}{name} {param.human_readable_name}")

    walk(root, "")
    assert missing == []


def test_profiles_complete_from_the_config_file(cli: Cli):
    config = cli.home / ".eater"
    config.write_text(
        '{"gpueater": {"email": "a@example.com", "password": "secret-one"},'
        ' "work": {"access_token": "t", "secret_token": "secret-two"}, "note": "not a profile"}'
    )
    config.chmod(0o600)
    assert values(tab(cli, "--profile", "")) == ["gpueater", "work"]
    assert values(tab(cli, "instances", "--profile", "w")) == ["work"]


def test_install_into_a_folder_that_cannot_be_made_says_so_in_one_line(cli: Cli):
    blocker = cli.home / "not-a-folder"
    blocker.write_text("")
    refused = cli("completion", "fish", "--install", env={"XDG_CONFIG_HOME": str(blocker)})
    assert refused.code == 1
    assert refused.error_line == (
        f"error: cannot write the fish completion script to {blocker}/fish/completions/"
        "gpueater.fish (Not a directory); check XDG_CONFIG_HOME and HOME, or save the output "
        "of `gpueater completion fish` where your shell loads it"
    )
    assert refused.stdout == ""
