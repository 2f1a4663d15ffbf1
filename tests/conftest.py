"""Shared fixtures: a private Redis, the trained model, and the running stack.

Everything real: a redis-server on a free port with its own data folder, the model
trained from this checkout, and the Rasa and action servers started by scripts.stack
exactly as `make run` starts them.

Also fixtures that two test packages share: knowledge-base articles with the kb actions
pointed at them (tests/actions, tests/bot/translation; tests/bot/kb has its own, larger
``kb_root``) and tiny real language packs (tests/bot/translation, tests/handoff).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import redis.asyncio as aioredis

from scripts.model import ensure_model
from scripts.stack import RedisTarget, Stack, free_port
from tests.bot.translation.factories import PHRASES, run_cli
from tests.e2e.platforms import Platforms

ARTICLES = {
    ("en", "metric-nps"): ("Net Promoter Score (NPS)", "NPS measures how willing customers are to recommend you.",
                           ["nps", "loyalty", "recommendation"]),
    ("en", "skill-empathy"): ("Empathy in customer service", "Empathy means understanding how the customer feels.",
                              ["empathy", "feelings"]),
    ("en", "self-service-portal"): ("Self-service portals", "A portal lets customers find answers themselves.",
                                    ["self-service", "portal", "faq"]),
    ("el", "metric-nps"): ("Δείκτης NPS", "Ο δείκτης NPS μετρά πόσο πρόθυμοι είναι οι πελάτες να σας συστήσουν.",
                           ["nps", "σύσταση", "αφοσίωση"]),
    ("el", "skill-empathy"): ("Ενσυναίσθηση στην εξυπηρέτηση", "Ενσυναίσθηση σημαίνει να καταλαβαίνετε πώς νιώθει ο πελάτης.",
                              ["ενσυναίσθηση", "συναισθήματα"]),
    ("el", "self-service-portal"): ("Πύλες αυτοεξυπηρέτησης", "Μια πύλη επιτρέπει στους πελάτες να βρίσκουν μόνοι τους απαντήσεις.",
                                    ["αυτοεξυπηρέτηση", "πύλη"]),
}


@dataclass
class RunningStack:
    stack: Stack
    redis: RedisTarget
    model: Path
    rasa_url: str
    rasa_port: int
    token: str
    handoff_url: str
    platforms: Platforms | None = None  # Telegram and Graph API stand-ins

    def restart_rasa(self) -> None:
        self.stack.stop("rasa")
        self.rasa_url = self.stack.start_rasa(self.model, self.rasa_port, self.token)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return ensure_model()


@pytest.fixture(scope="session")
def redis_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisTarget]:
    """A private redis-server on a free port, with its own data folder."""
    root = tmp_path_factory.mktemp("redis")
    stack = Stack(log_dir=root / "log")
    try:
        yield stack.start_redis(root / "data", preferred_port=free_port())
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def running_stack(
    tmp_path_factory: pytest.TempPathFactory, trained_model: Path, redis_target: RedisTarget
) -> Iterator[RunningStack]:
    root = tmp_path_factory.mktemp("stack")
    stack = Stack(log_dir=root / "log")
    platforms = Platforms.start()  # Rasa reads their URLs and secrets at start
    stack.env.update(platforms.env())
    stack.env["ARGOS_PACKAGES_DIR"] = str(root / "argos" / "packages")  # no packs until a test installs some
    try:
        redis = stack.use_redis(redis_target.url)
        stack.start_actions(free_port())
        token = secrets.token_hex(16)  # never starts with "-" (rasa would read an option)
        handoff_port = free_port()
        stack.use_nlg(handoff_port, token)
        port = free_port()
        url = stack.start_rasa(trained_model, port, token)
        handoff_url = stack.start_handoff(handoff_port, url, token)
        yield RunningStack(stack, redis, trained_model, url, port, token, handoff_url, platforms)
    finally:
        stack.stop()
        platforms.stop()


# The kb actions and the pack builder are imported inside their fixtures: every test folder
# loads this file, and they are slow to import (the pack builder loads spaCy and CTranslate2).


@pytest.fixture()
def kb_root(tmp_path: Path) -> Path:
    for (language, article_id), (title, summary, tags) in ARTICLES.items():
        folder = tmp_path / language
        folder.mkdir(exist_ok=True)
        (folder / f"{article_id}.md").write_text(
            f"---\nid: {article_id}\ntitle: {title}\ntags: [{', '.join(tags)}]\nrelated: []\n---\n"
            f"{summary}\n\nMore details about {article_id} for the read-more answer.\n",
            encoding="utf-8",
        )
    return tmp_path


@pytest.fixture()
def configured(kb_root: Path, redis_target: RedisTarget, monkeypatch: pytest.MonkeyPatch) -> aioredis.Redis:
    import actions.kb as kb_actions
    from actions.settings import Settings

    client = aioredis.Redis.from_url(redis_target.url, decode_responses=True)
    monkeypatch.setattr(kb_actions, "settings", lambda: Settings(redis_target.url, kb_root, 2.0))
    monkeypatch.setattr(kb_actions, "redis_client", lambda: client)
    return client


@pytest.fixture(scope="session")
def argos_packs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    from tests.bot.translation.pack import build_pack

    folder = tmp_path_factory.mktemp("argosmodels")
    return {pair: build_pack(folder, pair[0], pair[1], phrase) for pair, phrase in PHRASES.items()}


@pytest.fixture(scope="session")
def installed_packs(tmp_path_factory: pytest.TempPathFactory, argos_packs) -> Path:
    """A packs folder with every test pack installed through the install command."""
    packages_dir = tmp_path_factory.mktemp("argos") / "packages"
    done = run_cli(packages_dir, "install", *map(str, argos_packs.values()))
    assert done.returncode == 0, done.stderr
    return packages_dir
