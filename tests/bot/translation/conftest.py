"""A translator over a fresh folder. The language packs built for the tests (``argos_packs``,
``installed_packs``) are shared with the handoff tests and live in tests/conftest.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.translation import TranslationSettings, Translator


@pytest.fixture
def make_translator():
    made: list[Translator] = []

    def make(packages_dir: Path, **options) -> Translator:
        made.append(Translator(TranslationSettings(packages_dir=packages_dir, **options)))
        return made[-1]

    yield make
    for item in made:
        item.close()
