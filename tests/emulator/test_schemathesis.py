"""Schemathesis drives every operation of the spec against the in-process emulator.

Fixed seed (derandomized Hypothesis) and a bounded number of examples keep it quick and
repeatable. Checks that clash with the service's own conventions are configured here:

- `negative_data_rejection` is off: the service refuses a bad request with HTTP 200 and an
  error envelope, never a 4xx (tests/emulator/test_bad_requests.py checks the envelope).
- `content_type_conformance` is off for make_invoice only: its spec documents the PDF,
  and says that a failed call answers the JSON error envelope instead.
- The session timeout (302 to the login page) is documented on every operation, so
  `status_code_conformance` stays on; the login hook keeps calls inside a session.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import content_type_conformance, negative_data_rejection

from gpueater_emulator import EmulatorClock, EmulatorSettings, create_app
from tests.support.emulator_process import DEMO_EMAIL, DEMO_PASSWORD

SESSION_COOKIE = "gpueater_session"


# One app for the whole run, built at import because schemathesis parametrizes at
# collection (its lazy fixture loader does not work with this pytest). Its clock is frozen,
# so the session never expires mid-run.
APP = create_app(
    EmulatorSettings(
        accounts={DEMO_EMAIL: DEMO_PASSWORD},
        boot_seconds=0,
        seed=1,
        validate_requests=True,
        validate_responses=True,
        clock=EmulatorClock(start=1_793_491_200.0),
    )
)
schema = schemathesis.openapi.from_asgi("/_emulator/openapi.yaml", APP)


@schema.auth()
class EmulatorLogin:
    """Log in through the app's own api_login, as a client would, and send the cookie."""

    def get(self, case: Any, context: Any) -> str:
        with asgi.get_client(context.app) as client:
            answer = client.post(
                "/api_login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
            )
        assert answer.json() == {"data": None, "error": None}
        return str(answer.cookies[SESSION_COOKIE])

    def set(self, case: Any, data: str, context: Any) -> None:
        case.cookies = {**(case.cookies or {}), SESSION_COOKIE: data}


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_conforms_to_the_spec(case):
    excluded: list[Any] = [negative_data_rejection]
    if case.operation.path == "/console/servers/make_invoice":
        excluded.append(content_type_conformance)
    case.call_and_validate(excluded_checks=excluded)
