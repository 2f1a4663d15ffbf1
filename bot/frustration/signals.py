"""Signals in how a message is written: shouting, repeated punctuation, emoji, repetition."""
from __future__ import annotations

import re

from bot.frustration.text import words

ANGRY_EMOJI = {"😡": 0.5, "🤬": 0.6, "😠": 0.5, "💢": 0.5, "😤": 0.4, "👎": 0.4,
               "🙄": 0.25, "😒": 0.25, "😩": 0.25, "😫": 0.25, "🖕": 0.6}
POSITIVE_EMOJI = frozenset("😊🙏😀😃😄😁🙂🤗😍🥰❤💙💚👍👏🎉🥳✨💯😇☺")

SHOUT_MIN_LETTERS = 5      # a shorter word in capitals is more likely an acronym (PIN, IBAN, ΑΦΜ)
PUNCT_RUN_RE = re.compile(r"[!?¡¿;]{2,}")
CASED_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
REPEAT_MIN_WORDS = 3
REPEAT_OVERLAP = 0.8


def shouting(text: str) -> float:
    """0 (not shouting), 0.35 (a shouted word), 0.5 (the message is in capitals)."""
    cased = [w for w in CASED_WORD_RE.findall(text) if w.lower() != w.upper()]
    capital = [w for w in cased if w.isupper()]
    long_capital = [w for w in capital if len(w) >= SHOUT_MIN_LETTERS]
    letters = sum(len(w) for w in cased)
    capital_letters = sum(len(w) for w in capital)
    if len(capital) >= 2 and letters >= 8 and capital_letters / letters >= 0.7 and (long_capital or len(capital) >= 3):
        return 0.5
    if long_capital:
        return 0.35
    return 0.0


def punctuation(text: str) -> tuple[float, str]:
    """Repeated ! and ?: "??" 0.2, "!!" 0.25, "?!" mixed 0.35; "?!?!" 0.5, "!!!!" +0.05."""
    best, run = 0.0, ""
    for found in PUNCT_RUN_RE.findall(text):
        chars = set(found.replace("¡", "!").replace("¿", "?").replace(";", "?"))
        weight = 0.35 if len(chars) > 1 else (0.25 if "!" in chars else 0.2)
        if len(found) >= 4:
            weight += 0.15 if len(chars) > 1 else 0.05
        if weight > best:
            best, run = weight, found
    return best, run


def emoji(text: str) -> tuple[float, list[str], bool]:
    """(the strongest angry emoji's weight, the angry ones, any positive one)."""
    angry = [ch for ch in text if ch in ANGRY_EMOJI]
    weight = max((ANGRY_EMOJI[ch] for ch in angry), default=0.0)
    if len(angry) >= 2:
        weight = min(0.8, weight + 0.15)
    return weight, angry, any(ch in POSITIVE_EMOJI for ch in text)


def same_message(text: str, earlier: str) -> bool:
    """The customer wrote (nearly) the same thing again."""
    mine, theirs = words(text), words(earlier)
    if len(mine) < REPEAT_MIN_WORDS or len(theirs) < REPEAT_MIN_WORDS:
        return False
    if mine == theirs:
        return True
    a, b = set(mine), set(theirs)
    return len(a & b) / len(a | b) >= REPEAT_OVERLAP
