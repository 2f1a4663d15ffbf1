"""Every Redis key the action server uses, under one prefix."""
from __future__ import annotations

PREFIX = "rapport:"


def kb_votes(language: str, article_id: str) -> str:
    """Hash of helpful votes for one article in one language: fields ``up`` and ``down``."""
    return f"{PREFIX}kb:votes:{language}:{article_id}"
