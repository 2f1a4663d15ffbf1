"""The inbox stream: at-least-once delivery with a consumer group, reclaim from dead consumers."""
from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from handoff import keys
from handoff.models import InboxMessage, TranscriptEntry
from handoff.queue import HandoffStore, InboxConsumer
from tests.handoff.factories import ClientFactory, context


class Recorder:
    """A handler that remembers what it got and can be told to fail."""

    def __init__(self, fail_on: set[str] | None = None) -> None:
        self.seen: list[InboxMessage] = []
        self.fail_on = fail_on or set()

    async def __call__(self, message: InboxMessage) -> None:
        self.seen.append(message)
        if message.text in self.fail_on:
            raise RuntimeError("the agent console is down")


async def pending_count(redis_client: aioredis.Redis) -> int:
    return (await redis_client.xpending(keys.INBOX, keys.INBOX_GROUP))["pending"]


async def test_entries_are_delivered_then_acknowledged_and_removed(store: HandoffStore,
                                                                   redis_client: aioredis.Redis) -> None:
    entry_id = await store.inbox_add("conv-1", "T-1001", "Καλησπέρα", 10.5, {"locale": "el-GR"})
    consumer = InboxConsumer(store, "svc-a")
    handler = Recorder()
    assert await consumer.run_once(handler, block_ms=None) == 1
    [message] = handler.seen
    assert message == InboxMessage(id=entry_id, conversation_id="conv-1", ticket_id="T-1001",
                                   text="Καλησπέρα",
                                   at=10.5, metadata={"locale": "el-GR"})
    assert await redis_client.xlen(keys.INBOX) == 0 and await pending_count(redis_client) == 0
    assert await consumer.run_once(handler, block_ms=None) == 0


async def test_failed_entry_is_reclaimed_by_another_consumer(
        store: HandoffStore, redis_client: aioredis.Redis) -> None:
    await store.inbox_add("conv-1", "T-1001", "first", 1.0)
    await store.inbox_add("conv-1", "T-1001", "second", 2.0)
    dying = InboxConsumer(store, "svc-a")
    assert await dying.run_once(Recorder(fail_on={"first"}), block_ms=None) == 1
    assert await pending_count(redis_client) == 1

    patient = InboxConsumer(store, "svc-b", min_idle_ms=60_000)
    handler = Recorder()
    assert await patient.run_once(handler, block_ms=None) == 0  # not idle long enough yet
    assert handler.seen == []

    rescuer = InboxConsumer(store, "svc-b", min_idle_ms=0)
    assert await rescuer.run_once(handler, block_ms=None) == 1
    assert [m.text for m in handler.seen] == ["first"]
    assert await pending_count(redis_client) == 0 and await redis_client.xlen(keys.INBOX) == 0


async def test_entry_of_a_consumer_that_died_before_acking_is_delivered_again(
        store: HandoffStore, redis_client: aioredis.Redis) -> None:
    consumer = InboxConsumer(store, "svc-b", min_idle_ms=0)
    await consumer.ensure_group()
    entry_id = await store.inbox_add("conv-9", "T-1009", "Labas", 3.0)
    # A service reads the entry and is killed before it acknowledges it.
    taken = await redis_client.xreadgroup(keys.INBOX_GROUP, "svc-dead", {keys.INBOX: ">"}, count=10)
    assert taken[0][1][0][0] == entry_id
    handler = Recorder()
    assert await consumer.run_once(handler, block_ms=None) == 1
    assert [(m.id, m.text) for m in handler.seen] == [(entry_id, "Labas")]
    assert await pending_count(redis_client) == 0


async def test_redelivery_with_log_dedupe_stores_the_message_once(store: HandoffStore) -> None:
    ticket, _ = await store.create_ticket(context("conv-1"))
    await store.inbox_add("conv-1", ticket.id, "Где мой заказ?", 5.0)
    crashes = {"left": 1}

    async def deliver(message: InboxMessage) -> None:
        entry = TranscriptEntry(kind="customer", text=message.text, at=message.at)
        await store.append_log(message.ticket_id, entry, dedupe_key=message.id)
        if crashes["left"]:
            crashes["left"] -= 1
            raise ConnectionError("died after storing, before acknowledging")

    assert await InboxConsumer(store, "svc-a").run_once(deliver, block_ms=None) == 0
    assert await InboxConsumer(store, "svc-b", min_idle_ms=0).run_once(deliver, block_ms=None) == 1
    assert [e.text for e in await store.log(ticket.id)] == ["Где мой заказ?"]


async def test_each_entry_goes_to_one_of_several_consumers(new_client: ClientFactory) -> None:
    writer = HandoffStore(await new_client())
    for i in range(30):
        await writer.inbox_add(f"conv-{i}", "T-1001", f"message {i}", float(i))
    consumers = [InboxConsumer(HandoffStore(await new_client()), f"svc-{n}", count=4) for n in range(3)]
    handler = Recorder()
    while sum(await asyncio.gather(*(c.run_once(handler, block_ms=None) for c in consumers))):
        pass
    assert sorted(m.text for m in handler.seen) == sorted(f"message {i}" for i in range(30))


async def test_blocking_read_wakes_up_for_a_new_entry(store: HandoffStore, new_client: ClientFactory) -> None:
    consumer = InboxConsumer(store, "svc-a")
    await consumer.ensure_group()
    handler = Recorder()
    waiting = asyncio.create_task(consumer.run_once(handler, block_ms=5000))
    writer = HandoffStore(await new_client())

    async def until_blocked() -> None:  # the consumer's blocking read has reached Redis
        while not (await writer.redis.info("clients"))["blocked_clients"]:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(until_blocked(), 10)
    await writer.inbox_add("conv-1", "T-1001", "hello", 1.0)
    assert await asyncio.wait_for(waiting, 10) == 1
    assert [m.text for m in handler.seen] == ["hello"]


async def test_poison_entries_go_to_the_dead_letter_stream(
        store: HandoffStore, redis_client: aioredis.Redis) -> None:
    consumer = InboxConsumer(store, "svc-a", min_idle_ms=0, max_deliveries=2)
    await consumer.ensure_group()
    await redis_client.xadd(keys.INBOX, {"garbage": "1"})
    await store.inbox_add("conv-1", "T-1001", "always fails", 1.0)
    handler = Recorder(fail_on={"always fails"})
    for _ in range(3):  # delivery 1, delivery 2, then over the limit
        await consumer.run_once(handler, block_ms=None)
    assert len(handler.seen) == 2
    dead = await redis_client.xrange(keys.INBOX_DEAD)
    assert [fields["reason"] for _, fields in dead] == ["malformed", "failed 2 times"]
    assert dead[1][1]["text"] == "always fails"
    assert await redis_client.xlen(keys.INBOX) == 0 and await pending_count(redis_client) == 0


async def test_group_is_recreated_when_the_stream_disappears(
        store: HandoffStore, redis_client: aioredis.Redis) -> None:
    consumer = InboxConsumer(store, "svc-a")
    await consumer.ensure_group()
    await redis_client.delete(keys.INBOX)
    assert await consumer.run_once(Recorder(), block_ms=None) == 0
    await store.inbox_add("conv-1", "T-1001", "back", 1.0)
    handler = Recorder()
    assert await consumer.run_once(handler, block_ms=None) == 1
    assert [m.text for m in handler.seen] == ["back"]


async def test_run_stops_cleanly(store: HandoffStore) -> None:
    consumer = InboxConsumer(store, "svc-a")
    delivered = asyncio.Event()

    async def handler(message: InboxMessage) -> None:
        delivered.set()

    task = asyncio.create_task(consumer.run(handler, block_ms=50))
    await store.inbox_add("conv-1", "T-1001", "hi", 1.0)
    await asyncio.wait_for(delivered.wait(), 10)
    consumer.stop()
    await asyncio.wait_for(task, 10)  # returns on its own, even if a cancel would be lost
    assert task.done() and task.exception() is None
