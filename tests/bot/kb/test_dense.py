"""The sentence embeddings in the knowledge-base search, on the real knowledge base."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot import embeddings
from bot.kb import DEFAULT_ROOT, KnowledgeBase
from bot.kb.dense import DENSE_CONFIDENCE_MAX, DENSE_FLOOR, dense_confidence


@pytest.fixture(scope="module")
def fused() -> KnowledgeBase:
    if embeddings.encoder() is None:
        pytest.fail(f"sentence embeddings unavailable: {embeddings.unavailable_reason()}")
    knowledge_base = KnowledgeBase.load(DEFAULT_ROOT)
    assert knowledge_base.uses_embeddings
    return knowledge_base


@pytest.fixture(scope="module")
def words_only() -> KnowledgeBase:
    return KnowledgeBase.load(DEFAULT_ROOT, encoder=None)


def top(kb: KnowledgeBase, question: str, language: str) -> str | None:
    hits = kb.search(question, language, limit=1)
    return hits[0].article.id if hits else None


SHOP = {
    "opening-hours": ("Opening hours", "what time do you open",
                      "We are open Monday to Friday from 9 to 17, and on Saturday mornings."),
    "refunds": ("Refunds", "how do I get my money back",
                "The money goes back to your card within 14 days after we receive the item."),
    "delivery": ("Delivery times", "how long does shipping take", "Parcels arrive in two to four working days."),
}


def test_embeddings_find_an_article_that_shares_no_word_with_the_question(tmp_path: Path) -> None:
    for article_id, (title, question, body) in SHOP.items():
        path = tmp_path / "en" / f"{article_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'---\nid: {article_id}\ntitle: {title}\ntags: []\nrelated: []\n'
                        f'questions:\n  - "{question}"\n---\n{body}\n', encoding="utf-8")
    question = "when can I come by your store?"
    assert KnowledgeBase.load(tmp_path, encoder=None).search(question, "en") == []
    hits = KnowledgeBase.load(tmp_path).search(question, "en")
    assert [hit.article.id for hit in hits] == ["opening-hours"]
    assert hits[0].similarity >= DENSE_FLOOR and 0 < hits[0].confidence < DENSE_CONFIDENCE_MAX


@pytest.mark.parametrize("language, question, expected", [
    ("el", "πόσα χρήματα μας φέρνει ένας αγοραστής σε όλα τα χρόνια", "metric-customer-lifetime-value"),
    ("ru", "клиенты уходят и больше не возвращаются", "metric-churn-rate"),
    ("lt", "kaip sužinoti, ar klientai mus rekomenduotų draugams", "metric-nps"),
    ("en", "how can we tell if people would tell their friends about us", "metric-nps"),
])
def test_paraphrases_are_answered_in_every_language(
        fused: KnowledgeBase, language: str, question: str, expected: str) -> None:
    match = fused.match(question, language)
    assert match.kind == "answer"
    assert match.article is not None and match.article.id == expected
    assert match.hits[0].similarity is not None and match.hits[0].similarity >= DENSE_FLOOR


def test_matching_words_with_another_meaning_are_offered_not_answered(
        fused: KnowledgeBase, words_only: KnowledgeBase) -> None:
    # "want" and "order" are words of the empathy article; the meaning is elsewhere.
    question = "I want to order a pizza"
    assert words_only.match(question, "en").kind == "answer"
    match = fused.match(question, "en")
    assert match.kind != "answer"
    assert match.hits and match.hits[0].similarity < DENSE_FLOOR


@pytest.mark.parametrize("language, question", [
    ("en", "what's the weather tomorrow"), ("ru", "хочу заказать пиццу"), ("el", "η γάτα μου είναι άρρωστη"),
])
def test_unrelated_questions_have_no_answer(fused: KnowledgeBase, language: str, question: str) -> None:
    assert fused.match(question, language).kind == "none"


def test_hits_are_ranked_by_the_fused_score_and_keep_a_confidence_in_range(fused: KnowledgeBase) -> None:
    hits = fused.search("how do we measure whether customers are satisfied", "en", limit=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(0.0 <= h.confidence <= 1.0 and h.similarity is not None for h in hits)


def test_dense_confidence_never_reaches_an_answer_on_its_own() -> None:
    assert dense_confidence(DENSE_FLOOR - 0.01) == 0.0
    assert 0.0 < dense_confidence(DENSE_FLOOR + 0.02) < DENSE_CONFIDENCE_MAX
    assert dense_confidence(0.999) == DENSE_CONFIDENCE_MAX


def test_the_article_classifier_learns_from_every_language(fused: KnowledgeBase) -> None:
    from bot.kb.dense import ArticleClassifier, DenseIndex

    encoder = embeddings.encoder()
    assert encoder is not None
    # Trained on the Greek, Russian and Lithuanian articles only, it still knows what an
    # English question asks for.
    others = {lang: DenseIndex(fused.articles(lang), encoder) for lang in ("el", "ru", "lt")}
    classifier = ArticleClassifier(others)
    english = fused.articles("en")
    for question, expected in [("how likely are our customers to recommend us to a friend", "metric-nps"),
                               ("customers keep leaving us for competitors", "metric-churn-rate")]:
        scores = classifier.log_probabilities(encoder.one(question), english)
        assert english[int(scores.argmax())].id == expected


def test_an_article_classifier_with_one_article_changes_nothing(fused: KnowledgeBase) -> None:
    from bot.kb.dense import ArticleClassifier, DenseIndex

    encoder = embeddings.encoder()
    assert encoder is not None
    one = {"en": DenseIndex(fused.articles("en")[:1], encoder)}
    classifier = ArticleClassifier(one)
    assert not classifier.trained
    assert list(classifier.log_probabilities(encoder.one("anything"), fused.articles("en")[:3])) == [0, 0, 0]
