"""Background work of a handoff service: deliver customer messages, assign tickets.

Both are safe with several service instances: the inbox is a consumer group (each
message is handled by one instance, acknowledged after it is stored, and reclaimed from
a dead instance), and assignment is an atomic claim.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiohttp import web

from handoff import routing
from handoff.models import TranscriptEntry
from handoff.queue import InboxConsumer
from handoff.state import SETTINGS, STOPPING, STORE

logger = logging.getLogger(__name__)

ROUTE_EVERY_SECONDS = 1.0
INBOX_BLOCK_MS = 1000


async def deliver_inbox(app: web.Application) -> None:
    """Customer messages written while a human owns the conversation -> the ticket's log."""
    store = app[STORE]
    consumer = InboxConsumer(store, app[SETTINGS].instance)

    async def handle(entry) -> None:
        text = entry.text
        record = TranscriptEntry(kind="customer", text=text, at=entry.at, author=None)
        await store.append_log(entry.ticket_id, record, dedupe_key=entry.id)
        logger.debug("ticket %s: customer message delivered", entry.ticket_id)

    while not app[STOPPING].is_set():
        try:
            await consumer.run_once(handle, block_ms=INBOX_BLOCK_MS)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001
            logger.exception("inbox delivery failed; retrying")
            await asyncio.sleep(1)


async def route_waiting(app: web.Application) -> None:
    """Give waiting tickets to the least-loaded available agent, again and again."""
    store, stopping = app[STORE], app[STOPPING]
    while not stopping.is_set():
        try:
            for ticket_id, agent_id in await routing.assign_waiting(store, time.time()):
                logger.info("ticket %s: assigned to %s", ticket_id, agent_id)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001
            logger.exception("routing failed; retrying")
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stopping.wait(), ROUTE_EVERY_SECONDS)
