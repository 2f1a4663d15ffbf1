"""A learned signal: a classifier of character n-grams trained on labelled messages.

The lexicons know the words; customers also show frustration in ways no list has
("the hotline just plays music"). ``bot/frustration/examples/<lang>.tsv`` holds
messages labelled 1 (frustrated) or 0 (not): polite complaints, neutral questions,
excited thanks, sarcasm, insults, capitals, threats to leave. A logistic regression on
character 2-5-grams of the folded text (so inflections, accents and Greeklish share
features) learns from them and from a sample of the knowledge base's questions, which
are calm by nature; it is trained on first use (about a second) and kept for
the life of the process. Adding examples needs a restart, no retraining of Rasa.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from bot.frustration.text import fold

EXAMPLES = Path(__file__).resolve().parent / "examples"
LANGUAGES = ("el", "ru", "lt", "en")
NGRAMS = (2, 5)
REGULARISATION = 4.0
CALM_QUESTIONS = 30          # knowledge-base sample questions per language, as calm examples


@dataclass(frozen=True)
class LearnedModel:
    vectorizer: Any
    classifier: Any

    def probability(self, text: str) -> float:
        """How likely the message is frustrated, 0..1."""
        return float(self.classifier.predict_proba(self.vectorizer.transform([text]))[0, 1])


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


def train(examples: list[tuple[bool, str]]) -> LearnedModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [label for label, _ in examples]
    if len(set(labels)) < 2:
        raise ValueError("the examples need both frustrated and calm messages")
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, preprocessor=fold, sublinear_tf=True)
    features = vectorizer.fit_transform([text for _, text in examples])
    classifier = LogisticRegression(C=REGULARISATION, max_iter=2000, class_weight="balanced", random_state=0)
    classifier.fit(features, labels)
    return LearnedModel(vectorizer, classifier)


def calm_questions(languages: Iterable[str] = LANGUAGES, per_language: int = CALM_QUESTIONS) -> list[tuple[bool, str]]:
    """Calm messages of the kind the bot sees most: the knowledge base's sample questions.

    Every n-th question of each language, so that the classifier learns that a plain
    question ("what is a self-service portal?") is not frustration, without the
    thousands of them drowning the labelled examples.
    """
    from bot.kb import DEFAULT_ROOT, load_articles

    articles = load_articles(DEFAULT_ROOT).articles
    out: list[tuple[bool, str]] = []
    for language in languages:
        questions = sorted(q for a in articles if a.language == language for q in a.questions)
        step = max(1, len(questions) // per_language) if questions else 1
        out.extend((False, q) for q in questions[::step][:per_language])
    return out


@lru_cache(maxsize=1)
def default_model() -> LearnedModel:
    """The model trained on bot/frustration/examples and calm knowledge-base questions
    (trained once per process)."""
    return train(load_examples() + calm_questions())
