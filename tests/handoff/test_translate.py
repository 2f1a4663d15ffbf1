"""POST /api/translate: the console's translations, through real tiny language packs."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot.translation.factories import PHRASES
from tests.handoff.factories import post


async def test_translates_with_an_installed_pack(make_client, installed_packs: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(installed_packs))
    client, csrf = await make_client("maria")
    reply = await post(client, "/api/translate", csrf, {"text": "Где мой заказ?", "source": "ru", "target": "el"})
    assert reply.status == 200
    body = await reply.json()
    assert body["available"] is True
    assert body["translation"]["text"] == PHRASES[("en", "el")]
    assert body["translation"]["via"] == ["ru", "en", "el"]


async def test_without_a_pack_the_answer_is_a_quiet_unavailable(make_client, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    client, csrf = await make_client("maria")
    reply = await post(client, "/api/translate", csrf, {"text": "Labas", "source": "lt", "target": "en"})
    assert reply.status == 200
    assert await reply.json() == {"available": False, "reason": "no_pack", "source": "lt", "target": "en",
                                  "message": "Translation unavailable: no language pack for lt → en."}


@pytest.mark.parametrize("body, status, code", [
    ({"source": "el", "target": "en"}, 400, "empty_text"),
    ({"text": "  ", "source": "el", "target": "en"}, 400, "empty_text"),
    ({"text": "x" * 4001, "source": "el", "target": "en"}, 413, "text_too_long"),
    ({"text": "Γεια", "source": "Greek", "target": "en"}, 400, "unknown_language"),
    ({"text": "Γεια", "source": "el"}, 400, "unknown_language"),
    ([1, 2], 400, "invalid_payload"),
])
async def test_bad_requests_get_clear_errors(make_client, tmp_path: Path, monkeypatch, body, status, code) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    client, csrf = await make_client("maria")
    reply = await post(client, "/api/translate", csrf, body)
    assert reply.status == status
    assert (await reply.json())["error"] == code


async def test_needs_a_session_and_the_csrf_token(make_client, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    anonymous, _ = await make_client(None)
    assert (await post(anonymous, "/api/translate", None, {"text": "a", "source": "el", "target": "en"})).status == 401
    client, _ = await make_client("maria")
    assert (await post(client, "/api/translate", "forged", {"text": "a", "source": "el", "target": "en"})).status == 403
