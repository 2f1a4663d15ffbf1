"""Synonyms: the words customers use for what the articles call something else.

``data/kb/synonyms.yml`` maps each language to groups of expressions. The first
expression of a group is how the articles say it; when a question contains any of the
others (all of its terms, next to each other once stop words are gone), the first
expression's terms are added to the question. "walk away from us" thus also searches
for "churn", without the articles having to use the customer's words.

A malformed file or group is reported like a malformed article, and the rest loads.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection, Iterable, Sequence

import yaml

from bot.kb.articles import LANGUAGES, LoadError

SYNONYMS_FILE = "synonyms.yml"


@dataclass(frozen=True)
class SynonymGroup:
    """Expressions that mean the same; ``expressions[0]`` is the articles' wording."""

    expressions: tuple[str, ...]


def load_synonyms(root: Path) -> tuple[dict[str, tuple[SynonymGroup, ...]], list[LoadError]]:
    """The groups per language in ``root/synonyms.yml`` (none when the file is absent)."""
    path = Path(root) / SYNONYMS_FILE
    if not path.exists():
        return {}, []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        return {}, [LoadError(path, f"cannot be read as YAML: {exc}")]
    if not isinstance(data, dict):
        return {}, [LoadError(path, "expected a mapping of language codes to lists of groups")]
    groups: dict[str, tuple[SynonymGroup, ...]] = {}
    errors: list[LoadError] = []
    for language, entries in data.items():
        if language not in LANGUAGES:
            errors.append(LoadError(path, f"unknown language {language!r} (expected one of {', '.join(LANGUAGES)})"))
            continue
        if not isinstance(entries, list):
            errors.append(LoadError(path, f"{language}: expected a list of groups like [churn, walk away]"))
            continue
        kept: list[SynonymGroup] = []
        for number, entry in enumerate(entries, start=1):
            if (not isinstance(entry, list) or len(entry) < 2
                    or not all(isinstance(item, str) and item.strip() for item in entry)):
                errors.append(LoadError(path, f"{language}, group {number}: expected a list of at least two "
                                              f"expressions, found {entry!r}"))
                continue
            kept.append(SynonymGroup(tuple(item.strip() for item in entry)))
        groups[language] = tuple(kept)
    return groups, errors


class Expander:
    """Adds the articles' terms for the customer expressions found in a question."""

    def __init__(self, groups: Iterable[SynonymGroup], analyse: Callable[[str], list[str]],
                 common: Collection[str] = frozenset()) -> None:
        """``common``: terms too frequent to tell a concept; an expression made only of
        them ("a customer") would fire on every question, so it is left out."""
        # (expression's terms, articles' terms), filed under the expression's first term,
        # so a question is only compared with the expressions that can start in it.
        self._rules: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for group in groups:
            canonical = tuple(analyse(group.expressions[0]))
            if not canonical:
                continue
            for expression in group.expressions[1:]:
                variant = tuple(analyse(expression))
                if variant and not all(term in common for term in variant):
                    self._rules.setdefault(variant[0], []).append((variant, canonical))

    def expand(self, query: Sequence[str], weight: float, literal: float) -> dict[str, float]:
        """Weights of the query's terms: 1 for what the customer typed; for an expression
        of a synonym group, ``weight`` for the articles' terms and ``literal`` for the
        customer's own words (they may be an idiom: "walk away" is not about walking)."""
        weights = dict.fromkeys(query, 1.0)
        expanded: dict[str, float] = {}
        for variant, canonical in self._found(query):
            for term in variant:
                if term not in canonical:
                    weights[term] = min(weights[term], literal)
            for term in canonical:
                expanded[term] = max(expanded.get(term, 0.0), weight)
        for term, value in expanded.items():
            weights[term] = max(weights.get(term, 0.0), value)
        return weights

    def _found(self, query: Sequence[str]) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The rules whose expression stands in ``query`` (its terms, next to each other)."""
        found = set()
        for start, term in enumerate(query):
            for variant, canonical in self._rules.get(term, ()):
                if tuple(query[start:start + len(variant)]) == variant:
                    found.add((variant, canonical))
        return found
