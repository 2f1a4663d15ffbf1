"""Handoff paths over real HTTP: cancel while waiting, and close with a rating."""
from __future__ import annotations

import uuid

from bot.kb import DEFAULT_ROOT, KnowledgeBase
from tests.conftest import RunningStack
from tests.e2e.agent_client import AgentClient
from tests.e2e.client import RasaClient, matches
from tests.e2e.conftest import PASSWORD


def escalate(customer: RasaClient, sender: str, greeting: str, request: str) -> str:
    customer.say(sender, greeting)
    customer.say(sender, request)
    return customer.tracker(sender)["slots"]["handoff_ticket"]


def test_customer_cancels_while_waiting_and_the_bot_is_back(running_stack: RunningStack,
                                                             agents: tuple[str, str]) -> None:
    maria = AgentClient(running_stack.handoff_url, agents[0], PASSWORD)
    maria.heartbeat(available=False)
    customer = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = f"cancel-{uuid.uuid4().hex[:8]}"
    ticket_id = escalate(customer, sender, "Добрый день", "соедините меня с оператором пожалуйста")
    [reply] = customer.say(sender, "отмените заявку, я не буду ждать")
    assert matches(reply, "utter_handoff_cancelled", "ru"), reply
    assert maria.get(f"/api/tickets/{ticket_id}").json()["ticket"]["status"] == "cancelled"
    # The bot answers again.
    [answer, _helpful] = customer.say(sender, "что такое портал самообслуживания?")
    assert answer.startswith(KnowledgeBase.load(DEFAULT_ROOT).article("ru", "self-service-portal").title)


def test_agent_closes_and_the_customer_rates(running_stack: RunningStack, agents: tuple[str, str]) -> None:
    maria = AgentClient(running_stack.handoff_url, agents[0], PASSWORD)
    maria.heartbeat(available=False)
    customer = RasaClient(running_stack.rasa_url, running_stack.token)
    sender = f"rate-{uuid.uuid4().hex[:8]}"
    ticket_id = escalate(customer, sender, "Laba diena", "noriu kalbėti su konsultantu")
    assert maria.post(f"/api/tickets/{ticket_id}/claim").status_code == 200
    assert maria.post(f"/api/tickets/{ticket_id}/messages", {"text": "Sveiki, aš Marija."}).status_code == 201
    assert maria.post(f"/api/tickets/{ticket_id}/close").status_code == 200
    events = customer.tracker(sender)["events"]
    bot_texts = [e["text"] for e in events if e["event"] == "bot"]
    assert "Sveiki, aš Marija." in bot_texts
    assert matches(bot_texts[-1], "utter_ask_csat", "lt"), bot_texts[-1]
    [thanks] = customer.say(sender, "/rate{\"csat_score\":\"5\"}")
    assert matches(thanks, "utter_csat_thanks", "lt"), thanks
    closed = maria.http.get(f"{running_stack.handoff_url}/api/tickets/{ticket_id}", timeout=10).json()
    assert closed["ticket"]["csat"] == 5
