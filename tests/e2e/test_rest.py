"""The product over HTTP: Redis, the action server and Rasa started as `make run` does."""
from __future__ import annotations

import uuid

import pytest

from tests.conftest import RunningStack
from tests.e2e.client import RasaClient, language_of_reply, response_texts

GREETINGS = {
    "el": "Καλησπέρα σας",
    "ru": "Добрый вечер",
    "lt": "Labas vakaras",
    "en": "Good evening",
}


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture()
def client(running_stack: RunningStack) -> RasaClient:
    return RasaClient(running_stack.rasa_url, running_stack.token)


@pytest.mark.parametrize("language", list(GREETINGS))
def test_greeting_is_answered_in_the_customers_language(client: RasaClient, language: str) -> None:
    sender = new_sender()
    [reply] = client.say(sender, GREETINGS[language])
    assert reply in response_texts("utter_greet")[language]
    slots = client.tracker(sender)["slots"]
    assert slots["language"] == language
    assert 0.0 < slots["language_confidence"] <= 1.0


@pytest.mark.parametrize(
    ("language", "text"),
    [("el", "eisai bot?"), ("lt", "ar tu robotas"), ("ru", "ты бот?"), ("en", "r u a bot")],
)
def test_bot_question_in_everyday_spelling(client: RasaClient, language: str, text: str) -> None:
    [reply] = client.say(new_sender(), text)
    assert reply in response_texts("utter_iamabot")[language]


def test_emoji_keeps_the_conversation_language(client: RasaClient) -> None:
    sender = new_sender()
    client.say(sender, GREETINGS["ru"])
    replies = client.say(sender, "👍")
    assert replies and all(language_of_reply(r) == "ru" for r in replies)


def test_explicit_switch_changes_the_reply_language(client: RasaClient) -> None:
    sender = new_sender()
    client.say(sender, GREETINGS["el"])
    [reply] = client.say(sender, "can we speak English?")
    assert reply in response_texts("utter_language_switched")["en"]
    [reply] = client.say(sender, "μπορούμε να μιλήσουμε ελληνικά;")
    assert reply in response_texts("utter_language_switched")["el"]


def test_conversation_survives_a_rasa_restart(running_stack: RunningStack) -> None:
    client = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = new_sender()
    client.say(sender, "Laba diena")
    client.say(sender, "ar jūs robotas?")
    before = [e["text"] for e in client.tracker(sender)["events"] if e["event"] == "user"]

    running_stack.restart_rasa()

    client = RasaClient(running_stack.rasa_url, running_stack.token)
    tracker = client.tracker(sender)
    after = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert after == before == ["Laba diena", "ar jūs robotas?"]
    assert tracker["slots"]["language"] == "lt"
    # The language is remembered: a message without words is answered in Lithuanian.
    replies = client.say(sender, "🙂")
    assert replies and all(language_of_reply(r) == "lt" for r in replies)
