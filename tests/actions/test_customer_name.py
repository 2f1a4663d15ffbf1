"""The customer_name slot mapping with real rasa_sdk trackers."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.customer_name import ActionCustomerName
from bot.phrasing.names import introduced_name


def tracker(text: str, metadata: dict | None = None, **slots) -> Tracker:
    return Tracker(
        sender_id="name-test", slots={"language": "en", **slots},
        latest_message={"text": text, "intent": {"name": "greet", "confidence": 0.9}, "entities": [],
                        "metadata": metadata or {}},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )


async def run(t: Tracker) -> dict:
    events = await ActionCustomerName().run(CollectingDispatcher(), t, {})
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


@pytest.mark.parametrize(("text", "name"), [
    ("Hi, my name is maria papadopoulou.", "Maria Papadopoulou"),
    ("Καλησπέρα, με λένε Γιώργο Παπαδόπουλο", "Γιώργος Παπαδόπουλος"),  # accusative back to nominative
    ("Καλημέρα σας, ονομάζομαι Ελένη Νικολαΐδου και έχω ένα ερώτημα", "Ελένη Νικολαΐδου"),
    ("hi my name is john and i need help", "John"),
    ("Здравствуйте, меня зовут Анна Сергеевна, у меня вопрос", "Анна Сергеевна"),
    ("Laba diena, mano vardas yra Ona Kazlauskienė", "Ona Kazlauskienė"),
    ("my name is not important", None),
    ("I want to talk to a human", None),
    ("меня зовут 12345", None),
])
def test_introductions(text: str, name: str | None) -> None:
    assert introduced_name(text) == name


async def test_a_name_the_customer_gives_is_stored_and_wins_over_the_profile() -> None:
    given = tracker("my name is Alex Taylor", {"name": "alex_t 2000"})
    assert await run(given) == {"customer_name": "Alex Taylor"}
    assert await run(tracker("Call me later, my name is Alex Taylor", customer_name="Alex T")) == {
        "customer_name": "Alex Taylor"}


async def test_the_profile_name_fills_an_empty_slot_and_nothing_erases_a_known_one() -> None:
    profile = {"first_name": "John", "last_name": "Smith"}
    assert await run(tracker("hello", profile)) == {"customer_name": "John Smith"}
    other = {"first_name": "Someone", "last_name": "Else"}
    assert await run(tracker("hello", other, customer_name="John Smith")) == {}
    assert await run(tracker("hello")) == {}
    assert await run(tracker("hello", {"name": "<script>"})) == {}


@pytest.mark.parametrize(("answer", "name"), [
    ("Maria Papadopoulou", "Maria Papadopoulou"), ("Анна Сергеевна", "Анна Сергеевна"),
    ("με λένε Γιώργο", "Γιώργος"), ("Ok", None), ("Да", None), ("I am still waiting", None),
])
async def test_the_answer_to_the_name_question_is_stored_with_the_next_message(answer: str,
                                                                                name: str | None) -> None:
    asked = {"event": "bot", "text": "… how may our colleague address you?", "metadata": {"asked_name": True}}
    t = tracker("hello again")
    t.events = [{"event": "bot", "text": "Hello", "metadata": {}}, {"event": "user", "text": "Maybe Later"},
                asked, {"event": "user", "text": answer}, {"event": "user", "text": "Second Message"}]
    assert await run(t) == ({"customer_name": name} if name else {})
