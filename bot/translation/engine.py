"""The translator: installed pairs, routes through English, a bounded cache, async calls.

argostranslate reads its settings from the environment when it is first imported and
keeps them in module globals. ``_argos`` imports it once, with its data, settings and
cache folders under the project's translation folder (not the user's home) and with
spaCy sentence splitting: the splitter comes from the pack's ``spacy/`` folder, or from
a rule-based multilingual splitter written into argostranslate's cache, so the
multilingual model it would otherwise download is never fetched.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from bot.translation.pack import Pack, check_pack
from bot.translation.settings import TranslationSettings

logger = logging.getLogger(__name__)

PIVOT = "en"
CODE = re.compile(r"^[a-z]{2,3}$")
_ARGOS_LOCK = threading.RLock()  # argostranslate's state is global to the process
_loaded_from: tuple | None = None  # the packs folder listing argostranslate last loaded


class TranslationUnavailable(Exception):
    """No installed pack (nor pair of packs through English) covers the pair."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"translation unavailable: no language pack for {source} -> {target}")
        self.source = source
        self.target = target


@dataclass(frozen=True)
class Translation:
    text: str
    source: str
    target: str
    via: tuple[str, ...]  # the languages it went through: ("el", "en") or ("el", "en", "ru")
    cached: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "source": self.source, "target": self.target,
                "via": list(self.via), "cached": self.cached}


class _Argos(NamedTuple):
    settings: ModuleType
    package: ModuleType
    translate: ModuleType


def _write_fallback_splitter(folder: Path) -> None:
    """A rule-based multilingual sentence splitter where argostranslate caches the one it
    downloads (it checks for ``senter/model``): a blank ``xx`` pipeline whose statistical
    sentence recogniser is disabled; argostranslate adds spaCy's rule-based sentencizer."""
    if (folder / "senter" / "model").exists():
        return
    import spacy

    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        nlp = spacy.blank("xx")
        nlp.add_pipe("senter")
        nlp.initialize()
        nlp.disable_pipe("senter")
        nlp.to_disk(Path(tmp) / "spacy")
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(Path(tmp) / "spacy", folder)


def _import_argos(home: Path, packages_dir: Path) -> _Argos:
    overrides = {
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGES_DIR": str(packages_dir),
        "ARGOS_CHUNK_TYPE": "SPACY",
        "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_MODEL_PROVIDER": "OPENNMT",
    }
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        import argostranslate.settings as argos_settings

        # Before argostranslate.sbd is imported: with spaCy splitting it looks for this
        # cache at import and would download the multilingual model if it were missing.
        _write_fallback_splitter(Path(argos_settings.cache_dir) / "spacy")
        import argostranslate.package as argos_package
        import argostranslate.translate as argos_translate
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return _Argos(argos_settings, argos_package, argos_translate)


def _argos(settings: TranslationSettings) -> _Argos:
    """argostranslate, pointed at ``settings.packages_dir`` (call with _ARGOS_LOCK held)."""
    settings.packages_dir.mkdir(parents=True, exist_ok=True)
    if "argostranslate.translate" not in sys.modules:
        argos = _import_argos(settings.home, settings.packages_dir)
    else:
        argos = _Argos(sys.modules["argostranslate.settings"], sys.modules["argostranslate.package"],
                       sys.modules["argostranslate.translate"])
    global _loaded_from
    if Path(argos.settings.package_data_dir) != settings.packages_dir:
        argos.settings.package_data_dir = settings.packages_dir
        argos.settings.package_dirs = [settings.packages_dir]
    # Packs installed or replaced by another process (the install command) are picked up
    # without a restart: the folder's listing is compared with the one last loaded.
    listing = (settings.packages_dir, tuple(sorted((p.name, p.stat().st_mtime_ns)
                                                   for p in settings.packages_dir.iterdir())))
    if listing != _loaded_from:
        _forget_loaded(argos)
        _loaded_from = listing
    return argos


def _forget_loaded(argos: _Argos) -> None:
    """Drop argostranslate's loaded models so the next call reads the packs folder again."""
    argos.translate.installed_translates.clear()
    argos.translate.get_installed_languages.cache_clear()


class Translator:
    """Translates between installed pairs; thread-safe; one per process (``translator()``)."""

    def __init__(self, settings: TranslationSettings) -> None:
        self.settings = settings
        self._cache: OrderedDict[tuple[str, str, str], Translation] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self.hits = 0
        self.misses = 0

    # -- packs --------------------------------------------------------------------------

    def pairs(self) -> list[tuple[str, str]]:
        """Installed (source, target) pairs, sorted."""
        if not self.settings.packages_dir.is_dir() or not any(self.settings.packages_dir.iterdir()):
            return []  # nothing installed: no need to load argostranslate at all
        with _ARGOS_LOCK:
            argos = _argos(self.settings)
            return sorted({(p.from_code, p.to_code) for p in argos.package.get_installed_packages()
                           if p.type == "translate"})

    def install(self, path: Path) -> Pack:
        """Install one ``.argosmodel`` file (checked first); replaces a pack for the same pair."""
        pack = check_pack(path)
        with _ARGOS_LOCK:
            argos = _argos(self.settings)
            for old in argos.package.get_installed_packages():
                if (old.from_code, old.to_code) == (pack.from_code, pack.to_code):
                    argos.package.uninstall(old)
            argos.package.install_from_path(path)
            _forget_loaded(argos)
        self.clear_cache()
        logger.info("installed language pack %s -> %s (%s)", pack.from_code, pack.to_code, pack.version)
        return pack

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        """The languages a text goes through, or None when no pack covers the pair."""
        if source == target:
            return (source,)
        pairs = set(self.pairs())
        if (source, target) in pairs:
            return (source, target)
        if (source, PIVOT) in pairs and (PIVOT, target) in pairs:
            return (source, PIVOT, target)
        return None

    # -- translating --------------------------------------------------------------------

    def translate(self, text: str, source: str, target: str) -> Translation:
        """Translate ``text``; raises TranslationUnavailable (no pack) or ValueError (bad input)."""
        text = _checked_text(text, self.settings.max_chars)
        source, target = _checked_code(source), _checked_code(target)
        key = (source, target, text)
        with self._cache_lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                self.hits += 1
                return Translation(found.text, source, target, found.via, cached=True)
        via = self.route(source, target)
        if via is None:
            raise TranslationUnavailable(source, target)
        result = text
        with _ARGOS_LOCK:
            argos = _argos(self.settings)
            languages = {lang.code: lang for lang in argos.translate.get_installed_languages()}
            for hop_from, hop_to in zip(via, via[1:]):
                hop = languages[hop_from].get_translation(languages[hop_to])
                result = hop.translate(result)
        translation = Translation(result, source, target, via)
        with self._cache_lock:
            self.misses += 1
            if self.settings.cache_size:
                self._cache[key] = translation
                while len(self._cache) > self.settings.cache_size:
                    self._cache.popitem(last=False)
        return translation

    async def translate_async(self, text: str, source: str, target: str,
                              timeout: float | None = None) -> Translation:
        """``translate`` off the event loop, bounded by ``timeout`` (asyncio.TimeoutError)."""
        if self._executor is None:
            # One worker: translations are CPU-heavy; queued ones wait rather than compete.
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="translate")
        loop = asyncio.get_running_loop()
        call = loop.run_in_executor(self._executor, self.translate, text, source, target)
        return await asyncio.wait_for(call, timeout or self.settings.timeout)

    def clear_cache(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


def _checked_text(text: object, max_chars: int) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text must be a non-empty string")
    if len(text) > max_chars:
        raise ValueError(f"text is over {max_chars} characters")
    return text.strip()


def _checked_code(code: object) -> str:
    if not isinstance(code, str) or not CODE.match(code):
        raise ValueError(f"not a language code: {code!r}")
    return code


@lru_cache(maxsize=1)
def translator() -> Translator:
    """The process's translator, configured from the environment on first call."""
    return Translator(TranslationSettings.from_env())
