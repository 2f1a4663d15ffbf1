"""Shared fixtures: a private Redis, the trained model, and the running stack.

Everything real: a redis-server on a free port with its own data folder, the model
trained from this checkout, and the Rasa and action servers started by scripts.stack
exactly as `make run` starts them.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from scripts.model import ensure_model
from scripts.stack import RedisTarget, Stack, free_port
from tests.e2e.platforms import Platforms


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
