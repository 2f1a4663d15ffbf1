"""The website widget in a real browser: the demo page served by the handoff service
embeds rasa-webchat (installed from npm), which talks to Rasa's socket.io channel."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.conftest import RunningStack
from tests.e2e.agent_client import AgentClient
from tests.e2e.client import RasaClient, matches
from tests.e2e.conftest import PASSWORD

GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
LATIN_OR_CYRILLIC = re.compile(r"[A-Za-z\u0400-\u04ff]")
# The bundle's stylesheet imports a web font from Google; the page's policy blocks it.
BLOCKED_FONT = "Loading the stylesheet 'https://fonts.googleapis.com/"


@pytest.fixture()
def greek_visitor(browser: Browser, running_stack: RunningStack) -> Iterator[Page]:
    """A visitor whose browser says Greek, in Athens, on the demo shop page."""
    context = browser.new_context(locale="el-GR", timezone_id="Europe/Athens",
                                  viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []  # script errors and blocked requests (content security policy)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith(BLOCKED_FONT) else None)
    page.goto(f"{running_stack.handoff_url}/demo")
    yield page
    context.close()
    assert not errors, errors


def open_chat(page: Page) -> None:
    page.locator(".rw-launcher").click()
    expect(page.locator(".rw-new-message")).to_be_visible()


def send(page: Page, text: str) -> None:
    page.locator(".rw-new-message").fill(text)
    page.locator(".rw-new-message").press("Enter")
    expect(page.locator(".rw-client").filter(has_text=text).last).to_be_visible()


def replies(page: Page) -> list[str]:
    """The bot's and agents' messages shown in the widget, oldest first."""
    return page.locator(".rw-response .rw-message-text").all_inner_texts()


def wait_for_reply(page: Page, accept: Callable[[str], bool], after: int = 0, timeout: float = 60) -> str:
    """The first message past the first ``after`` ones that ``accept`` accepts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [text for text in replies(page)[after:] if accept(text)]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no such message in the widget; it shows {replies(page)}")


def session_id(page: Page) -> str:
    stored = page.evaluate("() => window.localStorage.getItem('chat_session')")
    return json.loads(stored)["session_id"]


def greek_text(text: str) -> bool:
    """Mostly Greek: over three Greek letters for every Latin or Cyrillic one."""
    return len(GREEK.findall(text)) > 3 * len(LATIN_OR_CYRILLIC.findall(text))


def test_demo_page_embeds_the_local_bundle(running_stack: RunningStack) -> None:
    page = requests.get(f"{running_stack.handoff_url}/demo", timeout=10)
    assert page.status_code == 200
    assert '<script src="/demo/webchat.js">' in page.text
    assert "cdn" not in page.text.lower()
    socket = re.search(r'data-socket-url="([^"]+)"', page.text).group(1)
    assert socket == running_stack.rasa_url  # same host, Rasa's port
    assert socket in page.headers["Content-Security-Policy"]
    bundle = requests.get(f"{running_stack.handoff_url}/demo/webchat.js", timeout=10)
    assert bundle.status_code == 200
    assert "WebChat" in bundle.text[:1000]


def test_greek_question_gets_a_greek_answer_and_metadata_reaches_the_tracker(
        greek_visitor: Page, running_stack: RunningStack, tmp_path: Path) -> None:
    page = greek_visitor
    open_chat(page)
    send(page, "τι είναι μια πύλη αυτοεξυπηρέτησης;")
    wait_for_reply(page, greek_text)
    page.screenshot(path=str(tmp_path / "widget.png"))

    tracker = RasaClient(running_stack.rasa_url, running_stack.token).tracker(session_id(page))
    [user] = [e for e in tracker["events"] if e["event"] == "user"]
    assert user["input_channel"] == "socketio"
    assert user["metadata"]["locale"] == "el-GR"
    assert user["metadata"]["timezone"] == "Europe/Athens"
    assert tracker["slots"]["language"] == "el"


def test_agent_replies_reach_the_widget_also_after_a_reload(
        greek_visitor: Page, running_stack: RunningStack, agents: tuple[str, str]) -> None:
    page = greek_visitor
    maria = AgentClient(running_stack.handoff_url, agents[0], PASSWORD)
    maria.heartbeat(available=False)  # claims by hand
    open_chat(page)
    send(page, "Καλησπέρα σας")
    wait_for_reply(page, greek_text)
    greeted = len(replies(page))
    send(page, "θέλω να μιλήσω με έναν άνθρωπο παρακαλώ")
    wait_for_reply(page, lambda text: matches(text, "utter_handoff_queued", "el"), after=greeted)

    sender = session_id(page)
    rasa = RasaClient(running_stack.rasa_url, running_stack.token)
    ticket_id = rasa.tracker(sender)["slots"]["handoff_ticket"]
    context = maria.ticket(ticket_id)["context"]
    assert context["channel"] == "socketio"
    assert (context["culture"]["locale"], context["culture"]["timezone"]) == ("el-GR", "Europe/Athens")
    assert maria.post(f"/api/tickets/{ticket_id}/claim").status_code == 200
    first = "Καλησπέρα σας, είμαι η Μαρία. Θα σας βοηθήσω αμέσως."
    assert maria.post(f"/api/tickets/{ticket_id}/messages", {"text": first}).status_code == 201
    wait_for_reply(page, lambda text: text == first)

    page.reload()
    # The widget comes back with the same conversation, connected (it hides until the
    # server confirms the session) and without writing anything.
    expect(page.locator(".rw-response").filter(has_text=first)).to_be_visible()
    shown = len(replies(page))
    expect(page.locator(".rw-new-message")).to_be_visible()
    assert session_id(page) == sender
    second = "Έλεγξα την παραγγελία σας: φεύγει αύριο το πρωί."
    assert maria.post(f"/api/tickets/{ticket_id}/messages", {"text": second}).status_code == 201
    wait_for_reply(page, lambda text: text == second, after=shown, timeout=30)
    shown += 1

    # And the visitor's next message goes to Maria, not to the bot.
    send(page, "Ευχαριστώ πολύ!")
    maria.wait_for_transcript(ticket_id, ["Ευχαριστώ πολύ!"])
    events = wait_for_user_event(rasa, sender, "Ευχαριστώ πολύ!")
    last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
    assert not [e for e in events[last_user:] if e["event"] == "bot"]
    assert len(replies(page)) == shown


def wait_for_user_event(rasa: RasaClient, sender: str, text: str, timeout: float = 30) -> list[dict]:
    """The conversation's events once the customer's message is logged in it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = rasa.tracker(sender)["events"]
        if any(e["event"] == "user" and e.get("text") == text for e in events):
            return events
        time.sleep(0.2)
    raise AssertionError(f"the message never reached the conversation: {text}")
