"""Slot mapping for the customer's frustration.

Runs on every user message (a custom slot mapping of the ``frustration``,
``frustration_trend`` and ``frustration_reasons`` slots): takes the score the NLU
frustration component gave the message and adds what the conversation says — misses in
a row (the NLU did not understand, the knowledge base found nothing), the same question
asked again, a long wait for the bot's previous reply or in the queue for a person (see
bot.frustration.conversation). ``frustration`` (0..1) is what the escalation policy and
the acknowledgement before answers read (bot.escalation); ``frustration_trend`` is
"rising", "steady" or "falling"; every level set stays in the conversation's events,
and the ticket carries the recent ones (actions/handoff.py).
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import FALLBACK_INTENT, REASONS_SLOT, frustration
from bot.escalation import FRUSTRATION_SLOT, HANDOFF_ACTION, TREND_SLOT
from bot.frustration import SCORE_KEY, Context, Score, next_level, score_message
from bot.frustration.signals import same_message

logger = logging.getLogger(__name__)

EARLIER_MESSAGES = 5         # how far back "the same question again" looks


def _user_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e.get("event") == "user"]


def message_score(latest_message: dict[str, Any]) -> Score:
    """What the NLU component scored; button payloads and unparsed text are scored here."""
    raw = latest_message.get(SCORE_KEY)
    if isinstance(raw, dict):
        return Score.from_dict(raw)
    return score_message(latest_message.get("text"))


def misses_in_row(earlier: list[dict[str, Any]], kb_misses: Any) -> int:
    """Messages just before this one the bot did not understand or found nothing for."""
    run = 0
    for event in reversed(earlier):
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") != FALLBACK_INTENT:
            break
        run += 1
    try:
        kb = int(float(kb_misses or 0))
    except (TypeError, ValueError):
        kb = 0
    return max(run, kb)


def reply_delay(events: list[dict[str, Any]], previous_user_at: float | None) -> float:
    """Seconds from the customer's previous message to the bot's first reply to it."""
    if previous_user_at is None:
        return 0.0
    for event in events:
        at = float(event.get("timestamp") or 0)
        if event.get("event") == "bot" and at >= previous_user_at:
            return at - previous_user_at
    return 0.0


def queue_wait(events: list[dict[str, Any]], state: Any, now: float) -> float:
    """Seconds since the conversation went into the queue, while it waits there."""
    if state != "waiting":
        return 0.0
    for event in reversed(events):
        if event.get("event") == "action" and event.get("name") == HANDOFF_ACTION:
            return max(0.0, now - float(event.get("timestamp") or now))
    return 0.0


def conversation_context(tracker: Tracker) -> Context:
    users = _user_events(tracker.events)
    current, earlier = (users[-1], users[:-1]) if users else ({}, [])
    text = (tracker.latest_message or {}).get("text") or ""
    previous_texts = [e.get("text") or "" for e in earlier[-EARLIER_MESSAGES:]]
    now = float(current.get("timestamp") or 0)
    previous_at = float(earlier[-1].get("timestamp") or 0) if earlier else None
    return Context(
        misses_in_row=misses_in_row(earlier, tracker.get_slot("kb_misses")),
        repeated=any(same_message(text, t) for t in previous_texts if t),
        reply_delay=reply_delay(tracker.events, previous_at),
        queue_wait=queue_wait(tracker.events, tracker.get_slot("handoff_state"), now),
    )


def frustration_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The slot events for the current user message."""
    level = next_level(message_score(tracker.latest_message or {}), conversation_context(tracker),
                       frustration(tracker))
    return [
        SlotSet(FRUSTRATION_SLOT, level.level),
        SlotSet(TREND_SLOT, level.trend),
        SlotSet(REASONS_SLOT, list(level.reasons)),
    ]


class ActionUpdateFrustration(Action):
    def name(self) -> str:
        return "action_update_frustration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        events = frustration_events(tracker)
        logger.debug("conversation %s frustration %s", tracker.sender_id, events)
        return events
