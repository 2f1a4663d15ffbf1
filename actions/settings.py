"""Action server settings, read from the environment once."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    redis_url: str
    kb_root: Path
    redis_timeout: float

    @classmethod
    def from_env(cls) -> Settings:
        timeout = os.environ.get("RAPPORT_REDIS_TIMEOUT", "2")
        try:
            redis_timeout = float(timeout)
        except ValueError:
            raise ValueError(f"RAPPORT_REDIS_TIMEOUT must be a number of seconds, got '{timeout}'") from None
        return cls(
            redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            kb_root=Path(os.environ.get("RAPPORT_KB_ROOT") or ROOT / "data" / "kb"),
            redis_timeout=redis_timeout,
        )


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
