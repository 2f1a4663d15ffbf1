"""Frustration through the running stack: a mildly frustrated question is acknowledged
(with a person on offer) before the answer; frustrated small talk gets a person offered
instead of a pleasantry; a very frustrated message is escalated at once, as a
high-priority ticket with the frustration history."""
from __future__ import annotations

import uuid

import pytest
import requests

from bot.escalation import ACKNOWLEDGE_AT, ESCALATE_AT, FRUSTRATION_PRIORITY_BONUS
from bot.kb import DEFAULT_ROOT, KnowledgeBase
from tests.conftest import RunningStack
from tests.e2e.agent_client import AgentClient
from tests.e2e.client import RasaClient, matches
from tests.e2e.conftest import PASSWORD


def messages(stack: RunningStack, sender: str, text: str) -> list[dict]:
    """Every message of the bot's reply, buttons included."""
    reply = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                          json={"sender": sender, "message": text}, timeout=60)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_mild_frustration_is_acknowledged_with_a_person_on_offer(running_stack: RunningStack,
                                                                 agents: tuple[str, str]) -> None:
    AgentClient(running_stack.handoff_url, agents[0], PASSWORD).heartbeat(available=False)
    sender = f"frus-{uuid.uuid4().hex[:8]}"
    replies = messages(running_stack, sender, "Третий раз спрашиваю: что такое портал самообслуживания?")
    acknowledgement, answer = replies[0], replies[1]
    assert matches(acknowledgement["text"], "utter_frustration_acknowledge", "ru"), acknowledgement
    assert [b["payload"] for b in acknowledgement.get("buttons") or []] == ["/request_human"]
    # Then the knowledge base: the article, or a clarifying question offering it.
    title = KnowledgeBase.load(DEFAULT_ROOT).article("ru", "self-service-portal").title
    assert answer["text"].startswith(title) or (
        matches(answer["text"], "utter_kb_clarify", "ru") and title in [b["title"] for b in answer["buttons"]]
    ), answer
    slots = RasaClient(running_stack.rasa_url, running_stack.token).tracker(sender)["slots"]
    assert ACKNOWLEDGE_AT <= slots["frustration"] < ESCALATE_AT
    assert slots["frustration_trend"] == "rising" and slots["handoff_state"] is None
    # The offered button takes the customer to a person.
    queued = [m["text"] for m in messages(running_stack, sender, "/request_human")]
    assert len(queued) == 1 and matches(queued[0], "utter_handoff_queued", "ru"), queued


@pytest.mark.parametrize(("language", "text", "yes"), [
    ("en", "Thanks for nothing.", "yes please"),
    ("el", "Είστε άχρηστοι. Αντίο.", "ναι, παρακαλώ"),
])
def test_frustrated_small_talk_gets_a_person_offered_not_a_pleasantry(
    running_stack: RunningStack, agents: tuple[str, str], language: str, text: str, yes: str
) -> None:
    AgentClient(running_stack.handoff_url, agents[0], PASSWORD).heartbeat(available=False)
    sender = f"frus-{uuid.uuid4().hex[:8]}"
    [offer] = messages(running_stack, sender, text)   # no "you're welcome", no goodbye
    assert matches(offer["text"], "utter_frustration_offer_human", language), offer
    assert [b["payload"] for b in offer.get("buttons") or []] == ["/request_human"]
    slots = RasaClient(running_stack.rasa_url, running_stack.token).tracker(sender)["slots"]
    assert ACKNOWLEDGE_AT <= slots["frustration"] < ESCALATE_AT and slots["handoff_state"] is None
    # A yes takes the offer.
    queued = [m["text"] for m in messages(running_stack, sender, yes)]
    assert len(queued) == 1 and matches(queued[0], "utter_handoff_queued", language), queued


def test_strong_frustration_escalates_at_once_with_high_priority(running_stack: RunningStack,
                                                                 agents: tuple[str, str]) -> None:
    maria = AgentClient(running_stack.handoff_url, agents[0], PASSWORD)
    maria.heartbeat(available=False)   # online but away: the ticket waits in the queue
    customer = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = f"frus-{uuid.uuid4().hex[:8]}"
    calm = customer.say(sender, "Laba diena")
    assert calm and not any(matches(t, "utter_frustration_acknowledge", "lt") for t in calm)
    replies = customer.say(sender, "KIEK GALIMA?! Jau trečią kartą rašau, tai nesąmonė 😡")
    assert matches(replies[0], "utter_frustration_escalate", "lt"), replies
    assert matches(replies[1], "utter_handoff_queued", "lt"), replies
    slots = customer.tracker(sender)["slots"]
    assert slots["frustration"] >= ESCALATE_AT and slots["handoff_state"] == "waiting"
    found = maria.ticket(slots["handoff_ticket"])
    assert found["context"]["reason"] == "frustration"
    assert found["context"]["frustration"][-1] == slots["frustration"]
    assert found["context"]["frustration"][0] < ESCALATE_AT          # the calm greeting came first
    assert found["context"]["slots"]["frustration_reasons"]
    assert found["ticket"]["priority"] >= 10 * ESCALATE_AT + FRUSTRATION_PRIORITY_BONUS
