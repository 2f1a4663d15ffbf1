"""Knowledge-base actions with real rasa_sdk trackers, real article files and a real Redis."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from rasa_sdk.executor import CollectingDispatcher

import actions.kb as kb_actions
from actions import keys
from actions.kb import ActionKbAnswer, ActionKbFeedback, ActionKbReadMore, Step, next_step
from bot.kb import Hit, KnowledgeBase, Match
from tests.actions.factories import kb_tracker as tracker


def slots_of(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_next_step_answers_clarifies_then_offers_a_human() -> None:
    hit = Hit(article=None, score=1.0, confidence=0.9)  # type: ignore[arg-type]
    assert next_step(Match("answer", (hit,)), misses=1) == Step("answer", (None,), 0)  # type: ignore[arg-type]
    assert next_step(Match("clarify", (hit, hit)), misses=0).kind == "clarify"
    assert next_step(Match("none"), misses=0) == Step("rephrase", (), 1)
    assert next_step(Match("clarify", (hit,)), misses=1) == Step("human_offer", (), 0)
    assert next_step(Match("none"), misses=1).kind == "human_offer"


async def test_clear_question_is_answered_with_title_summary_and_feedback(configured, rendered) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionKbAnswer().run(dispatcher, tracker("what is the net promoter score nps"), {})
    first, second = dispatcher.messages
    assert first["response"] == "utter_kb_answer"
    assert rendered(first, "en").text.startswith("Net Promoter Score (NPS)\n\nNPS measures")
    assert [b["payload"] for b in rendered(first, "en").buttons] == ["/kb_read_more"]
    # Every button on the last message (the widget shows only the last one's): the vote,
    # "Read more", then the next-nearest articles.
    assert second["response"] == "utter_kb_was_helpful"
    payloads = [b["payload"] for b in rendered(second, "en").buttons]
    assert payloads[:3] == ["/affirm", "/deny", "/kb_read_more"]
    assert all(p.startswith('/ask_question{"kb_article":') for p in payloads[3:])
    assert slots_of(events) == {"kb_article": "metric-nps", "kb_result": "answer", "kb_misses": 0,
                                "kb_offered": ["metric-nps"]}


async def test_answer_comes_in_the_customers_language(configured, rendered) -> None:
    dispatcher = CollectingDispatcher()
    await ActionKbAnswer().run(dispatcher, tracker("τι ειναι η ενσυναισθηση", language="el"), {})
    answer, helpful = (rendered(message, "el") for message in dispatcher.messages)
    assert answer.text.startswith("Ενσυναίσθηση στην εξυπηρέτηση")
    assert helpful.buttons[2]["title"] == "Περισσότερες πληροφορίες"


async def test_chosen_article_from_a_button_is_answered_directly(configured, rendered) -> None:
    dispatcher = CollectingDispatcher()
    chosen = tracker("/ask_question", entities=[{"entity": "kb_article", "value": "self-service-portal"}],
                     language="el", kb_misses=1.0)
    events = await ActionKbAnswer().run(dispatcher, chosen, {})
    assert rendered(dispatcher.messages[0], "el").text.startswith("Πύλες αυτοεξυπηρέτησης")
    assert slots_of(events)["kb_misses"] == 0


async def test_second_miss_in_a_row_offers_a_human(configured) -> None:
    dispatcher = CollectingDispatcher()
    first = await ActionKbAnswer().run(dispatcher, tracker("zebra quantum lasagna"), {})
    assert slots_of(first)["kb_misses"] == 1
    assert dispatcher.messages[-1]["response"] in {"utter_kb_clarify", "utter_rephrase"}
    dispatcher = CollectingDispatcher()
    second = await ActionKbAnswer().run(dispatcher, tracker("volcano knitting", kb_misses=1.0), {})
    assert slots_of(second) == {"kb_result": "human_offer", "kb_misses": 0}
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_offer_human"]


async def test_clarifying_question_offers_nearest_articles_as_buttons(
    configured, kb_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = KnowledgeBase.load(kb_root)
    hits = tuple(Hit(a, 0.1, 0.1) for a in kb.articles("en")[:2])
    monkeypatch.setattr(KnowledgeBase, "match", lambda self, text, language, exclude=(): Match("clarify", hits))
    dispatcher = CollectingDispatcher()
    events = await ActionKbAnswer().run(dispatcher, tracker("customers?"), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_kb_clarify"
    assert [b["payload"] for b in message["buttons"]] == [
        '/ask_question{"kb_article":"%s"}' % h.article.id for h in hits
    ]
    assert slots_of(events)["kb_result"] == "clarify"


async def test_lookup_failure_is_a_polite_reply(configured, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_root):
        raise OSError("disk unreadable")

    monkeypatch.setattr(kb_actions, "knowledge_base", broken)
    dispatcher = CollectingDispatcher()
    assert await ActionKbAnswer().run(dispatcher, tracker("what is nps"), {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_unavailable"]


async def test_read_more_sends_the_whole_article(configured) -> None:
    dispatcher = CollectingDispatcher()
    await ActionKbReadMore().run(dispatcher, tracker("more", intent="kb_read_more", kb_article="skill-empathy"), {})
    [message] = dispatcher.messages
    assert message["text"].startswith("Empathy in customer service")
    assert "More details about skill-empathy" in message["text"]


async def test_read_more_without_an_article_asks_which_topic(configured) -> None:
    dispatcher = CollectingDispatcher()
    await ActionKbReadMore().run(dispatcher, tracker("more", intent="kb_read_more"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_nothing_to_expand"]


async def test_votes_are_counted_per_article_and_language(configured: aioredis.Redis) -> None:
    article = f"article-{uuid.uuid4().hex[:8]}"
    for intent in ("affirm", "affirm", "deny"):
        dispatcher = CollectingDispatcher()
        events = await ActionKbFeedback().run(
            dispatcher, tracker("yes", intent=intent, kb_article=article, language="lt"), {}
        )
        assert slots_of(events) == {"kb_result": None}
    assert await configured.hgetall(keys.kb_votes("lt", article)) == {"up": "2", "down": "1"}
    assert await configured.exists(keys.kb_votes("en", article)) == 0


async def test_vote_with_redis_down_is_a_polite_reply(configured, monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts.stack import free_port

    dead = aioredis.Redis(port=free_port(), socket_connect_timeout=0.5)
    monkeypatch.setattr(kb_actions, "redis_client", lambda: dead)
    dispatcher = CollectingDispatcher()
    await ActionKbFeedback().run(dispatcher, tracker("yes", intent="affirm", kb_article="metric-nps"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_unavailable"]


async def test_the_same_question_again_gets_the_next_nearest_article(configured) -> None:
    question = "what is the net promoter score nps"
    first = CollectingDispatcher()
    events = await ActionKbAnswer().run(first, tracker(question), {})
    assert slots_of(events)["kb_article"] == "metric-nps"
    again = tracker(question, kb_article="metric-nps")
    again.events = [{"event": "user", "text": question}, {"event": "bot", "text": "..."},
                    {"event": "user", "text": question}]
    second = CollectingDispatcher()
    events = await ActionKbAnswer().run(second, again, {})
    # That answer did not help: not the same article word for word once more.
    assert slots_of(events).get("kb_article") != "metric-nps"


async def test_a_frustrated_no_to_was_this_helpful_gets_the_feeling_and_a_person(configured) -> None:
    dispatcher = CollectingDispatcher()
    await ActionKbFeedback().run(dispatcher, tracker("NO!!! useless", intent="deny", kb_article="metric-nps",
                                                     frustration=0.7), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_frustration_offer_human"]
    calm = CollectingDispatcher()
    await ActionKbFeedback().run(calm, tracker("no", intent="deny", kb_article="metric-nps", frustration=0.1), {})
    assert [m["response"] for m in calm.messages] == ["utter_kb_feedback_sorry"]


async def test_read_more_typed_in_anger_is_acknowledged_first(configured) -> None:
    dispatcher = CollectingDispatcher()
    await ActionKbReadMore().run(dispatcher, tracker("TELL ME MORE, this is useless", intent="kb_read_more",
                                                     kb_article="skill-empathy", frustration=0.7), {})
    assert dispatcher.messages[0]["response"] == "utter_frustration_acknowledge"
    button = CollectingDispatcher()
    await ActionKbReadMore().run(button, tracker("/kb_read_more", intent="kb_read_more",
                                                 kb_article="skill-empathy", frustration=0.7), {})
    assert [m.get("response") for m in button.messages] == [None]  # a button press: the article at once


def test_a_short_question_right_after_an_answer_is_searched_with_that_article() -> None:
    from actions.kb import in_context

    after_answer = tracker("and why does that matter?", kb_article="metric-nps")
    after_answer.events = [{"event": "user", "text": "what is nps"}, {"event": "action", "name": "action_kb_answer"},
                           {"event": "bot", "text": "..."}, {"event": "action", "name": "action_listen"},
                           {"event": "user", "text": "and why does that matter?"},
                           {"event": "action", "name": "action_extract_slots"}]

    class Articles:
        @staticmethod
        def article(language: str, article_id: str):
            return type("A", (), {"title": "Net Promoter Score (NPS)"})()

    assert in_context(after_answer, Articles(), "en", "and why does that matter?") == \
        "and why does that matter? (Net Promoter Score (NPS))"
    # A long question stands on its own, and so does one after small talk.
    long_question = "how do we measure how likely our customers are to recommend us to friends"
    assert in_context(after_answer, Articles(), "en", long_question) == long_question
    after_greeting = tracker("and why?", kb_article="metric-nps")
    after_greeting.events = [{"event": "action", "name": "action_kb_answer"}, {"event": "user", "text": "hi"},
                             {"event": "action", "name": "utter_greet"}, {"event": "user", "text": "and why?"}]
    assert in_context(after_greeting, Articles(), "en", "and why?") == "and why?"
