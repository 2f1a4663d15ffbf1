"""Send a named message; the NLG endpoint renders it for the customer.

Rasa passes the name and the values to the NLG endpoint (handoff/nlg.py), which picks
the text from data/responses in the conversation's language, adapted to the customer's
culture profile (bot/phrasing/render.py). ``buttons`` are added by Rasa after the
template's own.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def say(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,  # the conversation: the NLG endpoint reads it from Rasa's request
    name: str,
    buttons: list[dict[str, str]] | None = None,
    **values: Any,
) -> None:
    """Utter message ``name`` filled with ``values`` (plain JSON values)."""
    dispatcher.utter_message(response=name, buttons=list(buttons or []), **values)
