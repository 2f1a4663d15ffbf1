"""Facebook Messenger: the page webhook and replies through the Send API.

``GET /webhooks/messenger/webhook`` answers Meta's subscription check (``hub.mode``,
``hub.verify_token``, ``hub.challenge``). ``POST`` carries page events signed with the
app secret in ``X-Hub-Signature-256``; the signature is checked on the raw body before
anything is read. Text, quick-reply presses and postbacks go through the handoff gate.
A message with ``attachments`` (photos, files, stickers; a shared link comes as a
``fallback`` attachment with the link as ``text``) goes to
``bot.channels.platform.deliver_attachment``: while a human agent owns the conversation,
the agent reads a placeholder such as ``[sticker 👍]`` (the like button) or
``[photo] <text>`` (the kinds are in ``ATTACHMENTS``); otherwise the message's text, if
any, is the customer's text, and without text the customer gets a polite note that only
text is understood. Echoes of the page's own messages, deliveries and reads are ignored.
Conversations are named ``fb:<page-scoped id>``.

Meta's 24-hour rule: the bot's own replies are sent as ``RESPONSE``; an agent's reply (a
bot event whose metadata has ``handoff_agent``, see handoff/rasa_client.py; Rasa merges
that metadata into the message it gives the output channel) goes with the
``HUMAN_AGENT`` tag, which allows it up to seven days after the customer wrote.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

import aiohttp
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
    fit_chars,
    not_configured,
    parse_json_body,
    placeholder,
    split_text,
)

logger = logging.getLogger(__name__)

CHANNEL = "messenger"
SENDER_PREFIX = "fb:"
DEFAULT_API_URL = "https://graph.facebook.com/v18.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_TEXT_CHARS = 2000
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20
MAX_QUICK_REPLY_PAYLOAD = 1000
PROFILE_TIMEOUT = aiohttp.ClientTimeout(total=2)
PROFILE_CACHE_SIZE = 10_000
PROFILE_RETRY_SECONDS = 600.0
# An attachment's type -> the kind an agent reads (the same words as on Telegram).
ATTACHMENTS = {
    "image": "photo", "video": "video", "audio": "audio", "file": "document", "location": "location",
    "fallback": "link", "reel": "reel", "ig_reel": "reel", "post": "post", "ig_post": "post",
}
# The like button sends one of these stickers (small, medium, large).
LIKE_STICKERS = {369239263222822, 369239343222814, 369239383222810}


@dataclass(frozen=True)
class MessengerSettings:
    page_access_token: str = ""
    app_secret: str = ""
    verify_token: str = ""
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> MessengerSettings:
        credentials = credentials or {}

        def value(key: str) -> str:
            return str(credentials.get(key) or "").strip()

        return cls(value("page_access_token"), value("app_secret"), value("verify_token"),
                   value("api_url").rstrip("/") or DEFAULT_API_URL)

    def missing(self) -> List[str]:
        return [name for name, value in (("MESSENGER_PAGE_ACCESS_TOKEN", self.page_access_token),
                                         ("MESSENGER_APP_SECRET", self.app_secret),
                                         ("MESSENGER_VERIFY_TOKEN", self.verify_token)) if not value]


def _configured(settings: MessengerSettings) -> None:
    if settings.missing():
        raise not_configured("Messenger", settings.missing())


def verify_subscription(settings: MessengerSettings, args: Dict[str, str]) -> str:
    """The challenge to echo when Meta's subscription check carries the right verify token."""
    _configured(settings)
    token = args.get("hub.verify_token") or ""
    if args.get("hub.mode") != "subscribe" or not hmac.compare_digest(
        token.encode("utf-8"), settings.verify_token.encode("utf-8")
    ):
        raise WebhookError(403, "invalid_verify_token",
                           "hub.mode must be 'subscribe' with the right hub.verify_token.")
    return args.get("hub.challenge") or ""


def signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def check_signature(settings: MessengerSettings, header: Optional[str], body: bytes) -> None:
    """Refuse the request unless X-Hub-Signature-256 signs the raw body with the app secret."""
    _configured(settings)
    if not header:
        raise WebhookError(401, "missing_signature", f"The {SIGNATURE_HEADER} header is missing.")
    expected = signature(settings.app_secret, body)
    if not hmac.compare_digest(header.strip().encode("utf-8"), expected.encode("utf-8")):
        raise WebhookError(403, "invalid_signature", f"The {SIGNATURE_HEADER} signature does not match.")


@dataclass(frozen=True)
class Event:
    """What one messaging event asks of the bot."""

    kind: str  # "text" (text, quick reply or postback), "attachment" or "ignored"
    psid: str = ""
    text: str = ""  # the text that came with an attachment, if any
    metadata: Dict[str, Any] = field(default_factory=dict)
    attachment: str = ""  # what an agent reads for it: "[photo]", "[sticker 👍]"

    @property
    def sender_id(self) -> str:
        return SENDER_PREFIX + self.psid


def describe_attachments(message: Dict[str, Any]) -> str:
    """The placeholders of a message's attachments; a sticker (sent as an image, or with
    the type "sticker") is one "[sticker]", the like button "[sticker 👍]"."""
    raw = message.get("attachments")
    attachments = [a for a in raw if isinstance(a, dict)] if isinstance(raw, list) else []
    stickers = [message.get("sticker_id")] + [
        a["payload"].get("sticker_id") for a in attachments if isinstance(a.get("payload"), dict)]
    sticker = next((s for s in stickers if isinstance(s, int) and not isinstance(s, bool)), None)
    if sticker is not None or any(a.get("type") == "sticker" for a in attachments):
        return placeholder("sticker", "👍" if sticker in LIKE_STICKERS else "")
    kinds = [ATTACHMENTS.get(a.get("type"), "attachment") for a in attachments] or ["attachment"]
    return " ".join(placeholder(kind) for kind in kinds)


def parse_event(event: Any) -> Event:
    if not isinstance(event, dict):
        return Event("ignored")
    sender = event.get("sender")
    psid = sender.get("id") if isinstance(sender, dict) else None
    if not isinstance(psid, str) or not psid:
        return Event("ignored")
    message = event.get("message")
    postback = event.get("postback")
    if isinstance(message, dict):
        if message.get("is_echo"):
            return Event("ignored")  # the page's own message coming back
        quick_reply = message.get("quick_reply")
        if isinstance(quick_reply, dict) and isinstance(quick_reply.get("payload"), str):
            return Event("text", psid, quick_reply["payload"])
        text = message.get("text") if isinstance(message.get("text"), str) else None
        if text is not None and not message.get("attachments"):
            return Event("text", psid, text)
        return Event("attachment", psid, text or "", attachment=describe_attachments(message))
    if isinstance(postback, dict) and isinstance(postback.get("payload"), str):
        return Event("text", psid, postback["payload"])
    return Event("ignored")  # delivery, read, reaction, referral...


def parse_events(body: Any) -> List[Event]:
    """The messaging events of a page webhook; a malformed body raises WebhookError (400)."""
    if not isinstance(body, dict) or body.get("object") != "page" or not isinstance(body.get("entry"), list):
        raise WebhookError(400, "invalid_payload",
                           'The body must be a page webhook: {"object": "page", "entry": [...]}.')
    events = []
    for entry in body["entry"]:
        messaging = entry.get("messaging") if isinstance(entry, dict) else None
        for item in messaging if isinstance(messaging, list) else []:
            events.append(parse_event(item))
    return [e for e in events if e.kind != "ignored"]


def normalise_locale(locale: Any) -> Optional[str]:
    """Meta's 'lt_LT' as BCP-47 'lt-LT'."""
    return locale.replace("_", "-") if isinstance(locale, str) and locale else None


def profile_metadata(profile: Any) -> Dict[str, Any]:
    """The metadata contract from a Graph API user profile."""
    if not isinstance(profile, dict):
        return {}
    metadata: Dict[str, Any] = {}
    locale = normalise_locale(profile.get("locale"))
    if locale:
        metadata["locale"] = locale
    for key in ("first_name", "last_name"):
        if isinstance(profile.get(key), str) and profile[key]:
            metadata[key] = profile[key]
    name = profile.get("name") if isinstance(profile.get("name"), str) else None
    name = name or " ".join(metadata[k] for k in ("first_name", "last_name") if k in metadata)
    if name:
        metadata["name"] = name
    return metadata


def quick_reply_buttons(buttons: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """At most 13 quick replies, titles cut to 20 characters."""
    if len(buttons) > MAX_QUICK_REPLIES:
        logger.info("messenger shows only %s of %s buttons", MAX_QUICK_REPLIES, len(buttons))
    replies = []
    for button in buttons[:MAX_QUICK_REPLIES]:
        title = str(button.get("title") or button.get("payload") or "")
        payload = str(button.get("payload") or title)[:MAX_QUICK_REPLY_PAYLOAD]
        title = fit_chars(title, MAX_QUICK_REPLY_TITLE)
        replies.append({"content_type": "text", "title": title, "payload": payload})
    return replies


def messaging_type(kwargs: Dict[str, Any]) -> Dict[str, str]:
    """An agent's reply goes with the HUMAN_AGENT tag; everything else is a RESPONSE."""
    if kwargs.get("handoff_agent"):
        return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
    return {"messaging_type": "RESPONSE"}


class MessengerOutput(OutputChannel):
    """Replies through the Send API (/me/messages); conversation ``fb:<psid>``."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    def __init__(self, settings: MessengerSettings) -> None:
        self.settings = settings

    @staticmethod
    def psid(recipient_id: Text) -> Text:
        return recipient_id[len(SENDER_PREFIX):] if recipient_id.startswith(SENDER_PREFIX) else recipient_id

    async def _post(self, recipient_id: Text, message: Dict[str, Any], kwargs: Dict[str, Any]) -> None:
        body = {"recipient": {"id": self.psid(recipient_id)}, **messaging_type(kwargs), "message": message}
        await call_api("POST", f"{self.settings.api_url}/me/messages", f"Messenger send to {recipient_id}",
                       json_body=body, params={"access_token": self.settings.page_access_token})

    async def _send(self, recipient_id: Text, text: Text, replies: Optional[List[Dict[str, Any]]],
                    kwargs: Dict[str, Any]) -> None:
        pieces = split_text(text or "", MAX_TEXT_CHARS) or ["…"]
        for index, piece in enumerate(pieces):
            message: Dict[str, Any] = {"text": piece}
            if replies and index == len(pieces) - 1:
                message["quick_replies"] = replies
            await self._post(recipient_id, message, kwargs)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, text, None, kwargs)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text, quick_reply_buttons(buttons), kwargs)

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text, quick_reply_buttons(quick_replies), kwargs)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        attachment = {"type": "image", "payload": {"url": image, "is_reusable": True}}
        await self._post(recipient_id, {"attachment": attachment}, kwargs)

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        # Custom payloads are meant for the website widget; raw JSON is no message for a customer.
        logger.debug("conversation %s: custom payload not sent on this channel", recipient_id)


class Profiles:
    """Customers' names and locales from the Graph API, cached in memory per customer.

    A slow or failed look-up only loses the hint, never the message; a failure is
    remembered for a while, so a page without profile access does not wait on every
    message."""

    def __init__(self, settings: MessengerSettings, size: int = PROFILE_CACHE_SIZE,
                 retry_after: float = PROFILE_RETRY_SECONDS) -> None:
        self.settings = settings
        self.size = size
        self.retry_after = retry_after
        self._cache: OrderedDict[str, Tuple[Dict[str, Any], float]] = OrderedDict()

    async def metadata(self, psid: str) -> Dict[str, Any]:
        cached = self._cache.get(psid)
        if cached is not None and cached[1] > time.monotonic():
            self._cache.move_to_end(psid)
            return dict(cached[0])
        profile = await call_api(
            "GET", f"{self.settings.api_url}/{psid}", f"Messenger profile of fb:{psid}",
            timeout=PROFILE_TIMEOUT,
            params={"fields": "first_name,last_name,locale", "access_token": self.settings.page_access_token},
        )
        metadata = profile_metadata(profile)
        self._cache[psid] = (metadata, time.monotonic() + (self.retry_after if profile is None else float("inf")))
        self._cache.move_to_end(psid)
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return dict(metadata)


class MessengerChannel(InputChannel):
    """GET/POST /webhooks/messenger/webhook, verified with the verify token and app secret."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(MessengerSettings.from_credentials(credentials))

    def __init__(self, settings: Optional[MessengerSettings] = None) -> None:
        self.settings = settings or MessengerSettings()
        self.profiles = Profiles(self.settings)
        self.background = Background()

    def get_output_channel(self) -> Optional[OutputChannel]:
        return MessengerOutput(self.settings) if not self.settings.missing() else None

    def verify(self, header: Optional[str], body: bytes) -> List[Event]:
        """Check the signature on the raw body, then read the events; raises WebhookError."""
        check_signature(self.settings, header, body)
        return parse_events(parse_json_body(body))

    async def process(self, event: Event, handle: Callable[[UserMessage], Awaitable[Any]]) -> None:
        output = MessengerOutput(self.settings)
        metadata = {**event.metadata, **await self.profiles.metadata(event.psid)}
        if event.kind == "attachment":
            await deliver_attachment(event.attachment, event.text, output, event.sender_id, metadata,
                                     self.name(), handle)
        else:
            await deliver(event.text, output, event.sender_id, metadata, self.name(), handle)

    async def process_all(self, events: List[Event], handle: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """One customer's events of a webhook, in their order."""
        for event in events:
            try:
                await self.process(event, handle)
            except Exception:
                logger.exception("conversation %s: processing a Messenger event failed", event.sender_id)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("rapport_messenger_webhook", __name__)
        webhook.listener("before_server_stop")(close_session)
        handle = gated(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": not self.settings.missing()})

        @webhook.route("/webhook", methods=["GET"])
        async def subscribe(request: Request) -> HTTPResponse:
            try:
                challenge = verify_subscription(self.settings, {k: request.args.get(k) for k in request.args})
            except WebhookError as error:
                logger.info("messenger subscription check refused: %s", error.code)
                return error.as_response()
            return response.text(challenge)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                events = self.verify(request.headers.get(SIGNATURE_HEADER), request.body or b"")
            except WebhookError as error:
                logger.info("messenger webhook refused a request: %s", error.code)
                return error.as_response()
            by_sender: Dict[str, List[Event]] = {}
            for event in events:  # Meta may batch several customers into one post
                by_sender.setdefault(event.sender_id, []).append(event)
            for sender_id, theirs in by_sender.items():
                self.background.run(self.process_all(theirs, handle), sender_id)
            return response.json({"ok": True})

        return webhook
