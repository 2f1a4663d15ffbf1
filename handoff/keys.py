"""Every Redis key the handoff package uses, under one prefix.

Keys built from an id are ``<family prefix><id>`` so the Lua scripts in
``handoff.queue`` can build them from the same prefixes (passed in as arguments)
instead of repeating the formats here.
"""
from __future__ import annotations

PREFIX = "rapport:handoff:"

# Counters, index sets and streams.
TICKET_SEQ = f"{PREFIX}ticket_seq"          # INCR -> ticket number (T-1001, T-1002, ...)
OPEN_TICKETS = f"{PREFIX}open_tickets"      # SET of ticket ids that are waiting, assigned or offline
QUEUE_DEPARTMENTS = f"{PREFIX}queue_departments"  # SET of department names that ever had a queue
AGENTS = f"{PREFIX}agents"                  # SET of agent ids
DEPARTMENTS = f"{PREFIX}departments"        # SET of department names
CANNED_LANGUAGES = f"{PREFIX}canned_languages"  # SET of languages with canned responses
PRESENCE = f"{PREFIX}presence"              # ZSET agent id -> last heartbeat (epoch seconds)
AVAILABILITY = f"{PREFIX}availability"      # HASH agent id -> "1" available / "0" away
EVENTS = f"{PREFIX}events"                  # STREAM of ticket events (type, ticket_id, at, data)
EVENTS_MAXLEN = 10_000                      # approximate cap of EVENTS
INBOX = f"{PREFIX}inbox"                    # STREAM of customer messages while a human owns the chat
INBOX_GROUP = "handoff"                     # consumer group of INBOX (a group name, not a key)
INBOX_DEAD = f"{PREFIX}inbox_dead"          # STREAM of inbox entries that failed too often

TICKET_PREFIX = f"{PREFIX}ticket:"
TICKET_LOG_PREFIX = f"{PREFIX}ticket_log:"
TICKET_LOG_DEDUPE_PREFIX = f"{PREFIX}ticket_log_dedupe:"
CONVERSATION_PREFIX = f"{PREFIX}conversation:"
CONVERSATION_OFFLINE_PREFIX = f"{PREFIX}conversation_offline:"
QUEUE_PREFIX = f"{PREFIX}queue:"
OFFLINE_PREFIX = f"{PREFIX}offline:"
AGENT_PREFIX = f"{PREFIX}agent:"
AGENT_TICKETS_PREFIX = f"{PREFIX}agent_tickets:"
DEPARTMENT_PREFIX = f"{PREFIX}department:"
CANNED_PREFIX = f"{PREFIX}canned:"
SESSION_PREFIX = f"{PREFIX}session:"


def ticket(ticket_id: str) -> str:
    """HASH of one ticket's scalar fields plus ``context`` (JSON of TicketContext)."""
    return f"{TICKET_PREFIX}{ticket_id}"


def ticket_log(ticket_id: str) -> str:
    """STREAM of transcript entries after escalation (field ``entry``: JSON)."""
    return f"{TICKET_LOG_PREFIX}{ticket_id}"


def ticket_log_dedupe(ticket_id: str) -> str:
    """HASH dedupe key -> log entry id, so at-least-once writers append once."""
    return f"{TICKET_LOG_DEDUPE_PREFIX}{ticket_id}"


def conversation(conversation_id: str) -> str:
    """STRING ticket id: the ownership flag (a human owns the conversation)."""
    return f"{CONVERSATION_PREFIX}{conversation_id}"


def conversation_offline(conversation_id: str) -> str:
    """STRING id of the conversation's open offline ticket (not an ownership flag)."""
    return f"{CONVERSATION_OFFLINE_PREFIX}{conversation_id}"


def queue(department: str) -> str:
    """ZSET of waiting ticket ids, score = created_at (FIFO)."""
    return f"{QUEUE_PREFIX}{department}"


def offline(department: str) -> str:
    """ZSET of offline ticket ids (messages left outside business hours), score = created_at."""
    return f"{OFFLINE_PREFIX}{department}"


def agent(agent_id: str) -> str:
    """STRING: JSON of the Agent, password hash included."""
    return f"{AGENT_PREFIX}{agent_id}"


def agent_tickets(agent_id: str) -> str:
    """SET of the ticket ids assigned to an agent (its load)."""
    return f"{AGENT_TICKETS_PREFIX}{agent_id}"


def department(name: str) -> str:
    """STRING: JSON of the Department."""
    return f"{DEPARTMENT_PREFIX}{name}"


def canned(language: str) -> str:
    """HASH name -> text of canned responses in one language."""
    return f"{CANNED_PREFIX}{language}"


def session(token: str) -> str:
    """STRING: JSON of an agent console session (expires)."""
    return f"{SESSION_PREFIX}{token}"
