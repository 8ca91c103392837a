"""Planted secrets never show up in logs (any level, httpx and httpcore included), reprs,
or error messages."""

from __future__ import annotations

import logging

import pytest

import gpueater
from gpueater_ext import (
    AuthenticationError,
    Credentials,
    GPUEater,
    GPUEaterError,
    SshKeyPair,
    load_config,
)
from tests.sdk.fakes import BASE_URL, EMAIL
from tests.sdk.local_server import PLANTED_COOKIE, PLANTED_PRIVATE_KEY, local_server

PASSWORD = "planted-password-d34db33f"
SECRET_TOKEN = "planted-secret-token-feedface"
ACCESS_TOKEN = "planted-access-token-cafebabe"
PLANTED = [PASSWORD, SECRET_TOKEN, ACCESS_TOKEN, PLANTED_COOKIE, "planted-private-key-b16b00b5"]


def assert_clean(text: str) -> None:
    for secret in PLANTED:
        assert secret not in text


def test_debug_logs_of_httpx_httpcore_and_the_sdk_hold_no_secret(caplog):
    caplog.set_level(logging.DEBUG)
    with local_server() as url, GPUEater(url, email=EMAIL, password=PASSWORD) as eater:
        eater.instance_list()
        pair = eater.generate_ssh_key()
        other = GPUEater(url, access_token=ACCESS_TOKEN, secret_token=SECRET_TOKEN)
        with other, pytest.raises(AuthenticationError) as refused:
            other.login()
    assert pair.private_key == PLANTED_PRIVATE_KEY
    logged = "\n".join(record.getMessage() for record in caplog.records)
    names = {record.name for record in caplog.records}
    # The test is meaningful only if the libraries did log headers at DEBUG.
    assert any(name.startswith("httpcore") for name in names)
    assert "set-cookie" in logged.lower()
    assert_clean(logged)
    assert_clean(str(refused.value))


def test_reprs_hide_passwords_tokens_and_private_keys():
    credentials = Credentials(email=EMAIL, password=PASSWORD)
    tokens = Credentials(access_token=ACCESS_TOKEN, secret_token=SECRET_TOKEN)
    pair = SshKeyPair(public_key="ssh-ed25519 AAAA", private_key=PLANTED_PRIVATE_KEY)
    config = load_config(url=BASE_URL, email=EMAIL, password=PASSWORD)
    with GPUEater(BASE_URL, email=EMAIL, password=PASSWORD) as eater:
        texts = [repr(credentials), repr(tokens), repr(pair), repr(config), repr(eater)]
    assert_clean("\n".join(texts))


def test_the_module_api_key_pair_dict_hides_the_private_key_in_its_repr():
    with local_server() as url:
        gpueater.set_client(GPUEater(url, email=EMAIL, password=PASSWORD))
        pair = gpueater.generate_ssh_key()
    assert pair["private_key"] == PLANTED_PRIVATE_KEY
    assert_clean(repr(pair))
    assert_clean(str(pair))


def test_config_errors_never_quote_the_secret_they_complain_about(monkeypatch):
    monkeypatch.setenv("GPUEATER_PASSWORD", PASSWORD)
    with pytest.raises(GPUEaterError) as raised:
        load_config()
    assert_clean(str(raised.value))
