"""Rasa's NLG client with the local fallback: the endpoint first, the same rendering here
when the handoff service is down, and real errors still raised."""
from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot.phrasing.remote import FallbackNaturalLanguageGenerator
from bot.phrasing.templates import templates
from scripts.stack import free_port

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def conversation(domain: Domain) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("remote-test", [
        UserUttered("Labas", intent={"name": "greet", "confidence": 0.9},
                    metadata={"timezone": "Europe/Vilnius"}),
        SlotSet("language", "lt"),
    ], domain.slots)


async def stand_in(aiohttp_server, status: int, body: dict):
    seen: list[dict] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(await request.json())
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_post("/nlg", handle)
    server = await aiohttp_server(app)
    return str(server.make_url("/nlg")), seen


async def test_the_endpoint_answers_when_it_is_up(aiohttp_server, domain) -> None:
    url, seen = await stand_in(aiohttp_server, 200, {"text": "from the endpoint", "buttons": []})
    reply = await FallbackNaturalLanguageGenerator(EndpointConfig(url)).generate(
        "utter_welcome", conversation(domain), "rest")
    assert reply["text"] == "from the endpoint"
    assert seen[0]["response"] == "utter_welcome" and seen[0]["tracker"]["slots"]["language"] == "lt"


async def test_rendered_here_when_the_service_is_down(domain) -> None:
    nlg = FallbackNaturalLanguageGenerator(EndpointConfig(f"http://127.0.0.1:{free_port()}/nlg"))
    reply = await nlg.generate("utter_handoff_queued", conversation(domain), "rest", position=3, minutes=4)
    assert "3" in reply["text"] and "4" in reply["text"]
    assert any(reply["text"].startswith(v["text"].split("{position}")[0])
               for v in templates().variations("utter_handoff_queued", "lt"))


async def test_rendered_here_when_the_service_fails(aiohttp_server, domain) -> None:
    url, _ = await stand_in(aiohttp_server, 503, {"error": "unavailable"})
    reply = await FallbackNaturalLanguageGenerator(EndpointConfig(url)).generate(
        "utter_welcome", conversation(domain), "rest")
    assert reply["text"] in {v["text"] for v in templates().variations("utter_welcome", "lt")}


async def test_a_refused_request_is_not_hidden(aiohttp_server, domain) -> None:
    url, _ = await stand_in(aiohttp_server, 401, {"error": "not_authenticated"})
    with pytest.raises(ClientResponseError):
        await FallbackNaturalLanguageGenerator(EndpointConfig(url)).generate(
            "utter_welcome", conversation(domain), "rest")
