"""A service URL carrying user-info is refused; no URL is logged with its user-info, and a
proxy URL from the environment (which may carry a password) keeps working."""

from __future__ import annotations

import base64
import logging

import pytest

from gpueater_ext import ConfigError, GPUEater, InsecureConfigWarning, load_config
from gpueater_ext._redact import install_log_redaction
from tests.sdk.fakes import EMAIL, PASSWORD
from tests.sdk.local_server import PROXY_AUTHORIZATIONS, local_server

URL_PASSWORD = "url-password-0f1e2d"


@pytest.mark.parametrize(
    "url",
    [
        f"http://user:{URL_PASSWORD}@127.0.0.1:8080",
        f"https://user:{URL_PASSWORD}@gpueater.test/",
        "https://justauser@gpueater.test",
        f"user:{URL_PASSWORD}@gpueater.test",
    ],
)
def test_a_service_url_with_user_info_is_refused_without_quoting_it(url: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(url=url, email=EMAIL, password=PASSWORD)
    message = str(refused.value)
    assert "config file" in message
    assert "environment" in message
    assert URL_PASSWORD not in message


def test_gpueater_url_in_the_environment_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GPUEATER_URL", f"http://me:{URL_PASSWORD}@localhost:1")
    with pytest.raises(ConfigError, match="user name or password"):
        GPUEater(email=EMAIL, password=PASSWORD)


def test_logged_urls_lose_their_user_info(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").debug(
        "HTTP Request: GET %s", f"http://proxyuser:{URL_PASSWORD}@proxy.test:3128/x"
    )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "http://proxy.test:3128/x" in logged
    assert URL_PASSWORD not in logged
    assert "proxyuser" not in logged


def test_a_proxy_url_with_a_password_from_the_environment_still_works(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with local_server() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.replace("://", f"://proxyuser:{URL_PASSWORD}@"))
        with (
            pytest.warns(InsecureConfigWarning),
            GPUEater("http://gpueater.test", email=EMAIL, password=PASSWORD) as eater,
        ):
            assert eater.instance_list() == []
    expected = base64.b64encode(f"proxyuser:{URL_PASSWORD}".encode()).decode()
    assert f"Basic {expected}" in PROXY_AUTHORIZATIONS
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "proxy" in logged.lower() or "127.0.0.1" in logged
    assert URL_PASSWORD not in logged
