"""A knowledge-base answer in the customer's language when its article lacks that language.

The article's title and summary are machine-translated from the language it exists in;
the customer is told so (``utter_kb_machine_translated``). Without a pack for the pair,
or when translation fails, the original text is sent with a note that the article is
not yet available in their language (``utter_kb_original_language``).
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.kb import Article
from bot.translation.engine import TranslationUnavailable, Translator, translator as default_translator

logger = logging.getLogger(__name__)

MACHINE_TRANSLATED = "utter_kb_machine_translated"
ORIGINAL_LANGUAGE = "utter_kb_original_language"


@dataclass(frozen=True)
class ArticleText:
    title: str
    summary: str
    language: str
    note: str | None = None  # the message to send after the answer, if any


async def localize_texts(texts: tuple[str, ...], source: str, language: str | None,
                         translator: Translator | None = None) -> tuple[tuple[str, ...], str, str | None]:
    """``texts`` (written in ``source``) in ``language``: (texts, their language, note)."""
    if not language or language == source:
        return texts, source, None
    engine = translator or default_translator()
    try:
        translated = tuple([(await engine.translate_async(text, source, language)).text if text.strip() else text
                            for text in texts])
    except TranslationUnavailable:
        logger.info("no language pack for %s -> %s", source, language)
    except asyncio.TimeoutError:
        logger.warning("translation %s -> %s timed out", source, language)
    except Exception:  # noqa: BLE001 - the customer still gets the text
        logger.exception("translation %s -> %s failed", source, language)
    else:
        return translated, language, MACHINE_TRANSLATED
    return texts, source, ORIGINAL_LANGUAGE


async def localize_article(article: Article, language: str | None,
                           translator: Translator | None = None, *, passage: str | None = None) -> ArticleText:
    """The article's title and summary (or the ``passage`` of it that answers) in
    ``language`` (or the original, with a note)."""
    (title, summary), shown_in, note = await localize_texts((article.title, passage or article.summary),
                                                            article.language, language, translator)
    return ArticleText(title, summary, shown_in, note)
