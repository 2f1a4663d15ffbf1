"""The website widget's socket.io channel: rooms, metadata and bad input.

The channel's handlers run on a real python-socketio server (its room manager is the
thing that makes pushed messages reach a reloaded page); only the dialogue behind the
handoff gate is a recorder, and the gate asks a real Redis whether a human owns the
conversation.
"""
from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOOutput

from bot.channels.payload import PayloadError
from bot.channels.socketio import ERROR_EVENT, MAX_METADATA_CHARS, SocketIOChannel, read_metadata
from tests.bot.channels.conftest import HumanSide

NAMESPACE = "/"
WEBCHAT = {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
           "session_persistence": True, "metadata_key": "customData"}
VISITOR = {"locale": "el-GR", "timezone": "Europe/Athens"}
ENGINE_IO_IDS = itertools.count(1)


class Dialogue:
    """Stands in for Rasa's message handling: records what the channel hands over."""

    def __init__(self, fail: bool = False) -> None:
        self.messages: list[UserMessage] = []
        self.fail = fail

    async def __call__(self, message: UserMessage) -> None:
        if self.fail:
            raise RuntimeError("the dialogue is down")
        self.messages.append(message)


class Widget:
    """The channel's socket.io server with one connected socket and what it was sent."""

    def __init__(self, channel: SocketIOChannel, dialogue: Dialogue) -> None:
        self.channel = channel
        self.dialogue = dialogue
        channel.blueprint(dialogue)
        self.sio = channel.sio
        self.sent: list[tuple[str, Any, str | None]] = []
        emit = self.sio.emit

        async def recording_emit(event: str, data: Any = None, room: str | None = None, **kwargs: Any) -> None:
            self.sent.append((event, data, room))
            await emit(event, data, room=room, **kwargs)

        self.sio.emit = recording_emit  # type: ignore[method-assign]
        self.sid = ""

    async def connect(self) -> str:
        self.sid = await self.sio.manager.connect(f"eio-{next(ENGINE_IO_IDS)}", NAMESPACE)
        return self.sid

    async def trigger(self, event: str, data: Any) -> None:
        await self.sio.handlers[NAMESPACE][event](self.sid, data)

    def rooms(self) -> list[str]:
        return self.sio.rooms(self.sid, namespace=NAMESPACE)

    def errors(self) -> list[dict]:
        return [data for event, data, room in self.sent if event == ERROR_EVENT and room == self.sid]


@pytest.fixture()
async def widget(redis_gate: HumanSide) -> Widget:
    widget = Widget(SocketIOChannel.from_credentials(WEBCHAT), Dialogue())
    await widget.connect()
    return widget


# --- metadata ---------------------------------------------------------------------

def test_webchat_custom_data_is_the_metadata() -> None:
    assert read_metadata({"message": "hi", "customData": VISITOR}, "customData") == VISITOR


def test_rasa_default_key_and_json_strings_are_read_too() -> None:
    assert read_metadata({"metadata": VISITOR}, "customData") == VISITOR
    assert read_metadata({"customData": json.dumps(VISITOR)}, "customData") == VISITOR
    assert read_metadata({"customData": {"locale": "lt-LT"}, "metadata": VISITOR}, "customData") == {"locale": "lt-LT"}


@pytest.mark.parametrize("data", [{}, {"customData": None}, {"customData": ""}])
def test_missing_metadata_is_empty(data: dict) -> None:
    assert read_metadata(data, "customData") == {}


@pytest.mark.parametrize(("value", "code"), [
    ([1, 2], "invalid_metadata"),
    ("not json", "invalid_metadata"),
    ('["a"]', "invalid_metadata"),
    (42, "invalid_metadata"),
    ({"locale": "x" * MAX_METADATA_CHARS}, "metadata_too_large"),
])
def test_bad_metadata_is_refused(value: Any, code: str) -> None:
    with pytest.raises(PayloadError) as error:
        read_metadata({"customData": value}, "customData")
    assert error.value.code == code


# --- sessions and rooms ------------------------------------------------------------

async def test_session_request_joins_the_session_room_and_confirms_it(widget: Widget) -> None:
    await widget.trigger("session_request", {"session_id": "visitor-1"})
    assert "visitor-1" in widget.rooms()
    assert ("session_confirm", "visitor-1", widget.sid) in widget.sent


async def test_reloaded_page_gets_messages_pushed_to_its_session(widget: Widget) -> None:
    await widget.trigger("session_request", {"session_id": "visitor-2"})
    reloaded = await widget.connect()  # the page reloads: a new socket, the same session
    await widget.trigger("session_request", {"session_id": "visitor-2"})
    assert "visitor-2" in widget.rooms()
    output = widget.channel.get_output_channel()
    assert isinstance(output, SocketIOOutput)
    await output.send_text_message("visitor-2", "Καλησπέρα σας, είμαι η Μαρία.")
    assert ("bot_uttered", {"text": "Καλησπέρα σας, είμαι η Μαρία."}, "visitor-2") in widget.sent
    assert reloaded in widget.sio.manager.rooms[NAMESPACE]["visitor-2"]


@pytest.mark.parametrize("data", [None, "visitor", {}, {"session_id": ""}, {"session_id": 7},
                                  {"session_id": "x" * 200}, {"session_id": "a\nb"}, {"session_id": "   "}])
async def test_bad_session_request_gets_a_fresh_session(widget: Widget, data: Any) -> None:
    await widget.trigger("session_request", data)
    [(event, session_id, room)] = widget.sent
    assert (event, room) == ("session_confirm", widget.sid)
    assert len(session_id) == 32 and session_id in widget.rooms()


# --- messages ----------------------------------------------------------------------

async def test_message_reaches_the_dialogue_with_the_visitors_metadata(widget: Widget) -> None:
    # A reloaded page may write before asking for its session again: it joins the room too.
    await widget.trigger("user_uttered", {"message": " Γεια σας ", "session_id": "visitor-3", "customData": VISITOR})
    [message] = widget.dialogue.messages
    assert (message.text, message.sender_id, message.input_channel) == ("Γεια σας", "visitor-3", "socketio")
    assert message.metadata == VISITOR
    assert isinstance(message.output_channel, SocketIOOutput)
    assert "visitor-3" in widget.rooms()
    assert widget.errors() == []


@pytest.mark.parametrize(("data", "code"), [
    (None, "invalid_payload"),
    ("Γεια σας", "invalid_payload"),
    (["Γεια σας"], "invalid_payload"),
    ({"message": "Γεια σας"}, "no_session"),
    ({"message": "Γεια σας", "session_id": ""}, "no_session"),
    ({"message": "Γεια σας", "session_id": "x" * 200}, "no_session"),
    ({"message": "", "session_id": "v"}, "empty_message"),
    ({"message": " \u0000\n ", "session_id": "v"}, "empty_message"),
    ({"session_id": "v"}, "invalid_message"),
    ({"message": 42, "session_id": "v"}, "invalid_message"),
    ({"message": {"text": "hi"}, "session_id": "v"}, "invalid_message"),
    ({"message": "hi", "session_id": "v", "customData": [1]}, "invalid_metadata"),
    ({"message": "hi", "session_id": "v", "customData": {"x": "y" * 5000}}, "metadata_too_large"),
])
async def test_bad_message_gets_an_error_event_and_reaches_nothing(widget: Widget, data: Any, code: str) -> None:
    await widget.trigger("user_uttered", data)
    assert widget.dialogue.messages == []
    [error] = widget.errors()
    assert error["error"] == code and error["message"]


async def test_too_long_message_is_refused(widget: Widget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_MAX_MESSAGE_CHARS", "20")
    await widget.trigger("user_uttered", {"message": "α" * 21, "session_id": "v"})
    assert widget.dialogue.messages == []
    assert [e["error"] for e in widget.errors()] == ["message_too_long"]
    await widget.trigger("user_uttered", {"message": "α" * 20, "session_id": "v"})
    assert [m.text for m in widget.dialogue.messages] == ["α" * 20]


async def test_dialogue_failure_becomes_an_error_event(redis_gate: HumanSide) -> None:
    widget = Widget(SocketIOChannel.from_credentials(WEBCHAT), Dialogue(fail=True))
    await widget.connect()
    await widget.trigger("user_uttered", {"message": "Γεια σας", "session_id": "visitor-4"})
    assert [e["error"] for e in widget.errors()] == ["unavailable"]


def test_a_socket_session_cannot_be_a_telegram_or_messenger_conversation() -> None:
    from bot.channels.socketio import valid_session_id

    assert not valid_session_id("tg:99887766") and not valid_session_id("fb:1234567890")
    assert valid_session_id("4f1c2b7e9a0d4e3f8a6b5c4d3e2f1a0b")
