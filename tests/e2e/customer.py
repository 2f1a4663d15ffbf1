"""A customer on the website channel: a real socket.io client talking to Rasa."""
from __future__ import annotations

import queue
import uuid

import socketio


class SocketCustomer:
    def __init__(self, rasa_url: str, metadata: dict | None = None) -> None:
        self.session_id = uuid.uuid4().hex
        self.metadata = metadata or {}
        self.received: queue.Queue[dict] = queue.Queue()
        self._confirmed: queue.Queue[str] = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.received.put)
        self.client.on("session_confirm", self._confirmed.put)
        self.client.connect(rasa_url, transports=["polling"], socketio_path="/socket.io")
        self.client.emit("session_request", {"session_id": self.session_id})
        assert self._confirmed.get(timeout=30) == self.session_id

    def say(self, text: str) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id,
                                          "metadata": self.metadata})

    def next_text(self, timeout: float = 60) -> str:
        """The next message the bot (or an agent) sends; waits for it to arrive."""
        return self.received.get(timeout=timeout).get("text", "")

    def pending(self) -> list[dict]:
        items = []
        while not self.received.empty():
            items.append(self.received.get_nowait())
        return items

    def close(self) -> None:
        self.client.disconnect()
