"""Knowledge base: articles in ``data/kb/<lang>/``, their loader and per-language search.

Importing this package loads nothing; ``knowledge_base()`` loads the articles on first
use and again whenever they change.
"""
from __future__ import annotations

from bot.kb.articles import LANGUAGES, Article, LoadError, LoadResult, load_articles
from bot.kb.index import DEFAULT_ROOT, Hit, KnowledgeBase, KnowledgeBaseCache, Match, knowledge_base

__all__ = [
    "DEFAULT_ROOT",
    "LANGUAGES",
    "Article",
    "Hit",
    "KnowledgeBase",
    "KnowledgeBaseCache",
    "LoadError",
    "LoadResult",
    "Match",
    "knowledge_base",
    "load_articles",
]
