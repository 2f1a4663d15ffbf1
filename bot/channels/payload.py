"""Validation of what customers send through a channel, shared by the connectors.

A bad request is refused with a clear, machine-readable reason before it reaches the
dialogue, so it cannot change any conversation.
"""
from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128
DEFAULT_MAX_MESSAGE_CHARS = 4000


def max_message_chars() -> int:
    """RAPPORT_MAX_MESSAGE_CHARS, default 4000: longer messages are refused."""
    raw = os.environ.get("RAPPORT_MAX_MESSAGE_CHARS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_MESSAGE_CHARS


class PayloadError(ValueError):
    """A request that is refused: HTTP status, error code and a sentence for humans."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code

    def as_dict(self) -> dict[str, str]:
        return {"error": self.code, "message": str(self)}


@dataclass(frozen=True)
class IncomingMessage:
    sender: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


def clean_text(text: str) -> str:
    """NFC-normalised text without control characters (newlines and tabs are kept)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


def check_text(text: Any, limit: int | None = None) -> str:
    if not isinstance(text, str):
        raise PayloadError(400, "invalid_message", "'message' must be a string.")
    cleaned = clean_text(text)
    if not cleaned:
        raise PayloadError(400, "empty_message", "'message' is empty.")
    limit = limit or max_message_chars()
    if len(cleaned) > limit:
        raise PayloadError(
            413, "message_too_long", f"'message' has {len(cleaned)} characters; the limit is {limit}."
        )
    return cleaned


# Conversation ids that belong to the channels that create them (Telegram "tg:<chat id>",
# Messenger "fb:<page-scoped id>"): no other channel may name them, or a stranger posting
# {"sender": "tg:99887766"} would read and write that Telegram customer's conversation.
RESERVED_PREFIXES: tuple[str, ...] = ("tg:", "fb:")


def foreign_namespace(sender: str) -> bool:
    """Whether an id that a client chose names another channel's conversation."""
    return sender.strip().lower().startswith(RESERVED_PREFIXES)


def parse_rest_body(body: bytes) -> IncomingMessage:
    """Parse and validate a REST webhook body: {"sender", "message", "metadata"?}."""
    if len(body) > MAX_BODY_BYTES:
        raise PayloadError(413, "body_too_large", f"The request body is over {MAX_BODY_BYTES} bytes.")
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError(400, "invalid_encoding", f"The body is not valid UTF-8 (byte {exc.start}).") from None
    try:
        data = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise PayloadError(400, "invalid_json", f"The body is not valid JSON: {exc.msg}.") from None
    if not isinstance(data, dict):
        raise PayloadError(400, "invalid_payload", "The body must be a JSON object.")
    sender = data.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise PayloadError(400, "invalid_sender", "'sender' must be a non-empty string.")
    if len(sender) > MAX_SENDER_CHARS or any(unicodedata.category(ch) == "Cc" for ch in sender):
        raise PayloadError(
            400, "invalid_sender", f"'sender' must be printable and at most {MAX_SENDER_CHARS} characters."
        )
    if foreign_namespace(sender):
        raise PayloadError(400, "invalid_sender",
                           f"'sender' may not start with {' or '.join(map(repr, RESERVED_PREFIXES))}: those ids belong "
                           "to the Telegram and Messenger channels.")
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise PayloadError(400, "invalid_metadata", "'metadata' must be a JSON object.")
    return IncomingMessage(sender=sender.strip(), text=check_text(data.get("message")), metadata=metadata)
