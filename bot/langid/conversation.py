"""The conversation's language: one message's detection weighed against what came before.

A customer who has written Greek all along and now sends "ok" or "👍" is still a Greek
speaker. The previous language is a prior: it wins unless the new message is clearly in
another language or explicitly asks for one. A message in Latin letters of fewer than
``SWITCH_MIN_WORDS`` words ("ok", "thanks", "NPS?", "asdf") never switches: short Latin
words are shared by the languages, typed by habit, or no language at all. A change of
script (Greek or Cyrillic letters) is clear however short.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.langid.detector import Detection

PREVIOUS_LANGUAGE_PRIOR = 0.2
MIN_CONFIDENCE = 0.45
SWITCH_MIN_WORDS = 3


@dataclass(frozen=True)
class Decision:
    language: str | None
    confidence: float
    changed: bool


def decide(detection: Detection, previous: str | None) -> Decision:
    """The language to answer in after this message.

    ``language`` is None only when nothing is known yet (no evidence, no history).
    """
    if detection.requested and detection.language:
        return Decision(detection.language, detection.confidence, detection.language != previous)
    if detection.language is None:
        return Decision(previous, 0.0, False)
    if previous is None:
        if detection.confidence < MIN_CONFIDENCE:
            return Decision(None, detection.confidence, False)
        return Decision(detection.language, detection.confidence, True)
    if (detection.language != previous and detection.source != "script"
            and detection.words is not None and detection.words < SWITCH_MIN_WORDS):
        return Decision(previous, detection.scores.get(previous, 0.0), False)
    scores = dict(detection.scores) or {detection.language: detection.confidence}
    scores[previous] = scores.get(previous, 0.0) + PREVIOUS_LANGUAGE_PRIOR
    total = sum(scores.values())
    best = max(scores, key=scores.__getitem__)
    return Decision(best, scores[best] / total, best != previous)
