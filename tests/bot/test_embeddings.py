"""bot.embeddings: the bundled multilingual model, its on-disk cache and the off switch."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot import embeddings
from bot.embeddings import Encoder


class Counting:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.embedded: list[str] = []

    def query(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return self.model.query(texts)

    def passage(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return self.model.passage(texts)


@pytest.fixture(scope="module")
def model() -> Any:
    encoder = embeddings.encoder()
    if encoder is None:
        pytest.fail(f"sentence embeddings unavailable: {embeddings.unavailable_reason()}")
    return encoder._model


def test_vectors_are_normalised_and_meaning_crosses_languages(model: Any) -> None:
    encoder = Encoder(model)
    rows = encoder.encode(["How do I get my money back?", "Как мне вернуть деньги?",
                           "Kaip atgauti pinigus?", "What's the weather in Vilnius?"])
    assert rows.shape == (4, embeddings.DIMENSIONS)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-3)
    refund_ru, refund_lt, weather = rows[1:] @ rows[0]
    assert refund_ru > weather and refund_lt > weather


def test_query_and_passage_are_embedded_differently(model: Any) -> None:
    encoder = Encoder(model)
    assert not np.allclose(encoder.one("opening hours", "query"), encoder.one("opening hours", "passage"))


def test_persisted_vectors_are_reused_by_the_next_process(model: Any, tmp_path: Path) -> None:
    cache = tmp_path / "cache.npz"
    first = Counting(model)
    vectors = Encoder(first, cache).encode(["refunds", "opening hours", "refunds"], persist=True)
    assert first.embedded == ["refunds", "opening hours"]  # each text once
    assert cache.exists()

    second = Counting(model)
    again = Encoder(second, cache).encode(["opening hours", "refunds", "a new text"], persist=True)
    assert second.embedded == ["a new text"]
    assert np.allclose(again[:2], vectors[[1, 0]])


def test_live_texts_are_remembered_in_memory_only(model: Any, tmp_path: Path) -> None:
    cache = tmp_path / "cache.npz"
    counting = Counting(model)
    encoder = Encoder(counting, cache)
    encoder.one("where is my parcel")
    encoder.one("where is my parcel")
    assert counting.embedded == ["where is my parcel"]
    assert not cache.exists()


def test_a_damaged_cache_is_ignored_and_rebuilt(model: Any, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    cache = tmp_path / "cache.npz"
    cache.write_bytes(b"not a numpy archive")
    counting = Counting(model)
    with caplog.at_level(logging.WARNING, logger="bot.embeddings"):
        encoder = Encoder(counting, cache)
    assert "ignoring the embedding cache" in caplog.text
    encoder.encode(["refunds"], persist=True)
    assert counting.embedded == ["refunds"]
    assert Encoder(Counting(model), cache).encode(["refunds"]).shape == (1, embeddings.DIMENSIONS)


def test_switched_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "_ENCODER", None)
    monkeypatch.setattr(embeddings, "_UNAVAILABLE", None)
    monkeypatch.setenv("RAPPORT_EMBEDDINGS", "off")
    assert embeddings.encoder() is None
    assert embeddings.unavailable_reason() == "RAPPORT_EMBEDDINGS=off"
