from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import KnowledgeBase, Match
from bot.kb.index import (
    ANSWER_MIN_CONFIDENCE,
    CLARIFY_MAX_HITS,
    CLARIFY_MIN_CONFIDENCE,
    Bm25Index,
    Hit,
)
from tests.bot.kb.corpus import ARTICLES


def top(kb: KnowledgeBase, text: str, language: str) -> str:
    hits = kb.search(text, language)
    assert hits, f"no hit for {text!r}"
    return hits[0].article.id


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        ("en", "What is NPS?", "metrics-nps"),
        ("en", "How do I get my money back?", "refunds-self-service"),
        ("en", "refunds", "refunds-self-service"),
        ("en", "What are your support hours in my time zone?", "time-zones"),
        ("en", "how to show empathy to an angry customer", "skill-empathy"),
        ("en", "customer satisfaction survey", "metrics-csat"),
        ("el", "Τι είναι το NPS;", "metrics-nps"),
        ("el", "ti einai to nps", "metrics-nps"),
        ("el", "ενσυναισθηση", "skill-empathy"),
        ("el", "empathia", "skill-empathy"),
        ("el", "enσυναίσθηση", "skill-empathy"),
        ("el", "epistrofi xrimatwn", "refunds-self-service"),
        ("el", "πώς παίρνω πίσω τα χρήματά μου", "refunds-self-service"),
        ("el", "zwni wras", "time-zones"),
        ("el", "ΙΚΑΝΟΠΟΙΗΣΗ ΠΕΛΑΤΩΝ", "metrics-csat"),
        ("ru", "Что такое NPS?", "metrics-nps"),
        ("ru", "отзывов", "metrics-nps"),
        ("ru", "отзывы", "metrics-nps"),
        ("ru", "как вернуть деньги за заказ", "refunds-self-service"),
        ("ru", "в каком часовом поясе вы работаете", "time-zones"),
        ("ru", "эмпатии", "skill-empathy"),
        ("ru", "удовлетворенность клиентов", "metrics-csat"),
        ("lt", "kas yra nps", "metrics-nps"),
        ("lt", "uzsakymas", "refunds-self-service"),
        ("lt", "kaip susigrazinti pinigus uz uzsakyma", "refunds-self-service"),
        ("lt", "kokia jusu laiko juosta", "time-zones"),
        ("lt", "empatijos", "skill-empathy"),
        ("lt", "klientu pasitenkinimas", "metrics-csat"),
    ],
)
def test_ranking(kb: KnowledgeBase, language: str, question: str, expected: str) -> None:
    assert top(kb, question, language) == expected


def test_hits_are_sorted_limited_and_confidences_in_range(kb: KnowledgeBase) -> None:
    hits = kb.search("nps csat survey customer satisfaction", "en", limit=2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score > 0
    assert all(0.0 < hit.confidence <= 1.0 for hit in hits)
    assert [h.article.language for h in hits] == ["en", "en"]


def test_question_without_known_words_has_no_hits(kb: KnowledgeBase) -> None:
    assert kb.search("can you cook pasta", "en") == []
    assert kb.search("?!", "el") == []


def test_confidence_is_comparable_across_languages(kb: KnowledgeBase) -> None:
    questions = {"en": "What is NPS?", "el": "ti einai to nps", "ru": "Что такое NPS?", "lt": "Kas yra NPS?"}
    for language, question in questions.items():
        assert kb.search(question, language)[0].confidence == pytest.approx(1.0)
    # The same article, half of the question unknown: lower, and the same in every language.
    diluted = {"en": "nps pasta", "el": "nps makaronia", "ru": "nps макароны", "lt": "nps makaronai"}
    values = [kb.search(q, lang)[0].confidence for lang, q in diluted.items()]
    assert all(0.5 < v < 1.0 for v in values)
    assert max(values) - min(values) < 0.05


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        ("en", "What is NPS?", "metrics-nps"),
        ("en", "I want a refund for my order", "refunds-self-service"),
        ("el", "ti einai to nps", "metrics-nps"),
        ("el", "epistrofi xrimatwn", "refunds-self-service"),
        ("ru", "как вернуть деньги за заказ", "refunds-self-service"),
        ("ru", "часы работы", "time-zones"),
        ("lt", "pinigu grazinimas", "refunds-self-service"),
        ("lt", "empatija", "skill-empathy"),
    ],
)
def test_match_answers_a_clear_question(
        kb: KnowledgeBase, language: str, question: str, expected: str) -> None:
    match = kb.match(question, language)
    assert match.kind == "answer"
    assert match.article is not None and match.article.id == expected
    assert match.hits[0].confidence >= ANSWER_MIN_CONFIDENCE


@pytest.mark.parametrize(
    ("language", "question"),
    [("en", "survey"), ("el", "έρευνα"), ("ru", "опрос"), ("lt", "apklausa"), ("en", "score")],
)
def test_match_clarifies_an_ambiguous_question(kb: KnowledgeBase, language: str, question: str) -> None:
    match = kb.match(question, language)
    assert match.kind == "clarify"
    assert match.article is None
    assert {hit.article.id for hit in match.hits} == {"metrics-nps", "metrics-csat"}


def test_match_clarifies_a_weak_question_with_the_nearest_hits(kb: KnowledgeBase) -> None:
    # "card" is in the refunds article's body, "question" in the NPS article's body.
    match = kb.match("question about my card", "en")
    assert match.kind == "clarify"
    assert [hit.article.id for hit in match.hits] == ["refunds-self-service", "metrics-nps"]
    assert CLARIFY_MIN_CONFIDENCE <= match.hits[0].confidence < ANSWER_MIN_CONFIDENCE
    assert len(match.hits) <= CLARIFY_MAX_HITS


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("en", "can you cook pasta"),
        ("en", "what is the weather in Paris"),
        ("en", "hello"),
        ("el", "μαγειρική συνταγή"),
        ("el", "kalimera"),
        ("ru", "рецепт борща"),
        ("lt", "orai vilniuje"),
        ("lt", ""),
    ],
)
def test_match_none_for_unrelated_questions(kb: KnowledgeBase, language: str, question: str) -> None:
    assert kb.match(question, language) == Match("none")


def test_match_none_when_the_top_hit_is_too_weak(kb: KnowledgeBase) -> None:
    # One known word drowned in unknown ones.
    question = "weather forecast tomorrow rain umbrella sunshine delivery"
    hits = kb.search(question, "en")
    assert hits and hits[0].confidence < CLARIFY_MIN_CONFIDENCE
    assert kb.match(question, "en").kind == "none"


def test_article_lookup_and_languages(kb: KnowledgeBase) -> None:
    assert kb.languages == ("el", "ru", "lt", "en")
    article = kb.article("ru", "skill-empathy")
    assert article is not None and article.title == "Эмпатия в обслуживании клиентов"
    assert kb.article("ru", "no-such-article") is None
    assert [a.id for a in kb.articles("lt")] == sorted(ARTICLES["lt"])
    with pytest.raises(ValueError, match="unsupported language"):
        kb.search("hallo", "de")


def test_language_without_articles(tmp_path: Path) -> None:
    only_english = KnowledgeBase.load(tmp_path, encoder=None)
    assert only_english.languages == ()
    assert only_english.search("nps", "el") == []
    assert only_english.match("nps", "el").kind == "none"


def test_title_weighs_more_than_tags_and_tags_more_than_body() -> None:
    from bot.kb.articles import Article

    def article(aid: str, title: str, tags: tuple[str, ...], body: str) -> Article:
        return Article(aid, "en", title, tags, (), body, body, Path(f"{aid}.md"))

    index = Bm25Index(
        [
            article("in-body", "Alpha", ("beta",), "Gamma mentions invoices once."),
            article("in-tags", "Alpha", ("invoice",), "Gamma mentions nothing else."),
            article("in-title", "Invoice", ("beta",), "Gamma mentions nothing else."),
        ],
        lambda text: text.lower().replace(".", "").replace("invoices", "invoice").split(),
    )
    hits: list[Hit] = index.search("invoice", limit=3)
    assert [hit.article.id for hit in hits] == ["in-title", "in-tags", "in-body"]
    assert hits[0].confidence == pytest.approx(1.0)
    assert hits[2].confidence < hits[1].confidence < 1.0


def test_a_greeting_does_not_change_the_answer(kb: KnowledgeBase) -> None:
    for language, greeting in (("en", "Good morning! "), ("lt", "Laba diena, "), ("ru", "Добрый день, "),
                               ("el", "Καλημέρα σας, ")):
        question = {"en": "what is NPS?", "lt": "kas yra NPS?", "ru": "что такое NPS?", "el": "τι είναι το NPS;"}
        plain = kb.search(question[language], language)
        greeted = kb.search(greeting + question[language], language)
        assert [h.article.id for h in greeted] == [h.article.id for h in plain]
        assert greeted[0].score == plain[0].score
