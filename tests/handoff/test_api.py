"""The handoff service's JSON API and websocket, against a real Redis.

Rasa is the service's neighbour here: a small aiohttp server stands in for its HTTP API
and records what the service sends, so each test can check delivery.
"""
from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from handoff.models import TicketStatus
from handoff.queue import HandoffStore
from tests.handoff import factories
from tests.handoff.factories import PASSWORD, TOKEN, post


async def ticket_in(store: HandoffStore, department: str = "general", conversation: str = "conv-1"):
    ticket, _ = await store.create_ticket(factories.context(conversation), department=department)
    return ticket


async def test_login_sets_a_strict_http_only_cookie(make_client) -> None:
    client, _ = await make_client(None)
    reply = await client.post("/api/login", json={"username": "maria", "password": PASSWORD})
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    body = await reply.json()
    assert body["agent"]["id"] == "maria" and "password_hash" not in body["agent"]


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"username": "maria", "password": "wrong password"}, 401, "invalid_credentials"),
    ({"username": "nobody", "password": PASSWORD}, 401, "invalid_credentials"),
    ({"username": "maria"}, 400, "invalid_payload"),
    ([1, 2], 400, "invalid_payload"),
])
async def test_bad_logins_are_refused(make_client, payload: Any, status: int, code: str) -> None:
    client, _ = await make_client(None)
    reply = await client.post("/api/login", json=payload)
    assert reply.status == status
    assert (await reply.json())["error"] == code


async def test_invalid_json_is_a_clear_400(make_client) -> None:
    client, _ = await make_client(None)
    reply = await client.post("/api/login", data=b"{not json", headers={"Content-Type": "application/json"})
    assert reply.status == 400
    assert (await reply.json())["error"] == "invalid_json"


async def test_api_needs_a_session(make_client) -> None:
    client, _ = await make_client(None)
    reply = await client.get("/api/tickets")
    assert reply.status == 401


async def test_state_changes_need_the_csrf_token_and_change_nothing_without(make_client, store) -> None:
    ticket = await ticket_in(store)
    client, _ = await make_client("maria")
    reply = await post(client, f"/api/tickets/{ticket.id}/claim", csrf="forged")
    assert reply.status == 403
    assert (await store.get_ticket(ticket.id)).status == TicketStatus.waiting


async def test_agents_see_only_their_departments(make_client, store) -> None:
    general = await ticket_in(store, "general", "conv-g")
    billing = await ticket_in(store, "billing", "conv-b")
    maria, _ = await make_client("maria")
    ids = {t["id"] for t in (await (await maria.get("/api/tickets")).json())["tickets"]}
    assert general.id in ids and billing.id not in ids
    assert (await maria.get(f"/api/tickets/{billing.id}")).status == 404
    boss, _ = await make_client("boss")
    ids = {t["id"] for t in (await (await boss.get("/api/tickets")).json())["tickets"]}
    assert {general.id, billing.id} <= ids


async def test_ticket_view_has_summary_context_and_transcript(make_client, store) -> None:
    ticket = await ticket_in(store)
    maria, _ = await make_client("maria")
    body = await (await maria.get(f"/api/tickets/{ticket.id}")).json()
    assert body["ticket"]["language"] == "el"
    assert body["ticket"]["sla"]["breached"] is False
    assert body["context"]["conversation_id"] == "conv-1"
    assert [e["kind"] for e in body["transcript"]][:1] == ["customer"]


async def test_claim_is_exclusive_and_stale_claims_get_409(make_client, store) -> None:
    ticket = await ticket_in(store)
    maria, maria_csrf = await make_client("maria")
    nikos, nikos_csrf = await make_client("nikos")
    first, second = await asyncio.gather(post(maria, f"/api/tickets/{ticket.id}/claim", maria_csrf),
                                         post(nikos, f"/api/tickets/{ticket.id}/claim", nikos_csrf))
    assert sorted([first.status, second.status]) == [200, 409]
    loser = second if first.status == 200 else first
    assert (await loser.json())["error"] == "already_assigned"
    assert (await post(maria, "/api/tickets/T-999999/claim", maria_csrf)).status == 404


async def test_reply_reaches_rasa_on_the_customers_channel(make_client, store, rasa) -> None:
    fake, _ = rasa
    ticket = await ticket_in(store)
    maria, csrf = await make_client("maria")
    nikos, nikos_csrf = await make_client("nikos")
    assert (await post(maria, f"/api/tickets/{ticket.id}/claim", csrf)).status == 200
    not_mine = await post(nikos, f"/api/tickets/{ticket.id}/messages", nikos_csrf, {"text": "hi"})
    assert not_mine.status == 409
    reply = await post(maria, f"/api/tickets/{ticket.id}/messages", csrf, {"text": "Καλησπέρα σας"})
    assert reply.status == 201
    [sent] = fake.requests
    assert sent["path"] == "/conversations/conv-1/tracker/events"
    assert sent["query"] == {"output_channel": "rest", "execute_side_effects": "true", "token": TOKEN}
    assert sent["body"]["event"] == "bot" and sent["body"]["text"] == "Καλησπέρα σας"
    log = await store.log(ticket.id)
    assert [(e.kind, e.text) for e in log][-1] == ("agent", "Καλησπέρα σας")
    assert (await store.get_ticket(ticket.id)).first_response_at is not None
    assert TOKEN not in await reply.text()


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"text": ""}, 400, "empty_text"), ({"text": "   "}, 400, "empty_text"), ({}, 400, "empty_text"),
    ({"text": "x" * 5000}, 413, "text_too_long"),
])
async def test_bad_replies_are_refused_and_nothing_is_sent(make_client, store, rasa, body, status, code) -> None:
    fake, _ = rasa
    ticket = await ticket_in(store)
    maria, csrf = await make_client("maria")
    await post(maria, f"/api/tickets/{ticket.id}/claim", csrf)
    reply = await post(maria, f"/api/tickets/{ticket.id}/messages", csrf, body)
    assert (reply.status, (await reply.json())["error"]) == (status, code)
    assert fake.requests == []


async def test_undelivered_reply_is_reported_and_not_logged(make_client, store, rasa) -> None:
    fake, _ = rasa
    fake.fail = True
    ticket = await ticket_in(store)
    maria, csrf = await make_client("maria")
    await post(maria, f"/api/tickets/{ticket.id}/claim", csrf)
    reply = await post(maria, f"/api/tickets/{ticket.id}/messages", csrf, {"text": "hello"})
    assert reply.status == 502
    assert [e.kind for e in await store.log(ticket.id)].count("agent") == 0


async def test_notes_stay_internal(make_client, store, rasa) -> None:
    fake, _ = rasa
    ticket = await ticket_in(store)
    maria, csrf = await make_client("maria")
    assert (await post(maria, f"/api/tickets/{ticket.id}/notes", csrf, {"text": "VIP, be quick"})).status == 201
    assert fake.requests == []
    assert [(e.kind, e.text) for e in await store.log(ticket.id)][-1] == ("note", "VIP, be quick")


async def test_hand_back_frees_the_conversation_and_runs_the_return_action(make_client, store, rasa) -> None:
    fake, _ = rasa
    ticket = await ticket_in(store)
    maria, csrf = await make_client("maria")
    await post(maria, f"/api/tickets/{ticket.id}/claim", csrf)
    reply = await post(maria, f"/api/tickets/{ticket.id}/handback", csrf)
    assert reply.status == 200
    assert (await reply.json())["ticket"]["status"] == "handed_back"
    assert await store.ticket_for_conversation("conv-1") is None
    assert fake.requests[-1]["path"] == "/conversations/conv-1/execute"
    assert fake.requests[-1]["body"] == {"name": "action_handoff_return"}


async def test_close_asks_for_a_rating(make_client, store, rasa) -> None:
    fake, _ = rasa
    ticket = await ticket_in(store)
    maria, csrf = await make_client("maria")
    await post(maria, f"/api/tickets/{ticket.id}/claim", csrf)
    assert (await post(maria, f"/api/tickets/{ticket.id}/close", csrf)).status == 200
    assert fake.requests[-1]["body"] == {"name": "action_handoff_closed"}
    assert (await store.get_ticket(ticket.id)).status == TicketStatus.closed


async def test_transfer_checks_its_target(make_client, store) -> None:
    ticket = await ticket_in(store)
    maria, csrf = await make_client("maria")
    await post(maria, f"/api/tickets/{ticket.id}/claim", csrf)
    bad = await post(maria, f"/api/tickets/{ticket.id}/transfer", csrf, {"department": "nowhere"})
    assert (bad.status, (await bad.json())["error"]) == (400, "unknown_department")
    both = await post(maria, f"/api/tickets/{ticket.id}/transfer", csrf, {"department": "billing", "agent_id": "x"})
    assert both.status == 400
    moved = await post(maria, f"/api/tickets/{ticket.id}/transfer", csrf, {"department": "billing"})
    assert moved.status == 200
    updated = await store.get_ticket(ticket.id)
    assert (updated.status, updated.department) == (TicketStatus.waiting, "billing")


async def test_websocket_pushes_new_tickets_to_the_right_agents(make_client, store) -> None:
    maria, _ = await make_client("maria")
    ws = await maria.ws_connect("/ws")
    await asyncio.sleep(0)  # let the connection register before the event is written
    billing = await ticket_in(store, "billing", "conv-b")  # not Maria's department
    general = await ticket_in(store, "general", "conv-g")
    message = json.loads((await ws.receive(timeout=10)).data)
    assert message["type"] == "ticket.created"
    assert message["ticket"]["id"] == general.id != billing.id
    await ws.close()
