"""Machine translation for the agent console: ``POST /api/translate``.

Customer messages are shown in the agent's language beside the original, and a reply
draft can be previewed in the customer's language before sending. Translation runs in
a worker thread with a timeout (bot/translation). Without a pack for the pair the
answer is a quiet ``{"available": false, ...}``, not an error.
"""
from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator

from aiohttp import web

from bot.translation import TranslationSettings, TranslationUnavailable, Translator
from bot.translation.engine import CODE
from handoff.api import ApiError, read_json, text_field

logger = logging.getLogger(__name__)

TRANSLATOR: web.AppKey[Translator] = web.AppKey("translator")


async def translator_ctx(app: web.Application) -> AsyncIterator[None]:
    app[TRANSLATOR] = Translator(TranslationSettings.from_env())
    yield
    app[TRANSLATOR].close()


def _language(data: dict, name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not CODE.match(value):
        raise ApiError(400, "unknown_language", f"'{name}' must be a language code such as 'el' or 'en'.")
    return value


async def translate(request: web.Request) -> web.Response:
    data = await read_json(request)
    text = text_field(data)
    source, target = _language(data, "source"), _language(data, "target")
    try:
        result = await request.app[TRANSLATOR].translate_async(text, source, target)
    except TranslationUnavailable:
        return web.json_response({"available": False, "reason": "no_pack", "source": source, "target": target,
                                  "message": f"Translation unavailable: no language pack for {source} → {target}."})
    except asyncio.TimeoutError:
        logger.warning("translation %s -> %s timed out", source, target)
        return web.json_response({"available": False, "reason": "timeout", "source": source, "target": target,
                                  "message": "Translation took too long; showing the original."})
    except Exception:  # noqa: BLE001 - a broken pack must not break the console
        logger.exception("translation %s -> %s failed", source, target)
        return web.json_response({"available": False, "reason": "failed", "source": source, "target": target,
                                  "message": "Translation failed; showing the original."})
    return web.json_response({"available": True, "translation": result.to_dict()})


def setup_translation_routes(app: web.Application) -> None:
    app.cleanup_ctx.append(translator_ctx)
    app.router.add_post("/api/translate", translate)
