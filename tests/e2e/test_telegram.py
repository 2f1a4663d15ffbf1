"""Telegram end to end: real Update payloads posted to Rasa's webhook, replies recorded at a
loopback stand-in for the Bot API, and a conversation handed to an agent and back."""
from __future__ import annotations

import time
from typing import Callable

import pytest
import requests

from bot.kb import DEFAULT_ROOT, KnowledgeBase
from tests.conftest import RunningStack
from tests.e2e.agent_client import AgentClient
from tests.e2e.client import RasaClient, matches
from tests.e2e.conftest import PASSWORD
from tests.e2e.platforms import (
    Platforms,
    TelegramApi,
    dumps,
    new_id,
    telegram_callback,
    telegram_edited,
    telegram_message,
    telegram_photo,
    telegram_sticker,
    telegram_text,
    telegram_user,
    unique_surname,
)

GREETINGS = {"el": "Καλησπέρα σας", "ru": "Добрый вечер"}


@pytest.fixture()
def api(platforms: Platforms) -> TelegramApi:
    return platforms.telegram


def post(stack: RunningStack, update: dict | bytes, secret: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    body = update if isinstance(update, bytes) else dumps(update)
    return requests.post(f"{stack.rasa_url}/webhooks/telegram/webhook", data=body, headers=headers, timeout=10)


def send(stack: RunningStack, update: dict) -> None:
    reply = post(stack, update, stack.platforms.telegram_secret)
    assert reply.status_code == 200, reply.text


def texts(api: TelegramApi, chat_id: int, count: int) -> list[str]:
    return [r.body["text"] for r in api.wait_for(api.sent_to(chat_id), count)]


def sent_message(api: TelegramApi, chat_id: int, check: Callable[[dict], bool]) -> dict:
    """The first message sent to the chat that passes ``check``, once it arrived."""
    return api.wait_for(lambda r: api.sent_to(chat_id)(r) and check(r.body))[0].body


def callback_data(body: dict) -> list[str]:
    return [row[0].get("callback_data") for row in body.get("reply_markup", {}).get("inline_keyboard", [])]


def user_events(customer: RasaClient, chat_id: int) -> list[dict]:
    return [e for e in customer.tracker(f"tg:{chat_id}")["events"] if e["event"] == "user"]


def wait_user_events(customer: RasaClient, chat_id: int, count: int, timeout: float = 30) -> list[dict]:
    """The conversation's user events once ``count`` are saved (replies go out before the save)."""
    deadline = time.monotonic() + timeout
    while True:
        events = user_events(customer, chat_id)
        if len(events) >= count or time.monotonic() > deadline:
            return events
        time.sleep(0.1)


@pytest.mark.parametrize("language", list(GREETINGS))
def test_text_is_answered_in_the_customers_language(running_stack: RunningStack, api: TelegramApi,
                                                    customer: RasaClient, language: str) -> None:
    chat_id = new_id()
    send(running_stack, telegram_text(chat_id, GREETINGS[language], language_code=language))
    sent_message(api, chat_id, lambda m: matches(m["text"], "utter_greet", language))
    [event] = wait_user_events(customer, chat_id, 1)
    assert event["input_channel"] == "telegram"
    assert event["metadata"]["locale"] == language and event["metadata"]["name"] == "Maria Papadopoulou"


def test_buttons_are_an_inline_keyboard_and_a_press_is_answered(running_stack: RunningStack,
                                                                api: TelegramApi) -> None:
    chat_id = new_id()
    send(running_stack, telegram_text(chat_id, "τι είναι μια πύλη αυτοεξυπηρέτησης;", language_code="el"))
    title = KnowledgeBase.load(DEFAULT_ROOT).article("el", "self-service-portal").title
    sent_message(api, chat_id, lambda m: m["text"].startswith(title))
    helpful = sent_message(api, chat_id, lambda m: "/affirm" in callback_data(m))
    assert callback_data(helpful)[:3] == ["/affirm", "/deny", "/kb_read_more"]  # then the related articles
    assert all(len(data.encode()) <= 64 for data in callback_data(helpful))

    press = telegram_callback(chat_id, "/affirm", language_code="el")
    send(running_stack, press)
    api.wait_for(lambda r: r.method == "answerCallbackQuery"
                 and r.body["callback_query_id"] == press["callback_query"]["id"])
    sent_message(api, chat_id, lambda m: matches(m["text"], "utter_kb_feedback_thanks", "el"))


def test_sticker_gets_a_polite_note_and_edits_are_ignored(running_stack: RunningStack, api: TelegramApi,
                                                          customer: RasaClient) -> None:
    chat_id = new_id()
    send(running_stack, telegram_edited(chat_id, "hello"))
    send(running_stack, telegram_sticker(chat_id, language_code="ru"))
    [note] = texts(api, chat_id, 1)
    assert matches(note, "utter_channel_text_only", "ru"), note
    assert user_events(customer, chat_id) == []
    # The edit was acknowledged and dropped: only the note went out.
    assert len(api.matching(api.sent_to(chat_id))) == 1


def test_a_photos_caption_is_answered_like_text(running_stack: RunningStack, api: TelegramApi,
                                                customer: RasaClient) -> None:
    chat_id = new_id()
    send(running_stack, telegram_photo(chat_id, "ru", caption=GREETINGS["ru"]))
    sent_message(api, chat_id, lambda m: matches(m["text"], "utter_greet", "ru"))
    [event] = wait_user_events(customer, chat_id, 1)
    assert event["text"] == GREETINGS["ru"]
    assert not any(matches(r.body["text"], "utter_channel_text_only", "ru")
                   for r in api.matching(api.sent_to(chat_id)))


@pytest.mark.parametrize(("secret", "status"), [(None, 401), ("forged-secret", 403)])
def test_missing_or_forged_secret_is_refused(running_stack: RunningStack, api: TelegramApi,
                                             customer: RasaClient, secret: str | None, status: int) -> None:
    chat_id = new_id()
    reply = post(running_stack, telegram_text(chat_id, "Hello"), secret)
    assert reply.status_code == status
    assert reply.json()["error"] in ("missing_secret", "invalid_secret")
    # A real message afterwards proves the webhook is processed, and that nothing before it was.
    send(running_stack, telegram_text(chat_id + 1, "Good evening"))
    texts(api, chat_id + 1, 1)
    assert api.matching(api.sent_to(chat_id)) == []
    assert user_events(customer, chat_id) == []


def test_malformed_json_is_refused(running_stack: RunningStack, api: TelegramApi) -> None:
    reply = post(running_stack, b'{"update_id": 1, "message": {', running_stack.platforms.telegram_secret)
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_json"


def test_escalation_reaches_an_agent_and_the_reply_comes_back_on_telegram(
    running_stack: RunningStack, api: TelegramApi, customer: RasaClient, agents: tuple[str, str]
) -> None:
    maria = AgentClient(running_stack.handoff_url, agents[0], PASSWORD)
    maria.heartbeat(available=False)
    chat_id = new_id()
    surname = unique_surname("Παπα", chat_id, "αβγδεζηθικ")
    user = telegram_user(chat_id, "el", first_name="Ελένη", last_name=surname)
    send(running_stack, telegram_message(chat_id, user, text="Καλησπέρα σας"))
    texts(api, chat_id, 1)
    send(running_stack, telegram_message(chat_id, user, text="θέλω να μιλήσω με έναν άνθρωπο παρακαλώ"))
    sent_message(api, chat_id, lambda m: matches(m["text"], "utter_handoff_queued", "el"))
    ticket = maria.wait_for_ticket(lambda t: t["customer_name"] == f"Ελένη {surname}")
    assert ticket["channel"] == "telegram"
    ticket_id = ticket["id"]

    assert maria.post(f"/api/tickets/{ticket_id}/claim").status_code == 200
    reply = "Καλησπέρα σας, είμαι η Μαρία. Πώς μπορώ να σας βοηθήσω;"
    assert maria.post(f"/api/tickets/{ticket_id}/messages", {"text": reply}).status_code == 201
    assert sent_message(api, chat_id, lambda m: m["text"] == reply) == {"chat_id": str(chat_id), "text": reply}
    before = len(api.matching(api.sent_to(chat_id)))

    send(running_stack, telegram_text(chat_id, "Έχω μια ερώτηση για τον λογαριασμό μου", language_code="el"))
    maria.wait_for_transcript(ticket_id, ["Έχω μια ερώτηση για τον λογαριασμό μου"])
    assert len(api.matching(api.sent_to(chat_id))) == before  # the bot stayed silent

    # A sticker and a photo reach the agent as placeholders; the customer gets no text-only note.
    send(running_stack, telegram_sticker(chat_id, language_code="el"))
    send(running_stack, telegram_photo(chat_id, "el", caption="Αυτή είναι η απόδειξη"))
    maria.wait_for_transcript(ticket_id, ["[sticker 👍]", "[photo] Αυτή είναι η απόδειξη"])
    assert len(api.matching(api.sent_to(chat_id))) == before

    assert maria.post(f"/api/tickets/{ticket_id}/handback").status_code == 200
    sent_message(api, chat_id, lambda m: matches(m["text"], "utter_handback", "el"))
