"""The customer's name (slot ``customer_name``): from the channel profile, or from the
customer introducing themselves ("my name is ...", "με λένε ...", "меня зовут ...",
"mano vardas ...") at any point of the conversation, or from the answer to the question
the queue message asks while the customer waits for a person (stored with the next
message the bot handles).

It is the slot's custom mapping, so Rasa runs it after every message the bot handles.
A name the customer gives wins over the profile's; nothing ever erases a known name.
The ticket of an escalation carries it, and the NLG endpoint addresses the customer by it.
"""
from __future__ import annotations

from typing import Any, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.phrasing.names import answered_name, introduced_name, metadata_name
from bot.phrasing.render import ASKED_NAME

SLOT = "customer_name"


def answer_to_the_question(events: list[dict[str, Any]]) -> str | None:
    """The name in the customer's first message after the bot last asked for it (asked
    while waiting for a person, so that message went to the agent, not through here)."""
    answer = None
    for event in events:
        if event.get("event") == "bot" and (event.get("metadata") or {}).get(ASKED_NAME):
            answer = ""
        elif event.get("event") == "user" and answer == "":
            answer = answered_name(event.get("text") or "") or None
    return answer or None


def name_events(tracker: Tracker) -> list[dict[str, Any]]:
    message = tracker.latest_message or {}
    given = introduced_name(message.get("text") or "")
    if given and given != tracker.get_slot(SLOT):
        return [SlotSet(SLOT, given)]
    if given or tracker.get_slot(SLOT):
        return []
    metadata = message.get("metadata")
    found = answer_to_the_question(tracker.events)
    if not found and isinstance(metadata, dict):
        found = metadata_name(metadata)
    return [SlotSet(SLOT, found)] if found else []


class ActionCustomerName(Action):
    def name(self) -> Text:
        return "action_customer_name"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        return name_events(tracker)
