"""action_resolve_language with real rasa_sdk trackers."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionResolveLanguage
from bot.langid import DETECTION_KEY, Detection


def tracker(detection: Detection | None, language: str | None) -> Tracker:
    latest = {"text": "x", "intent": {"name": "greet", "confidence": 1.0}, "entities": []}
    if detection is not None:
        latest[DETECTION_KEY] = detection.as_dict()
    return Tracker(
        sender_id="c1",
        slots={"language": language, "language_confidence": None},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run(t: Tracker) -> list[dict]:
    dispatcher = CollectingDispatcher()
    events = await ActionResolveLanguage().run(dispatcher, t, {})
    assert dispatcher.messages == []
    return events


async def test_sets_language_and_confidence_on_a_clear_message() -> None:
    events = await run(tracker(Detection("ru", 0.99, "script", {"ru": 1.0}), None))
    slots = {e["name"]: e["value"] for e in events}
    assert slots == {"language": "ru", "language_confidence": 0.99}


async def test_keeps_the_language_for_an_emoji() -> None:
    events = await run(tracker(Detection(None, 0.0, "none"), "el"))
    assert events == []


async def test_explicit_switch_changes_the_language() -> None:
    events = await run(tracker(Detection("lt", 0.99, "switch", {"lt": 1.0}, requested=True), "en"))
    assert {"event": "slot", "timestamp": None, "name": "language", "value": "lt"} in events


async def test_no_detection_in_the_parse_sets_nothing() -> None:
    assert await run(tracker(None, "en")) == []
