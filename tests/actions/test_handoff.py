"""Handoff actions with real rasa_sdk trackers and a real Redis (the queue they write to)."""
from __future__ import annotations

import pytest
import redis.asyncio as aioredis
from rasa_sdk.executor import CollectingDispatcher

import actions.handoff as handoff_actions
from actions.handoff import (
    ActionHandoff,
    ActionHandoffCancel,
    ActionHandoffCsat,
    ActionHandoffSaveContact,
    build_context,
    parse_csat,
)
from bot.phrasing.templates import fill, templates
from handoff.models import Department, TicketStatus
from handoff.queue import ClaimResult, HandoffStore
from tests.actions.factories import handoff_tracker as tracker
from tests.actions.factories import online_agent

CLOSED_ALL_WEEK = {day: [["00:00", "00:01"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def slots_of(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_context_carries_everything_the_agent_needs() -> None:
    context = build_context(tracker("θέλω να μιλήσω με άνθρωπο", "request_human"), "customer_request")
    assert context.channel == "socketio"
    assert context.language == "el"
    assert context.culture == {"locale": "el-GR", "timezone": "Europe/Athens"}
    assert [e.kind for e in context.transcript] == ["customer", "bot", "customer"]
    assert [i["name"] for i in context.intents] == ["greet", "request_human"]
    assert list(context.kb_offered) == ["metric-nps"]
    assert list(context.frustration) == [0.4]
    assert context.slots["language"] == "el"


async def test_escalation_queues_the_ticket_and_tells_place_and_wait(store: HandoffStore, rendered) -> None:
    await online_agent(store, available=False)  # online but away: the ticket waits in the queue
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff().run(dispatcher, tracker("θέλω έναν άνθρωπο", "request_human"), {})
    slots = slots_of(events)
    assert slots["handoff_state"] == "waiting"
    ticket = await store.get_ticket(slots["handoff_ticket"])
    assert ticket.status == TicketStatus.waiting
    assert ticket.context.reason == "customer_request"
    [message] = dispatcher.messages
    assert message["response"] == "utter_handoff_queued"
    assert (message["position"], message["minutes"]) == (1, 5)  # place 1, about 5 minutes, one agent online
    first_in_queue = tuple(fill(v["text"], {"position": 1, "minutes": 5, "ask_name": ""})
                           for v in templates().variations("utter_handoff_queued", "el"))
    shown = rendered(message, "el").text
    assert shown.startswith(first_in_queue) and "όνομά σας" in shown  # no name yet: asked while waiting


async def test_escalating_twice_keeps_one_ticket(store: HandoffStore) -> None:
    await online_agent(store)
    first = tracker("άνθρωπο παρακαλώ", "request_human", sender="same-customer")
    await ActionHandoff().run(CollectingDispatcher(), first, {})
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff().run(dispatcher, first, {})
    assert dispatcher.messages[0]["response"] == "utter_handoff_already_queued"
    assert len(await store.open_tickets()) == 1
    assert slots_of(events)["handoff_ticket"] == (await store.open_tickets())[0].id


async def test_outside_business_hours_takes_an_e_mail_for_an_offline_ticket(store: HandoffStore, rendered) -> None:
    await online_agent(store)
    await store.save_department(Department(name="general", timezone="Europe/Athens", hours=CLOSED_ALL_WEEK))
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff().run(dispatcher, tracker("άνθρωπο", "request_human"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_offline_hours"]  # it asks for the e-mail
    assert dispatcher.messages[0]["when"].endswith(" Europe/Athens")  # written by the NLG endpoint
    assert " στις " in rendered(dispatcher.messages[0], "el").text
    slots = slots_of(events)
    assert slots["handoff_state"] == "offline"
    ticket_id = slots["handoff_ticket"]
    assert (await store.get_ticket(ticket_id)).status == TicketStatus.offline
    assert await store.ticket_for_conversation("nobody") is None

    dispatcher = CollectingDispatcher()
    reply = tracker("δεν έχω email", "give_email", handoff_ticket=ticket_id)
    assert await ActionHandoffSaveContact().run(dispatcher, reply, {}) == []
    assert dispatcher.messages[0]["response"] == "utter_invalid_email"
    dispatcher = CollectingDispatcher()
    reply = tracker("το email μου είναι maria.p@example.gr", "give_email", handoff_ticket=ticket_id)
    await ActionHandoffSaveContact().run(dispatcher, reply, {})
    assert "maria.p@example.gr" in rendered(dispatcher.messages[0], "el").text
    assert (await store.get_ticket(ticket_id)).contact_email == "maria.p@example.gr"


async def test_nobody_online_is_an_offline_ticket_too(store: HandoffStore) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff().run(dispatcher, tracker("άνθρωπο", "request_human"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_offline_no_agents"]
    assert slots_of(events)["handoff_state"] == "offline"


async def test_cancel_while_waiting_and_too_late_after_a_claim(store: HandoffStore) -> None:
    await online_agent(store, available=False)
    waiting = tracker("άνθρωπο", "request_human")
    events = await ActionHandoff().run(CollectingDispatcher(), waiting, {})
    ticket_id = slots_of(events)["handoff_ticket"]
    dispatcher = CollectingDispatcher()
    events = await ActionHandoffCancel().run(dispatcher, tracker("ακύρωση", "cancel_handoff", waiting.sender_id), {})
    assert dispatcher.messages[0]["response"] == "utter_handoff_cancelled"
    assert (await store.get_ticket(ticket_id)).status == TicketStatus.cancelled
    assert slots_of(events) == {"handoff_state": None, "handoff_ticket": None}

    other = tracker("άνθρωπο", "request_human")
    ticket_id = slots_of(await ActionHandoff().run(CollectingDispatcher(), other, {}))["handoff_ticket"]
    assert await store.claim(ticket_id, "maria") == ClaimResult.claimed
    dispatcher = CollectingDispatcher()
    await ActionHandoffCancel().run(dispatcher, tracker("ακύρωση", "cancel_handoff", other.sender_id), {})
    assert dispatcher.messages[0]["response"] == "utter_handoff_cancel_too_late"
    assert (await store.get_ticket(ticket_id)).status == TicketStatus.assigned


async def closed_by_an_agent(store: HandoffStore):
    """A customer whose ticket an agent claimed and closed: the rating question is next."""
    await online_agent(store, available=False)
    customer = tracker("άνθρωπο", "request_human")
    ticket_id = slots_of(await ActionHandoff().run(CollectingDispatcher(), customer, {}))["handoff_ticket"]
    await store.claim(ticket_id, "maria")
    await store.release(ticket_id, "maria", "closed")
    return customer, ticket_id


async def test_rating_is_stored_with_the_ticket(store: HandoffStore) -> None:
    customer, ticket_id = await closed_by_an_agent(store)
    dispatcher = CollectingDispatcher()
    events = await ActionHandoffCsat().run(
        dispatcher, tracker("θα έβαζα 4", "rate", customer.sender_id, handoff_ticket=ticket_id), {})
    assert dispatcher.messages[0]["response"] == "utter_csat_thanks"
    assert (await store.get_ticket(ticket_id)).csat == 4
    assert slots_of(events)["handoff_state"] is None


async def test_redis_down_is_a_polite_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts.stack import free_port

    dead = HandoffStore(aioredis.Redis(port=free_port(), socket_connect_timeout=0.5))
    monkeypatch.setattr(handoff_actions, "handoff_store", lambda: dead)
    dispatcher = CollectingDispatcher()
    assert await ActionHandoff().run(dispatcher, tracker("άνθρωπο", "request_human"), {}) == []
    assert dispatcher.messages[0]["response"] == "utter_handoff_unavailable"


@pytest.mark.parametrize(("text", "entity", "score"), [
    ("5", None, 5), ("θα έβαζα 4", None, 4), ("⭐⭐⭐", None, 3), ("πέντε", None, 5), ("penki", None, 5),
    ("/rate", "2", 2), ("10/10", None, None), ("great", None, None),
])
def test_parse_csat(text: str, entity: str | None, score: int | None) -> None:
    assert parse_csat(text, entity) == score


async def test_ticket_goes_to_the_department_owning_the_topic(store: HandoffStore) -> None:
    await online_agent(store, available=False)
    await store.save_department(Department(name="metrics", timezone="Europe/Athens", topics=("metric-",)))
    events = await ActionHandoff().run(CollectingDispatcher(), tracker("άνθρωπο", "request_human"), {})
    ticket = await store.get_ticket(slots_of(events)["handoff_ticket"])
    assert ticket.department == "metrics"  # the customer was offered metric-nps


async def test_a_frustrated_rating_or_address_is_apologised_for_before_the_thanks(store: HandoffStore) -> None:
    customer, ticket_id = await closed_by_an_agent(store)
    angry = tracker("1. Απαράδεκτο!!!", "rate", customer.sender_id, handoff_ticket=ticket_id, frustration=0.7)
    angry.latest_message["frustration_detection"] = {"score": 0.7, "reasons": ["punctuation !!!"]}
    dispatcher = CollectingDispatcher()
    await ActionHandoffCsat().run(dispatcher, angry, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_frustration_sorry", "utter_csat_thanks"]

    offline = tracker("άνθρωπο", "request_human")
    offline_ticket = slots_of(await ActionHandoff().run(CollectingDispatcher(), offline, {}))["handoff_ticket"]
    address = tracker("maria.p@example.gr", "give_email", offline.sender_id, handoff_ticket=offline_ticket,
                      frustration=0.6)
    address.latest_message["frustration_detection"] = {"score": 0.0, "reasons": []}
    dispatcher = CollectingDispatcher()
    await ActionHandoffSaveContact().run(dispatcher, address, {})
    # A calm address after an angry message: no second apology, the thanks.
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_contact_saved"]
