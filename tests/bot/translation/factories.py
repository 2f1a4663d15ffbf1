"""Plain helpers shared by the translation tests and the handoff service's /api/translate
tests: what each test pack (see pack.py) translates into, and the translation command."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]
PHRASES = {  # what each test pack turns any text into
    ("el", "en"): "the order has arrived",
    ("en", "ru"): "заказ уже доставлен",
    ("en", "el"): "η παραγγελία σας έφτασε",
    ("ru", "en"): "where is my parcel",
}


def run_cli(packages_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m bot.translation ...`` in a child process with its own packs folder."""
    return subprocess.run(
        [sys.executable, "-m", "bot.translation", *args], cwd=PROJECT, capture_output=True, text=True,
        timeout=300, env={**os.environ, "ARGOS_PACKAGES_DIR": str(packages_dir), **(env or {})},
    )
