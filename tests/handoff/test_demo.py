"""The website widget demo page: where it points the widget, and what it says when the
widget is not installed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoff import demo
from handoff.app import create_app
from handoff.settings import Settings


async def get_demo(aiohttp_client, redis_url: str, **settings: str):
    app = create_app(Settings(redis_url=redis_url, rasa_url="http://10.0.0.5:5005", rasa_token="t", **settings))
    client = await aiohttp_client(app)
    return await client.get("/demo", headers={"Host": "shop.example:8080"})


async def test_default_socket_url_is_the_page_host_with_rasas_port(aiohttp_client, redis_url: str) -> None:
    assert demo.BUNDLE.is_file(), "the widget is not installed: run bash scripts/ensure_webchat.sh"
    reply = await get_demo(aiohttp_client, redis_url)
    assert reply.status == 200
    page = await reply.text()
    assert re.search(r'data-socket-url="http://shop\.example:5005"', page)
    policy = dict(d.strip().split(" ", 1) for d in reply.headers["Content-Security-Policy"].split(";"))
    assert policy["connect-src"] == "'self' http://shop.example:5005 ws://shop.example:5005"
    # Scripts only from this service (default-src): no inline script, no CDN.
    assert "script-src" not in policy and policy["default-src"] == "'self'"


async def test_public_socket_url_setting_wins(aiohttp_client, redis_url: str) -> None:
    assert demo.BUNDLE.is_file(), "the widget is not installed: run bash scripts/ensure_webchat.sh"
    reply = await get_demo(aiohttp_client, redis_url, widget_socket_url="https://chat.example.com")
    assert 'data-socket-url="https://chat.example.com"' in await reply.text()
    assert "wss://chat.example.com" in reply.headers["Content-Security-Policy"]


async def test_missing_widget_tells_the_operator_what_to_run(aiohttp_client, redis_url: str,
                                                             monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(demo, "BUNDLE", tmp_path / "missing" / "index.js")
    reply = await get_demo(aiohttp_client, redis_url)
    assert reply.status == 503
    assert "scripts/ensure_webchat.sh" in await reply.text()


@pytest.mark.parametrize("value", ["ftp://x", "chat.example.com", "http://"])
def test_bad_public_socket_url_fails_fast(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("RASA_TOKEN", "t")
    monkeypatch.setenv("WIDGET_SOCKET_URL", value)
    with pytest.raises(ValueError, match="WIDGET_SOCKET_URL"):
        Settings.from_env()
