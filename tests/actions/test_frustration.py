"""action_update_frustration with real rasa_sdk trackers; the acknowledgement before a
knowledge-base answer; the priority of a ticket that frustration escalated."""
from __future__ import annotations

import time
import uuid
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.frustration import ActionUpdateFrustration
from actions.handoff import ActionHandoff
from actions.kb import ActionKbAnswer
from bot.escalation import ACKNOWLEDGE_AT, ESCALATE_AT, FRUSTRATION_PRIORITY_BONUS
from bot.frustration import SCORE_KEY, score_message
from tests.actions.factories import handoff_tracker, kb_tracker, online_agent

NOW = 1_700_000_000.0


def user(text: str, at: float, intent: str = "ask_question") -> dict[str, Any]:
    return {"event": "user", "text": text, "timestamp": at,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def bot(text: str, at: float) -> dict[str, Any]:
    return {"event": "bot", "text": text, "timestamp": at}


def tracker(text: str, earlier: list[dict[str, Any]] | None = None, scored: bool = True,
            intent: str = "ask_question", **slots: Any) -> Tracker:
    latest: dict[str, Any] = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    if scored:
        latest[SCORE_KEY] = score_message(text).as_dict()
    return Tracker(
        sender_id=f"c-{uuid.uuid4().hex[:8]}",
        slots={"frustration": None, "frustration_trend": None, "kb_misses": None, "handoff_state": None, **slots},
        latest_message=latest,
        events=[*(earlier or []), user(text, NOW, intent)],
        paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )


async def run(t: Tracker) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    events = await ActionUpdateFrustration().run(dispatcher, t, {})
    assert dispatcher.messages == []
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_a_calm_first_message_sets_a_low_steady_level() -> None:
    slots = await run(tracker("Πώς αλλάζω τον κωδικό μου;"))
    assert slots["frustration"] < 0.1 and slots["frustration_trend"] == "steady"
    assert set(slots) == {"frustration", "frustration_trend", "frustration_reasons"}


async def test_an_angry_message_sets_its_score_rising_with_reasons() -> None:
    slots = await run(tracker("Это уже третий раз, сколько можно?!"))
    assert slots["frustration"] >= ACKNOWLEDGE_AT
    assert slots["frustration_trend"] == "rising"
    assert any(r.startswith("repeat") for r in slots["frustration_reasons"])


async def test_calm_after_anger_falls_and_anger_that_keeps_coming_escalates() -> None:
    calm = await run(tracker("ok, how do I pay by card?", frustration=0.7))
    assert calm["frustration_trend"] == "falling" and 0 < calm["frustration"] < 0.7
    angry = await run(tracker("This is ridiculous, third time I ask", frustration=0.7))
    assert angry["frustration_trend"] == "rising" and angry["frustration"] >= ESCALATE_AT


async def test_consecutive_fallbacks_raise_the_level() -> None:
    earlier = [user("asdf qwer", NOW - 60, "nlu_fallback"), bot("Sorry?", NOW - 59),
               user("zxcv tyu", NOW - 30, "nlu_fallback"), bot("Sorry?", NOW - 29)]
    alone = (await run(tracker("what about the thing")))["frustration"]
    slots = await run(tracker("what about the thing", earlier))
    assert slots["frustration"] >= alone + 0.2 and "2 not understood in a row" in slots["frustration_reasons"]
    # A fallback that was followed by an understood message does not count.
    earlier[2] = user("hello", NOW - 30, "greet")
    assert (await run(tracker("what about the thing", earlier)))["frustration"] == alone


async def test_knowledge_base_misses_in_a_row_count_too() -> None:
    alone = (await run(tracker("and the refund?")))["frustration"]
    slots = await run(tracker("and the refund?", kb_misses=1.0))
    assert slots["frustration"] >= alone + 0.1 and "1 not understood in a row" in slots["frustration_reasons"]


async def test_the_same_question_again_counts() -> None:
    question = "when will my order 1234 arrive"
    earlier = [user(question, NOW - 60), bot("Could you rephrase?", NOW - 59)]
    slots = await run(tracker("When will my order 1234 arrive?", earlier))
    assert slots["frustration"] >= 0.4 and "same question again" in slots["frustration_reasons"]


async def test_a_slow_reply_and_a_long_queue_wait_count() -> None:
    slow = [user("hello", NOW - 400), bot("Hi!", NOW - 100)]   # the bot answered 5 minutes later
    quick = [user("hello", NOW - 400), bot("Hi!", NOW - 399)]
    slots = await run(tracker("ok, one more question", slow))
    assert any("waited 300 s" in r for r in slots["frustration_reasons"])
    assert slots["frustration"] >= (await run(tracker("ok, one more question", quick)))["frustration"] + 0.3
    queued = [user("a person please", NOW - 1000, "request_human"),
              {"event": "action", "name": "action_handoff", "timestamp": NOW - 999}]
    waiting = await run(tracker("any news?", queued, handoff_state="waiting"))
    assert any("in the queue" in r for r in waiting["frustration_reasons"])
    done = await run(tracker("any news?", queued))  # not waiting any more
    assert not any("in the queue" in r for r in done["frustration_reasons"])
    assert waiting["frustration"] >= done["frustration"] + 0.3


async def test_an_unscored_message_is_scored_here_and_a_button_payload_is_calm() -> None:
    assert (await run(tracker("STUPID BOT 😡", scored=False)))["frustration"] >= ESCALATE_AT
    assert (await run(tracker("/request_human", scored=False)))["frustration"] == 0.0


async def test_a_frustrated_question_is_acknowledged_before_the_answer(configured) -> None:
    dispatcher = CollectingDispatcher()
    await ActionKbAnswer().run(dispatcher, kb_tracker("what is the net promoter score nps", frustration=0.6,
                                                      frustration_reasons=["repeat: third time (en)"]), {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_frustration_acknowledge", "utter_kb_answer", "utter_kb_was_helpful"]
    calm = CollectingDispatcher()
    await ActionKbAnswer().run(calm, kb_tracker("what is the net promoter score nps", frustration=0.3), {})
    assert [m["response"] for m in calm.messages] == ["utter_kb_answer", "utter_kb_was_helpful"]


async def test_the_acknowledgement_offers_a_person_in_every_language(rendered) -> None:
    for language in ("el", "ru", "lt", "en"):
        shown = rendered({"response": "utter_frustration_acknowledge"}, language)
        assert [b["payload"] for b in shown.buttons] == ["/request_human"], language
        assert shown.text


async def test_frustration_escalates_with_high_priority_and_history(store) -> None:
    await online_agent(store, available=False)
    angry = handoff_tracker("Απαράδεκτο, τρίτη φορά!!! 😡", "ask_question", frustration=0.9)
    calm = handoff_tracker("θέλω να μιλήσω με άνθρωπο", "request_human", frustration=0.1)
    dispatcher = CollectingDispatcher()
    angry_slots = {e["name"]: e["value"] for e in await ActionHandoff().run(dispatcher, angry, {})
                   if e["event"] == "slot"}
    assert [m["response"] for m in dispatcher.messages] == ["utter_frustration_escalate", "utter_handoff_queued"]
    calm_slots = {e["name"]: e["value"] for e in await ActionHandoff().run(CollectingDispatcher(), calm, {})
                  if e["event"] == "slot"}
    hot = await store.get_ticket(angry_slots["handoff_ticket"])
    cold = await store.get_ticket(calm_slots["handoff_ticket"])
    assert hot.context.reason == "frustration" and cold.context.reason == "customer_request"
    assert hot.priority_base == 9.0 + FRUSTRATION_PRIORITY_BONUS
    assert cold.priority_base == 1.0
    assert list(hot.context.frustration) == [0.4]        # the levels the conversation went through
    waiting = await store.waiting()
    assert [t.id for t in sorted(waiting, key=lambda t: -t.priority_base)][0] == hot.id
    assert time.time() - hot.created_at < 60


async def test_a_calm_question_the_classifier_misread_is_answered_without_an_apology(configured) -> None:
    # "A regular keeps coming back with the same problem, what do we do?" is about a
    # customer, not from an upset one: the classifier's reading alone is a weak sign.
    dispatcher = CollectingDispatcher()
    await ActionKbAnswer().run(dispatcher, kb_tracker("what is the net promoter score nps?", frustration=0.6,
                                                      frustration_reasons=["learned: 0.75", "again: keep* (en)"]), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_answer", "utter_kb_was_helpful"]
    # Not put as a question ("NO. I don't want your tips about customers"): the feeling first.
    upset = CollectingDispatcher()
    await ActionKbAnswer().run(upset, kb_tracker("what is the net promoter score nps", frustration=0.6,
                                                 frustration_reasons=["learned: 0.75"]), {})
    assert [m["response"] for m in upset.messages][0] == "utter_frustration_acknowledge"
