"""One message's frustration score, 0..1, with the reasons behind it.

Evidence: the lexicons (bot.frustration.lexicon), how the message is written
(bot.frustration.signals) and the learned classifier (bot.frustration.learned), whose
probability above ``LEARNED_FROM`` becomes a weight. Each kind of rule evidence has a weight; the score combines them as independent signals
(``1 - prod(1 - w)``), so two weak signs make a stronger one and nothing passes 1.
A category of the lexicon counts once, however many of its patterns a message has.
Thanks and praise damp the signals in how the message is written (capitals, "!!!"),
since "THANK YOU SO MUCH!!!" is joy, not anger; they do not damp complaints or insults,
nor the classifier, which has learned sarcasm ("lovely, another automatic reply").
When the classifier is sure a message is calm (probability under ``SURE_CALM_BELOW``),
the lexicons' contextual categories and the capitals and punctuation count for less:
"how should my staff answer an angry customer?" has the word, not the feeling. Insults
keep their weight.
The classifier's weight (at most ``LEARNED_MAX``) stands in for the lexicons' when it is
larger, and the signals of how the message is written add to either; when the classifier
leads, the score stays under ``LEARNED_WITH_STYLE_MAX``: it acknowledges, never escalates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from bot.escalation import ACKNOWLEDGE_AT, ESCALATE_AT
from bot.frustration import lexicon, signals
from bot.frustration.learned import LearnedModel, default_model
from bot.frustration.text import words

WEIGHTS = {
    "insult": 0.75,
    "threat": 0.6,
    "repeat": 0.5,
    "complaint": 0.5,
    "again": 0.2,
    "human": 0.25,
    "problem": 0.15,
}
RECURRING_PROBLEM = 0.3     # "again" and a problem in one message: the same trouble once more
# The same message again: the answer did not help. Enough on its own for the bot to
# acknowledge it and offer a person, rather than answer again as if nothing happened.
REPEATED_MESSAGE = ACKNOWLEDGE_AT
LEARNED_FROM = 0.35          # classifier probability that starts to count
LEARNED_SCALE = 2.0          # probability 0.6 -> weight 0.5 (acknowledged on its own)
LEARNED_MAX = 0.75
# The classifier and the style together stay under ESCALATE_AT: escalating at once takes
# the lexicons or the conversation.
LEARNED_WITH_STYLE_MAX = round(ESCALATE_AT - 0.01, 2)
POSITIVE_DAMPING = 0.2       # what is left of capitals and punctuation after thanks or praise
SURE_CALM_BELOW = 0.2        # classifier probability under which the message reads as calm
SURE_CALM_DAMPING = 0.5      # what is left then of contextual words, capitals and punctuation
UNDAMPED = frozenset({"insult"})
MAX_CHARS = 4000             # longer messages are scored on their beginning


@dataclass(frozen=True)
class Score:
    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "reasons": list(self.reasons)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Score:
        try:
            value = max(0.0, min(1.0, float(data.get("score") or 0.0)))
        except (TypeError, ValueError):
            value = 0.0
        reasons = data.get("reasons") or []
        return cls(value, tuple(str(r) for r in reasons) if isinstance(reasons, list) else ())


NONE = Score(0.0)


def combine(weights: Iterable[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - max(0.0, min(1.0, weight))
    return round(1.0 - remaining, 4)


def learned_weight(probability: float) -> float:
    return round(max(0.0, min(LEARNED_MAX, (probability - LEARNED_FROM) * LEARNED_SCALE)), 4)


def score_message(text: str | None, earlier: Iterable[str] = (), language: str | None = None,
                  model: LearnedModel | None = None) -> Score:
    """Score one customer message; ``earlier`` are their previous messages, newest last.

    ``language`` is the detected language, if known: Greeklish is looked for only when
    it is Greek or unknown. ``model`` is the learned classifier (default: trained on
    bot/frustration/examples)."""
    if not text or not text.strip() or text.lstrip().startswith("/"):
        return NONE  # empty, or a button payload
    text = text[:MAX_CHARS]
    found = lexicon.find(words(text), greeklish_too=language in (None, "el"))
    by_category: dict[str, lexicon.Pattern] = {}
    for pattern in found:
        by_category.setdefault(pattern.category, pattern)
    positive = "positive" in by_category
    weights: list[float] = []   # what the words say (lexicons)
    style: list[float] = []     # how the message is written, and repetition
    reasons: list[str] = []
    # The classifier reads words: a message without letters ("😡🤬", "???") is the rules' alone.
    has_words = any(character.isalpha() for character in text)
    probability = (model or default_model()).probability(text) if has_words else None
    # A word out of a list cannot tell "I'll call my lawyer" from "my lawyer needs a
    # statement": when the classifier, which reads the whole message, is sure it is calm,
    # the lexicons' contextual categories and the capitals and punctuation count less.
    context = SURE_CALM_DAMPING if probability is not None and probability < SURE_CALM_BELOW else 1.0
    for category, pattern in by_category.items():
        if category in WEIGHTS:
            weights.append(WEIGHTS[category] * (1.0 if category in UNDAMPED else context))
            reasons.append(f"{category}: {pattern.source} ({pattern.language})")

    if "again" in by_category and "problem" in by_category:
        weights.append(RECURRING_PROBLEM * context)
        reasons.append("the same problem again")
    if context < 1.0 and reasons:
        reasons.append("the classifier reads it as calm (words damped)")

    angry, angry_emoji, happy_emoji = signals.emoji(text)
    positive = positive or happy_emoji
    damping = POSITIVE_DAMPING if positive else context
    shout = signals.shouting(text) * damping
    if shout:
        style.append(shout)
        reasons.append("capitals")
    punct, run = signals.punctuation(text)
    if punct:
        style.append(punct * damping)
        reasons.append(f"punctuation {run}")
    if angry:
        style.append(angry)
        reasons.append("emoji " + "".join(dict.fromkeys(angry_emoji)))
    # Thanks do not damp the classifier: it has read them, and learned that "great,
    # another automatic reply" is not thanks.
    learned = learned_weight(probability) if probability is not None else 0.0
    if learned:
        reasons.append(f"learned: {learned:.2f}")
    if any(signals.same_message(text, e) for e in list(earlier)[-5:] if e):
        style.append(REPEATED_MESSAGE)
        reasons.append("repeated message")
    if positive and reasons:
        reasons.append("thanks or praise (capitals and punctuation damped)")
    # The classifier reads the words as the lexicons do: it can stand in for them
    # (frustration said in words no lexicon has), not add to them. How the message is
    # written adds to either.
    words_say = combine(weights)
    total = combine([max(words_say, learned), *style])
    if learned > words_say:
        total = min(total, LEARNED_WITH_STYLE_MAX)
    return Score(total, tuple(reasons))
