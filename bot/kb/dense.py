"""What the knowledge-base search knows of meaning: sentence embeddings (bot.embeddings).

``DenseIndex`` holds one language's vectors: every sample question and title of every
article, each article's title and summary as a passage, and each of its paragraphs (to
answer with the paragraph that answers the question). A question's similarity to
an article is that of its closest sample question or title, plus ``PASSAGE_WEIGHT``
times that of its title and summary.

``ArticleClassifier`` is a logistic regression from a question's vector to the article
it asks for, trained on the sample questions, titles and summaries of every language at
once: the vectors of one model for four languages, so a Lithuanian customer also
benefits from the ways the Greek, Russian and English articles are asked for. It is
trained when the knowledge base is first searched (a few seconds) and again when the
articles change.

bot.kb.index fuses both with BM25.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from bot import embeddings
from bot.kb.articles import Article

PASSAGE_WEIGHT = 0.7         # title and summary, beside the closest sample question
CLASSIFIER_C = 10.0          # inverse regularisation of the article classifier
# Similarity of the closest sample question -> confidence: questions about something the
# knowledge base does not cover ("what's the weather tomorrow") stay under DENSE_FLOOR,
# and a top hit under it is offered, never answered, however well the words match.
DENSE_FLOOR = 0.88
DENSE_FULL = 0.94
DENSE_CONFIDENCE_MAX = 0.55


class DenseIndex:
    """Sentence embeddings of the articles of one language."""

    def __init__(self, articles: Sequence[Article], encoder: embeddings.Encoder,
                 progress: embeddings.Progress | None = None) -> None:
        self.articles = tuple(articles)
        self._rows = {article.id: row for row, article in enumerate(self.articles)}
        owners, texts = [], []
        for row, article in enumerate(self.articles):
            for text in dict.fromkeys((article.title, *article.questions)):
                owners.append(row)
                texts.append(text)
        self.owners = np.array(owners, dtype=np.int64)
        self.questions = encoder.encode(texts, "query", persist=True, progress=progress)
        self.passages = encoder.encode([f"{a.title}. {a.summary}" for a in self.articles],
                                       "passage", persist=True)
        # Every paragraph of every article, to answer with the one that answers the question.
        paragraphs = [(row, passage.searchable) for row, article in enumerate(self.articles)
                      for passage in article.passages]
        self.paragraph_owners = np.array([row for row, _ in paragraphs], dtype=np.int64)
        self.paragraphs = encoder.encode([text for _, text in paragraphs], "passage", persist=True)

    def paragraph_similarities(self, article: Article, query: np.ndarray) -> np.ndarray:
        """The question's similarity to each of ``article.passages``, in order."""
        row = self._rows[article.id]
        return self.paragraphs[self.paragraph_owners == row] @ query

    def similarities(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per article, for a question's vector: the combined similarity used for ranking,
        and that of its closest sample question or title."""
        closest = np.full(len(self.articles), -1.0, dtype=np.float32)
        np.maximum.at(closest, self.owners, self.questions @ query)
        return closest + PASSAGE_WEIGHT * (self.passages @ query), closest


OVERLAP_COSINE = 0.95       # two sample questions this close ask the same thing...
OVERLAP_MIN_QUESTIONS = 4    # ...and this many such questions make two articles compete


def overlapping_articles(index: DenseIndex) -> list[tuple[str, str, int]]:
    """Pairs of articles whose sample questions ask the same thing (each question's
    nearest question of another article at ``OVERLAP_COSINE`` or more), with how many
    such questions; most first. Such articles fight for the same customers' questions:
    merge them or sharpen their questions."""
    if len(index.owners) < 2:
        return []
    similarity = index.questions @ index.questions.T
    similarity[index.owners[:, None] == index.owners[None, :]] = -1.0
    nearest, best = similarity.argmax(axis=1), similarity.max(axis=1)
    counts: dict[tuple[str, str], int] = {}
    for row in np.flatnonzero(best >= OVERLAP_COSINE):
        pair = tuple(sorted((index.articles[index.owners[row]].id, index.articles[index.owners[nearest[row]]].id)))
        counts[pair] = counts.get(pair, 0) + 1  # type: ignore[index]
    found = [(a, b, n) for (a, b), n in counts.items() if n >= OVERLAP_MIN_QUESTIONS]
    return sorted(found, key=lambda item: (-item[2], item[0], item[1]))


class ArticleClassifier:
    """Which article a question's vector asks for, learned from every language's articles."""

    def __init__(self, indexes: Mapping[str, DenseIndex]) -> None:
        from sklearn.linear_model import LogisticRegression

        vectors, labels = [], []
        for index in indexes.values():
            ids = np.array([article.id for article in index.articles])
            vectors += [index.questions, index.passages]
            labels += [ids[index.owners], ids]
        targets = np.concatenate(labels) if labels else np.array([])
        self.trained = len(set(targets)) >= 2
        if self.trained:
            self._model = LogisticRegression(C=CLASSIFIER_C, max_iter=3000)
            self._model.fit(np.vstack(vectors), targets)
            self._column = {article_id: i for i, article_id in enumerate(self._model.classes_)}

    def log_probabilities(self, query: np.ndarray, articles: Sequence[Article]) -> np.ndarray:
        """Per article, how likely the question asks for it (log; zeros if untrained)."""
        if not self.trained:
            return np.zeros(len(articles))
        row = self._model.predict_log_proba(query.reshape(1, -1))[0]
        floor = float(row.min())
        return np.array([row[self._column[a.id]] if a.id in self._column else floor for a in articles])


def dense_confidence(similarity: float) -> float:
    """How sure the embeddings alone are, from the closest sample question's similarity."""
    share = (similarity - DENSE_FLOOR) / (DENSE_FULL - DENSE_FLOOR)
    return round(DENSE_CONFIDENCE_MAX * max(0.0, min(1.0, share)), 4)
