"""What a customer receives, turn by turn, on the trained model over the REST channel.

Anger gets a reply that acknowledges it whatever intent the model reads it as; a plain
greeting gets no apology; one Latin word keeps a Greek conversation Greek; gibberish is
"not understood"; a complaint about an order gets the reply that says what the bot can
and cannot do; a knowledge-base answer carries every button on its last message.
"""
from __future__ import annotations

import uuid

import pytest
import requests

from tests.conftest import RunningStack
from tests.e2e.agent_client import AgentClient
from tests.e2e.client import RasaClient, language_of_reply
from tests.e2e.conftest import PASSWORD

ACKNOWLEDGING = {"utter_frustration_acknowledge", "utter_frustration_offer_human", "utter_frustration_escalate",
                 "utter_frustration_sorry", "utter_complaint"}
APOLOGIES = {"utter_frustration_acknowledge", "utter_frustration_offer_human", "utter_frustration_escalate"}

# Anger in the forms the intent model reads as something else: a "no", a "yes", a goodbye,
# a greeting, thanks, "are you a bot", emoji alone.
ANGRY = {
    "en": ["NO!!! This is the third time I'm writing the same thing!!!", "YES, I ALREADY TOLD YOU THAT, ARE YOU DEAF?!",
           "Bye. You are completely useless!!!", "Hello?!?! Is anyone there? Third time I write!!!",
           "Thanks for nothing, idiots.", "😡😡😡", "Are you even a real person? This is ridiculous!!!"],
    "el": ["ΟΧΙ!!! Τρίτη φορά σας γράφω το ίδιο πράγμα!!!", "ΝΑΙ, ΣΑΣ ΤΟ ΕΙΠΑ ΗΔΗ, ΔΕΝ ΔΙΑΒΑΖΕΤΕ;!",
           "Αντίο. Είστε εντελώς άχρηστοι!!!", "Γεια;;; Υπάρχει κανείς; Τρίτη φορά γράφω!!!",
           "Ευχαριστώ για το τίποτα, άχρηστοι.", "😡😡😡", "Είστε καν άνθρωπος; Αυτό είναι γελοίο!!!"],
    "ru": ["НЕТ!!! Я уже третий раз пишу одно и то же!!!", "ДА, Я ЖЕ УЖЕ СКАЗАЛ, ВЫ ЧИТАТЬ УМЕЕТЕ?!",
           "До свидания. Вы абсолютно бесполезны!!!", "Алло?!?! Тут есть кто-нибудь? Третий раз пишу!!!",
           "Спасибо за ничего, идиоты.", "😡😡😡", "Вы вообще живой человек? Это просто смешно!!!"],
    "lt": ["NESUPRANTATE MANES, jau trečią kartą rašau!!!", "TAIP, AŠ JAU SAKIAU, AR JŪS SKAITOTE?!",
           "Viso gero. Jūs visiškai beverčiai!!!", "Alio?!?! Ar čia yra kas nors? Trečią kartą rašau!!!",
           "Ačiū už nieką, idiotai.", "😡😡😡", "Ar jūs apskritai žmogus? Tai juokinga!!!"],
}


def say(stack: RunningStack, sender: str, text: str) -> tuple[list[dict], list[str], dict]:
    """The bot's messages, the names of the responses it sent, and the tracker after."""
    client = RasaClient(stack.rasa_url, stack.token)
    before = len(client.tracker(sender)["events"])
    reply = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                          json={"sender": sender, "message": text}, timeout=60)
    assert reply.status_code == 200, reply.text
    tracker = client.tracker(sender)
    responses = [(e.get("metadata") or {}).get("utter_action") for e in tracker["events"][before:]
                 if e.get("event") == "bot"]
    return reply.json(), [r for r in responses if r], tracker


def intent_of(tracker: dict) -> str:
    return tracker["latest_message"]["intent"]["name"]


def sender() -> str:
    return f"quality-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("language", sorted(ANGRY))
def test_no_angry_message_gets_a_reply_that_ignores_the_feeling(
        running_stack: RunningStack, agents: tuple[str, str], language: str) -> None:
    AgentClient(running_stack.handoff_url, agents[0], PASSWORD).heartbeat(available=False)
    intents = set()
    for text in ANGRY[language]:
        _, responses, tracker = say(running_stack, sender(), text)
        intents.add(intent_of(tracker))
        handed_over = tracker["slots"]["handoff_state"] in ("waiting", "offline")
        assert set(responses) & ACKNOWLEDGING or handed_over, (text, intent_of(tracker), responses)
    assert len(intents) >= 3, intents  # read as several intents, acknowledged under each


@pytest.mark.parametrize(("language", "greeting"), [
    ("el", "Γεια σας"), ("el", "Καλησπέρα σας"), ("ru", "Здравствуйте"), ("lt", "Laba diena"), ("en", "Hello"),
])
def test_a_plain_greeting_is_greeted_without_an_apology(running_stack: RunningStack, language: str,
                                                        greeting: str) -> None:
    replies, responses, tracker = say(running_stack, sender(), greeting)
    assert responses == ["utter_greet"], responses
    assert not set(responses) & APOLOGIES
    assert language_of_reply(replies[0]["text"]) == language


@pytest.mark.parametrize("word", ["ok", "👍", "thanks", "NPS"])
def test_one_latin_word_keeps_a_greek_conversation_greek(running_stack: RunningStack, word: str) -> None:
    customer = sender()
    say(running_stack, customer, "Καλησπέρα σας, τι είναι ο δείκτης NPS;")
    replies, _, tracker = say(running_stack, customer, word)
    assert tracker["slots"]["language"] == "el"
    texts = [r["text"] for r in replies if r.get("text")]
    assert texts and all(language_of_reply(t) in ("el", None) for t in texts), texts


@pytest.mark.parametrize("text", ["asdkjh", "ыфвафыв", "qwerty zxcv", "🤔"])
def test_gibberish_is_not_understood_never_a_no_or_a_goodbye(running_stack: RunningStack, text: str) -> None:
    _, responses, tracker = say(running_stack, sender(), text)
    assert intent_of(tracker) == "nlu_fallback"
    assert responses == ["utter_rephrase"], responses


@pytest.mark.parametrize(("language", "text"), [
    ("ru", "Где мой возврат? Жду уже три недели…"),
    ("en", "my order still hasn't arrived and it's been two weeks"),
    ("el", "Μου χρέωσαν δύο φορές την ίδια παραγγελία"),
    ("lt", "Gavau sugadintą prekę, ką daryti?"),
])
def test_a_complaint_about_an_order_says_what_the_bot_can_do_and_offers_a_person(
        running_stack: RunningStack, agents: tuple[str, str], language: str, text: str) -> None:
    AgentClient(running_stack.handoff_url, agents[0], PASSWORD).heartbeat(available=False)
    replies, responses, tracker = say(running_stack, sender(), text)
    handed_over = tracker["slots"]["handoff_state"] in ("waiting", "offline")
    assert "utter_complaint" in responses or handed_over, (intent_of(tracker), responses)
    if not handed_over:
        assert [b["payload"] for b in replies[-1].get("buttons") or []] == ["/request_human"]


def test_an_answer_carries_every_button_on_its_last_message(running_stack: RunningStack) -> None:
    # The widget and Messenger show only the last message's buttons.
    replies, responses, _ = say(running_stack, sender(), "What is the Net Promoter Score?")
    assert responses[:2] == ["utter_kb_answer", "utter_kb_was_helpful"], responses
    assert len(replies) == 2  # the title and the answer in one message, then "was this helpful?"
    payloads = [b["payload"] for b in replies[-1]["buttons"]]
    assert payloads[:3] == ["/affirm", "/deny", "/kb_read_more"]
    assert all(p.startswith('/ask_question{"kb_article":') for p in payloads[3:])
