"""Synonym groups: customers' words lead to the articles' words, and bad groups are reported."""
from __future__ import annotations

from pathlib import Path

from bot.kb import KnowledgeBase
from bot.kb.analysis import terms
from bot.kb.synonyms import Expander, SynonymGroup, load_synonyms


def english(text: str) -> list[str]:
    return terms(text, "en")


def write(root: Path, text: str) -> Path:
    (root / "synonyms.yml").write_text(text, encoding="utf-8")
    return root


def test_a_customer_expression_adds_the_articles_terms() -> None:
    expander = Expander([SynonymGroup(("churn", "walk away", "leave us"))], english)
    weights = expander.expand(english("customers walk away from us"), 0.5, 0.4)
    assert weights["churn"] == 0.5
    assert weights["walk"] == 0.4          # the idiom's own word counts less
    assert weights["customer"] == 1.0


def test_expressions_must_be_whole_and_in_order() -> None:
    expander = Expander([SynonymGroup(("churn", "walk away"))], english)
    assert "churn" in expander.expand(english("they walked away"), 0.5, 0.5)
    assert "churn" not in expander.expand(english("away we walk"), 0.5, 0.5)
    assert "churn" not in expander.expand(english("a walk in the park"), 0.5, 0.5)


def test_an_expression_of_only_common_terms_never_fires() -> None:
    expander = Expander([SynonymGroup(("dedicated assistance", "one customer"))], english,
                        common={"customer"})
    assert "dedicated" not in expander.expand(english("how does a customer pay"), 0.5, 0.5)


def test_words_the_customer_typed_keep_full_weight() -> None:
    expander = Expander([SynonymGroup(("refund", "money back"))], english)
    weights = expander.expand(english("refund money back"), 0.5, 0.5)
    assert weights["refund"] == 1.0


def test_synonyms_change_the_ranking(kb_root: Path) -> None:
    question = "how do I get my cash returned"
    without = KnowledgeBase.load(kb_root, encoder=None).search(question, "en", limit=1)
    assert not without or without[0].article.id != "refunds-self-service"
    write(kb_root, "en:\n  - [refund, cash returned, get my cash]\n")
    with_synonyms = KnowledgeBase.load(kb_root, encoder=None)
    assert with_synonyms.errors == ()
    assert with_synonyms.search(question, "en", limit=1)[0].article.id == "refunds-self-service"


def test_no_file_means_no_synonyms(tmp_path: Path) -> None:
    assert load_synonyms(tmp_path) == ({}, [])


def test_malformed_groups_are_reported_and_the_rest_loads(kb_root: Path) -> None:
    write(kb_root, "en:\n  - [refund, cash returned]\n  - just a string\n  - [alone]\nxx:\n  - [a, b]\n"
                   "ru: not a list\n")
    groups, errors = load_synonyms(kb_root)
    assert groups["en"] == (SynonymGroup(("refund", "cash returned")),)
    messages = [error.message for error in errors]
    assert any("en, group 2" in m for m in messages)
    assert any("en, group 3" in m for m in messages)
    assert any("unknown language 'xx'" in m for m in messages)
    assert any(m.startswith("ru:") for m in messages)
    assert all(error.path == kb_root / "synonyms.yml" for error in errors)
    kb = KnowledgeBase.load(kb_root, encoder=None)
    assert len(kb.errors) == 4 and kb.articles("en")


def test_a_file_that_is_not_yaml_is_reported(kb_root: Path) -> None:
    write(kb_root, "en: [unclosed\n")
    kb = KnowledgeBase.load(kb_root, encoder=None)
    assert [e.path.name for e in kb.errors] == ["synonyms.yml"]
    assert kb.search("refund", "en")
