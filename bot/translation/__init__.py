"""Offline machine translation with Argos Translate language packs.

Packs (``.argosmodel`` files) are installed into a project folder with
``python -m bot.translation install FILE...``; nothing is fetched from the internet.
A pair without its own pack is translated through English when both halves exist.
Importing this package loads nothing: argostranslate is imported on first use.
"""
from bot.translation.engine import Translation, TranslationUnavailable, Translator, translator
from bot.translation.settings import TranslationSettings

__all__ = ["Translation", "TranslationSettings", "TranslationUnavailable", "Translator", "translator"]
