"""Responses rendered by the NLG endpoint of the running handoff service, end to end:
REST channel -> Rasa -> POST /nlg (with the API token) -> the customer's reply."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import requests

from bot.phrasing.clock import greeting
from bot.phrasing.culture import profile_for
from tests.conftest import RunningStack
from tests.e2e.agent_client import AgentClient
from tests.e2e.client import RasaClient, matches, response_texts
from tests.e2e.conftest import PASSWORD

ZONE = "Asia/Tokyo"  # far from the server's clock: the greeting must follow the customer's


def test_greek_greeting_uses_the_vocative_and_the_customers_time_of_day(running_stack: RunningStack) -> None:
    client = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = f"nlg-{uuid.uuid4().hex[:8]}"
    profile = profile_for("el", {"timezone": ZONE})
    before = greeting(datetime.now(timezone.utc), profile)
    [reply] = client.say(sender, "Καλησπέρα σας", {"name": "Γιώργος Παπαδόπουλος", "gender": "male",
                                                   "timezone": ZONE, "locale": "el-GR"})
    after = greeting(datetime.now(timezone.utc), profile)
    assert reply.startswith((f"{before}, κύριε Παπαδόπουλε! ", f"{after}, κύριε Παπαδόπουλε! ")), reply
    assert matches(reply, "utter_greet", "el"), reply

    # Later messages carry no metadata: the profile is remembered from the conversation.
    [thanks] = client.say(sender, "ευχαριστώ πολύ")
    assert matches(thanks, "utter_welcome", "el"), thanks


def test_nlg_endpoint_refuses_requests_without_the_token(running_stack: RunningStack) -> None:
    url = f"{running_stack.handoff_url}/nlg"
    body = {"response": "utter_greet", "arguments": {},
            "tracker": {"slots": {"language": "el"}, "events": []}}
    refused = requests.post(url, json=body, timeout=10)
    assert refused.status_code == 401 and refused.json()["error"] == "not_authenticated"
    accepted = requests.post(url, json=body, headers={"Authorization": f"Bearer {running_stack.token}"},
                             timeout=10)
    assert accepted.status_code == 200 and matches(accepted.json()["text"], "utter_greet", "el")


def test_a_name_the_customer_gives_is_kept_and_used(running_stack: RunningStack) -> None:
    client = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = f"nlg-{uuid.uuid4().hex[:8]}"
    [reply] = client.say(sender, "Καλησπέρα σας, με λένε Γιώργο Παπαδόπουλο", {"gender": "male"})
    assert client.tracker(sender)["slots"]["customer_name"] == "Γιώργος Παπαδόπουλος"
    assert ", κύριε Παπαδόπουλε! " in reply, reply


def test_the_bot_still_answers_while_the_handoff_service_is_down(running_stack: RunningStack) -> None:
    client = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = f"nlg-{uuid.uuid4().hex[:8]}"
    port = int(running_stack.handoff_url.rsplit(":", 1)[1])
    running_stack.stack.kill("handoff")
    try:
        [reply] = client.say(sender, "Laba diena", {"first_name": "Jonas", "last_name": "Kazlauskas",
                                                    "gender": "male", "timezone": "Europe/Vilnius"})
        assert ", pone Kazlauskai! " in reply, reply  # rendered in Rasa by the same code
        assert matches(reply, "utter_greet", "lt"), reply
    finally:
        running_stack.handoff_url = running_stack.stack.start_handoff(port, running_stack.rasa_url,
                                                                      running_stack.token)


def test_the_name_asked_while_waiting_is_kept_after_the_bot_is_back(running_stack: RunningStack,
                                                                     agents: tuple[str, str]) -> None:
    AgentClient(running_stack.handoff_url, agents[0], PASSWORD).heartbeat(available=False)
    client = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = f"nlg-{uuid.uuid4().hex[:8]}"
    client.say(sender, "Hello")
    [queued] = client.say(sender, "I want to talk to a human")
    assert matches(queued, "utter_handoff_queued", "en"), queued
    assert any(queued.endswith(" " + ask) for ask in response_texts("utter_ask_customer_name")["en"]), queued
    assert client.say(sender, "Maria Papadopoulou") == []  # waiting: the answer goes to the agent
    [cancelled] = client.say(sender, "cancel")
    assert matches(cancelled, "utter_handoff_cancelled", "en"), cancelled
    client.say(sender, "thank you")
    assert client.tracker(sender)["slots"]["customer_name"] == "Maria Papadopoulou"
