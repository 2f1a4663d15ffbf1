"""Small builders of valid records for the handoff tests."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

import redis.asyncio as aioredis

from handoff.models import Agent, Department, Role, TicketContext, TranscriptEntry

ClientFactory = Callable[..., Awaitable[aioredis.Redis]]  # opens another connection to the test db
PASSWORD = "a good long password"  # every agent's, in the API tests
TOKEN = "rasa-secret-token"


def context(conversation_id: str = "conv-1", *, language: str = "el", vip: bool = False,
            frustration: tuple[float, ...] = (), reason: str = "customer_request") -> TicketContext:
    return TicketContext(
        conversation_id=conversation_id, channel="rest", sender_id=conversation_id, language=language,
        reason=reason, customer_name="Μαρία", culture={"locale": "el-GR", "timezone": "Europe/Athens"},
        transcript=(TranscriptEntry(kind="customer", text="Θέλω να μιλήσω με άνθρωπο", at=1000.0,
                                    intent="request_human", confidence=0.93, language="el"),),
        intents=({"name": "request_human", "confidence": 0.93},), kb_offered=("billing-refunds",),
        frustration=frustration, slots={"language": language}, vip=vip,
    )


def agent(agent_id: str, *, departments: tuple[str, ...] = ("general",),
          languages: tuple[str, ...] = ("el", "en"),
          role: Role = Role.agent, capacity: int = 3) -> Agent:
    return Agent(id=agent_id, display_name=agent_id.title(), role=role, departments=departments,
                 languages=languages, capacity=capacity, password_hash="scrypt$x")


def department(name: str = "general", **kwargs: object) -> Department:
    return Department(name=name, **kwargs)


async def post(client, path: str, csrf: str | None, body: Any = None):
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    return await client.post(path, json=body if body is not None else {}, headers=headers)
