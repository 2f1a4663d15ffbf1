"""Messenger end to end: signed page webhooks posted to Rasa, replies recorded at a loopback
stand-in for the Graph API, and an agent's reply sent with the HUMAN_AGENT tag."""
from __future__ import annotations

import time
from typing import Callable

import pytest
import requests

from tests.conftest import RunningStack
from tests.e2e.agent_client import AgentClient
from tests.e2e.client import RasaClient, matches
from tests.e2e.conftest import PASSWORD
from tests.e2e.platforms import (
    GraphApi,
    Platforms,
    Recorded,
    dumps,
    messenger_body,
    messenger_delivery,
    messenger_echo,
    messenger_quick_reply,
    messenger_read,
    messenger_sticker,
    messenger_text,
    new_id,
    unique_surname,
)


@pytest.fixture()
def graph(platforms: Platforms) -> GraphApi:
    return platforms.graph


def webhook(stack: RunningStack) -> str:
    return f"{stack.rasa_url}/webhooks/messenger/webhook"


def post(stack: RunningStack, body: dict | bytes, signature: str | None) -> requests.Response:
    raw = body if isinstance(body, bytes) else dumps(body)
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return requests.post(webhook(stack), data=raw, headers=headers, timeout=10)


def send(stack: RunningStack, *events: dict) -> None:
    raw = dumps(messenger_body(*events))
    reply = post(stack, raw, stack.platforms.sign(raw))
    assert reply.status_code == 200, reply.text


def new_customer(graph: GraphApi, locale: str, first_name: str, last_name: str) -> str:
    psid = str(new_id())
    graph.profiles[psid] = {"first_name": first_name, "last_name": last_name, "locale": locale}
    return psid


def sent(graph: GraphApi, psid: str, count: int) -> list[Recorded]:
    return graph.wait_for(graph.sent_to(psid), count)


def sent_message(graph: GraphApi, psid: str, check: Callable[[dict], bool]) -> dict:
    """The first Send API body for this customer that passes ``check``, once it arrived."""
    return graph.wait_for(lambda r: graph.sent_to(psid)(r) and check(r.body))[0].body


def says(response: str, language: str) -> Callable[[dict], bool]:
    return lambda body: matches(body["message"].get("text", ""), response, language)


def user_events(customer: RasaClient, psid: str) -> list[dict]:
    return [e for e in customer.tracker(f"fb:{psid}")["events"] if e["event"] == "user"]


def wait_user_events(customer: RasaClient, psid: str, count: int, timeout: float = 30) -> list[dict]:
    """The conversation's user events once ``count`` are saved (replies go out before the save)."""
    deadline = time.monotonic() + timeout
    while True:
        events = user_events(customer, psid)
        if len(events) >= count or time.monotonic() > deadline:
            return events
        time.sleep(0.1)


def test_subscription_check(running_stack: RunningStack, platforms: Platforms) -> None:
    good = {"hub.mode": "subscribe", "hub.verify_token": platforms.verify_token, "hub.challenge": "1158201444"}
    reply = requests.get(webhook(running_stack), params=good, timeout=10)
    assert (reply.status_code, reply.text) == (200, "1158201444")
    reply = requests.get(webhook(running_stack), params={**good, "hub.verify_token": "guess"}, timeout=10)
    assert reply.status_code == 403 and reply.json()["error"] == "invalid_verify_token"


def test_russian_text_is_answered_in_russian_without_a_tag(running_stack: RunningStack, graph: GraphApi,
                                                           customer: RasaClient) -> None:
    psid = new_customer(graph, "ru_RU", "Анна", "Иванова")
    send(running_stack, messenger_text(psid, "Добрый вечер"))
    reply = sent_message(graph, psid, says("utter_greet", "ru"))
    assert reply["messaging_type"] == "RESPONSE" and "tag" not in reply
    [event] = wait_user_events(customer, psid, 1)
    assert event["input_channel"] == "messenger"
    assert {k: event["metadata"].get(k) for k in ("locale", "first_name", "last_name", "name")} == {
        "locale": "ru-RU", "first_name": "Анна", "last_name": "Иванова", "name": "Анна Иванова"}


def test_quick_replies_and_a_press(running_stack: RunningStack, graph: GraphApi) -> None:
    psid = new_customer(graph, "lt_LT", "Jonas", "Jonaitis")
    send(running_stack, messenger_text(psid, "kas yra savitarnos portalas?"))
    helpful = sent_message(graph, psid, lambda b: any(
        r["payload"] == "/affirm" for r in b["message"].get("quick_replies", [])))
    replies = helpful["message"]["quick_replies"]
    # Messenger shows only the last message's quick replies: the vote, "read more", related.
    assert [r["payload"] for r in replies][:3] == ["/affirm", "/deny", "/kb_read_more"]
    assert all(len(r["title"]) <= 20 for r in replies)
    send(running_stack, messenger_quick_reply(psid, replies[0]["title"], replies[0]["payload"]))
    sent_message(graph, psid, says("utter_kb_feedback_thanks", "lt"))


def test_sticker_gets_a_note_and_echoes_deliveries_reads_are_ignored(running_stack: RunningStack,
                                                                      graph: GraphApi,
                                                                      customer: RasaClient) -> None:
    psid = new_customer(graph, "el_GR", "Ελένη", "Παπά")
    send(running_stack, messenger_echo(psid, "Γεια σας"), messenger_delivery(psid), messenger_read(psid),
         messenger_sticker(psid))
    [note] = sent(graph, psid, 1)
    assert matches(note.body["message"]["text"], "utter_channel_text_only", "el"), note.body
    assert user_events(customer, psid) == []


@pytest.mark.parametrize("how", ["missing", "forged", "other-body"])
def test_missing_or_forged_signature_is_refused(running_stack: RunningStack, platforms: Platforms,
                                                graph: GraphApi, customer: RasaClient, how: str) -> None:
    psid = new_customer(graph, "en_US", "Tom", "Smith")
    raw = dumps(messenger_body(messenger_text(psid, "Hello")))
    signature = {"missing": None, "forged": "sha256=" + "ab" * 32,
                 "other-body": platforms.sign(raw + b" ")}[how]
    reply = post(running_stack, raw, signature)
    assert reply.status_code == (401 if how == "missing" else 403)
    # A signed message afterwards is processed; the refused one never was.
    other = new_customer(graph, "en_US", "Ann", "Smith")
    send(running_stack, messenger_text(other, "Good evening"))
    sent(graph, other, 1)
    assert graph.matching(lambda r: psid in r.method or (r.method == "me/messages"
                                                          and r.body["recipient"]["id"] == psid)) == []
    assert user_events(customer, psid) == []


def test_malformed_json_with_a_valid_signature_is_refused(running_stack: RunningStack,
                                                          platforms: Platforms) -> None:
    raw = b'{"object": "page", "entry": [{'
    reply = post(running_stack, raw, platforms.sign(raw))
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_json"


def test_agent_reply_carries_the_human_agent_tag(running_stack: RunningStack, graph: GraphApi,
                                                 customer: RasaClient, agents: tuple[str, str]) -> None:
    maria = AgentClient(running_stack.handoff_url, agents[0], PASSWORD)
    maria.heartbeat(available=False)
    psid = str(new_id())
    surname = unique_surname("Петров", int(psid), "абвгдежзик")
    graph.profiles[psid] = {"first_name": "Олег", "last_name": surname, "locale": "ru_RU"}
    send(running_stack, messenger_text(psid, "Добрый день"))
    sent(graph, psid, 1)
    send(running_stack, messenger_text(psid, "соедините меня с оператором пожалуйста"))
    sent_message(graph, psid, says("utter_handoff_queued", "ru"))
    ticket = maria.wait_for_ticket(lambda t: t["customer_name"] == f"Олег {surname}")
    assert ticket["channel"] == "messenger"
    ticket_id = ticket["id"]

    assert maria.post(f"/api/tickets/{ticket_id}/claim").status_code == 200
    text = "Здравствуйте, меня зовут Мария. Чем могу помочь?"
    assert maria.post(f"/api/tickets/{ticket_id}/messages", {"text": text}).status_code == 201
    agent_reply = sent_message(graph, psid, lambda b: b["message"].get("text") == text)
    assert agent_reply == {"recipient": {"id": psid}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
                           "message": {"text": text}}
    bot_replies = [r.body for r in graph.matching(graph.sent_to(psid)) if r.body["message"].get("text") != text]
    assert len(bot_replies) >= 2  # greeting and queue position, at least
    assert all(b["messaging_type"] == "RESPONSE" and "tag" not in b for b in bot_replies)

    assert maria.post(f"/api/tickets/{ticket_id}/close").status_code == 200
    csat = sent_message(graph, psid, says("utter_ask_csat", "ru"))
    assert csat["messaging_type"] == "RESPONSE" and "tag" not in csat
