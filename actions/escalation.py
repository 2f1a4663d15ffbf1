"""When and why a conversation goes to a human: the one place that decides.

Triggers: the customer asks for a person; two fallbacks in a row (the bot did not
understand twice); frustration at ``ESCALATE_AT`` or above (bot.escalation: the
frustration component sets the ``frustration`` slot, 0..1, and the escalation policy acts
on it). Everything that escalates reads its reason and priority here.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.escalation import ACKNOWLEDGE_AT, ESCALATE_AT, FRUSTRATION_SLOT
from bot.frustration import SCORE_KEY

FALLBACK_INTENT = "nlu_fallback"
REASONS_SLOT = "frustration_reasons"  # why, for the agent and for shows_feeling
FALLBACKS_BEFORE_ESCALATION = 2


def frustration(tracker: Tracker) -> float | None:
    value = tracker.get_slot(FRUSTRATION_SLOT)
    try:
        return None if value is None else max(0.0, min(1.0, float(value)))
    except (TypeError, ValueError):
        return None


def acknowledges_feeling(tracker: Tracker, this_message: bool = False) -> bool:
    """Whether the reply must acknowledge how the customer feels (``ACKNOWLEDGE_AT``): by
    the conversation's level, or with ``this_message`` by the latest message's own score
    (a calm e-mail address after an angry message needs no second apology)."""
    if this_message:
        detection = (tracker.latest_message or {}).get(SCORE_KEY) or {}
        try:
            return float(detection.get("score") or 0.0) >= ACKNOWLEDGE_AT
        except (TypeError, ValueError):
            return False
    return (frustration(tracker) or 0.0) >= ACKNOWLEDGE_AT


# Reasons (bot.frustration) that on their own say little about this customer's mood: the
# classifier's reading and words of context ("again", "problem", "a person") that calm
# questions about difficult customers use too.
WEAK_REASONS = ("learned:", "human:", "again:", "problem:", "the classifier reads it as calm",
                "thanks or praise")


def shows_feeling(tracker: Tracker) -> bool:
    """Whether the latest message's frustration rests on more than weak reasons: words of
    complaint, insult, threat or "third time", capitals, "!!!", angry emoji, a repeat, or
    what the conversation adds (misses in a row, waits)."""
    reasons = tracker.get_slot(REASONS_SLOT) or []
    return any(isinstance(r, str) and not r.startswith(WEAK_REASONS) for r in reasons)


def frustration_history(events: list[dict[str, Any]]) -> list[float]:
    history = []
    for event in events:
        if event.get("event") == "slot" and event.get("name") == FRUSTRATION_SLOT:
            try:
                history.append(round(float(event["value"]), 3))
            except (TypeError, ValueError, KeyError):
                continue
    return history


def recent_user_intents(events: list[dict[str, Any]], count: int) -> list[str]:
    intents = [
        (e.get("parse_data") or {}).get("intent", {}).get("name") or ""
        for e in events
        if e.get("event") == "user"
    ]
    return intents[-count:]


def repeated_fallback(tracker: Tracker) -> bool:
    """The bot failed to understand the last messages in a row."""
    last = recent_user_intents(tracker.events, FALLBACKS_BEFORE_ESCALATION)
    return len(last) == FALLBACKS_BEFORE_ESCALATION and all(i == FALLBACK_INTENT for i in last)


def escalation_reason(tracker: Tracker) -> str:
    level = frustration(tracker)
    if level is not None and level >= ESCALATE_AT:
        return "frustration"
    if repeated_fallback(tracker):
        return "repeated_fallback"
    intent = (tracker.latest_message or {}).get("intent", {}).get("name")
    if intent in ("request_human", "affirm"):
        return "customer_request"
    return "kb_miss"


def priority_base(tracker: Tracker) -> float:
    """Queue priority before waiting time: frustration 0..10, VIP +5."""
    level = frustration(tracker) or 0.0
    vip = bool(tracker.get_slot("vip"))
    return round(level * 10 + (5 if vip else 0), 2)
