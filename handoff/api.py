"""The agent console's JSON API.

Every handler answers bad input with a 4xx JSON error ({"error", "message"}) and changes
nothing in that case; ticket visibility follows the agent's departments (supervisors
see everything).
"""
from __future__ import annotations

import logging
import time
from typing import Any

from aiohttp import web

from handoff import auth, routing
from handoff.models import Agent, Department, Ticket, TicketStatus, TranscriptEntry
from handoff.queue import ClaimResult, HandoffStore
from handoff.rasa_client import RasaError
from handoff.state import RASA, SESSIONS, SETTINGS, STORE

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 4000
RETURN_ACTION = "action_handoff_return"
CLOSED_ACTION = "action_handoff_closed"


def agent_json(agent: Agent) -> dict[str, Any]:
    return {"id": agent.id, "display_name": agent.display_name, "role": agent.role.value,
            "departments": list(agent.departments), "languages": list(agent.languages),
            "capacity": agent.capacity}


async def summary(store: HandoffStore, ticket: Ticket, now: float | None = None) -> dict[str, Any]:
    now = now or time.time()
    department = await store.get_department(ticket.department) or Department(name=ticket.department)
    log = await store.log(ticket.id, last=1)  # on every pushed event: read one entry, not all
    last = log[-1] if log else (ticket.context.transcript[-1] if ticket.context.transcript else None)
    history = ticket.context.frustration
    return {
        "id": ticket.id,
        "status": ticket.status.value,
        "department": ticket.department,
        "language": ticket.language,
        "agent_id": ticket.agent_id,
        "customer_name": ticket.context.customer_name,
        "channel": ticket.context.channel,
        "created_at": ticket.created_at,
        "waiting_seconds": round(now - ticket.created_at, 1),
        "frustration": history[-1] if history else None,
        "priority": round(routing.priority(ticket, now), 2),
        "vip": ticket.context.vip,
        "sla": routing.sla_state(ticket, department, now),
        "csat": ticket.csat,
        "contact_email": ticket.contact_email,
        "last_message": last.to_dict() if last else None,
    }


class ApiError(Exception):
    """A bad request, answered by ``api_errors`` as a JSON 4xx error."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@web.middleware
async def api_errors(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as error:
        return auth.json_error(error.status, error.code, str(error))


async def read_json(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError:
        raise ApiError(400, "invalid_json", "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_payload", "The body must be a JSON object.")
    return data


def text_field(data: dict[str, Any], name: str = "text") -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, "empty_text", f"'{name}' must be a non-empty string.")
    if len(value) > MAX_TEXT_CHARS:
        raise ApiError(413, "text_too_long", f"'{name}' is over {MAX_TEXT_CHARS} characters.")
    return value.strip()


async def visible_ticket(request: web.Request) -> Ticket:
    ticket_id = request.match_info["ticket_id"]
    ticket = await request.app[STORE].get_ticket(ticket_id)
    if ticket is None or not auth.can_see(request["agent"], ticket.department):
        # The same answer for "missing" and "not yours": ids do not leak.
        raise ApiError(404, "unknown_ticket", f"No ticket {ticket_id} for you.")
    return ticket


def owns(agent: Agent, ticket: Ticket) -> bool:
    return ticket.status == TicketStatus.assigned and (ticket.agent_id == agent.id or auth.is_supervisor(agent))


# -- session ---------------------------------------------------------------------------


async def login(request: web.Request) -> web.Response:
    data = await read_json(request)
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or len(password) > 1024:
        return auth.json_error(400, "invalid_payload", "Send a username and a password.")
    agent = await request.app[STORE].get_agent(username.strip().lower())
    if agent is None or not auth.verify_password(password, agent.password_hash):
        logger.info("failed login for %r", username[:64])
        return auth.json_error(401, "invalid_credentials", "Wrong username or password.")
    settings = request.app[SETTINGS]
    session = await request.app[SESSIONS].create(agent.id)
    response = web.json_response({"agent": agent_json(agent), "csrf_token": session.csrf})
    auth.set_session_cookie(response, session, settings.session_ttl, settings.secure_cookies)
    logger.info("agent %s logged in", agent.id)
    return response


async def logout(request: web.Request) -> web.Response:
    await request.app[SESSIONS].delete(request["session"].token)
    response = web.Response(status=204)
    response.del_cookie(auth.COOKIE, path="/")
    return response


async def me(request: web.Request) -> web.Response:
    return web.json_response({"agent": agent_json(request["agent"]), "csrf_token": request["session"].csrf})


async def presence(request: web.Request) -> web.Response:
    data = await read_json(request)
    available = data.get("available", True)
    if not isinstance(available, bool):
        return auth.json_error(400, "invalid_payload", "'available' must be true or false.")
    await request.app[STORE].heartbeat(request["agent"].id, available, time.time())
    return web.Response(status=204)


# -- tickets ---------------------------------------------------------------------------


async def list_tickets(request: web.Request) -> web.Response:
    store, agent = request.app[STORE], request["agent"]
    departments = None if auth.is_supervisor(agent) else list(agent.departments)
    tickets = await store.open_tickets(departments)
    now = time.time()
    return web.json_response({"tickets": [await summary(store, t, now) for t in tickets]})


async def get_ticket(request: web.Request) -> web.Response:
    ticket = await visible_ticket(request)
    store = request.app[STORE]
    transcript = await store.full_transcript(ticket)
    return web.json_response({"ticket": await summary(store, ticket), "context": ticket.context.to_dict(),
                              "transcript": [e.to_dict() for e in transcript]})


async def claim(request: web.Request) -> web.Response:
    ticket = await visible_ticket(request)
    store, agent = request.app[STORE], request["agent"]
    result = await store.claim(ticket.id, agent.id, enforce_capacity=not auth.is_supervisor(agent))
    if result != ClaimResult.claimed:
        return auth.json_error(409, result.value, f"Ticket {ticket.id} could not be claimed: {result.value}.")
    logger.info("conversation %s ticket %s: claimed by %s", ticket.context.conversation_id, ticket.id, agent.id)
    return web.json_response({"ticket": await summary(store, await store.get_ticket(ticket.id))})


async def reply(request: web.Request) -> web.Response:
    ticket = await visible_ticket(request)
    text = text_field(await read_json(request))
    agent, store = request["agent"], request.app[STORE]
    if not owns(agent, ticket):
        return auth.json_error(409, "not_your_ticket", "Claim the ticket before replying.")
    try:
        await request.app[RASA].send_agent_message(ticket.context.conversation_id, ticket.context.channel,
                                                   text, agent.display_name)
    except RasaError as error:
        logger.error("conversation %s ticket %s: reply not delivered: %s",
                     ticket.context.conversation_id, ticket.id, error)
        return auth.json_error(502, "delivery_failed", "The reply could not be delivered; try again.")
    now = time.time()
    entry = TranscriptEntry(kind="agent", text=text, at=now, author=agent.display_name)
    await store.append_log(ticket.id, entry)
    await store.record_first_response(ticket.id, now)
    return web.json_response({"entry": entry.to_dict()}, status=201)


async def note(request: web.Request) -> web.Response:
    ticket = await visible_ticket(request)
    text = text_field(await read_json(request))
    entry = TranscriptEntry(kind="note", text=text, at=time.time(), author=request["agent"].display_name)
    await request.app[STORE].append_log(ticket.id, entry)
    return web.json_response({"entry": entry.to_dict()}, status=201)


async def transfer(request: web.Request) -> web.Response:
    ticket = await visible_ticket(request)
    data = await read_json(request)
    store, agent = request.app[STORE], request["agent"]
    department, target = data.get("department"), data.get("agent_id")
    if (department is None) == (target is None):
        return auth.json_error(400, "invalid_payload", "Send either 'department' or 'agent_id'.")
    if ticket.status not in (TicketStatus.waiting, TicketStatus.assigned) or not (
        owns(agent, ticket) or auth.is_supervisor(agent)
    ):
        return auth.json_error(409, "not_your_ticket", "Only the assigned agent or a supervisor can transfer.")
    if department is not None and (not isinstance(department, str) or await store.get_department(department) is None):
        return auth.json_error(400, "unknown_department", f"No department {department!r}.")
    if target is not None and (not isinstance(target, str) or await store.get_agent(target) is None):
        return auth.json_error(400, "unknown_agent", f"No agent {target!r}.")
    updated = await store.transfer(ticket.id, by_agent=agent.id, department=department, agent_id=target)
    logger.info("conversation %s ticket %s: transferred by %s to %s", ticket.context.conversation_id,
                ticket.id, agent.id, department or target)
    return web.json_response({"ticket": await summary(store, updated)})


async def _release(request: web.Request, how: str, action: str) -> web.Response:
    ticket = await visible_ticket(request)
    store, agent = request.app[STORE], request["agent"]
    if not owns(agent, ticket):
        return auth.json_error(409, "not_your_ticket", "Only the assigned agent or a supervisor can do this.")
    await store.release(ticket.id, agent.id, how)
    try:
        await request.app[RASA].execute(ticket.context.conversation_id, ticket.context.channel, action)
    except RasaError as error:  # the conversation is back with the bot either way
        logger.error("conversation %s ticket %s: %s message not delivered: %s",
                     ticket.context.conversation_id, ticket.id, how, error)
    logger.info("conversation %s ticket %s: %s by %s", ticket.context.conversation_id, ticket.id, how, agent.id)
    return web.json_response({"ticket": await summary(store, await store.get_ticket(ticket.id))})


async def handback(request: web.Request) -> web.Response:
    return await _release(request, TicketStatus.handed_back.value, RETURN_ACTION)


async def close(request: web.Request) -> web.Response:
    return await _release(request, TicketStatus.closed.value, CLOSED_ACTION)


async def canned(request: web.Request) -> web.Response:
    language = request.query.get("language", "en")
    if language not in ("el", "ru", "lt", "en"):
        return auth.json_error(400, "unknown_language", "language must be el, ru, lt or en.")
    items = await request.app[STORE].canned(language)
    return web.json_response({"canned": [{"name": k, "text": v} for k, v in sorted(items.items())]})


async def departments(request: web.Request) -> web.Response:
    found = await request.app[STORE].departments()
    return web.json_response({"departments": [
        {"name": d.name, "timezone": d.timezone, "sla_seconds": d.sla_seconds} for d in found]})


def setup_api_routes(app: web.Application) -> None:
    app.router.add_post("/api/login", login)
    app.router.add_post("/api/logout", logout)
    app.router.add_get("/api/me", me)
    app.router.add_post("/api/presence", presence)
    app.router.add_get("/api/tickets", list_tickets)
    app.router.add_get("/api/tickets/{ticket_id}", get_ticket)
    app.router.add_post("/api/tickets/{ticket_id}/claim", claim)
    app.router.add_post("/api/tickets/{ticket_id}/messages", reply)
    app.router.add_post("/api/tickets/{ticket_id}/notes", note)
    app.router.add_post("/api/tickets/{ticket_id}/transfer", transfer)
    app.router.add_post("/api/tickets/{ticket_id}/handback", handback)
    app.router.add_post("/api/tickets/{ticket_id}/close", close)
    app.router.add_get("/api/canned", canned)
    app.router.add_get("/api/departments", departments)

