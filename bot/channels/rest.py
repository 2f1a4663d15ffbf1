"""REST input channel that validates what it receives.

Rasa's own RestInput passes an empty, missing or over-long message straight to the
dialogue and answers malformed JSON with an HTML error. This channel answers every bad
request with a JSON error (see bot.channels.payload) and never lets it touch a
conversation. While a human owns the conversation, messages go to the agent instead of
the bot (bot.channels.gate); REST cannot push, so agent replies reach a REST client
only through the conversation's tracker.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.gate import gated
from bot.channels.payload import PayloadError, parse_rest_body

logger = logging.getLogger(__name__)


class RestChannel(RestInput):
    """POST /webhooks/rest/webhook with {"sender", "message", "metadata"?}."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = Blueprint("rapport_rest_webhook", __name__)
        handle = gated(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                incoming = parse_rest_body(request.body or b"")
            except PayloadError as error:
                logger.info("rest webhook refused a request: %s", error.code)
                return response.json(error.as_dict(), status=error.status)
            collector = CollectingOutputChannel()
            try:
                await handle(
                    UserMessage(
                        incoming.text,
                        collector,
                        incoming.sender,
                        input_channel=self.name(),
                        metadata=incoming.metadata,
                    )
                )
            except Exception:  # the dialogue failed: say so instead of a partial answer
                logger.exception("conversation %s: message handling failed", incoming.sender)
                return response.json(
                    {"error": "unavailable", "message": "The assistant could not process the message."},
                    status=503,
                )
            return response.json(collector.messages)

        return webhook
