"""Handoff service settings, read from the environment once (fail fast on bad values)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlparse


def _int(name: str, default: int, low: int = 1, high: int = 10**9) -> int:
    raw = os.environ.get(name, str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got '{raw}'")
    return int(raw)


def _public_url(name: str) -> str:
    raw = os.environ.get(name, "").strip().rstrip("/")
    if raw and (urlparse(raw).scheme not in ("http", "https") or not urlparse(raw).hostname):
        raise ValueError(f"{name} must be an http(s):// URL, got '{raw}'")
    return raw


@dataclass(frozen=True)
class Settings:
    redis_url: str
    rasa_url: str
    rasa_token: str
    host: str = "127.0.0.1"
    port: int = 5080
    session_ttl: int = 8 * 3600
    secure_cookies: bool = False
    heartbeat_ttl: int = 30
    rasa_timeout: float = 10.0
    instance: str = "handoff"
    widget_socket_url: str = ""  # empty: the demo page's host with Rasa's port

    @classmethod
    def from_env(cls) -> Settings:
        token = os.environ.get("RASA_TOKEN", "")
        if not token:
            raise ValueError("RASA_TOKEN must be set: the handoff service talks to Rasa's HTTP API with it")
        return cls(
            redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            rasa_url=os.environ.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
            rasa_token=token,
            host=os.environ.get("HANDOFF_HOST", "127.0.0.1"),
            port=_int("HANDOFF_PORT", 5080, 1, 65535),
            session_ttl=_int("HANDOFF_SESSION_TTL", 8 * 3600, 60),
            secure_cookies=os.environ.get("HANDOFF_SECURE_COOKIES", "") == "1",
            heartbeat_ttl=_int("HANDOFF_HEARTBEAT_TTL", 30, 5, 3600),
            instance=os.environ.get("HANDOFF_INSTANCE") or f"handoff-{os.getpid()}",
            widget_socket_url=_public_url("WIDGET_SOCKET_URL"),
        )
