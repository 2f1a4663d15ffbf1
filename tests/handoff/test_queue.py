"""The store against a real Redis: tickets, queue positions, claims, transfers, events."""
from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from handoff import keys
from handoff.models import Role, TicketStatus, TranscriptEntry
from handoff.queue import (
    ClaimResult,
    HandoffStore,
    InvalidTransition,
    NotAllowed,
    UnknownAgent,
    UnknownTicket,
)
from tests.handoff.factories import ClientFactory, agent, context, department


async def event_types(store: HandoffStore, ticket_id: str) -> list[str]:
    return [e.type for e in await store.read_events("0", count=1000) if e.ticket_id == ticket_id]


async def test_create_ticket_is_idempotent_per_conversation(
        store: HandoffStore, redis_client: aioredis.Redis) -> None:
    first, created = await store.create_ticket(context("conv-1"), "billing", priority_base=9.5, now=100.0)
    assert created and first.id == "T-1001" and first.status is TicketStatus.waiting
    assert first.department == "billing" and first.priority_base == 9.5 and first.created_at == 100.0
    again, created_again = await store.create_ticket(context("conv-1"), "billing", now=200.0)
    assert not created_again and again == first
    other, _ = await store.create_ticket(context("conv-2"), "billing", now=101.0)
    assert other.id == "T-1002"

    assert await redis_client.get(keys.conversation("conv-1")) == first.id
    assert await redis_client.smembers(keys.OPEN_TICKETS) == {first.id, other.id}
    assert await redis_client.zrange(keys.queue("billing"), 0, -1) == [first.id, other.id]
    fields = await redis_client.hgetall(keys.ticket(first.id))
    assert fields["status"] == "waiting" and fields["conversation_id"] == "conv-1"
    assert fields["channel"] == "rest"
    assert await store.get_ticket(first.id) == first
    assert await store.ticket_for_conversation("conv-1") == first
    assert await store.ticket_for_conversation("nobody") is None
    assert await event_types(store, first.id) == ["ticket.created"]
    created_event = (await store.read_events("0"))[0]
    assert created_event.data["conversation_id"] == "conv-1" and created_event.at == 100.0


async def test_concurrent_creates_for_one_conversation_make_one_ticket(new_client: ClientFactory) -> None:
    stores = [HandoffStore(await new_client()) for _ in range(4)]
    results = await asyncio.gather(*(s.create_ticket(context("conv-x")) for s in stores))
    assert len({ticket.id for ticket, _ in results}) == 1
    assert sum(created for _, created in results) == 1


async def test_create_validates_before_writing(store: HandoffStore, redis_client: aioredis.Redis) -> None:
    with pytest.raises(ValueError, match="department"):
        await store.create_ticket(context(), "Billing Team")
    assert await redis_client.dbsize() == 0


async def test_offline_ticket_does_not_own_the_conversation(
        store: HandoffStore, redis_client: aioredis.Redis) -> None:
    ticket, created = await store.create_ticket(context("night"), "billing", offline=True)
    assert created and ticket.status is TicketStatus.offline
    assert await redis_client.get(keys.conversation("night")) is None
    assert await store.ticket_for_conversation("night") is None
    assert await redis_client.zrange(keys.offline("billing"), 0, -1) == [ticket.id]
    assert await redis_client.zcard(keys.queue("billing")) == 0
    again, created_again = await store.create_ticket(context("night"), "billing", offline=True)
    assert again.id == ticket.id and not created_again
    assert [t.id for t in await store.open_tickets()] == [ticket.id]
    assert await store.waiting() == [] and await store.position(ticket.id) is None
    # Offline tickets are closed once answered, by any agent.
    await store.save_agent(agent("maria"))
    with pytest.raises(InvalidTransition):
        await store.release(ticket.id, "maria", "handed_back")
    closed = await store.release(ticket.id, "maria", "closed")
    assert closed.status is TicketStatus.closed
    assert await redis_client.zcard(keys.offline("billing")) == 0
    assert await redis_client.get(keys.conversation_offline("night")) is None


async def test_positions_and_fifo(store: HandoffStore) -> None:
    await store.save_agent(agent("maria", departments=("billing",)))
    a, _ = await store.create_ticket(context("a"), "billing", now=10)
    b, _ = await store.create_ticket(context("b"), "billing", now=11)
    c, _ = await store.create_ticket(context("c"), "tech", now=12)
    d, _ = await store.create_ticket(context("d"), "billing", now=13)
    assert [await store.position(t.id) for t in (a, b, c, d)] == [1, 2, 1, 3]
    assert [t.id for t in await store.waiting("billing")] == [a.id, b.id, d.id]
    assert [t.id for t in await store.waiting()] == [a.id, b.id, c.id, d.id]
    assert await store.claim(a.id, "maria") is ClaimResult.claimed
    assert await store.position(a.id) is None
    assert [await store.position(t.id) for t in (b, d)] == [1, 2]
    assert await store.position("T-404") is None
    assert [t.id for t in await store.open_tickets(["billing"])] == [a.id, b.id, d.id]
    assert [t.id for t in await store.open_tickets()] == [a.id, b.id, c.id, d.id]


async def test_concurrent_claims_have_exactly_one_winner(new_client: ClientFactory) -> None:
    first, second = HandoffStore(await new_client()), HandoffStore(await new_client())
    await first.save_agent(agent("anna", capacity=100))
    await first.save_agent(agent("boris", capacity=100))
    for round_ in range(60):
        ticket, _ = await first.create_ticket(context(f"race-{round_}"))
        results = await asyncio.gather(first.claim(ticket.id, "anna"), second.claim(ticket.id, "boris"))
        assert sorted(r.value for r in results) == ["already_assigned", "claimed"], results
        winner = "anna" if results[0] is ClaimResult.claimed else "boris"
        stored = await second.get_ticket(ticket.id)
        assert stored.status is TicketStatus.assigned and stored.agent_id == winner
    assert await first.agent_load("anna") + await first.agent_load("boris") == 60
    assert await first.waiting() == []
    assert len([e for e in await first.read_events("0", count=1000) if e.type == "ticket.assigned"]) == 60


async def test_claim_outcomes_and_capacity(store: HandoffStore, redis_client: aioredis.Redis) -> None:
    await store.save_agent(agent("maria", capacity=1))
    one, _ = await store.create_ticket(context("one"))
    two, _ = await store.create_ticket(context("two"))
    assert await store.claim("T-404", "maria") is ClaimResult.unknown_ticket
    assert await store.claim(one.id, "ghost") is ClaimResult.unknown_agent
    assert await store.claim(one.id, "maria", now=555.0) is ClaimResult.claimed
    assert await store.claim(one.id, "maria") is ClaimResult.already_assigned
    assert await store.claim(two.id, "maria") is ClaimResult.at_capacity
    assert (await store.get_ticket(two.id)).status is TicketStatus.waiting
    assert await store.claim(two.id, "maria", enforce_capacity=False) is ClaimResult.claimed
    assert await store.agent_load("maria") == 2
    assert await redis_client.smembers(keys.agent_tickets("maria")) == {one.id, two.id}
    claimed = await store.get_ticket(one.id)
    assert claimed.agent_id == "maria" and claimed.assigned_at == 555.0
    three, _ = await store.create_ticket(context("three"))
    assert await store.cancel(three.id)
    assert await store.claim(three.id, "maria", enforce_capacity=False) is ClaimResult.not_waiting


async def test_transfer_to_department_and_to_agent(store: HandoffStore, redis_client: aioredis.Redis) -> None:
    for a in (agent("maria"), agent("ivan", departments=("tech",), languages=("ru",)), agent("petras"),
              agent("lead", role=Role.supervisor)):
        await store.save_agent(a)
    early, _ = await store.create_ticket(context("early"), "tech", now=1.0)
    ticket, _ = await store.create_ticket(context("moved"), "general", now=5.0)
    assert await store.claim(ticket.id, "maria") is ClaimResult.claimed

    with pytest.raises(NotAllowed):
        await store.transfer(ticket.id, by_agent="petras", department="tech")
    with pytest.raises(UnknownAgent):
        await store.transfer(ticket.id, by_agent="maria", agent_id="nobody")
    with pytest.raises(UnknownAgent):
        await store.transfer(ticket.id, by_agent="ghost", department="tech")
    with pytest.raises(UnknownTicket):
        await store.transfer("T-404", by_agent="maria", department="tech")
    with pytest.raises(ValueError):
        await store.transfer(ticket.id, by_agent="maria")
    assert (await store.get_ticket(ticket.id)).agent_id == "maria"  # refusals changed nothing

    moved = await store.transfer(ticket.id, by_agent="maria", department="tech")
    assert moved.status is TicketStatus.waiting and moved.department == "tech"
    assert moved.agent_id is None and moved.assigned_at is None
    assert await store.agent_load("maria") == 0
    assert await store.position(ticket.id) == 2  # keeps its age: behind the older ticket
    assert await store.ticket_for_conversation("moved") == moved
    with pytest.raises(InvalidTransition, match="already waiting"):
        await store.transfer(ticket.id, by_agent="maria", department="tech")

    direct = await store.transfer(ticket.id, by_agent="lead", agent_id="ivan")
    assert direct.status is TicketStatus.assigned and direct.agent_id == "ivan"
    assert direct.department == "tech"
    assert await redis_client.zrange(keys.queue("tech"), 0, -1) == [early.id]
    assert await store.agent_load("ivan") == 1
    transferred = [e for e in await store.read_events("0") if e.type == "ticket.transferred"]
    targets = [(e.data["to_department"], e.data["to_agent"]) for e in transferred]
    assert targets == [("tech", None), ("tech", "ivan")]
    assert transferred[0].data["from_agent"] == "maria" and transferred[1].data["by"] == "lead"

    await store.release(ticket.id, "ivan", "closed")
    with pytest.raises(InvalidTransition):
        await store.transfer(ticket.id, by_agent="lead", department="general")


async def test_release_hands_back_and_cleans_up(store: HandoffStore, redis_client: aioredis.Redis) -> None:
    await store.save_agent(agent("maria"))
    await store.save_agent(agent("petras"))
    ticket, _ = await store.create_ticket(context("conv-1"))
    with pytest.raises(NotAllowed):
        await store.release(ticket.id, "maria", "closed")  # waiting: supervisors only
    await store.claim(ticket.id, "maria")
    with pytest.raises(NotAllowed):
        await store.release(ticket.id, "petras", "handed_back")
    with pytest.raises(ValueError):
        await store.release(ticket.id, "maria", "deleted")
    with pytest.raises(UnknownAgent):
        await store.release(ticket.id, "ghost", "closed")

    released = await store.release(ticket.id, "maria", "handed_back", now=900.0)
    assert released.status is TicketStatus.handed_back and released.closed_at == 900.0
    assert released.agent_id == "maria"  # who handled it stays on record
    assert await redis_client.get(keys.conversation("conv-1")) is None
    assert await store.ticket_for_conversation("conv-1") is None
    assert await redis_client.sismember(keys.OPEN_TICKETS, ticket.id) == 0
    assert await store.agent_load("maria") == 0
    assert await event_types(store, ticket.id) == ["ticket.created", "ticket.assigned", "ticket.handed_back"]
    with pytest.raises(InvalidTransition, match="handed_back"):
        await store.release(ticket.id, "maria", "closed")
    with pytest.raises(UnknownTicket):
        await store.release("T-404", "maria", "closed")

    # The conversation can escalate again; the old ticket never touches the new flag.
    fresh, created = await store.create_ticket(context("conv-1"))
    assert created and fresh.id != ticket.id
    assert await redis_client.get(keys.conversation("conv-1")) == fresh.id


async def test_supervisor_can_release_any_ticket(store: HandoffStore) -> None:
    await store.save_agent(agent("maria"))
    await store.save_agent(agent("lead", role=Role.supervisor))
    waiting, _ = await store.create_ticket(context("w"))
    assigned, _ = await store.create_ticket(context("a"))
    await store.claim(assigned.id, "maria")
    assert (await store.release(waiting.id, "lead", "closed")).status is TicketStatus.closed
    assert (await store.release(assigned.id, "lead", "closed")).status is TicketStatus.closed
    assert await store.waiting() == [] and await store.agent_load("maria") == 0
    assert await event_types(store, waiting.id) == ["ticket.created", "ticket.closed"]


async def test_cancel_only_while_waiting(store: HandoffStore, redis_client: aioredis.Redis) -> None:
    await store.save_agent(agent("maria"))
    ticket, _ = await store.create_ticket(context("gone"))
    assert await store.cancel(ticket.id, now=50.0)
    cancelled = await store.get_ticket(ticket.id)
    assert cancelled.status is TicketStatus.cancelled and cancelled.closed_at == 50.0
    assert await redis_client.get(keys.conversation("gone")) is None
    assert await store.waiting() == [] and await store.open_tickets() == []
    assert not await store.cancel(ticket.id)
    assert await event_types(store, ticket.id) == ["ticket.created", "ticket.cancelled"]

    claimed, _ = await store.create_ticket(context("stays"))
    await store.claim(claimed.id, "maria")
    before = await redis_client.hgetall(keys.ticket(claimed.id))
    assert not await store.cancel(claimed.id)
    assert await redis_client.hgetall(keys.ticket(claimed.id)) == before
    assert await redis_client.get(keys.conversation("stays")) == claimed.id
    assert not await store.cancel("T-404")


async def test_cancel_racing_a_claim(new_client: ClientFactory) -> None:
    customer, console = HandoffStore(await new_client()), HandoffStore(await new_client())
    await console.save_agent(agent("maria", capacity=100))
    for round_ in range(40):
        ticket, _ = await customer.create_ticket(context(f"c{round_}"))
        cancelled, claim = await asyncio.gather(customer.cancel(ticket.id), console.claim(ticket.id, "maria"))
        assert cancelled != (claim is ClaimResult.claimed)
        status = (await console.get_ticket(ticket.id)).status
        assert status is (TicketStatus.cancelled if cancelled else TicketStatus.assigned)


async def test_first_response_csat_and_contact_email(store: HandoffStore) -> None:
    await store.save_agent(agent("maria"))
    ticket, _ = await store.create_ticket(context())
    await store.claim(ticket.id, "maria")
    assert await store.record_first_response(ticket.id, 120.0)
    assert not await store.record_first_response(ticket.id, 130.0)
    assert (await store.get_ticket(ticket.id)).first_response_at == 120.0
    with pytest.raises(InvalidTransition):
        await store.set_csat(ticket.id, 5)  # not before the end
    for bad in (0, 6, 4.5, True, "5"):
        with pytest.raises(ValueError):
            await store.set_csat(ticket.id, bad)  # type: ignore[arg-type]
    await store.set_contact_email(ticket.id, "maria@example.gr")
    with pytest.raises(ValueError):
        await store.set_contact_email(ticket.id, "maria at example")
    await store.release(ticket.id, "maria", "closed")
    await store.set_csat(ticket.id, 4)
    final = await store.get_ticket(ticket.id)
    assert final.csat == 4 and final.contact_email == "maria@example.gr"
    with pytest.raises(UnknownTicket):
        await store.set_csat("T-404", 3)
    with pytest.raises(UnknownTicket):
        await store.record_first_response("T-404", 1.0)
    updated = [e.data["field"] for e in await store.read_events("0") if e.type == "ticket.updated"]
    assert updated == ["first_response_at", "contact_email", "csat"]


async def test_log_appends_once_per_dedupe_key(store: HandoffStore) -> None:
    ticket, _ = await store.create_ticket(context())
    hello = TranscriptEntry(kind="customer", text="Ещё тут?", at=2000.0, language="ru")
    first = await store.append_log(ticket.id, hello, dedupe_key="1700000000000-0")
    assert first is not None
    assert await store.append_log(ticket.id, hello, dedupe_key="1700000000000-0") is None
    reply = TranscriptEntry(kind="agent", text="Да, я здесь", at=2001.0, author="Ivan")
    assert await store.append_log(ticket.id, reply) is not None
    assert await store.log(ticket.id) == [hello, reply]
    transcript = await store.full_transcript(ticket)
    assert transcript == [*ticket.context.transcript, hello, reply]
    messages = [e for e in await store.read_events("0") if e.type == "ticket.message"]
    assert len(messages) == 2
    assert messages[0].data == {**hello.to_dict(), "ticket_id": ticket.id} and messages[0].at == 2000.0
    with pytest.raises(UnknownTicket):
        await store.append_log("T-404", hello)


async def test_concurrent_duplicate_appends_write_once(new_client: ClientFactory) -> None:
    stores = [HandoffStore(await new_client()) for _ in range(3)]
    ticket, _ = await stores[0].create_ticket(context())
    entry = TranscriptEntry(kind="customer", text="hi", at=1.0)
    ids = await asyncio.gather(*(s.append_log(ticket.id, entry, dedupe_key="k") for s in stores))
    assert sum(i is not None for i in ids) == 1
    assert await stores[0].log(ticket.id) == [entry]


async def test_agents_departments_and_canned(store: HandoffStore) -> None:
    maria, lead = agent("maria"), agent("lead", role=Role.supervisor, capacity=5)
    await store.save_agent(maria)
    await store.save_agent(lead)
    assert await store.get_agent("maria") == maria
    assert (await store.get_agent("maria")).password_hash == "scrypt$x"
    assert await store.get_agent("ghost") is None
    assert [a.id for a in await store.agents()] == ["lead", "maria"]
    billing = department("billing", timezone="Europe/Vilnius", hours={"mon": [["08:00", "16:00"]]})
    await store.save_department(billing)
    await store.save_department(department("general"))
    assert await store.get_department("billing") == billing
    assert await store.get_department("sales") is None
    assert [d.name for d in await store.departments()] == ["billing", "general"]
    await store.set_canned("lt", "greeting", "Laba diena! Kuo galiu padėti?")
    await store.set_canned("lt", "bye", "Viso gero!")
    await store.set_canned("el", "greeting", "Καλημέρα σας!")
    assert await store.canned("lt") == {"bye": "Viso gero!", "greeting": "Laba diena! Kuo galiu padėti?"}
    assert await store.canned("ru") == {}
    assert await store.delete_canned("lt", "bye") and not await store.delete_canned("lt", "bye")
    with pytest.raises(ValueError):
        await store.set_canned("lt", "", "x")


async def test_presence(store: HandoffStore) -> None:
    for name in ("anna", "boris", "chris", "dora"):
        await store.save_agent(agent(name))
    await store.heartbeat("anna", True, 1000.0)
    await store.heartbeat("boris", True, 960.0)     # stale
    await store.heartbeat("chris", False, 1000.0)   # away
    await store.heartbeat("ghost", True, 1000.0)    # no such agent
    assert [a.id for a in await store.online_agents(1005.0, ttl=30)] == ["anna"]
    await store.heartbeat("chris", True, 1010.0)
    assert [a.id for a in await store.online_agents(1010.0, ttl=30)] == ["anna", "chris"]
    assert [a.id for a in await store.online_agents(1010.0, ttl=60)] == ["anna", "boris", "chris"]
    assert await store.online_agents(5000.0) == []


async def test_store_works_without_decode_responses(new_client: ClientFactory) -> None:
    store = HandoffStore(await new_client(decode_responses=False))
    await store.save_agent(agent("maria"))
    ticket, created = await store.create_ticket(context("bytes"))
    assert created and isinstance(ticket.id, str)
    assert await store.claim(ticket.id, "maria") is ClaimResult.claimed
    await store.append_log(ticket.id, TranscriptEntry(kind="agent", text="ok", at=1.0), dedupe_key="k")
    released = await store.release(ticket.id, "maria", "closed")
    assert released.status is TicketStatus.closed and len(await store.log(ticket.id)) == 1
    assert [a.id for a in await store.agents()] == ["maria"]
    assert len(await store.read_events("0")) == 4


async def test_log_can_return_only_its_newest_entries(store: HandoffStore) -> None:
    ticket, _ = await store.create_ticket(context("conv-last"))
    for n in range(3):
        await store.append_log(ticket.id, TranscriptEntry(kind="customer", text=f"m{n}", at=float(n), author=None))
    assert [e.text for e in await store.log(ticket.id, last=1)] == ["m2"]
    assert [e.text for e in await store.log(ticket.id, last=2)] == ["m1", "m2"]
    assert [e.text for e in await store.log(ticket.id)] == ["m0", "m1", "m2"]
