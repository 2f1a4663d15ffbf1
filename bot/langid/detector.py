"""Language identification for short customer messages in el, ru, lt and en.

Statistical detectors are unreliable on the one- to four-word messages customers send
("aciu", "да", "efxaristw poly"), so evidence is combined, strongest first:

1. an explicit switch request names the target language (see ``switch``);
2. the script: Greek letters mean Greek, Cyrillic letters mean Russian (the only
   Cyrillic language served, so Ukrainian- or Bulgarian-looking words are Russian too);
3. for Latin text: Lithuanian diacritics; short-word lexicons (English, Lithuanian with
   and without diacritics, Greeklish, transliterated Russian); a character-trigram model
   trained on those lexicons for unknown words; langdetect and lingua (its models ship in
   the wheel) restricted to English and Lithuanian (both deterministic); and a hint from
   the channel (locale). Lingua knows common English and Lithuanian words that the short
   lexicons do not ("salary", "games"), so they are not read as Greeklish or Lithuanian.

Text with no letters at all (emoji, numbers, punctuation) has no language: the caller
keeps the conversation's previous language.
"""
from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from bot.langid import switch
from bot.langid.gibberish import is_gibberish

SUPPORTED: tuple[str, ...] = ("el", "ru", "lt", "en")
LATIN_LANGUAGES: tuple[str, ...] = ("en", "lt", "el", "ru")  # Greeklish and translit too
_LANGDETECT_LANGUAGES: tuple[str, ...] = ("en", "lt")

LEXICON_DIR = Path(__file__).parent / "lexicon"

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# E-mail addresses, links and @handles say nothing about the language a customer writes
# in ("ivan.petrov@example.ru" answering a Russian question is not English): left out.
_NOT_LANGUAGE_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+|@\w+")
_LT_DIACRITICS = set("ąčęėįšųūž")

# Weights of the evidence for Latin-script text.
_W_LEXICON = 2.0
_W_NGRAM = 1.0
_W_LANGDETECT = 0.6
_W_LT_DIACRITIC = 3.0
_W_HINT = 0.35
_W_LINGUA = 0.5   # share of the English/Lithuanian split that lingua decides
# Share of the letters in Greek (or Cyrillic) script from which a message is Greek (Russian).
SCRIPT_SHARE = 0.3


@dataclass(frozen=True)
class Detection:
    """What one message says about its language.

    ``language`` is None when the text carries no linguistic evidence.
    ``requested`` is True for an explicit request to switch to ``language``.
    """

    language: str | None
    confidence: float
    source: str
    scores: dict[str, float] = field(default_factory=dict)
    requested: bool = False
    words: int | None = None  # how many words the evidence rests on (None: not counted)

    def as_dict(self) -> dict:
        return {
            "language": self.language,
            "confidence": round(self.confidence, 4),
            "source": self.source,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "requested": self.requested,
            "words": self.words,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Detection:
        return cls(
            language=data.get("language"),
            confidence=float(data.get("confidence") or 0.0),
            source=str(data.get("source") or "none"),
            scores=dict(data.get("scores") or {}),
            requested=bool(data.get("requested")),
            words=data.get("words") if isinstance(data.get("words"), int) else None,
        )


NO_LANGUAGE = Detection(language=None, confidence=0.0, source="none")


def normalise_hint(locale: str | None) -> str | None:
    """'el-GR', 'ru_RU', 'lt', 'en-US' -> a supported language code, else None."""
    if not locale or not isinstance(locale, str):
        return None
    code = re.split(r"[-_]", locale.strip().lower(), maxsplit=1)[0]
    return code if code in SUPPORTED else None


def _script_counts(text: str) -> Counter:
    counts: Counter = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if 0x0370 <= cp <= 0x03FF or 0x1F00 <= cp <= 0x1FFF:
            counts["greek"] += 1
        elif 0x0400 <= cp <= 0x052F:
            counts["cyrillic"] += 1
        elif cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
            counts["latin"] += 1
        else:
            counts["other"] += 1
    return counts


def _strip_diacritics(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class _TrigramModel:
    """Naive Bayes over character trigrams, trained on the lexicons' words."""

    def __init__(self, words_by_language: dict[str, set[str]]) -> None:
        self._counts: dict[str, Counter] = {}
        self._totals: dict[str, int] = {}
        vocabulary: set[str] = set()
        for lang, words in words_by_language.items():
            counts: Counter = Counter()
            for word in words:
                counts.update(self._grams(word))
            self._counts[lang] = counts
            self._totals[lang] = sum(counts.values())
            vocabulary.update(counts)
        self._vocabulary_size = max(len(vocabulary), 1)

    @staticmethod
    def _grams(word: str) -> list[str]:
        padded = f"^{word}$"
        return [padded[i : i + 3] for i in range(len(padded) - 2)]

    def posterior(self, tokens: list[str]) -> dict[str, float]:
        logs: dict[str, float] = {}
        for lang, counts in self._counts.items():
            denominator = self._totals[lang] + self._vocabulary_size
            logs[lang] = sum(
                math.log((counts.get(g, 0) + 1) / denominator)
                for token in tokens
                for g in self._grams(token)
            )
        top = max(logs.values())
        exps = {lang: math.exp(v - top) for lang, v in logs.items()}
        total = sum(exps.values())
        return {lang: v / total for lang, v in exps.items()}


def load_lexicon(path: Path) -> set[str]:
    """One lowercase word a line; '#' starts a comment."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if word:
            words.add(word)
    return words


class LanguageIdentifier:
    """Decides the language of one message. Build once, reuse: it holds the models."""

    def __init__(self, lexicons: dict[str, set[str]], english: frozenset[str] = frozenset()) -> None:
        self._lexicons = lexicons
        self._english = english  # common English words (bot.langid.vocabulary)
        self._trigrams = _TrigramModel(
            {lang: {_strip_diacritics(w) for w in words} | words for lang, words in lexicons.items()}
        )
        self._langdetect = restricted_langdetect()

    def knows(self, word: str) -> bool:
        """Whether ``word`` (lowercase) is in a lexicon or the English vocabulary."""
        return word in self._english or any(word in words for words in self._lexicons.values())

    @classmethod
    def from_directory(cls, directory: Path = LEXICON_DIR) -> LanguageIdentifier:
        lexicons = {lang: load_lexicon(directory / f"{lang}.txt") for lang in LATIN_LANGUAGES}
        english = directory / "en_vocabulary.txt"
        return cls(lexicons, frozenset(load_lexicon(english)) if english.exists() else frozenset())

    def detect(self, text: str | None, hint: str | None = None) -> Detection:
        if not text or not isinstance(text, str):
            return NO_LANGUAGE
        text = _NOT_LANGUAGE_RE.sub(" ", unicodedata.normalize("NFC", text))
        tokens = [t.lower() for t in _TOKEN_RE.findall(text) if not t.isdigit()]
        if not tokens:
            return NO_LANGUAGE
        requested = switch.requested_language(text)
        if requested:
            return Detection(requested, 0.99, "switch", {requested: 1.0}, requested=True)
        if is_gibberish(text, self.knows):
            return NO_LANGUAGE  # "asdkjh" is no language: the conversation's stays
        scripts = _script_counts(text)
        letters = sum(scripts.values())
        if letters == 0:
            return NO_LANGUAGE
        words = sum(1 for token in tokens if any(ch.isalpha() for ch in token))
        # Greek and Russian customers write Latin-script terms inside their sentences
        # ("τι είναι το churn rate;", "что такое NPS"), English or Lithuanian ones never
        # Greek or Cyrillic letters: a fair share of either script decides.
        for script, language in (("greek", "el"), ("cyrillic", "ru")):
            other = "cyrillic" if script == "greek" else "greek"
            if scripts[script] / letters >= SCRIPT_SHARE and scripts[script] >= scripts[other]:
                return Detection(language, 0.99, "script", {language: scripts[script] / letters}, words=words)
        if scripts["latin"] / letters <= 0.5:
            return NO_LANGUAGE
        return replace(self._detect_latin(text, tokens, normalise_hint(hint)), words=words)

    def _detect_latin(self, text: str, tokens: list[str], hint: str | None) -> Detection:
        scores = dict.fromkeys(LATIN_LANGUAGES, 0.0)
        lexicon_hits = 0
        for token in tokens:
            owners = [lang for lang, words in self._lexicons.items() if token in words]
            if token in self._english and "en" not in owners:
                owners.append("en")
            if owners:
                lexicon_hits += 1
                for lang in owners:
                    scores[lang] += _W_LEXICON / (len(owners) * len(tokens))
        for lang, p in self._trigrams.posterior([_strip_diacritics(t) for t in tokens]).items():
            scores[lang] += _W_NGRAM * p
        for lang, p in self._langdetect_probabilities(text).items():
            scores[lang] += _W_LANGDETECT * p
        if any(ch in _LT_DIACRITICS for ch in text.lower()):
            scores["lt"] += _W_LT_DIACRITIC
        if hint in scores:
            scores[hint] += _W_HINT
        # Lingua tells English from Lithuanian, not either from Greeklish: it shares out
        # what the other evidence gives the two between them.
        lingua = _lingua_probabilities(text)
        mass = scores["en"] + scores["lt"]
        if lingua and mass > 0:
            for lang in ("en", "lt"):
                scores[lang] = mass * ((1 - _W_LINGUA) * scores[lang] / mass + _W_LINGUA * lingua.get(lang, 0.0))
        total = sum(scores.values())
        shares = {lang: s / total for lang, s in scores.items()}
        best = max(shares, key=shares.__getitem__)
        source = "lexicon" if lexicon_hits else "statistics"
        return Detection(best, shares[best], source, shares)

    def _langdetect_probabilities(self, text: str) -> dict[str, float]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._langdetect.create()
        detector.append(text)
        try:
            return {p.lang: p.prob for p in detector.get_probabilities()}
        except LangDetectException:
            return {}


@lru_cache(maxsize=1)
def _lingua_detector():
    """Lingua restricted to the Latin-script languages served, or None if not installed."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.LITHUANIAN).build()


_LINGUA_CODES = {"ENGLISH": "en", "LITHUANIAN": "lt"}


def _lingua_probabilities(text: str) -> dict[str, float]:
    detector = _lingua_detector()
    if detector is None:
        return {}
    return {_LINGUA_CODES[value.language.name]: value.value
            for value in detector.compute_language_confidence_values(text)
            if value.language.name in _LINGUA_CODES}


def restricted_langdetect(languages: tuple[str, ...] = _LANGDETECT_LANGUAGES):
    """A private langdetect factory that knows only ``languages`` (by default the
    Latin-script languages served), seeded: deterministic."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    profiles = []
    for lang in languages:
        with open(os.path.join(PROFILES_DIRECTORY, lang), encoding="utf-8") as handle:
            profiles.append(json.dumps(json.load(handle)))
    factory.load_json_profile(profiles)
    factory.set_seed(0)
    return factory


@lru_cache(maxsize=1)
def default_identifier() -> LanguageIdentifier:
    """The process-wide identifier, built on first use (never at import)."""
    return LanguageIdentifier.from_directory()
