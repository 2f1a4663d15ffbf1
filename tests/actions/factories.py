"""Plain helpers shared by the action tests (and the knowledge-base translation tests):
trackers shaped like the ones Rasa sends, an agent for the handoff queue, and the
message a customer sees."""
from __future__ import annotations

import time
import uuid
from typing import Any

from rasa_sdk import Tracker

from bot.phrasing.render import render
from bot.phrasing.templates import Message
from handoff.models import Agent, Role
from handoff.queue import HandoffStore


def rendered_message(message: dict[str, Any], language: str) -> Message:
    values = {k: v for k, v in message.items()
              if isinstance(v, (str, int, float)) and k not in ("text", "response")}
    shown = render(message["response"], {"slots": {"language": language}, "events": []}, values)
    return Message(shown.text, shown.buttons + list(message.get("buttons") or []))


def kb_tracker(text: str, intent: str = "ask_question", entities: list[dict] | None = None, **slots) -> Tracker:
    return Tracker(
        sender_id=f"c-{uuid.uuid4().hex[:8]}",
        slots={"language": "en", "kb_article": None, "kb_misses": None, "kb_offered": None, **slots},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )


def handoff_tracker(text: str, intent: str, sender: str | None = None, **slots) -> Tracker:
    sender = sender or f"c-{uuid.uuid4().hex[:8]}"
    now = time.time()
    events = [
        {"event": "user", "text": "Γεια σας", "timestamp": now - 60,
         "parse_data": {"intent": {"name": "greet", "confidence": 0.97}}},
        {"event": "bot", "text": "Γεια σας! Πώς μπορώ να βοηθήσω;", "timestamp": now - 59},
        {"event": "slot", "name": "frustration", "value": 0.4},
        {"event": "user", "text": text, "timestamp": now, "input_channel": "socketio",
         "parse_data": {"intent": {"name": intent, "confidence": 0.91}}},
    ]
    return Tracker(
        sender_id=sender,
        slots={"language": "el", "kb_offered": ["metric-nps"], "frustration": 0.4, **slots},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.91}, "entities": [],
                        "metadata": {"locale": "el-GR", "timezone": "Europe/Athens"}},
        events=events, paused=False, followup_action=None, active_loop={},
        latest_action_name="action_listen",
    )


async def online_agent(store: HandoffStore, available: bool = True) -> None:
    await store.save_agent(Agent(id="maria", display_name="Maria", role=Role.agent, departments=("general",),
                                 languages=("el",), capacity=2, password_hash="x"))
    await store.heartbeat("maria", available, time.time())
