"""A learned signal: a classifier of character n-grams and sentence embeddings trained on
labelled messages.

The lexicons know the words; customers also show frustration in ways no list has
("the hotline just plays music"). ``bot/frustration/examples/<lang>.tsv`` holds
messages labelled 1 (frustrated) or 0 (not): polite complaints, neutral questions,
excited thanks, sarcasm, resignation, mid-chat replies, insults, capitals, threats to
leave. A logistic regression on character 2-5-grams of the folded text (so inflections,
accents and Greeklish share features) learns from them and from a sample of the
knowledge base's questions, which are calm by nature; it is trained on first use (a few
seconds) and kept for the life of the process. Adding examples needs a restart, no retraining of Rasa.

Beside the n-grams, each message's sentence embedding (bot.embeddings, the multilingual
e5 model, scaled by ``EMBEDDING_WEIGHT``) is a feature: it carries what a message means
rather than how it is spelt, so sarcasm and complaints made of facts ("paid for express,
ten days in a warehouse") learned in one language help in the others. The examples'
vectors are cached on disk like the knowledge base's; without embeddings the classifier
uses the n-grams alone.
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from bot import embeddings
from bot.frustration.text import fold

EXAMPLES = Path(__file__).resolve().parent / "examples"
LANGUAGES = ("el", "ru", "lt", "en")
NGRAMS = (2, 5)
REGULARISATION = 10.0
CALM_QUESTIONS = 120         # knowledge-base sample questions per language, as calm examples
EMBEDDING_WEIGHT = 1.5       # sentence-embedding features beside the n-grams' tf-idf
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"'})


@dataclass(frozen=True)
class LearnedModel:
    vectorizer: Any
    classifier: Any
    encoder: embeddings.Encoder | None = None

    def probability(self, text: str) -> float:
        """How likely the message is frustrated, 0..1."""
        features = _features(self.vectorizer.transform([text]), self.encoder, [text], persist=False)
        return float(self.classifier.predict_proba(features)[0, 1])


def _features(ngrams: Any, encoder: embeddings.Encoder | None, texts: list[str], persist: bool) -> Any:
    if encoder is None:
        return ngrams
    from scipy.sparse import csr_matrix, hstack

    # Lowercased: capitals are the rules' signal, and the model reads "LATE" and "late" apart;
    # typographic quotes as plain ones, as keyboards differ ("Don’t" is "Don't").
    meaning = csr_matrix(EMBEDDING_WEIGHT * encoder.encode([t.lower().translate(_QUOTES) for t in texts], "query",
                                                           persist=persist))
    return hstack([ngrams, meaning]).tocsr()


def load_examples(root: Path = EXAMPLES, languages: Iterable[str] = LANGUAGES) -> list[tuple[bool, str]]:
    examples = []
    for language in languages:
        path = root / f"{language}.tsv"
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row.get("label") not in ("0", "1") or not (row.get("text") or "").strip():
                    raise ValueError(f"{path}: each row needs label 0 or 1 and a text, got {row}")
                examples.append((row["label"] == "1", row["text"]))
    return examples


def train(examples: list[tuple[bool, str]],
          encoder: embeddings.Encoder | None | str = embeddings.AUTO) -> LearnedModel:
    """A classifier for ``examples``; ``encoder`` adds the sentence embeddings (default:
    the process-wide encoder, when available; ``None``: n-grams alone)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [label for label, _ in examples]
    if len(set(labels)) < 2:
        raise ValueError("the examples need both frustrated and calm messages")
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, preprocessor=fold, sublinear_tf=True)
    if encoder == embeddings.AUTO:
        encoder = embeddings.encoder()
    texts = [text for _, text in examples]
    features = _features(vectorizer.fit_transform(texts), encoder, texts, persist=True)
    classifier = LogisticRegression(C=REGULARISATION, max_iter=3000, class_weight="balanced", random_state=0)
    classifier.fit(features, labels)
    return LearnedModel(vectorizer, classifier, encoder)


def calm_questions(languages: Iterable[str] = LANGUAGES, per_language: int = CALM_QUESTIONS) -> list[tuple[bool, str]]:
    """Calm messages of the kind the bot sees most: the knowledge base's sample questions.

    Of each language, the ``per_language`` questions whose text hashes lowest: a sample
    that teaches the classifier that a plain question ("what is a self-service portal?")
    is not frustration, without the thousands of them drowning the labelled examples.
    Editing or adding a question changes at most that one question's place in it.
    """
    from bot.kb import DEFAULT_ROOT, load_articles

    articles = load_articles(DEFAULT_ROOT).articles
    out: list[tuple[bool, str]] = []
    for language in languages:
        questions = {q for a in articles if a.language == language for q in a.questions}
        out.extend((False, q) for q in stable_sample(questions, per_language))
    return out


def stable_sample(texts: Iterable[str], size: int) -> list[str]:
    """``size`` of the texts, those whose SHA-1 is lowest: the same texts every time, and
    adding or removing one text changes at most one member of the sample."""
    return sorted(set(texts), key=lambda text: hashlib.sha1(text.encode("utf-8")).digest())[:size]


@lru_cache(maxsize=1)
def default_model() -> LearnedModel:
    """The model trained on bot/frustration/examples and calm knowledge-base questions
    (trained once per process)."""
    return train(load_examples() + calm_questions())
