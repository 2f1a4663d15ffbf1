"""Routing: priority order, agent choice, expected wait, SLA, and assignment against Redis."""
from __future__ import annotations

import asyncio

from handoff.models import Department, Role, Ticket, TicketStatus
from handoff.queue import HandoffStore
from handoff.routing import (
    assign_waiting,
    base_priority,
    by_priority,
    department_for_topics,
    expected_wait_seconds,
    pick_agent,
    priority,
    sla_state,
)
from tests.handoff.factories import ClientFactory, agent, context


def ticket(ticket_id: str = "T-1001", *, department: str = "general", language: str = "el",
           created_at: float = 1000.0, vip: bool = False, frustration: tuple[float, ...] = (),
           priority_base: float = 0.0, **changes: object) -> Ticket:
    return Ticket(id=ticket_id, status=TicketStatus.waiting, department=department, language=language,
                  created_at=created_at, priority_base=priority_base,
                  context=context(f"conv-{ticket_id}", language=language, vip=vip, frustration=frustration),
                  **changes)


def test_priority_is_frustration_vip_and_waiting_time() -> None:
    assert base_priority(context(frustration=(0.2, 0.9), vip=True)) == 14.0
    assert priority(ticket(), 1000.0) == 0.0
    assert priority(ticket(frustration=(0.5,)), 1000.0) == 5.0
    assert priority(ticket(vip=True), 1000.0 + 120) == 5.0 + 1.0
    assert priority(ticket(priority_base=7.5), 1000.0) == 7.5   # the stored base counts
    assert priority(ticket(), 900.0) == 0.0                       # clock skew never goes negative


def test_priority_order_weighs_mood_against_waiting_time() -> None:
    now = 1600.0
    waited_10 = ticket("T-1", created_at=1000.0)                       # 5 points after 10 minutes
    angry_new = ticket("T-2", created_at=1600.0, frustration=(0.8,))   # 8 points
    vip_new = ticket("T-3", created_at=1600.0, vip=True)               # 5 points
    also_10 = ticket("T-4", created_at=1000.0)
    order = by_priority([vip_new, also_10, angry_new, waited_10], now)
    assert [t.id for t in order] == ["T-2", "T-1", "T-4", "T-3"]     # equal points: oldest first, then id
    waited_20 = ticket("T-5", created_at=400.0)                         # 10 points after 20 minutes
    assert [t.id for t in by_priority([angry_new, waited_20], now)] == ["T-5", "T-2"]


def test_pick_agent_prefers_the_customers_language() -> None:
    greek = ticket(language="el")
    anna = agent("anna", languages=("en",))
    eleni = agent("eleni", languages=("el", "en"))
    assert pick_agent(greek, [anna, eleni], {"anna": 0, "eleni": 2}) == eleni
    assert pick_agent(ticket(language="el-GR"), [anna, eleni], {}) == eleni
    assert pick_agent(greek, [anna], {}) is None
    assert pick_agent(greek, [anna], {}, allow_any_language=True) == anna
    # A free speaker always beats a free non-speaker, even a less loaded one.
    assert pick_agent(greek, [anna, eleni], {"eleni": 2}, allow_any_language=True) == eleni


def test_pick_agent_respects_departments_and_supervisors() -> None:
    billing = ticket(department="billing")
    tech = agent("tomas", departments=("tech",))
    lead = agent("lead", departments=(), role=Role.supervisor)
    admin = agent("root", departments=(), role=Role.admin)
    assert pick_agent(billing, [tech], {}) is None
    assert pick_agent(billing, [tech, lead], {}) == lead
    assert pick_agent(billing, [tech, admin], {}) == admin
    assert pick_agent(billing, [agent("bea", departments=("billing", "tech")), lead], {"bea": 1}) == lead
    assert pick_agent(billing, [agent("bea", departments=("billing", "tech")), lead], {"lead": 1}).id == "bea"


def test_pick_agent_balances_load_and_capacity() -> None:
    t = ticket()
    a, b, c = agent("aa", capacity=2), agent("bb", capacity=2), agent("cc", capacity=1)
    assert pick_agent(t, [c, b, a], {}) == a                        # tie: by id
    assert pick_agent(t, [a, b, c], {"aa": 1}) == b
    assert pick_agent(t, [a, b, c], {"aa": 1, "bb": 1}) == c
    assert pick_agent(t, [a, b, c], {"aa": 2, "bb": 2, "cc": 1}) is None  # everybody full
    assert pick_agent(t, [a, b, c], {}, available={"cc"}) == c
    assert pick_agent(t, [agent("zz", capacity=0)], {}) is None


def test_expected_wait() -> None:
    slow = Department(name="billing", avg_handle_seconds=600)
    assert expected_wait_seconds(3, slow, 2) == 900
    assert expected_wait_seconds(3, slow, 0) == 1800   # nobody online: as if one agent
    assert expected_wait_seconds(1, None, 1) == 300


def test_sla_state() -> None:
    dept = Department(name="general", sla_seconds=120)
    fresh = ticket(created_at=1000.0)
    assert sla_state(fresh, dept, 1030.0) == {"due_at": 1120.0, "remaining": 90.0, "breached": False,
                                              "responded": False}
    assert sla_state(fresh, dept, 1150.0)["breached"] and sla_state(fresh, dept, 1150.0)["remaining"] == -30.0
    answered = ticket(created_at=1000.0, first_response_at=1100.0)
    assert sla_state(answered, dept, 5000.0) == {"due_at": 1120.0, "remaining": 20.0, "breached": False,
                                                 "responded": True}
    late = ticket(created_at=1000.0, first_response_at=1200.0)
    assert sla_state(late, dept, 1300.0)["breached"]
    gave_up = ticket(created_at=1000.0, closed_at=1060.0)
    assert not sla_state(gave_up, dept, 9999.0)["breached"]
    assert sla_state(fresh, None, 1000.0)["due_at"] == 1300.0


async def test_assign_waiting_routes_by_priority_language_and_load(store: HandoffStore) -> None:
    for a in (agent("eleni", languages=("el",), capacity=1), agent("ivan", languages=("ru",), capacity=2),
              agent("off", languages=("el", "ru"))):
        await store.save_agent(a)
    now = 10_000.0
    await store.heartbeat("eleni", True, now)
    await store.heartbeat("ivan", True, now)
    await store.heartbeat("off", True, now - 300)   # not online any more
    calm, _ = await store.create_ticket(context("calm", language="el"), now=now - 60)
    angry, _ = await store.create_ticket(context("angry", language="el", frustration=(0.9,)), now=now - 10)
    russian, _ = await store.create_ticket(context("ru", language="ru"), now=now - 5)
    lithuanian, _ = await store.create_ticket(context("lt", language="lt"), now=now - 1)

    assigned = await assign_waiting(store, now)
    assert sorted(assigned) == sorted([(angry.id, "eleni"), (russian.id, "ivan")])
    assert [t.id for t in await store.waiting()] == [calm.id, lithuanian.id]
    assert await assign_waiting(store, now) == []   # eleni is full, nobody speaks Lithuanian
    # Allowed to use any language: the next ticket by priority (the older Greek one) goes to
    # the only agent with room, and the Lithuanian customer keeps waiting.
    assert await assign_waiting(store, now, allow_any_language=True) == [(calm.id, "ivan")]
    assert [t.id for t in await store.waiting()] == [lithuanian.id]


async def test_assign_waiting_from_several_services_at_once(new_client: ClientFactory) -> None:
    stores = [HandoffStore(await new_client()) for _ in range(3)]
    store = stores[0]
    now = 50_000.0
    for name in ("anna", "boris", "chris"):
        await store.save_agent(agent(name, capacity=2))
        await store.heartbeat(name, True, now)
    for i in range(10):
        await store.create_ticket(context(f"c{i}"), now=now - 100 + i)
    results = await asyncio.gather(*(assign_waiting(s, now) for s in stores))
    pairs = [pair for result in results for pair in result]
    assert len(pairs) == 6 and len({ticket_id for ticket_id, _ in pairs}) == 6
    loads = await store.agent_loads(["anna", "boris", "chris"])
    assert loads == {"anna": 2, "boris": 2, "chris": 2}
    assert len(await store.waiting()) == 4
    # The oldest tickets went first.
    assert sorted(int(t.id.split("-")[1]) for t in await store.waiting()) == [1007, 1008, 1009, 1010]


def test_department_comes_from_the_latest_topic_with_the_longest_match() -> None:
    departments = [Department(name="general"), Department(name="metrics", topics=("metric-",)),
                   Department(name="loyalty", topics=("metric-nps", "strategy-loyalty-programmes"))]
    assert department_for_topics(departments, ["skill-empathy", "metric-nps"]) == "loyalty"
    assert department_for_topics(departments, ["metric-nps", "metric-csat"]) == "metrics"
    assert department_for_topics(departments, ["skill-empathy"]) == "general"
    assert department_for_topics(departments, [], default="sales") == "sales"
