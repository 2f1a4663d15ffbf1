"""Command line for operators: departments, agents, canned responses.

    python -m handoff admin department add general --timezone Europe/Athens \
        --hours "mon-fri 09:00-17:00" --sla 300
    python -m handoff admin agent add maria --name "Maria P." --role agent \
        --departments general --languages el,en --capacity 3      (asks for the password)
    python -m handoff admin canned add --language el greeting "Καλησπέρα σας, ..."
    python -m handoff admin list

Reads REDIS_URL like the service. Passwords come from a prompt, or from standard input
with --password-stdin (for scripts); never from the command line.
"""
from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import re
import sys
from pathlib import Path

import redis.asyncio as aioredis

from handoff.auth import hash_password
from handoff.models import Agent, Department, Role
from handoff.queue import HandoffStore

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS_RE = re.compile(r"^(\w{3})(?:-(\w{3}))?\s+(\d{2}:\d{2})-(\d{2}:\d{2})$")


def parse_hours(specs: list[str]) -> dict[str, list[list[str]]]:
    """["mon-fri 09:00-17:00", "sat 10:00-14:00"] -> {"mon": [["09:00", "17:00"]], ...}."""
    hours: dict[str, list[list[str]]] = {}
    for spec in specs:
        found = _HOURS_RE.match(spec.strip().lower())
        if not found or found.group(1) not in DAYS or (found.group(2) and found.group(2) not in DAYS):
            raise ValueError(f"hours must look like 'mon-fri 09:00-17:00', got {spec!r}")
        first, last = DAYS.index(found.group(1)), DAYS.index(found.group(2) or found.group(1))
        for day in DAYS[first:last + 1]:
            hours.setdefault(day, []).append([found.group(3), found.group(4)])
    return hours


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m handoff admin", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    nouns = root.add_subparsers(dest="noun", required=True)

    department = nouns.add_parser("department").add_subparsers(dest="verb", required=True)
    add_department = department.add_parser("add", help="create or update a department")
    add_department.add_argument("name")
    add_department.add_argument("--timezone", default="UTC")
    add_department.add_argument("--hours", action="append", default=[],
                                help="'mon-fri 09:00-17:00' (repeat; none = always open)")
    add_department.add_argument("--sla", type=int, default=300, help="first-response target, seconds")
    add_department.add_argument("--handle-time", type=int, default=300, help="average handling time, seconds")
    add_department.add_argument("--topics", type=_csv, default=(),
                                help="knowledge-base article ids or id prefixes this team owns, e.g. metric-,crm-software")

    agent = nouns.add_parser("agent").add_subparsers(dest="verb", required=True)
    add_agent = agent.add_parser("add", help="create or update an agent")
    add_agent.add_argument("id")
    add_agent.add_argument("--name", required=True)
    add_agent.add_argument("--role", choices=[r.value for r in Role], default=Role.agent.value)
    add_agent.add_argument("--departments", type=_csv, default=("general",))
    add_agent.add_argument("--languages", type=_csv, default=("en",))
    add_agent.add_argument("--capacity", type=int, default=3)
    add_agent.add_argument("--password-stdin", action="store_true")

    canned = nouns.add_parser("canned").add_subparsers(dest="verb", required=True)
    add_canned = canned.add_parser("add", help="add or replace a canned response")
    add_canned.add_argument("--language", required=True, choices=["el", "ru", "lt", "en"])
    add_canned.add_argument("name")
    add_canned.add_argument("text")

    nouns.add_parser("list", help="show departments and agents")
    return root


async def run(args: argparse.Namespace, store: HandoffStore) -> str:
    if args.noun == "department":
        department = Department(name=args.name, timezone=args.timezone, hours=parse_hours(args.hours),
                                sla_seconds=args.sla, avg_handle_seconds=args.handle_time, topics=args.topics)
        await store.save_department(department)
        return f"department {department.name} saved"
    if args.noun == "agent":
        for name in args.departments:
            if await store.get_department(name) is None:
                raise ValueError(f"no department {name!r}: create it first")
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
        agent = Agent(id=args.id, display_name=args.name, role=Role(args.role), departments=args.departments,
                      languages=args.languages, capacity=args.capacity, password_hash=hash_password(password))
        await store.save_agent(agent)
        return f"agent {agent.id} saved"
    if args.noun == "canned":
        await store.set_canned(args.language, args.name, args.text)
        return f"canned response {args.name} ({args.language}) saved"
    lines = [f"department {d.name}: {d.timezone}, sla {d.sla_seconds}s, hours {d.hours or 'always'}"
             for d in await store.departments()]
    lines += [f"agent {a.id}: {a.display_name}, {a.role.value}, departments {','.join(a.departments)}, "
              f"languages {','.join(a.languages)}, capacity {a.capacity}" for a in await store.agents()]
    return "\n".join(lines) or "nothing configured yet"


def redis_url() -> str:
    """REDIS_URL, else the Redis that `make run` started (var/redis_url), else the default."""
    started = Path(__file__).resolve().parent.parent / "var" / "redis_url"
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    if started.exists():
        return started.read_text().strip()
    return "redis://127.0.0.1:6379/0"


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    url = redis_url()

    async def go() -> str:
        client = aioredis.Redis.from_url(url, decode_responses=True)
        try:
            return await run(args, HandoffStore(client))
        finally:
            await client.close()

    try:
        print(asyncio.run(go()))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: Redis at {url} is unreachable: {error}", file=sys.stderr)
        return 1
    return 0
