"""Who gets which ticket, in which order, and how long the customer will wait.

Pure functions, plus ``assign_waiting`` which uses the store's atomic claim and so is
safe to run from several handoff services at once.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Collection, Iterable, Mapping, Sequence

from handoff.models import Agent, Department, Role, Ticket, TicketContext
from handoff.queue import ClaimResult

if TYPE_CHECKING:
    from handoff.queue import HandoffStore

logger = logging.getLogger(__name__)

FRUSTRATION_WEIGHT = 10.0    # frustration 0..1 -> 0..10 points
VIP_BONUS = 5.0
POINTS_PER_WAITING_MINUTE = 0.5
DEFAULT_SLA_SECONDS = 300
DEFAULT_AVG_HANDLE_SECONDS = 300
ANY_DEPARTMENT_ROLES = (Role.supervisor, Role.admin)  # may take tickets of every department


def base_priority(context: TicketContext) -> float:
    """Priority before waiting time: latest frustration * 10, VIP +5."""
    level = context.frustration[-1] if context.frustration else 0.0
    return round(level * FRUSTRATION_WEIGHT + (VIP_BONUS if context.vip else 0.0), 2)


def priority(ticket: Ticket, now: float) -> float:
    """Higher first: the ticket's base (or what its context says, if more) + 0.5 per minute waited."""
    base = max(ticket.priority_base, base_priority(ticket.context))
    waited_minutes = max(0.0, now - ticket.created_at) / 60
    return base + waited_minutes * POINTS_PER_WAITING_MINUTE


def _language(code: str) -> str:
    """'el-GR', 'EL', 'el_gr' -> 'el'."""
    return code.strip().lower().replace("_", "-").split("-")[0]


def works_in(agent: Agent, department: str) -> bool:
    """The agent works in the department, or is a supervisor/admin."""
    return agent.role in ANY_DEPARTMENT_ROLES or department in agent.departments


def can_take(agent: Agent, ticket: Ticket) -> bool:
    return works_in(agent, ticket.department)


def speaks(agent: Agent, language: str) -> bool:
    wanted = _language(language)
    return any(_language(spoken) == wanted for spoken in agent.languages)


def pick_agent(ticket: Ticket, agents: Iterable[Agent], loads: Mapping[str, int], *,
               allow_any_language: bool = False, available: Collection[str] | None = None) -> Agent | None:
    """The least-loaded eligible agent (ties by id) who speaks the ticket's language.

    Eligible: works in the department (or supervisor/admin), available (in ``available``
    when given; callers usually pass only online agents), load below capacity. With
    ``allow_any_language``, an eligible agent who does not speak the language is chosen
    when no one who does is free.
    """
    candidates = [
        agent for agent in agents
        if (available is None or agent.id in available)
        and can_take(agent, ticket)
        and loads.get(agent.id, 0) < agent.capacity
    ]
    speakers = [agent for agent in candidates if speaks(agent, ticket.language)]
    pool = speakers or (candidates if allow_any_language else [])
    return min(pool, key=lambda agent: (loads.get(agent.id, 0), agent.id), default=None)


def by_priority(tickets: Iterable[Ticket], now: float) -> list[Ticket]:
    """Highest priority first; equal priority: oldest first."""
    return sorted(tickets, key=lambda t: (-priority(t, now), t.created_at, t.id))


async def assign_waiting(store: HandoffStore, now: float, *, allow_any_language: bool = False,
                         presence_ttl: float = 30) -> list[tuple[str, str]]:
    """Offer waiting tickets, highest priority first, to online agents; returns (ticket, agent).

    Each assignment is the store's atomic claim with capacity enforced, so services
    running this at the same time never assign a ticket twice or overload an agent.
    """
    agents = await store.online_agents(now, ttl=presence_ttl)
    if not agents:
        return []
    tickets = by_priority(await store.waiting(), now)
    if not tickets:
        return []
    loads = await store.agent_loads(agent.id for agent in agents)
    assigned: list[tuple[str, str]] = []
    for ticket in tickets:
        refused: set[str] = set()
        while True:
            agent = pick_agent(ticket, [a for a in agents if a.id not in refused], loads,
                               allow_any_language=allow_any_language)
            if agent is None:
                break
            result = await store.claim(ticket.id, agent.id, enforce_capacity=True, now=now)
            if result is ClaimResult.claimed:
                loads[agent.id] = loads.get(agent.id, 0) + 1
                assigned.append((ticket.id, agent.id))
                logger.info("conversation %s ticket %s: routed to %s",
                            ticket.conversation_id, ticket.id, agent.id)
                break
            if result in (ClaimResult.at_capacity, ClaimResult.unknown_agent):
                # Another service gave this agent a ticket meanwhile (or the agent is gone).
                loads[agent.id] = await store.agent_load(agent.id)
                refused.add(agent.id)
                continue
            break  # already assigned, no longer waiting: someone else handled it
    return assigned


def expected_wait_seconds(position: int, department: Department | None, online_agent_count: int) -> float:
    """A rough wait: place in the queue * average handling time / agents online."""
    average = department.avg_handle_seconds if department else DEFAULT_AVG_HANDLE_SECONDS
    return max(0, position) * average / max(1, online_agent_count)


def sla_state(ticket: Ticket, department: Department | None, now: float) -> dict[str, Any]:
    """First-response target: due_at, remaining seconds (negative: overdue), breached.

    Measured until the first agent response, or until the ticket ended without one;
    while neither happened, until ``now``.
    """
    target = department.sla_seconds if department else DEFAULT_SLA_SECONDS
    due_at = ticket.created_at + target
    responded = ticket.first_response_at is not None
    if responded:
        until = ticket.first_response_at
    elif ticket.closed_at is not None:
        until = ticket.closed_at
    else:
        until = now
    remaining = due_at - until
    return {"due_at": due_at, "remaining": round(remaining, 3), "breached": remaining < 0,
            "responded": responded}


def department_for_topics(departments: Iterable[Department], topics: Sequence[str],
                          default: str = "general") -> str:
    """The department owning the most recent topic (KB article) of the conversation.

    A department's ``topics`` are article ids or id prefixes; the longest match wins.
    """
    for topic in reversed(list(topics)):
        owners = [(len(t), d.name) for d in departments for t in d.topics if topic == t or topic.startswith(t)]
        if owners:
            return max(owners)[1]
    return default
