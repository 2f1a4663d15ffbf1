"""The action server's Redis client: one per process, created on first use."""
from __future__ import annotations

import redis.asyncio as aioredis

from actions.settings import settings
from handoff.queue import HandoffStore

_client: aioredis.Redis | None = None


def redis_client() -> aioredis.Redis:
    global _client
    if _client is None:
        config = settings()
        _client = aioredis.Redis.from_url(
            config.redis_url,
            socket_timeout=config.redis_timeout,
            socket_connect_timeout=config.redis_timeout,
            decode_responses=True,
        )
    return _client


_handoff: HandoffStore | None = None


def handoff_store() -> HandoffStore:
    """The handoff queue on the same Redis (see handoff.queue)."""
    global _handoff
    if _handoff is None:
        _handoff = HandoffStore(redis_client())
    return _handoff
