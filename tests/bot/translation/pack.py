"""Builds tiny, real Argos language packs (.argosmodel) for tests.

A pack is what the Argos package index distributes: a zip holding one folder with
``metadata.json``, a CTranslate2 model (``model/``), a SentencePiece model
(``sentencepiece.model``) and a sentence splitter (here a blank spaCy pipeline in
``spacy/``). The model is a one-layer Transformer whose weights are set by hand so that
each output token depends only on the previous one: whatever the input, it "translates"
into ``phrase``. Attention and feed-forward weights are zero, position encodings are
zero, embeddings are one-hot, and the output projection maps each token to its successor
in the phrase (the last word to ``</s>``).
"""
from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece as spm
import spacy

MAX_POSITIONS = 64
LOGIT_SCALE = 50.0


def _train_sentencepiece(words: list[str], prefix: Path) -> list[str]:
    corpus = prefix.with_suffix(".txt")
    corpus.write_text("\n".join(" ".join(words[i:] + words[:i]) for i in range(len(words))) + "\n",
                      encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), model_type="word",
        vocab_size=len(set(words)) + 3, character_coverage=1.0, minloglevel=2,
        hard_vocab_limit=False,
    )
    processor = spm.SentencePieceProcessor(model_file=str(prefix) + ".model")
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _model_spec(vocabulary: list[str], chain: list[str]) -> ctranslate2.specs.TransformerSpec:
    size = len(vocabulary)
    index = {piece: i for i, piece in enumerate(vocabulary)}
    spec = ctranslate2.specs.TransformerSpec.from_config(1, 1)
    zeros = lambda *shape: np.zeros(shape, dtype=np.float32)  # noqa: E731
    ones = lambda n: np.ones((n,), dtype=np.float32)  # noqa: E731

    def norm(layer) -> None:
        layer.gamma, layer.beta = ones(size), zeros(size)

    def linear(layer, rows: int, cols: int) -> None:
        layer.weight, layer.bias = zeros(rows, cols), zeros(rows)

    for stack in (spec.encoder, spec.decoder):
        stack.position_encodings.encodings = zeros(MAX_POSITIONS, size)
        norm(stack.layer_norm)
    spec.encoder.embeddings[0].weight = np.eye(size, dtype=np.float32)
    spec.decoder.embeddings.weight = np.eye(size, dtype=np.float32)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * size, size)
        linear(layer.self_attention.linear[1], size, size)
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * size, size)
        linear(layer.self_attention.linear[1], size, size)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], size, size)
        linear(layer.attention.linear[1], 2 * size, size)
        linear(layer.attention.linear[2], size, size)
    for layer in (*spec.encoder.layer, *spec.decoder.layer):
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, 4, size)
        linear(layer.ffn.linear_1, size, 4)
    # Row j of the projection scores token j; it fires on the token that comes before j.
    projection = zeros(size, size)
    steps = ["<s>", *chain, "</s>"]
    for previous, following in zip(steps, steps[1:]):
        projection[index[following], index[previous]] = LOGIT_SCALE
    spec.decoder.projection.weight, spec.decoder.projection.bias = projection, zeros(size)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    return spec


def build_pack(folder: Path, from_code: str, to_code: str, phrase: str,
               corpus: str = "", version: str = "1.0", splitter: bool = True) -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` into ``folder``: a pack that
    translates any text from ``from_code`` into ``phrase`` (words must be distinct).
    Without ``splitter`` the pack has no sentence splitter of its own, like many packs
    in the Argos index."""
    words = phrase.split()
    assert len(set(words)) == len(words), "a fixed-phrase model needs distinct words"
    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        root.mkdir()
        vocabulary = _train_sentencepiece(words + corpus.split(), Path(tmp) / "sp")
        shutil.copy(Path(tmp) / "sp.model", root / "sentencepiece.model")
        chain = ["▁" + w for w in words]
        missing = [piece for piece in chain if piece not in vocabulary]
        assert not missing, f"pieces missing from the SentencePiece vocabulary: {missing}"
        spec = _model_spec(vocabulary, chain)
        spec.validate()
        spec.optimize(quantization=None)
        (root / "model").mkdir()
        spec.save(str(root / "model"))
        if splitter:
            spacy.blank(from_code).to_disk(root / "spacy")
        (root / "metadata.json").write_text(json.dumps({
            "package_version": version, "argos_version": "1.11.0", "type": "translate",
            "from_code": from_code, "from_name": from_code, "to_code": to_code, "to_name": to_code,
        }), encoding="utf-8")
        target = folder / f"{name}.argosmodel"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                archive.write(path, path.relative_to(tmp).as_posix())
    return target
