"""Knowledge-base answers: answer, clarify, read more, helpful votes.

A likely match is answered with the article's title and the paragraph that answers the
question, then "Was this helpful?" with Yes / No, "Read more" and the next-nearest
articles as buttons (on the last message, because the website widget and Messenger show
only the last message's buttons). A question that is truly ambiguous, or close to
nothing, gets one clarifying question with the nearest articles as buttons; the second
miss in a row offers a human instead. The same question again gets the next-nearest
article, not the same answer. A frustrated customer (bot.escalation.ACKNOWLEDGE_AT)
first hears that the bot understands, with a button to talk to a person.
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
from actions.escalation import acknowledges_feeling, repeated_fallback, shows_feeling
from actions.settings import settings
from actions.messages import say
from actions.store import redis_client
from bot.escalation import OFFER_HUMAN
from bot.frustration.signals import same_message
from bot.langid.gibberish import NOT_UNDERSTOOD_KEY
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
    related: tuple[Article, ...] = ()  # offered beside an answer


def next_step(match: Match, misses: int) -> Step:
    """What to do with a match, given how many misses in a row came before it."""
    if match.kind == "answer" and match.hits:
        return Step("answer", (match.hits[0].article,), 0, match.related)
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


FOLLOW_UP_WORDS = 8
KB_ACTIONS = frozenset({"action_kb_answer", "action_kb_read_more", "action_kb_feedback"})
_NOT_A_STEP = frozenset({"action_listen", "action_extract_slots", "action_resolve_language",
                         "action_customer_name", "action_update_frustration"})


def previous_step(tracker: Tracker) -> str | None:
    """The bot's last action before the customer's latest message."""
    seen_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_message:
                return None
            seen_message = True
        elif seen_message and event.get("event") == "action" and event.get("name") not in _NOT_A_STEP:
            return event.get("name")
    return None


def in_context(tracker: Tracker, kb: KnowledgeBase, language: str, text: str) -> str:
    """A short question right after an answer ("and why does that matter?") may be about
    the article just answered: the text to search with that article's title, when the
    question alone finds no answer."""
    answered = tracker.get_slot("kb_article")
    if not answered or len(text.split()) > FOLLOW_UP_WORDS or previous_step(tracker) not in KB_ACTIONS:
        return text
    article = kb.article(language, answered)
    return f"{text} ({article.title})" if article else text


def asks(tracker: Tracker) -> bool:
    """Whether the latest message is put as a question (the Greek question mark is ';')."""
    text = (tracker.latest_message or {}).get("text") or ""
    return "?" in text or (tracker.get_slot("language") == "el" and ";" in text)


def asked_again(tracker: Tracker) -> str | None:
    """The article last answered, when the customer now asks (nearly) the same question
    as right before it: that answer did not help, so it is left out of the next one."""
    answered = tracker.get_slot("kb_article")
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    if answered and len(texts) >= 2 and same_message(texts[-1], texts[-2]):
        return answered
    return None


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
            elif (tracker.latest_message or {}).get(NOT_UNDERSTOOD_KEY):
                # Gibberish or emoji alone (bot/components/understood.py): nothing to search.
                step = next_step(Match("none"), int(tracker.get_slot("kb_misses") or 0))
            else:
                text = (tracker.latest_message or {}).get("text") or ""
                again = asked_again(tracker)
                exclude = (again,) if again else ()
                match = await asyncio.to_thread(kb.match, text, language, exclude)
                contextual = in_context(tracker, kb, language, text)
                if match.kind != "answer" and contextual != text:
                    # "and why does that matter?" alone says too little: with the last article.
                    match = await asyncio.to_thread(kb.match, contextual, language, exclude)
                step = next_step(match, int(tracker.get_slot("kb_misses") or 0))
        except Exception:  # noqa: BLE001 - any failure becomes a polite reply
            logger.exception("conversation %s: knowledge-base lookup failed", tracker.sender_id)
            say(dispatcher, tracker, "utter_kb_unavailable")
            return []
        logger.info("conversation %s: knowledge base step %s %s", tracker.sender_id, step.kind,
                    [a.id for a in step.articles])
        if step.kind != "human_offer" and acknowledges_feeling(tracker) and (
                step.kind != "answer" or shows_feeling(tracker) or not asks(tracker)):
            # The feeling first, with a person on offer; then the answer. A question (a
            # question mark) the knowledge base answers whose only signs are weak ones (the
            # classifier's reading, "again", "a person") is mostly a calm question about
            # difficult customers: it is answered without an apology.
            say(dispatcher, tracker, "utter_frustration_acknowledge")
        shown = None
        if step.kind == "answer":
            article = step.articles[0]
            # A question is answered with its paragraph; an article chosen from buttons
            # with its summary.
            question = "" if chosen else (tracker.latest_message or {}).get("text") or ""
            passage = await asyncio.to_thread(kb.passage, article, question) if question else article.summary
            # An article missing in the customer's language is machine-translated (or sent
            # as it is) with a note saying so (bot/translation/localize.py).
            shown = await localize_article(article, tracker.get_slot("language"), passage=passage)
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
            # The last message carries every button: Yes / No / Read more, then the related.
            related = [{"title": a.title, "payload": choose_payload(a.id)} for a in step.related]
            say(dispatcher, tracker, "utter_kb_was_helpful", buttons=related)
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
            # Angry and still not understood: the apology with the person, not "I couldn't find it".
            say(dispatcher, tracker, OFFER_HUMAN if acknowledges_feeling(tracker) else "utter_kb_offer_human")
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
        text = (tracker.latest_message or {}).get("text") or ""
        if acknowledges_feeling(tracker) and not text.lstrip().startswith("/"):
            say(dispatcher, tracker, "utter_frustration_acknowledge")  # typed in anger, not a button
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
        if not helpful and acknowledges_feeling(tracker):
            say(dispatcher, tracker, OFFER_HUMAN)  # "NO, useless!!!": the feeling, and a person
        else:
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
