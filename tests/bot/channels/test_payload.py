from __future__ import annotations

import json

import pytest

from bot.channels.payload import PayloadError, clean_text, parse_rest_body


def test_valid_body_is_parsed_and_cleaned() -> None:
    raw = json.dumps({"sender": " c1 ", "message": " Γεια\u0000 σας ", "metadata": {"locale": "el-GR"}})
    incoming = parse_rest_body(raw.encode())
    assert (incoming.sender, incoming.text, incoming.metadata) == ("c1", "Γεια σας", {"locale": "el-GR"})


def test_text_is_nfc_normalised() -> None:
    assert clean_text("e\u0301") == "\u00e9"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"sender": "c1", "message": "hi", "metadata": [1]}, "invalid_metadata"),
        ({"sender": "x" * 200, "message": "hi"}, "invalid_sender"),
        ({"sender": "a\nb", "message": "hi"}, "invalid_sender"),
        ({"sender": 5, "message": "hi"}, "invalid_sender"),
        ({"sender": "c1", "message": 5}, "invalid_message"),
    ],
)
def test_invalid_fields_are_refused(payload: dict, code: str) -> None:
    with pytest.raises(PayloadError) as error:
        parse_rest_body(json.dumps(payload).encode())
    assert error.value.code == code
    assert error.value.status == 400


def test_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_MAX_MESSAGE_CHARS", "10")
    with pytest.raises(PayloadError) as error:
        parse_rest_body(json.dumps({"sender": "c", "message": "x" * 11}).encode())
    assert error.value.status == 413
    assert parse_rest_body(json.dumps({"sender": "c", "message": "x" * 10}).encode()).text == "x" * 10


def test_huge_body_is_refused_before_parsing() -> None:
    with pytest.raises(PayloadError) as error:
        parse_rest_body(b"{" + b" " * 70_000 + b"}")
    assert error.value.code == "body_too_large"


@pytest.mark.parametrize("sender", ["tg:99887766", "fb:1234567890", " TG:42", "Fb:7"])
def test_a_rest_sender_cannot_name_a_telegram_or_messenger_conversation(sender: str) -> None:
    with pytest.raises(PayloadError) as error:
        parse_rest_body(json.dumps({"sender": sender, "message": "hello"}).encode())
    assert (error.value.status, error.value.code) == (400, "invalid_sender")
    assert parse_rest_body(json.dumps({"sender": "tgx:1", "message": "hi"}).encode()).sender == "tgx:1"
