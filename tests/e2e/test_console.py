"""The whole handoff in a real browser: a website customer escalates, an agent logs in
to the console, sees the ticket with its context, claims it and replies; the customer gets
the reply on their channel; the agent hands back and the bot answers again."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from bot.kb import DEFAULT_ROOT, KnowledgeBase
from tests.conftest import RunningStack
from tests.e2e.client import matches, response_texts
from tests.e2e.conftest import PASSWORD, log_in, set_away
from tests.e2e.customer import SocketCustomer


def test_wrong_password_is_refused(page: Page, running_stack: RunningStack, agents: tuple[str, str]) -> None:
    log_in(page, running_stack.handoff_url, agents[0], "not the password")
    expect(page.get_by_test_id("login-error")).to_be_visible()
    expect(page.get_by_test_id("queue")).to_be_hidden()


def test_escalate_claim_reply_hand_back(page: Page, running_stack: RunningStack, agents: tuple[str, str], tmp_path: Path) -> None:
    log_in(page, running_stack.handoff_url, agents[0], PASSWORD)
    expect(page.get_by_test_id("agent-name")).to_contain_text("Maria")
    set_away(page)

    customer = SocketCustomer(running_stack.rasa_url, metadata={"locale": "el-GR", "timezone": "Europe/Athens"})
    try:
        customer.say("Καλησπέρα σας")
        assert customer.next_text() in response_texts("utter_greet")["el"]
        customer.say("θέλω να μιλήσω με έναν άνθρωπο παρακαλώ")
        queued = customer.next_text()
        assert matches(queued, "utter_handoff_queued", "el"), queued

        row = page.get_by_test_id("queue-row").filter(has_text="el").first
        expect(row).to_be_visible()
        row.click()
        expect(page.get_by_test_id("transcript")).to_contain_text("Καλησπέρα σας")
        expect(page.get_by_test_id("context-panel")).to_contain_text("el")
        page.get_by_test_id("claim").first.click()
        expect(page.get_by_test_id("reply-input")).to_be_enabled()

        page.get_by_test_id("reply-input").fill("Καλησπέρα, είμαι η Μαρία. Πώς μπορώ να σας βοηθήσω;")
        page.get_by_test_id("reply-send").click()
        assert customer.next_text() == "Καλησπέρα, είμαι η Μαρία. Πώς μπορώ να σας βοηθήσω;"

        customer.say("Έχω μια ερώτηση για τις κριτικές πελατών")
        expect(page.get_by_test_id("transcript")).to_contain_text("Έχω μια ερώτηση για τις κριτικές πελατών")
        assert customer.pending() == []  # the bot stayed silent while Maria owns the chat
        page.screenshot(path=str(tmp_path / "console.png"))

        page.get_by_test_id("handback").click()
        assert customer.next_text() in response_texts("utter_handback")["el"]

        customer.say("τι είναι μια πύλη αυτοεξυπηρέτησης;")
        article = KnowledgeBase.load(DEFAULT_ROOT).article("el", "self-service-portal")
        assert customer.next_text().startswith(article.title)
    finally:
        customer.close()
