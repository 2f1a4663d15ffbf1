"""Translation in the agent console, in a real browser: an agent who reads only English
sees a Greek customer's messages with their translation, previews a reply translated
into Greek, edits it and sends it; the customer receives the edited Greek text.

Tiny real language packs (tests/bot/translation/pack.py) are installed with
``python -m bot.translation install`` into the packs folder the running handoff service
reads (ARGOS_PACKAGES_DIR of the test stack)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scripts.stack import ROOT, rasa_env
from tests.bot.translation.factories import PHRASES
from tests.conftest import RunningStack
from tests.e2e.client import matches
from tests.e2e.conftest import PASSWORD, admin, log_in, set_away
from tests.e2e.customer import SocketCustomer

CUSTOMER = "Ελένη Μεταφραστή"
TRANSLATION_MS = 60_000


@pytest.fixture(scope="module")
def english_agent(running_stack: RunningStack, agents: tuple[str, str]) -> str:
    admin(running_stack, "agent", "add", "olga", "--name", "Olga", "--departments", "general",
          "--languages", "en", "--password-stdin", stdin=PASSWORD + "\n")
    return "olga"


def install_packs(stack: RunningStack, *files: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bot.translation", "install", *map(str, files)], cwd=ROOT,
                          env=rasa_env(stack.stack.env), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_customer_message_translated_and_reply_previewed(page: Page, running_stack: RunningStack,
                                                         english_agent: str, argos_packs, tmp_path: Path) -> None:
    install_packs(running_stack, argos_packs[("el", "en")], argos_packs[("en", "el")])
    log_in(page, running_stack.handoff_url, english_agent, PASSWORD)
    expect(page.get_by_test_id("agent-name")).to_contain_text("Olga")
    set_away(page)

    customer = SocketCustomer(running_stack.rasa_url, metadata={"locale": "el-GR", "name": CUSTOMER})
    try:
        customer.say("θέλω να μιλήσω με έναν άνθρωπο παρακαλώ")
        queued = customer.next_text()
        assert matches(queued, "utter_handoff_queued", "el"), queued

        row = page.get_by_test_id("queue-row").filter(has_text=CUSTOMER).first
        expect(row).to_be_visible()
        row.click()
        customer_entry = page.get_by_test_id("entry").filter(has_text="θέλω να μιλήσω").first
        # The first translation loads argostranslate in the handoff service: allow for it.
        expect(customer_entry.get_by_test_id("entry-translation")).to_contain_text(PHRASES[("el", "en")],
                                                                                   timeout=TRANSLATION_MS)
        page.get_by_test_id("conversation-claim").click()
        expect(page.get_by_test_id("reply-input")).to_be_enabled()

        page.get_by_test_id("reply-input").fill("Hello, how can I help you today?")
        page.get_by_test_id("reply-translate").click()
        preview = page.get_by_test_id("reply-preview")
        expect(preview).to_be_visible(timeout=TRANSLATION_MS)
        expect(preview).to_have_value(PHRASES[("en", "el")])
        preview.fill(PHRASES[("en", "el")] + ", κυρία Ελένη.")
        page.screenshot(path=str(tmp_path / "console-translation.png"))
        page.get_by_test_id("reply-send").click()
        assert customer.next_text() == PHRASES[("en", "el")] + ", κυρία Ελένη."
        expect(preview).to_be_hidden()
        expect(page.get_by_test_id("translation-note")).to_be_hidden()
    finally:
        customer.close()


def test_without_a_pack_the_console_says_so_quietly(page: Page, running_stack: RunningStack,
                                                     english_agent: str) -> None:
    # Only el -> en and en -> el are installed (above): nothing covers Russian.
    log_in(page, running_stack.handoff_url, english_agent, PASSWORD)
    expect(page.get_by_test_id("agent-name")).to_contain_text("Olga")
    set_away(page)
    customer = SocketCustomer(running_stack.rasa_url, metadata={"locale": "ru-RU", "name": "Ольга Непереводимая"})
    try:
        customer.say("Я хочу поговорить с человеком, пожалуйста")
        assert matches(customer.next_text(), "utter_handoff_queued", "ru")
        page.get_by_test_id("queue-row").filter(has_text="Ольга Непереводимая").first.click()
        expect(page.get_by_test_id("transcript")).to_contain_text("Я хочу поговорить с человеком")
        expect(page.get_by_test_id("translation-note")).to_have_text(
            "Translation unavailable: no language pack for ru → en.", timeout=TRANSLATION_MS)
        expect(page.get_by_test_id("entry-translation")).to_have_count(0)
        expect(page.get_by_test_id("toast")).to_be_hidden()  # a note, not an error
    finally:
        customer.close()
