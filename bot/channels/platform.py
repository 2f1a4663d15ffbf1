"""What the Telegram and Messenger connectors share.

Both platforms post webhooks that must be answered quickly (they retry otherwise), so a
verified update is handed to a background task and answered with 200 at once. Both send
replies over HTTPS with a token, and both receive things the bot cannot read (stickers,
photos, voice...), handled by ``deliver_attachment``:

- while a human agent owns the conversation, the agent gets a placeholder through the
  handoff gate, exactly like a customer's text, and the customer gets no note. The
  placeholder is the kind in square brackets, with the sticker's emoji when there is one,
  then the caption if any: ``[sticker 👍]``, ``[photo] Is this the right cable?``,
  ``[photo] [photo]`` (two at once). The bracketed words are the same English words
  whatever the customer's language, so an agent recognises them in every conversation;
- otherwise a caption is the customer's text for the bot, and without one the customer is
  told, in their language, that only text is understood.

A caption never cancels a handoff that is still waiting: only a text message does.
"""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Optional

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import response
from sanic.response import HTTPResponse

from bot.channels.gate import route_to_human
from bot.channels.payload import PayloadError, check_text, clean_text
from bot.langid.detector import normalise_hint
from bot.phrasing.templates import FALLBACK_LANGUAGE, templates

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 256 * 1024
SEND_TIMEOUT = aiohttp.ClientTimeout(total=10)
TEXT_ONLY = "utter_channel_text_only"
TOO_LONG = "utter_channel_too_long"


class WebhookError(ValueError):
    """A webhook request that is refused: HTTP status, error code and a sentence for humans."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code

    def as_response(self) -> HTTPResponse:
        return response.json({"error": self.code, "message": str(self)}, status=self.status)


def not_configured(platform: str, variables: list[str]) -> WebhookError:
    return WebhookError(503, "not_configured", f"{platform} is not configured: set {', '.join(variables)}.")


def parse_json_body(body: bytes) -> Any:
    """The webhook body as JSON; a bad body raises WebhookError (400/413)."""
    if len(body) > MAX_WEBHOOK_BYTES:
        raise WebhookError(413, "body_too_large", f"The request body is over {MAX_WEBHOOK_BYTES} bytes.")
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise WebhookError(400, "invalid_encoding", "The body is not valid UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise WebhookError(400, "invalid_json", f"The body is not valid JSON: {exc.msg}.") from None


def split_text(text: str, limit: int) -> list[str]:
    """Text in pieces of at most ``limit`` characters, cut at a line break or space when possible."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def fit_bytes(text: str, limit: int) -> str:
    """The longest prefix of ``text`` whose UTF-8 encoding fits in ``limit`` bytes."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def fit_chars(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def notice_text(name: str, sender_id: str, metadata: dict[str, Any]) -> str:
    """Message ``name`` of data/responses in the conversation's language (else the locale's)."""
    language = await conversation_language(sender_id) or normalise_hint(metadata.get("locale"))
    return templates().render(name, language or FALLBACK_LANGUAGE).text


async def tell_text_only(output: OutputChannel, sender_id: str, metadata: dict[str, Any]) -> None:
    """Sticker, photo, voice...: tell the customer that only text is understood (the
    connector answers itself; nothing reaches the dialogue or the tracker)."""
    logger.info("conversation %s: attachment without text, telling the customer", sender_id)
    await output.send_text_message(sender_id, await notice_text(TEXT_ONLY, sender_id, metadata))


def placeholder(kind: str, detail: str = "") -> str:
    """What an agent reads for one attachment: ``[photo]``, ``[sticker 👍]``."""
    return f"[{kind} {detail}]" if detail else f"[{kind}]"


async def checked_text(
    text: str, output: OutputChannel, sender_id: str, metadata: dict[str, Any]
) -> Optional[str]:
    """The text as bot.channels.payload cleans it, or None: an over-long message gets a
    polite note, an empty one is dropped."""
    try:
        return check_text(text)
    except PayloadError as error:
        logger.info("conversation %s: message refused (%s)", sender_id, error.code)
        if error.status == 413:
            await output.send_text_message(sender_id, await notice_text(TOO_LONG, sender_id, metadata))
        return None


async def deliver(
    text: str,
    output: OutputChannel,
    sender_id: str,
    metadata: dict[str, Any],
    channel: str,
    handle: Callable[[UserMessage], Awaitable[Any]],
) -> None:
    """Check the text and hand it to the gated dialogue (``handle``)."""
    cleaned = await checked_text(text, output, sender_id, metadata)
    if cleaned is not None:
        await handle(UserMessage(cleaned, output, sender_id, input_channel=channel, metadata=metadata))


async def deliver_attachment(
    attachment: str,
    caption: str,
    output: OutputChannel,
    sender_id: str,
    metadata: dict[str, Any],
    channel: str,
    handle: Callable[[UserMessage], Awaitable[Any]],
) -> None:
    """An attachment's ``placeholder`` (or several) and its caption, if any: to the agent
    when a human owns the conversation; else the caption to the bot, or the text-only note."""
    caption = clean_text(caption)
    if caption and await checked_text(caption, output, sender_id, metadata) is None:
        return  # too long: the customer was told, as for any text
    forwarded = UserMessage(f"{attachment} {caption}".strip(), output, sender_id, input_channel=channel,
                            metadata=metadata)
    if await route_to_human(forwarded, may_cancel=False):
        return
    if caption:
        await deliver(caption, output, sender_id, metadata, channel, handle)
    else:
        await tell_text_only(output, sender_id, metadata)


async def conversation_language(sender_id: str) -> Optional[str]:
    """The conversation's language slot, if the conversation exists in this Rasa server."""
    try:
        from sanic import Sanic

        agent = Sanic.get_app().ctx.agent
        tracker = await agent.tracker_store.retrieve(sender_id)
    except Exception:  # no app, no agent or the tracker store is down: use the hint
        logger.debug("conversation %s: language slot unavailable", sender_id, exc_info=True)
        return None
    return tracker.get_slot("language") if tracker is not None else None


class Background:
    """Runs verified webhook updates after the platform got its 200; failures are logged.

    Updates of one conversation run one after another, in the order they arrived, so a
    quick second message is never answered before the first."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task] = set()
        self._last: dict[str, asyncio.Task] = {}

    def run(self, work: Awaitable[Any], sender_id: str) -> None:
        task = asyncio.ensure_future(self._guard(work, sender_id, self._last.get(sender_id)))
        self._tasks.add(task)
        self._last[sender_id] = task
        task.add_done_callback(lambda done: self._forget(done, sender_id))

    def _forget(self, task: asyncio.Task, sender_id: str) -> None:
        self._tasks.discard(task)
        if self._last.get(sender_id) is task:
            del self._last[sender_id]

    async def drain(self) -> None:
        """Wait until every update handed over so far has been processed."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    @staticmethod
    async def _guard(work: Awaitable[Any], sender_id: str, previous: Optional[asyncio.Task]) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        try:
            await work
        except Exception:
            logger.exception("conversation %s: processing a webhook update failed", sender_id)


async def call_api(
    method: str,
    url: str,
    what: str,
    *,
    json_body: Optional[dict[str, Any]] = None,
    params: Optional[dict[str, str]] = None,
    timeout: aiohttp.ClientTimeout = SEND_TIMEOUT,
) -> Optional[Any]:
    """One HTTPS call to a platform API; the JSON answer, or None after logging the failure."""
    try:
        async with api_session().request(method, url, json=json_body, params=params,
                                         timeout=timeout) as reply:
            if reply.status >= 300:
                body = await reply.text()
                logger.warning("%s failed: HTTP %s %s", what, reply.status, body[:200])
                return None
            return await reply.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        logger.warning("%s failed: %s", what, error.__class__.__name__)
        return None


# One session per event loop, shared by every call of both connectors: replies reuse
# the platform's keep-alive connections instead of a new TLS handshake per message.
# Output channels are short-lived (Rasa makes one per request), so the session cannot
# live on them.
_SESSIONS: dict[int, tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}


def api_session() -> aiohttp.ClientSession:
    loop = asyncio.get_running_loop()
    found = _SESSIONS.get(id(loop))
    if found is not None and found[0] is loop and not found[1].closed:
        return found[1]
    for key, (other, _) in list(_SESSIONS.items()):
        if other.is_closed():
            del _SESSIONS[key]  # a finished loop's session: its connections went with it
    session = aiohttp.ClientSession()
    _SESSIONS[id(loop)] = (loop, session)
    return session


async def close_session(*_: Any) -> None:
    """Close this loop's session (a server-stop listener of both connectors)."""
    found = _SESSIONS.pop(id(asyncio.get_running_loop()), None)
    if found is not None:
        await found[1].close()

