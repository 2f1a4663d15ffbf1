"""The running product for the benchmarks that talk to it as customers do.

``live_stack()`` starts Rapport the way ``make run`` does (scripts.stack): a private
redis-server on a free port, the action server, the handoff service with its NLG endpoint
and the Rasa server with the trained model, all on loopback; or, with ``--url`` and
``--token``, uses a stack that is already running. ``Conversation`` posts customer
messages over the REST channel and reads from the tracker what the bot did for each one.
"""
from __future__ import annotations

import contextlib
import json
import secrets
import signal
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from scripts.model import ensure_model
from scripts.stack import ROOT, Stack, free_port, rasa_env


@dataclass(frozen=True)
class Endpoint:
    url: str
    token: str


def _admin(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "handoff", "admin", *args], cwd=ROOT, env=rasa_env(env),
                   check=True, capture_output=True, text=True, timeout=60)


@contextlib.contextmanager
def live_stack(url: str | None = None, token: str | None = None) -> Iterator[Endpoint]:
    """The stack to talk to: the one at ``url``, or a private one started for the run."""
    if url:
        yield Endpoint(url.rstrip("/"), token or (ROOT / "var" / "rasa_token").read_text().strip())
        return
    model = ensure_model()
    # A terminated benchmark stops the processes it started (SystemExit runs the finally).
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp:
        root = Path(tmp)
        stack = Stack(log_dir=root / "log")
        stack.env["ARGOS_PACKAGES_DIR"] = str(root / "argos" / "packages")
        try:
            print("starting a private stack (Redis, action server, handoff service, Rasa)...", flush=True)
            stack.start_redis(root / "redis", preferred_port=free_port())
            # A department with an agent who is not logged in: a request for a person is
            # taken as an offline ticket (the bot asks for an e-mail address).
            _admin(stack.env, "department", "add", "general", "--timezone", "Europe/Athens")
            stack.start_actions(free_port())
            token = secrets.token_hex(16)
            handoff_port = free_port()
            stack.use_nlg(handoff_port, token)
            rasa_port = free_port()
            rasa_url = stack.start_rasa(model, rasa_port, token)
            stack.start_handoff(handoff_port, rasa_url, token)
            yield Endpoint(rasa_url, token)
        finally:
            stack.stop()


def _request(url: str, payload: Any | None = None, timeout: float = 60) -> Any:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        return json.loads(reply.read().decode())


@dataclass
class Turn:
    """What the bot did for one customer message."""

    texts: list[str]
    responses: list[str]          # the response names it sent (utter_...), in order
    actions: list[str]            # every action it ran
    slots: dict[str, Any]
    buttons: list[list[str]] = field(default_factory=list)  # button titles per message

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


class Conversation:
    """One customer's conversation over the REST channel."""

    def __init__(self, endpoint: Endpoint, sender: str | None = None,
                 metadata: dict[str, Any] | None = None) -> None:
        self.endpoint = endpoint
        self.sender = sender or f"bench-{secrets.token_hex(6)}"
        self.metadata = metadata or {}
        self._seen = 0

    def say(self, text: str) -> Turn:
        replies = _request(f"{self.endpoint.url}/webhooks/rest/webhook",
                           {"sender": self.sender, "message": text, "metadata": self.metadata})
        tracker = _request(f"{self.endpoint.url}/conversations/{self.sender}/tracker"
                           f"?token={self.endpoint.token}")
        events = tracker.get("events", [])
        new, self._seen = events[self._seen:], len(events)
        responses, actions = [], []
        for event in new:
            if event.get("event") == "bot":
                name = (event.get("metadata") or {}).get("utter_action")
                if name:
                    responses.append(name)
            elif event.get("event") == "action":
                actions.append(event.get("name"))
        return Turn(
            texts=[r["text"] for r in replies if r.get("text")],
            responses=responses,
            actions=actions,
            slots=tracker.get("slots", {}),
            buttons=[[b.get("title", "") for b in r.get("buttons") or []] for r in replies],
        )
