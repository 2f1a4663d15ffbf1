"""Typed keys for what the handoff application holds (opened and closed in app.py)."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from handoff.auth import Sessions
    from handoff.hub import Hub
    from handoff.queue import HandoffStore
    from handoff.rasa_client import RasaClient
    from handoff.settings import Settings

SETTINGS: web.AppKey["Settings"] = web.AppKey("settings")
STORE: web.AppKey["HandoffStore"] = web.AppKey("store")
SESSIONS: web.AppKey["Sessions"] = web.AppKey("sessions")
RASA: web.AppKey["RasaClient"] = web.AppKey("rasa")
HUB: web.AppKey["Hub"] = web.AppKey("hub")
STOPPING: web.AppKey[asyncio.Event] = web.AppKey("stopping")  # set on shutdown: loops finish
