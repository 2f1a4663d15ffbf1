"""A small client for the running Rasa server, and the response texts by language."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("el", "ru", "lt", "en")


class Templates(set):
    """Template texts of one language. ``text in templates`` is true when the text fills one
    of them (placeholders such as {salutation} or {position} match any words; the NLG
    endpoint fills them for the customer)."""

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and any(_pattern(t).fullmatch(text) for t in set.__iter__(self))


@lru_cache(maxsize=None)
def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{\w+\\\}", ".*?", re.escape(template)), flags=re.DOTALL)


def response_texts(response: str | None = None) -> dict[str, Templates]:
    """Texts by language, from data/responses (every response the bot sends)."""
    by_language: dict[str, Templates] = {lang: Templates() for lang in LANGUAGES}
    for language in LANGUAGES:
        for name, variations in templates_by_language()[language].items():
            if not response or name == response:
                by_language[language].update(v["text"] for v in variations)
    return by_language


@lru_cache(maxsize=1)
def templates_by_language() -> dict[str, dict]:
    return {lang: yaml.safe_load((ROOT / "data" / "responses" / f"{lang}.yml").read_text(encoding="utf-8"))
            for lang in LANGUAGES}


def language_of_reply(text: str) -> str | None:
    """The language of the template the text fills; templates made only of placeholders
    (a knowledge-base answer: "{title}\n\n{summary}") tell nothing and are skipped."""
    for language, texts in response_texts().items():
        telling = Templates(t for t in set.__iter__(texts) if re.search(r"\w", re.sub(r"\{\w+\}", "", t)))
        if text in telling:
            return language
    return None


class RasaClient:
    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token

    def post_raw(self, body: bytes, content_type: str = "application/json") -> requests.Response:
        return requests.post(
            f"{self.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type}, timeout=60
        )

    def say(self, sender: str, text: str, metadata: dict | None = None) -> list[str]:
        payload = {"sender": sender, "message": text, "metadata": metadata or {}}
        reply = requests.post(f"{self.url}/webhooks/rest/webhook", json=payload, timeout=60)
        assert reply.status_code == 200, reply.text
        return [m["text"] for m in reply.json() if "text" in m]

    def tracker(self, sender: str) -> dict:
        reply = requests.get(
            f"{self.url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30
        )
        assert reply.status_code == 200, reply.text
        return reply.json()


def matches(text: str, response: str, language: str) -> bool:
    """Whether ``text`` is one of the response's variations in ``language``, placeholders filled."""
    return text in response_texts(response)[language]
