"""The handoff gate of the channel tests, on a real Redis database of its own.

The gate asks the session's private redis-server (``redis_target``, tests/conftest.py)
whether a human owns the conversation, and puts messages for the agent on the real inbox
stream. Every test gets database ``GATE_DB`` of that server, flushed before the test starts
(the server is private to the test session; database 0 is left to the end-to-end stack).
Only Rasa's agent behind the gate is a stand-in: it records the messages it is asked to log.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, AsyncIterator

import pytest
import redis.asyncio as aioredis
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import gate
from handoff.models import InboxMessage
from handoff.queue import HandoffStore, InboxConsumer
from scripts.stack import RedisTarget
from tests.handoff.factories import context

GATE_DB = 15


class RasaAgent:
    """Stands in for Rasa's agent behind the gate: Rasa's in-memory lock store, a
    processor that records the messages it logs (its NLU reads every one as ``intent``,
    none by default) and the actions it is asked to run."""

    def __init__(self) -> None:
        self.lock_store = InMemoryLockStore()
        self.processor = self
        self.logged: list[UserMessage] = []
        self.intent: dict[str, Any] | None = None
        self.executed: list[tuple[str, str]] = []

    async def log_message(self, message: UserMessage) -> DialogueStateTracker:
        self.logged.append(message)
        return DialogueStateTracker.from_events(message.sender_id, [UserUttered(message.text, self.intent)])

    async def execute_action(self, sender_id: str, action: str, *_: Any) -> None:
        self.executed.append((sender_id, action))


@dataclass
class HumanSide:
    """The gate's Redis and the Rasa stand-in, with what a test needs to see the agent's side."""

    store: HandoffStore
    rasa: RasaAgent

    async def owns(self, conversation_id: str) -> str:
        """Hand the conversation to a human (a ticket waiting for an agent); the ticket id."""
        ticket, _ = await self.store.create_ticket(context(conversation_id))
        return ticket.id

    async def inbox(self) -> list[InboxMessage]:
        """The messages for the agents, read the way the handoff service reads them."""
        delivered: list[InboxMessage] = []

        async def take(message: InboxMessage) -> None:
            delivered.append(message)

        await InboxConsumer(self.store, "channel-tests").run_once(take, block_ms=None)
        return delivered


@pytest.fixture()
async def redis_gate(redis_target: RedisTarget, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[HumanSide]:
    """The handoff gate on the test Redis; no conversation is human-owned until ``owns``."""
    url = replace(redis_target, db=GATE_DB).url
    client = aioredis.Redis.from_url(url, decode_responses=True)
    await client.flushdb()
    rasa = RasaAgent()
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setattr(gate, "_store", None)
    monkeypatch.setattr(gate, "_rasa_agent", lambda: rasa)
    yield HumanSide(HandoffStore(client), rasa)
    if gate._store is not None:
        await gate._store.redis.close()
    await client.close()
