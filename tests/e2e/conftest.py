from __future__ import annotations

import os
import subprocess
import sys
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from scripts.stack import ROOT, rasa_env
from tests.conftest import RunningStack
from tests.e2e.client import RasaClient
from tests.e2e.platforms import Platforms

PASSWORD = "correct horse battery"
CHROMIUM = os.environ.get("RAPPORT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture()
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium driven by Playwright (installed by scripts/ensure_chromium.sh)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser, running_stack: RunningStack) -> Iterator[Page]:
    """A console-sized page of the shared browser."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(30_000)
    yield page


def log_in(page: Page, url: str, username: str, password: str) -> None:
    """Log in to the agent console."""
    page.goto(url)
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()


def set_away(page: Page) -> None:
    """Away in the console: still online, so customers queue, but no ticket is pushed to
    this agent; the test claims by hand."""
    availability = page.get_by_test_id("availability")
    if availability.get_attribute("aria-checked") != "false":
        availability.click()


def admin(stack: RunningStack, *args: str, stdin: str | None = None) -> None:
    """`python -m handoff admin ...` against the test stack's Redis."""
    result = subprocess.run([sys.executable, "-m", "handoff", "admin", *args], cwd=ROOT, input=stdin,
                            env=rasa_env(stack.stack.env), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def agents(running_stack: RunningStack) -> tuple[str, str]:
    """Department 'general' (always open) with two agents who speak Greek and English."""
    admin(running_stack, "department", "add", "general", "--timezone", "Europe/Athens", "--sla", "120")
    for agent_id, name in (("maria", "Maria"), ("nikos", "Nikos")):
        admin(running_stack, "agent", "add", agent_id, "--name", name, "--departments", "general",
              "--languages", "el,en,ru,lt", "--password-stdin", stdin=PASSWORD + "\n")
    admin(running_stack, "canned", "add", "--language", "el", "welcome", "Καλησπέρα σας, είμαι η Μαρία.")
    return "maria", "nikos"


@pytest.fixture()
def platforms(running_stack: RunningStack) -> Platforms:
    """The loopback stand-ins for the Telegram Bot API and the Graph API."""
    assert running_stack.platforms is not None
    return running_stack.platforms


@pytest.fixture()
def customer(running_stack: RunningStack) -> RasaClient:
    """Rasa's HTTP API with the stack's token, to read a customer's conversation."""
    return RasaClient(running_stack.rasa_url, running_stack.token)
