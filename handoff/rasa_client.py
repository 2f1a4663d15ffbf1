"""Rasa's HTTP API, as the handoff service uses it (the token never leaves the server).

Agent replies are appended to the conversation as bot events with
``execute_side_effects`` and the customer's own ``output_channel``, so every channel that
can push (socket.io, Telegram, Messenger) delivers them without a second set of channel
clients. Hand-back and close run an action through ``/execute`` on the same channel.
"""
from __future__ import annotations

import logging
from urllib.parse import quote

import aiohttp

logger = logging.getLogger(__name__)


class RasaError(RuntimeError):
    """Rasa did not accept a request; the message says what it answered."""


class RasaClient:
    def __init__(self, session: aiohttp.ClientSession, url: str, token: str, timeout: float = 10.0) -> None:
        self._session = session
        self._url = url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def _post(self, path: str, params: dict[str, str], body: dict) -> dict:
        url = f"{self._url}/conversations/{quote(path[0], safe='')}/{path[1]}"
        try:
            async with self._session.post(url, params={**params, "token": self._token}, json=body,
                                          timeout=self._timeout) as reply:
                if reply.status >= 300:
                    text = await reply.text()
                    raise RasaError(f"Rasa answered {reply.status}: {text[:300]}")
                return await reply.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaError(f"Rasa is unreachable: {error}") from error

    async def send_agent_message(self, conversation_id: str, channel: str, text: str, agent_name: str) -> None:
        """Deliver an agent's reply to the customer on their own channel."""
        await self._post(
            (conversation_id, "tracker/events"),
            {"output_channel": channel, "execute_side_effects": "true"},
            {"event": "bot", "text": text, "metadata": {"handoff_agent": agent_name}},
        )

    async def execute(self, conversation_id: str, channel: str, action: str) -> None:
        await self._post((conversation_id, "execute"), {"output_channel": channel}, {"name": action})
