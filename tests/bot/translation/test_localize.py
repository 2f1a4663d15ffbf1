"""Knowledge-base answers for an article missing in the customer's language: the action
with a real rasa_sdk tracker, real article files and real tiny language packs."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.kb import ActionKbAnswer, ActionKbReadMore
from bot.kb import Article
from bot.translation import engine
from bot.translation.localize import MACHINE_TRANSLATED, ORIGINAL_LANGUAGE, localize_article
from tests.actions.factories import kb_tracker, rendered_message
from tests.bot.translation.factories import PHRASES

ARTICLE = Article(id="self-service-portal", language="en", title="Self-service portals",
                  tags=(), related=(), summary="A portal lets customers find answers themselves.",
                  body="", path=Path("en/self-service-portal.md"))


@pytest.fixture()
def packs_dir(monkeypatch: pytest.MonkeyPatch):
    """Point the process's translator at a packs folder chosen by the test."""
    def use(folder: Path) -> None:
        monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
        engine.translator.cache_clear()

    yield use
    engine.translator.cache_clear()


async def test_missing_language_is_machine_translated(installed_packs: Path, make_translator) -> None:
    shown = await localize_article(ARTICLE, "ru", make_translator(installed_packs))
    assert (shown.title, shown.summary) == (PHRASES[("en", "ru")], PHRASES[("en", "ru")])
    assert (shown.language, shown.note) == ("ru", MACHINE_TRANSLATED)


async def test_without_a_pack_the_original_is_sent_with_a_note(tmp_path: Path, make_translator) -> None:
    shown = await localize_article(ARTICLE, "lt", make_translator(tmp_path / "packages"))
    assert (shown.title, shown.summary, shown.language) == (ARTICLE.title, ARTICLE.summary, "en")
    assert shown.note == ORIGINAL_LANGUAGE


async def test_article_in_the_customers_language_is_untouched(tmp_path: Path, make_translator) -> None:
    shown = await localize_article(ARTICLE, "en", make_translator(tmp_path / "packages"))
    assert (shown.title, shown.note) == (ARTICLE.title, None)


def chosen(article_id: str, language: str):
    return kb_tracker("/ask_question", entities=[{"entity": "kb_article", "value": article_id}], language=language)


async def test_action_answers_in_russian_with_the_machine_translated_note(configured, installed_packs, packs_dir) -> None:
    packs_dir(installed_packs)
    dispatcher = CollectingDispatcher()
    await ActionKbAnswer().run(dispatcher, chosen("self-service-portal", "ru"), {})
    answer, note, helpful = dispatcher.messages
    assert answer["response"] == "utter_kb_answer"
    assert (answer["title"], answer["summary"]) == (PHRASES[("en", "ru")], PHRASES[("en", "ru")])
    assert note["response"] == MACHINE_TRANSLATED
    assert helpful["response"] == "utter_kb_was_helpful"
    # What the customer reads: the note in Russian, formal.
    assert rendered_message(note, "ru").text.startswith("Этой статьи пока нет на русском языке")
    assert "Вам" in rendered_message(note, "ru").text


async def test_action_without_packs_sends_english_with_a_note(configured, tmp_path: Path, packs_dir) -> None:
    packs_dir(tmp_path / "packages")
    dispatcher = CollectingDispatcher()
    await ActionKbAnswer().run(dispatcher, chosen("self-service-portal", "lt"), {})
    answer, note, _ = dispatcher.messages
    assert answer["title"] == "Self-service portals"
    assert note["response"] == ORIGINAL_LANGUAGE


async def test_action_in_a_language_the_article_has_sends_no_note(configured, installed_packs, packs_dir) -> None:
    packs_dir(installed_packs)
    dispatcher = CollectingDispatcher()
    await ActionKbAnswer().run(dispatcher, chosen("self-service-portal", "el"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_kb_answer", "utter_kb_was_helpful"]
    assert dispatcher.messages[0]["title"] == "Πύλες αυτοεξυπηρέτησης"


async def test_read_more_is_translated_with_the_note(configured, installed_packs, packs_dir) -> None:
    packs_dir(installed_packs)
    dispatcher = CollectingDispatcher()
    await ActionKbReadMore().run(dispatcher, chosen("self-service-portal", "ru"), {})
    text, note = dispatcher.messages
    # Title, then the body's two paragraphs, each translated.
    assert text["text"] == "\n\n".join([PHRASES[("en", "ru")]] * 3)
    assert note["response"] == MACHINE_TRANSLATED


async def test_read_more_without_packs_is_the_original_with_a_note(configured, tmp_path: Path, packs_dir) -> None:
    packs_dir(tmp_path / "packages")
    dispatcher = CollectingDispatcher()
    await ActionKbReadMore().run(dispatcher, chosen("self-service-portal", "lt"), {})
    text, note = dispatcher.messages
    assert text["text"].startswith("Self-service portals\n\nA portal lets customers find answers themselves.")
    assert note["response"] == ORIGINAL_LANGUAGE
