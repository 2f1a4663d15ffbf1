"""Live updates for agent consoles: ticket events from Redis pushed over websockets.

Every handoff service instance reads the whole event stream (plain XREAD from the newest
entry, no consumer group: each instance serves its own websockets) and forwards each
event to the connected agents who may see the ticket.
"""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from handoff import auth, keys
from handoff.models import Agent
from handoff.state import HUB, STOPPING, STORE

logger = logging.getLogger(__name__)

READ_BLOCK_MS = 1000


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    agent: Agent


class Hub:
    """The consoles connected to this instance; each leaves on disconnect or shutdown."""

    def __init__(self) -> None:
        self._connections: set[Connection] = set()

    def add(self, connection: Connection) -> None:
        self._connections.add(connection)

    def discard(self, connection: Connection) -> None:
        self._connections.discard(connection)

    @property
    def connections(self) -> list[Connection]:
        return list(self._connections)

    async def broadcast(self, department: str, message: dict[str, Any]) -> None:
        payload = json.dumps(message, ensure_ascii=False)
        for connection in self.connections:
            if connection.ws.closed or not auth.can_see(connection.agent, department):
                continue
            try:
                await connection.ws.send_str(payload)
            except ConnectionError:
                self.discard(connection)

    async def close_all(self) -> None:
        for connection in self.connections:
            await connection.ws.close(code=1001, message=b"server shutdown")
        self._connections.clear()


async def websocket(request: web.Request) -> web.WebSocketResponse:
    origin = request.headers.get("Origin")
    if origin and origin.split("://", 1)[-1] != request.host:
        raise web.HTTPForbidden(text='{"error": "origin", "message": "Cross-origin websocket refused."}',
                                content_type="application/json")
    ws = web.WebSocketResponse(heartbeat=25)
    await ws.prepare(request)
    connection = Connection(ws, request["agent"])
    hub = request.app[HUB]
    hub.add(connection)
    try:
        async for message in ws:
            if message.type == WSMsgType.TEXT and message.data == '{"type": "ping"}':
                await ws.send_str('{"type": "pong"}')
    finally:
        hub.discard(connection)
    return ws


async def forward_events(app: web.Application) -> None:
    """Read ticket events as they come and push them to the consoles."""
    from handoff.api import summary

    store, hub, stopping = app[STORE], app[HUB], app[STOPPING]
    last_id = "$"
    while not stopping.is_set():
        try:
            batches = await store.redis.xread({keys.EVENTS: last_id}, count=100, block=READ_BLOCK_MS)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - Redis hiccup: log and keep serving
            logger.exception("reading ticket events failed; retrying")
            await asyncio.sleep(1)
            continue
        for _stream, entries in batches or []:
            for entry_id, fields in entries:
                last_id = entry_id
                await _forward(store, hub, fields, summary)


async def _forward(store, hub: Hub, fields: dict[str, str], summary) -> None:
    ticket = await store.get_ticket(fields.get("ticket_id", ""))
    if ticket is None:
        return
    message: dict[str, Any] = {"type": fields.get("type"), "ticket": await summary(store, ticket)}
    if fields.get("type") == "ticket.message":
        data = json.loads(fields.get("data") or "{}")
        message["entry"] = data.get("entry", data)
    await hub.broadcast(ticket.department, message)
