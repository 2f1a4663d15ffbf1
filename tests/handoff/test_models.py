"""Records round-trip through JSON and refuse bad data with a clear ValueError."""
from __future__ import annotations

import json

import pytest

from handoff.models import (
    Agent,
    Department,
    InboxMessage,
    Role,
    Ticket,
    TicketContext,
    TicketEvent,
    TicketStatus,
    TranscriptEntry,
)
from tests.handoff.factories import agent, context


def ticket(**changes: object) -> Ticket:
    values = dict(id="T-1001", status=TicketStatus.assigned, department="billing", language="el",
                  priority_base=9.5, created_at=1000.25, assigned_at=1010.5, first_response_at=1020.0,
                  agent_id="maria", contact_email="maria@example.com",
                  context=context(frustration=(0.2, 0.95)))
    values.update(changes)
    return Ticket(**values)


def test_transcript_entry_round_trip() -> None:
    entry = TranscriptEntry(kind="customer", text="Γεια σας", at=12.5, intent="greet", confidence=0.8,
                            language="el", translation="Hello")
    assert TranscriptEntry.from_json(entry.to_json()) == entry
    assert TranscriptEntry.from_dict(entry.to_dict()) == entry
    assert TranscriptEntry.from_dict({"kind": "note", "text": "", "at": 1}).author is None


@pytest.mark.parametrize("data, field", [
    ({"kind": "robot", "text": "x", "at": 1}, "kind"),
    ({"kind": "bot", "text": 5, "at": 1}, "text"),
    ({"kind": "bot", "text": "x", "at": True}, "at"),
    ({"kind": "bot", "text": "x", "at": float("nan")}, "at"),
    ({"kind": "bot", "text": "x", "at": 1, "confidence": 1.5}, "confidence"),
    ({"kind": "bot", "text": "x"}, "at"),
])
def test_transcript_entry_rejects_bad_data(data: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        TranscriptEntry.from_dict(data)


def test_context_round_trip_and_immutability() -> None:
    original = context(frustration=(0.1, 0.7), vip=True)
    again = TicketContext.from_json(original.to_json())
    assert again == original
    assert isinstance(again.transcript, tuple) and isinstance(again.transcript[0], TranscriptEntry)
    assert again.intents == ({"name": "request_human", "confidence": 0.93},)
    with pytest.raises(AttributeError):
        again.language = "en"  # type: ignore[misc]
    # JSON objects are copied in: changing the caller's dict does not change the record.
    slots = {"vip": True}
    record = TicketContext(conversation_id="c", channel="rest", sender_id="c", language="en",
                           reason="kb_miss", slots=slots)
    slots["vip"] = False
    assert record.slots == {"vip": True}


@pytest.mark.parametrize("change, field", [
    ({"reason": "bored"}, "reason"),
    ({"vip": "yes"}, "vip"),
    ({"language": ""}, "language"),
    ({"conversation_id": "x" * 300}, "conversation_id"),
    ({"frustration": [0.5, 2]}, r"frustration\[1\]"),
    ({"intents": [{"name": "greet"}]}, r"intents\[0\].confidence"),
    ({"transcript": [{"kind": "bot", "text": "x"}]}, "at"),
    ({"culture": "el-GR"}, "culture"),
    ({"contact_email": "not-an-email"}, "contact_email"),
    ({"kb_offered": "billing"}, "kb_offered"),
])
def test_context_rejects_bad_data(change: dict, field: str) -> None:
    data = {**context().to_dict(), **change}
    with pytest.raises(ValueError, match=field):
        TicketContext.from_dict(data)


def test_context_missing_fields_are_named() -> None:
    with pytest.raises(ValueError, match="missing field.*channel.*reason"):
        TicketContext.from_dict({"conversation_id": "c", "sender_id": "c", "language": "en"})


def test_error_messages_do_not_quote_customer_text() -> None:
    secret = "my card number is 4111 1111 1111 1111 and more text here"
    with pytest.raises(ValueError) as caught:
        TicketContext.from_dict({**context().to_dict(), "contact_email": secret})
    assert "4111" not in str(caught.value)
    with pytest.raises(ValueError) as caught:
        TicketContext.from_dict({**context().to_dict(), "customer_name": secret * 10})
    assert "4111" not in str(caught.value)


def test_ticket_round_trips_through_json_and_redis_fields() -> None:
    original = ticket()
    assert Ticket.from_json(original.to_json()) == original
    fields = original.to_fields()
    assert fields["status"] == "assigned" and fields["conversation_id"] == "conv-1"
    assert fields["channel"] == "rest" and "closed_at" not in fields and "csat" not in fields
    assert Ticket.from_fields(fields) == original
    data = original.to_dict()
    assert data["conversation_id"] == "conv-1" and data["context"]["frustration"] == [0.2, 0.95]
    json.dumps(data)  # JSON-safe


@pytest.mark.parametrize("change, field", [
    ({"status": "lost"}, "status"),
    ({"csat": 6}, "csat"),
    ({"csat": True}, "csat"),
    ({"department": "Billing Team"}, "department"),
    ({"agent_id": "M"}, "agent_id"),
    ({"created_at": "yesterday"}, "created_at"),
])
def test_ticket_rejects_bad_data(change: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        Ticket.from_dict({**ticket().to_dict(), **change})


def test_damaged_ticket_hash_is_a_value_error() -> None:
    fields = ticket().to_fields()
    del fields["status"]
    with pytest.raises(ValueError, match="status"):
        Ticket.from_fields(fields)
    with pytest.raises(ValueError, match="context"):
        Ticket.from_fields({"id": "T-1"})


def test_agent_hides_its_password_hash_unless_asked() -> None:
    maria = agent("maria", languages=("EL", "en", "el"))
    assert maria.languages == ("el", "en")
    assert "password_hash" not in maria.to_dict() and "scrypt" not in maria.to_json()
    assert "scrypt" not in repr(maria)
    stored = maria.to_json(secrets=True)
    assert Agent.from_json(stored) == maria
    assert Agent.from_json(maria.to_json()).password_hash == ""
    lead = Agent.from_dict({"id": "lead", "display_name": "Lead", "role": "supervisor"})
    assert lead.role is Role.supervisor


@pytest.mark.parametrize("data, field", [
    ({"id": "Maria Papadopoulou", "display_name": "M"}, "id"),
    ({"id": "maria", "display_name": "M", "role": "boss"}, "role"),
    ({"id": "maria", "display_name": "M", "capacity": -1}, "capacity"),
    ({"id": "maria", "display_name": "M", "departments": ["Sales!"]}, "departments"),
    ({"id": "maria", "display_name": ""}, "display_name"),
    ({"id": "maria"}, "display_name"),
])
def test_agent_rejects_bad_data(data: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        Agent.from_dict(data)


def test_department_round_trip_and_defaults() -> None:
    billing = Department(name="billing", timezone="Europe/Athens",
                         hours={"tue": [["13:00", "17:00"], ["09:00", "12:00"]], "mon": [["22:00", "02:00"]]})
    assert list(billing.hours) == ["mon", "tue"]
    assert billing.hours["tue"] == (("09:00", "12:00"), ("13:00", "17:00"))
    assert Department.from_json(billing.to_json()) == billing
    assert Department.from_dict({"name": "general"}) == Department(name="general", timezone="UTC", hours={},
                                                                     sla_seconds=300, avg_handle_seconds=300)


@pytest.mark.parametrize("change, message", [
    ({"timezone": "Europe/Atlantis"}, "unknown timezone 'Europe/Atlantis'"),
    ({"timezone": ""}, "timezone"),
    ({"hours": {"monday": [["09:00", "17:00"]]}}, "hours"),
    ({"hours": {"mon": [["9:00", "17:00"]]}}, r"hours.mon\[0\]\[0\]"),
    ({"hours": {"mon": [["09:00", "25:00"]]}}, r"hours.mon\[0\]\[1\]"),
    ({"hours": {"mon": [["09:00", "09:00"]]}}, "same time"),
    ({"hours": {"mon": [["09:00"]]}}, "pair"),
    ({"hours": {"mon": [["24:00", "02:00"]]}}, "24:00"),
    ({"sla_seconds": 0}, "sla_seconds"),
    ({"name": "x"}, "name"),
])
def test_department_rejects_bad_data(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Department.from_dict({"name": "billing", **change})


def test_event_and_inbox_records() -> None:
    event = TicketEvent.from_stream("1-0", {"type": "ticket.created", "ticket_id": "T-1", "at": "5.5",
                                            "data": '{"department": "general"}'})
    assert event.data == {"department": "general"} and TicketEvent.from_json(event.to_json()) == event
    message = InboxMessage(conversation_id="c", ticket_id="T-1", text="Привет", at=3.25,
                           metadata={"locale": "ru"})
    stored = InboxMessage.from_stream("2-0", message.to_fields())
    assert stored.to_dict() == {**message.to_dict(), "id": "2-0"}
    with pytest.raises(ValueError, match="ticket_id"):
        InboxMessage.from_stream("3-0", {"conversation_id": "c", "text": "x", "at": "1"})


@pytest.mark.parametrize("text", ["{", "[]", "null", b"\xff"])
def test_from_json_refuses_non_objects(text: str) -> None:
    with pytest.raises(ValueError, match="TranscriptEntry"):
        TranscriptEntry.from_json(text)
