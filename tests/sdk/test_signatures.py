"""Every method of both clients shows its real signature, return type and docstring to
help(), inspect and type checkers: they are real `def`s, generated from the method table
(scripts/generate_client_methods.py) and checked here against it."""

from __future__ import annotations

import inspect
import pydoc
import subprocess
import sys
from pathlib import Path

import pytest

from gpueater_ext import AsyncGPUEater, GPUEater
from gpueater_ext._methods import Method, Methods

ROOT = Path(__file__).resolve().parents[2]
METHODS = sorted(name for name, value in vars(Methods).items() if isinstance(value, Method))
CLIENTS = [GPUEater, AsyncGPUEater]


def plan_of(name: str) -> inspect.Signature:
    method: Method[..., object] = vars(Methods)[name]
    return inspect.signature(method.plan)


def test_the_generated_methods_are_current():
    checked = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_client_methods.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("name", METHODS)
def test_the_signature_is_the_plans_with_its_real_return_type(client, name):
    shown = inspect.signature(getattr(client, name))
    plan = plan_of(name)
    assert next(iter(shown.parameters)) == "self"
    assert [(p.name, p.kind, p.default) for p in list(shown.parameters.values())[1:]] == [
        (p.name, p.kind, p.default) for p in plan.parameters.values()
    ]
    returned = str(shown.return_annotation)
    assert "Plan[" not in returned
    assert returned not in ("", "Any")
    assert "Plan[" not in str(inspect.signature(getattr(client, name).__get__(object())))


@pytest.mark.parametrize("name", METHODS)
def test_help_shows_the_docstring_and_the_return_type(name):
    for client in CLIENTS:
        text = pydoc.render_doc(getattr(client, name), renderer=pydoc.plaintext)  # type: ignore[attr-defined]
        assert "Method object" not in text
        assert (vars(Methods)[name].doc or "").strip().splitlines()[0] in text
        assert f"-> '{inspect.signature(getattr(client, name)).return_annotation}'" in text


@pytest.mark.parametrize("name", METHODS)
def test_the_async_client_has_coroutine_functions(name):
    assert inspect.iscoroutinefunction(getattr(AsyncGPUEater, name))
    assert not inspect.iscoroutinefunction(getattr(GPUEater, name))


def test_mypy_sees_the_return_types():
    # The project's own configuration (strict, the generated client on mypy_path).
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "tests/sdk/typed_usage.py"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
