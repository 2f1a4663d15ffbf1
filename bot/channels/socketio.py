"""Socket.IO channel for the website widget, with session persistence that works.

Rasa 3.6's SocketIOInput calls ``sio.enter_room(...)`` without ``await`` when session
persistence is on (rasa#13027): the coroutine never runs, the socket never joins the
room named after the session, and every message pushed later (an agent's reply, a
reminder) goes nowhere. This channel awaits it, re-joins the room when a page reloads
mid-conversation, validates messages, and routes human-owned conversations through the
handoff gate.

Metadata (the visitor's ``locale``, ``timezone``, ``name``...) is read from the key set as
``metadata_key`` in credentials.yml (``customData`` for rasa-webchat), or from Rasa's
default key ``metadata``. A bad message is answered with a ``rapport_error`` event
({"error": code, "message": sentence}) and never reaches the conversation.

With several Rasa replicas a visitor's socket lives on one of them, while an agent's
reply may be sent through another. When ``REDIS_URL`` is set (``make run`` sets it), the
socket.io server shares its messages through Redis (python-socketio's
``AsyncRedisManager``, channel ``rapport:socketio``): a message emitted to a session's
room on any replica reaches the socket wherever it is.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from bot.channels.gate import gated
from bot.channels.payload import MAX_SENDER_CHARS, PayloadError, check_text, foreign_namespace

logger = logging.getLogger(__name__)

ERROR_EVENT = "rapport_error"
DEFAULT_METADATA_KEY = "metadata"
MAX_METADATA_CHARS = 4096
PUBSUB_CHANNEL = "rapport:socketio"


def client_manager() -> Optional[AsyncRedisManager]:
    """Redis-backed sharing of messages between replicas, when Redis is configured."""
    url = os.environ.get("REDIS_URL")
    return AsyncRedisManager(url, channel=PUBSUB_CHANNEL) if url else None


def read_metadata(data: Dict[Text, Any], key: Optional[Text]) -> Dict[Text, Any]:
    """The message's metadata object: under ``key``, else under Rasa's default key.

    rasa-webchat sends it as ``customData`` (an object); other clients may send a JSON
    string. Anything that is not an object, or is over MAX_METADATA_CHARS as JSON, is
    refused.
    """
    raw = data.get(key) if key else None
    if raw is None:
        raw = data.get(DEFAULT_METADATA_KEY)
    if raw is None or raw == "":
        return {}
    try:
        metadata = json.loads(raw) if isinstance(raw, str) else raw
        size = len(json.dumps(metadata, ensure_ascii=False))
    except (TypeError, ValueError):
        raise PayloadError(400, "invalid_metadata", "Metadata must be a JSON object.") from None
    if not isinstance(metadata, dict):
        raise PayloadError(400, "invalid_metadata", "Metadata must be a JSON object.")
    if size > MAX_METADATA_CHARS:
        raise PayloadError(413, "metadata_too_large", f"Metadata is over {MAX_METADATA_CHARS} characters.")
    return metadata


def valid_session_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_SENDER_CHARS
        and value.isprintable()
        and not value.isspace()
        and not foreign_namespace(value)  # a Telegram or Messenger conversation is not a session
    )


class SocketIOChannel(SocketIOInput):
    """Rasa's socket.io channel with the room fix, validation and the handoff gate."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], client_manager=client_manager())
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        handle = gated(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not valid_session_id(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def refuse(sid: Text, error: PayloadError) -> None:
            logger.info("socket.io channel refused a message: %s", error.code)
            await sio.emit(ERROR_EVENT, error.as_dict(), room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict):
                await refuse(sid, PayloadError(400, "invalid_payload", "A message must be an object."))
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not valid_session_id(sender_id):
                    await refuse(sid, PayloadError(400, "no_session", "Request a session first."))
                    return
                # A reloaded page sends with its old session id: make sure this socket
                # is in that room, so pushed messages reach it.
                await sio.enter_room(sid, sender_id, namespace=self.namespace)
            else:
                sender_id = sid
            try:
                text = check_text(data.get("message"))
                metadata = read_metadata(data, self.metadata_key)
            except PayloadError as error:
                await refuse(sid, error)
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            try:
                await handle(UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata))
            except Exception:  # the dialogue failed: say so instead of leaving the visitor waiting
                logger.exception("conversation %s: message handling failed", sender_id)
                await refuse(sid, PayloadError(503, "unavailable", "The message could not be processed."))

        return webhook
