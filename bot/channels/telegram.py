"""Telegram: a webhook for Bot API updates and replies through the Bot API.

Telegram posts every update to ``/webhooks/telegram/webhook`` with the secret given to
``setWebhook`` in ``X-Telegram-Bot-Api-Secret-Token``; anything without the right secret
is refused before it is read. Text messages and button presses (callback queries) go
through the handoff gate like every channel. Stickers, photos, documents and other
attachments go to ``bot.channels.platform.deliver_attachment``: while a human agent owns
the conversation, the agent reads a placeholder such as ``[sticker 👍]`` or
``[photo] <caption>`` (the kinds are in ``ATTACHMENTS``); otherwise the caption of a
photo, video or document is the customer's text, and without one the customer gets a
polite note that only text is understood. Edited messages and updates without a message
(joins, polls...) are acknowledged and ignored. Conversations are named ``tg:<chat id>``.
"""
from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.gate import gated
from bot.channels.platform import (
    Background,
    WebhookError,
    call_api,
    close_session,
    deliver,
    deliver_attachment,
    fit_bytes,
    not_configured,
    parse_json_body,
    placeholder,
    split_text,
)

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
SENDER_PREFIX = "tg:"
DEFAULT_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_TEXT_CHARS = 4096
MAX_CALLBACK_BYTES = 64
# A message's field for something that is not text -> the kind an agent reads. Animations
# also carry a document and venues a location, so they come first.
ATTACHMENTS = {
    "sticker": "sticker", "photo": "photo", "animation": "GIF", "video": "video",
    "video_note": "video message", "voice": "voice message", "audio": "audio", "document": "document",
    "venue": "location", "location": "location", "contact": "contact", "poll": "poll", "dice": "dice",
}


@dataclass(frozen=True)
class TelegramSettings:
    token: str = ""
    secret_token: str = ""
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> TelegramSettings:
        credentials = credentials or {}
        return cls(
            token=str(credentials.get("token") or "").strip(),
            secret_token=str(credentials.get("secret_token") or "").strip(),
            api_url=str(credentials.get("api_url") or "").strip().rstrip("/") or DEFAULT_API_URL,
        )

    def missing(self) -> List[str]:
        return [name for name, value in (("TELEGRAM_TOKEN", self.token),
                                         ("TELEGRAM_SECRET_TOKEN", self.secret_token)) if not value]

    def method_url(self, method: str) -> str:
        return f"{self.api_url}/bot{self.token}/{method}"


def check_secret(settings: TelegramSettings, header: Optional[str]) -> None:
    """Refuse the request unless the secret header equals the configured secret."""
    if settings.missing():
        raise not_configured("Telegram", settings.missing())
    if not header:
        raise WebhookError(401, "missing_secret", f"The {SECRET_HEADER} header is missing.")
    if not hmac.compare_digest(header.encode("utf-8"), settings.secret_token.encode("utf-8")):
        raise WebhookError(403, "invalid_secret", f"The {SECRET_HEADER} header does not match.")


@dataclass(frozen=True)
class Update:
    """What one Telegram update asks of the bot."""

    kind: str  # "text" (a message or button press), "attachment" or "ignored"
    sender_id: str = ""
    text: str = ""  # an attachment's caption, if any
    metadata: Dict[str, Any] = field(default_factory=dict)
    callback_query_id: Optional[str] = None
    attachment: str = ""  # what an agent reads for it: "[photo]", "[sticker 👍]"


def user_metadata(user: Any) -> Dict[str, Any]:
    """The metadata contract from Telegram's ``from``: locale (language_code) and names."""
    if not isinstance(user, dict):
        return {}
    metadata: Dict[str, Any] = {}
    if isinstance(user.get("language_code"), str) and user["language_code"]:
        metadata["locale"] = user["language_code"]
    names = [user.get(k) for k in ("first_name", "last_name") if isinstance(user.get(k), str) and user.get(k)]
    for key in ("first_name", "last_name"):
        if isinstance(user.get(key), str) and user[key]:
            metadata[key] = user[key]
    if names:
        metadata["name"] = " ".join(names)
    return metadata


def describe_attachment(message: Dict[str, Any]) -> str:
    """The placeholder for a message that is not text; "[attachment]" for a kind not listed."""
    kind = next((kind for name, kind in ATTACHMENTS.items() if name in message), "attachment")
    sticker = message.get("sticker")
    emoji = sticker.get("emoji") if isinstance(sticker, dict) and kind == "sticker" else None
    return placeholder(kind, emoji if isinstance(emoji, str) else "")


def _chat_id(message: Any) -> Optional[str]:
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return str(chat_id) if isinstance(chat_id, (int, str)) and not isinstance(chat_id, bool) else None


def parse_update(update: Any) -> Update:
    """Read a Telegram Update object; anything malformed raises WebhookError (400)."""
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        raise WebhookError(400, "invalid_update", "The body is not a Telegram Update (no update_id).")
    query = update.get("callback_query")
    if isinstance(query, dict):
        user = query.get("from")
        chat_id = _chat_id(query.get("message"))
        if chat_id is None and isinstance(user, dict) and isinstance(user.get("id"), int):
            chat_id = str(user["id"])
        query_id = query.get("id") if isinstance(query.get("id"), str) else None
        data = query.get("data")
        if chat_id is None or not isinstance(data, str) or not data:
            return Update("ignored", callback_query_id=query_id)
        return Update("text", SENDER_PREFIX + chat_id, data, user_metadata(user), query_id)
    message = update.get("message")
    if not isinstance(message, dict):
        return Update("ignored")  # edited_message, channel_post, my_chat_member, poll...
    chat_id = _chat_id(message)
    if chat_id is None:
        raise WebhookError(400, "invalid_update", "The message has no chat id.")
    metadata = user_metadata(message.get("from"))
    text = message.get("text")
    if isinstance(text, str):
        return Update("text", SENDER_PREFIX + chat_id, text, metadata)
    caption = message.get("caption") if isinstance(message.get("caption"), str) else ""
    return Update("attachment", SENDER_PREFIX + chat_id, caption, metadata,
                  attachment=describe_attachment(message))


def inline_keyboard(buttons: List[Dict[str, Any]]) -> Dict[str, Any]:
    """One button per row; callback data is the payload, or the title when the payload
    is over Telegram's 64-byte limit (pressing it then reads like typing the title)."""
    rows = []
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "")
        if button.get("url"):
            rows.append([{"text": title, "url": button["url"]}])
            continue
        payload = str(button.get("payload") or title)
        if len(payload.encode("utf-8")) > MAX_CALLBACK_BYTES:
            payload = fit_bytes(title, MAX_CALLBACK_BYTES)
        rows.append([{"text": title, "callback_data": payload}])
    return {"inline_keyboard": rows}


class TelegramOutput(OutputChannel):
    """Replies through the Bot API's sendMessage; conversation ``tg:<chat id>``."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    def __init__(self, settings: TelegramSettings) -> None:
        self.settings = settings

    @staticmethod
    def chat_id(recipient_id: Text) -> Text:
        return recipient_id[len(SENDER_PREFIX):] if recipient_id.startswith(SENDER_PREFIX) else recipient_id

    async def _call(self, method: str, body: Dict[str, Any], recipient_id: Text) -> Optional[Any]:
        return await call_api("POST", self.settings.method_url(method),
                              f"Telegram {method} to {recipient_id}", json_body=body)

    async def _send(
        self, recipient_id: Text, text: Text, reply_markup: Optional[Dict[str, Any]] = None
    ) -> None:
        pieces = split_text(text or "", MAX_TEXT_CHARS) or [""]
        for index, piece in enumerate(pieces):
            if not piece and reply_markup is None:
                continue
            body: Dict[str, Any] = {"chat_id": self.chat_id(recipient_id), "text": piece or "…"}
            if reply_markup is not None and index == len(pieces) - 1:
                body["reply_markup"] = reply_markup
            await self._call("sendMessage", body, recipient_id)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text, inline_keyboard(buttons))

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text, inline_keyboard(quick_replies))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._call("sendPhoto", {"chat_id": self.chat_id(recipient_id), "photo": image}, recipient_id)

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        # Custom payloads are meant for the website widget; raw JSON is no message for a customer.
        logger.debug("conversation %s: custom payload not sent on this channel", recipient_id)

    async def answer_callback_query(self, query_id: str) -> None:
        await call_api("POST", self.settings.method_url("answerCallbackQuery"),
                       "Telegram answerCallbackQuery", json_body={"callback_query_id": query_id})


class TelegramChannel(InputChannel):
    """POST /webhooks/telegram/webhook, verified with the secret token."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(TelegramSettings.from_credentials(credentials))

    def __init__(self, settings: Optional[TelegramSettings] = None) -> None:
        self.settings = settings or TelegramSettings()
        self.background = Background()

    def get_output_channel(self) -> Optional[OutputChannel]:
        return TelegramOutput(self.settings) if not self.settings.missing() else None

    def verify(self, header: Optional[str], body: bytes) -> Update:
        """Check the secret, then read the update; raises WebhookError for a refused request."""
        check_secret(self.settings, header)
        return parse_update(parse_json_body(body))

    async def process(self, update: Update, handle: Callable[[UserMessage], Awaitable[Any]]) -> None:
        output = TelegramOutput(self.settings)
        if update.callback_query_id:
            await output.answer_callback_query(update.callback_query_id)
        if update.kind == "attachment":
            await deliver_attachment(update.attachment, update.text, output, update.sender_id,
                                     update.metadata, self.name(), handle)
        elif update.kind == "text":
            await deliver(update.text, output, update.sender_id, update.metadata, self.name(), handle)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("rapport_telegram_webhook", __name__)
        webhook.listener("before_server_stop")(close_session)
        handle = gated(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": not self.settings.missing()})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                update = self.verify(request.headers.get(SECRET_HEADER), request.body or b"")
            except WebhookError as error:
                logger.info("telegram webhook refused a request: %s", error.code)
                return error.as_response()
            if update.kind != "ignored" or update.callback_query_id:
                self.background.run(self.process(update, handle), update.sender_id or "telegram")
            return response.json({"ok": True})

        return webhook
