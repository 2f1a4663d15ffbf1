from __future__ import annotations

import json
from typing import Iterator

import pytest
from rasa.core.channels.channel import UserMessage

from bot.channels import gate
from bot.channels.platform import WebhookError
from bot.channels.telegram import (
    TelegramChannel,
    TelegramOutput,
    TelegramSettings,
    check_secret,
    inline_keyboard,
    parse_update,
)
from bot.phrasing.templates import templates
from tests.bot.channels.conftest import HumanSide
from tests.e2e.platforms import (
    TelegramApi,
    dumps,
    telegram_callback,
    telegram_document,
    telegram_edited,
    telegram_message,
    telegram_photo,
    telegram_sticker,
    telegram_text,
    telegram_user,
)

SECRET = "s3cret-token_A"


@pytest.fixture()
def api() -> Iterator[TelegramApi]:
    server = TelegramApi("123456:test-token").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def channel(api: TelegramApi) -> TelegramChannel:
    return TelegramChannel.from_credentials({"token": api.token, "secret_token": SECRET, "api_url": api.url + "/"})


class Recorder:
    """Stands in for the gated dialogue: records the messages the channel hands over."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)


def test_settings_come_from_credentials_with_a_default_api_url() -> None:
    settings = TelegramSettings.from_credentials({"token": " t ", "secret_token": "s", "api_url": ""})
    assert settings == TelegramSettings("t", "s", "https://api.telegram.org")
    assert settings.method_url("sendMessage") == "https://api.telegram.org/bott/sendMessage"


@pytest.mark.parametrize(
    ("header", "status", "code"),
    [(None, 401, "missing_secret"), ("", 401, "missing_secret"), ("wrong", 403, "invalid_secret"),
     (SECRET + "x", 403, "invalid_secret"), (SECRET[:-1], 403, "invalid_secret")],
)
def test_secret_header_must_match(header: str | None, status: int, code: str) -> None:
    with pytest.raises(WebhookError) as error:
        check_secret(TelegramSettings("t", SECRET), header)
    assert (error.value.status, error.value.code) == (status, code)


def test_right_secret_passes() -> None:
    check_secret(TelegramSettings("t", SECRET), SECRET)


@pytest.mark.parametrize("settings", [TelegramSettings("t", ""), TelegramSettings("", SECRET), TelegramSettings()])
def test_unconfigured_channel_refuses_everything(settings: TelegramSettings) -> None:
    with pytest.raises(WebhookError) as error:
        check_secret(settings, SECRET)
    assert error.value.status == 503
    assert str(error.value).startswith("Telegram is not configured: set TELEGRAM_")


def test_text_message_carries_locale_and_names() -> None:
    update = parse_update(telegram_text(4242, "Καλησπέρα σας", language_code="el"))
    assert (update.kind, update.sender_id, update.text) == ("text", "tg:4242", "Καλησπέρα σας")
    assert update.metadata == {"locale": "el", "first_name": "Maria", "last_name": "Papadopoulou",
                               "name": "Maria Papadopoulou"}


def test_callback_query_is_the_users_payload() -> None:
    raw = telegram_callback(77, "/affirm", language_code="ru")
    update = parse_update(raw)
    assert (update.kind, update.sender_id, update.text) == ("text", "tg:77", "/affirm")
    assert update.callback_query_id == raw["callback_query"]["id"]
    assert update.metadata["locale"] == "ru"


@pytest.mark.parametrize(("raw", "attachment", "caption"), [
    (telegram_sticker(5), "[sticker 👍]", ""),
    (telegram_photo(5), "[photo]", ""),
    (telegram_photo(5, caption="Είναι αυτό το σωστό καλώδιο;"), "[photo]", "Είναι αυτό το σωστό καλώδιο;"),
    (telegram_document(5, caption="Счёт за март"), "[document]", "Счёт за март"),
    (telegram_document(5, animation={"file_id": "CgACAgQAAxkBAAIF", "duration": 3}), "[GIF]", ""),
    (telegram_message(5, telegram_user(5), voice={"file_id": "AwACAgIAAxkBAAIG", "duration": 2}),
     "[voice message]", ""),
    (telegram_message(5, telegram_user(5), story={"chat": {"id": 9}, "id": 3}), "[attachment]", ""),
])
def test_attachments_are_described_for_an_agent_and_keep_their_caption(raw: dict, attachment: str,
                                                                      caption: str) -> None:
    update = parse_update(raw)
    assert (update.kind, update.sender_id, update.attachment, update.text) == (
        "attachment", "tg:5", attachment, caption)


@pytest.mark.parametrize("raw", [
    telegram_edited(5, "fixed typo"),
    {"update_id": 1, "my_chat_member": {"chat": {"id": 5}}},
    {"update_id": 2},
])
def test_edits_and_updates_without_a_message_are_ignored(raw: dict) -> None:
    assert parse_update(raw).kind == "ignored"


@pytest.mark.parametrize("raw", [[], {"message": {"text": "hi"}}, {"update_id": "1"},
                                 {"update_id": 1, "message": {"text": "hi", "chat": {}}}])
def test_malformed_updates_are_refused(raw: object) -> None:
    with pytest.raises(WebhookError) as error:
        parse_update(raw)
    assert error.value.status == 400


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b""])
def test_malformed_body_is_refused_after_the_secret(channel: TelegramChannel, body: bytes) -> None:
    with pytest.raises(WebhookError) as error:
        channel.verify(SECRET, body)
    assert error.value.status == 400
    with pytest.raises(WebhookError) as error:
        channel.verify("forged", body)
    assert error.value.status == 403  # the secret is checked before the body is read


def test_buttons_respect_the_64_byte_callback_limit() -> None:
    long_payload = '/choose_topic{"topic":"' + "x" * 80 + '"}'
    keyboard = inline_keyboard([{"title": "Ναι", "payload": "/affirm"},
                                {"title": "Περισσότερα για τη μέτρηση NPS και CSAT", "payload": long_payload}])
    rows = keyboard["inline_keyboard"]
    assert rows[0] == [{"text": "Ναι", "callback_data": "/affirm"}]
    assert len(rows[1][0]["callback_data"].encode("utf-8")) <= 64
    assert "Περισσότερα για τη".startswith(rows[1][0]["callback_data"][:18])


async def test_output_sends_text_and_inline_keyboard(api: TelegramApi) -> None:
    output = TelegramOutput(TelegramSettings(api.token, SECRET, api.url))
    await output.send_response("tg:99", {"text": "Was this helpful?", "buttons": [
        {"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]})
    [sent] = api.matching(api.sent_to(99))
    assert sent.body == {"chat_id": "99", "text": "Was this helpful?", "reply_markup": {"inline_keyboard": [
        [{"text": "Yes", "callback_data": "/affirm"}], [{"text": "No", "callback_data": "/deny"}]]}}


async def test_long_text_is_split_under_telegrams_limit(api: TelegramApi) -> None:
    output = TelegramOutput(TelegramSettings(api.token, SECRET, api.url))
    await output.send_text_message("tg:99", ("word " * 1500).strip())
    sent = api.matching(api.sent_to(99))
    assert len(sent) == 2
    assert all(len(s.body["text"]) <= 4096 for s in sent)


async def test_api_failure_is_logged_not_raised(api: TelegramApi, caplog: pytest.LogCaptureFixture) -> None:
    output = TelegramOutput(TelegramSettings("wrong-token", SECRET, api.url))
    await output.send_text_message("tg:99", "secret customer text")
    assert api.requests == []
    assert "HTTP 401" in caplog.text and "secret customer text" not in caplog.text


async def test_button_press_is_answered_and_handed_to_the_dialogue(channel: TelegramChannel, api: TelegramApi) -> None:
    raw = telegram_callback(31, "/deny", language_code="lt")
    handle = Recorder()
    await channel.process(channel.verify(SECRET, dumps(raw)), handle)
    [answer] = api.matching(lambda r: r.method == "answerCallbackQuery")
    assert answer.body == {"callback_query_id": raw["callback_query"]["id"]}
    [message] = handle.messages
    assert (message.text, message.sender_id, message.input_channel) == ("/deny", "tg:31", "telegram")
    assert message.metadata["locale"] == "lt"
    assert isinstance(message.output_channel, TelegramOutput)


@pytest.mark.parametrize(("language", "raw"), [("el", telegram_sticker(32, "el")), ("ru", telegram_photo(33, "ru"))])
async def test_attachment_gets_a_polite_text_only_note(channel: TelegramChannel, api: TelegramApi,
                                                       redis_gate: HumanSide, language: str,
                                                       raw: dict) -> None:
    handle = Recorder()
    await channel.process(channel.verify(SECRET, dumps(raw)), handle)
    assert handle.messages == []
    [sent] = api.matching(api.sent_to(raw["message"]["chat"]["id"]))
    assert sent.body["text"] == templates().render("utter_channel_text_only", language).text
    assert await redis_gate.inbox() == [] and redis_gate.rasa.logged == []


async def test_a_photos_caption_is_the_customers_text(channel: TelegramChannel, api: TelegramApi,
                                                      redis_gate: HumanSide) -> None:
    handle = Recorder()
    raw = telegram_photo(35, "el", caption="  Είναι αυτό το σωστό καλώδιο;\u0007")
    await channel.process(channel.verify(SECRET, dumps(raw)), handle)
    [message] = handle.messages
    assert (message.text, message.sender_id, message.input_channel) == (
        "Είναι αυτό το σωστό καλώδιο;", "tg:35", "telegram")
    assert message.metadata["locale"] == "el"
    assert api.matching(api.sent_to(35)) == []  # no text-only note
    assert await redis_gate.inbox() == []


@pytest.mark.parametrize(("raw", "forwarded"), [
    (telegram_sticker(36, "ru"), "[sticker 👍]"),
    (telegram_photo(36, "ru"), "[photo]"),
    (telegram_photo(36, "ru", caption="Вот чек"), "[photo] Вот чек"),
    (telegram_document(36, caption="Счёт за март"), "[document] Счёт за март"),
])
async def test_an_attachment_reaches_the_agent_who_owns_the_conversation(
    channel: TelegramChannel, api: TelegramApi, redis_gate: HumanSide, raw: dict, forwarded: str
) -> None:
    ticket_id = await redis_gate.owns("tg:36")
    handle = Recorder()
    await channel.process(channel.verify(SECRET, dumps(raw)), handle)
    [entry] = await redis_gate.inbox()
    assert (entry.conversation_id, entry.ticket_id, entry.text) == ("tg:36", ticket_id, forwarded)
    assert entry.metadata["name"] == "Maria Papadopoulou"
    [logged] = redis_gate.rasa.logged  # in the conversation's history too, like any text
    assert (logged.text, logged.input_channel) == (forwarded, "telegram")
    assert handle.messages == []  # the bot stays silent...
    assert api.matching(api.sent_to(36)) == []  # ...and sends no note


async def test_a_caption_does_not_cancel_a_waiting_handoff_but_text_does(
    channel: TelegramChannel, api: TelegramApi, redis_gate: HumanSide
) -> None:
    caption = "отмена"
    ticket_id = await redis_gate.owns("tg:38")
    redis_gate.rasa.intent = {"name": gate.CANCEL_INTENT, "confidence": 0.99}
    handle = Recorder()
    await channel.process(channel.verify(SECRET, dumps(telegram_photo(38, "ru", caption=caption))), handle)
    [entry] = await redis_gate.inbox()
    assert (entry.ticket_id, entry.text) == (ticket_id, f"[photo] {caption}")
    assert redis_gate.rasa.executed == []  # still waiting for the agent
    # The same words as text do cancel: the stand-in's reading is what cancels.
    assert await gate.route_to_human(UserMessage(caption, sender_id="tg:38"))
    assert redis_gate.rasa.executed == [("tg:38", gate.CANCEL_ACTION)]


async def test_a_too_long_caption_is_refused_politely(channel: TelegramChannel, api: TelegramApi,
                                                      redis_gate: HumanSide,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_MAX_MESSAGE_CHARS", "20")
    await redis_gate.owns("tg:37")
    handle = Recorder()
    await channel.process(channel.verify(SECRET, dumps(telegram_photo(37, caption="x" * 21))), handle)
    [sent] = api.matching(api.sent_to(37))
    assert sent.body["text"] == templates().render("utter_channel_too_long", "en").text
    assert handle.messages == [] and await redis_gate.inbox() == []


async def test_too_long_text_is_refused_politely(channel: TelegramChannel, api: TelegramApi,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_MAX_MESSAGE_CHARS", "20")
    handle = Recorder()
    await channel.process(channel.verify(SECRET, json.dumps(telegram_text(34, "x" * 21)).encode()), handle)
    assert handle.messages == []
    [sent] = api.matching(api.sent_to(34))
    assert sent.body["text"] == templates().render("utter_channel_too_long", "en").text


def test_output_channel_exists_only_when_configured() -> None:
    assert TelegramChannel(TelegramSettings()).get_output_channel() is None
    assert isinstance(TelegramChannel(TelegramSettings("t", "s")).get_output_channel(), TelegramOutput)


async def test_custom_json_is_not_sent_as_raw_text(api: TelegramApi) -> None:
    output = TelegramOutput(TelegramSettings(api.token, SECRET, api.url))
    await output.send_response("tg:12", {"custom": {"widget": "typing"}})
    await output.send_response("tg:12", {"text": "done"})
    [only] = api.matching(api.sent_to(12))
    assert only.body == {"chat_id": "12", "text": "done"}
