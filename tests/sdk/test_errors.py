"""The error hierarchy: one root, and the attributes callers branch on."""

from __future__ import annotations

import inspect

import gpueater_ext
from gpueater_ext import (
    APIError,
    GPUEaterConnectionError,
    GPUEaterError,
    GPUEaterTimeoutError,
    InvalidArgumentError,
    UnexpectedResponseError,
)


def test_every_exported_exception_derives_from_gpueater_error():
    public = [getattr(gpueater_ext, name) for name in gpueater_ext.__all__]  # exports are lazy
    exported = [
        value
        for value in public
        if inspect.isclass(value)
        and issubclass(value, BaseException)
        and not issubclass(value, Warning)  # InsecureConfigWarning is a warning, not raised
        # RunInterrupted is Ctrl-C ending a run: a KeyboardInterrupt, so scripts still stop
        and not issubclass(value, KeyboardInterrupt)
    ]
    assert len(exported) == 17  # HostKeyChangedError is an SSHError
    assert all(issubclass(error, GPUEaterError) for error in exported)


def test_errors_carry_what_callers_branch_on():
    api = APIError("image_list: maintenance", operation="image_list", payload="maintenance")
    assert (api.operation, api.payload) == ("image_list", "maintenance")
    status = UnexpectedResponseError("x", operation="image_list", status_code=503, retry_after=2.0)
    assert isinstance(status, APIError)
    assert (status.status_code, status.retry_after, status.payload) == (503, 2.0, None)
    never_sent = GPUEaterConnectionError("x", operation="o", may_have_reached_server=False)
    assert never_sent.may_have_reached_server is False
    assert GPUEaterTimeoutError("x").may_have_reached_server is True
    assert issubclass(InvalidArgumentError, ValueError)


def test_an_api_error_exposes_the_services_code_and_a_next_step_per_audience():
    from gpueater_ext import APIError, NextStep, OutcomeUnknownError

    refused = APIError(
        "launch: no room (out_of_capacity)",
        operation="launch",
        payload={"code": "out_of_capacity", "message": "no room"},
    )
    assert refused.code == "out_of_capacity"
    assert APIError("x", operation="x", payload="plain text").code is None
    step = NextStep(
        "check with {how} before calling it again", "subscribed_list()", "gpueater subscriptions"
    )
    unknown = OutcomeUnknownError(
        "subscribe_instance: lost", operation="subscribe_instance", next_step=step
    )
    assert (
        str(unknown)
        == "subscribe_instance: lost; check with `subscribed_list()` before calling it again"
    )
    assert unknown.describe(cli=True) == (
        "subscribe_instance: lost; check with `gpueater subscriptions` before calling it again"
    )
