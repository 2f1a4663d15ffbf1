"""The handoff store: tickets, queues, transcript log, events and inbox in Redis.

Every change that touches more than one key is one Lua script, so several handoff
services, action servers and Rasa servers can share one Redis without races: one
ticket goes to one agent even when two consoles click at the same instant. Each
script that changes a ticket also appends its event to ``keys.EVENTS`` in the same
atomic step. Works with clients created with or without ``decode_responses=True``.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from enum import Enum
from typing import Any, Awaitable, Callable, Iterable, Mapping

import redis.asyncio as aioredis
from redis.exceptions import ResponseError

from handoff import keys
from handoff.models import (
    AGENT_ID,
    DEPARTMENT_NAME,
    EMAIL,
    OPEN_STATUSES,
    Agent,
    Department,
    InboxMessage,
    Ticket,
    TicketContext,
    TicketEvent,
    TicketStatus,
    TranscriptEntry,
)

logger = logging.getLogger(__name__)

RELEASE_HOW = ("handed_back", "closed")
CSAT_STATUSES = (TicketStatus.handed_back, TicketStatus.closed)


class ClaimResult(str, Enum):
    claimed = "claimed"
    already_assigned = "already_assigned"
    not_waiting = "not_waiting"
    at_capacity = "at_capacity"
    unknown_ticket = "unknown_ticket"
    unknown_agent = "unknown_agent"


class HandoffError(Exception):
    """A request the store refused; nothing was changed. ``code`` is for JSON errors."""

    code = "handoff_error"

    def __init__(self, message: str, ticket_id: str | None = None) -> None:
        super().__init__(message)
        self.ticket_id = ticket_id


class UnknownTicket(HandoffError, LookupError):
    code = "unknown_ticket"


class UnknownAgent(HandoffError, LookupError):
    code = "unknown_agent"


class InvalidTransition(HandoffError):
    code = "invalid_state"


class NotAllowed(HandoffError):
    code = "forbidden"


# -- Lua ----------------------------------------------------------------------------------

_LIB = """
local function emit(stream, maxlen, kind, ticket_id, at, data)
  return redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*',
                    'type', kind, 'ticket_id', ticket_id, 'at', at, 'data', data)
end
local function privileged(raw)
  if not raw then return false end
  local role = cjson.decode(raw)['role']
  return role == 'supervisor' or role == 'admin'
end
"""

# KEYS: conversation flag, conversation offline, seq, open set, events, target zset, queue departments
# ARGV: ticket prefix, offline 1/0, created_at, department, maxlen, event data, field/value pairs...
_CREATE = _LIB + """
local function open_ticket(flag, wanted)
  local id = redis.call('GET', flag)
  if id then
    local status = redis.call('HGET', ARGV[1] .. id, 'status')
    if status and wanted[status] then return id end
  end
  return nil
end
local offline = ARGV[2] == '1'
local existing = open_ticket(KEYS[1], {waiting = true, assigned = true})
if not existing and offline then existing = open_ticket(KEYS[2], {offline = true}) end
if existing then return {'existing', existing} end
if redis.call('EXISTS', KEYS[3]) == 0 then redis.call('SET', KEYS[3], 1000) end
local id = 'T-' .. redis.call('INCR', KEYS[3])
local fields = {'id', id}
for i = 7, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', ARGV[1] .. id, unpack(fields))
redis.call('ZADD', KEYS[6], ARGV[3], id)
if offline then redis.call('SET', KEYS[2], id) else redis.call('SET', KEYS[1], id) end
redis.call('SADD', KEYS[4], id)
redis.call('SADD', KEYS[7], ARGV[4])
emit(KEYS[5], ARGV[5], 'ticket.created', id, ARGV[3], ARGV[6])
return {'created', id}
"""

# KEYS: ticket, agent tickets, agent record, events
# ARGV: ticket id, agent id, now, enforce capacity 1/0, queue prefix, maxlen
_CLAIM = _LIB + """
local f = redis.call('HMGET', KEYS[1], 'status', 'department', 'conversation_id')
if not f[1] then return {'unknown_ticket', ''} end
local cid = f[3] or ''
if f[1] == 'assigned' then return {'already_assigned', cid} end
if f[1] ~= 'waiting' then return {'not_waiting', cid} end
local agent = redis.call('GET', KEYS[3])
if not agent then return {'unknown_agent', cid} end
if ARGV[4] == '1' then
  local capacity = tonumber(cjson.decode(agent)['capacity']) or 0
  if redis.call('SCARD', KEYS[2]) >= capacity then return {'at_capacity', cid} end
end
redis.call('HSET', KEYS[1], 'status', 'assigned', 'agent_id', ARGV[2], 'assigned_at', ARGV[3])
redis.call('ZREM', ARGV[5] .. f[2], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[1])
emit(KEYS[4], ARGV[6], 'ticket.assigned', ARGV[1], ARGV[3],
     cjson.encode({agent_id = ARGV[2], department = f[2], conversation_id = f[3]}))
return {'claimed', cid}
"""

# KEYS: ticket, events, by-agent record, target agent record, queue departments
# ARGV: ticket id, by, target department or '', target agent or '', now, queue prefix,
#       agent tickets prefix, maxlen
_TRANSFER = _LIB + """
local f = redis.call('HMGET', KEYS[1], 'status', 'department', 'agent_id', 'created_at', 'conversation_id')
local status, current = f[1], f[3]
if not status then return {'unknown_ticket'} end
if status ~= 'waiting' and status ~= 'assigned' then return {'invalid_state', status} end
local by = redis.call('GET', KEYS[3])
if not by then return {'unknown_agent', ARGV[2]} end
if status == 'assigned' and current ~= ARGV[2] and not privileged(by) then return {'forbidden', status} end
if ARGV[4] ~= '' and not redis.call('GET', KEYS[4]) then return {'unknown_agent', ARGV[4]} end
local from_dept = f[2]
local to_dept = from_dept
if ARGV[3] ~= '' then to_dept = ARGV[3] end
local same_agent = ARGV[4] ~= '' and ARGV[4] == current
if to_dept == from_dept and ((ARGV[4] == '' and status == 'waiting') or same_agent) then
  return {'invalid_state', 'already ' .. status .. ' there'}
end
redis.call('ZREM', ARGV[6] .. from_dept, ARGV[1])
if current then redis.call('SREM', ARGV[7] .. current, ARGV[1]) end
local to_agent = cjson.null
if ARGV[4] ~= '' then
  to_agent = ARGV[4]
  redis.call('HSET', KEYS[1], 'status', 'assigned', 'agent_id', ARGV[4], 'assigned_at', ARGV[5],
             'department', to_dept)
  redis.call('SADD', ARGV[7] .. ARGV[4], ARGV[1])
else
  redis.call('HSET', KEYS[1], 'status', 'waiting', 'department', to_dept)
  redis.call('HDEL', KEYS[1], 'agent_id', 'assigned_at')
  redis.call('ZADD', ARGV[6] .. to_dept, f[4], ARGV[1])
end
redis.call('SADD', KEYS[5], to_dept)
emit(KEYS[2], ARGV[8], 'ticket.transferred', ARGV[1], ARGV[5], cjson.encode({
  by = ARGV[2], from_department = from_dept, to_department = to_dept,
  from_agent = current or cjson.null, to_agent = to_agent, conversation_id = f[5]}))
return {'ok', redis.call('HGETALL', KEYS[1])}
"""

# KEYS: ticket, events, open set, by-agent record
# ARGV: ticket id, by, how, now, conversation prefix, conversation offline prefix,
#       agent tickets prefix, queue prefix, offline prefix, maxlen
_RELEASE = _LIB + """
local f = redis.call('HMGET', KEYS[1], 'status', 'department', 'agent_id', 'conversation_id')
local status, current, cid = f[1], f[3], f[4]
if not status then return {'unknown_ticket'} end
local by = redis.call('GET', KEYS[4])
if not by then return {'unknown_agent', ARGV[2]} end
if status == 'assigned' then
  if current ~= ARGV[2] and not privileged(by) then return {'forbidden', status} end
elseif status == 'waiting' then
  if not privileged(by) then return {'forbidden', status} end
elseif status == 'offline' then
  if ARGV[3] ~= 'closed' then return {'invalid_state', status} end
else
  return {'invalid_state', status}
end
redis.call('HSET', KEYS[1], 'status', ARGV[3], 'closed_at', ARGV[4])
if cid then
  for _, prefix in ipairs({ARGV[5], ARGV[6]}) do
    if redis.call('GET', prefix .. cid) == ARGV[1] then redis.call('DEL', prefix .. cid) end
  end
end
redis.call('ZREM', ARGV[8] .. f[2], ARGV[1])
redis.call('ZREM', ARGV[9] .. f[2], ARGV[1])
if current then redis.call('SREM', ARGV[7] .. current, ARGV[1]) end
redis.call('SREM', KEYS[3], ARGV[1])
emit(KEYS[2], ARGV[10], 'ticket.' .. ARGV[3], ARGV[1], ARGV[4], cjson.encode({
  by = ARGV[2], agent_id = current or cjson.null, department = f[2], conversation_id = cid or cjson.null}))
return {'ok', redis.call('HGETALL', KEYS[1])}
"""

# KEYS: ticket, events, open set
# ARGV: ticket id, now, conversation prefix, queue prefix, maxlen
_CANCEL = _LIB + """
local f = redis.call('HMGET', KEYS[1], 'status', 'department', 'conversation_id')
if f[1] ~= 'waiting' then return {0, f[3] or ''} end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'closed_at', ARGV[2])
if f[3] and redis.call('GET', ARGV[3] .. f[3]) == ARGV[1] then redis.call('DEL', ARGV[3] .. f[3]) end
redis.call('ZREM', ARGV[4] .. f[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
emit(KEYS[2], ARGV[5], 'ticket.cancelled', ARGV[1], ARGV[2],
     cjson.encode({department = f[2], conversation_id = f[3] or cjson.null}))
return {1, f[3] or ''}
"""

# KEYS: ticket, events
# ARGV: ticket id, field, value, mode nx|set, at, maxlen, allowed statuses ',a,b,' or ''
_SET_FIELD = _LIB + """
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'unknown_ticket'} end
if ARGV[7] ~= '' and not string.find(ARGV[7], ',' .. status .. ',', 1, true) then
  return {'invalid_state', status}
end
if ARGV[4] == 'nx' then
  if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3]) == 0 then return {'unchanged'} end
else
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
end
emit(KEYS[2], ARGV[6], 'ticket.updated', ARGV[1], ARGV[5], cjson.encode({field = ARGV[2]}))
return {'ok'}
"""

# KEYS: ticket, log, dedupe hash, events
# ARGV: ticket id, entry json, dedupe key or '', event data, at, maxlen
_APPEND_LOG = _LIB + """
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown_ticket'} end
if ARGV[3] ~= '' then
  local previous = redis.call('HGET', KEYS[3], ARGV[3])
  if previous then return {'duplicate', previous} end
end
local id = redis.call('XADD', KEYS[2], '*', 'entry', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], id) end
emit(KEYS[4], ARGV[6], 'ticket.message', ARGV[1], ARGV[5], ARGV[4])
return {'ok', id}
"""

# KEYS: ticket; ARGV: ticket id, queue prefix
_POSITION = """
local f = redis.call('HMGET', KEYS[1], 'status', 'department')
if f[1] ~= 'waiting' then return false end
local rank = redis.call('ZRANK', ARGV[2] .. f[2], ARGV[1])
if not rank then return false end
return rank + 1
"""


# -- decoding -----------------------------------------------------------------------------

def _s(value: Any) -> Any:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _pairs(flat: Iterable[Any]) -> dict[str, str]:
    items = [_s(v) for v in flat]
    return dict(zip(items[::2], items[1::2]))


def _decoded(mapping: Mapping[Any, Any] | None) -> dict[str, str]:
    return {_s(k): _s(v) for k, v in (mapping or {}).items()}


def _now(now: float | None) -> float:
    return time.time() if now is None else float(now)


def _num(value: float) -> str:
    return repr(float(value))


class HandoffStore:
    """All handoff state in one Redis; safe to share between processes and replicas."""

    def __init__(self, redis: aioredis.Redis, *, events_maxlen: int = keys.EVENTS_MAXLEN) -> None:
        self.redis = redis
        self.events_maxlen = events_maxlen
        self._create = redis.register_script(_CREATE)
        self._claim = redis.register_script(_CLAIM)
        self._transfer = redis.register_script(_TRANSFER)
        self._release = redis.register_script(_RELEASE)
        self._cancel = redis.register_script(_CANCEL)
        self._set_field = redis.register_script(_SET_FIELD)
        self._append_log = redis.register_script(_APPEND_LOG)
        self._position = redis.register_script(_POSITION)

    # -- tickets ---------------------------------------------------------------------------

    async def create_ticket(self, context: TicketContext, department: str = "general",
                            priority_base: float = 0.0, offline: bool = False, *,
                            now: float | None = None) -> tuple[Ticket, bool]:
        """Open a ticket for the conversation, or return its open one (created=False)."""
        at = _now(now)
        status = TicketStatus.offline if offline else TicketStatus.waiting
        draft = Ticket(id="T-0", status=status, department=department, language=context.language,
                       priority_base=priority_base, created_at=at, contact_email=context.contact_email,
                       context=context)
        fields = draft.to_fields()
        del fields["id"]
        target = keys.offline(department) if offline else keys.queue(department)
        data = json.dumps({"department": department, "status": status.value, "language": context.language,
                           "conversation_id": context.conversation_id, "channel": context.channel,
                           "priority_base": draft.priority_base, "reason": context.reason})
        outcome, ticket_id = await self._create(
            keys=[keys.conversation(context.conversation_id),
                  keys.conversation_offline(context.conversation_id), keys.TICKET_SEQ, keys.OPEN_TICKETS,
                  keys.EVENTS, target, keys.QUEUE_DEPARTMENTS],
            args=[keys.TICKET_PREFIX, "1" if offline else "0", _num(at), department, self.events_maxlen, data,
                  *[item for pair in fields.items() for item in pair]],
        )
        outcome, ticket_id = _s(outcome), _s(ticket_id)
        ticket = await self.get_ticket(ticket_id)
        if ticket is None:  # pragma: no cover - the script just wrote or found it
            raise UnknownTicket(f"ticket {ticket_id} vanished right after creation", ticket_id)
        created = outcome == "created"
        logger.info("conversation %s ticket %s: %s (%s, department %s, reason %s)",
                    context.conversation_id, ticket_id, "created" if created else "already open",
                    ticket.status.value, ticket.department, context.reason)
        return ticket, created

    async def get_ticket(self, ticket_id: str) -> Ticket | None:
        tickets = await self._load([ticket_id])
        return tickets[0] if tickets else None

    async def ticket_for_conversation(self, conversation_id: str) -> Ticket | None:
        """The ticket whose human owns the conversation (waiting or assigned), if any."""
        ticket_id = _s(await self.redis.get(keys.conversation(conversation_id)))
        if not ticket_id:
            return None
        ticket = await self.get_ticket(ticket_id)
        if ticket is None or ticket.status not in (TicketStatus.waiting, TicketStatus.assigned):
            return None
        return ticket

    async def waiting(self, department: str | None = None) -> list[Ticket]:
        """Waiting tickets, oldest first (of one department, or of all)."""
        if department is None:
            departments = sorted(_s(d) for d in await self.redis.smembers(keys.QUEUE_DEPARTMENTS))
        else:
            departments = [department]
        scored: list[tuple[float, str]] = []
        for name in departments:
            for ticket_id, score in await self.redis.zrange(keys.queue(name), 0, -1, withscores=True):
                scored.append((float(score), _s(ticket_id)))
        scored.sort()
        tickets = await self._load([ticket_id for _, ticket_id in scored])
        return [t for t in tickets if t.status == TicketStatus.waiting]

    async def position(self, ticket_id: str) -> int | None:
        """1-based place in its department's queue; None unless waiting."""
        result = await self._position(keys=[keys.ticket(ticket_id)], args=[ticket_id, keys.QUEUE_PREFIX])
        return None if result is None else int(result)

    async def open_tickets(self, departments: Iterable[str] | None = None) -> list[Ticket]:
        """Waiting, assigned and offline tickets, oldest first, optionally of some departments."""
        wanted = None if departments is None else set(departments)
        ids = sorted(_s(t) for t in await self.redis.smembers(keys.OPEN_TICKETS))
        tickets = [t for t in await self._load(ids)
                   if t.status in OPEN_STATUSES and (wanted is None or t.department in wanted)]
        return sorted(tickets, key=lambda t: (t.created_at, t.id))

    async def claim(self, ticket_id: str, agent_id: str, *, enforce_capacity: bool = True,
                    now: float | None = None) -> ClaimResult:
        """Assign a waiting ticket to an agent; exactly one of concurrent claims wins."""
        outcome, conversation_id = await self._claim(
            keys=[keys.ticket(ticket_id), keys.agent_tickets(agent_id), keys.agent(agent_id), keys.EVENTS],
            args=[ticket_id, agent_id, _num(_now(now)), "1" if enforce_capacity else "0",
                  keys.QUEUE_PREFIX, self.events_maxlen],
        )
        result = ClaimResult(_s(outcome))
        logger.info("conversation %s ticket %s: claim by %s -> %s", _s(conversation_id) or "-", ticket_id,
                    agent_id, result.value)
        return result

    async def transfer(self, ticket_id: str, *, by_agent: str, department: str | None = None,
                       agent_id: str | None = None, now: float | None = None) -> Ticket:
        """Move a waiting or assigned ticket to a department's queue or straight to an agent."""
        if department is None and agent_id is None:
            raise ValueError("transfer needs a department or an agent_id")
        if department is not None and not DEPARTMENT_NAME.fullmatch(department):
            raise ValueError(f"department must match {DEPARTMENT_NAME.pattern}, got {department!r}")
        if agent_id is not None and not AGENT_ID.fullmatch(agent_id):
            raise ValueError(f"agent_id must match {AGENT_ID.pattern}, got {agent_id!r}")
        reply = await self._transfer(
            keys=[keys.ticket(ticket_id), keys.EVENTS, keys.agent(by_agent), keys.agent(agent_id or by_agent),
                  keys.QUEUE_DEPARTMENTS],
            args=[ticket_id, by_agent, department or "", agent_id or "", _num(_now(now)), keys.QUEUE_PREFIX,
                  keys.AGENT_TICKETS_PREFIX, self.events_maxlen],
        )
        ticket = self._ticket_or_raise(reply, ticket_id, "transfer")
        logger.info("conversation %s ticket %s: transferred by %s to department %s agent %s",
                    ticket.conversation_id, ticket_id, by_agent, ticket.department, ticket.agent_id)
        return ticket

    async def release(self, ticket_id: str, by_agent: str, how: str, *, now: float | None = None) -> Ticket:
        """Hand the conversation back to the bot or close the ticket.

        Allowed from ``assigned`` (the assigned agent, or a supervisor/admin), from
        ``waiting`` (supervisors/admins) and, to close it, from ``offline`` (any agent).
        """
        if how not in RELEASE_HOW:
            raise ValueError(f"how must be one of {', '.join(RELEASE_HOW)}, got {how!r}")
        reply = await self._release(
            keys=[keys.ticket(ticket_id), keys.EVENTS, keys.OPEN_TICKETS, keys.agent(by_agent)],
            args=[ticket_id, by_agent, how, _num(_now(now)), keys.CONVERSATION_PREFIX,
                  keys.CONVERSATION_OFFLINE_PREFIX, keys.AGENT_TICKETS_PREFIX, keys.QUEUE_PREFIX,
                  keys.OFFLINE_PREFIX, self.events_maxlen],
        )
        ticket = self._ticket_or_raise(reply, ticket_id, "hand back" if how == "handed_back" else "close")
        logger.info("conversation %s ticket %s: %s by %s", ticket.conversation_id, ticket_id, how, by_agent)
        return ticket

    async def cancel(self, ticket_id: str, *, now: float | None = None) -> bool:
        """The customer gave up waiting. False (nothing changed) unless the ticket was waiting."""
        outcome, conversation_id = await self._cancel(
            keys=[keys.ticket(ticket_id), keys.EVENTS, keys.OPEN_TICKETS],
            args=[ticket_id, _num(_now(now)), keys.CONVERSATION_PREFIX, keys.QUEUE_PREFIX,
                  self.events_maxlen],
        )
        done = bool(int(outcome))
        logger.info("conversation %s ticket %s: cancel by the customer -> %s", _s(conversation_id) or "-",
                    ticket_id, "cancelled" if done else "refused")
        return done

    async def record_first_response(self, ticket_id: str, at: float) -> bool:
        """Set first_response_at unless it is set already; True if this call set it."""
        return await self._update(ticket_id, "first_response_at", _num(at), at=at, only_once=True)

    async def set_csat(self, ticket_id: str, score: int) -> None:
        """The customer's satisfaction (1..5), once the ticket is handed back or closed."""
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise ValueError(f"csat must be an integer from 1 to 5, got {score!r}")
        await self._update(ticket_id, "csat", str(score), allowed=CSAT_STATUSES)

    async def set_contact_email(self, ticket_id: str, email: str) -> None:
        if not isinstance(email, str) or len(email) > 254 or not EMAIL.fullmatch(email):
            raise ValueError("contact email must look like name@example.com")
        await self._update(ticket_id, "contact_email", email)

    # -- transcript after escalation -------------------------------------------------------

    async def append_log(self, ticket_id: str, entry: TranscriptEntry,
                         dedupe_key: str | None = None) -> str | None:
        """Append to the ticket's log; with dedupe_key at most once per key. None if a duplicate."""
        data = json.dumps({**entry.to_dict(), "ticket_id": ticket_id}, ensure_ascii=False)
        reply = await self._append_log(
            keys=[keys.ticket(ticket_id), keys.ticket_log(ticket_id), keys.ticket_log_dedupe(ticket_id),
                  keys.EVENTS],
            args=[ticket_id, entry.to_json(), dedupe_key or "", data, _num(entry.at), self.events_maxlen],
        )
        outcome = _s(reply[0])
        if outcome == "unknown_ticket":
            raise UnknownTicket(f"unknown ticket {ticket_id}", ticket_id)
        if outcome == "duplicate":
            logger.debug("ticket %s: log entry %s already appended", ticket_id, dedupe_key)
            return None
        return _s(reply[1])

    async def log(self, ticket_id: str, *, last: int | None = None) -> list[TranscriptEntry]:
        """The ticket's log in order; with ``last``, only its newest ``last`` entries."""
        key = keys.ticket_log(ticket_id)
        raw = (await self.redis.xrange(key) if last is None
               else list(reversed(await self.redis.xrevrange(key, count=last))))
        entries = []
        for entry_id, fields in raw:
            try:
                entries.append(TranscriptEntry.from_json(_decoded(fields)["entry"]))
            except (KeyError, ValueError):
                logger.warning("ticket %s: damaged log entry %s skipped", ticket_id, _s(entry_id))
        return entries

    async def full_transcript(self, ticket: Ticket) -> list[TranscriptEntry]:
        """What the bot saw before escalation followed by everything since."""
        return [*ticket.context.transcript, *await self.log(ticket.id)]

    # -- events ----------------------------------------------------------------------------

    async def read_events(self, last_id: str = "0", *, count: int = 100,
                          block_ms: int | None = None) -> list[TicketEvent]:
        """Events after last_id ("$" = only new ones, with block_ms to wait for them)."""
        reply = await self.redis.xread({keys.EVENTS: last_id}, count=count, block=block_ms or None)
        events = []
        for _stream, entries in reply or []:
            for entry_id, fields in entries:
                try:
                    events.append(TicketEvent.from_stream(_s(entry_id), _decoded(fields)))
                except ValueError:
                    logger.warning("damaged event %s skipped", _s(entry_id))
        return events

    # -- inbox -----------------------------------------------------------------------------

    async def inbox_add(self, conversation_id: str, ticket_id: str, text: str, at: float,
                        metadata: Mapping[str, Any] | None = None) -> str:
        """Queue a customer message for the agent; returns the stream entry id."""
        message = InboxMessage(conversation_id=conversation_id, ticket_id=ticket_id, text=text, at=at,
                               metadata=dict(metadata or {}))
        entry_id = _s(await self.redis.xadd(keys.INBOX, message.to_fields()))
        logger.debug("conversation %s ticket %s: inbox entry %s", conversation_id, ticket_id, entry_id)
        return entry_id

    # -- agents, departments, canned responses, presence -----------------------------------

    async def save_agent(self, agent: Agent) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(keys.agent(agent.id), agent.to_json(secrets=True))
            pipe.sadd(keys.AGENTS, agent.id)
            await pipe.execute()

    async def get_agent(self, agent_id: str) -> Agent | None:
        raw = await self.redis.get(keys.agent(agent_id))
        return None if raw is None else Agent.from_json(_s(raw))

    async def agents(self) -> list[Agent]:
        return await self._records(Agent, keys.AGENTS, keys.agent)

    async def agent_load(self, agent_id: str) -> int:
        return int(await self.redis.scard(keys.agent_tickets(agent_id)))

    async def agent_loads(self, agent_ids: Iterable[str]) -> dict[str, int]:
        ids = list(agent_ids)
        async with self.redis.pipeline(transaction=False) as pipe:
            for agent_id in ids:
                pipe.scard(keys.agent_tickets(agent_id))
            counts = await pipe.execute()
        return {agent_id: int(count) for agent_id, count in zip(ids, counts)}

    async def save_department(self, department: Department) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(keys.department(department.name), department.to_json())
            pipe.sadd(keys.DEPARTMENTS, department.name)
            await pipe.execute()

    async def get_department(self, name: str) -> Department | None:
        raw = await self.redis.get(keys.department(name))
        return None if raw is None else Department.from_json(_s(raw))

    async def departments(self) -> list[Department]:
        return await self._records(Department, keys.DEPARTMENTS, keys.department)

    async def set_canned(self, language: str, name: str, text: str) -> None:
        if not all(isinstance(v, str) and v.strip() for v in (language, name, text)):
            raise ValueError("canned responses need a language, a name and a text")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.canned(language), name, text)
            pipe.sadd(keys.CANNED_LANGUAGES, language)
            await pipe.execute()

    async def delete_canned(self, language: str, name: str) -> bool:
        return bool(await self.redis.hdel(keys.canned(language), name))

    async def canned(self, language: str) -> dict[str, str]:
        return dict(sorted(_decoded(await self.redis.hgetall(keys.canned(language))).items()))

    async def heartbeat(self, agent_id: str, available: bool, now: float | None = None) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(keys.PRESENCE, {agent_id: _now(now)})
            pipe.hset(keys.AVAILABILITY, agent_id, "1" if available else "0")
            await pipe.execute()

    async def online_agents(self, now: float | None = None, ttl: float = 30, *,
                            include_away: bool = False) -> list[Agent]:
        """Agents with a heartbeat in the last ttl seconds who said they are available
        (with ``include_away``, also those online but away: they take tickets by hand)."""
        ids = [_s(i) for i in await self.redis.zrangebyscore(keys.PRESENCE, _now(now) - ttl, "+inf")]
        if not ids:
            return []
        available = [_s(v) for v in await self.redis.hmget(keys.AVAILABILITY, ids)]
        ids = sorted(i for i, flag in zip(ids, available) if flag == "1" or include_away)
        return await self._agents_by_id(ids)

    # -- helpers ---------------------------------------------------------------------------

    async def _load(self, ticket_ids: list[str]) -> list[Ticket]:
        if not ticket_ids:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for ticket_id in ticket_ids:
                pipe.hgetall(keys.ticket(ticket_id))
            hashes = await pipe.execute()
        tickets = []
        for ticket_id, fields in zip(ticket_ids, hashes):
            if not fields:
                continue
            try:
                tickets.append(Ticket.from_fields(_decoded(fields)))
            except ValueError as exc:
                logger.warning("ticket %s: damaged record skipped (%s)", ticket_id, exc)
        return tickets

    async def _records(self, cls: Any, index: str, key: Callable[[str], str]) -> list[Any]:
        names = sorted(_s(n) for n in await self.redis.smembers(index))
        if not names:
            return []
        records = []
        for name, raw in zip(names, await self.redis.mget([key(n) for n in names])):
            if raw is None:
                continue
            try:
                records.append(cls.from_json(_s(raw)))
            except ValueError as exc:
                logger.warning("%s %s: damaged record skipped (%s)", cls.__name__, name, exc)
        return records

    async def _agents_by_id(self, ids: list[str]) -> list[Agent]:
        if not ids:
            return []
        agents = []
        for raw in await self.redis.mget([keys.agent(i) for i in ids]):
            if raw is not None:
                agents.append(Agent.from_json(_s(raw)))
        return agents

    async def _update(self, ticket_id: str, name: str, value: str, *, at: float | None = None,
                      only_once: bool = False, allowed: Iterable[TicketStatus] = ()) -> bool:
        statuses = "".join(f",{s.value}," for s in allowed)
        reply = await self._set_field(
            keys=[keys.ticket(ticket_id), keys.EVENTS],
            args=[ticket_id, name, value, "nx" if only_once else "set", _num(_now(at)), self.events_maxlen,
                  statuses],
        )
        outcome = _s(reply[0])
        if outcome == "unknown_ticket":
            raise UnknownTicket(f"unknown ticket {ticket_id}", ticket_id)
        if outcome == "invalid_state":
            raise InvalidTransition(f"ticket {ticket_id} is {_s(reply[1])}: cannot set {name}", ticket_id)
        return outcome == "ok"

    @staticmethod
    def _ticket_or_raise(reply: list[Any], ticket_id: str, what: str) -> Ticket:
        outcome = _s(reply[0])
        detail = _s(reply[1]) if len(reply) > 1 and not isinstance(reply[1], list) else None
        if outcome == "ok":
            return Ticket.from_fields(_pairs(reply[1]))
        if outcome == "unknown_ticket":
            raise UnknownTicket(f"unknown ticket {ticket_id}", ticket_id)
        if outcome == "unknown_agent":
            raise UnknownAgent(f"unknown agent {detail}", ticket_id)
        if outcome == "forbidden":
            raise NotAllowed(f"this agent may not {what} ticket {ticket_id} ({detail})", ticket_id)
        raise InvalidTransition(f"cannot {what} ticket {ticket_id}: it is {detail}", ticket_id)


Handler = Callable[[InboxMessage], Awaitable[Any]]


class InboxConsumer:
    """Reads keys.INBOX in consumer group keys.INBOX_GROUP, at least once.

    ``run_once`` first reclaims entries that another (dead or failing) consumer left
    pending for longer than ``min_idle_ms`` (XAUTOCLAIM), then reads new ones. An
    entry is acknowledged (and deleted) only after the handler returned; an entry
    whose handler raised stays pending and is delivered again later, to any consumer.
    After ``max_deliveries`` it goes to keys.INBOX_DEAD instead. Handlers must be
    idempotent: use the entry id as the ``dedupe_key`` of ``append_log``.
    """

    def __init__(self, store: HandoffStore, consumer_name: str, *, min_idle_ms: int = 30_000,
                 count: int = 10, max_deliveries: int = 10) -> None:
        self.store = store
        self.redis = store.redis
        self.name = consumer_name
        self.min_idle_ms = min_idle_ms
        self.count = count
        self.max_deliveries = max_deliveries
        self._group_ready = False
        self._cursor = "0-0"
        self._stopped = False

    async def ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(keys.INBOX, keys.INBOX_GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._group_ready = True

    def stop(self) -> None:
        """Make ``run`` return after the current round."""
        self._stopped = True

    async def run(self, handler: Handler, block_ms: int = 1000, retry_seconds: float = 1.0) -> None:
        """``run_once`` again and again until ``stop()``; a failed round is logged and retried.

        To shut down, call ``stop()`` and then cancel the task. Cancellation alone is not
        enough with redis-py 4.x on Python 3.10: a cancel that lands in the pool's
        connection check (async-timeout with a zero timeout) is turned into a timeout and
        swallowed, and a loop that only waits to be cancelled keeps running.
        """
        while not self._stopped:
            try:
                await self.run_once(handler, block_ms)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("inbox consumer %s: a round failed; retrying", self.name)
                await asyncio.sleep(retry_seconds)

    async def run_once(self, handler: Handler, block_ms: int | None = 1000) -> int:
        """Handle reclaimed and new entries once; returns how many were acknowledged.

        ``block_ms`` None or 0 does not wait; keep it below the client's socket timeout.
        """
        if not self._group_ready:
            await self.ensure_group()
        try:
            done = 0
            reclaimed = await self._reclaim()
            for entry_id, fields in reclaimed:
                done += await self._handle(entry_id, fields, handler)
            reply = await self.redis.xreadgroup(
                keys.INBOX_GROUP, self.name, {keys.INBOX: ">"}, count=self.count,
                block=None if reclaimed or not block_ms else block_ms,
            )
            for _stream, entries in reply or []:
                for entry_id, fields in entries:
                    done += await self._handle(_s(entry_id), fields, handler)
            return done
        except ResponseError as exc:
            if "NOGROUP" in str(exc):
                self._group_ready = False
                logger.warning("inbox consumer group was missing; it is created again")
                return 0
            raise

    async def _reclaim(self) -> list[tuple[str, Any]]:
        reply = await self.redis.xautoclaim(keys.INBOX, keys.INBOX_GROUP, self.name,
                                            min_idle_time=self.min_idle_ms, start_id=self._cursor,
                                            count=self.count)
        self._cursor = _s(reply[0]) or "0-0"
        claimed = []
        for entry_id, fields in reply[1]:
            if entry_id is None:
                continue
            entry_id = _s(entry_id)
            pending = await self.redis.xpending_range(keys.INBOX, keys.INBOX_GROUP,
                                                      min=entry_id, max=entry_id, count=1)
            deliveries = int(pending[0]["times_delivered"]) if pending else 1
            if deliveries > self.max_deliveries:
                logger.error("inbox entry %s failed %s times; moved to %s", entry_id, deliveries - 1,
                             keys.INBOX_DEAD)
                await self._dead(entry_id, fields, f"failed {deliveries - 1} times")
                continue
            logger.info("inbox entry %s reclaimed by %s (delivery %s)", entry_id, self.name, deliveries)
            claimed.append((entry_id, fields))
        return claimed

    async def _handle(self, entry_id: str, fields: Any, handler: Handler) -> int:
        if fields is None:  # deleted while pending
            await self._ack(entry_id)
            return 0
        try:
            message = InboxMessage.from_stream(entry_id, _decoded(fields))
        except ValueError as exc:
            logger.error("inbox entry %s is malformed (%s); moved to %s", entry_id, exc, keys.INBOX_DEAD)
            await self._dead(entry_id, fields, "malformed")
            return 0
        try:
            await handler(message)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("conversation %s ticket %s: inbox entry %s failed; it stays pending",
                             message.conversation_id, message.ticket_id, entry_id)
            return 0
        await self._ack(entry_id)
        return 1

    async def _ack(self, entry_id: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xack(keys.INBOX, keys.INBOX_GROUP, entry_id)
            pipe.xdel(keys.INBOX, entry_id)
            await pipe.execute()

    async def _dead(self, entry_id: str, fields: Any, reason: str) -> None:
        record = {**_decoded(fields), "entry_id": entry_id, "reason": reason, "failed_at": _num(time.time())}
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(keys.INBOX_DEAD, record, maxlen=10_000, approximate=True)
            pipe.xack(keys.INBOX, keys.INBOX_GROUP, entry_id)
            pipe.xdel(keys.INBOX, entry_id)
            await pipe.execute()
