"""The handoff service: agent console, JSON API and live updates (aiohttp)."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import AsyncIterator

import aiohttp
import redis.asyncio as aioredis
from aiohttp import web

from handoff import auth
from handoff.api import api_errors, setup_api_routes
from handoff.demo import setup_demo_routes
from handoff.hub import Hub, forward_events, websocket
from handoff.nlg import setup_nlg_routes
from handoff.queue import HandoffStore
from handoff.rasa_client import RasaClient
from handoff.settings import Settings
from handoff.state import HUB, RASA, SESSIONS, SETTINGS, STOPPING, STORE
from handoff.translate import setup_translation_routes
from handoff.workers import deliver_inbox, route_waiting

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"


async def _redis(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    client = aioredis.Redis.from_url(settings.redis_url, decode_responses=True, socket_timeout=5)
    app[STORE] = HandoffStore(client)
    app[SESSIONS] = auth.Sessions(client, settings.session_ttl)
    yield
    await client.close()


async def _rasa(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    async with aiohttp.ClientSession() as session:
        app[RASA] = RasaClient(session, settings.rasa_url, settings.rasa_token, settings.rasa_timeout)
        yield


async def _hub(app: web.Application) -> AsyncIterator[None]:
    app[HUB] = Hub()
    yield
    await app[HUB].close_all()


async def _background(app: web.Application) -> AsyncIterator[None]:
    app[STOPPING] = asyncio.Event()
    tasks = [asyncio.create_task(work(app), name=work.__name__)
             for work in (forward_events, deliver_inbox, route_waiting)]
    yield
    # Each loop blocks on Redis for at most a second and then sees the flag: stopping
    # this way never cancels a Redis command half-way (which would stall the client).
    app[STOPPING].set()
    done, pending = await asyncio.wait(tasks, timeout=5)
    for task in pending:
        task.cancel()
    for task in pending:
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _load_agent(request: web.Request, agent_id: str):
    return await request.app[STORE].get_agent(agent_id)


async def index(_: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "console.html", headers={"Cache-Control": "no-store"})


async def health(request: web.Request) -> web.Response:
    await request.app[STORE].redis.ping()
    return web.json_response({"status": "ok"})


@web.middleware
async def security_headers(request: web.Request, handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'",
    )
    return response


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/", index)
    app.router.add_get("/health", health)
    app.router.add_get("/ws", websocket)
    app.router.add_static("/static/", STATIC)
    setup_api_routes(app)
    setup_nlg_routes(app)
    setup_demo_routes(app)
    setup_translation_routes(app)


def create_app(settings: Settings) -> web.Application:
    app = web.Application(
        middlewares=[security_headers, api_errors, auth.auth_middleware(lambda r: r.app[SESSIONS], _load_agent)],
        client_max_size=256 * 1024,
    )
    app[SETTINGS] = settings
    app.cleanup_ctx.extend([_redis, _rasa, _hub, _background])
    setup_routes(app)
    return app
