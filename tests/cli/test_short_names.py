"""The short names a listing shows (`gpueater ssh NAME`): counted once per listing
(`_reach.NameIndex`), they must be what scanning every other instance gives (issue 25:
the scan made `gpueater instances` quadratic in the fleet)."""

from __future__ import annotations

import random

from gpueater_ext import Instance
from gpueater_ext.cli._reach import NameIndex, short_name


def _instance(instance_id: str, tag: str) -> Instance:
    return Instance(
        instance_id=instance_id, machine_resource_id="m", connection_id="c", tag=tag,
        state="RUNNING",
    )  # fmt: skip


def _by_scanning(instance: Instance, among: list[Instance]) -> str:
    """The rule, spelled out: the tag when it is a plain word no other instance bears as a
    tag or an id."""
    tag = instance.tag
    if not tag or " " in tag:
        return instance.instance_id
    others = [o for o in among if o.instance_id != instance.instance_id]
    return instance.instance_id if any(tag in (o.tag, o.instance_id) for o in others) else tag


def test_the_index_names_as_scanning_would_on_random_fleets() -> None:
    words = ["web", "db", "1", "2", "3", "", "two words", "web-1"]
    rng = random.Random(25)  # noqa: S311 - fleets to test with, not secrets
    for _ in range(300):
        ids = rng.sample(["1", "2", "3", "4", "5", "6", "web", "db"], rng.randint(1, 6))
        fleet = [_instance(i, rng.choice(words)) for i in ids]
        index = NameIndex(fleet)
        for instance in fleet:
            expected = _by_scanning(instance, fleet)
            assert short_name(instance, index) == expected, (instance, fleet)
            assert short_name(instance, fleet) == expected


def test_an_instance_listed_twice_still_names_itself() -> None:
    web = _instance("1", "web")
    assert short_name(web, [web, web]) == "web"
    assert short_name(web, NameIndex([web, web])) == "web"
    assert short_name(web, None) == "1"
    twins = [web, _instance("2", "web")]
    assert {short_name(i, NameIndex(twins)) for i in twins} == {"1", "2"}
