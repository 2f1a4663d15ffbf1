"""Frustration detection: how much a customer is losing patience, and why.

Pure Python, no Rasa: ``score_message`` scores one message (lexicons per language,
capitals, repeated punctuation, emoji, a repeated message); ``conversation`` combines
that with what happened in the conversation (fallbacks, the same question again, long
waits) into the level and trend the ``frustration`` slots hold.
"""
from bot.frustration.conversation import Context, Level, TREND_VALUES, next_level
from bot.frustration.score import NONE, Score, score_message

# The parse-data property the NLU component writes and the slot mapping reads.
SCORE_KEY = "frustration_detection"

__all__ = ["Context", "Level", "NONE", "SCORE_KEY", "Score", "TREND_VALUES", "next_level", "score_message"]
