"""Language-aware terms for knowledge-base search (el, ru, lt, en).

Articles and customer questions go through the same ``terms(text, language)``, so
whatever is folded on one side is folded on the other:

- tokens come from a blank spaCy pipeline (``spacy.blank(lang)``), split into
  letter/digit runs; punctuation and single letters are dropped, numbers and acronyms
  ("nps", "csat", "24") are kept;
- stop words are spaCy's list for the language, folded the same way as the tokens;
- English and Lithuanian are lemmatised with the spacy-lookups-data lookup tables
  (``lemma_lookup``); Lithuanian then loses its diacritics ("užsakymą" and "uzsakyma"
  are one term), and a light suffix stemmer joins forms the table does not know;
- Russian is lemmatised with pymorphy3 (``normal_form``; ё is е);
- Greek is lowercased and stripped of accents, Latin letters (Greeklish, and acronyms
  like NPS) are transliterated to Greek, spellings that sound alike are merged
  (η/ι/υ/ει/οι, ο/ω, αι/ε, double letters: customers typing Greeklish cannot know
  which one is meant), and a light suffix stemmer drops inflection endings.

Pipelines, tables and the morphological analyser are built on first use and cached per
language; importing this module loads nothing.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from spacy.language import Language

_WORD_RE = re.compile(r"[^\W_]+")

# Greetings, thanks and "can I / I want / tell me" words that spaCy's stop-word lists
# lack: in a customer's question they say nothing about which article is meant.
EXTRA_STOP_WORDS: dict[str, frozenset[str]] = {
    "el": frozenset("γεια καλημέρα καλησπέρα ευχαριστώ παρακαλώ μπορώ μπορείτε θέλω ήθελα πείτε πες".split()),
    "ru": frozenset("здравствуйте привет спасибо пожалуйста хочу хотел хотела подскажите скажите "
                    "расскажите".split()),
    "lt": frozenset("labas sveiki ačiū prašau yra galiu galite noriu norėčiau pasakykite".split()),
    "en": frozenset("hello hi hey thanks thank want tell know".split()),
}

# A greeting at the start of a question ("Laba diena, kas yra CSAT?") says nothing about
# the article, and its words can ("diena", a day, matches the time-zone article).
_GREETING_RE: dict[str, re.Pattern[str]] = {
    language: re.compile(rf"^\s*(?:{pattern})(?!\w)[\s,!.;:]*", re.IGNORECASE)
    for language, pattern in {
        "el": r"γei?[αά] (?:σας|σου)|γειά|γεια|καλημ[εέ]ρα(?: σας)?|καλησπ[εέ]ρα(?: σας)?|geia sas|geia sou"
              r"|kalimera|kalispera",
        "ru": r"здра(?:в)?ствуйте|добрый (?:день|вечер)|доброе утро|доброго (?:дня|времени суток)"
              r"|приветствую|привет",
        "lt": r"laba diena|labas (?:vakaras|rytas)|labas|sveiki|sveikas|sveika",
        "en": r"good (?:morning|afternoon|evening|day)|hello(?: there)?|hi(?: there)?|hey(?: there)?",
    }.items()
}


def strip_greeting(text: str, language: str) -> str:
    """``text`` without a greeting at its start ("Здравствуйте, что такое NPS?" -> "что такое NPS?")."""
    pattern = _GREETING_RE.get(language)
    return pattern.sub("", text, count=1) if pattern else text


# Greeklish -> Greek, longest match first (after lowercasing and removing diacritics).
GREEKLISH_DIGRAPHS: dict[str, str] = {
    "th": "θ", "ch": "χ", "kh": "χ", "ps": "ψ", "ks": "ξ", "ph": "φ", "ou": "ου",
}
GREEKLISH_LETTERS: dict[str, str] = {
    "a": "α", "b": "β", "c": "κ", "d": "δ", "e": "ε", "f": "φ", "g": "γ", "h": "η",
    "i": "ι", "j": "ξ", "k": "κ", "l": "λ", "m": "μ", "n": "ν", "o": "ο", "p": "π",
    "q": "κ", "r": "ρ", "s": "σ", "t": "τ", "u": "υ", "v": "β", "w": "ω", "x": "χ",
    "y": "υ", "z": "ζ",
}
# Greek spellings that sound the same, merged in this order.
_GREEK_SOUND_ALIKES: tuple[tuple[str, str], ...] = (
    ("ς", "σ"), ("ου", "u"), ("ει", "ι"), ("οι", "ι"), ("υι", "ι"), ("αι", "ε"),
    ("αυ", "αβ"), ("ευ", "εβ"), ("η", "ι"), ("υ", "ι"), ("ω", "ο"),
)
_FINAL_SIGMA_RE = re.compile(r"σ\b")
_DOUBLE_LETTER_RE = re.compile(r"(.)\1+")
# Inflection endings: vowels (ου is "u" after merging), then an optional -σ or -ν.
_GREEK_ENDING_RE = re.compile(r"[αειοu]+[σν]?$")
# Verb endings of the first and second person plural and the passive, tried first:
# "επικοινωνούμε" and "επικοινωνία" share "επικινον", "βελτιώσουμε" and "βελτίωση" "βελτιοσ".
_GREEK_VERB_ENDING_RE = re.compile(r"(?:uμαστε|ομαστε|ονται|uνται|uμε|ετε|ατε|ιτε|εστε|ιστε)$")
_LT_ENDING_RE = re.compile(r"(?:[aeiouy]*(?:ms|mis)|[aeiouy]+(?:se|je|s)?)$")
# Lemmas from the Lithuanian table are infinitives for verbs: "grąžinti", "juostytis".
_LT_INFINITIVE_RE = re.compile(r"(?<=...)tis?$")
_EN_IZE_RE = re.compile(r"iz(?=(?:e|ed|es|ing|ations?|ers?)$)")
_EN_ENDING_RE = re.compile(r"(?:(?<=is)(?:ations?|ers?|ing|ed|es|e)|etic|(?<=[^aeiou])y)$")
_MIN_STEM = {"el": 2, "lt": 3}
_WORD_CACHE_LIMIT = 100_000  # words -> terms remembered per language
_UNSEEN = ""  # never a cached term: terms are at least two characters


def terms(text: str, language: str) -> list[str]:
    """The index terms of ``text`` in ``language`` (in order, repeats kept)."""
    return analyzer(language).terms(text)


def strip_diacritics(text: str) -> str:
    """"užsakymą" -> "uzsakyma", "είναι" -> "ειναι"."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def greeklish_to_greek(text: str) -> str:
    """Transliterate the Latin letters of ``text`` to Greek ("empathia" -> "εμπαθια")."""
    source = "".join(strip_diacritics(c) if unicodedata.name(c, "").startswith("LATIN") else c
                     for c in text.lower())
    out: list[str] = []
    i = 0
    while i < len(source):
        pair = source[i:i + 2]
        if pair in GREEKLISH_DIGRAPHS:
            out.append(GREEKLISH_DIGRAPHS[pair])
            i += 2
            continue
        out.append(GREEKLISH_LETTERS.get(source[i], source[i]))
        i += 1
    return _FINAL_SIGMA_RE.sub("ς", "".join(out))


def greek_fold(word: str) -> str:
    """Lowercase, no accents, Latin letters transliterated, sound-alike spellings merged."""
    word = strip_diacritics(greeklish_to_greek(word))
    for old, new in _GREEK_SOUND_ALIKES:
        word = word.replace(old, new)
    return _DOUBLE_LETTER_RE.sub(r"\1", word)


def greek_stem(folded: str) -> str:
    """Drop the inflection ending of a folded Greek word ("ζονεσ" -> "ζον")."""
    stem = _strip_ending(folded, _GREEK_VERB_ENDING_RE, _MIN_STEM["el"] + 1)
    if stem != folded:
        return stem
    return _strip_ending(folded, _GREEK_ENDING_RE, _MIN_STEM["el"])


def lithuanian_stem(folded: str) -> str:
    """Drop the inflection ending of a Lithuanian word without diacritics."""
    return _strip_ending(folded, _LT_ENDING_RE, _MIN_STEM["lt"])


class Analyzer:
    """Tokeniser, stop words and lemmatiser of one language."""

    def __init__(self, language: str, nlp: Language, fold: Callable[[str], str],
                 lemma: Callable[[str, str], str], *, stop_lemmas: bool = False) -> None:
        self.language = language
        self._stop_lemmas = stop_lemmas  # lemmas are words (not stems): check them too
        self._nlp = nlp
        self._fold = fold
        self._lemma = lemma
        stop_words = set(nlp.Defaults.stop_words) | EXTRA_STOP_WORDS.get(language, frozenset())
        self._stop_words = frozenset(fold(w) for w in stop_words)
        self._cache: dict[str, str | None] = {}

    def terms(self, text: str) -> list[str]:
        result: list[str] = []
        for token in self._nlp.make_doc(text):
            for word in _WORD_RE.findall(token.text.lower()):
                term = self._cache.get(word, _UNSEEN)
                if term == _UNSEEN:
                    term = self._term(word)
                    if len(self._cache) >= _WORD_CACHE_LIMIT:
                        self._cache.clear()
                    self._cache[word] = term
                if term is not None:
                    result.append(term)
        return result

    def _term(self, word: str) -> str | None:
        folded = self._fold(word)
        if folded in self._stop_words or (len(folded) < 2 and not folded.isdigit()):
            return None
        if folded.isdigit():
            return folded
        lemma = self._lemma(word, folded) or folded
        if self._stop_lemmas and lemma in self._stop_words:
            return None
        return lemma


@lru_cache(maxsize=None)
def analyzer(language: str) -> Analyzer:
    """The analyser of ``language``, built on first use."""
    builders = {"el": _greek, "ru": _russian, "lt": _lithuanian, "en": _english}
    if language not in builders:
        raise ValueError(f"unsupported language {language!r} (expected one of {', '.join(builders)})")
    return builders[language]()


def _blank(language: str) -> Language:
    import spacy

    return spacy.blank(language)


def _lookup_table(language: str) -> dict[str, str]:
    """spacy-lookups-data's ``lemma_lookup`` of ``language``, lowercased: form -> lemma."""
    from spacy.util import load_language_data, registry

    raw = load_language_data(registry.lookups.get(language)["lemma_lookup"])
    table = {form: lemma.lower() for form, lemma in raw.items() if form == form.lower()}
    for form, lemma in raw.items():
        table.setdefault(form.lower(), lemma.lower())
    return table


def english_stem(lemma: str) -> str:
    """American spellings as British ones, and one stem for a verb and its nouns.

    "authorized", "authorise" and "authorisation" are all "authoris"; "empathetic" and
    "empathy" are "empath".
    """
    lemma = _EN_IZE_RE.sub("is", lemma)
    return _strip_ending(lemma, _EN_ENDING_RE, 4)


def _english() -> Analyzer:
    table = _lookup_table("en")

    def lemma(word: str, folded: str) -> str:
        return english_stem(table.get(folded, folded))

    return Analyzer("en", _blank("en"), str.lower, lemma, stop_lemmas=True)


def _lithuanian() -> Analyzer:
    table = _lookup_table("lt")
    without_diacritics: dict[str, str] = {}
    for form, found in table.items():
        without_diacritics.setdefault(strip_diacritics(form), found)

    def fold(word: str) -> str:
        return strip_diacritics(word.lower())

    def lemma(word: str, folded: str) -> str:
        found = table.get(word) or without_diacritics.get(folded)
        if found is None:
            return lithuanian_stem(folded)
        return lithuanian_stem(_LT_INFINITIVE_RE.sub("", fold(found)))

    return Analyzer("lt", _blank("lt"), fold, lemma)


def _russian() -> Analyzer:
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang="ru")

    def fold(word: str) -> str:
        return word.lower().replace("ё", "е")

    def lemma(word: str, folded: str) -> str:
        return fold(morph.parse(folded)[0].normal_form)

    return Analyzer("ru", _blank("ru"), fold, lemma, stop_lemmas=True)


def _greek() -> Analyzer:
    def lemma(word: str, folded: str) -> str:
        return greek_stem(folded)

    return Analyzer("el", _blank("el"), greek_fold, lemma)


def _strip_ending(word: str, ending: re.Pattern[str], min_stem: int) -> str:
    if not word.isalpha():
        return word
    stem = ending.sub("", word)
    return stem if len(stem) >= min_stem else word
