"""An agent using the handoff JSON API (what the console does), over real HTTP."""
from __future__ import annotations

import time

import requests


class AgentClient:
    def __init__(self, url: str, username: str, password: str) -> None:
        self.url = url
        self.http = requests.Session()
        reply = self.http.post(f"{url}/api/login", json={"username": username, "password": password}, timeout=10)
        assert reply.status_code == 200, reply.text
        self.csrf = reply.json()["csrf_token"]

    def post(self, path: str, body: dict | None = None) -> requests.Response:
        return self.http.post(f"{self.url}{path}", json=body or {}, headers={"X-CSRF-Token": self.csrf}, timeout=15)

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.url}{path}", timeout=15)

    def heartbeat(self, available: bool) -> None:
        assert self.post("/api/presence", {"available": available}).status_code == 204

    def ticket(self, ticket_id: str) -> dict:
        reply = self.get(f"/api/tickets/{ticket_id}")
        assert reply.status_code == 200, reply.text
        return reply.json()

    def wait_for_ticket(self, predicate, timeout: float = 30) -> dict:
        """Poll the open tickets until one satisfies ``predicate`` (a condition, not a fixed sleep)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ticket in self.get("/api/tickets").json()["tickets"]:
                if predicate(ticket):
                    return ticket
            time.sleep(0.1)
        raise AssertionError("no such ticket appeared")

    def wait_for_transcript(self, ticket_id: str, texts: list[str], timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            transcript = self.ticket(ticket_id)["transcript"]
            if all(any(e["text"] == t for e in transcript) for t in texts):
                return transcript
            time.sleep(0.1)
        raise AssertionError(f"messages never reached the agent: {texts}")
