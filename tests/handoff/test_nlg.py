"""The NLG endpoint through aiohttp_client, called by Rasa's own NLG client code
(CallbackNaturalLanguageGenerator and RemoteAction's handling of action messages)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator, nlg_request_format
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.phrasing.templates import fill, templates
from handoff.app import create_app
from handoff.settings import Settings

TOKEN = "nlg-test-token"
ROOT = Path(__file__).resolve().parents[2]
GREEK_GREETINGS = ("Καλημέρα σας", "Καλησπέρα σας", "Χαίρετε")


@pytest.fixture
async def client(aiohttp_client, redis_url: str):
    app = create_app(Settings(redis_url=redis_url, rasa_url="http://127.0.0.1:9", rasa_token=TOKEN))
    return await aiohttp_client(app)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def conversation(domain: Domain, language: str, **metadata: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("nlg-test", [
        UserUttered("Καλησπέρα", intent={"name": "greet", "confidence": 0.9}, metadata=metadata),
        SlotSet("language", language),
    ], domain.slots)


def generator(client) -> CallbackNaturalLanguageGenerator:
    return CallbackNaturalLanguageGenerator(EndpointConfig(
        str(client.make_url("/nlg")), headers={"Authorization": f"Bearer {TOKEN}"}))


async def test_rasa_gets_the_greeting_with_the_customers_title_and_time_of_day(client, domain) -> None:
    tracker = conversation(domain, "el", name="Γιώργος Παπαδόπουλος", gender="male", timezone="Europe/Athens")
    reply = await generator(client).generate("utter_greet", tracker, "rest",
                                             domain_responses=domain.responses)
    assert CallbackNaturalLanguageGenerator.validate_response(reply)
    expected = tuple(f"{g}, κύριε Παπαδόπουλε! " for g in GREEK_GREETINGS)
    assert reply["text"].startswith(expected), reply["text"]
    assert reply["buttons"] == []


async def test_an_action_message_gets_template_buttons_and_the_actions_own(client, domain) -> None:
    """What rasa_sdk's utter_message(response=..., buttons=..., **values) becomes in Rasa."""
    tracker = conversation(domain, "lt")
    extra = [{"title": "Kita tema", "payload": "/ask_question"}]
    sent = {"text": None, "buttons": extra, "elements": [], "custom": {}, "template": "utter_kb_was_helpful",
            "response": "utter_kb_was_helpful", "image": None, "attachment": None}
    output = type("Output", (), {"name": staticmethod(lambda: "rest")})()
    [event] = await RemoteAction._utter_responses([sent], output, generator(client), tracker)
    assert event.text == "Ar šis atsakymas Jums padėjo?"
    assert [b["payload"] for b in event.data["buttons"]] == ["/affirm", "/deny", "/kb_read_more", "/ask_question"]


async def test_values_fill_the_template_in_the_conversations_language(client, domain) -> None:
    queued = [fill(v["text"], {"position": 2, "minutes": 7, "ask_name": ""})
              for v in templates().variations("utter_handoff_queued", "ru")]
    asks = [v["text"] for v in templates().variations("utter_ask_customer_name", "ru")
            if v.get("formality") == "formal"]
    for metadata, expected in (({}, {f"{q} {a}" for q in queued for a in asks}),
                               ({"name": "Анна Сергеевна Иванова"}, set(queued))):
        tracker = conversation(domain, "ru", **metadata)
        body = nlg_request_format("utter_handoff_queued", tracker, "socketio", position=2, minutes=7)
        reply = await client.post("/nlg", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert reply.status == 200
        assert (await reply.json())["text"] in expected  # the name is asked for only when unknown


@pytest.mark.parametrize(("headers", "status", "error"), [
    ({}, 401, "not_authenticated"),
    ({"Authorization": "Bearer wrong"}, 401, "not_authenticated"),
])
async def test_requests_without_the_token_are_refused(client, headers, status, error) -> None:
    reply = await client.post("/nlg", json={"response": "utter_greet", "tracker": {}}, headers=headers)
    assert reply.status == status
    assert (await reply.json())["error"] == error


@pytest.mark.parametrize(("body", "status", "error"), [
    (b"{not json", 400, "invalid_json"),
    (b"\xff\xfe", 400, "invalid_json"),
    (b"[1, 2]", 400, "invalid_payload"),
    (json.dumps({"tracker": {}}).encode(), 400, "invalid_response"),
    (json.dumps({"response": "", "tracker": {}}).encode(), 400, "invalid_response"),
    (json.dumps({"response": "x" * 101}).encode(), 400, "invalid_response"),
    (json.dumps({"response": "utter_greet", "arguments": []}).encode(), 400, "invalid_arguments"),
    (json.dumps({"response": "utter_greet", "tracker": {"slots": []}}).encode(), 400, "invalid_tracker"),
    (json.dumps({"response": "utter_greet", "tracker": {"events": {}}}).encode(), 400, "invalid_tracker"),
    (json.dumps({"response": "utter_greet", "channel": "rest"}).encode(), 400, "invalid_channel"),
    (json.dumps({"response": "utter_no_such_thing", "tracker": {}}).encode(), 404, "unknown_response"),
])
async def test_bad_requests_get_a_json_error(client, body: bytes, status: int, error: str) -> None:
    reply = await client.post("/nlg", data=body, headers={"Authorization": f"Bearer {TOKEN}",
                                                          "Content-Type": "application/json"})
    assert reply.status == status
    payload = await reply.json()
    assert payload["error"] == error and payload["message"]


async def test_older_rasa_template_key_and_bad_metadata_still_render(client) -> None:
    """A request naming the response as "template", with junk hints: the defaults apply."""
    body = {"template": "utter_welcome", "arguments": {},
            "tracker": {"slots": {"language": "en"}, "events": [
                {"event": "user", "metadata": {"timezone": "Mars/Olympus", "name": "\u0000x", "locale": 7}}]}}
    reply = await client.post("/nlg", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status == 200
    assert (await reply.json())["text"] in {v["text"] for v in templates().variations("utter_welcome", "en")}


async def test_a_long_conversation_is_read_whole(client, domain) -> None:
    """A tracker far over the service's usual 256 KiB body limit, sent in many chunks."""
    tracker = conversation(domain, "el", timezone="Europe/Athens")
    for n in range(3000):
        text = f"μήνυμα {n} " + "λόγια " * 20
        tracker.update(UserUttered(text, intent={"name": "ask_question", "confidence": 0.5}))
    body = json.dumps(nlg_request_format("utter_welcome", tracker, "rest")).encode()
    assert len(body) > 1024 * 1024
    reply = await client.post("/nlg", data=body, headers={"Authorization": f"Bearer {TOKEN}",
                                                          "Content-Type": "application/json"})
    assert reply.status == 200
    assert (await reply.json())["text"] in {v["text"] for v in templates().variations("utter_welcome", "el")
                                            if v.get("formality") != "informal"}


async def test_the_name_question_is_marked_for_rasas_bot_event(client, domain) -> None:
    for metadata, marked in (({}, True), ({"name": "Анна Сергеевна Иванова"}, False)):
        body = nlg_request_format("utter_handoff_queued", conversation(domain, "ru", **metadata), "rest",
                                  position=1, minutes=2)
        answer = await client.post("/nlg", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        reply = await answer.json()
        assert reply.get("asked_name", False) is marked
