"""The records of the handoff: what crosses Redis and HTTP, with explicit JSON.

Every record is a frozen, keyword-only dataclass. The constructor validates and
normalises (sequences become tuples, JSON objects are copied), so a record that exists
is valid; ``from_dict`` turns a JSON object into one and raises ``ValueError`` with the
offending field's name on bad data. Error messages never quote customer text.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Mapping, Sequence, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T", bound="_Record")

ENTRY_KINDS = ("customer", "bot", "agent", "note", "system")
REASONS = ("customer_request", "repeated_fallback", "frustration", "kb_miss")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AGENT_ID = re.compile(r"[a-z0-9._-]{2,32}")
DEPARTMENT_NAME = re.compile(r"[a-z0-9-]{2,32}")
TICKET_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
LANGUAGE = re.compile(r"[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")
MAX_ID_CHARS = 256


class TicketStatus(str, Enum):
    waiting = "waiting"
    assigned = "assigned"
    offline = "offline"
    handed_back = "handed_back"
    closed = "closed"
    cancelled = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({TicketStatus.waiting, TicketStatus.assigned, TicketStatus.offline})


class Role(str, Enum):
    agent = "agent"
    supervisor = "supervisor"
    admin = "admin"


# -- validation helpers -------------------------------------------------------------------

def _show(value: Any) -> str:
    """A short, safe description of a bad value for an error message."""
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"a string of {len(value)} characters"
    return f"a {type(value).__name__}"


def _fail(where: str, name: str, expected: str, value: Any) -> ValueError:
    return ValueError(f"{where}.{name} must be {expected}, got {_show(value)}")


def _text(where: str, name: str, value: Any, *, optional: bool = False, empty: bool = False,
          max_len: int | None = None, pattern: re.Pattern[str] | None = None, quote: bool = True) -> Any:
    if value is None and optional:
        return None
    expected = "a string" + (" or null" if optional else "")
    if not isinstance(value, str):
        raise _fail(where, name, expected, value)
    if not empty and not value.strip():
        raise ValueError(f"{where}.{name} must not be empty")
    if max_len is not None and len(value) > max_len:
        raise ValueError(f"{where}.{name} must be at most {max_len} characters, got {len(value)}")
    if pattern is not None and not pattern.fullmatch(value):
        shown = _show(value) if quote else "a value"
        raise ValueError(f"{where}.{name} must match {pattern.pattern}, got {shown}")
    return value


def _number(where: str, name: str, value: Any, *, optional: bool = False,
            lo: float | None = None, hi: float | None = None) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _fail(where, name, "a finite number" + (" or null" if optional else ""), value)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _fail(where, name, f"at least {lo}" if hi is None else f"between {lo} and {hi}", value)
    return float(value)


def _integer(where: str, name: str, value: Any, *, optional: bool = False,
             lo: int | None = None, hi: int | None = None) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, name, "an integer" + (" or null" if optional else ""), value)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _fail(where, name, f"an integer between {lo} and {hi}", value)
    return value


def _json_object(where: str, name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, name, "a JSON object", value)
    try:
        return json.loads(json.dumps(dict(value), allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}.{name} must be JSON-serialisable ({exc})") from None


def _sequence(where: str, name: str, value: Any) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise _fail(where, name, "a list", value)
    return tuple(value)


def _enum(where: str, name: str, enum: type[Enum], value: Any) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise _fail(where, name, f"one of {allowed}", value) from None


def _set(record: Any, name: str, value: Any) -> None:
    object.__setattr__(record, name, value)


def valid_timezone(name: Any) -> ZoneInfo:
    """The zone for an IANA name, or a ValueError that says what is wrong."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"timezone must be an IANA zone name such as 'Europe/Athens', got {_show(name)}")
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError (a KeyError), ValueError, OSError for odd paths
        raise ValueError(
            f"unknown timezone {name!r}: use an IANA zone name such as 'Europe/Athens' "
            "(install the system tz database or the 'tzdata' package if none is known)"
        ) from None


class _Record:
    """to_json / from_json on top of each record's to_dict / from_dict."""

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - every record overrides it
        raise NotImplementedError

    @classmethod
    def from_dict(cls: type[T], data: Any) -> T:  # pragma: no cover - every record overrides it
        raise NotImplementedError

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_json(cls: type[T], text: str | bytes) -> T:
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{cls.__name__}: not valid JSON ({exc})") from None
        return cls.from_dict(data)


def _fields(cls: type, data: Any, required: Sequence[str], optional: Sequence[str]) -> dict[str, Any]:
    """The known keys of a JSON object; missing required keys are an error, unknown keys ignored."""
    where = cls.__name__
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected a JSON object, got {_show(data)}")
    missing = [name for name in required if name not in data]
    if missing:
        raise ValueError(f"{where}: missing field(s) {', '.join(missing)}")
    return {name: data[name] for name in (*required, *optional) if name in data}


# -- records --------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class TranscriptEntry(_Record):
    """One line of the conversation, as the agent sees it."""

    kind: str
    text: str
    at: float
    author: str | None = None
    intent: str | None = None
    confidence: float | None = None
    language: str | None = None
    translation: str | None = None

    def __post_init__(self) -> None:
        w = type(self).__name__
        if self.kind not in ENTRY_KINDS:
            raise _fail(w, "kind", f"one of {', '.join(ENTRY_KINDS)}", self.kind)
        _text(w, "text", self.text, empty=True)
        _set(self, "at", _number(w, "at", self.at, lo=0))
        _text(w, "author", self.author, optional=True, max_len=128)
        _text(w, "intent", self.intent, optional=True, max_len=128)
        _set(self, "confidence", _number(w, "confidence", self.confidence, optional=True, lo=0, hi=1))
        _text(w, "language", self.language, optional=True, pattern=LANGUAGE)
        _text(w, "translation", self.translation, optional=True, empty=True)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "text": self.text, "at": self.at, "author": self.author,
            "intent": self.intent, "confidence": self.confidence, "language": self.language,
            "translation": self.translation,
        }

    @classmethod
    def from_dict(cls, data: Any) -> TranscriptEntry:
        return cls(**_fields(cls, data, ("kind", "text", "at"),
                             ("author", "intent", "confidence", "language", "translation")))


@dataclass(frozen=True, kw_only=True)
class TicketContext(_Record):
    """What the bot knew when it escalated; never changes afterwards."""

    conversation_id: str
    channel: str
    sender_id: str
    language: str
    reason: str
    customer_name: str | None = None
    culture: dict[str, Any] = field(default_factory=dict)
    transcript: tuple[TranscriptEntry, ...] = ()
    intents: tuple[dict[str, Any], ...] = ()
    kb_offered: tuple[str, ...] = ()
    frustration: tuple[float, ...] = ()
    slots: dict[str, Any] = field(default_factory=dict)
    vip: bool = False
    contact_email: str | None = None

    def __post_init__(self) -> None:
        w = type(self).__name__
        _text(w, "conversation_id", self.conversation_id, max_len=MAX_ID_CHARS)
        _text(w, "channel", self.channel, max_len=64)
        _text(w, "sender_id", self.sender_id, max_len=MAX_ID_CHARS)
        _text(w, "language", self.language, pattern=LANGUAGE)
        if self.reason not in REASONS:
            raise _fail(w, "reason", f"one of {', '.join(REASONS)}", self.reason)
        _text(w, "customer_name", self.customer_name, optional=True, max_len=200, quote=False)
        _set(self, "culture", _json_object(w, "culture", self.culture))
        _set(self, "slots", _json_object(w, "slots", self.slots))
        transcript = _sequence(w, "transcript", self.transcript)
        for i, entry in enumerate(transcript):
            if not isinstance(entry, TranscriptEntry):
                raise _fail(w, f"transcript[{i}]", "a TranscriptEntry", entry)
        _set(self, "transcript", transcript)
        intents = []
        for i, item in enumerate(_sequence(w, "intents", self.intents)):
            if not isinstance(item, Mapping):
                raise _fail(w, f"intents[{i}]", "an object {name, confidence}", item)
            name = _text(w, f"intents[{i}].name", item.get("name"), max_len=128)
            confidence = _number(w, f"intents[{i}].confidence", item.get("confidence"), lo=0, hi=1)
            intents.append({"name": name, "confidence": confidence})
        _set(self, "intents", tuple(intents))
        offered = _sequence(w, "kb_offered", self.kb_offered)
        for i, article in enumerate(offered):
            _text(w, f"kb_offered[{i}]", article, max_len=200)
        _set(self, "kb_offered", offered)
        _set(self, "frustration", tuple(
            _number(w, f"frustration[{i}]", level, lo=0, hi=1)
            for i, level in enumerate(_sequence(w, "frustration", self.frustration))
        ))
        if not isinstance(self.vip, bool):
            raise _fail(w, "vip", "true or false", self.vip)
        _text(w, "contact_email", self.contact_email, optional=True, max_len=254, pattern=EMAIL, quote=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id, "channel": self.channel, "sender_id": self.sender_id,
            "customer_name": self.customer_name, "language": self.language, "culture": dict(self.culture),
            "transcript": [entry.to_dict() for entry in self.transcript],
            "intents": [dict(item) for item in self.intents], "kb_offered": list(self.kb_offered),
            "frustration": list(self.frustration), "slots": dict(self.slots), "reason": self.reason,
            "vip": self.vip, "contact_email": self.contact_email,
        }

    @classmethod
    def from_dict(cls, data: Any) -> TicketContext:
        values = _fields(cls, data, ("conversation_id", "channel", "sender_id", "language", "reason"),
                         ("customer_name", "culture", "transcript", "intents", "kb_offered",
                          "frustration", "slots", "vip", "contact_email"))
        if "transcript" in values:
            raw = _sequence(cls.__name__, "transcript", values["transcript"])
            values["transcript"] = tuple(TranscriptEntry.from_dict(item) for item in raw)
        return cls(**values)


@dataclass(frozen=True, kw_only=True)
class Ticket(_Record):
    """One escalated conversation; the store keeps it as a Redis hash (see to_fields)."""

    id: str
    status: TicketStatus
    department: str
    language: str
    created_at: float
    context: TicketContext
    priority_base: float = 0.0
    assigned_at: float | None = None
    first_response_at: float | None = None
    closed_at: float | None = None
    agent_id: str | None = None
    csat: int | None = None
    contact_email: str | None = None

    SCALARS: ClassVar[tuple[str, ...]] = (
        "status", "department", "language", "agent_id", "priority_base", "created_at", "assigned_at",
        "first_response_at", "closed_at", "csat", "contact_email",
    )

    def __post_init__(self) -> None:
        w = type(self).__name__
        _text(w, "id", self.id, pattern=TICKET_ID)
        _set(self, "status", _enum(w, "status", TicketStatus, self.status))
        _text(w, "department", self.department, pattern=DEPARTMENT_NAME)
        _text(w, "language", self.language, pattern=LANGUAGE)
        _set(self, "priority_base", _number(w, "priority_base", self.priority_base))
        _set(self, "created_at", _number(w, "created_at", self.created_at, lo=0))
        for name in ("assigned_at", "first_response_at", "closed_at"):
            _set(self, name, _number(w, name, getattr(self, name), optional=True, lo=0))
        _text(w, "agent_id", self.agent_id, optional=True, pattern=AGENT_ID)
        _integer(w, "csat", self.csat, optional=True, lo=1, hi=5)
        _text(w, "contact_email", self.contact_email, optional=True, max_len=254, pattern=EMAIL, quote=False)
        if not isinstance(self.context, TicketContext):
            raise _fail(w, "context", "a TicketContext", self.context)

    @property
    def conversation_id(self) -> str:
        return self.context.conversation_id

    @property
    def channel(self) -> str:
        return self.context.channel

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "status": self.status.value, "department": self.department,
            "language": self.language, "priority_base": self.priority_base, "created_at": self.created_at,
            "assigned_at": self.assigned_at, "first_response_at": self.first_response_at,
            "closed_at": self.closed_at, "agent_id": self.agent_id, "csat": self.csat,
            "contact_email": self.contact_email, "conversation_id": self.conversation_id,
            "channel": self.channel, "context": self.context.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Ticket:
        values = _fields(cls, data, ("id", "status", "department", "language", "created_at", "context"),
                         ("priority_base", "assigned_at", "first_response_at", "closed_at", "agent_id",
                          "csat", "contact_email"))
        values["context"] = TicketContext.from_dict(values["context"])
        return cls(**values)

    def to_fields(self) -> dict[str, str]:
        """The Redis hash: scalars as strings (None left out), context as JSON."""
        data = self.to_dict()
        fields = {"id": self.id, "conversation_id": self.conversation_id, "channel": self.channel,
                  "context": self.context.to_json()}
        for name in self.SCALARS:
            value = data[name]
            if value is not None:
                fields[name] = repr(value) if isinstance(value, float) else str(value)
        return fields

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Ticket:
        """Inverse of to_fields; ValueError if the hash is damaged."""
        try:
            context = TicketContext.from_json(fields["context"])
            values: dict[str, Any] = {"id": fields["id"], "context": context}
            for name in cls.SCALARS:
                raw = fields.get(name)
                if raw is None or raw == "":
                    continue
                if name in ("priority_base", "created_at", "assigned_at", "first_response_at", "closed_at"):
                    values[name] = float(raw)
                elif name == "csat":
                    values[name] = int(raw)
                else:
                    values[name] = raw
            return cls(**values)
        except KeyError as exc:
            raise ValueError(f"Ticket hash is missing field {exc}") from None
        except TypeError as exc:
            raise ValueError(f"Ticket hash is incomplete ({exc})") from None


@dataclass(frozen=True, kw_only=True)
class Agent(_Record):
    """A person in the console. ``password_hash`` is only serialised with ``secrets=True``."""

    id: str
    display_name: str
    role: Role = Role.agent
    departments: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    capacity: int = 3
    password_hash: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        w = type(self).__name__
        _text(w, "id", self.id, pattern=AGENT_ID)
        _text(w, "display_name", self.display_name, max_len=80)
        _set(self, "role", _enum(w, "role", Role, self.role))
        departments = _sequence(w, "departments", self.departments)
        for i, name in enumerate(departments):
            _text(w, f"departments[{i}]", name, pattern=DEPARTMENT_NAME)
        _set(self, "departments", tuple(dict.fromkeys(departments)))
        languages = _sequence(w, "languages", self.languages)
        for i, language in enumerate(languages):
            _text(w, f"languages[{i}]", language, pattern=LANGUAGE)
        _set(self, "languages", tuple(dict.fromkeys(language.lower() for language in languages)))
        _integer(w, "capacity", self.capacity, lo=0, hi=100)
        _text(w, "password_hash", self.password_hash, empty=True, max_len=1024)

    def to_dict(self, *, secrets: bool = False) -> dict[str, Any]:
        data = {
            "id": self.id, "display_name": self.display_name, "role": self.role.value,
            "departments": list(self.departments), "languages": list(self.languages),
            "capacity": self.capacity,
        }
        if secrets:
            data["password_hash"] = self.password_hash
        return data

    def to_json(self, *, secrets: bool = False) -> str:
        return json.dumps(self.to_dict(secrets=secrets), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Any) -> Agent:
        return cls(**_fields(cls, data, ("id", "display_name"),
                             ("role", "departments", "languages", "capacity", "password_hash")))


@dataclass(frozen=True, kw_only=True)
class Department(_Record):
    """A team with its business hours (local to ``timezone``) and service targets."""

    name: str
    timezone: str = "UTC"
    hours: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    sla_seconds: int = 300
    avg_handle_seconds: int = 300
    # Knowledge-base topics this team owns: article ids or id prefixes ("metric-").
    topics: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        w = type(self).__name__
        _text(w, "name", self.name, pattern=DEPARTMENT_NAME)
        topics = tuple(_sequence(w, "topics", self.topics))
        for i, topic in enumerate(topics):
            _text(w, f"topics[{i}]", topic, max_len=64)
        _set(self, "topics", topics)
        try:
            valid_timezone(self.timezone)
        except ValueError as exc:
            raise ValueError(f"{w}.timezone: {exc}") from None
        if not isinstance(self.hours, Mapping):
            raise _fail(w, "hours", "an object weekday -> [[start, end], ...]", self.hours)
        hours: dict[str, tuple[tuple[str, str], ...]] = {}
        for day, intervals in self.hours.items():
            if day not in WEEKDAYS:
                raise _fail(w, "hours", f"keyed by {', '.join(WEEKDAYS)}", day)
            parsed = []
            for i, interval in enumerate(_sequence(w, f"hours.{day}", intervals)):
                where = f"hours.{day}[{i}]"
                pair = _sequence(w, where, interval)
                if len(pair) != 2:
                    raise _fail(w, where, "a pair [start, end]", interval)
                start = _text(w, f"{where}[0]", pair[0], pattern=CLOCK)
                end = _text(w, f"{where}[1]", pair[1], pattern=CLOCK)
                if start == "24:00":
                    raise ValueError(f"{w}.{where}: an interval cannot start at 24:00")
                if start == end:
                    raise ValueError(f"{w}.{where}: start and end are the same time ({start})")
                parsed.append((start, end))
            hours[day] = tuple(sorted(parsed))
        _set(self, "hours", {day: hours[day] for day in WEEKDAYS if day in hours})
        _integer(w, "sla_seconds", self.sla_seconds, lo=1, hi=7 * 86400)
        _integer(w, "avg_handle_seconds", self.avg_handle_seconds, lo=1, hi=86400)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "timezone": self.timezone,
            "hours": {day: [list(pair) for pair in pairs] for day, pairs in self.hours.items()},
            "sla_seconds": self.sla_seconds, "avg_handle_seconds": self.avg_handle_seconds,
            "topics": list(self.topics),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Department:
        optional = ("timezone", "hours", "sla_seconds", "avg_handle_seconds", "topics")
        return cls(**_fields(cls, data, ("name",), optional))


@dataclass(frozen=True, kw_only=True)
class TicketEvent(_Record):
    """One entry of the events stream (keys.EVENTS)."""

    id: str
    type: str
    ticket_id: str
    at: float
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        w = type(self).__name__
        _text(w, "id", self.id)
        _text(w, "type", self.type, max_len=64)
        _text(w, "ticket_id", self.ticket_id, pattern=TICKET_ID)
        _set(self, "at", _number(w, "at", self.at, lo=0))
        _set(self, "data", _json_object(w, "data", self.data))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "ticket_id": self.ticket_id, "at": self.at,
                "data": dict(self.data)}

    @classmethod
    def from_dict(cls, data: Any) -> TicketEvent:
        return cls(**_fields(cls, data, ("id", "type", "ticket_id", "at"), ("data",)))

    @classmethod
    def from_stream(cls, entry_id: str, fields: Mapping[str, str]) -> TicketEvent:
        try:
            return cls(id=entry_id, type=fields["type"], ticket_id=fields["ticket_id"],
                       at=float(fields["at"]), data=json.loads(fields.get("data") or "{}"))
        except KeyError as exc:
            raise ValueError(f"TicketEvent {entry_id} is missing field {exc}") from None


@dataclass(frozen=True, kw_only=True)
class InboxMessage(_Record):
    """A customer message that arrived while a human owns the conversation (keys.INBOX)."""

    conversation_id: str
    ticket_id: str
    text: str
    at: float
    metadata: dict[str, Any] = field(default_factory=dict)
    id: str | None = None  # the stream entry id once stored

    def __post_init__(self) -> None:
        w = type(self).__name__
        _text(w, "conversation_id", self.conversation_id, max_len=MAX_ID_CHARS)
        _text(w, "ticket_id", self.ticket_id, pattern=TICKET_ID)
        _text(w, "text", self.text, empty=True)
        _set(self, "at", _number(w, "at", self.at, lo=0))
        _set(self, "metadata", _json_object(w, "metadata", self.metadata))
        _text(w, "id", self.id, optional=True)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "conversation_id": self.conversation_id, "ticket_id": self.ticket_id,
                "text": self.text, "at": self.at, "metadata": dict(self.metadata)}

    @classmethod
    def from_dict(cls, data: Any) -> InboxMessage:
        return cls(**_fields(cls, data, ("conversation_id", "ticket_id", "text", "at"), ("metadata", "id")))

    def to_fields(self) -> dict[str, str]:
        return {"conversation_id": self.conversation_id, "ticket_id": self.ticket_id, "text": self.text,
                "at": repr(self.at), "metadata": json.dumps(self.metadata, ensure_ascii=False)}

    @classmethod
    def from_stream(cls, entry_id: str, fields: Mapping[str, str]) -> InboxMessage:
        try:
            at = float(fields["at"])
            metadata = json.loads(fields.get("metadata") or "{}")
            return cls(id=entry_id, conversation_id=fields["conversation_id"], ticket_id=fields["ticket_id"],
                       text=fields["text"], at=at, metadata=metadata)
        except KeyError as exc:
            raise ValueError(f"InboxMessage {entry_id} is missing field {exc}") from None
