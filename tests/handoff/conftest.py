"""Fixtures for the handoff tests: a real Redis database of its own for every test, and
the service's API with a stand-in for Rasa.

The session's private redis-server comes from ``redis_target`` (tests/conftest.py).
Each test gets the next database number of that server (1..15, 0 is left to the
end-to-end stack) and flushes only that database before it starts: the server is
private to the test session, so nothing of anyone else is touched.

Rasa is the service's neighbour: a small aiohttp server stands in for its HTTP API and
records what the service sends, so each test can check delivery.
"""
from __future__ import annotations

import itertools
from typing import Any, AsyncIterator, Iterator

import pytest
import redis
import redis.asyncio as aioredis
from aiohttp import web

from handoff.app import create_app
from handoff.auth import hash_password
from handoff.models import Agent, Department, Role
from handoff.queue import HandoffStore
from handoff.settings import Settings
from scripts.stack import RedisTarget
from tests.handoff.factories import PASSWORD, TOKEN, ClientFactory

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


class FakeRasa:
    """Records the requests the handoff service makes to Rasa's HTTP API."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail = False

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append({"path": request.path, "query": dict(request.query), "body": await request.json()})
        if self.fail:
            return web.Response(status=500, text="boom")
        return web.json_response({})


@pytest.fixture
async def rasa(aiohttp_server) -> tuple[FakeRasa, str]:
    fake = FakeRasa()
    app = web.Application()
    app.router.add_post("/conversations/{cid}/{rest:.*}", fake.handle)
    server = await aiohttp_server(app)
    return fake, str(server.make_url("")).rstrip("/")


@pytest.fixture
async def setup(store: HandoffStore) -> HandoffStore:
    await store.save_department(Department(name="general", timezone="Europe/Athens"))
    await store.save_department(Department(name="billing", timezone="Europe/Vilnius"))
    for agent_id, role, departments in (("maria", Role.agent, ("general",)), ("nikos", Role.agent, ("general",)),
                                        ("rasa", Role.agent, ("billing",)), ("boss", Role.supervisor, ("billing",))):
        await store.save_agent(Agent(id=agent_id, display_name=agent_id.title(), role=role, departments=departments,
                                     languages=("el", "en"), capacity=3, password_hash=hash_password(PASSWORD)))
    return store


@pytest.fixture
async def make_client(aiohttp_client, redis_url: str, rasa, setup):
    fake, rasa_url = rasa
    app = create_app(Settings(redis_url=redis_url, rasa_url=rasa_url, rasa_token=TOKEN))
    clients = []

    async def login(username: str | None = "maria"):
        client = await aiohttp_client(app) if not clients else await aiohttp_client(app)
        clients.append(client)
        csrf = None
        if username:
            reply = await client.post("/api/login", json={"username": username, "password": PASSWORD})
            assert reply.status == 200
            csrf = (await reply.json())["csrf_token"]
        return client, csrf

    return login
