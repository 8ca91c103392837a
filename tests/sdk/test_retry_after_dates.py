"""A Retry-After given as an HTTP date is read whatever zone it names: `-0000` (which the
email date parser returns without a zone) must not escape as a TypeError."""

from __future__ import annotations

import httpx
import pytest

from gpueater_ext import GPUEater, UnexpectedResponseError
from gpueater_ext._retry import NO_RETRY
from tests.sdk.fakes import BASE_URL, EMAIL, PASSWORD, FakeService


@pytest.mark.parametrize(
    "date", ["Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 -0000"]
)
def test_a_past_retry_after_date_means_retry_now(service: FakeService, date: str) -> None:
    answer = httpx.Response(503, headers={"retry-after": date})
    service.route("GET", "images", lambda request: answer)
    eater = GPUEater(BASE_URL, email=EMAIL, password=PASSWORD, retry_policy=NO_RETRY)
    with eater, pytest.raises(UnexpectedResponseError) as raised:
        eater.image_list()
    assert (raised.value.status_code, raised.value.retry_after) == (503, 0.0)
