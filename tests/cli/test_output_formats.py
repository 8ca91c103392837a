"""The output contract of every command, as a script or a person sees it through a pipe:
`-o table|json|yaml|csv` carry the same data, `--no-header`, tables fitted to COLUMNS
(`--wide` in full, a pipe without COLUMNS never cut), ISO 8601 times, the short ssh
command for people and the full line only as data, how a STOPPED instance is started,
`port close 22` refused without a terminal, `instances --watch` as snapshots.

Against the real `gpueater` and the emulator on loopback (tests/support/cli.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import subprocess
import sys
from typing import Any

import pytest
import yaml

from tests.support.cli import GPUEATER, Cli
from tests.support.hostile_proxy import hostile_proxy

ISO_8601 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _launch(cli: Cli, tag: str) -> dict[str, Any]:
    launched: dict[str, Any] = cli.ok(
        "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
        "--ssh-key", "work-key", "--tag", tag, "--wait", "running", "-o", "json",
    ).json()  # fmt: skip
    return launched


def _at_rest(instances: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The instances without the one value that grows between two looks: the cost so far
    of a RUNNING instance (price x time, see `_cost`)."""
    for instance in instances:
        assert isinstance(instance["cost"]["usd_so_far"], float)
        instance["cost"]["usd_so_far"] = "grows"
    return instances


@pytest.mark.slow
def test_yaml_and_csv_carry_the_same_data_as_json(cli: Cli, launched: dict[str, Any]) -> None:
    as_json = cli.ok("instances", "-o", "json").json()
    as_yaml = yaml.safe_load(cli.ok("instances", "-o", "yaml").stdout)
    assert _at_rest(as_yaml) == _at_rest(as_json)
    before = yaml.safe_load(cli.ok("-o", "yaml", "instances").stdout)
    assert _at_rest(before) == as_yaml

    rows = list(csv.DictReader(io.StringIO(cli.ok("instances", "-o", "csv").stdout)))
    assert len(rows) == 1
    assert rows[0]["instance_id"] == launched["instance_id"]
    assert rows[0]["tag"] == "web-1"
    assert rows[0]["price"] == str(as_json[0]["price"])
    assert rows[0]["ipv6"] == ""  # null is an empty cell

    bare = cli.ok("instances", "-o", "csv", "--no-header").stdout.splitlines()
    assert len(bare) == 1
    assert bare[0].startswith(f"{launched['instance_id']},")


@pytest.mark.slow
def test_every_command_with_o_takes_the_four_formats(cli: Cli, launched: dict[str, Any]) -> None:
    for args in (["products"], ["images"], ["ssh-keys"], ["ports", "web-1"], ["show", "web-1"]):
        for output in ("table", "json", "yaml", "csv"):
            result = cli.ok(*args, "-o", output)
            assert result.stdout.strip(), (args, output)
    refused = cli("instances", "-o", "xml")
    assert refused.code == 2
    assert "table" in refused.stderr
    assert "csv" in refused.stderr


def test_no_header_leaves_out_a_tables_heading(cli: Cli, launched: dict[str, Any]) -> None:
    table = cli.ok("instances").stdout.splitlines()
    assert table[0].split()[:3] == ["ID", "TAG", "STATE"]
    bare = cli.ok("instances", "--no-header").stdout.splitlines()
    assert bare == table[1:]


def test_csv_cells_are_safe_from_formulas_and_control_characters(
    cli: Cli, launched: dict[str, Any]
) -> None:
    cli.ok("tag", "web-1", "web-PLANT")
    hostile = '=HYPERLINK("http://x")\x1b[2J\nfake,row'
    with hostile_proxy(cli.emulator.url, {"web-PLANT": hostile}) as url:
        shown = cli.ok("instances", "-o", "csv", env={"GPUEATER_URL": url}).stdout
    assert "\x1b" not in shown
    lines = shown.splitlines()
    assert len(lines) == 2  # the heading and one record: the newline cannot start a row
    (row,) = csv.DictReader(io.StringIO(shown))
    assert row["tag"] == '\'=HYPERLINK("http://x")\\x1b[2J\\nfake,row'
    assert row["instance_id"] == launched["instance_id"]


def test_yaml_escapes_control_characters(cli: Cli, launched: dict[str, Any]) -> None:
    cli.ok("tag", "web-1", "web-PLANT")
    with hostile_proxy(cli.emulator.url, {"web-PLANT": "\x1b]0;owned\x07\u202eweb"}) as url:
        shown = cli.ok("instances", "-o", "yaml", env={"GPUEATER_URL": url}).stdout
    assert "\x1b" not in shown
    assert "\u202e" not in shown
    assert yaml.safe_load(shown)[0]["tag"] == "\x1b]0;owned\x07\u202eweb"


def test_yaml_is_not_imported_for_json(cli: Cli, launched: dict[str, Any]) -> None:
    def imported(output: str) -> str:
        ran = subprocess.run(
            [sys.executable, "-X", "importtime", "-c",
             "from gpueater_ext.cli import main; main()", "instances", "-o", output],
            capture_output=True, text=True, env=cli.env, cwd=cli.home, timeout=120, check=True,
        )  # fmt: skip
        return ran.stderr

    assert not re.search(r"\|\s+yaml$", imported("json"), flags=re.MULTILINE)
    assert re.search(r"\|\s+yaml$", imported("yaml"), flags=re.MULTILINE)


def _widths(text: str) -> list[int]:
    return [len(line.rstrip()) for line in text.splitlines()]


@pytest.mark.slow
def test_tables_fit_80_columns_with_an_ellipsis_and_wide_shows_all(
    cli: Cli, launched: dict[str, Any]
) -> None:
    narrow = {"COLUMNS": "80"}
    for args in (["instances"], ["images"], ["products", "--all"], ["ssh-keys"]):
        shown = cli.ok(*args, env=narrow).stdout
        assert max(_widths(shown)) <= 80, (args, shown)
    images = cli.ok("images", env=narrow).stdout
    assert "…" in images
    full = cli.ok("images", "--wide", env=narrow).stdout
    assert "…" not in full
    assert "rocm-1.9.224-tensorflow-1.10-ubuntu-16.04-x64" in full
    assert max(_widths(full)) > 80
    # Every line of a fitted table has its columns where the heading says: no row wraps.
    heading, *rows = images.splitlines()
    alias_at = heading.index("ALIAS")
    assert all(row[alias_at - 2 : alias_at] == "  " for row in rows)

    long_tag = "gpueater-a-much-longer-tag-than-most-0123456789abcdef"
    with hostile_proxy(cli.emulator.url, {"web-1": long_tag}) as url:
        through = {**narrow, "GPUEATER_URL": url}
        instances = cli.ok("instances", env=through).stdout
        wide = cli.ok("instances", "--wide", env=through).stdout
    assert max(_widths(instances)) <= 80
    assert "SSH" not in instances.splitlines()[0]  # the optional column makes room first
    # then the widest column is cut, with an ellipsis; the id is whole
    assert re.search(r"  gpueater-a-much-longer-\S*…  RUNNING", instances), instances
    assert launched["instance_id"] in instances
    assert long_tag in wide
    assert "SSH" in wide.splitlines()[0]


def test_a_pipe_without_columns_is_never_cut(cli: Cli, launched: dict[str, Any]) -> None:
    env = {name: value for name, value in cli.env.items() if name != "COLUMNS"}
    ran = subprocess.run(
        [GPUEATER, "images"], capture_output=True, text=True, env=env, cwd=cli.home,
        timeout=120, check=True,
    )  # fmt: skip
    assert "…" not in ran.stdout
    assert "rocm-1.9.224-tensorflow-1.10-ubuntu-16.04-x64" in ran.stdout


def _times_in(data: Any, found: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if re.search(r"(_at|_on|time|date|modified|month|started|created)$", key):
                found.append((key, value))
            _times_in(value, found)
    elif isinstance(data, list):
        for item in data:
            _times_in(item, found)
    return found


@pytest.mark.slow
def test_every_time_in_json_is_an_iso_8601_string(cli: Cli, launched: dict[str, Any]) -> None:
    cli.ok("snapshot", "create", "web-1", "--tag", "snap")
    cli.ok("--yes", "volume", "create", "--size", "10")
    outputs = [
        cli.ok(*args, "-o", "json").json()
        for args in (
            ["instances"], ["show", "web-1"], ["ssh-keys"], ["snapshots", "web-1"],
            ["volumes"], ["user-images"], ["subscriptions"], ["invoices"], ["images"],
        )
    ]  # fmt: skip
    times = _times_in(outputs, [])
    assert any(key == "created_at" for key, _ in times)
    for key, value in times:
        if value is None or key == "month":
            continue
        assert isinstance(value, str), (key, value)
        assert ISO_8601.fullmatch(value), (key, value)


@pytest.mark.slow
def test_show_and_launch_give_the_short_ssh_command_and_json_the_full_line(
    cli: Cli, launched: dict[str, Any]
) -> None:
    assert launched["ssh"].startswith("ssh ")
    assert "HostKeyAlias=" in launched["ssh"]
    shown = cli.ok("show", "web-1").stdout
    assert re.search(r"^ssh +gpueater ssh web-1$", shown, flags=re.MULTILINE), shown
    assert "HostKeyAlias" not in shown
    assert max(_widths(shown)) < 100

    human = cli.ok(
        "launch", "--product", "a1.rx580", "--image", "Ubuntu16.04 x64",
        "--ssh-key", "work-key", "--tag", "web-2", "--wait", "running",
    ).stdout  # fmt: skip
    assert re.search(r"^ssh +gpueater ssh web-2$", human, flags=re.MULTILINE), human
    assert "HostKeyAlias" not in human
    assert "gpueater ssh web-1" in cli.ok("instances").stdout


@pytest.mark.slow
def test_a_tag_that_names_two_instances_is_not_offered_as_the_ssh_name(
    cli: Cli, launched: dict[str, Any]
) -> None:
    # Two instances tagged alike (as the service's web console allows): each is offered by id.
    other = _launch(cli, "twin-b")
    cli.ok("tag", "web-1", "twin-a")
    with hostile_proxy(cli.emulator.url, {"twin-a": "twin", "twin-b": "twin"}) as url:
        table = cli.ok("instances", env={"GPUEATER_URL": url}).stdout
        shown = cli.ok("show", launched["instance_id"], env={"GPUEATER_URL": url}).stdout
    assert "gpueater ssh twin" not in table
    assert f"gpueater ssh {launched['instance_id']}" in table
    assert f"gpueater ssh {other['instance_id']}" in table
    assert f"gpueater ssh {launched['instance_id']}" in shown


@pytest.mark.slow
def test_a_stopped_instance_shows_how_to_start_it_not_an_ssh_line(
    cli: Cli, launched: dict[str, Any]
) -> None:
    cli.ok("stop", "web-1", "--wait")
    shown = cli.ok("show", "web-1").stdout
    assert "gpueater ssh" not in shown
    assert re.search(r"^ssh +none while STOPPED; start it with: gpueater start web-1 --wait$",
                     shown, flags=re.MULTILINE), shown  # fmt: skip
    assert cli.ok("show", "web-1", "-o", "json").json()["ssh"] is None
    assert "gpueater ssh" not in cli.ok("instances", "--wide").stdout


@pytest.mark.slow
def test_closing_port_22_without_a_terminal_needs_yes(cli: Cli, launched: dict[str, Any]) -> None:
    refused = cli("port", "close", "web-1", "22")
    assert refused.code == 2
    assert "warning: port 22 is SSH" in refused.stderr
    assert "--yes" in refused.error_line
    ports = cli.ok("ports", "web-1", "-o", "json").json()
    assert 22 in [port["port"] for port in ports["port_list"]]

    cli.ok("port", "open", "web-1", "8888")
    as_csv = cli.ok("ports", "web-1", "-o", "csv").stdout.splitlines()
    assert as_csv[0].split(",")[0] == "port"  # one row per port, not the list in one cell
    assert sorted(line.split(",")[0] for line in as_csv[1:]) == ["22", "8888"]
    cli.ok("port", "close", "web-1", "8888")  # any other port closes without a question

    closed = cli.ok("port", "close", "web-1", "22", "--yes")
    assert "warning: port 22 is SSH" in closed.stderr
    ports = cli.ok("ports", "web-1", "-o", "json").json()
    assert 22 not in [port["port"] for port in ports["port_list"]]


def test_watch_through_a_pipe_prints_snapshots_until_ctrl_c_which_exits_0(
    cli: Cli, launched: dict[str, Any]
) -> None:
    with subprocess.Popen(
        [GPUEATER, "instances", "--watch", "--interval", "0.5", "-o", "json"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=cli.env, cwd=cli.home, text=True, start_new_session=True,
    ) as watching:  # fmt: skip
        assert watching.stdout is not None
        snapshots: list[Any] = []
        decoder = json.JSONDecoder()
        pending = ""
        while len(snapshots) < 2:
            line = watching.stdout.readline()
            assert line, "the watch ended by itself"
            pending += line
            try:
                value, _ = decoder.raw_decode(pending.strip())
            except json.JSONDecodeError:
                continue
            snapshots.append(value)
            pending = ""
        watching.send_signal(signal.SIGINT)
        _, stderr = watching.communicate(timeout=60)
    assert watching.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert [[i["instance_id"] for i in snapshot] for snapshot in snapshots] == [
        [launched["instance_id"]]
    ] * 2


def test_interval_without_watch_is_a_usage_error(cli: Cli) -> None:
    refused = cli("instances", "--interval", "3")
    assert refused.code == 2
    assert "--watch" in refused.error_line
