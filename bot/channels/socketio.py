"""Socket.IO channel for the website widget, with session persistence that works.

Rasa 3.6's SocketIOInput calls ``sio.enter_room(...)`` without ``await`` when session
persistence is on (rasa#13027): the coroutine never runs, the socket never joins the
room named after the session, and every message pushed later (an agent's reply, a
reminder) goes nowhere. This channel awaits it, re-joins the room when a page reloads
mid-conversation, validates messages, and routes human-owned conversations through the
handoff gate.
"""
from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.gate import gated
from bot.channels.payload import PayloadError, check_text

logger = logging.getLogger(__name__)

ERROR_EVENT = "rapport_error"
MAX_SESSION_ID_CHARS = 128


class SocketIOChannel(SocketIOInput):
    """Rasa's socket.io channel with the room fix, validation and the handoff gate."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
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
            if not isinstance(session_id, str) or not 0 < len(session_id) <= MAX_SESSION_ID_CHARS:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                await sio.emit(ERROR_EVENT, {"error": "invalid_payload"}, room=sid, namespace=self.namespace)
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not isinstance(sender_id, str) or not sender_id:
                    await sio.emit(ERROR_EVENT, {"error": "no_session"}, room=sid, namespace=self.namespace)
                    return
                # A reloaded page sends with its old session id: make sure this socket
                # is in that room, so pushed messages reach it.
                await sio.enter_room(sid, sender_id, namespace=self.namespace)
            else:
                sender_id = sid
            try:
                text = check_text(data.get("message"))
                metadata = data.get(self.metadata_key) or {}
                if isinstance(metadata, str):
                    metadata = json.loads(metadata)
                if not isinstance(metadata, dict):
                    raise PayloadError(400, "invalid_metadata", "metadata must be an object")
            except (PayloadError, ValueError) as error:
                code = error.code if isinstance(error, PayloadError) else "invalid_metadata"
                await sio.emit(ERROR_EVENT, {"error": code}, room=sid, namespace=self.namespace)
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            await handle(UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata))

        return webhook
