from __future__ import annotations

import json
from typing import Iterator

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered

from bot.channels.messenger import (
    Event,
    MessengerChannel,
    MessengerOutput,
    MessengerSettings,
    Profiles,
    check_signature,
    parse_events,
    quick_reply_buttons,
    signature,
    verify_subscription,
)
from bot.channels.platform import WebhookError
from bot.phrasing.templates import templates
from tests.bot.channels.conftest import HumanSide
from tests.e2e.platforms import (
    GraphApi,
    dumps,
    messenger_attachments,
    messenger_body,
    messenger_delivery,
    messenger_echo,
    messenger_postback,
    messenger_quick_reply,
    messenger_read,
    messenger_sticker,
    messenger_text,
)

APP_SECRET = "0123456789abcdef0123456789abcdef"
VERIFY = "verify-me"
SETTINGS = MessengerSettings("page-token", APP_SECRET, VERIFY, "http://127.0.0.1:9")


@pytest.fixture()
def graph() -> Iterator[GraphApi]:
    server = GraphApi("page-token").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def channel(graph: GraphApi) -> MessengerChannel:
    return MessengerChannel.from_credentials({"page_access_token": "page-token", "app_secret": APP_SECRET,
                                              "verify_token": VERIFY, "api_url": graph.url})


class Recorder:
    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)


def test_subscription_check_echoes_the_challenge() -> None:
    args = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    assert verify_subscription(SETTINGS, args) == "1158201444"


@pytest.mark.parametrize("args", [
    {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
    {"hub.mode": "subscribe", "hub.challenge": "1"},
    {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"},
])
def test_subscription_check_with_a_wrong_token_is_forbidden(args: dict) -> None:
    with pytest.raises(WebhookError) as error:
        verify_subscription(SETTINGS, args)
    assert error.value.status == 403


def test_signature_over_the_raw_body_passes() -> None:
    body = dumps(messenger_body(messenger_text("42", "Γεια σας")))
    check_signature(SETTINGS, signature(APP_SECRET, body), body)


def test_signature_is_checked_on_the_raw_bytes() -> None:
    raw = dumps(messenger_body(messenger_text("42", "Γεια σας")))
    reserialised = json.dumps(json.loads(raw)).encode()  # same JSON, \\u escapes: different bytes
    with pytest.raises(WebhookError) as error:
        check_signature(SETTINGS, signature(APP_SECRET, raw), reserialised)
    assert error.value.status == 403


@pytest.mark.parametrize(("header", "status"), [
    (None, 401), ("", 401), ("sha256=" + "0" * 64, 403), ("sha1=abc", 403),
    (signature("another-secret", b"{}"), 403),
])
def test_missing_or_forged_signature_is_refused(header: str | None, status: int) -> None:
    with pytest.raises(WebhookError) as error:
        check_signature(SETTINGS, header, b"{}")
    assert error.value.status == status


def test_unconfigured_channel_refuses_everything() -> None:
    settings = MessengerSettings(app_secret=APP_SECRET)
    for call in (lambda: check_signature(settings, signature(APP_SECRET, b"{}"), b"{}"),
                 lambda: verify_subscription(settings, {"hub.mode": "subscribe", "hub.verify_token": ""})):
        with pytest.raises(WebhookError) as error:
            call()
        assert error.value.status == 503
        assert "Messenger is not configured: set MESSENGER_PAGE_ACCESS_TOKEN, MESSENGER_VERIFY_TOKEN" in str(error.value)


def test_events_in_real_formats() -> None:
    body = messenger_body(
        messenger_text("1", "Labas"), messenger_quick_reply("1", "Taip", "/affirm"),
        messenger_postback("1", "Get Started", "/greet"), messenger_sticker("1"),
        messenger_echo("1", "Sveiki!"), messenger_delivery("1"), messenger_read("1"),
    )
    events = parse_events(body)
    assert [(e.kind, e.sender_id, e.text) for e in events] == [
        ("text", "fb:1", "Labas"), ("text", "fb:1", "/affirm"), ("text", "fb:1", "/greet"),
        ("attachment", "fb:1", ""),
    ]


@pytest.mark.parametrize(("raw", "attachment", "text"), [
    (messenger_sticker("1"), "[sticker 👍]", ""),
    (messenger_sticker("1", sticker_id=126361874215276), "[sticker]", ""),
    (messenger_attachments("1", "image", "sticker"), "[sticker]", ""),  # Meta's newer sticker type
    (messenger_attachments("1", "image"), "[photo]", ""),
    (messenger_attachments("1", "image", "image"), "[photo] [photo]", ""),
    (messenger_attachments("1", "file", text="Η απόδειξη"), "[document]", "Η απόδειξη"),
    (messenger_attachments("1", "fallback", text="https://example.com/order/42"), "[link]",
     "https://example.com/order/42"),
    (messenger_attachments("1", "appointment_booking"), "[attachment]", ""),
])
def test_attachments_are_described_for_an_agent_and_keep_their_text(raw: dict, attachment: str,
                                                                    text: str) -> None:
    [event] = parse_events(messenger_body(raw))
    assert (event.kind, event.sender_id, event.attachment, event.text) == (
        "attachment", "fb:1", attachment, text)


@pytest.mark.parametrize("body", [[], {"object": "instagram", "entry": []}, {"object": "page"},
                                  {"object": "page", "entry": {}}])
def test_malformed_bodies_are_refused(body: object) -> None:
    with pytest.raises(WebhookError) as error:
        parse_events(body)
    assert error.value.status == 400


def test_malformed_json_is_refused_after_the_signature(channel: MessengerChannel) -> None:
    body = b'{"object": "page", "entry": ['
    with pytest.raises(WebhookError) as error:
        channel.verify(signature(APP_SECRET, body), body)
    assert (error.value.status, error.value.code) == (400, "invalid_json")


def test_quick_replies_follow_messengers_limits() -> None:
    buttons = [{"title": f"Θέμα αριθμός {i} με πολύ μεγάλο τίτλο", "payload": f"/topic{i}"} for i in range(20)]
    replies = quick_reply_buttons(buttons)
    assert len(replies) == 13
    assert all(len(r["title"]) <= 20 and r["content_type"] == "text" for r in replies)
    assert replies[0]["payload"] == "/topic0"


async def test_bot_replies_are_responses_and_agent_replies_carry_the_human_agent_tag(graph: GraphApi) -> None:
    output = MessengerOutput(MessengerSettings("page-token", APP_SECRET, VERIFY, graph.url))
    # Exactly what Rasa hands the output channel for events posted by the handoff service.
    await output.send_response("fb:7", BotUttered("Καλησπέρα σας, είμαι η Μαρία.",
                                                  metadata={"handoff_agent": "Maria"}).message())
    await output.send_response("fb:7", BotUttered("Was this helpful?", data={"buttons": [
        {"title": "Yes", "payload": "/affirm"}]}, metadata={"utter_action": "utter_kb_was_helpful"}).message())
    agent, bot = graph.matching(graph.sent_to("7"))
    assert agent.body == {"recipient": {"id": "7"}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
                          "message": {"text": "Καλησπέρα σας, είμαι η Μαρία."}}
    assert bot.body == {"recipient": {"id": "7"}, "messaging_type": "RESPONSE", "message": {
        "text": "Was this helpful?", "quick_replies": [{"content_type": "text", "title": "Yes", "payload": "/affirm"}]}}
    assert agent.query == {"access_token": "page-token"}


async def test_profile_locale_is_fetched_once_and_normalised(graph: GraphApi) -> None:
    graph.profiles["8"] = {"first_name": "Jonas", "last_name": "Jonaitis", "locale": "lt_LT"}
    profiles = Profiles(MessengerSettings("page-token", APP_SECRET, VERIFY, graph.url))
    expected = {"locale": "lt-LT", "first_name": "Jonas", "last_name": "Jonaitis", "name": "Jonas Jonaitis"}
    assert await profiles.metadata("8") == expected
    assert await profiles.metadata("8") == expected
    assert len(graph.matching(lambda r: r.method == "profile/8")) == 1


async def test_a_failed_profile_lookup_does_not_lose_the_message(channel: MessengerChannel, graph: GraphApi) -> None:
    handle = Recorder()
    body = dumps(messenger_body(messenger_text("9", "Добрый день")))
    for event in channel.verify(signature(APP_SECRET, body), body):
        await channel.process(event, handle)
    [message] = handle.messages
    assert (message.text, message.sender_id, message.input_channel, message.metadata) == (
        "Добрый день", "fb:9", "messenger", {})
    assert graph.matching(lambda r: r.method == "profile/9")  # it was asked, and failed
    await channel.process(messenger_text_event("9", "Ещё вопрос"), handle)
    assert len(handle.messages) == 2
    assert len(graph.matching(lambda r: r.method == "profile/9")) == 1  # the failure is remembered


async def test_a_failed_lookup_is_retried_later(graph: GraphApi) -> None:
    profiles = Profiles(MessengerSettings("page-token", APP_SECRET, VERIFY, graph.url), retry_after=0)
    assert await profiles.metadata("13") == {}
    graph.profiles["13"] = {"first_name": "Ona", "locale": "lt_LT"}
    assert await profiles.metadata("13") == {"locale": "lt-LT", "first_name": "Ona", "name": "Ona"}


def messenger_text_event(psid: str, text: str) -> Event:
    [event] = parse_events(messenger_body(messenger_text(psid, text)))
    return event


async def test_sticker_gets_a_text_only_note_in_the_profile_language(channel: MessengerChannel,
                                                                     graph: GraphApi,
                                                                     redis_gate: HumanSide) -> None:
    graph.profiles["10"] = {"first_name": "Ελένη", "locale": "el_GR"}
    handle = Recorder()
    body = dumps(messenger_body(messenger_sticker("10"), messenger_echo("10", "x")))
    await channel.process_all(channel.verify(signature(APP_SECRET, body), body), handle)
    assert handle.messages == []
    [sent] = graph.matching(graph.sent_to("10"))
    assert sent.body["message"]["text"] == templates().render("utter_channel_text_only", "el").text
    assert sent.body["messaging_type"] == "RESPONSE"
    assert await redis_gate.inbox() == []


async def test_the_text_with_a_photo_is_the_customers_text(channel: MessengerChannel, graph: GraphApi,
                                                           redis_gate: HumanSide) -> None:
    graph.profiles["14"] = {"first_name": "Jonas", "locale": "lt_LT"}
    handle = Recorder()
    body = dumps(messenger_body(messenger_attachments("14", "image", text="Ar tai tinkamas kabelis?")))
    await channel.process_all(channel.verify(signature(APP_SECRET, body), body), handle)
    [message] = handle.messages
    assert (message.text, message.sender_id, message.input_channel) == (
        "Ar tai tinkamas kabelis?", "fb:14", "messenger")
    assert message.metadata["locale"] == "lt-LT"
    assert graph.matching(graph.sent_to("14")) == []  # no text-only note
    assert await redis_gate.inbox() == []


@pytest.mark.parametrize(("raw", "forwarded"), [
    (messenger_sticker("15"), "[sticker 👍]"),
    (messenger_attachments("15", "image", "image"), "[photo] [photo]"),
    (messenger_attachments("15", "image", text="Вот чек"), "[photo] Вот чек"),
])
async def test_an_attachment_reaches_the_agent_who_owns_the_conversation(
    channel: MessengerChannel, graph: GraphApi, redis_gate: HumanSide, raw: dict, forwarded: str
) -> None:
    graph.profiles["15"] = {"first_name": "Анна", "last_name": "Иванова", "locale": "ru_RU"}
    ticket_id = await redis_gate.owns("fb:15")
    handle = Recorder()
    body = dumps(messenger_body(raw))
    await channel.process_all(channel.verify(signature(APP_SECRET, body), body), handle)
    [entry] = await redis_gate.inbox()
    assert (entry.conversation_id, entry.ticket_id, entry.text) == ("fb:15", ticket_id, forwarded)
    assert entry.metadata["name"] == "Анна Иванова"
    [logged] = redis_gate.rasa.logged  # in the conversation's history too, like any text
    assert (logged.text, logged.input_channel) == (forwarded, "messenger")
    assert handle.messages == []  # the bot stays silent...
    assert graph.matching(graph.sent_to("15")) == []  # ...and sends no note


async def test_quick_reply_press_reaches_the_dialogue_with_the_payload(channel: MessengerChannel,
                                                                      graph: GraphApi) -> None:
    graph.profiles["11"] = {"first_name": "Анна", "last_name": "Иванова", "locale": "ru_RU"}
    handle = Recorder()
    body = dumps(messenger_body(messenger_quick_reply("11", "Да", "/affirm")))
    await channel.process_all(channel.verify(signature(APP_SECRET, body), body), handle)
    [message] = handle.messages
    assert (message.text, message.sender_id) == ("/affirm", "fb:11")
    assert message.metadata["locale"] == "ru-RU" and message.metadata["name"] == "Анна Иванова"
    assert isinstance(message.output_channel, MessengerOutput)


async def test_custom_json_is_not_sent_as_raw_text(graph: GraphApi) -> None:
    output = MessengerOutput(MessengerSettings("page-token", APP_SECRET, VERIFY, graph.url))
    await output.send_response("fb:12", {"custom": {"widget": "typing"}})
    await output.send_response("fb:12", {"text": "done"})
    [only] = graph.matching(graph.sent_to("12"))
    assert only.body["message"] == {"text": "done"}
