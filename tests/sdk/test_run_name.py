"""`run` with a `name`: the instance carrying it is reused (setup skipped while unchanged),
two runs at once make one instance, and a stopped one is started again."""

from __future__ import annotations

import threading
from pathlib import Path

from gpueater_emulator.pytest_plugin import EmulatorProcess
from gpueater_ext import Resources, RunEvent, RunResult, Task
from tests.sdk.run_fixtures import Events, Recorder, live_instances, make_client, run_home

__all__ = ["run_home"]  # the fixture, used by name

SETUP = "echo installing; echo once >> ~/setup-count"


def named(**changes: object) -> Task:
    base = Task(
        name="box",
        setup=SETUP,
        run="cat ~/setup-count",
        teardown="keep",
        resources=Resources(products=("a1.rx580",)),
    )
    return base.replace(**changes)


def test_a_second_run_reuses_the_instance_and_skips_an_unchanged_setup(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    with make_client(gpueater_emulator_sshd) as eater:
        first_out, second_out, third_out = Recorder(), Recorder(), Recorder()
        first = eater.run(named(), stdout=first_out, stderr=Recorder())
        events = Events()
        second = eater.run(named(), stdout=second_out, stderr=Recorder(), on_event=events)
        changed = named(setup=SETUP + " # now with comments", teardown="down")
        third = eater.run(changed, stdout=third_out, stderr=Recorder())

    assert first.instance is not None
    assert second.instance is not None
    assert third.instance is not None
    assert first.launched
    assert first.setup_skipped is False
    assert first_out.text == "installing\nonce\n"
    assert not second.launched
    assert second.setup_skipped is True
    assert second.instance.instance_id == first.instance.instance_id
    assert second_out.text == "once\n", "the setup did not run again"
    assert any("setup skipped" in line for line in events.lines)
    assert third.instance.instance_id == first.instance.instance_id
    assert third.setup_skipped is False
    assert third_out.text == "installing\nonce\nonce\n", "a changed setup runs again"
    assert live_instances(gpueater_emulator_sshd) == [], "the last run's teardown was down"


def test_a_stopped_named_instance_is_started_and_used(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    with make_client(gpueater_emulator_sshd) as eater:
        first = eater.run(named(teardown="stop"), stdout=Recorder(), stderr=Recorder())
        assert first.instance is not None
        (stopped,) = [i for i in eater.instance_list() if i.tag == "box"]
        assert stopped.state == "STOPPED"
        second = eater.run(named(teardown="down"), stdout=Recorder(), stderr=Recorder())
    assert second.instance is not None
    assert second.instance.instance_id == first.instance.instance_id
    assert second.exit_code == 0
    assert second.setup_skipped is True
    assert live_instances(gpueater_emulator_sshd) == []


def test_two_runs_with_one_name_at_once_make_one_instance(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    results: list[RunResult] = []
    outputs: list[str] = []
    failures: list[BaseException] = []

    def one_run() -> None:
        try:
            with make_client(gpueater_emulator_sshd) as eater:
                out = Recorder()
                results.append(eater.run(named(), stdout=out, stderr=Recorder()))
                outputs.append(out.text)
        except BaseException as failed:  # reported below, in the test's own thread
            failures.append(failed)

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert [r.exit_code for r in results] == [0, 0]
    ids = {r.instance.instance_id for r in results if r.instance is not None}
    assert len(ids) == 1
    assert sorted(r.launched for r in results) == [False, True]
    # The second run waited for the first's setup instead of installing over it.
    assert sorted(r.setup_skipped is True for r in results) == [False, True]
    assert sorted(outputs) == ["installing\nonce\n", "once\n"]
    live = live_instances(gpueater_emulator_sshd)
    assert [i["instance_id"] for i in live] == list(ids)
    assert gpueater_emulator_sshd.state()["requests"]["launch_ondemand_instance"] == 1


def test_a_run_ending_while_another_uses_the_instance_leaves_the_teardown_to_it(
    gpueater_emulator_sshd: EmulatorProcess, run_home: Path
) -> None:
    long_events = Events()
    started = threading.Event()
    results: list[RunResult] = []

    def notice_start(event: RunEvent) -> None:
        long_events(event)
        if event.message.startswith("running the job"):
            started.set()

    def long_run() -> None:
        task = named(setup=None, run="while [ ! -e release ]; do sleep 0.05; done; echo long")
        with make_client(gpueater_emulator_sshd) as eater:
            results.append(
                eater.run(task.replace(teardown="down"), stdout=Recorder(), on_event=notice_start)
            )

    thread = threading.Thread(target=long_run)
    thread.start()
    try:
        assert started.wait(120), long_events.lines
        with make_client(gpueater_emulator_sshd) as eater:
            short = eater.run(
                named(setup=None, run="echo short", teardown="down"), stdout=Recorder()
            )
        assert short.exit_code == 0
        assert not short.teardown_done
        assert short.teardown_left_to is not None
        assert short.teardown_left_to.startswith("run-")
        assert short.ok, "leaving the teardown to the run still using the instance is no failure"
        (alive,) = live_instances(gpueater_emulator_sshd)
        assert short.instance is not None
        assert alive["instance_id"] == short.instance.instance_id
    finally:
        for instance in live_instances(gpueater_emulator_sshd):
            disk = gpueater_emulator_sshd.disk(str(instance["instance_id"]))
            (disk / "gpueater" / "box" / "release").write_text("")
        thread.join()
    (long,) = results
    assert long.exit_code == 0
    assert long.teardown_done
    assert live_instances(gpueater_emulator_sshd) == []
