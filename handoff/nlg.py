"""The NLG endpoint (POST /nlg): Rasa asks it for the text of every bot response.

Rasa's NLG server protocol: the request is ``{"response": name, "arguments": {...},
"tracker": {...}, "channel": {"name": ...}}`` (older Rasa sends ``template`` instead of
``response``); the reply is ``{"text", "buttons", "image", "elements", "attachment",
"custom"}``. The text comes from data/responses, adapted to the customer's culture
(bot/phrasing/render.py). Rasa sends the API token as ``Authorization: Bearer <token>``
(endpoints.yml); anything else is refused. A malformed request gets a 400 JSON error, an
unknown response name a 404 JSON error.
"""
from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web

from bot.phrasing.render import nlg_reply
from handoff.api import ApiError
from handoff.state import SETTINGS

logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024 * 1024  # the whole tracker comes with every request
MAX_NAME = 100


def authorised(request: web.Request) -> bool:
    sent = request.headers.get("Authorization", "")
    expected = f"Bearer {request.app[SETTINGS].rasa_token}"
    return hmac.compare_digest(sent.encode(), expected.encode())


async def read_body(request: web.Request) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError(413, "body_too_large", f"The body is over {MAX_BODY} bytes.")
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > MAX_BODY:
            raise ApiError(413, "body_too_large", f"The body is over {MAX_BODY} bytes.")
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "invalid_json", "The body is not UTF-8 JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_payload", "The body must be a JSON object.")
    return data


def parse_request(data: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(response name, arguments, tracker state) from an NLG request."""
    name = data.get("response") or data.get("template")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise ApiError(400, "invalid_response", "'response' must be a response name (a non-empty string).")
    arguments = {} if data.get("arguments") is None else data["arguments"]
    tracker = {} if data.get("tracker") is None else data["tracker"]
    if not isinstance(arguments, dict):
        raise ApiError(400, "invalid_arguments", "'arguments' must be an object.")
    if not isinstance(tracker, dict) or not isinstance(tracker.get("slots"), (dict, type(None))) \
            or not isinstance(tracker.get("events"), (list, type(None))):
        raise ApiError(400, "invalid_tracker", "'tracker' must be an object with 'slots' and 'events'.")
    if "channel" in data and not isinstance(data["channel"], (dict, type(None))):
        raise ApiError(400, "invalid_channel", "'channel' must be an object.")
    return name.strip(), arguments, tracker


async def generate(request: web.Request) -> web.Response:
    if not authorised(request):
        raise ApiError(401, "not_authenticated",
                       "The NLG endpoint needs the API token (Authorization: Bearer).")
    name, arguments, tracker = parse_request(await read_body(request))
    try:
        reply = nlg_reply(name, tracker, arguments)
    except KeyError:
        raise ApiError(404, "unknown_response", f"No response named '{name}' in data/responses.") from None
    logger.debug("conversation %s: rendered %s", tracker.get("sender_id"), name)
    return web.json_response(reply)


def setup_nlg_routes(app: web.Application) -> None:
    app.router.add_post("/nlg", generate)
