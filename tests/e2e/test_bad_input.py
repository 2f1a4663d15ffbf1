"""Bad requests to the REST channel get a clear JSON error and change nothing."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.conftest import RunningStack
from tests.e2e.client import RasaClient, response_texts


@pytest.fixture()
def client(running_stack: RunningStack) -> RasaClient:
    return RasaClient(running_stack.rasa_url, running_stack.token)


def body(sender: str, message: object) -> bytes:
    return json.dumps({"sender": sender, "message": message}).encode()


@pytest.mark.parametrize(
    ("make_body", "status", "code"),
    [
        (lambda s: body(s, ""), 400, "empty_message"),
        (lambda s: body(s, "   \n\t "), 400, "empty_message"),
        (lambda s: body(s, None), 400, "invalid_message"),
        (lambda s: body(s, "x" * 10_000), 413, "message_too_long"),
        (lambda s: b'{"sender": "' + s.encode() + b'", "message": ', 400, "invalid_json"),
        (lambda s: b'{"sender": "' + s.encode() + b'", "message": "\xff\xfe hi"}', 400, "invalid_encoding"),
        (lambda s: b"[1, 2, 3]", 400, "invalid_payload"),
        (lambda s: json.dumps({"message": "hello"}).encode(), 400, "invalid_sender"),
    ],
    ids=["empty", "blank", "null", "10k-chars", "invalid-json", "invalid-utf8", "not-object", "no-sender"],
)
def test_bad_request_is_refused_and_nothing_is_recorded(
    client: RasaClient, make_body, status: int, code: str
) -> None:
    sender = f"bad-{uuid.uuid4().hex[:10]}"
    reply = client.post_raw(make_body(sender))
    assert reply.status_code == status
    assert reply.json()["error"] == code
    assert reply.json()["message"]
    events = client.tracker(sender)["events"]
    assert not [e for e in events if e["event"] == "user"]


def test_server_keeps_serving_after_bad_requests(client: RasaClient) -> None:
    for _ in range(3):
        assert client.post_raw(b"\x00\xff{{{").status_code == 400
    [reply] = client.say(f"ok-{uuid.uuid4().hex[:10]}", "hello there")
    assert reply in response_texts("utter_greet")["en"]
