"""The retry matrix in respx: {a read, launch, terminate} x every way a call can fail gives
the expected number of attempts and outcome, and no pause longer than the cap."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gpueater_ext import (
    NO_RETRY,
    APIError,
    AuthenticationError,
    GPUEater,
    GPUEaterConnectionError,
    GPUEaterError,
    GPUEaterTimeoutError,
    NotAppliedError,
    OutcomeUnknownError,
    Retry,
    UnexpectedResponseError,
    retrying,
)
from gpueater_ext._operations import OPERATIONS
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, envelope, form_of, instance

CAP = 8.0


def raising(error: type[httpx.TransportError]) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        raise error("simulated", request=request)

    return answer


def status(code: int, **headers: str) -> Any:
    return lambda request: httpx.Response(code, headers=headers)


CONDITIONS: dict[str, Any] = {
    "connect error": raising(httpx.ConnectError),
    "connect timeout": raising(httpx.ConnectTimeout),
    "read timeout": raising(httpx.ReadTimeout),
    "protocol error": raising(httpx.RemoteProtocolError),
    "429 with Retry-After": status(429, **{"retry-after": "2"}),
    "500": status(500),
    "502": status(502),
    "503": status(503),
    "504": status(504),
    "error envelope": lambda request: envelope(error={"message": "no", "code": "refused"}),
    "redirect to login": status(302, location="/login?state=session_timeout"),
    "HTML page": lambda request: httpx.Response(
        200, text="<html><title>GPUEater</title></html>", headers={"content-type": "text/html"}
    ),
}

# condition -> (attempts, error) for a read, and for a write that may have reached the
# service (read back: it did not happen). A write is resent only when it never left.
READ = {
    "connect error": (3, GPUEaterConnectionError),
    "connect timeout": (3, GPUEaterTimeoutError),
    "read timeout": (3, GPUEaterTimeoutError),
    "protocol error": (3, GPUEaterConnectionError),
    "429 with Retry-After": (3, UnexpectedResponseError),
    "500": (1, UnexpectedResponseError),
    "502": (3, UnexpectedResponseError),
    "503": (3, UnexpectedResponseError),
    "504": (3, UnexpectedResponseError),
    "error envelope": (1, APIError),
    "redirect to login": (2, AuthenticationError),  # one new login, one repeat
    "HTML page": (1, APIError),
}
# A write that may have reached the service is never called "not applied": the read-back
# finds nothing within the deadline, so its outcome is unknown (issue 17).
WRITE = {
    **dict.fromkeys(READ, (1, OutcomeUnknownError)),
    "connect error": (3, NotAppliedError),  # never left this machine
    "connect timeout": (3, NotAppliedError),
    "429 with Retry-After": (1, NotAppliedError),  # turned away unprocessed
    "error envelope": (1, APIError),
    "redirect to login": (2, AuthenticationError),
}


def read(eater: GPUEater) -> Any:
    return eater.instance_list()


def launch(eater: GPUEater) -> Any:
    return eater.launch_ondemand_instance(product_id=3, image="ubuntu", ssh_key_id=5)


def terminate(eater: GPUEater) -> Any:
    return eater.terminate_instance(instance_id="1", machine_resource_id="m1")


CALLS = {
    "read": ("GET", "instance_list", read, READ),
    "launch": ("POST", "launch_ondemand_instance", launch, WRITE),
    "terminate": ("POST", "force_terminate", terminate, WRITE),
}


@pytest.mark.parametrize("condition", sorted(CONDITIONS))
@pytest.mark.parametrize("call", sorted(CALLS))
def test_the_retry_matrix(service, call, condition):
    method, path, run, expected = CALLS[call]
    attempts, error = expected[condition]
    service.instances = [instance("1", state="RUNNING")]
    route = service.route(method, path, CONDITIONS[condition])
    slept: list[float] = []
    with (
        GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=slept.append) as eater,
        pytest.raises(GPUEaterError) as raised,
    ):
        run(eater)
    assert type(raised.value) is error
    assert route.call_count == attempts
    assert all(0 <= pause <= CAP for pause in slept)
    if isinstance(raised.value, NotAppliedError):
        assert "nothing changed" in str(raised.value)
        assert isinstance(raised.value.cause, GPUEaterError)
    if condition == "429 with Retry-After" and call == "read":
        assert slept == [2.0, 2.0]


def test_a_transient_failure_of_a_read_is_invisible(service):
    answers = iter([httpx.Response(503), envelope([instance("1")])])
    route = service.route("GET", "instance_list", lambda request: next(answers))
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=lambda s: None) as eater:
        assert [i.instance_id for i in eater.instance_list()] == ["1"]
    assert route.call_count == 2


def test_a_launch_whose_answer_is_lost_returns_the_instance_it_made(service):
    def launched_then_lost(request: httpx.Request) -> httpx.Response:
        service.instances.append(instance("7", tag=form_of(request)["tag"], state="LAUNCHING"))
        raise httpx.ReadTimeout("answer lost", request=request)

    route = service.route("POST", "launch_ondemand_instance", launched_then_lost)
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=lambda s: None) as eater:
        result = launch(eater)
    assert (result.instance_id, route.call_count, len(service.instances)) == ("7", 1, 1)


def test_a_retry_after_longer_than_the_cap_fails_at_once(service):
    route = service.route("GET", "instance_list", status(503, **{"retry-after": "30"}))
    slept: list[float] = []
    with (
        GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=slept.append) as eater,
        pytest.raises(UnexpectedResponseError) as raised,
    ):
        eater.instance_list()
    assert (route.call_count, slept, raised.value.retry_after) == (1, [], 30.0)


def test_the_policy_is_set_per_client_and_per_block_of_calls(service):
    route = service.route("GET", "instance_list", status(503))
    five = Retry(attempts=5)
    with GPUEater(
        BASE_URL, email=EMAIL, password=PASSWORD, sleep=lambda s: None, retry_policy=five
    ) as eater:
        with pytest.raises(UnexpectedResponseError):
            eater.instance_list()
        assert route.call_count == 5
        with retrying(NO_RETRY), pytest.raises(UnexpectedResponseError):
            eater.instance_list()
        assert route.call_count == 6
        with retrying(Retry(attempts=2)), pytest.raises(UnexpectedResponseError):
            eater.instance_list()
        assert route.call_count == 8


def test_backoff_doubles_from_the_base_with_jitter_and_stops_at_the_cap():
    read_operation = OPERATIONS["instance_list"]
    failure = GPUEaterConnectionError("down", operation="instance_list")
    lowest = Retry(attempts=10, random=lambda: 0.0)
    highest = Retry(attempts=10, random=lambda: 1.0)
    low = [lowest.delay_before_retry(read_operation, n, failure) for n in range(1, 10)]
    high = [highest.delay_before_retry(read_operation, n, failure) for n in range(1, 10)]
    assert high == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0, 8.0]
    assert low == [delay / 2 for delay in high if delay is not None]
    assert highest.delay_before_retry(read_operation, 10, failure) is None  # attempts spent


def test_a_write_is_resent_only_when_it_never_left():
    write = OPERATIONS["terminate_instance"]
    policy = Retry()
    never_sent = GPUEaterConnectionError("refused", operation="x", may_have_reached_server=False)
    maybe_sent = GPUEaterTimeoutError("slow", operation="x", may_have_reached_server=True)
    unavailable = UnexpectedResponseError("503", operation="x", status_code=503, retry_after=1)
    assert policy.delay_before_retry(write, 1, never_sent) is not None
    assert policy.delay_before_retry(write, 1, maybe_sent) is None
    assert policy.delay_before_retry(write, 1, unavailable) is None


def ssh_keys_service(service: Any, keys: list[dict[str, Any]]) -> None:
    service.route("GET", "ssh_keys", lambda request: envelope(keys))


def test_a_key_registration_whose_answer_is_lost_returns_the_registered_key(service):
    keys: list[dict[str, Any]] = []
    ssh_keys_service(service, keys)

    def registered_then_lost(request: httpx.Request) -> httpx.Response:
        form = form_of(request)
        keys.append({"id": "9", "name": form["name"], "public_key": form["public_key"]})
        return httpx.Response(502)

    service.route("POST", "register_ssh_key", registered_then_lost)
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=lambda s: None) as eater:
        key = eater.register_ssh_key(name="laptop", public_key="ssh-ed25519 AAAA")
    assert (key.id, key.name) == ("9", "laptop")


def test_a_key_deletion_whose_answer_is_lost_reports_what_is_true(service):
    ssh_keys_service(service, [{"id": "9", "name": "laptop"}])
    service.route("POST", "delete_ssh_key", raising(httpx.ReadTimeout))
    with (
        GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=lambda s: None) as eater,
        pytest.raises(OutcomeUnknownError, match="key 9 is still registered") as raised,
    ):
        eater.delete_ssh_key(id="9")
    # Still registered after the looks proves nothing: the service may delete it later.
    assert "may still do it" in str(raised.value)
    assert "`gpueater ssh-keys`" in raised.value.describe(cli=True)


def test_an_accepted_launch_is_found_even_when_the_first_read_back_fails(service):
    answers = [httpx.Response(500), httpx.Response(200, text="<html></html>")]

    def listing(request: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else envelope(service.instances)

    service.route("GET", "instance_list", listing)
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=lambda s: None) as eater:
        launched = launch(eater)
    assert [launched.instance_id] == [i["instance_id"] for i in service.instances]


def test_a_lost_write_names_its_operation_once_and_how_to_check(service):
    """The message is read by people: `create_volume: create_volume: ...` reads as a bug."""
    service.route("POST", "create_volume", status(500))
    with (
        GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=lambda s: None) as eater,
        pytest.raises(GPUEaterError) as raised,
    ):
        eater.create_volume(size=10)
    message = str(raised.value)
    assert message.count("create_volume:") == 1


def test_a_closed_client_raises_the_sdks_own_error(service):
    eater = GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, sleep=lambda s: None)
    eater.close()
    with pytest.raises(GPUEaterError, match="closed"):
        eater.instance_list()
