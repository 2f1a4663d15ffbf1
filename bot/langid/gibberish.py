"""Messages that are no language at all: keyboard mashes and emoji alone.

The intent model reads every message as some intent, and "asdkjh" or "ыфвафыв" come out
as "no" or goodbye. A message is gibberish when it has words but none that any of the
lexicons or the English vocabulary know, and one of them looks typed at random: a run of
keys along a keyboard row ("asdf", "фыва", "ασδφ"), a chunk typed twice ("dfgdfg"), five
consonants in a row or no vowel in a long word. Misspelt real words keep their vowels
and are not gibberish.

A message of emoji alone carries no request: "👍", "👌", "🙏" and their like are a yes or
thanks, any other is not understood (an angry one is scored as a feeling by the
frustration component, whatever the intent).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

# The parse-data property that says why a message was not understood (bot.components.understood).
NOT_UNDERSTOOD_KEY = "not_understood"
# Keyboard rows: Latin (QWERTY), Russian (ЙЦУКЕН) and Greek layouts.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю",
         "ςερτυθιοπ", "ασδφγηξκλ", "ζχψωβνμ")
_ROW_RUN = 4                 # keys in a row, either way, that are no word
_VOWELS = set("aeiouyаеёиоуыэюяαεηιουωάέήίόύώϊϋΐΰąęėįųū")
_CONSONANT_RUN = 5
_MIN_LENGTH = 4              # shorter tokens ("hm", "ok", "ну") are never called gibberish
_WORD_RE = re.compile(r"[^\W\d_]+")
POSITIVE_EMOJI = frozenset("👍👌🙏😊🙂😀😃😄👏✅❤💯🤝")
_ROW_SEQUENCES = tuple(row[i:i + _ROW_RUN] for row in _ROWS for i in range(len(row) - _ROW_RUN + 1))
_ROW_SEQUENCES += tuple(sequence[::-1] for sequence in _ROW_SEQUENCES)


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def random_typing(word: str) -> bool:
    """Whether one word looks typed at random."""
    word = _plain(word)
    if len(word) < _MIN_LENGTH:
        return False
    if any(sequence in word for sequence in _ROW_SEQUENCES):
        return True
    if re.search(r"(.{3,})\1", word):
        return True
    run = longest = 0
    for character in word:
        run = 0 if character in _VOWELS else run + 1
        longest = max(longest, run)
    return longest >= _CONSONANT_RUN or (len(word) >= 6 and not any(c in _VOWELS for c in word))


def _cyrillic(word: str) -> bool:
    return all("\u0400" <= c <= "\u04ff" for c in word)


def one_row(word: str) -> bool:
    """Five letters or more, every one from the same keyboard row ("ыфвафыв")."""
    letters = set(_plain(word))
    return len(word) >= 5 and len(letters) >= 3 and any(letters <= set(_plain(row)) for row in _ROWS)


def is_gibberish(text: str, knows: Callable[[str], bool] = lambda _word: False,
                 is_word: Callable[[str], bool] | None = None) -> bool:
    """Words, none of them known (``knows``: whether a lowercase word is in a lexicon of any
    language; ``is_word``: a dictionary's look-up, such as Russian morphology), and one or
    more typed at random."""
    words = [w.lower() for w in _WORD_RE.findall(text or "")]
    if not words or any(knows(w) for w in words):
        return False
    if is_word is not None and any(is_word(w) for w in words):
        return False
    return any(random_typing(w) or (is_word is not None and _cyrillic(w) and one_row(w)) for w in words)


def emoji_only(text: str) -> bool:
    """Symbols and emoji, no letters or digits (punctuation alone is not emoji)."""
    stripped = "".join((text or "").split())
    return bool(stripped) and not any(c.isalnum() for c in stripped) and any(
        unicodedata.category(c) == "So" for c in stripped)


def positive_emoji_only(text: str) -> bool:
    return emoji_only(text) and all(c in POSITIVE_EMOJI or unicodedata.category(c) != "So"
                                    for c in "".join(text.split()))
