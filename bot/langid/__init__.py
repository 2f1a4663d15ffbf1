"""Language identification: per message (detector) and per conversation (conversation)."""

from bot.langid.conversation import Decision, decide
from bot.langid.detector import (
    NO_LANGUAGE,
    SUPPORTED,
    Detection,
    LanguageIdentifier,
    default_identifier,
    normalise_hint,
)

# The parse-data property the NLU component writes and the slot mapping reads.
DETECTION_KEY = "language_detection"

__all__ = [
    "DETECTION_KEY",
    "NO_LANGUAGE",
    "SUPPORTED",
    "Decision",
    "Detection",
    "LanguageIdentifier",
    "decide",
    "default_identifier",
    "normalise_hint",
]
