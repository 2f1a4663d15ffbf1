"""Fixtures for the handoff tests: a real Redis database of its own for every test.

The session's private redis-server comes from ``redis_target`` (tests/conftest.py).
Each test gets the next database number of that server (1..15, 0 is left to the
end-to-end stack) and flushes only that database before it starts: the server is
private to the test session, so nothing of anyone else is touched.
"""
from __future__ import annotations

import itertools
from typing import AsyncIterator, Iterator

import pytest
import redis
import redis.asyncio as aioredis

from handoff.queue import HandoffStore
from scripts.stack import RedisTarget
from tests.handoff.factories import ClientFactory

_DATABASES = itertools.cycle(range(1, 16))


@pytest.fixture
def redis_url(redis_target: RedisTarget) -> Iterator[str]:
    db = next(_DATABASES)
    client = redis.Redis(host=redis_target.host, port=redis_target.port, db=db)
    try:
        client.flushdb()
    finally:
        client.close()
    yield f"redis://{redis_target.host}:{redis_target.port}/{db}"


@pytest.fixture
async def new_client(redis_url: str) -> AsyncIterator[ClientFactory]:
    """Open extra, separate connections to the test's database (closed afterwards)."""
    opened: list[aioredis.Redis] = []

    async def open_client(decode_responses: bool = True) -> aioredis.Redis:
        client = aioredis.Redis.from_url(redis_url, decode_responses=decode_responses)
        opened.append(client)
        return client

    yield open_client
    for client in opened:
        await client.close()


@pytest.fixture
async def redis_client(new_client: ClientFactory) -> aioredis.Redis:
    return await new_client()


@pytest.fixture
async def store(redis_client: aioredis.Redis) -> HandoffStore:
    return HandoffStore(redis_client)

