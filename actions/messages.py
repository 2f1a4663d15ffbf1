"""Send a templated message (bot.phrasing.templates) in the conversation's language."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.phrasing.templates import templates


def say(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    name: str,
    buttons: list[dict[str, str]] | None = None,
    **values: Any,
) -> None:
    """Utter message ``name``; ``buttons`` are added after the template's own."""
    message = templates().render(name, tracker.get_slot("language"), **values)
    all_buttons = message.buttons + list(buttons or [])
    dispatcher.utter_message(text=message.text, buttons=all_buttons or None, utter_action=name)
