"""Fixtures for the action tests: what the customer sees of an action's message (Rasa sends
the message's name and values to the NLG endpoint, rendered here with the same code, and
appends the action's buttons) and the handoff queue the actions write to."""
from __future__ import annotations

from typing import Any, Callable

import pytest
import redis.asyncio as aioredis

import actions.handoff as handoff_actions
from bot.phrasing.templates import Message
from handoff.queue import HandoffStore
from scripts.stack import RedisTarget
from tests.actions.factories import rendered_message


@pytest.fixture
def rendered() -> Callable[[dict[str, Any], str], Message]:
    return rendered_message


@pytest.fixture
async def store(redis_target: RedisTarget, monkeypatch: pytest.MonkeyPatch) -> HandoffStore:
    client = aioredis.Redis.from_url(redis_target.url.rsplit("/", 1)[0] + "/14", decode_responses=True)
    await client.flushdb()  # database 14 of the session's private server belongs to the action tests
    store = HandoffStore(client)
    monkeypatch.setattr(handoff_actions, "handoff_store", lambda: store)
    yield store
    await client.close()
