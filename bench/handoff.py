"""Handoff benchmark: 100 escalations arriving together, time until each shows in a console.

    make bench        (or: .venv/bin/python -m bench.handoff)

Starts a private redis-server and the handoff service, logs an agent in, opens the
console's websocket, then creates 100 tickets at once the way action_handoff does and
measures, per ticket, the time from the start of its creation to its "ticket.created"
message arriving at the console. Prints p50/p95/max against a baseline measured in the
same run: a bare Redis stream write picked up by a blocking read (the transport floor).
Target: p95 <= 250 ms.
"""
from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
import redis.asyncio as aioredis

from handoff.auth import hash_password
from handoff.models import Agent, Department, Role, TicketContext, TranscriptEntry
from handoff.queue import HandoffStore
from scripts.stack import Stack, free_port

ESCALATIONS = 100
PASSWORD = "benchmark password"


def context(n: int) -> TicketContext:
    return TicketContext(
        conversation_id=f"bench-{n}", channel="socketio", sender_id=f"bench-{n}", customer_name=None,
        language="el", culture={"locale": "el-GR"},
        transcript=[TranscriptEntry(kind="customer", text="θέλω να μιλήσω με κάποιον", at=time.time(), author=None)],
        intents=[{"name": "request_human", "confidence": 0.98}], kb_offered=[], frustration=[], slots={},
        reason="customer_request", vip=False, contact_email=None,
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def baseline(client: aioredis.Redis, redis_url: str, rounds: int = ESCALATIONS) -> list[float]:
    """XADD then a blocking XREAD in another connection: the floor for any stream push."""
    stream = "rapport:bench:baseline"
    await client.delete(stream)
    other = aioredis.Redis.from_url(redis_url, decode_responses=True)
    samples = []
    last = await client.xadd(stream, {"n": "0"})
    for _ in range(rounds):
        read = asyncio.create_task(other.xread({stream: last}, block=5000, count=1))
        await asyncio.sleep(0)
        started = time.perf_counter()
        await client.xadd(stream, {"n": "1"})
        reply = await read
        samples.append(time.perf_counter() - started)
        last = reply[0][1][-1][0]
    await other.close()
    await client.delete(stream)
    return samples


async def run(url: str, redis_url: str) -> tuple[list[float], list[float]]:
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    store = HandoffStore(client)
    await store.save_department(Department(name="general", timezone="Europe/Athens"))
    await store.save_agent(Agent(id="bench", display_name="Bench", role=Role.supervisor, departments=("general",),
                                 languages=("el",), capacity=3, password_hash=hash_password(PASSWORD)))
    floor = await baseline(client, redis_url)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:  # 127.0.0.1 cookies
        async with http.post(f"{url}/api/login", json={"username": "bench", "password": PASSWORD}) as reply:
            csrf = (await reply.json())["csrf_token"]
        async with http.post(f"{url}/api/presence", json={"available": False},
                             headers={"X-CSRF-Token": csrf}) as reply:
            assert reply.status == 204
        async with http.ws_connect(f"{url}/ws") as ws:
            started: dict[str, float] = {}
            arrived: dict[str, float] = {}

            async def create(n: int) -> None:
                t0 = time.perf_counter()
                ticket, _ = await store.create_ticket(context(n), department="general")
                started[ticket.id] = t0

            async def listen() -> None:
                while len(arrived) < ESCALATIONS:
                    message = json.loads((await ws.receive()).data)
                    if message.get("type") == "ticket.created":
                        arrived[message["ticket"]["id"]] = time.perf_counter()

            listener = asyncio.create_task(listen())
            await asyncio.gather(*(create(n) for n in range(ESCALATIONS)))
            await asyncio.wait_for(listener, timeout=60)
    await client.close()
    return [arrived[t] - started[t] for t in started], floor


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(log_dir=Path(tmp) / "log")
        try:
            target = stack.start_redis(Path(tmp) / "redis", preferred_port=free_port())
            url = stack.start_handoff(free_port(), "http://127.0.0.1:9", "bench-token")
            latencies, floor = asyncio.run(run(url, target.url))
        finally:
            stack.stop()
    ms = [1000 * v for v in latencies]
    floor_ms = [1000 * v for v in floor]
    print(f"Handoff: {ESCALATIONS} escalations at once, enqueue -> agent console (websocket)")
    print(f"{'':<22} {'p50':>8} {'p95':>8} {'max':>8}")
    print(f"{'console latency':<22} {percentile(ms, .5):>6.1f}ms {percentile(ms, .95):>6.1f}ms {max(ms):>6.1f}ms")
    print(f"{'baseline (xadd->xread)':<22} {percentile(floor_ms, .5):>6.2f}ms {percentile(floor_ms, .95):>6.2f}ms "
          f"{max(floor_ms):>6.2f}ms")
    print(f"p95 ratio to baseline: {percentile(ms, .95) / max(percentile(floor_ms, .95), 1e-6):.0f}x; "
          f"target p95 <= 250 ms: {'met' if percentile(ms, .95) <= 250 else 'NOT met'}; "
          f"mean {statistics.mean(ms):.1f} ms")


if __name__ == "__main__":
    main()
