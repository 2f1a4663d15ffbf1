"""Render a response for one conversation: template + culture profile + values.

This is what the NLG endpoint (handoff/nlg.py) runs for every bot message. From the
tracker it takes the language slot, the ``customer_name`` slot and the channel metadata
of the customer's messages (locale, timezone, name, gender, formality); it adds the
culture values every template may use:

- ``{greeting}``: hello for the customer's local time of day ("Καλησπέρα σας");
- ``{address}``: how to call the customer by name ("κύριε Παπαδόπουλε") or "";
- ``{comma_address}``: ", " + address, or "" without a name;
- ``{salutation}``: greeting and address together ("Καλησπέρα σας, κύριε Παπαδόπουλε");
- ``{ask_name}``: "" when the name is known, else a space and a polite question for it
  (``utter_ask_customer_name``): the queue message asks it while the customer waits, and
  the answer reaches the agent with the rest of the conversation. The reply then carries
  ``"asked_name": true``, which Rasa keeps in the bot event's metadata, so the answer can
  be stored in the ``customer_name`` slot later (actions/customer_name.py).

An argument ``when`` holding an ISO-8601 date and time (with its offset, optionally
followed by " " and an IANA zone) is written in the customer's date format.
"""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Mapping

from bot.escalation import ACKNOWLEDGE_AT, FRUSTRATION_SLOT
from bot.phrasing.clock import greeting, when_phrase
from bot.phrasing.culture import LANGUAGES, WARM, Profile, profile_for, valid_timezone
from bot.phrasing.names import Person, address, person_from
from bot.phrasing.templates import Message, templates

CULTURE_KEYS = ("greeting", "address", "comma_address", "salutation", "ask_name")  # optional anywhere
NAME_KEYS = ("name", "first_name", "last_name", "patronymic", "middle_name")
ASK_NAME = "utter_ask_customer_name"
ASKED_NAME = "asked_name"
# Keys rasa_sdk's utter_message puts beside the values a template is filled with.
MESSAGE_KEYS = frozenset({"text", "buttons", "elements", "custom", "template", "response", "image",
                          "attachment", "json_message", "response_id", "id", "utter_action",
                          "domain_responses"})
HINT_KEYS = ("locale", "language_code", "timezone", "name", "first_name", "last_name", "patronymic",
             "middle_name", "gender", "formality")


def channel_hints(tracker: Mapping[str, Any]) -> dict[str, Any]:
    """The newest value of every hint the customer's channel sent, over the conversation."""
    hints: dict[str, Any] = {}
    for event in tracker.get("events") or []:
        if isinstance(event, dict) and event.get("event") == "user":
            metadata = event.get("metadata")
            if isinstance(metadata, dict):
                hints.update({k: metadata[k] for k in HINT_KEYS if metadata.get(k) not in (None, "")})
    latest = tracker.get("latest_message")
    latest = latest.get("metadata") if isinstance(latest, dict) else None
    if isinstance(latest, dict):
        hints.update({k: latest[k] for k in HINT_KEYS if latest.get(k) not in (None, "")})
    return hints


def conversation_profile(tracker: Mapping[str, Any]) -> tuple[Profile, Person]:
    slots = tracker.get("slots") or {}
    language = slots.get("language") if slots.get("language") in LANGUAGES else "en"
    hints = channel_hints(tracker)
    if slots.get("formality") in ("formal", "informal"):
        hints.setdefault("formality", slots["formality"])
    if isinstance(slots.get("customer_name"), str) and slots["customer_name"].strip():
        # The slot holds the name the customer gave (or the profile's): it wins.
        hints = {k: v for k, v in hints.items() if k not in NAME_KEYS}
        hints["name"] = slots["customer_name"]
    profile = profile_for(language, hints)
    frustration = slots.get(FRUSTRATION_SLOT)
    # From where the bot acknowledges the feeling, every profile apologises warmly.
    if isinstance(frustration, (int, float)) and frustration >= ACKNOWLEDGE_AT:
        profile = replace(profile, empathy=WARM)  # apologies acknowledge the feeling, whatever the culture
    return profile, person_from(hints)


def culture_values(profile: Profile, person: Person, now: datetime,
                   rng: random.Random | None = None) -> dict[str, str]:
    hello = greeting(now, profile)
    called = address(profile, person)
    comma_address = f", {called}" if called else ""
    ask_name = "" if person.known else " " + templates().render(ASK_NAME, profile.language, profile.traits(),
                                                                 rng).text
    return {"greeting": hello, "address": called, "comma_address": comma_address,
            "salutation": hello + comma_address, "ask_name": ask_name}


def written_when(value: Any, profile: Profile) -> Any:
    if not isinstance(value, str):
        return value
    stamp, _, zone = value.partition(" ")
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    zone = valid_timezone(zone) or None
    written = when_phrase(moment, profile, zone)
    return f"{written} ({zone})" if zone and zone != profile.timezone else written


def render(name: str, tracker: Mapping[str, Any], arguments: Mapping[str, Any] | None = None,
           now: datetime | None = None, rng: random.Random | None = None) -> Message:
    """The message ``name`` for this conversation. Raises KeyError for an unknown name."""
    profile, person = conversation_profile(tracker)
    values = dict(arguments or {})
    if "when" in values:
        values["when"] = written_when(values["when"], profile)
    values.update(culture_values(profile, person, now or datetime.now(timezone.utc), rng))
    message = templates().render(name, profile.language, profile.traits(), rng, **values)
    question = values["ask_name"].strip()
    return replace(message, asked_name=True) if question and question in message.text else message


def template_values(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The values among an NLG request's arguments (plain JSON values, not message parts)."""
    return {k: v for k, v in arguments.items()
            if k not in MESSAGE_KEYS and isinstance(v, (str, int, float, bool))}


def nlg_reply(name: str, tracker: Mapping[str, Any],
              arguments: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The reply of Rasa's NLG protocol for response ``name``. Raises KeyError for an unknown name."""
    message = render(name, tracker, template_values(arguments or {}))
    # Rasa appends an action's extra buttons to this list itself: never null.
    reply = {"text": message.text, "buttons": message.buttons, "image": None, "elements": [],
             "attachment": None, "custom": {}}
    if message.asked_name:
        reply[ASKED_NAME] = True  # kept in the bot event's metadata (actions/customer_name.py)
    return reply
