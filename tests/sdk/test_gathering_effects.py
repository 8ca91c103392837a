"""`_plans.gather` (a multi-node run's nodes, stepped together) passes every effect a client
answers on to the client and each answer back to the plan that asked: an effect it does not
know would fail that node with "not an effect" (the class: a new effect added to `_plans`
and forgotten here)."""

from __future__ import annotations

import typing
from typing import Any

from gpueater_ext._plans import Blocking, Call, Plan, ReadBack, Sleep, gather
from gpueater_ext._plans import effects as effect_module

# One example of each effect a client answers itself (Blocking and Sleep run in gather's
# own worker threads); a new kind of effect must get an example here.
EXAMPLES: dict[type, Any] = {
    Call: Call("instance_list"),
    ReadBack: ReadBack("tag", "web-1"),
    effect_module.Now: effect_module.Now(),
    effect_module.ReconcileBudget: effect_module.ReconcileBudget(),
    effect_module.ServiceUrl: effect_module.ServiceUrl(),
}


def test_every_kind_of_effect_has_an_example() -> None:
    kinds = {typing.get_origin(kind) or kind for kind in typing.get_args(effect_module.Effect)}
    assert kinds - {Blocking, Sleep} == set(EXAMPLES)


def test_each_client_effect_reaches_the_client_and_its_answer_the_plan() -> None:
    def asks(effect: Any) -> Plan[Any]:
        return (yield effect)

    plans = [asks(effect) for effect in EXAMPLES.values()]
    driver = gather(plans, is_failure=lambda _i, o: o.error is not None, on_failure=_nothing)
    asked: list[Any] = []
    answer: Any = None
    try:
        while True:
            effect = driver.send(answer)
            asked.append(effect)
            answer = ("answer to", effect)
    except StopIteration as stop:
        outcomes = stop.value
    assert sorted(map(repr, asked)) == sorted(map(repr, EXAMPLES.values()))
    assert [o.error for o in outcomes] == [None] * len(EXAMPLES)
    assert [o.value for o in outcomes] == [("answer to", e) for e in EXAMPLES.values()]


def _nothing(_index: int) -> Plan[None]:
    return
    yield
