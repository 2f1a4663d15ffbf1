"""The handoff gate: while a human owns a conversation, the bot stays silent.

Every input channel passes its messages through ``gated(on_new_message)``. When the
conversation has an open ticket that is waiting for or assigned to an agent (the
ownership flag in Redis, see handoff.keys), the message is

1. put on the handoff inbox stream, from which the handoff service delivers it to the
   agent live (at least once; nothing is lost if that service is down), and
2. logged in the Rasa tracker without predicting anything, so the conversation history
   stays complete for the agent and for the bot after hand-back.

The Telegram and Messenger connectors also call ``route_to_human`` for a sticker, photo
or other attachment, with a textual placeholder such as ``[photo] <caption>`` as the
message (see bot.channels.platform), so the agent sees it like any customer text.

A customer who is still waiting can cancel ("cancel", "ακύρωση", "отмена", "atšaukti"):
the bot runs ``action_handoff_cancel`` and takes the conversation back. Only a text
message cancels: a photo captioned "cancel" is most likely about the thing in the photo
(an order to cancel), so it goes to the agent like any other attachment.

The tracker is never paused, so none of the paused-tracker pitfalls apply: custom
actions keep running and predictions after hand-back start from a normal tracker.
"""
from __future__ import annotations

import logging
import os
import time
from typing import Any, Awaitable, Callable, Optional

import redis.asyncio as aioredis
from rasa.core.channels.channel import UserMessage

from handoff.models import TicketStatus
from handoff.queue import HandoffStore

logger = logging.getLogger(__name__)

CANCEL_INTENT = "cancel_handoff"
CANCEL_ACTION = "action_handoff_cancel"
CANCEL_MIN_CONFIDENCE = 0.8
HUMAN_OWNED = (TicketStatus.waiting, TicketStatus.assigned)

_store: Optional[HandoffStore] = None


def handoff_store() -> HandoffStore:
    """The Rasa process's handoff store, created on first use from REDIS_URL."""
    global _store
    if _store is None:
        url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        _store = HandoffStore(aioredis.Redis.from_url(url, socket_timeout=5, decode_responses=True))
    return _store


def _rasa_agent() -> Any:
    from sanic import Sanic

    return Sanic.get_app().ctx.agent


async def route_to_human(message: UserMessage, store: Optional[HandoffStore] = None, agent: Any = None,
                         may_cancel: bool = True) -> bool:
    """Handle the message on the human side if a human owns the conversation; a message
    that ``may_cancel`` (text, not an attachment) cancels a handoff still waiting."""
    store = store or handoff_store()
    ticket = await store.ticket_for_conversation(message.sender_id)
    if ticket is None or ticket.status not in HUMAN_OWNED:
        return False
    agent = agent or _rasa_agent()
    await store.inbox_add(message.sender_id, ticket.id, message.text or "", time.time(), message.metadata or {})
    async with agent.lock_store.lock(message.sender_id):
        tracker = await agent.processor.log_message(message)
    intent = (tracker.latest_message.intent or {}) if tracker.latest_message else {}
    logger.debug("conversation %s ticket %s: message for the agent (intent %s)",
                 message.sender_id, ticket.id, intent.get("name"))
    if (
        may_cancel
        and ticket.status == TicketStatus.waiting
        and intent.get("name") == CANCEL_INTENT
        and (intent.get("confidence") or 0.0) >= CANCEL_MIN_CONFIDENCE
    ):
        logger.info("conversation %s ticket %s: customer cancels the handoff", message.sender_id, ticket.id)
        async with agent.lock_store.lock(message.sender_id):
            await agent.execute_action(message.sender_id, CANCEL_ACTION, message.output_channel, None, None)
    return True


def gated(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wrap a channel's ``on_new_message`` so human-owned conversations bypass the bot."""

    async def handle(message: UserMessage) -> Any:
        if await route_to_human(message):
            return None
        return await on_new_message(message)

    return handle
