"""Message templates per language: every text the assistant sends.

``data/responses/<lang>.yml`` maps a message name to its variations (text, optional
buttons); ``{placeholders}`` are filled with values the action passes and with the
culture values the NLG endpoint adds (bot/phrasing/render.py). A variation may be tagged
with the culture traits it fits (``formality: formal|informal``, ``directness:
direct|indirect``, ``empathy: warm|brief``); an untagged variation fits every profile.
A message missing in a language falls back to English. Loaded on first use, never at import.
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2] / "data" / "responses"
LANGUAGES = ("el", "ru", "lt", "en")
FALLBACK_LANGUAGE = "en"
TRAITS = ("formality", "directness", "empathy")
DEFAULT_TRAITS = {"formality": "formal"}


@dataclass(frozen=True)
class Message:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    asked_name: bool = False  # the text ends with the question for the customer's name


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: dict[str, Any]) -> str:
    return string.Formatter().vformat(text, (), _Keep(values))


class Templates:
    def __init__(self, by_language: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
        self._by_language = by_language

    @classmethod
    def load(cls, root: Path = ROOT) -> Templates:
        by_language = {}
        for language in LANGUAGES:
            path = root / f"{language}.yml"
            data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
            if not isinstance(data, dict):
                raise ValueError(f"{path}: expected a mapping of message names to variations")
            by_language[language] = data
        return cls(by_language)

    def names(self, language: str) -> set[str]:
        return set(self._by_language.get(language, {}))

    def variations(self, name: str, language: str) -> list[dict[str, Any]]:
        found = self._by_language.get(language, {}).get(name) or self._by_language[FALLBACK_LANGUAGE].get(name)
        if not found:
            raise KeyError(f"no message {name!r} in data/responses")
        return found

    def fitting(self, name: str, language: str, traits: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """The variations whose tags all match ``traits`` (default: formal); if a message has
        none for this profile, those that match its formality, then all of them."""
        variations = self.variations(name, language)
        traits = {**DEFAULT_TRAITS, **(traits or {})}
        for keys in (TRAITS, TRAITS[:1]):
            found = [v for v in variations if all(v.get(k) in (None, traits.get(k)) for k in keys)]
            if found:
                return found
        return variations

    def render(self, name: str, language: str | None, traits: dict[str, str] | None = None,
               rng: random.Random | None = None, **values: Any) -> Message:
        variation = (rng or random).choice(self.fitting(name, language or FALLBACK_LANGUAGE, traits))
        buttons = [{"title": fill(b["title"], values), "payload": b["payload"]} for b in variation.get("buttons", [])]
        return Message(fill(variation["text"], values), buttons)


@lru_cache(maxsize=1)
def templates() -> Templates:
    return Templates.load()
