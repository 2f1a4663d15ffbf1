"""Language packs built for the tests (see pack.py) and a translator over a fresh folder."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.translation import TranslationSettings, Translator
from tests.bot.translation.pack import build_pack

PROJECT = Path(__file__).resolve().parents[3]
PHRASES = {  # what each test pack turns any text into
    ("el", "en"): "the order has arrived",
    ("en", "ru"): "заказ уже доставлен",
    ("en", "el"): "η παραγγελία σας έφτασε",
    ("ru", "en"): "where is my parcel",
}


@pytest.fixture(scope="session")
def argos_packs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("argosmodels")
    return {pair: build_pack(folder, pair[0], pair[1], phrase) for pair, phrase in PHRASES.items()}


def run_cli(packages_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m bot.translation ...`` in a child process with its own packs folder."""
    return subprocess.run(
        [sys.executable, "-m", "bot.translation", *args], cwd=PROJECT, capture_output=True, text=True,
        timeout=300, env={**os.environ, "ARGOS_PACKAGES_DIR": str(packages_dir), **(env or {})},
    )


@pytest.fixture(scope="session")
def installed_packs(tmp_path_factory: pytest.TempPathFactory, argos_packs) -> Path:
    """A packs folder with every test pack installed through the install command."""
    packages_dir = tmp_path_factory.mktemp("argos") / "packages"
    done = run_cli(packages_dir, "install", *map(str, argos_packs.values()))
    assert done.returncode == 0, done.stderr
    return packages_dir


@pytest.fixture
def make_translator():
    made: list[Translator] = []

    def make(packages_dir: Path, **options) -> Translator:
        made.append(Translator(TranslationSettings(packages_dir=packages_dir, **options)))
        return made[-1]

    yield make
    for item in made:
        item.close()
