"""Knowledge-base answers: answer, clarify, read more, helpful votes.

A clear match is answered with the article's title and summary, a "read more" button
and a "Was this helpful?" question. A weak match gets one clarifying question with the
nearest articles as buttons; the second miss in a row offers a human instead. A
frustrated customer (bot.escalation.ACKNOWLEDGE_AT) first hears that the bot understands,
with a button to talk to a person.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any, Literal

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import keys
from actions.escalation import frustration, repeated_fallback
from actions.settings import settings
from actions.messages import say
from actions.store import redis_client
from bot.escalation import ACKNOWLEDGE_AT
from bot.kb import Article, KnowledgeBase, Match, knowledge_base
from bot.translation.localize import ArticleText, localize_article, localize_texts

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"
MISSES_BEFORE_HUMAN_OFFER = 2
ARTICLE_ENTITY = "kb_article"

StepKind = Literal["answer", "clarify", "rephrase", "human_offer"]


@dataclass(frozen=True)
class Step:
    kind: StepKind
    articles: tuple[Article, ...] = ()
    misses: int = 0


def next_step(match: Match, misses: int) -> Step:
    """What to do with a match, given how many misses in a row came before it."""
    if match.kind == "answer" and match.hits:
        return Step("answer", (match.hits[0].article,), 0)
    misses += 1
    if misses >= MISSES_BEFORE_HUMAN_OFFER:
        return Step("human_offer", (), 0)
    if match.kind == "clarify" and match.hits:
        return Step("clarify", tuple(hit.article for hit in match.hits), misses)
    return Step("rephrase", (), misses)


def choose_payload(article_id: str) -> str:
    return "/ask_question" + json.dumps({ARTICLE_ENTITY: article_id}, separators=(",", ":"))


def kb_language(kb: KnowledgeBase, language: str | None) -> str:
    """The customer's language when the knowledge base has it, else English."""
    return language if language in kb.languages else DEFAULT_LANGUAGE


def _offered(tracker: Tracker, articles: tuple[Article, ...]) -> list[str]:
    offered = list(tracker.get_slot("kb_offered") or [])
    return offered + [a.id for a in articles if a.id not in offered]


async def _load_kb() -> KnowledgeBase:
    # Loading (and reloading after an edit) reads files: keep it off the event loop.
    return await asyncio.to_thread(knowledge_base, settings().kb_root)


class ActionKbAnswer(Action):
    def name(self) -> str:
        return "action_kb_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if repeated_fallback(tracker):
            # Not understood twice in a row: a person takes over (see actions/escalation.py).
            return [FollowupAction("action_handoff")]
        try:
            kb = await _load_kb()
            language = kb_language(kb, tracker.get_slot("language"))
            chosen = next(tracker.get_latest_entity_values(ARTICLE_ENTITY), None)
            if chosen:
                article = kb.article(language, chosen) or kb.article(DEFAULT_LANGUAGE, chosen)
                step = Step("answer", (article,)) if article else Step("rephrase")
            else:
                text = (tracker.latest_message or {}).get("text") or ""
                match = await asyncio.to_thread(kb.match, text, language)
                step = next_step(match, int(tracker.get_slot("kb_misses") or 0))
        except Exception:  # noqa: BLE001 - any failure becomes a polite reply
            logger.exception("conversation %s: knowledge-base lookup failed", tracker.sender_id)
            say(dispatcher, tracker, "utter_kb_unavailable")
            return []
        logger.info("conversation %s: knowledge base step %s %s", tracker.sender_id, step.kind,
                    [a.id for a in step.articles])
        if step.kind != "human_offer" and (frustration(tracker) or 0.0) >= ACKNOWLEDGE_AT:
            # The feeling first, with a person on offer; then the answer.
            say(dispatcher, tracker, "utter_frustration_acknowledge")
        shown = None
        if step.kind == "answer":
            # An article missing in the customer's language is machine-translated (or sent
            # as it is) with a note saying so (bot/translation/localize.py).
            shown = await localize_article(step.articles[0], tracker.get_slot("language"))
        return self._respond(dispatcher, tracker, step, shown)

    @staticmethod
    def _respond(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step,
                 shown: ArticleText | None = None) -> list[dict[str, Any]]:
        if step.kind == "answer":
            article = step.articles[0]
            shown = shown or ArticleText(article.title, article.summary, article.language)
            say(dispatcher, tracker, "utter_kb_answer", title=shown.title, summary=shown.summary)
            if shown.note:
                say(dispatcher, tracker, shown.note)
            say(dispatcher, tracker, "utter_kb_was_helpful")
            return [
                SlotSet("kb_article", article.id),
                SlotSet("kb_result", "answer"),
                SlotSet("kb_misses", 0),
                SlotSet("kb_offered", _offered(tracker, step.articles)),
            ]
        if step.kind == "clarify":
            buttons = [{"title": a.title, "payload": choose_payload(a.id)} for a in step.articles]
            say(dispatcher, tracker, "utter_kb_clarify", buttons=buttons)
            return [
                SlotSet("kb_result", "clarify"),
                SlotSet("kb_misses", step.misses),
                SlotSet("kb_offered", _offered(tracker, step.articles)),
            ]
        if step.kind == "human_offer":
            say(dispatcher, tracker, "utter_kb_offer_human")
            return [SlotSet("kb_result", "human_offer"), SlotSet("kb_misses", 0)]
        say(dispatcher, tracker, "utter_rephrase")
        return [SlotSet("kb_result", "none"), SlotSet("kb_misses", step.misses)]


class ActionKbReadMore(Action):
    def name(self) -> str:
        return "action_kb_read_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        article_id = next(tracker.get_latest_entity_values(ARTICLE_ENTITY), None) or tracker.get_slot("kb_article")
        try:
            kb = await _load_kb()
        except Exception:  # noqa: BLE001
            logger.exception("conversation %s: knowledge base unavailable", tracker.sender_id)
            say(dispatcher, tracker, "utter_kb_unavailable")
            return []
        language = kb_language(kb, tracker.get_slot("language"))
        article = article_id and (kb.article(language, article_id) or kb.article(DEFAULT_LANGUAGE, article_id))
        if not article:
            say(dispatcher, tracker, "utter_kb_nothing_to_expand")
            return []
        (title, body), _, note = await localize_texts((article.title, article.body), article.language,
                                                      tracker.get_slot("language"))
        dispatcher.utter_message(text=f"{title}\n\n{body}")
        if note:
            say(dispatcher, tracker, note)
        return [SlotSet("kb_article", article.id)]


class ActionKbFeedback(Action):
    """Stores a helpful / not helpful vote for the last answer, per article and language."""

    def name(self) -> str:
        return "action_kb_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        article_id = tracker.get_slot("kb_article")
        helpful = (tracker.latest_message or {}).get("intent", {}).get("name") == "affirm"
        language = tracker.get_slot("language") or DEFAULT_LANGUAGE
        reset = [SlotSet("kb_result", None)]
        if not article_id:
            return reset
        try:
            await redis_client().hincrby(keys.kb_votes(language, article_id), "up" if helpful else "down", 1)
        except Exception:  # noqa: BLE001 - the customer gets a reply either way
            logger.exception("conversation %s: could not store the vote for %s", tracker.sender_id, article_id)
            say(dispatcher, tracker, "utter_kb_unavailable")
            return reset
        logger.info("conversation %s: vote %s for %s/%s", tracker.sender_id,
                    "up" if helpful else "down", language, article_id)
        say(dispatcher, tracker, "utter_kb_feedback_thanks" if helpful else "utter_kb_feedback_sorry")
        return reset


def _warm_up() -> None:
    try:
        knowledge_base(settings().kb_root).prepare()
        logger.info("knowledge base: search index ready")
    except Exception:  # noqa: BLE001 - the first question builds it again, and reports
        logger.exception("knowledge base: building the search index at start failed")


if os.environ.get("RAPPORT_WARM_KB") == "1":
    # In the action server (scripts/stack.py sets it): build the index and train the article
    # classifier now, in the background, rather than while the first customer waits.
    threading.Thread(target=_warm_up, name="kb-warm-up", daemon=True).start()
