"""credentials.yml reads every channel secret from the environment; the stack defines them."""
from __future__ import annotations

import pytest
from rasa.core.run import create_http_input_channels

from bot.channels.messenger import MessengerChannel
from bot.channels.telegram import TelegramChannel
from scripts.stack import CHANNEL_VARIABLES, ROOT, rasa_env

CREDENTIALS = str(ROOT / "credentials.yml")


def channels(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> dict[str, object]:
    for name in CHANNEL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in rasa_env(env).items():
        if name in CHANNEL_VARIABLES:
            monkeypatch.setenv(name, value)
    return {channel.name(): channel for channel in create_http_input_channels(None, CREDENTIALS)}


def test_unset_variables_leave_the_channels_unconfigured(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = channels(monkeypatch, {})
    telegram, messenger = loaded["telegram"], loaded["messenger"]
    assert isinstance(telegram, TelegramChannel) and isinstance(messenger, MessengerChannel)
    assert telegram.settings.missing() == ["TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN"]
    assert telegram.settings.api_url == "https://api.telegram.org"
    assert messenger.settings.missing() == ["MESSENGER_PAGE_ACCESS_TOKEN", "MESSENGER_APP_SECRET",
                                            "MESSENGER_VERIFY_TOKEN"]
    assert messenger.settings.api_url == "https://graph.facebook.com/v18.0"
    assert telegram.get_output_channel() is None


def test_secrets_and_urls_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = channels(monkeypatch, {
        "TELEGRAM_TOKEN": "123:abc", "TELEGRAM_SECRET_TOKEN": "s", "TELEGRAM_API_URL": "http://127.0.0.1:8081",
        "MESSENGER_PAGE_ACCESS_TOKEN": "EAAB", "MESSENGER_APP_SECRET": "a", "MESSENGER_VERIFY_TOKEN": "v",
        "MESSENGER_API_URL": "http://127.0.0.1:8082/v18.0",
    })
    assert loaded["telegram"].settings.method_url("sendMessage") == "http://127.0.0.1:8081/bot123:abc/sendMessage"
    assert loaded["messenger"].settings.missing() == []
    assert loaded["messenger"].settings.api_url == "http://127.0.0.1:8082/v18.0"
