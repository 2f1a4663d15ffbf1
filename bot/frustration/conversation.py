"""From one message's score to the conversation's frustration level and trend.

The level a message leaves (the ``frustration`` slot) combines, like the message score
(bot.frustration.score.combine), the message's own score, what the conversation adds
and half of the level before: fallbacks in a row, the same question asked again, a
long wait for the bot's last reply or in the queue. A calm message lets the level fall
by half; anger that keeps coming adds up.

The trend (the ``frustration_trend`` slot) is "rising", "steady" or "falling": the new
level against the one before, with ``TREND_STEP`` as the dead band.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.frustration.score import REPEATED_MESSAGE, Score, combine

TREND_VALUES = ("rising", "steady", "falling")
TREND_STEP = 0.1
CARRY_OVER = 0.5             # share of the previous level a new message starts from
FALLBACK_WEIGHT = 0.15       # per fallback or knowledge-base miss in a row
FALLBACK_MAX = 0.45
SLOW_REPLY_SECONDS = (60.0, 180.0)      # the bot's last reply came this long after the customer wrote
SLOW_REPLY_WEIGHTS = (0.2, 0.35)
QUEUE_WAIT_SECONDS = (300.0, 900.0)     # waiting for a person this long
QUEUE_WAIT_WEIGHTS = (0.3, 0.45)


@dataclass(frozen=True)
class Context:
    """What the conversation adds to a message."""

    misses_in_row: int = 0           # fallbacks / knowledge-base misses just before this message
    repeated: bool = False           # the customer asked the same thing before
    reply_delay: float = 0.0         # seconds the bot took to answer the previous message
    queue_wait: float = 0.0          # seconds waited for a person so far


@dataclass(frozen=True)
class Level:
    level: float
    trend: str
    reasons: tuple[str, ...]


def _stepped(value: float, limits: tuple[float, float], weights: tuple[float, float]) -> float:
    if value >= limits[1]:
        return weights[1]
    return weights[0] if value >= limits[0] else 0.0


def trend(previous: float, level: float) -> str:
    if level - previous >= TREND_STEP:
        return "rising"
    if previous - level >= TREND_STEP:
        return "falling"
    return "steady"


def next_level(message: Score, context: Context, previous: float | None) -> Level:
    before = max(0.0, min(1.0, previous or 0.0))
    weights = [message.score]
    reasons = list(message.reasons)
    if context.misses_in_row > 0:
        weights.append(min(FALLBACK_MAX, FALLBACK_WEIGHT * context.misses_in_row))
        reasons.append(f"{context.misses_in_row} not understood in a row")
    if context.repeated and "repeated message" not in reasons:
        weights.append(REPEATED_MESSAGE)
        reasons.append("same question again")
    slow = _stepped(context.reply_delay, SLOW_REPLY_SECONDS, SLOW_REPLY_WEIGHTS)
    if slow:
        weights.append(slow)
        reasons.append(f"waited {int(context.reply_delay)} s for a reply")
    queued = _stepped(context.queue_wait, QUEUE_WAIT_SECONDS, QUEUE_WAIT_WEIGHTS)
    if queued:
        weights.append(queued)
        reasons.append(f"waited {int(context.queue_wait // 60)} min in the queue")
    if before:
        weights.append(before * CARRY_OVER)
    level = combine(weights)
    return Level(round(level, 3), trend(before, level), tuple(reasons))
