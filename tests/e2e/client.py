"""A small client for the running Rasa server, and the domain's texts by language."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("el", "ru", "lt", "en")


@lru_cache(maxsize=1)
def _responses() -> dict[str, list[dict]]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def response_texts(response: str | None = None) -> dict[str, set[str]]:
    """Texts by language: domain responses (unconditioned variations are the English
    default) and the action messages in data/responses (templates, placeholders unfilled)."""
    by_language: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for language in LANGUAGES:
        for name, variations in templates_by_language()[language].items():
            if not response or name == response:
                by_language[language].update(v["text"] for v in variations)
    for name, variations in _responses().items():
        if response and name != response:
            continue
        for variation in variations:
            conditions = variation.get("condition") or []
            language = next((c["value"] for c in conditions if c.get("name") == "language"), "en")
            by_language[language].add(variation["text"])
    return by_language


@lru_cache(maxsize=1)
def templates_by_language() -> dict[str, dict]:
    return {lang: yaml.safe_load((ROOT / "data" / "responses" / f"{lang}.yml").read_text(encoding="utf-8"))
            for lang in LANGUAGES}


def language_of_reply(text: str) -> str | None:
    for language, texts in response_texts().items():
        if text in texts:
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
    import re

    for template in response_texts(response)[language]:
        pattern = re.sub(r"\\\{\w+\\\}", ".+?", re.escape(template))
        if re.fullmatch(pattern, text, flags=re.DOTALL):
            return True
    return False
