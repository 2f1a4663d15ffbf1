"""Escalation to a human agent, and what happens around it.

``action_handoff`` builds a ticket with everything the bot knows (transcript, language,
culture hints, intents, knowledge-base articles offered, frustration history, slots,
identity and channel), queues it for a department and tells the customer their place
and the expected wait. From then on the handoff gate in the Rasa channels keeps the bot
silent until the agent hands the conversation back. Outside business hours, or with no
agent online, the ticket is kept as an offline ticket and the customer is asked for an
e-mail address instead.
"""
from __future__ import annotations

import logging
import math
import re
import time
from datetime import datetime, timezone
from typing import Any, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.escalation import acknowledges_feeling, escalation_reason, frustration_history, priority_base
from actions.messages import say
from actions.store import handoff_store
from bot.escalation import FRUSTRATION_PRIORITY_BONUS, SORRY
from handoff import hours, routing
from handoff.models import Department, TicketContext, TicketStatus, TranscriptEntry

logger = logging.getLogger(__name__)

DEFAULT_DEPARTMENT = "general"
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
CSAT_RE = re.compile(r"(?<!\d)([1-5])(?!\d)")
CSAT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "ένα": 1, "δύο": 2, "τρία": 3, "τέσσερα": 4, "πέντε": 5,
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5,
    "vienas": 1, "du": 2, "trys": 3, "keturi": 4, "penki": 5,
}
FRUSTRATION_HISTORY = 20    # the levels of the conversation's last messages the ticket keeps
OPEN_STATES = (TicketStatus.waiting, TicketStatus.assigned, TicketStatus.offline)
# Actions run through Rasa's /execute API are not followed by action_listen; adding it
# makes the customer's next message start a normal turn (rules match, nothing is skipped).
LISTEN = "action_listen"


def transcript(events: list[dict[str, Any]]) -> list[TranscriptEntry]:
    entries = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            entries.append(TranscriptEntry(
                kind="customer", text=event.get("text") or "", at=float(event.get("timestamp") or 0),
                author=None, intent=intent.get("name"), confidence=intent.get("confidence"),
            ))
        elif kind == "bot" and event.get("text"):
            entries.append(TranscriptEntry(kind="bot", text=event["text"], at=float(event.get("timestamp") or 0),
                                           author=None))
    return entries


def intents(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for event in events:
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            if intent.get("name"):
                found.append({"name": intent["name"], "confidence": round(float(intent.get("confidence") or 0), 3)})
    return found


def culture_hints(tracker: Tracker) -> dict[str, Any]:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    hints = {k: metadata[k] for k in ("locale", "timezone", "language_code", "country") if k in metadata}
    for slot in ("culture", "formality"):
        if tracker.get_slot(slot) is not None:
            hints[slot] = tracker.get_slot(slot)
    return hints


def build_context(tracker: Tracker, reason: str) -> TicketContext:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return TicketContext(
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "rest",
        sender_id=tracker.sender_id,
        customer_name=tracker.get_slot("customer_name") or metadata.get("name"),
        language=tracker.get_slot("language") or "en",
        culture=culture_hints(tracker),
        transcript=transcript(tracker.events),
        intents=intents(tracker.events),
        kb_offered=list(tracker.get_slot("kb_offered") or []),
        frustration=frustration_history(tracker.events)[-FRUSTRATION_HISTORY:],
        slots={k: v for k, v in tracker.slots.items() if v is not None},
        reason=reason,
        vip=bool(tracker.get_slot("vip")),
        contact_email=None,
    )


def ticket_priority(tracker: Tracker, reason: str) -> float:
    """Queue priority before waiting time; a ticket that frustration escalated goes first."""
    return priority_base(tracker) + (FRUSTRATION_PRIORITY_BONUS if reason == "frustration" else 0.0)


def format_when(moment: datetime | None, department: Department) -> str:
    """The next opening, ISO-8601 in the department's time zone followed by the zone; the
    NLG endpoint writes it the customer's way (bot/phrasing/render.py)."""
    if moment is None:
        return ""
    local = moment.astimezone(hours.zone(department))
    return f"{local.isoformat(timespec='minutes')} {department.timezone}"


def parse_csat(text: str, entity: Any = None) -> int | None:
    for candidate in (str(entity) if entity is not None else "", text or ""):
        found = CSAT_RE.search(candidate)
        if found:
            return int(found.group(1))
    stars = (text or "").count("⭐")
    if 1 <= stars <= 5:
        return stars
    words = set(re.findall(r"\w+", (text or "").lower()))
    scores = [score for word, score in CSAT_WORDS.items() if word in words]
    return scores[0] if len(scores) == 1 else None


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        store = handoff_store()
        reason = escalation_reason(tracker)
        try:
            existing = await store.ticket_for_conversation(tracker.sender_id)
            if existing is not None and existing.status in OPEN_STATES:
                say(dispatcher, tracker, "utter_handoff_already_queued")
                return [SlotSet("handoff_ticket", existing.id)]
            name = tracker.get_slot("department") or routing.department_for_topics(
                await store.departments(), tracker.get_slot("kb_offered") or [], DEFAULT_DEPARTMENT)
            department = await store.get_department(name) or Department(name=name)
            now = datetime.now(timezone.utc)
            context = build_context(tracker, reason)
            # Online agents of the department, available or away (away agents claim by hand).
            online = [a for a in await store.online_agents(time.time(), include_away=True)
                      if routing.works_in(a, department.name)]
            is_open = hours.is_open(department, now)
            offline = not is_open or not online
            ticket, _ = await store.create_ticket(context, department=department.name,
                                                  priority_base=ticket_priority(tracker, reason), offline=offline)
            position = None if offline else await store.position(ticket.id)
        except Exception:  # noqa: BLE001 - the customer gets a polite reply, nothing half-done stays
            logger.exception("conversation %s: escalation failed", tracker.sender_id)
            say(dispatcher, tracker, "utter_handoff_unavailable")
            return []
        logger.info("conversation %s ticket %s: escalated (%s) to %s, %s", tracker.sender_id, ticket.id,
                    reason, department.name, "offline" if offline else f"position {position}")
        if reason == "frustration":
            say(dispatcher, tracker, "utter_frustration_escalate")
        if offline:
            if is_open:
                say(dispatcher, tracker, "utter_handoff_offline_no_agents")
            else:
                when = format_when(hours.next_opening(department, now), department)
                say(dispatcher, tracker, "utter_handoff_offline_hours", when=when)
            # Both messages end by asking for the e-mail address: no second question.
            return [SlotSet("handoff_ticket", ticket.id), SlotSet("handoff_state", "offline")]
        wait = routing.expected_wait_seconds(position or 1, department, len(online))
        say(dispatcher, tracker, "utter_handoff_queued", position=position,
                                 minutes=max(1, math.ceil(wait / 60)))
        return [SlotSet("handoff_ticket", ticket.id), SlotSet("handoff_state", "waiting")]


class ActionHandoffCancel(Action):
    """The customer no longer wants to wait: only possible until an agent claims the ticket."""

    def name(self) -> Text:
        return "action_handoff_cancel"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        store = handoff_store()
        try:
            ticket = await store.ticket_for_conversation(tracker.sender_id)
            cancelled = ticket is None or await store.cancel(ticket.id)
        except Exception:  # noqa: BLE001
            logger.exception("conversation %s: cancel failed", tracker.sender_id)
            say(dispatcher, tracker, "utter_handoff_unavailable")
            return []
        if not cancelled:
            say(dispatcher, tracker, "utter_handoff_cancel_too_late")
            return []
        if ticket is not None:
            logger.info("conversation %s ticket %s: cancelled by the customer", tracker.sender_id, ticket.id)
        say(dispatcher, tracker, "utter_handoff_cancelled")
        return [SlotSet("handoff_state", None), SlotSet("handoff_ticket", None)]


def back_to_bot(dispatcher: CollectingDispatcher, tracker: Tracker, message: str,
                state: str | None) -> list[dict]:
    """The agent let go (run through Rasa's /execute API by the handoff service): one
    message, the bot's state reset, and a listen so the next message is a normal turn."""
    say(dispatcher, tracker, message)
    return [SlotSet("handoff_state", state), SlotSet("kb_misses", 0), SlotSet("kb_result", None),
            ActionExecuted(LISTEN)]


class ActionHandoffReturn(Action):
    """The agent hands back: the bot asks whether there is anything else."""

    def name(self) -> Text:
        return "action_handoff_return"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        return back_to_bot(dispatcher, tracker, "utter_handback", None)


class ActionHandoffClosed(Action):
    """The agent closes: the customer is asked for a 1-5 rating."""

    def name(self) -> Text:
        return "action_handoff_closed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        return back_to_bot(dispatcher, tracker, "utter_ask_csat", "rating")


class ActionHandoffCsat(Action):
    def name(self) -> Text:
        return "action_handoff_csat"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        message = tracker.latest_message or {}
        entity = next(tracker.get_latest_entity_values("csat_score"), None)
        score = parse_csat(message.get("text") or "", entity)
        ticket_id = tracker.get_slot("handoff_ticket")
        if score is None or not ticket_id:
            say(dispatcher, tracker, "utter_ask_csat")
            return []
        try:
            await handoff_store().set_csat(ticket_id, score)
        except Exception:  # noqa: BLE001
            logger.exception("conversation %s ticket %s: could not store the rating", tracker.sender_id, ticket_id)
            say(dispatcher, tracker, "utter_handoff_unavailable")
            return []
        logger.info("conversation %s ticket %s: rated %s", tracker.sender_id, ticket_id, score)
        if acknowledges_feeling(tracker, this_message=True):
            say(dispatcher, tracker, SORRY)
        say(dispatcher, tracker, "utter_csat_thanks")
        return [SlotSet("handoff_state", None), SlotSet("handoff_ticket", None)]


class ActionHandoffSaveContact(Action):
    def name(self) -> Text:
        return "action_handoff_save_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        found = EMAIL_RE.search((tracker.latest_message or {}).get("text") or "")
        ticket_id = tracker.get_slot("handoff_ticket")
        if not ticket_id:
            return []
        if not found:
            say(dispatcher, tracker, "utter_invalid_email")
            return []
        email = found.group(0)
        try:
            await handoff_store().set_contact_email(ticket_id, email)
        except Exception:  # noqa: BLE001
            logger.exception("conversation %s ticket %s: could not save the contact", tracker.sender_id, ticket_id)
            say(dispatcher, tracker, "utter_handoff_unavailable")
            return []
        logger.info("conversation %s ticket %s: contact saved", tracker.sender_id, ticket_id)
        if acknowledges_feeling(tracker, this_message=True):
            say(dispatcher, tracker, SORRY)
        say(dispatcher, tracker, "utter_handoff_contact_saved", email=email)
        return [SlotSet("handoff_state", None), SlotSet("contact_email", email)]
