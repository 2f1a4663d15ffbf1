"""Per-language frustration lexicons and the matcher.

Each language module has ``PATTERNS``: category -> patterns. A pattern is one or more
words; a word ending in ``*`` matches any word that starts with it (so one stem covers
the inflected forms: "απαράδεκτ*" matches απαράδεκτο, απαράδεκτη, απαράδεκτες...), a
word without it must match whole. The words of a pattern must come in order, with at
most ``MAX_GAP`` other words between two of them ("third time" matches "the third
bloody time"); words joined by ``_`` must be next to each other ("ακόμα_να"). Patterns are written in the language's normal spelling and folded
(bot.frustration.text) when compiled, and Greek ones also match Greeklish.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.frustration.text import fold, greeklish, is_greek

CATEGORIES = ("insult", "threat", "repeat", "complaint", "again", "human", "problem", "positive")
LANGUAGES = ("el", "ru", "lt", "en")
MAX_GAP = 2
# The Greeklish skeleton is lossy: a shorter stem would match words of other languages
# (γελοί* -> "geli" is the start of Lithuanian "gailiuosi"), so it must match whole.
GREEKLISH_MIN_PREFIX = 5


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool
    adjacent: bool = False       # must follow the previous term directly

    def matches(self, word: str) -> bool:
        return word.startswith(self.text) if self.prefix else word == self.text


@dataclass(frozen=True)
class Pattern:
    language: str
    category: str
    source: str
    terms: tuple[Term, ...]
    greeklish: bool = False

    def found_in(self, words: list[str]) -> bool:
        """The terms occur in order in ``words``, at most MAX_GAP words apart."""
        return _match_from(self.terms, words, 0, None)


def _match_from(terms: tuple[Term, ...], words: list[str], start: int, limit: int | None) -> bool:
    if not terms:
        return True
    end = len(words) if limit is None else min(len(words), limit)
    for i in range(start, end):
        reach = 2 if len(terms) > 1 and terms[1].adjacent else 2 + MAX_GAP
        if terms[0].matches(words[i]) and _match_from(terms[1:], words, i + 1, i + reach):
            return True
    return False


def _terms(source: str, skeleton: bool) -> tuple[Term, ...]:
    terms = []
    for group in fold(source).split():
        for position, raw in enumerate(group.split("_")):
            text = greeklish(raw.rstrip("*")) if skeleton else raw.rstrip("*")
            prefix = raw.endswith("*") and (not skeleton or len(text) >= GREEKLISH_MIN_PREFIX)
            terms.append(Term(text, prefix, position > 0))
    return tuple(terms)


def _module(language: str):
    from importlib import import_module

    return import_module(f"bot.frustration.lexicon.{language}")


@lru_cache(maxsize=1)
def patterns() -> tuple[Pattern, ...]:
    """Every pattern of every language (compiled on first use)."""
    compiled = []
    for language in LANGUAGES:
        for category, sources in _module(language).PATTERNS.items():
            if category not in CATEGORIES:
                raise ValueError(f"{language}: unknown category {category!r}")
            for source in sources:
                compiled.append(Pattern(language, category, source, _terms(source, False)))
                if is_greek(source):
                    compiled.append(Pattern(language, category, source, _terms(source, True), greeklish=True))
    return tuple(compiled)


def find(words: list[str], greeklish_too: bool = True) -> list[Pattern]:
    """The patterns found in a message's folded words; with ``greeklish_too`` (the message
    may be Greek in Latin letters) Greek patterns are also looked for in its Greeklish."""
    latin_skeleton = [greeklish(w) if not is_greek(w) else "" for w in words] if greeklish_too else []
    return [p for p in patterns()
            if (p.found_in(latin_skeleton) if p.greeklish else p.found_in(words))]
