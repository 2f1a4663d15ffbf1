"""What the customer sees of an action's message: Rasa sends the message's name and values
to the NLG endpoint (rendered here with the same code) and appends the action's buttons."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from bot.phrasing.render import render
from bot.phrasing.templates import Message


def rendered_message(message: dict[str, Any], language: str) -> Message:
    values = {k: v for k, v in message.items()
              if isinstance(v, (str, int, float)) and k not in ("text", "response")}
    shown = render(message["response"], {"slots": {"language": language}, "events": []}, values)
    return Message(shown.text, shown.buttons + list(message.get("buttons") or []))


@pytest.fixture
def rendered() -> Callable[[dict[str, Any], str], Message]:
    return rendered_message
