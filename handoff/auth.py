"""Agent authentication: scrypt password hashes, Redis sessions, CSRF tokens, roles.

A login sets an HttpOnly, SameSite=Strict session cookie; the session in Redis carries a
CSRF token that every state-changing request must echo in ``X-CSRF-Token``. Sessions
expire after ``Settings.session_ttl`` seconds.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Awaitable, Callable

import redis.asyncio as aioredis
from aiohttp import web

from handoff import keys
from handoff.models import Agent, Role

logger = logging.getLogger(__name__)

COOKIE = "rapport_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({"/api/login", "/health"})
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD_CHARS = 8


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), dklen=len(expected),
                                n=int(n), r=int(r), p=int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class Session:
    token: str
    agent_id: str
    csrf: str

    def to_json(self) -> str:
        return json.dumps({"agent_id": self.agent_id, "csrf": self.csrf})


class Sessions:
    def __init__(self, redis: aioredis.Redis, ttl: int) -> None:
        self._redis = redis
        self._ttl = ttl

    async def create(self, agent_id: str) -> Session:
        session = Session(secrets.token_urlsafe(32), agent_id, secrets.token_urlsafe(24))
        await self._redis.set(keys.session(session.token), session.to_json(), ex=self._ttl)
        return session

    async def get(self, token: str | None) -> Session | None:
        if not token or len(token) > 128:
            return None
        raw = await self._redis.get(keys.session(token))
        if raw is None:
            return None
        data = json.loads(raw)
        await self._redis.expire(keys.session(token), self._ttl)  # sliding expiry
        return Session(token, data["agent_id"], data["csrf"])

    async def delete(self, token: str) -> None:
        await self._redis.delete(keys.session(token))


def json_error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def auth_middleware(sessions: Callable[[web.Request], Sessions], load_agent) -> Callable:
    """Require a session for /api/* and /ws, and a matching CSRF token on state changes."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if path in PUBLIC_PATHS or not (path.startswith("/api/") or path == "/ws"):
            return await handler(request)
        session = await sessions(request).get(request.cookies.get(COOKIE))
        agent: Agent | None = await load_agent(request, session.agent_id) if session else None
        if session is None or agent is None:
            return json_error(401, "not_authenticated", "Log in first.")
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
                logger.warning("agent %s: request to %s without a valid CSRF token", agent.id, path)
                return json_error(403, "csrf", "Missing or wrong CSRF token.")
        request["session"] = session
        request["agent"] = agent
        return await handler(request)

    return middleware


def set_session_cookie(response: web.StreamResponse, session: Session, ttl: int, secure: bool) -> None:
    response.set_cookie(COOKIE, session.token, max_age=ttl, httponly=True, samesite="Strict",
                        secure=secure, path="/")


def is_supervisor(agent: Agent) -> bool:
    return agent.role in (Role.supervisor, Role.admin)


def can_see(agent: Agent, department: str) -> bool:
    """Customer data is visible only to agents of the ticket's department and supervisors."""
    return is_supervisor(agent) or department in agent.departments
