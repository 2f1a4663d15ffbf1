"""Translation settings, read from the environment once (fail fast on bad values)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_PACKAGES_DIR = PROJECT / "var" / "argos" / "packages"


def _number(name: str, default: float, low: float, high: float) -> float:
    raw = os.environ.get(name, "").strip() or str(default)
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number from {low} to {high}, got '{raw}'") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low} to {high}, got '{raw}'")
    return value


@dataclass(frozen=True)
class TranslationSettings:
    # Installed packs; argostranslate's own variable, so its tools see the same folder.
    packages_dir: Path = DEFAULT_PACKAGES_DIR
    cache_size: int = 1024  # translations kept in memory, keyed by pair and text
    timeout: float = 30.0  # seconds one translation may take in async code
    max_chars: int = 5000  # longest text accepted

    @property
    def home(self) -> Path:
        """Where argostranslate keeps its own data, settings and cache (never the user's home)."""
        return self.packages_dir.parent

    @classmethod
    def from_env(cls) -> TranslationSettings:
        raw_dir = os.environ.get("ARGOS_PACKAGES_DIR", "").strip()
        return cls(
            packages_dir=Path(raw_dir).resolve() if raw_dir else DEFAULT_PACKAGES_DIR,
            cache_size=int(_number("RAPPORT_TRANSLATION_CACHE", 1024, 0, 10**6)),
            timeout=_number("RAPPORT_TRANSLATION_TIMEOUT", 30.0, 0.1, 600),
        )
