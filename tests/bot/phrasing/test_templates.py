"""Every message exists in every language, with the same placeholders and buttons."""
from __future__ import annotations

import string

import pytest

from bot.phrasing.render import CULTURE_KEYS
from bot.phrasing.templates import LANGUAGES, Templates, fill

TEMPLATES = Templates.load()
NAMES = sorted(TEMPLATES.names("en"))


def placeholders(text: str) -> set[str]:
    """The values an action must pass (culture values are the NLG endpoint's, optional)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name} - set(CULTURE_KEYS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_exists_in_every_language(language: str) -> None:
    assert TEMPLATES.names(language) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_variations_agree_on_placeholders_and_button_payloads(name: str) -> None:
    english = TEMPLATES.variations(name, "en")
    expected_fields = placeholders(english[0]["text"])
    expected_payloads = [b["payload"] for b in english[0].get("buttons", [])]
    for language in LANGUAGES:
        for variation in TEMPLATES.variations(name, language):
            assert placeholders(variation["text"]) == expected_fields, (language, variation)
            assert [b["payload"] for b in variation.get("buttons", [])] == expected_payloads, language


def test_render_fills_values_and_keeps_unknown_placeholders() -> None:
    message = TEMPLATES.render("utter_kb_answer", "lt", title="T", summary="S")
    assert message.text == "T\n\nS"
    # The answer keeps its button (one message in every channel: Rasa splits a text without
    # buttons at blank lines); the last message repeats it, for the widget and Messenger.
    assert [b["payload"] for b in message.buttons] == ["/kb_read_more"]
    helpful = TEMPLATES.render("utter_kb_was_helpful", "lt")
    assert [b["payload"] for b in helpful.buttons] == ["/affirm", "/deny", "/kb_read_more"]
    assert fill("{a} {b}", {"a": 1}) == "1 {b}"


def test_unknown_language_falls_back_to_english() -> None:
    assert TEMPLATES.render("utter_csat_thanks", "fr").text in {
        v["text"] for v in TEMPLATES.variations("utter_csat_thanks", "en")
    }
