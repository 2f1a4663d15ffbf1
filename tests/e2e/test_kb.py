"""Knowledge-base answers over HTTP, in every language, with votes stored in Redis."""
from __future__ import annotations

import uuid

import pytest
import redis

from bot.kb import DEFAULT_ROOT, KnowledgeBase
from tests.conftest import RunningStack
from tests.e2e.client import RasaClient, language_of_reply, response_texts

QUESTIONS = {
    "el": "τι είναι μια πύλη αυτοεξυπηρέτησης;",
    "ru": "что такое портал самообслуживания?",
    "lt": "kas yra savitarnos portalas?",
    "en": "what is a self-service portal?",
}
ARTICLE = "self-service-portal"
YES = {"el": "ναι", "ru": "да", "lt": "taip", "en": "yes"}


@pytest.fixture()
def client(running_stack: RunningStack) -> RasaClient:
    return RasaClient(running_stack.rasa_url, running_stack.token)


@pytest.mark.parametrize("language", list(QUESTIONS))
def test_question_answer_and_helpful_vote(running_stack: RunningStack, client: RasaClient, language: str) -> None:
    article = KnowledgeBase.load(DEFAULT_ROOT).article(language, ARTICLE)
    votes = redis.Redis.from_url(running_stack.redis.url, decode_responses=True)
    key = f"rapport:kb:votes:{language}:{ARTICLE}"
    before = int(votes.hget(key, "up") or 0)
    sender = f"kb-{uuid.uuid4().hex[:10]}"

    answer, helpful = client.say(sender, QUESTIONS[language])
    assert answer.startswith(article.title)
    assert article.summary in answer
    assert helpful in response_texts("utter_kb_was_helpful")[language]

    [thanks] = client.say(sender, YES[language])
    assert thanks in response_texts("utter_kb_feedback_thanks")[language]
    assert int(votes.hget(key, "up") or 0) == before + 1
    assert client.tracker(sender)["slots"]["kb_offered"] == [ARTICLE]


def test_read_more_sends_the_whole_article(client: RasaClient) -> None:
    sender = f"kb-{uuid.uuid4().hex[:10]}"
    client.say(sender, QUESTIONS["lt"])
    replies = client.say(sender, "/kb_read_more")  # Rasa sends each paragraph as a message
    article = KnowledgeBase.load(DEFAULT_ROOT).article("lt", ARTICLE)
    assert "\n\n".join(replies) == f"{article.title}\n\n{article.body}"


def test_two_misses_in_a_row_offer_a_person(client: RasaClient) -> None:
    sender = f"kb-{uuid.uuid4().hex[:10]}"
    client.say(sender, "Good morning")
    first = client.say(sender, "what is the warranty period for a kettle?")
    assert all(language_of_reply(t) == "en" for t in first)
    second = client.say(sender, "and how long is the warranty on a toaster?")
    assert second[-1] in response_texts("utter_kb_offer_human")["en"]
